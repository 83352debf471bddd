// SPDX-License-Identifier: MIT
/*
 * /proc/zoneinfo, /proc/buddyinfo, /proc/pagetypeinfo, /proc/vmstat and debugfs's
 * extfrag_index, in Linux 6.18's layouts (zoneinfo's pagesets as since 6.7, five migrate
 * types in pagetypeinfo), for the shell commands of the same names and the host tests;
 * and the counters behind them.
 *
 * vmstat and zoneinfo's counter lines follow Linux 6.18: every item of its zone, node,
 * vm_stat and event lists that a kernel configured like pagelab has, in its order, with
 * the names its vmstat_text[] gives them.  Items pagelab cannot fill print 0
 * (docs/mm/vmstat.md says which and why).  Reading is safe at any time after
 * free_area_init(): nothing here changes allocator state.
 *
 * Counting on several CPUs (Linux 6.18's scheme):
 *
 *   mod_zone_page_state(zone, item, d)     this CPU's per_cpu_zonestat:
 *     x = vm_stat_diff[item] + d             interrupts off, no lock, no shared write
 *     |x| > stat_threshold?  fold x into zone->vm_stat[item], diff = 0
 *   refresh_cpu_vm_stats()                 periodically on each CPU: fold every diff
 *   zone_page_state()                      the folded value: cheap, may lag
 *   zone_page_state_snapshot()             plus every CPU's diff: exact if nobody moves
 *
 * Nodes the same (per_cpu_nodestat).  The threshold (calculate_normal_threshold()) grows
 * with the CPUs and the zone's size, since each CPU's diff can then be larger and still
 * small next to the counter; at most 125, as a diff is an s8.
 *
 * Where pagelab differs: NR_FREE_PAGES goes straight into the zone.  Every change to it
 * happens under zone->lock, so there is no contention to avoid, and an exact count keeps
 * the watermark checks - and every number the labs print - the same on any number of
 * CPUs.  Linux batches it too, and lives with the drift (percpu_drift_mark,
 * zone_watermark_ok_safe()).  The global counters are the sum over the zones and nodes
 * (Linux keeps vm_zone_stat[] and vm_node_stat[] besides, updated on each fold).
 *
 * Locking: none of its own.  Diffs are per CPU with interrupts off; folds are atomic
 * adds.  The views take zone->lock around reading a zone's free lists, as Linux's do.
 */
#include "lib/seq_file.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pageblock-flags.h"
#include "mm/vmstat.h"

struct vm_event_state vm_event_states[NR_CPUS];

/* memmap pages memblock gave vmemmap_populate(): Linux's nr_memmap_boot_pages. */
static unsigned long nr_memmap_boot_pages;

void memmap_boot_pages_add(long delta)
{
	nr_memmap_boot_pages += (unsigned long)delta;
}

/* Linux keeps the slab items in bytes; it prints them, and meminfo adds them, in pages. */
static bool vmstat_item_in_bytes(enum node_stat_item item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B;
}

unsigned long node_page_state_pages(const pg_data_t *pgdat, enum node_stat_item item)
{
	return node_page_state(pgdat, item); /* the _B items are kept in pages */
}

unsigned long global_node_page_state_pages(enum node_stat_item item)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		sum += node_page_state_pages(NODE_DATA(nid), item);
	return sum;
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		sum += node_page_state(NODE_DATA(nid), item);
	return sum;
}

/* The item's unit in the diffs and counters: Linux keeps the _B items in pages too. */
static long node_stat_delta(enum node_stat_item item, long delta)
{
	return vmstat_item_in_bytes(item) ? delta / (long)PAGE_SIZE : delta;
}

static void zone_page_state_add(long x, struct zone *zone, enum zone_stat_item item)
{
	__atomic_fetch_add(&zone->vm_stat[item], (unsigned long)x, __ATOMIC_RELAXED);
}

static void node_page_state_add(long x, pg_data_t *pgdat, enum node_stat_item item)
{
	__atomic_fetch_add(&pgdat->vm_stat[item], (unsigned long)x, __ATOMIC_RELAXED);
}

void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	struct per_cpu_zonestat *pzstats = &zone->per_cpu_zonestats[smp_processor_id()];
	long x = delta + pzstats->vm_stat_diff[item];

	if (x > pzstats->stat_threshold || x < -pzstats->stat_threshold) {
		zone_page_state_add(x, zone, item);
		x = 0;
	}
	pzstats->vm_stat_diff[item] = (s8)x;
}

void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	unsigned long flags = local_irq_save();

	__mod_zone_page_state(zone, item, delta);
	local_irq_restore(flags);
}

void __mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item, long delta)
{
	struct per_cpu_nodestat *pns = &pgdat->per_cpu_nodestats[smp_processor_id()];
	long x = node_stat_delta(item, delta) + pns->vm_node_stat_diff[item];

	if (x > pns->stat_threshold || x < -pns->stat_threshold) {
		node_page_state_add(x, pgdat, item);
		x = 0;
	}
	pns->vm_node_stat_diff[item] = (s8)x;
}

void mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item, long delta)
{
	unsigned long flags = local_irq_save();

	__mod_node_page_state(pgdat, item, delta);
	local_irq_restore(flags);
}

unsigned long zone_page_state_snapshot(const struct zone *zone, enum zone_stat_item item)
{
	long x = (long)__atomic_load_n(&zone->vm_stat[item], __ATOMIC_RELAXED);
	unsigned int cpu;

	for_each_online_cpu(cpu) /* racy reads of the other CPUs' diffs, as Linux's */
		x += __atomic_load_n(&zone->per_cpu_zonestats[cpu].vm_stat_diff[item], __ATOMIC_RELAXED);
	return x < 0 ? 0 : (unsigned long)x;
}

/* Fold @cpu's diffs into the counters; interrupts off, or @cpu is gone. */
static int fold_cpu_diffs(unsigned int cpu)
{
	int changes = 0;
	struct zone *zone;
	pg_data_t *pgdat = NODE_DATA(0);

	for_each_populated_zone(zone) {
		struct per_cpu_zonestat *pzstats = &zone->per_cpu_zonestats[cpu];

		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
			s8 v = __atomic_exchange_n(&pzstats->vm_stat_diff[i], 0, __ATOMIC_RELAXED);

			if (v) {
				zone_page_state_add(v, zone, i);
				changes++;
			}
		}
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		s8 v = __atomic_exchange_n(&pgdat->per_cpu_nodestats[cpu].vm_node_stat_diff[i], 0,
					   __ATOMIC_RELAXED);

		if (v) {
			node_page_state_add(v, pgdat, i);
			changes++;
		}
	}
	return changes;
}

int refresh_cpu_vm_stats(bool do_pagesets)
{
	unsigned long flags = local_irq_save();
	int changes = fold_cpu_diffs(smp_processor_id());

	(void)do_pagesets;
	local_irq_restore(flags);
	return changes;
}

static void refresh_vm_stats_fn(void *info)
{
	(void)info;
	refresh_cpu_vm_stats(true);
}

void refresh_vm_stats(void)
{
	if (irqs_disabled()) /* a cross-call could wait for a CPU waiting for us */
		refresh_cpu_vm_stats(true);
	else
		on_each_cpu(refresh_vm_stats_fn, NULL, 1);
}

void cpu_vm_stats_fold(unsigned int cpu)
{
	unsigned int self = smp_processor_id();

	fold_cpu_diffs(cpu);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) { /* Linux's vm_events_fold_cpu() */
		unsigned long v = __atomic_exchange_n(&vm_event_states[cpu].event[i], 0, __ATOMIC_RELAXED);

		__atomic_fetch_add(&vm_event_states[self].event[i], v, __ATOMIC_RELAXED);
	}
}

/* Linux's fls(): the 1-based index of the highest set bit, 0 for 0. */
static int fls_ul(unsigned long x)
{
	int n = 0;

	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

/*
 * The vm stats threshold zoneinfo shows (Linux 6.18's calculate_normal_threshold()):
 * more CPUs and a larger zone let each CPU's counters drift further, at most 125.
 * The CPUs are the online ones, so the threshold is recomputed as CPUs come up.
 */
static int calculate_normal_threshold(const struct zone *zone)
{
	unsigned long mem = zone->managed_pages >> (27 - PAGE_SHIFT); /* in 128 MiB */

	return MIN(2 * fls_ul(num_online_cpus()) * (1 + fls_ul(mem)), 125);
}

/*
 * As Linux: every online CPU gets each zone's threshold, and a node's threshold is the
 * largest of its zones'.  Each CPU's diffs are folded first, so none is left larger than
 * a smaller new threshold allows.
 */
void refresh_zone_stat_thresholds(void)
{
	pg_data_t *pgdat = NODE_DATA(0);
	struct zone *zone;
	unsigned int cpu;

	refresh_vm_stats();
	for_each_online_cpu(cpu)
		pgdat->per_cpu_nodestats[cpu].stat_threshold = 0;
	for_each_populated_zone(zone) {
		int threshold = calculate_normal_threshold(zone);

		for_each_online_cpu(cpu) {
			struct per_cpu_nodestat *pns = &pgdat->per_cpu_nodestats[cpu];

			__atomic_store_n(&zone->per_cpu_zonestats[cpu].stat_threshold, (s8)threshold,
					 __ATOMIC_RELAXED);
			if (threshold > pns->stat_threshold)
				__atomic_store_n(&pns->stat_threshold, (s8)threshold, __ATOMIC_RELAXED);
		}
	}
}

void vmstat_cpu_online(unsigned int cpu)
{
	(void)cpu;
	refresh_zone_stat_thresholds();
}

unsigned long all_vm_events(enum vm_event_item item)
{
	unsigned long sum = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		sum += __atomic_load_n(&vm_event_states[cpu].event[item], __ATOMIC_RELAXED);
	return sum;
}

/*
 * A zone counter's value.  NR_FREE_PAGES_BLOCKS is read off the free lists: Linux adds a
 * block's pages to it whenever the block enters a free list at pageblock_order or above
 * and takes them away when it leaves, so the free lists always hold exactly that number,
 * and pagelab's allocator (lab 5's code) need not keep a second count.
 */
static unsigned long zone_stat(const struct zone *z, enum zone_stat_item item)
{
	unsigned long pages = 0;

	if (item != NR_FREE_PAGES_BLOCKS)
		return zone_page_state(z, item);
	for (unsigned int o = pageblock_order; o < NR_PAGE_ORDERS; o++)
		pages += z->free_area[o].nr_free << o;
	return pages;
}

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	unsigned long sum = 0;
	const struct zone *z;

	for_each_zone(z)
		sum += zone_stat(z, item);
	return sum;
}

/* A view reads a zone's free lists under its lock; the views take const zones. */
static void zone_lock_irqsave(const struct zone *z, unsigned long *flags)
{
	spin_lock_irqsave((spinlock_t *)&z->lock, *flags);
}

static void zone_unlock_irqrestore(const struct zone *z, unsigned long flags)
{
	spin_unlock_irqrestore((spinlock_t *)&z->lock, flags);
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

/* Linux 6.18's vmstat_text[] names, each list in its enum's order (include/mm/mmzone.h). */
static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	[NR_FREE_PAGES] = "nr_free_pages",
	[NR_FREE_PAGES_BLOCKS] = "nr_free_pages_blocks",
	[NR_ZONE_INACTIVE_ANON] = "nr_zone_inactive_anon",
	[NR_ZONE_ACTIVE_ANON] = "nr_zone_active_anon",
	[NR_ZONE_INACTIVE_FILE] = "nr_zone_inactive_file",
	[NR_ZONE_ACTIVE_FILE] = "nr_zone_active_file",
	[NR_ZONE_UNEVICTABLE] = "nr_zone_unevictable",
	[NR_ZONE_WRITE_PENDING] = "nr_zone_write_pending",
	[NR_MLOCK] = "nr_mlock",
	[NR_ZSPAGES] = "nr_zspages",
	[NR_FREE_CMA_PAGES] = "nr_free_cma",
};

static const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_INACTIVE_ANON] = "nr_inactive_anon",
	[NR_ACTIVE_ANON] = "nr_active_anon",
	[NR_INACTIVE_FILE] = "nr_inactive_file",
	[NR_ACTIVE_FILE] = "nr_active_file",
	[NR_UNEVICTABLE] = "nr_unevictable",
	[NR_SLAB_RECLAIMABLE_B] = "nr_slab_reclaimable",
	[NR_SLAB_UNRECLAIMABLE_B] = "nr_slab_unreclaimable",
	[NR_ISOLATED_ANON] = "nr_isolated_anon",
	[NR_ISOLATED_FILE] = "nr_isolated_file",
	[WORKINGSET_NODES] = "workingset_nodes",
	[WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[WORKINGSET_RESTORE_ANON] = "workingset_restore_anon",
	[WORKINGSET_RESTORE_FILE] = "workingset_restore_file",
	[WORKINGSET_NODERECLAIM] = "workingset_nodereclaim",
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_FILE_MAPPED] = "nr_mapped",
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_SHMEM] = "nr_shmem",
	[NR_SHMEM_THPS] = "nr_shmem_hugepages",
	[NR_SHMEM_PMDMAPPED] = "nr_shmem_pmdmapped",
	[NR_FILE_THPS] = "nr_file_hugepages",
	[NR_FILE_PMDMAPPED] = "nr_file_pmdmapped",
	[NR_ANON_THPS] = "nr_anon_transparent_hugepages",
	[NR_VMSCAN_WRITE] = "nr_vmscan_write",
	[NR_VMSCAN_IMMEDIATE] = "nr_vmscan_immediate_reclaim",
	[NR_DIRTIED] = "nr_dirtied",
	[NR_WRITTEN] = "nr_written",
	[NR_THROTTLED_WRITTEN] = "nr_throttled_written",
	[NR_KERNEL_MISC_RECLAIMABLE] = "nr_kernel_misc_reclaimable",
	[NR_FOLL_PIN_ACQUIRED] = "nr_foll_pin_acquired",
	[NR_FOLL_PIN_RELEASED] = "nr_foll_pin_released",
	[NR_KERNEL_STACK_KB] = "nr_kernel_stack",
	[NR_PAGETABLE] = "nr_page_table_pages",
	[NR_SECONDARY_PAGETABLE] = "nr_sec_page_table_pages",
	[NR_IOMMU_PAGES] = "nr_iommu_pages",
	[NR_SWAPCACHE] = "nr_swapcached",
	[PGDEMOTE_KSWAPD] = "pgdemote_kswapd",
	[PGDEMOTE_DIRECT] = "pgdemote_direct",
	[PGDEMOTE_KHUGEPAGED] = "pgdemote_khugepaged",
	[PGDEMOTE_PROACTIVE] = "pgdemote_proactive",
	[NR_HUGETLB] = "nr_hugetlb",
	[NR_BALLOON_PAGES] = "nr_balloon_pages",
	[NR_KERNEL_FILE_PAGES] = "nr_kernel_file_pages",
};

static const char *const vm_stat_names[NR_VM_STAT_ITEMS] = {
	[NR_DIRTY_THRESHOLD] = "nr_dirty_threshold",
	[NR_DIRTY_BG_THRESHOLD] = "nr_dirty_background_threshold",
	[NR_MEMMAP_PAGES] = "nr_memmap_pages",
	[NR_MEMMAP_BOOT_PAGES] = "nr_memmap_boot_pages",
};

/* Linux's THP counters count pages but print huge pages (vmstat_item_print_in_thp). */
static bool vmstat_item_print_in_thp(enum node_stat_item item)
{
	return item == NR_ANON_THPS || item == NR_FILE_THPS || item == NR_SHMEM_THPS ||
	       item == NR_SHMEM_PMDMAPPED || item == NR_FILE_PMDMAPPED;
}

/* A node counter as vmstat and zoneinfo print it. */
static unsigned long node_stat_printed(const pg_data_t *pgdat, enum node_stat_item item)
{
	unsigned long v = node_page_state_pages(pgdat, item);

	return vmstat_item_print_in_thp(item) ? v / HPAGE_PMD_NR : v;
}

/* Linux prints a node's counters once, under its first populated zone. */
static bool is_zone_first_populated(const struct zone *z)
{
	const struct zone *first;

	for (first = z->zone_pgdat->node_zones; first < z; first++)
		if (populated_zone(first))
			return false;
	return populated_zone(z);
}

static void zoneinfo_show_node_stats(struct seq_file *m, const struct zone *z)
{
	if (!is_zone_first_populated(z))
		return;
	seq_puts(m, "\n  per-node stats");
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", node_stat_names[i], node_stat_printed(z->zone_pgdat, i));
}

/* The zone's counters, after its protection line; Linux 6.18 has no numa_* without NUMA. */
static void zoneinfo_show_zone_stats(struct seq_file *m, const struct zone *z)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", zone_stat_names[i], zone_stat(z, i));
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
		seq_printf(m, "\n  vm stats threshold: %d", z->per_cpu_zonestats[cpu].stat_threshold);
	}
	seq_printf(m, "\n  node_unreclaimable:  %u"
		      "\n  start_pfn:           %lu\n",
		   0u, z->zone_start_pfn);
}

static void zoneinfo_show_print(struct seq_file *m, const struct zone *z)
{
	seq_printf(m, "Node %d, zone %8s", z->zone_pgdat->node_id, z->name);
	zoneinfo_show_node_stats(m, z);
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
	zoneinfo_show_zone_stats(m, z);
	zoneinfo_show_pagesets(m, z);
}

void zoneinfo_show(struct seq_file *m)
{
	const struct zone *z;

	refresh_vm_stats();
	for_each_zone(z)
		if (zone_shown(z))
			zoneinfo_show_print(m, z);
}

void buddyinfo_show(struct seq_file *m)
{
	const struct zone *z;

	for_each_populated_zone(z) {
		unsigned long nr_free[NR_PAGE_ORDERS], flags;

		zone_lock_irqsave(z, &flags); /* one zone's orders at one moment, as Linux */
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			nr_free[o] = z->free_area[o].nr_free;
		zone_unlock_irqrestore(z, flags);
		seq_printf(m, "Node %d, zone %8s ", z->zone_pgdat->node_id, z->name);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			seq_printf(m, "%6lu ", nr_free[o]);
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
				unsigned long n = 0, flags;
				bool overflow = false;

				zone_lock_irqsave(z, &flags);
				list_for_each(pos, &z->free_area[o].free_list[mt]) {
					/* Linux stops counting here: the zone lock is held */
					if (++n >= PAGETYPEINFO_MAX_COUNT) {
						overflow = true;
						break;
					}
				}
				zone_unlock_irqrestore(z, flags);
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

#define ZONE_EVENT_NAMES(item, name)                                                       \
	[item##_DMA] = name "_dma", [item##_DMA32] = name "_dma32",                         \
	[item##_NORMAL] = name "_normal", [item##_HIGH] = name "_high",                     \
	[item##_MOVABLE] = name "_movable"

static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGPGIN] = "pgpgin", [PGPGOUT] = "pgpgout", [PSWPIN] = "pswpin", [PSWPOUT] = "pswpout",
	ZONE_EVENT_NAMES(PGALLOC, "pgalloc"),
	ZONE_EVENT_NAMES(ALLOCSTALL, "allocstall"),
	ZONE_EVENT_NAMES(PGSCAN_SKIP, "pgskip"),
	[PGFREE] = "pgfree", [PGACTIVATE] = "pgactivate", [PGDEACTIVATE] = "pgdeactivate",
	[PGLAZYFREE] = "pglazyfree",
	[PGFAULT] = "pgfault", [PGMAJFAULT] = "pgmajfault", [PGLAZYFREED] = "pglazyfreed",
	[PGREFILL] = "pgrefill", [PGREUSE] = "pgreuse",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd", [PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSTEAL_KHUGEPAGED] = "pgsteal_khugepaged", [PGSTEAL_PROACTIVE] = "pgsteal_proactive",
	[PGSCAN_KSWAPD] = "pgscan_kswapd", [PGSCAN_DIRECT] = "pgscan_direct",
	[PGSCAN_KHUGEPAGED] = "pgscan_khugepaged", [PGSCAN_PROACTIVE] = "pgscan_proactive",
	[PGSCAN_DIRECT_THROTTLE] = "pgscan_direct_throttle",
	[PGSCAN_ANON] = "pgscan_anon", [PGSCAN_FILE] = "pgscan_file",
	[PGSTEAL_ANON] = "pgsteal_anon", [PGSTEAL_FILE] = "pgsteal_file",
	[PGINODESTEAL] = "pginodesteal", [SLABS_SCANNED] = "slabs_scanned",
	[KSWAPD_INODESTEAL] = "kswapd_inodesteal",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[PAGEOUTRUN] = "pageoutrun", [PGROTATED] = "pgrotated",
	[DROP_PAGECACHE] = "drop_pagecache", [DROP_SLAB] = "drop_slab", [OOM_KILL] = "oom_kill",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success", [PGMIGRATE_FAIL] = "pgmigrate_fail",
	[THP_MIGRATION_SUCCESS] = "thp_migration_success",
	[THP_MIGRATION_FAIL] = "thp_migration_fail",
	[THP_MIGRATION_SPLIT] = "thp_migration_split",
	[COMPACTMIGRATE_SCANNED] = "compact_migrate_scanned",
	[COMPACTFREE_SCANNED] = "compact_free_scanned", [COMPACTISOLATED] = "compact_isolated",
	[COMPACTSTALL] = "compact_stall", [COMPACTFAIL] = "compact_fail",
	[COMPACTSUCCESS] = "compact_success", [KCOMPACTD_WAKE] = "compact_daemon_wake",
	[KCOMPACTD_MIGRATE_SCANNED] = "compact_daemon_migrate_scanned",
	[KCOMPACTD_FREE_SCANNED] = "compact_daemon_free_scanned",
	[HTLB_BUDDY_PGALLOC] = "htlb_buddy_alloc_success",
	[HTLB_BUDDY_PGALLOC_FAIL] = "htlb_buddy_alloc_fail",
	[UNEVICTABLE_PGCULLED] = "unevictable_pgs_culled",
	[UNEVICTABLE_PGSCANNED] = "unevictable_pgs_scanned",
	[UNEVICTABLE_PGRESCUED] = "unevictable_pgs_rescued",
	[UNEVICTABLE_PGMLOCKED] = "unevictable_pgs_mlocked",
	[UNEVICTABLE_PGMUNLOCKED] = "unevictable_pgs_munlocked",
	[UNEVICTABLE_PGCLEARED] = "unevictable_pgs_cleared",
	[UNEVICTABLE_PGSTRANDED] = "unevictable_pgs_stranded",
	[THP_FAULT_ALLOC] = "thp_fault_alloc", [THP_FAULT_FALLBACK] = "thp_fault_fallback",
	[THP_FAULT_FALLBACK_CHARGE] = "thp_fault_fallback_charge",
	[THP_COLLAPSE_ALLOC] = "thp_collapse_alloc",
	[THP_COLLAPSE_ALLOC_FAILED] = "thp_collapse_alloc_failed",
	[THP_FILE_ALLOC] = "thp_file_alloc", [THP_FILE_FALLBACK] = "thp_file_fallback",
	[THP_FILE_FALLBACK_CHARGE] = "thp_file_fallback_charge",
	[THP_FILE_MAPPED] = "thp_file_mapped", [THP_SPLIT_PAGE] = "thp_split_page",
	[THP_SPLIT_PAGE_FAILED] = "thp_split_page_failed",
	[THP_DEFERRED_SPLIT_PAGE] = "thp_deferred_split_page",
	[THP_UNDERUSED_SPLIT_PAGE] = "thp_underused_split_page",
	[THP_SPLIT_PMD] = "thp_split_pmd",
	[THP_SCAN_EXCEED_NONE_PTE] = "thp_scan_exceed_none_pte",
	[THP_SCAN_EXCEED_SWAP_PTE] = "thp_scan_exceed_swap_pte",
	[THP_SCAN_EXCEED_SHARED_PTE] = "thp_scan_exceed_share_pte",
	[THP_SPLIT_PUD] = "thp_split_pud",
	[THP_ZERO_PAGE_ALLOC] = "thp_zero_page_alloc",
	[THP_ZERO_PAGE_ALLOC_FAILED] = "thp_zero_page_alloc_failed",
	[THP_SWPOUT] = "thp_swpout", [THP_SWPOUT_FALLBACK] = "thp_swpout_fallback",
	[BALLOON_INFLATE] = "balloon_inflate", [BALLOON_DEFLATE] = "balloon_deflate",
	[BALLOON_MIGRATE] = "balloon_migrate",
	[SWAP_RA] = "swap_ra", [SWAP_RA_HIT] = "swap_ra_hit",
	[SWPIN_ZERO] = "swpin_zero", [SWPOUT_ZERO] = "swpout_zero",
	[KSM_SWPIN_COPY] = "ksm_swpin_copy", [COW_KSM] = "cow_ksm",
	[ZSWPIN] = "zswpin", [ZSWPOUT] = "zswpout", [ZSWPWB] = "zswpwb",
	[DIRECT_MAP_LEVEL2_SPLIT] = "direct_map_level2_splits",
	[DIRECT_MAP_LEVEL3_SPLIT] = "direct_map_level3_splits",
	[DIRECT_MAP_LEVEL2_COLLAPSE] = "direct_map_level2_collapses",
	[DIRECT_MAP_LEVEL3_COLLAPSE] = "direct_map_level3_collapses",
};
#undef ZONE_EVENT_NAMES

/*
 * Whether a per-zone item exists in this layout: Linux has the *_high items only with
 * CONFIG_HIGHMEM (here: the 32-bit layout), the *_dma32 ones only with ZONE_DMA32 (not
 * on i386).
 */
static bool zone_event_shown(int item)
{
	static const int bases[] = { PGALLOC_DMA, ALLOCSTALL_DMA, PGSCAN_SKIP_DMA };

	for (unsigned int b = 0; b < ARRAY_SIZE(bases); b++) {
		if (item == bases[b] + ZONE_HIGHMEM)
			return zone_layout == ZONES_X86_32;
		if (item == bases[b] + ZONE_DMA32)
			return zone_layout != ZONES_X86_32;
	}
	return true;
}

/*
 * The system-wide values.  pagelab has no page cache, so nothing is ever dirty and there
 * is no writeback to limit: both thresholds are 0.  No memory is hot-added, so no memmap
 * comes from the buddy allocator; the boot's comes from memblock.
 */
static unsigned long vm_stat_value(enum vm_stat_item item)
{
	return item == NR_MEMMAP_BOOT_PAGES ? nr_memmap_boot_pages : 0;
}

void vmstat_show(struct seq_file *m)
{
	refresh_vm_stats();
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", zone_stat_names[i], global_zone_page_state(i));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", node_stat_names[i], node_stat_printed(NODE_DATA(0), i));
	for (int i = 0; i < NR_VM_STAT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", vm_stat_names[i], vm_stat_value(i));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (zone_event_shown(i))
			seq_printf(m, "%s %lu\n", vm_event_names[i], all_vm_events(i));
	/* Linux 6.18 still ends with a counter it removed, so old parsers find it. */
	seq_puts(m, "nr_unstable 0\n");
}
