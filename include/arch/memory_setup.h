/* SPDX-License-Identifier: MIT */
/*
 * The x86 side of memory bring-up, in two calls that everything boots through: the
 * kernel (start_kernel), tools/mmsim (a map from another machine) and the host tests.
 *
 *   setup_arch_memory(bi, cmdline, fixups, data)   the memory half of Linux's setup_arch():
 *       efi_memmap_init(bi)        the raw EFI map (UEFI boots), for `memmap`
 *       early_memblock(cmdline)    memblock=debug
 *       memblock_set_current_limit(bi->direct_map_end)   allocations stay in the
 *                                  loader's direct map
 *       early_reserve_memory(bi)   memblock_reserve the kernel, the loader's data, the
 *                                  first 64 KiB and the BIOS area below 1 MiB
 *       e820__memory_setup(bi)     firmware map -> sanitised e820 table (firmware/e820.h)
 *       parse_early_param(cmdline) the options' handlers (kernel/params.h): mem= and
 *                                  memmap= edit the table; zones=, vmalloc=, page_poison=
 *       e820__finish_early_params()  after mem=/memmap=: the "user-defined" map
 *       efi_init()                 UEFI: invalid descriptors out of the EFI map
 *                                  (efi_clean_memmap), then efi=debug prints it
 *       trim_bios_range()          the first page and 640K-1M are not usable RAM
 *       fixups(data)               tools/mmsim only: a logged kernel's e820 changes
 *       e820__memblock_setup()     usable RAM -> memblock.memory
 *       reserve_real_mode()        reserve the whole first 1 MiB
 *       initmem_init()             one memory node, node 0, for all of RAM
 *   init_mem_mapping()             the kernel's page tables (kernel only: arch/pgtable.h)
 *   mm_init_after_paging()         paging_init() (sparse memmap, zones), then
 *                                  mm_core_init() (zonelists, memblock_free_all -> buddy)
 *
 * Implemented in kernel/arch/x86_64/memory_setup.c.
 */
#ifndef PAGELAB_ARCH_MEMORY_SETUP_H
#define PAGELAB_ARCH_MEMORY_SETUP_H

#include "types.h"

struct boot_info;

/*
 * setup_arch_memory - from the firmware's memory map (described by @bi) to memblock:
 * the sequence above, with the boot log lines Linux prints.  @cmdline is the kernel
 * command line.  @e820_fixups(@data), when not NULL, runs on the e820 table after
 * trim_bios_range() and before memblock reads it, the point by which Linux has made its
 * MTRR trims: tools/mmsim replays a logged kernel's changes there (mem= and memmap= it
 * applies itself, from the logged command line, as the kernel does);
 * start_kernel passes NULL.  Once per boot.
 */
void setup_arch_memory(const struct boot_info *bi, const char *cmdline,
		       void (*e820_fixups)(void *data), void *data);

/* paging_init - the memory model on memblock's RAM: sparse_init(), zone_sizes_init(). */
void paging_init(void);

/*
 * mm_init_after_paging - paging_init(), then mm_core_init(): after it the buddy
 * allocator owns all free RAM.  Needs memblock filled (setup_arch_memory(), or a test's
 * memblock_add()s); in the kernel, also the kernel's own page tables.  Once per boot.
 */
void mm_init_after_paging(void);

#define BIOS_BEGIN 0xa0000ULL    /* legacy video memory and ROMs ... */
#define BIOS_END 0x100000ULL     /* ... up to 1 MiB (trim_bios_range removes the RAM) */

/*
 * early_reserve_memory - before any memory is added, reserve everything memblock must
 * never hand out: the kernel image (bi->kernel_phys_start..end), every loader range
 * (boot_info, memory map, page tables, ...), the first 64 KiB (firmware leaves data
 * there; page 0 also leaks through the L1TF bug) and the BIOS area from the EBDA to 1 MiB.
 */
void early_reserve_memory(const struct boot_info *bi);

/*
 * trim_bios_range - in the e820 table, make the first page reserved and remove usable RAM
 * from 640 KiB to 1 MiB (some firmware reports the legacy video and ROM area as RAM), then
 * sanitise again.  Logs Linux's "e820: update" and "e820: remove" lines.
 */
void trim_bios_range(void);

/*
 * e820_find_max_pfn - set max_pfn from the trimmed e820 table (e820__end_of_ram_pfn(),
 * at most the layout's MAX_ARCH_PFN: 46 address bits, 36 with zones=x86_32), logging
 * Linux's "last_pfn = ..." line; on x86-64 with RAM above 4 GiB a second one for the RAM
 * below it.  The zones end at max_pfn, not at memblock's last frame.
 */
void e820_find_max_pfn(void);

/*
 * reserve_real_mode - take REAL_MODE_SIZE bytes below 1 MiB for the trampoline that
 * starts the other CPUs (real_mode_trampoline, 0 if there was no room: then only the
 * boot CPU runs), then reserve all of the first 1 MiB, as Linux does, because firmware
 * is known to scribble on it.  The trampoline stays reserved for good, as in Linux.
 */
void reserve_real_mode(void);

/* The trampoline's pages: its code page, then the page tables it starts the CPUs on. */
#define REAL_MODE_SIZE (4 * 4096)
extern phys_addr_t real_mode_trampoline;

/*
 * initmem_init - put all RAM on node 0, as x86 Linux does when the firmware describes no
 * NUMA topology ("No NUMA configuration found", "Faking a node at ...").
 */
void initmem_init(void);

#endif
