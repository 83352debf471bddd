/* SPDX-License-Identifier: MIT */
/*
 * Memory statistics and the /proc files that print them (mm/vmstat.c, mm/show_mem.c),
 * for the shell and the host tests.
 *
 * Three kinds of numbers, as in Linux:
 *   zone counters (zone->vm_stat, include/mm/mmzone.h): a state, e.g. NR_FREE_PAGES
 *   node counters (pgdat->vm_stat, include/mm/mmzone.h): a state, e.g. NR_PAGETABLE
 *   events (vm_event_states, per CPU): how often something happened, e.g. pgalloc_dma32
 * plus four system-wide values (enum vm_stat_item) computed when /proc/vmstat is read.
 *
 * Several CPUs, as Linux: a zone or node counter is changed in the changing CPU's diff
 * (per_cpu_zonestat, per_cpu_nodestat) and folded into the shared counter when the diff
 * passes the CPU's stat_threshold, or by refresh_cpu_vm_stats().  So zone_page_state()
 * may be off by up to threshold x CPUs; zone_page_state_snapshot() adds the diffs.  The
 * /proc views fold every CPU first (refresh_vm_stats()), so they print exact values.
 * NR_FREE_PAGES is exact always (it changes under zone->lock only; mm/vmstat.c says why).
 * Events are counted per CPU and summed over the CPUs where read.
 *
 * /proc/vmstat, zoneinfo and meminfo print every key Linux 6.18 prints for a
 * configuration like pagelab's, in 6.18's order; a key for something pagelab does not
 * have (swap, the page cache, reclaim, THP, ...) prints 0, as Linux prints 0 for a
 * feature that is built in but unused.  docs/mm/vmstat.md has the table: every key,
 * where pagelab's value comes from, or why it is 0, and which CONFIG_ options decide
 * whether a key appears at all.
 */
#ifndef PAGELAB_MM_VMSTAT_H
#define PAGELAB_MM_VMSTAT_H

#include "kernel/smp.h"
#include "mm/mmzone.h"

struct seq_file;
struct page;

/* A PMD-sized huge page, 2 MiB on x86-64: THP's size and hugetlb's default (Hugepagesize). */
#define HPAGE_PMD_SHIFT 21
#define HPAGE_PMD_NR (1UL << (HPAGE_PMD_SHIFT - PAGE_SHIFT))

/* System-wide values, Linux 6.18's enum vm_stat_item: computed, not counted. */
enum vm_stat_item {
	NR_DIRTY_THRESHOLD,
	NR_DIRTY_BG_THRESHOLD,
	NR_MEMMAP_PAGES,      /* memmap pages from the buddy allocator (memory hotplug) */
	NR_MEMMAP_BOOT_PAGES, /* memmap pages from memblock, at boot */
	NR_VM_STAT_ITEMS,
};

/*
 * Events, Linux 6.18's enum vm_event_item in its order, for pagelab's configuration
 * (docs/mm/vmstat.md): no CONFIG_NUMA, so no zone_reclaim_* and no NUMA-balancing
 * events; no CONFIG_ZONE_DEVICE, so no *_device; no CONFIG_CMA.  The *_HIGH items exist
 * here always and are printed only in the 32-bit layout (CONFIG_HIGHMEM's), the *_DMA32
 * ones only outside it (an i386 kernel has no ZONE_DMA32).
 */
#define ZONE_EVENTS(x) x##_DMA, x##_DMA32, x##_NORMAL, x##_HIGH, x##_MOVABLE
enum vm_event_item {
	PGPGIN, PGPGOUT, PSWPIN, PSWPOUT,
	ZONE_EVENTS(PGALLOC), ZONE_EVENTS(ALLOCSTALL), ZONE_EVENTS(PGSCAN_SKIP),
	PGFREE, PGACTIVATE, PGDEACTIVATE, PGLAZYFREE,
	PGFAULT, PGMAJFAULT, PGLAZYFREED,
	PGREFILL, PGREUSE,
	PGSTEAL_KSWAPD, PGSTEAL_DIRECT, PGSTEAL_KHUGEPAGED, PGSTEAL_PROACTIVE,
	PGSCAN_KSWAPD, PGSCAN_DIRECT, PGSCAN_KHUGEPAGED, PGSCAN_PROACTIVE,
	PGSCAN_DIRECT_THROTTLE, PGSCAN_ANON, PGSCAN_FILE, PGSTEAL_ANON, PGSTEAL_FILE,
	PGINODESTEAL, SLABS_SCANNED, KSWAPD_INODESTEAL,
	KSWAPD_LOW_WMARK_HIT_QUICKLY, KSWAPD_HIGH_WMARK_HIT_QUICKLY, PAGEOUTRUN,
	PGROTATED,
	DROP_PAGECACHE, DROP_SLAB, OOM_KILL,
	/* CONFIG_MIGRATION */
	PGMIGRATE_SUCCESS, PGMIGRATE_FAIL,
	THP_MIGRATION_SUCCESS, THP_MIGRATION_FAIL, THP_MIGRATION_SPLIT,
	/* CONFIG_COMPACTION */
	COMPACTMIGRATE_SCANNED, COMPACTFREE_SCANNED, COMPACTISOLATED,
	COMPACTSTALL, COMPACTFAIL, COMPACTSUCCESS,
	KCOMPACTD_WAKE, KCOMPACTD_MIGRATE_SCANNED, KCOMPACTD_FREE_SCANNED,
	/* CONFIG_HUGETLB_PAGE */
	HTLB_BUDDY_PGALLOC, HTLB_BUDDY_PGALLOC_FAIL,
	UNEVICTABLE_PGCULLED, UNEVICTABLE_PGSCANNED, UNEVICTABLE_PGRESCUED,
	UNEVICTABLE_PGMLOCKED, UNEVICTABLE_PGMUNLOCKED, UNEVICTABLE_PGCLEARED,
	UNEVICTABLE_PGSTRANDED,
	/* CONFIG_TRANSPARENT_HUGEPAGE (thp_split_pud: x86-64's PUD-sized THP) */
	THP_FAULT_ALLOC, THP_FAULT_FALLBACK, THP_FAULT_FALLBACK_CHARGE,
	THP_COLLAPSE_ALLOC, THP_COLLAPSE_ALLOC_FAILED,
	THP_FILE_ALLOC, THP_FILE_FALLBACK, THP_FILE_FALLBACK_CHARGE, THP_FILE_MAPPED,
	THP_SPLIT_PAGE, THP_SPLIT_PAGE_FAILED, THP_DEFERRED_SPLIT_PAGE,
	THP_UNDERUSED_SPLIT_PAGE, THP_SPLIT_PMD,
	THP_SCAN_EXCEED_NONE_PTE, THP_SCAN_EXCEED_SWAP_PTE, THP_SCAN_EXCEED_SHARED_PTE,
	THP_SPLIT_PUD,
	THP_ZERO_PAGE_ALLOC, THP_ZERO_PAGE_ALLOC_FAILED, THP_SWPOUT, THP_SWPOUT_FALLBACK,
	/* CONFIG_MEMORY_BALLOON, CONFIG_BALLOON_COMPACTION */
	BALLOON_INFLATE, BALLOON_DEFLATE, BALLOON_MIGRATE,
	/* CONFIG_SWAP (ksm_swpin_copy: and CONFIG_KSM) */
	SWAP_RA, SWAP_RA_HIT, SWPIN_ZERO, SWPOUT_ZERO, KSM_SWPIN_COPY,
	COW_KSM, /* CONFIG_KSM */
	ZSWPIN, ZSWPOUT, ZSWPWB, /* CONFIG_ZSWAP */
	/* CONFIG_X86: the direct map's large pages split into smaller ones, and back */
	DIRECT_MAP_LEVEL2_SPLIT, DIRECT_MAP_LEVEL3_SPLIT,
	DIRECT_MAP_LEVEL2_COLLAPSE, DIRECT_MAP_LEVEL3_COLLAPSE,
	NR_VM_EVENT_ITEMS,
};
#undef ZONE_EVENTS
_Static_assert(PGALLOC_DMA + ZONE_MOVABLE == PGALLOC_MOVABLE, "PGALLOC_* follow the zones");
_Static_assert(ALLOCSTALL_DMA + ZONE_MOVABLE == ALLOCSTALL_MOVABLE, "so do ALLOCSTALL_*");

struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];
};

extern struct vm_event_state vm_event_states[NR_CPUS];

/* count_vm_events - this CPU's count of @item grows by @delta (no other CPU writes it). */
static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	/*
	 * One read-modify-write instruction (Linux: this_cpu_add), so an interrupt handler
	 * counting on this CPU in between loses nothing; a plain += may compile to a load
	 * and a store.
	 */
	__atomic_fetch_add(&vm_event_states[smp_processor_id()].event[item], delta, __ATOMIC_RELAXED);
}

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

/* __count_zid_vm_events - count @delta pages of event PGALLOC (say) for zone @zid. */
#define __count_zid_vm_events(item, zid, delta) \
	count_vm_events((enum vm_event_item)(item##_DMA + (zid)), (delta))

/*
 * mod_node_page_state - add @delta to @item (pages; bytes for the _B items, always whole
 * pages, kept in pages as Linux keeps them; kB for NR_KERNEL_STACK_KB), in this CPU's
 * diff.  __mod_node_page_state: the same with interrupts already off.
 * mod_zone_page_state, __mod_zone_page_state: the same for a zone counter (not
 * NR_FREE_PAGES, which mm/page_alloc.c changes under zone->lock).
 */
void mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item, long delta);
void __mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item, long delta);
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);

/* node_page_state - @pgdat's @item as folded so far (pages, or kB for the _KB items). */
static inline unsigned long node_page_state(const pg_data_t *pgdat, enum node_stat_item item)
{
	long x = (long)__atomic_load_n(&pgdat->vm_stat[item], __ATOMIC_RELAXED);

	return x < 0 ? 0 : (unsigned long)x;
}

/* zone_page_state_snapshot - zone_page_state() plus every online CPU's diff: slower, closer. */
unsigned long zone_page_state_snapshot(const struct zone *zone, enum zone_stat_item item);

/*
 * refresh_cpu_vm_stats - fold this CPU's diffs into the zones and nodes; returns how
 * many counters changed.  Interrupts are turned off inside, so any context may call it:
 * the periodic fold (Linux's vmstat_update, every second on each CPU) and on_each_cpu().
 * @do_pagesets: Linux also drains this CPU's lists of other nodes' zones; pagelab has
 * one node, so nothing more happens.
 */
int refresh_cpu_vm_stats(bool do_pagesets);

/*
 * refresh_vm_stats - every online CPU folds its diffs (on_each_cpu), what writing
 * /proc/sys/vm/stat_refresh does in Linux; with interrupts off, only this CPU's.
 */
void refresh_vm_stats(void);

/*
 * refresh_zone_stat_thresholds - each online CPU's threshold for each zone and node
 * (calculate_normal_threshold()), after the watermarks are set and whenever the online
 * CPUs change.  vmstat_cpu_online - for the bring-up code, once @cpu is marked online.
 */
void refresh_zone_stat_thresholds(void);
void vmstat_cpu_online(unsigned int cpu);

/*
 * cpu_vm_stats_fold - fold @cpu's diffs and events into the counters and this CPU's
 * events, from another CPU: only for a CPU that is gone (page_alloc_cpu_dead()).
 */
void cpu_vm_stats_fold(unsigned int cpu);

/* node_page_state_pages - @pgdat's @item in pages, bytes items converted (Linux's name). */
unsigned long node_page_state_pages(const pg_data_t *pgdat, enum node_stat_item item);

/* global_node_page_state_pages - @item in pages, summed over the nodes. */
unsigned long global_node_page_state_pages(enum node_stat_item item);

/* global_node_page_state - @item in its own unit summed over the nodes. */
unsigned long global_node_page_state(enum node_stat_item item);

/* memmap_boot_pages_add - @delta more pages of struct page taken from memblock at boot. */
void memmap_boot_pages_add(long delta);

/* all_vm_events - sum of @item over the online CPUs. */
unsigned long all_vm_events(enum vm_event_item item);

/* global_zone_page_state - @item summed over every zone. */
unsigned long global_zone_page_state(enum zone_stat_item item);

/*
 * zoneinfo_show - /proc/zoneinfo: per-node stats under the first populated zone, then per
 * zone free pages, watermarks, spans, protection, the zone counters and pagesets.
 */
void zoneinfo_show(struct seq_file *m);

/* buddyinfo_show - /proc/buddyinfo: free blocks per order, per populated zone. */
void buddyinfo_show(struct seq_file *m);

/* pagetypeinfo_show - /proc/pagetypeinfo: free blocks per order and migrate type; pageblocks per type. */
void pagetypeinfo_show(struct seq_file *m);

/* extfrag_show - debugfs extfrag/extfrag_index: fragmentation_index() per zone and order. */
void extfrag_show(struct seq_file *m);

/* vmstat_show - /proc/vmstat: every counter above, one "name value" per line, 6.18's order. */
void vmstat_show(struct seq_file *m);

/*
 * meminfo_show - /proc/meminfo up to Percpu, HugePages and Hugetlb, in Linux 6.18's order
 * and columns (mm/show_mem.c); the arch adds the DirectMap lines after it.
 */
void meminfo_show(struct seq_file *m);

/* si_mem_available - Linux's MemAvailable estimate, in pages: free minus the reserves. */
long si_mem_available(void);

/*
 * __show_mem - the "Mem-Info:" block of an allocation-failure report (Linux's
 * show_free_areas and what follows), for zones up to @max_zone_idx, into the kernel log.
 */
void __show_mem(unsigned int filter, void *nodemask, int max_zone_idx);

/*
 * dump_page - describe @page as Linux's dump_page() does (refcount, mapcount, pfn, flags
 * by name, the raw words), then say in plain words who owns it (mm/debug.c).
 */
void dump_page(struct seq_file *m, const struct page *page);

#endif
