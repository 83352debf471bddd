/*
 * What the two loaders share besides the ELF check: the page tables they enter the
 * kernel with and the command-line clean-up.  boot/loader.c is compiled into the UEFI
 * loader, into the 16-bit stage 2 (with -m16) and into the host tests, so both boot
 * paths hand the kernel exactly the same picture (boot/boot_info.h).
 */
#ifndef PAGELAB_BOOT_LOADER_H
#define PAGELAB_BOOT_LOADER_H

#include "types.h"

#define BOOT_PAGE_SIZE 4096

/* Pages boot_build_page_tables() needs to map @direct_map_end bytes (a GiB multiple). */
u32 boot_page_table_pages(u64 direct_map_end);

/*
 * boot_build_page_tables - fill @tables (boot_page_table_pages() zeroed pages at the
 * physical address @tables_phys, addressable by the loader at @tables) with:
 *   identity and PAGE_OFFSET mappings of [0, direct_map_end), 2 MiB pages, sharing PDs;
 *   KERNEL_VIRT_BASE -> [kernel_phys, kernel_phys + kernel_size), 2 MiB pages.
 * @direct_map_end must be a multiple of 1 GiB and at most 512 GiB, @kernel_phys and
 * @kernel_size multiples of 2 MiB, @kernel_size at most 1 GiB.  Returns the value for
 * CR3 (the PML4's physical address), or 0 if an argument is out of range.
 */
u64 boot_build_page_tables(u64 *tables, u64 tables_phys, u64 direct_map_end, u64 kernel_phys,
			   u64 kernel_size);

/*
 * boot_cmdline_copy - turn the bytes of CMDLINE.TXT into the kernel's one-line command
 * line at @dst (room for @dst_size bytes): newlines and tabs become spaces, trailing
 * blanks go.  Returns the length written, without the NUL, or -1 if it does not fit.
 */
int boot_cmdline_copy(char *dst, u32 dst_size, const u8 *src, u32 len);

#endif
