/* SPDX-License-Identifier: MIT */
/*
 * What the two loaders share besides the ELF check: the boot_info page they fill, the
 * ranges they record in it, the command line's slot, the direct map's extent and the
 * page tables they enter the kernel with.  boot/loader.c is compiled into the UEFI
 * loader, into the 16-bit stage 2 (with -m16) and into the host tests, so both boot
 * paths hand the kernel exactly the same picture (boot/boot_info.h) and refuse the same
 * mistakes with the same words.
 *
 * Every check returns NULL or a static message; the loader prints it after
 * "pagelab loader: error: " and stops (UEFI: waits for a key; BIOS: halts).
 */
#ifndef PAGELAB_BOOT_LOADER_H
#define PAGELAB_BOOT_LOADER_H

#include "boot/boot_info.h"
#include "types.h"

#define BOOT_PAGE_SIZE 4096

/* A number as text in a message, so the words follow the constant. */
#define BOOT_STR(x) BOOT_STR_(x)
#define BOOT_STR_(x) #x

/* The files both loaders read from the EFI system partition, in messages as DOS names. */
#define BOOT_DIR "PAGELAB"
#define BOOT_KERNEL_FILE "KERNEL.ELF"
#define BOOT_CMDLINE_FILE "CMDLINE.TXT"
#define BOOT_KERNEL_PATH "\\" BOOT_DIR "\\" BOOT_KERNEL_FILE
#define BOOT_CMDLINE_PATH "\\" BOOT_DIR "\\" BOOT_CMDLINE_FILE

/* The direct map's bounds: see boot_direct_map_end(). */
#define BOOT_DIRECT_MAP_MIN SZ_4G
#define BOOT_DIRECT_MAP_MAX_GIB 512 /* one PDPT of 1 GiB entries */

/*
 * The command line sits in the boot_info page, after the struct: one page holds both,
 * so one loader range covers both.
 */
#define BOOT_CMDLINE_OFFSET ALIGN_UP(sizeof(struct boot_info), 64)
_Static_assert(ALIGN_UP(sizeof(struct boot_info), 64) + BOOT_CMDLINE_MAX <= BOOT_PAGE_SIZE,
	       "boot_info and the command line share one page");

/*
 * boot_info_init - start the boot_info in the BOOT_PAGE_SIZE bytes at @page (physical
 * address @page_phys): zero the page, write the identification and @firmware, point
 * the command line at its empty slot, and record the page itself as the first loader
 * range.  Returns @page as a struct boot_info.
 */
struct boot_info *boot_info_init(void *page, u64 page_phys, u32 firmware);

/*
 * boot_add_range - record [@start, @start + @size) (@size rounded up to whole pages) as
 * loader memory of @kind the kernel must reserve.  Returns NULL, or a message if all
 * BOOT_MAX_LOADER_RANGES slots are taken: then nothing is written, so the array can
 * never run into the command line behind it.
 */
const char *boot_add_range(struct boot_info *bi, u64 start, u64 size, u32 kind);

/* boot_cmdline_slot - where boot_info_init() put the command line (BOOT_CMDLINE_MAX bytes). */
char *boot_cmdline_slot(struct boot_info *bi);

/*
 * boot_check_cmdline_size - whether a CMDLINE.TXT of @size bytes fits the command-line
 * slot: NULL, or the message boot_set_cmdline() would give.  Both loaders ask before
 * they read the file, so an over-long one is refused unread, whatever its size.
 */
const char *boot_check_cmdline_size(u64 size);

/*
 * boot_set_cmdline - the @len bytes of CMDLINE.TXT at @src, cleaned up by
 * boot_cmdline_copy(), become the kernel's command line.  Returns NULL, or a message if
 * they do not fit in the slot (then @src is not read at all, and the command line is
 * left empty rather than cut short).
 */
const char *boot_set_cmdline(struct boot_info *bi, const u8 *src, u64 len);

/*
 * boot_cmdline_copy - turn the bytes of CMDLINE.TXT into the kernel's one-line command
 * line at @dst (room for @dst_size bytes): newlines and tabs become spaces, trailing
 * blanks go.  Returns the length written, without the NUL, or -1 if it does not fit.
 */
int boot_cmdline_copy(char *dst, u32 dst_size, const u8 *src, u32 len);

/*
 * The direct map's extent, one rule for both firmwares.  It must reach every range that
 * holds memory of any kind (RAM, ACPI tables and NVS, firmware code and data, unusable
 * or persistent RAM), and no range that is I/O or only reserved: firmware puts MMIO
 * apertures near the top of the address space, and mapping up to them would cost a page
 * directory per GiB of nothing.
 *
 * boot_range_holds_memory - whether a range of @type holds memory, with @type in the
 * vocabulary of @firmware (enum boot_firmware): an E820 type or an EFI memory type.
 */
bool boot_range_holds_memory(u32 firmware, u32 type);

/* boot_mem_top - @top raised to the end of [@start, @start + @size) (saturating). */
u64 boot_mem_top(u64 top, u64 start, u64 size);

/*
 * boot_direct_map_end - the direct map's end for memory that ends at @mem_top: at least
 * BOOT_DIRECT_MAP_MIN (so ACPI tables, the framebuffer and the local APIC are reachable),
 * rounded up to a whole GiB.  Sets *@end and returns NULL, or returns a message if that
 * passes BOOT_DIRECT_MAP_MAX_GIB.
 */
const char *boot_direct_map_end(u64 mem_top, u64 *end);

/* Pages boot_build_page_tables() needs to map @direct_map_end bytes (a GiB multiple). */
u32 boot_page_table_pages(u64 direct_map_end);

/*
 * boot_setup_page_tables - the kernel's first page tables, in boot_page_table_pages()
 * pages at @tables (physical @tables_phys), for the kernel range recorded in @bi and a
 * direct map up to @direct_map_end: zero the pages, build them, then record them as a
 * loader range and note direct_map_end in @bi.  Sets *@cr3 and returns NULL, or a message
 * (then nothing is recorded).
 */
const char *boot_setup_page_tables(struct boot_info *bi, void *tables, u64 tables_phys,
				   u64 direct_map_end, u64 *cr3);

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

#endif
