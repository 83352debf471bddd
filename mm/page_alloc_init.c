// SPDX-License-Identifier: MIT
/*
 * Setting up the page allocator: zonelists, per-cpu list sizes, min_free_kbytes, the
 * watermarks and lowmem_reserve.  The numbers are Linux 6.x's formulas
 * (mm/page_alloc.c), computed from the zones' managed pages; the runtime that uses
 * them is mm/page_alloc.c.  (The watermarks are lab 6's exercise 2: work them out from
 * zoneinfo, docs/labs/06-pcp-watermarks-fragmentation.md.)
 *
 * Runs at boot from mm_core_init() (order in include/mm/page_alloc.h); the set-up
 * functions may run again (tests, a future sysctl) and recompute everything.
 *
 * Locking: a CPU's per-cpu high and batch change under its pcp->lock (mm/page_alloc.c
 * has the order), as CPUs come and go (page_alloc_cpu_online/dead) while others
 * allocate.  The watermarks change under every zone's zone->lock, taken around lab 6's
 * __setup_per_zone_wmarks() (Linux takes each inside it); readers (the watermark
 * checks) read them without a lock, as Linux's do: each is one word.  lowmem_reserve
 * is written without a lock, as in Linux.
 */
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/pageblock-flags.h"
#include "mm/vmstat.h"

int min_free_kbytes = 1024;
int watermark_scale_factor = 10;
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32, [ZONE_HIGHMEM] = 0,
	[ZONE_MOVABLE] = 0,
};
unsigned long totalreserve_pages;
int page_group_by_mobility_disabled;

#define SWAP_CLUSTER_MAX 32UL

/* Before setup_per_cpu_pageset(): high 0 and batch 1, so every free drains at once. */
#define BOOT_PAGESET_HIGH 0
#define BOOT_PAGESET_BATCH 1

void zone_pcp_init(struct zone *zone)
{
	unsigned int cpu;

	/*
	 * Every slot, not only the possible CPUs': the array is there anyway, and a CPU
	 * the bring-up code (or a host test) adds later finds its lists ready.
	 */
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		memset(pcp, 0, sizeof(*pcp));
		spin_lock_init(&pcp->lock);
		for (int i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&pcp->lists[i]);
		pcp->high = BOOT_PAGESET_HIGH;
		pcp->high_min = BOOT_PAGESET_HIGH;
		pcp->high_max = BOOT_PAGESET_HIGH;
		pcp->batch = BOOT_PAGESET_BATCH;
	}
}

/*
 * Pages zones up to @highest_zoneidx could give without dipping below their high
 * watermark (Linux's nr_free_zone_pages).  Before memblock_free_all() no zone has
 * managed pages yet, so the boot message counts present pages instead (Linux uses an
 * estimate: present minus its memmap).
 */
static unsigned long nr_free_zone_pages(int highest_zoneidx, bool present)
{
	unsigned long sum = 0;
	struct zoneref *z;
	struct zone *zone;

	for_each_zone_zonelist(zone, z, node_zonelist(0), highest_zoneidx) {
		unsigned long size = present ? zone->present_pages : zone->managed_pages;

		if (size > high_wmark_pages(zone))
			sum += size - high_wmark_pages(zone);
	}
	return sum;
}

/* Fill @pgdat's zonelist from its populated zones, highest zone first. */
static void build_zonelists(pg_data_t *pgdat)
{
	struct zoneref *z = pgdat->node_zonelists[0]._zonerefs;

	for (int i = MAX_NR_ZONES - 1; i >= 0; i--) {
		if (!populated_zone(&pgdat->node_zones[i]))
			continue;
		z->zone = &pgdat->node_zones[i];
		z->zone_idx = i;
		z++;
	}
	z->zone = NULL;
	z->zone_idx = 0;
}

/*
 * The zonelist, then whether grouping by mobility pays: it does only when there are a
 * few pageblocks per migrate type to group into.
 */
void build_all_zonelists(pg_data_t *pgdat)
{
	unsigned long vm_total_pages;

	(void)pgdat; /* one node: build them all */
	build_zonelists(NODE_DATA(0));
	vm_total_pages = nr_free_zone_pages(gfp_zone(GFP_HIGHUSER_MOVABLE), true);
	page_group_by_mobility_disabled = vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES;
	pr_info("Built 1 zonelists, mobility grouping %s.  Total pages: %lu\n",
		page_group_by_mobility_disabled ? "off" : "on", vm_total_pages);
}

/* page_poison=: what the command line asked for, and in which words (for the log line). */
static bool page_poisoning_requested;
static char page_poison_option[16];

int early_page_poison_param(const char *val)
{
	int ret = kstrtobool(val, &page_poisoning_requested);

	if (!ret)
		strscpy(page_poison_option, val, sizeof(page_poison_option));
	return ret;
}

/*
 * page_poison=1 (or on, y, ...) fills freed pages with 0xaa and checks the pattern when
 * they are handed out again; like Linux, it also switches on the checks of every page of
 * a block (check_pages_enabled).
 */
void mem_debugging_and_hardening_init(void)
{
	if (!page_poisoning_requested)
		return;
	page_poisoning_enabled = true;
	check_pages_enabled = true;
	pr_info("mem auto-init: page poisoning on (page_poison=%s)\n", page_poison_option);
}

/*
 * Per-cpu batch: about a quarter of a thousandth of the zone, at most 64 pages, made
 * one less than a power of two ("2^n - 1" batches make successive refills land on
 * different cache colours, Linux explains).
 */
static int zone_batchsize(const struct zone *zone)
{
	unsigned long batch = MIN(zone->managed_pages >> 10, SZ_1M / PAGE_SIZE) / 4;
	unsigned long p = 1;

	if (batch < 1)
		batch = 1;
	while (p * 2 <= batch + batch / 2) /* rounddown_pow_of_two(batch * 3/2) */
		p *= 2;
	return (int)p - 1;
}

/* Linux 6.18's MIN_PERCPU_PAGELIST_HIGH_FRACTION: a CPU may hold at most 1/8 of a zone. */
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

/*
 * Per-cpu high (Linux 6.18's zone_highsize()): @total_pages shared among the node's CPUs,
 * at least four batches.  high_min shares the low watermark, so full per-cpu lists do
 * not start kswapd early; high_max shares an eighth of the zone, the most Linux lets a
 * CPU that frees much keep.  The node's CPUs are the online ones (pagelab has one node),
 * plus @cpu_online while a CPU coming up is not in the online mask yet, as in Linux.
 */
static int zone_highsize(unsigned long total_pages, int batch, int cpu_online)
{
	unsigned int nr_split_cpus = num_online_cpus() + (unsigned int)cpu_online;
	int high = (int)(total_pages / (nr_split_cpus ? nr_split_cpus : 1));

	return MAX(high, batch << 2);
}

/*
 * Linux 6.7+ moves pcp->high between high_min and high_max as a CPU frees and
 * allocates (nr_pcp_high(), decay_pcp_high()), starting from 0 until the CPU's first
 * free to the list.  pagelab sets high to high_min here and keeps it there.
 */
static void zone_set_pageset_high_and_batch(struct zone *zone, int cpu_online)
{
	int batch = MAX(1, zone_batchsize(zone));
	int high_min = zone_highsize(low_wmark_pages(zone), batch, cpu_online);
	int high_max = zone_highsize(zone->managed_pages / MIN_PERCPU_PAGELIST_HIGH_FRACTION, batch,
				     cpu_online);
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) { /* every slot, as zone_pcp_init() */
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		/* Under the list's lock: its CPU may be freeing onto it right now. */
		spin_lock(&pcp->lock);
		pcp->batch = batch;
		pcp->high_min = high_min;
		pcp->high_max = high_max;
		pcp->high = high_min;
		spin_unlock(&pcp->lock);
	}
}

void setup_per_cpu_pageset(void)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		zone_set_pageset_high_and_batch(zone, 0);
	refresh_zone_stat_thresholds();
}

void page_alloc_cpu_online(unsigned int cpu)
{
	struct zone *zone;

	(void)cpu;
	for_each_populated_zone(zone)
		zone_set_pageset_high_and_batch(zone, 1); /* @cpu is not in the online mask yet */
}

void page_alloc_cpu_dead(unsigned int cpu)
{
	struct zone *zone;

	drain_pages(cpu);
	cpu_vm_stats_fold(cpu);
	for_each_populated_zone(zone)
		zone_set_pageset_high_and_batch(zone, 0);
	refresh_zone_stat_thresholds();
}

/*
 * totalreserve_pages: what each zone keeps back in any case, its high watermark plus
 * its largest lowmem_reserve; MemAvailable subtracts it from the free pages.
 */
static void calculate_totalreserve_pages(void)
{
	unsigned long reserve = 0;
	struct zone *zone;

	for_each_zone(zone) {
		long max = 0;

		for (int j = zone_idx(zone); j < MAX_NR_ZONES; j++)
			max = MAX(max, zone->lowmem_reserve[j]);
		max += high_wmark_pages(zone);
		reserve += MIN((unsigned long)max, zone->managed_pages);
	}
	totalreserve_pages = reserve;
}

/*
 * lowmem_reserve[j] of zone i < j: the managed pages of zones i+1 .. j, divided by
 * zone i's ratio.  A GFP_KERNEL request that falls back from DMA32 to DMA must leave
 * that many pages more in DMA than a GFP_DMA request would.
 *
 *   ratio 256, DMA32 has 125394 managed:  DMA protection: (0, 489, 489, 489, 489)
 */
void setup_per_zone_lowmem_reserve(void)
{
	pg_data_t *pgdat = NODE_DATA(0);

	for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		int ratio = sysctl_lowmem_reserve_ratio[i];
		bool clear = !ratio || !managed_zone(zone);
		unsigned long managed = 0;

		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			managed += pgdat->node_zones[j].managed_pages;
			zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / ratio);
		}
	}
	calculate_totalreserve_pages();
}

/*
 * Linux's __setup_per_zone_wmarks(): every zone's min, low, high and promo marks from
 * min_free_kbytes and watermark_scale_factor, and MemAvailable's totals after them.  The
 * lowmem zones share min_free_kbytes by size; HighMem and Movable keep only a token min,
 * since the kernel cannot use their pages for itself.  The gaps between the marks grow
 * with the zone, so that on a large machine kswapd's window is not a sliver.  With no
 * lowmem at all there is nothing to share: every share is 0 (Linux divides without a
 * test, as it cannot boot without lowmem).
 */
static void __setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone)
		if (!is_highmem_idx(zone_idx(zone)))
			lowmem_pages += zone->managed_pages;

	for_each_zone(zone) {
		unsigned long tmp = lowmem_pages ? pages_min * zone->managed_pages / lowmem_pages : 0;

		if (is_highmem_idx(zone_idx(zone))) {
			unsigned long min_pages = zone->managed_pages / 1024;

			zone->_watermark[WMARK_MIN] = MIN(MAX(min_pages, SWAP_CLUSTER_MAX), 128UL);
		} else {
			zone->_watermark[WMARK_MIN] = tmp;
		}
		tmp = MAX(tmp >> 2, zone->managed_pages * watermark_scale_factor / 10000);
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + tmp;
	}
	calculate_totalreserve_pages();
}

void setup_per_zone_wmarks(void)
{
	static DEFINE_SPINLOCK(lock); /* one recomputation at a time, as Linux's */
	unsigned long flags;
	struct zone *zone;

	/*
	 * Linux takes each zone's lock inside __setup_per_zone_wmarks(), around that zone's
	 * update; that is lab 6's function, so pagelab takes them all here, in zone order
	 * (nothing else holds two zone locks at once).
	 */
	spin_lock(&lock);
	flags = local_irq_save();
	for_each_zone(zone)
		spin_lock(&zone->lock);
	__setup_per_zone_wmarks();
	for_each_zone(zone)
		spin_unlock(&zone->lock);
	local_irq_restore(flags);
	spin_unlock(&lock);
	setup_per_cpu_pageset(); /* per-cpu high follows the low watermark */
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	for (unsigned long bit = 1UL << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/*
 * min_free_kbytes grows with the square root of memory: 16 MiB of RAM -> 512 KiB,
 * 512 MiB -> 2.8 MiB, 16 GiB -> 16 MiB; clamped to 128 KiB .. 256 MiB.
 */
static void calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes = nr_free_zone_pages(ZONE_NORMAL, false) * (PAGE_SIZE >> 10);
	unsigned long kb = int_sqrt(lowmem_kbytes * 16);

	min_free_kbytes = (int)clamp(kb, 128UL, 262144UL);
}

void init_per_zone_wmark_min(void)
{
	calculate_min_free_kbytes();
	setup_per_zone_wmarks();
	setup_per_zone_lowmem_reserve();
}
