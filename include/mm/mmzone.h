/* SPDX-License-Identifier: MIT */
/*
 * Nodes and zones: how physical memory is divided for allocation.
 *
 * One node (pg_data_t) per NUMA node - pagelab has node 0 only, but the structures are
 * per node so more can be added.  Each node is divided into zones by address, because
 * some devices can only reach low memory:
 *
 *   x86-64                                     x86-32 layout (zones=x86_32)
 *   ZONE_DMA     0 .. 16 MiB  (ISA DMA)         ZONE_DMA      0 .. 16 MiB
 *   ZONE_DMA32   16 MiB .. 4 GiB (32-bit DMA)   ZONE_NORMAL   16 MiB .. 896 MiB
 *   ZONE_NORMAL  4 GiB ..                       ZONE_HIGHMEM  896 MiB ..
 *
 * A zone spans [zone_start_pfn, zone_start_pfn + spanned_pages); present_pages of those
 * exist (holes subtracted); managed_pages are the ones the buddy allocator was given.
 */
#ifndef PAGELAB_MM_MMZONE_H
#define PAGELAB_MM_MMZONE_H

#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "lib/list.h"
#include "mm/mm_types.h"
#include "types.h"

#define MAX_PAGE_ORDER 10 /* largest block: 2^10 pages = 4 MiB (Linux 6.x's name) */
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER) /* pages in the largest block */
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_NUMNODES 1

/*
 * Migrate types: what kind of allocation a 2 MiB pageblock serves, so that pages that can
 * never move (kernel data) are grouped apart from pages that could (user memory), and
 * one long-lived kernel page does not pin a whole block that could otherwise become a
 * huge page.  Free lists are kept per type; when a type runs dry it steals from another
 * (mm/page_alloc.c, __rmqueue_fallback).  The first three have per-cpu lists; the
 * others are reserves that nothing steals from (Linux 6.18's order, and its names in
 * pagetypeinfo):
 *
 *   MIGRATE_HIGHATOMIC  pageblocks kept for high-order atomic requests: an interrupt
 *                       handler that needs an order-2 block cannot wait for memory to be
 *                       compacted (reserve_highatomic_pageblock(), docs/mm/buddy.md)
 *   MIGRATE_ISOLATE     pageblocks whose free pages must not be handed out (Linux isolates
 *                       them to offline memory or to carve out a CMA or gigantic page);
 *                       pagelab isolates none: the type, its lists and its column exist
 *                       and stay empty, and no pageblock can be marked so
 *                       (include/mm/pageblock-flags.h, docs/mm/buddy.md)
 *
 * Linux has MIGRATE_CMA between them with CONFIG_CMA; the kernel of the 6.18 captures
 * (tests/data/proc-6.18) has none, nor has pagelab.
 */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES, /* the types with per-cpu lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES,
};

/* A pageblock of this type may merge with and be stolen by the others (Linux's name). */
static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

extern const char *const migratetype_names[MIGRATE_TYPES];

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_HIGHMEM, /* empty unless the 32-bit layout is chosen */
	ZONE_MOVABLE, /* always empty: pagelab has no movable-only memory */
	MAX_NR_ZONES,
};

/*
 * Watermarks, in pages (mm/page_alloc.c, __setup_per_zone_wmarks).  An allocation
 * first needs the zone's free pages above low; failing that, above min; only
 * __GFP_HIGH (atomic) requests may go below min.  high and promo steer Linux's kswapd
 * and memory tiering, which pagelab does not have; they are computed and shown.
 */
enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free; /* blocks of this order, all migrate types */
};

static inline bool free_area_empty(const struct free_area *area, int mt)
{
	return list_empty(&area->free_list[mt]);
}

/*
 * Per-cpu page lists: a CPU's private stock of small free blocks, so most allocations
 * and frees of orders 0..PAGE_ALLOC_COSTLY_ORDER touch no shared list.  One list per
 * (order, per-cpu migrate type): HighAtomic and Isolate have none, as in Linux 6.18 (a
 * freed page of a HighAtomic block waits on the Movable list).  Linux 6.18 adds lists for THP-sized blocks
 * (NR_PCP_THP); pagelab has no THP.  count is in pages (an order-3 block counts 8).
 * Refilled from the buddy lists batch blocks at a time; when count reaches high, batch
 * pages go back.  Pages on these lists are not in the zone's NR_FREE_PAGES, as in Linux.
 *
 * high_min and high_max (Linux 6.7+) bound high, which Linux moves between them as the
 * CPU frees and allocates; pagelab computes both as Linux 6.18 does and keeps high at
 * high_min (mm/page_alloc_init.c, zone_highsize()).
 */
#define PAGE_ALLOC_COSTLY_ORDER 3
#define NR_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))

struct per_cpu_pages {
	/*
	 * Taken with a trylock by its own CPU's allocations and frees (which go to the
	 * buddy lists when it is held), and with spin_lock() by drain_all_pages() from any
	 * CPU.  Interrupts stay on: an interrupt handler on this CPU that allocates while
	 * the CPU holds the lock only fails the trylock.  Order: before zone->lock.
	 */
	spinlock_t lock;
	int count; /* pages on the lists */
	int high;  /* drain when count reaches this */
	int batch; /* blocks moved per refill, pages per drain */
	int high_min; /* high when the CPU has been quiet */
	int high_max; /* the most high may grow to */
	struct list_head lists[NR_PCP_LISTS]; /* index: MIGRATE_PCPTYPES * order + type */
};

/*
 * Per-zone counters (Linux's zone->vm_stat), Linux 6.18's enum zone_stat_item in its
 * order, for a configuration like pagelab's (docs/mm/vmstat.md says which CONFIG_ options
 * that means and why).  /proc/vmstat and zoneinfo print their names from
 * zone_stat_names[] (mm/vmstat.c).  What pagelab has no way to fill stays 0.
 */
enum zone_stat_item {
	NR_FREE_PAGES,        /* pages on the buddy free lists (not the per-cpu lists) */
	NR_FREE_PAGES_BLOCKS, /* of those, pages in free blocks of pageblock_order or more */
	NR_ZONE_INACTIVE_ANON, /* NR_ZONE_LRU_BASE: the LRU lists, which pagelab does not have */
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_ZSPAGES,           /* CONFIG_ZSMALLOC */
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS,
};

/*
 * Per-node counters (Linux's pgdat->vm_stat), Linux 6.18's enum node_stat_item in its
 * order, for pagelab's configuration: without CONFIG_NUMA (include/mm/numa.h) there is
 * no CONFIG_NUMA_BALANCING, so the three pgpromote_* items are left out, as Linux leaves
 * them out.  Items ending in _B count bytes and _KB kilobytes, as Linux's; the rest count
 * pages.
 */
enum node_stat_item {
	NR_INACTIVE_ANON, /* NR_LRU_BASE */
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,   /* slab pages of SLAB_RECLAIM_ACCOUNT caches, in bytes */
	NR_SLAB_UNRECLAIMABLE_B, /* every other slab page and large kmalloc, in bytes */
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	WORKINGSET_NODES,
	WORKINGSET_REFAULT_ANON,
	WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON,
	WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_ANON,
	WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM,
	NR_ANON_MAPPED,
	NR_FILE_MAPPED,
	NR_FILE_PAGES,
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_SHMEM,
	NR_SHMEM_THPS,
	NR_SHMEM_PMDMAPPED,
	NR_FILE_THPS,
	NR_FILE_PMDMAPPED,
	NR_ANON_THPS,
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_DIRTIED,
	NR_WRITTEN,
	NR_THROTTLED_WRITTEN,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,  /* the kernel's stacks, in kB */
	NR_PAGETABLE,        /* pages holding the kernel's own page tables (arch code) */
	NR_SECONDARY_PAGETABLE,
	NR_IOMMU_PAGES,      /* CONFIG_IOMMU_SUPPORT */
	NR_SWAPCACHE,        /* CONFIG_SWAP */
	PGDEMOTE_KSWAPD,
	PGDEMOTE_DIRECT,
	PGDEMOTE_KHUGEPAGED,
	PGDEMOTE_PROACTIVE,
	NR_HUGETLB,          /* CONFIG_HUGETLB_PAGE */
	NR_BALLOON_PAGES,
	NR_KERNEL_FILE_PAGES, /* newer than 6.16; 6.18 has it */
	NR_VM_NODE_STAT_ITEMS,
};

/*
 * A CPU's share of the zone and node counters (Linux's per_cpu_zonestat and
 * per_cpu_nodestat): changes are added here, by that CPU only and with interrupts off,
 * until one passes stat_threshold either way; then the whole diff is folded into the
 * zone or node, so the shared counter's cache line is written rarely.  refresh_cpu_vm_stats()
 * folds the rest periodically.  s8, as in Linux: the threshold is at most 125.
 */
struct per_cpu_zonestat {
	s8 vm_stat_diff[NR_VM_ZONE_STAT_ITEMS];
	s8 stat_threshold;
};

struct per_cpu_nodestat {
	s8 stat_threshold;
	s8 vm_node_stat_diff[NR_VM_NODE_STAT_ITEMS];
};

struct pglist_data;

struct zone {
	const char *name;
	struct pglist_data *zone_pgdat;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages; /* end - start, holes included */
	unsigned long present_pages; /* spanned minus holes */
	unsigned long managed_pages; /* given to the buddy allocator */
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost; /* always 0: Linux raises it to wake kswapd early */
	/*
	 * lowmem_reserve[i]: pages this zone keeps back from requests that could have been
	 * served by zone i (a higher one), so DMA memory is not used up by GFP_KERNEL.
	 */
	long lowmem_reserve[MAX_NR_ZONES];
	/*
	 * The buddy lists' lock (Linux's zone->lock), always taken with interrupts off:
	 * free_area[], NR_FREE_PAGES's changes, nr_reserved_highatomic and the pageblocks'
	 * migrate types change only under it.
	 */
	spinlock_t lock;
	struct per_cpu_pages per_cpu_pageset[NR_CPUS];
	/*
	 * Pages in MIGRATE_HIGHATOMIC pageblocks, whole pageblocks (order >= pageblock_order
	 * blocks count their pages), at most about 1% of managed_pages.
	 */
	unsigned long nr_reserved_highatomic;
	/*
	 * Each CPU's not yet counted changes to the zone counters (mm/vmstat.c), and
	 * vm_stat: the counters as folded so far.  NR_FREE_PAGES is the exception: every
	 * change to it holds zone->lock anyway, so it goes straight into vm_stat, exact.
	 */
	struct per_cpu_zonestat per_cpu_zonestats[NR_CPUS];
	unsigned long vm_stat[NR_VM_ZONE_STAT_ITEMS]; /* read as signed: may dip below 0 */
	struct free_area free_area[NR_PAGE_ORDERS];
};

static inline unsigned long min_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_MIN]; }
static inline unsigned long low_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_LOW]; }
static inline unsigned long high_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_HIGH]; }
static inline unsigned long promo_wmark_pages(const struct zone *z) { return z->_watermark[WMARK_PROMO]; }

/*
 * zone_page_state - @item of @z as folded so far: the CPUs' diffs may be up to
 * stat_threshold each away (zone_page_state_snapshot() adds them).  Never below 0.
 */
static inline unsigned long zone_page_state(const struct zone *z, enum zone_stat_item item)
{
	long x = (long)__atomic_load_n(&z->vm_stat[item], __ATOMIC_RELAXED);

	return x < 0 ? 0 : (unsigned long)x;
}

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z);
}

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline bool managed_zone(const struct zone *z)
{
	return z->managed_pages != 0;
}

/* HighMem and Movable hold memory the kernel cannot use for itself (no watermarks share). */
static inline bool is_highmem_idx(enum zone_type idx)
{
	return idx == ZONE_HIGHMEM || idx == ZONE_MOVABLE;
}

/*
 * The zonelist: the zones an allocation may use, best first (Linux's struct zonelist).
 * With one node it holds the populated zones from the highest down; a request starts
 * at the first zone its GFP flags allow (first_zones_zonelist) and falls back along it:
 *
 *   _zonerefs:  [Normal][DMA32][DMA][NULL]      (a machine with memory above 4 GiB)
 *   GFP_KERNEL   ^ Normal -> DMA32 -> DMA
 *   GFP_DMA32            ^ DMA32 -> DMA
 *   GFP_DMA                     ^ DMA
 *
 * Built by build_all_zonelists() (mm/page_alloc_init.c) once the zones are sized.
 */
struct zoneref {
	struct zone *zone; /* NULL ends the list */
	int zone_idx;      /* zone_idx(zone), kept here so walking needs no division */
};

struct zonelist {
	struct zoneref _zonerefs[MAX_NUMNODES * MAX_NR_ZONES + 1];
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[1];
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	/* Linux's per-node counters as folded so far, and each CPU's diffs (as the zone's) */
	unsigned long vm_stat[NR_VM_NODE_STAT_ITEMS];
	struct per_cpu_nodestat per_cpu_nodestats[NR_CPUS];
} pg_data_t;

extern pg_data_t node_data[MAX_NUMNODES];
#define NODE_DATA(nid) (&node_data[(nid)])

#define for_each_zone(z)                                                            \
	for ((z) = NODE_DATA(0)->node_zones; (z) < NODE_DATA(0)->node_zones + MAX_NR_ZONES; (z)++)
#define for_each_populated_zone(z) for_each_zone(z) if (!populated_zone(z)) ; else

static inline enum zone_type zone_idx(const struct zone *z)
{
	return (enum zone_type)(z - z->zone_pgdat->node_zones);
}

/* The first zone of @zl an allocation that may use up to @highest_zoneidx can use. */
static inline struct zoneref *first_zones_zonelist(struct zonelist *zl, int highest_zoneidx)
{
	struct zoneref *z = zl->_zonerefs;

	while (z->zone && z->zone_idx > highest_zoneidx)
		z++;
	return z;
}

/* Every zone of @zl allowed up to @highidx, best first; @z is the zoneref cursor. */
#define for_each_zone_zonelist(zone, z, zl, highidx) \
	for ((z) = first_zones_zonelist((zl), (highidx)); ((zone) = (z)->zone); (z)++)

static inline struct zonelist *node_zonelist(int nid)
{
	return &NODE_DATA(nid)->node_zonelists[0];
}

extern const char *const zone_names[MAX_NR_ZONES];

/*
 * Sparse memory model: physical memory is cut into 128 MiB sections (Linux x86-64's
 * SECTION_SIZE_BITS).  Only sections that hold RAM get a piece of the memmap, mapped
 * into the virtual array vmemmap[], so a hole - the PCI window below 4 GiB, say - costs no
 * struct pages at all.
 */
#define SECTION_SIZE_BITS 27
#define MAX_PHYSMEM_BITS 46
#define PFN_SECTION_SHIFT (SECTION_SIZE_BITS - 12)
#define PAGES_PER_SECTION (1UL << PFN_SECTION_SHIFT)
#define NR_MEM_SECTIONS (1UL << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS))

static inline unsigned long pfn_to_section_nr(unsigned long pfn) { return pfn >> PFN_SECTION_SHIFT; }
static inline unsigned long section_nr_to_pfn(unsigned long sec) { return sec << PFN_SECTION_SHIFT; }

/* pfn_valid - whether @pfn has a struct page that may be looked at; false for any other pfn. */
bool pfn_valid(unsigned long pfn);

#endif
