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

static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	vm_event_states[smp_processor_id()].event[item] += delta;
}

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

/* __count_zid_vm_events - count @delta pages of event PGALLOC (say) for zone @zid. */
#define __count_zid_vm_events(item, zid, delta) \
	count_vm_events((enum vm_event_item)(item##_DMA + (zid)), (delta))

/* mod_node_page_state - add @delta (pages; bytes or kB for the _B and _KB items) to @item. */
static inline void mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item, long delta)
{
	pgdat->vm_stat[item] += (unsigned long)delta;
}

/* node_page_state - @pgdat's @item, in the item's own unit (pages, bytes or kB). */
static inline unsigned long node_page_state(const pg_data_t *pgdat, enum node_stat_item item)
{
	return pgdat->vm_stat[item];
}

/* node_page_state_pages - @pgdat's @item in pages, bytes items converted (Linux's name). */
unsigned long node_page_state_pages(const pg_data_t *pgdat, enum node_stat_item item);

/* global_node_page_state_pages - @item in pages, summed over the nodes. */
unsigned long global_node_page_state_pages(enum node_stat_item item);

/* global_node_page_state - @item in its own unit summed over the nodes. */
unsigned long global_node_page_state(enum node_stat_item item);

/* memmap_boot_pages_add - @delta more pages of struct page taken from memblock at boot. */
void memmap_boot_pages_add(long delta);

/* all_vm_events - sum of @item over the CPUs. */
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
