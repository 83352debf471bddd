/*
 * The x86 side of early memory setup: what Linux's setup_arch() does between reading the
 * firmware map and building its own page tables, in the same order.  start_kernel()
 * calls these one by one (tools/mmsim repeats the sequence on the host):
 *
 *   early_reserve_memory(bi)   memblock_reserve the kernel, the loader's data, the first
 *                              64 KiB and the BIOS area below 1 MiB
 *   e820__memory_setup(bi)     firmware map -> sanitised e820 table (firmware/e820.h)
 *   trim_bios_range()          the first page and 640K-1M are not usable RAM
 *   e820__memblock_setup()     usable RAM -> memblock.memory
 *   reserve_real_mode()        reserve the whole first 1 MiB
 *   initmem_init()             one memory node, node 0, for all of RAM
 *
 * Implemented in kernel/arch/x86_64/memory_setup.c.
 */
#ifndef PAGELAB_ARCH_MEMORY_SETUP_H
#define PAGELAB_ARCH_MEMORY_SETUP_H

struct boot_info;

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
 * reserve_real_mode - reserve all of the first 1 MiB.  Linux first takes a page there for
 * the real-mode trampoline that starts the other CPUs, then reserves the rest because
 * firmware is known to scribble on it; pagelab starts no other CPUs, so it only reserves.
 */
void reserve_real_mode(void);

/*
 * initmem_init - put all RAM on node 0, as x86 Linux does when the firmware describes no
 * NUMA topology ("No NUMA configuration found", "Faking a node at ...").
 */
void initmem_init(void);

#endif
