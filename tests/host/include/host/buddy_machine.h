/* SPDX-License-Identifier: MIT */
/*
 * A machine for the page-allocator host tests (tests/unit/test_buddy*.c): memblock is
 * given RAM ranges, then the kernel's own bring-up runs on them - mm_init_after_paging():
 * sparse_init, zone_sizes_init, mm_core_init (zonelists, memblock_free_all, per-cpu
 * lists, watermarks) - the same call start_kernel makes.  Each Criterion test is a fresh process,
 * so every test boots its own machine.
 *
 *   static const u64 ram[][2] = { { MB(16), MB(32) } };
 *   boot_machine(ram, 1, NULL);     16 MiB of DMA32 only: four order-10 blocks
 */
#ifndef PAGELAB_HOST_BUDDY_MACHINE_H
#define PAGELAB_HOST_BUDDY_MACHINE_H

#include "arch/memory_setup.h"
#include "host/printk_capture.h"
#include "kernel/params.h"
#include "kernel/setup.h"
#include "lib/seq_file.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pageblock-flags.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define MB(x) ((u64)(x) << 20)
#define GB(x) ((u64)(x) << 30)

/* QEMU q35 with 512 MiB under SeaBIOS: DMA and DMA32, Normal empty. */
static const u64 qemu_512m[][2] = { { 0x1000, 0x9f000 }, { 0x100000, 0x1ffdf000 } };

/* dump_page() asks boot_info where the kernel is: the host has no kernel image. */
static struct boot_info host_boot_info;

/* Put @n RAM ranges into memblock; boot_added_ram() then boots on them.  In between, a
 * test may memblock_reserve() what the kernel should find already taken. */
static inline void add_machine_ram(const u64 (*ram)[2], int n)
{
	memblock_set_current_limit(host_phys_arena_size);
	for (int i = 0; i < n; i++)
		memblock_add(ram[i][0], ram[i][1] - ram[i][0]);
}

/*
 * The kernel's own memory set-up on memblock's RAM, with @cmdline (NULL: none), whose
 * options' handlers run first, as setup_arch_memory() runs them (page_poison=, zones=).
 */
static inline void boot_added_ram(const char *cmdline)
{
	boot_info = &host_boot_info;
	boot_command_line = cmdline ? cmdline : "";
	parse_early_param(boot_command_line);
	host_printk_reset();
	mm_init_after_paging();
}

static inline void boot_machine(const u64 (*ram)[2], int n, const char *cmdline)
{
	add_machine_ram(ram, n);
	boot_added_ram(cmdline);
}

/* 1-64 MiB: ZONE_DMA and DMA32, enough for the slab and mempool tests. */
static const u64 ram_64m[][2] = { { MB(1), MB(64) } };

/* boot_machine(), then SLUB's caches, as start_kernel() does; the log starts empty. */
static inline void boot_machine_with_slab(const u64 (*ram)[2], int n, const char *cmdline)
{
	boot_machine(ram, n, cmdline);
	kmem_cache_init();
	host_printk_reset();
}

static inline struct zone *Z(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

/* A /proc view into a static buffer, for comparing or searching. */
static inline const char *show(void (*fn)(struct seq_file *m))
{
	static char buf[4][8192];
	static int next;
	struct seq_file m;
	char *b = buf[next++ % 4];

	seq_buf_init(&m, b, sizeof(buf[0]));
	fn(&m);
	return b;
}

/* Every populated zone's invariants hold (mm/page_alloc_check.c); else the first failure. */
static inline const char *free_lists_broken(void)
{
	static char why[256];
	struct zone *z;

	for_each_populated_zone(z)
		if (check_zone_free_lists(z, why, sizeof(why)))
			return why;
	return NULL;
}

/* Free pages plus per-cpu pages of all zones: what the allocator could still hand out. */
static inline unsigned long free_and_pcp_pages(void)
{
	unsigned long n = nr_free_pages();
	struct zone *z;

	for_each_populated_zone(z)
		n += zone_pcp_count(z);
	return n;
}

#endif
