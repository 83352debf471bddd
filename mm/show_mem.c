// SPDX-License-Identifier: MIT
/*
 * Memory summaries: the "Mem-Info:" block that follows an allocation failure (Linux's
 * __show_mem / show_free_areas, mm/show_mem.c) and /proc/meminfo (Linux's
 * fs/proc/meminfo.c).
 *
 * Both print every line and field of Linux 6.18's, for a configuration like pagelab's
 * (docs/mm/vmstat.md): values come from pagelab's counters where it keeps them (free,
 * per-cpu, slab, page tables, kernel stacks, watermarks, the high-order atomic reserve
 * and its free pages, the free lists) and are 0 for what it does not have (the LRU lists,
 * the page cache, swap, hugetlb pages), as Linux prints 0 for a feature built in but
 * unused.  The failure report's lines, in 6.18's order:
 *   the global counters, in pages: one message of eight lines;
 *   "Node 0 ...kB": printed for every node with managed pages, with or without NUMA;
 *   one line per zone, in kB, and its lowmem_reserve[] (pages); zone lines have no
 *   "Node 0 " prefix without CONFIG_NUMA (include/mm/numa.h);
 *   the free lists, then per node the hugetlb pools (CONFIG_HUGETLB_PAGE: the default
 *   2 MiB pool, as meminfo), the page cache, the swap cache and swap (CONFIG_SWAP);
 *   the RAM totals.  No "cma reserved" (no CONFIG_CMA), no "hwpoisoned" (no
 *   CONFIG_MEMORY_FAILURE), no allocation profile (no CONFIG_MEM_ALLOC_PROFILING).
 *
 * Locking: a zone's free lists are read under its zone->lock (mm/page_alloc.c has the
 * order), then printed without it; the counters are read as they are (meminfo folds
 * every CPU's counter diffs first, the failure report only its own CPU's: mm/vmstat.c).
 */
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "lib/seq_file.h"
#include "mm/highmem.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

/* A node whose zones up to @max_zone_idx manage no page has nothing to report. */
static bool node_has_managed_zones(const pg_data_t *pgdat, int max_zone_idx)
{
	for (int i = 0; i <= max_zone_idx && i < MAX_NR_ZONES; i++)
		if (pgdat->node_zones[i].managed_pages)
			return true;
	return false;
}

static void show_node_counters(const pg_data_t *pgdat)
{
	/* 6.18 gives x86 no shadow call stack, so there is no shadow_call_stack field. */
	printk("Node %d active_anon:%lukB inactive_anon:%lukB active_file:%lukB "
	       "inactive_file:%lukB unevictable:%lukB isolated(anon):%lukB isolated(file):%lukB "
	       "mapped:%lukB dirty:%lukB writeback:%lukB shmem:%lukB shmem_thp:%lukB "
	       "shmem_pmdmapped:%lukB anon_thp:%lukB kernel_stack:%lukB pagetables:%lukB "
	       "sec_pagetables:%lukB all_unreclaimable? %s Balloon:%lukB\n",
	       pgdat->node_id, K(node_page_state(pgdat, NR_ACTIVE_ANON)),
	       K(node_page_state(pgdat, NR_INACTIVE_ANON)), K(node_page_state(pgdat, NR_ACTIVE_FILE)),
	       K(node_page_state(pgdat, NR_INACTIVE_FILE)), K(node_page_state(pgdat, NR_UNEVICTABLE)),
	       K(node_page_state(pgdat, NR_ISOLATED_ANON)), K(node_page_state(pgdat, NR_ISOLATED_FILE)),
	       K(node_page_state(pgdat, NR_FILE_MAPPED)), K(node_page_state(pgdat, NR_FILE_DIRTY)),
	       K(node_page_state(pgdat, NR_WRITEBACK)), K(node_page_state(pgdat, NR_SHMEM)),
	       K(node_page_state(pgdat, NR_SHMEM_THPS)), K(node_page_state(pgdat, NR_SHMEM_PMDMAPPED)),
	       K(node_page_state(pgdat, NR_ANON_THPS)), node_page_state(pgdat, NR_KERNEL_STACK_KB),
	       K(node_page_state(pgdat, NR_PAGETABLE)), K(node_page_state(pgdat, NR_SECONDARY_PAGETABLE)),
	       /* Linux says yes once kswapd has failed too often; pagelab has no kswapd. */
	       "no", K(node_page_state(pgdat, NR_BALLOON_PAGES)));
}

static void show_zone_counters(const struct zone *zone)
{
	unsigned long pcp = zone_pcp_count(zone);

	/* 6.18 still prints bounce, always 0: its counter is gone (as meminfo's Bounce). */
	printk("%s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB "
	       "reserved_highatomic:%luKB free_highatomic:%luKB active_anon:%lukB "
	       "inactive_anon:%lukB active_file:%lukB inactive_file:%lukB unevictable:%lukB "
	       "writepending:%lukB zspages:%lukB present:%lukB managed:%lukB mlocked:%lukB "
	       "bounce:%lukB free_pcp:%lukB local_pcp:%ukB free_cma:%lukB\n",
	       zone->name, K(zone_page_state(zone, NR_FREE_PAGES)), K(zone->watermark_boost),
	       K(min_wmark_pages(zone)), K(low_wmark_pages(zone)), K(high_wmark_pages(zone)),
	       K(zone->nr_reserved_highatomic), K(zone_free_highatomic(zone)),
	       K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)), K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
	       K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)), K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
	       K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)), K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)),
	       K(zone_page_state(zone, NR_ZSPAGES)), K(zone->present_pages), K(zone->managed_pages),
	       K(zone_page_state(zone, NR_MLOCK)), 0UL, K(pcp),
	       (unsigned int)K(zone->per_cpu_pageset[smp_processor_id()].count),
	       K(zone_page_state(zone, NR_FREE_CMA_PAGES)));
	printk("lowmem_reserve[]:");
	for (int i = 0; i < MAX_NR_ZONES; i++)
		printk(KERN_CONT " %ld", zone->lowmem_reserve[i]);
	printk(KERN_CONT "\n");
}

/* One letter per migrate type that has blocks of this order: (UM) = Unmovable and Movable. */
static void show_migration_types(unsigned int types)
{
	/* Linux 6.18's letters; C (CMA) would sit between H and I. */
	static const char letters[MIGRATE_TYPES] = { 'U', 'M', 'E', 'H', 'I' };
	char tmp[MIGRATE_TYPES + 1], *p = tmp;

	for (int i = 0; i < MIGRATE_TYPES; i++)
		if (types & (1u << i))
			*p++ = letters[i];
	*p = '\0';
	printk(KERN_CONT "(%s) ", tmp);
}

/* "DMA: 1*4kB (U) 0*8kB ... 3*4096kB (M) = 12292kB" */
static void show_zone_free_lists(const struct zone *zone)
{
	unsigned long total = 0, nr[NR_PAGE_ORDERS], flags;
	unsigned int types[NR_PAGE_ORDERS] = { 0 };

	/* Gathered under zone->lock, printed after, as Linux's show_free_areas(). */
	spin_lock_irqsave((spinlock_t *)&zone->lock, flags);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		const struct free_area *area = &zone->free_area[o];

		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (!free_area_empty(area, mt))
				types[o] |= 1u << mt;
		nr[o] = area->nr_free;
		total += nr[o] << o;
	}
	spin_unlock_irqrestore((spinlock_t *)&zone->lock, flags);
	printk("%s: ", zone->name);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		printk(KERN_CONT "%lu*%lukB ", nr[o], K(1UL) << o);
		if (nr[o])
			show_migration_types(types[o]);
	}
	printk(KERN_CONT "= %lukB\n", K(total));
}

void __show_mem(unsigned int filter, void *nodemask, int max_zone_idx)
{
	unsigned long free_pcp = 0, total = 0, reserved = 0, highmem = 0;
	struct zone *zone;

	(void)filter, (void)nodemask; /* one node: nothing to filter */
	/*
	 * This CPU's diffs in; other CPUs' may still be out, as in Linux's report (a
	 * cross-call is no option here: the failing allocation may have interrupts off).
	 */
	refresh_cpu_vm_stats(false);
	for_each_populated_zone(zone)
		if ((int)zone_idx(zone) <= max_zone_idx)
			free_pcp += zone_pcp_count(zone);
	printk("Mem-Info:\n");
	/* One message of several lines, as Linux prints it; each line gets its timestamp. */
	printk("active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
	       " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
	       " unevictable:%lu dirty:%lu writeback:%lu\n"
	       " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
	       " mapped:%lu shmem:%lu pagetables:%lu\n"
	       " sec_pagetables:%lu bounce:%lu\n"
	       " kernel_misc_reclaimable:%lu\n"
	       " free:%lu free_pcp:%lu free_cma:%lu\n",
	       global_node_page_state(NR_ACTIVE_ANON), global_node_page_state(NR_INACTIVE_ANON),
	       global_node_page_state(NR_ISOLATED_ANON), global_node_page_state(NR_ACTIVE_FILE),
	       global_node_page_state(NR_INACTIVE_FILE), global_node_page_state(NR_ISOLATED_FILE),
	       global_node_page_state(NR_UNEVICTABLE), global_node_page_state(NR_FILE_DIRTY),
	       global_node_page_state(NR_WRITEBACK),
	       global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B),
	       global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B),
	       global_node_page_state(NR_FILE_MAPPED), global_node_page_state(NR_SHMEM),
	       global_node_page_state(NR_PAGETABLE), global_node_page_state(NR_SECONDARY_PAGETABLE),
	       0UL, global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE),
	       global_zone_page_state(NR_FREE_PAGES), free_pcp,
	       global_zone_page_state(NR_FREE_CMA_PAGES));
	if (node_has_managed_zones(NODE_DATA(0), max_zone_idx))
		show_node_counters(NODE_DATA(0));
	for_each_populated_zone(zone)
		if ((int)zone_idx(zone) <= max_zone_idx)
			show_zone_counters(zone);
	for_each_populated_zone(zone)
		if ((int)zone_idx(zone) <= max_zone_idx)
			show_zone_free_lists(zone);
	/* hugetlb_show_meminfo_node(): the one pool meminfo shows, empty */
	printk("Node %d hugepages_total=%u hugepages_free=%u hugepages_surp=%u "
	       "hugepages_size=%lukB\n", NODE_DATA(0)->node_id, 0u, 0u, 0u, K(HPAGE_PMD_NR));
	printk("%ld total pagecache pages\n", (long)global_node_page_state(NR_FILE_PAGES));
	/* show_swap_cache_info(): CONFIG_SWAP with no swap device */
	printk("%lu pages in swap cache\n", 0UL);
	printk("Free swap  = %ldkB\n", 0L);
	printk("Total swap = %lukB\n", 0UL);
	for_each_populated_zone(zone) {
		total += zone->present_pages;
		reserved += zone->present_pages - zone->managed_pages;
		if (is_highmem_idx(zone_idx(zone)))
			highmem += zone->present_pages;
	}
	printk("%lu pages RAM\n", total);
	printk("%lu pages HighMem/MovableOnly\n", highmem);
	printk("%lu pages reserved\n", reserved);
}

/*
 * MemAvailable: what could be allocated without reclaiming or swapping.  Linux adds the
 * reclaimable part of the page cache and slab; pagelab has neither, so it is the free
 * pages minus what the zones keep back (totalreserve_pages).
 */
long si_mem_available(void)
{
	long available = (long)global_zone_page_state(NR_FREE_PAGES) - (long)totalreserve_pages;

	return available < 0 ? 0 : available;
}

/* Linux's layout: the name padded to 16 columns, the value in 8, then " kB". */
static void show_val_kb(struct seq_file *m, const char *name, unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", name, K(pages));
}

/*
 * CommitLimit, as Linux computes it with its defaults (vm.overcommit_kbytes 0,
 * vm.overcommit_ratio 50): half of RAM less the huge-page pool, plus swap.  pagelab
 * has neither pool nor swap, so it is half of MemTotal.
 */
static unsigned long vm_commit_limit(void)
{
	return totalram_pages * 50 / 100;
}

/*
 * /proc/meminfo as Linux 6.18's meminfo_proc_show() prints it, for a configuration like
 * pagelab's (docs/mm/vmstat.md): HighTotal..LowFree with CONFIG_HIGHMEM (the 32-bit
 * layout), Zswap with CONFIG_ZSWAP, the huge-page lines with CONFIG_TRANSPARENT_HUGEPAGE,
 * the HugePages lines with CONFIG_HUGETLB_PAGE; no CmaTotal (no CONFIG_CMA), no
 * HardwareCorrupted (no CONFIG_MEMORY_FAILURE).  Lines for what pagelab does not have
 * (swap, the page cache, user memory) print 0.
 */
void meminfo_show(struct seq_file *m)
{
	unsigned long free, high_total, high_free, sreclaimable, sunreclaim;

	refresh_vm_stats(); /* every CPU's diffs in: the numbers below are exact */
	free = global_zone_page_state(NR_FREE_PAGES);
	sreclaimable = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B);
	sunreclaim = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);

	show_val_kb(m, "MemTotal:", totalram_pages);
	show_val_kb(m, "MemFree:", free);
	show_val_kb(m, "MemAvailable:", (unsigned long)si_mem_available());
	show_val_kb(m, "Buffers:", 0);
	show_val_kb(m, "Cached:", 0);
	show_val_kb(m, "SwapCached:", 0);
	show_val_kb(m, "Active:", 0);
	show_val_kb(m, "Inactive:", 0);
	show_val_kb(m, "Active(anon):", 0);
	show_val_kb(m, "Inactive(anon):", 0);
	show_val_kb(m, "Active(file):", 0);
	show_val_kb(m, "Inactive(file):", 0);
	show_val_kb(m, "Unevictable:", 0);
	show_val_kb(m, "Mlocked:", global_zone_page_state(NR_MLOCK));
	if (zone_layout == ZONES_X86_32) {
		high_total = totalhigh_pages();
		high_free = nr_free_highpages();
		show_val_kb(m, "HighTotal:", high_total);
		show_val_kb(m, "HighFree:", high_free);
		show_val_kb(m, "LowTotal:", totalram_pages - high_total);
		show_val_kb(m, "LowFree:", free - high_free);
	}
	show_val_kb(m, "SwapTotal:", 0);
	show_val_kb(m, "SwapFree:", 0);
	show_val_kb(m, "Zswap:", 0);
	show_val_kb(m, "Zswapped:", 0);
	show_val_kb(m, "Dirty:", global_node_page_state(NR_FILE_DIRTY));
	show_val_kb(m, "Writeback:", global_node_page_state(NR_WRITEBACK));
	show_val_kb(m, "AnonPages:", global_node_page_state(NR_ANON_MAPPED));
	show_val_kb(m, "Mapped:", global_node_page_state(NR_FILE_MAPPED));
	show_val_kb(m, "Shmem:", global_node_page_state(NR_SHMEM));
	show_val_kb(m, "KReclaimable:",
		    sreclaimable + global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(m, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(m, "SReclaimable:", sreclaimable);
	show_val_kb(m, "SUnreclaim:", sunreclaim);
	seq_printf(m, "%-16s%8lu kB\n", "KernelStack:", global_node_page_state(NR_KERNEL_STACK_KB));
	show_val_kb(m, "PageTables:", global_node_page_state(NR_PAGETABLE));
	show_val_kb(m, "SecPageTables:", global_node_page_state(NR_SECONDARY_PAGETABLE));
	/* 6.18 prints these three as constant zeros: their counters are gone from Linux. */
	show_val_kb(m, "NFS_Unstable:", 0);
	show_val_kb(m, "Bounce:", 0);
	show_val_kb(m, "WritebackTmp:", 0);
	show_val_kb(m, "CommitLimit:", vm_commit_limit());
	show_val_kb(m, "Committed_AS:", 0);
	seq_printf(m, "%-16s%8lu kB\n", "VmallocTotal:", (unsigned long)(vmalloc_total() >> 10));
	show_val_kb(m, "VmallocUsed:", 0);
	show_val_kb(m, "VmallocChunk:", 0);
	show_val_kb(m, "Percpu:", pcpu_nr_pages()); /* the per-CPU copies, kernel/percpu.h */
	show_val_kb(m, "AnonHugePages:", global_node_page_state(NR_ANON_THPS));
	show_val_kb(m, "ShmemHugePages:", global_node_page_state(NR_SHMEM_THPS));
	show_val_kb(m, "ShmemPmdMapped:", global_node_page_state(NR_SHMEM_PMDMAPPED));
	show_val_kb(m, "FileHugePages:", global_node_page_state(NR_FILE_THPS));
	show_val_kb(m, "FilePmdMapped:", global_node_page_state(NR_FILE_PMDMAPPED));
	show_val_kb(m, "Balloon:", global_node_page_state(NR_BALLOON_PAGES));
	/* hugetlb_report_meminfo(): an empty pool of the default 2 MiB size */
	seq_printf(m, "HugePages_Total:   %5lu\nHugePages_Free:    %5lu\n"
		      "HugePages_Rsvd:    %5lu\nHugePages_Surp:    %5lu\n", 0UL, 0UL, 0UL, 0UL);
	seq_printf(m, "%-16s%8lu kB\n", "Hugepagesize:", K(HPAGE_PMD_NR));
	show_val_kb(m, "Hugetlb:", global_node_page_state(NR_HUGETLB));
}
