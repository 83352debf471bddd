// SPDX-License-Identifier: MIT
/*
 * /proc/zoneinfo, /proc/buddyinfo, /proc/pagetypeinfo, /proc/vmstat and debugfs's
 * extfrag_index, in Linux 6.6's layouts, for the shell commands of the same names and
 * the host tests; and the counters behind them.
 *
 * Fields pagelab does not track (page cache, anon, reclaim, NUMA, per-node stats) are
 * left out rather than printed as zeros that would look like measurements.  Reading is
 * safe at any time after free_area_init(): nothing here changes allocator state.
 */
#include "lib/seq_file.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pageblock-flags.h"
#include "mm/vmstat.h"

struct vm_event_state vm_event_states[NR_CPUS];

unsigned long all_vm_events(enum vm_event_item item)
{
	unsigned long sum = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		sum += vm_event_states[cpu].event[item];
	return sum;
}

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	unsigned long sum = 0;
	const struct zone *z;

	for_each_zone(z)
		sum += zone_page_state(z, item);
	return sum;
}

/* Zones a student would expect in /proc on this layout: HighMem only when it exists. */
static bool zone_shown(const struct zone *z)
{
	/* Each layout shows the zones its Linux has: no HighMem on x86-64, no DMA32 on x86-32. */
	if (!z->name)
		return false;
	if (zone_idx(z) == ZONE_HIGHMEM)
		return zone_layout == ZONES_X86_32;
	return zone_idx(z) != ZONE_DMA32 || zone_layout != ZONES_X86_32;
}

/*
 * The end of a populated zone's entry, in Linux 6.7+'s layout (6.18's lines): each CPU's
 * per-cpu list and its vm stats threshold, then whether kswapd gave up on the node (it
 * cannot: pagelab has no kswapd) and where the zone starts.
 */
static void zoneinfo_show_pagesets(struct seq_file *m, const struct zone *z)
{
	unsigned int cpu;

	seq_puts(m, "\n  pagesets");
	for_each_online_cpu(cpu) {
		const struct per_cpu_pages *pcp = &z->per_cpu_pageset[cpu];

		seq_printf(m, "\n    cpu: %u"
			      "\n              count:    %d"
			      "\n              high:     %d"
			      "\n              batch:    %d"
			      "\n              high_min: %d"
			      "\n              high_max: %d",
			   cpu, pcp->count, pcp->high, pcp->batch, pcp->high_min, pcp->high_max);
		/* Linux keeps one threshold per CPU; all of pagelab's share the zone's. */
		seq_printf(m, "\n  vm stats threshold: %d", z->stat_threshold);
	}
	seq_printf(m, "\n  node_unreclaimable:  %u"
		      "\n  start_pfn:           %lu\n",
		   0u, z->zone_start_pfn);
}

static void zoneinfo_show_print(struct seq_file *m, const struct zone *z)
{
	seq_printf(m, "Node %d, zone %8s", z->zone_pgdat->node_id, z->name);
	seq_printf(m, "\n  pages free     %lu"
		      "\n        boost    %lu"
		      "\n        min      %lu"
		      "\n        low      %lu"
		      "\n        high     %lu"
		      "\n        promo    %lu"
		      "\n        spanned  %lu"
		      "\n        present  %lu"
		      "\n        managed  %lu"
		      "\n        cma      %lu",
		   zone_page_state(z, NR_FREE_PAGES), z->watermark_boost, min_wmark_pages(z),
		   low_wmark_pages(z), high_wmark_pages(z), promo_wmark_pages(z), z->spanned_pages,
		   z->present_pages, z->managed_pages, 0UL);
	seq_printf(m, "\n        protection: (%ld", z->lowmem_reserve[0]);
	for (int i = 1; i < MAX_NR_ZONES; i++)
		seq_printf(m, ", %ld", z->lowmem_reserve[i]);
	seq_putc(m, ')');
	if (!populated_zone(z)) { /* nothing else is useful */
		seq_putc(m, '\n');
		return;
	}
	seq_printf(m, "\n      %-12s %lu", "nr_free_pages", zone_page_state(z, NR_FREE_PAGES));
	zoneinfo_show_pagesets(m, z);
}

void zoneinfo_show(struct seq_file *m)
{
	const struct zone *z;

	for_each_zone(z)
		if (zone_shown(z))
			zoneinfo_show_print(m, z);
}

void buddyinfo_show(struct seq_file *m)
{
	const struct zone *z;

	for_each_populated_zone(z) {
		seq_printf(m, "Node %d, zone %8s ", z->zone_pgdat->node_id, z->name);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			seq_printf(m, "%6lu ", z->free_area[o].nr_free);
		seq_putc(m, '\n');
	}
}

#define PAGETYPEINFO_MAX_COUNT 100000

/*
 * Free blocks per order and migrate type, counted on the lists themselves, all five
 * types (Linux 6.18's, without CMA), at most 100000 a list (">100000"), as Linux.
 */
static void pagetypeinfo_showfree(struct seq_file *m)
{
	const struct zone *z;

	seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		seq_printf(m, "%6d ", o);
	seq_putc(m, '\n');
	for_each_populated_zone(z) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			seq_printf(m, "Node %4d, zone %8s, type %12s ", z->zone_pgdat->node_id,
				   z->name, migratetype_names[mt]);
			for (int o = 0; o < NR_PAGE_ORDERS; o++) {
				const struct list_head *pos;
				unsigned long n = 0;
				bool overflow = false;

				list_for_each(pos, &z->free_area[o].free_list[mt]) {
					/* Linux stops counting here: the zone lock is held */
					if (++n >= PAGETYPEINFO_MAX_COUNT) {
						overflow = true;
						break;
					}
				}
				seq_printf(m, "%s%6lu ", overflow ? ">" : "", n);
			}
			seq_putc(m, '\n');
		}
	}
}

/* Pageblocks per migrate type; pageblocks in a hole of the memmap are skipped. */
static void pagetypeinfo_showblockcount(struct seq_file *m)
{
	const struct zone *z;

	seq_printf(m, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, "%12s ", migratetype_names[mt]);
	seq_putc(m, '\n');
	for_each_populated_zone(z) {
		unsigned long count[MIGRATE_TYPES] = { 0 };

		for (unsigned long pfn = z->zone_start_pfn; pfn < zone_end_pfn(z);
		     pfn += pageblock_nr_pages) {
			if (!pfn_valid(pfn) || page_zonenum(pfn_to_page(pfn)) != zone_idx(z))
				continue;
			count[get_pageblock_migratetype(pfn_to_page(pfn))]++;
		}
		seq_printf(m, "Node %d, zone %8s ", z->zone_pgdat->node_id, z->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			seq_printf(m, "%12lu ", count[mt]);
		seq_putc(m, '\n');
	}
}

void pagetypeinfo_show(struct seq_file *m)
{
	seq_printf(m, "Page block order: %d\n", pageblock_order);
	seq_printf(m, "Pages per block:  %lu\n", pageblock_nr_pages);
	seq_putc(m, '\n');
	pagetypeinfo_showfree(m);
	pagetypeinfo_showblockcount(m);
}

struct contig_page_info {
	unsigned long free_pages;           /* all free pages */
	unsigned long free_blocks_total;    /* free blocks of any order */
	unsigned long free_blocks_suitable; /* order-@suitable_order pieces they could give */
};

static void fill_contig_page_info(const struct zone *zone, unsigned int suitable_order,
				  struct contig_page_info *info)
{
	*info = (struct contig_page_info){ 0 };
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long blocks = zone->free_area[o].nr_free;

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= suitable_order)
			info->free_blocks_suitable += blocks << (o - suitable_order);
	}
}

/*
 * Linux's __fragmentation_index, in thousandths.  Meaningful only when the request
 * would fail (no suitable block): then
 *
 *   index = 1 - (1 + free_pages / requested) / free_blocks_total
 *
 * Many small free blocks (free_blocks_total large) push it towards 1: fragmentation.
 * Few blocks holding little memory push it towards 0: there is simply not enough.
 */
static int __fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info->free_pages * 1000 / requested) / info->free_blocks_total);
}

int fragmentation_index(struct zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	return __fragmentation_index(order, &info);
}

void extfrag_show(struct seq_file *m)
{
	struct zone *z;

	for_each_populated_zone(z) {
		seq_printf(m, "Node %d, zone %8s ", z->zone_pgdat->node_id, z->name);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			int index = fragmentation_index(z, o);

			/* -1000 prints as -1.000, as Linux's "%2d.%03d" of index/1000, index%1000 */
			seq_printf(m, "%2d.%03d ", index / 1000, (index < 0 ? -index : index) % 1000);
		}
		seq_putc(m, '\n');
	}
}

static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGALLOC_DMA] = "pgalloc_dma",       [PGALLOC_DMA32] = "pgalloc_dma32",
	[PGALLOC_NORMAL] = "pgalloc_normal", [PGALLOC_HIGH] = "pgalloc_high",
	[PGALLOC_MOVABLE] = "pgalloc_movable", [PGFREE] = "pgfree",
};

void vmstat_show(struct seq_file *m)
{
	seq_printf(m, "nr_free_pages %lu\n", global_zone_page_state(NR_FREE_PAGES));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		/* Linux has pgalloc_high only with CONFIG_HIGHMEM: here, in the 32-bit layout. */
		if (i == PGALLOC_HIGH && zone_layout != ZONES_X86_32)
			continue;
		seq_printf(m, "%s %lu\n", vm_event_names[i], all_vm_events(i));
	}
}
