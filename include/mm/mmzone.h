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

#include "lib/list.h"
#include "mm/mm_types.h"
#include "types.h"

#define MAX_PAGE_ORDER 10 /* largest block: 2^10 pages = 4 MiB (Linux 6.x's name) */
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_NUMNODES 1

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_TYPES,
};

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_HIGHMEM, /* empty unless the 32-bit layout is chosen */
	ZONE_MOVABLE, /* always empty: pagelab has no movable-only memory */
	MAX_NR_ZONES,
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free; /* blocks of this order, all migrate types */
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
	struct free_area free_area[NR_PAGE_ORDERS];
};

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

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
} pg_data_t;

extern pg_data_t node_data[MAX_NUMNODES];
#define NODE_DATA(nid) (&node_data[(nid)])

#define for_each_zone(z)                                                            \
	for ((z) = NODE_DATA(0)->node_zones; (z) < NODE_DATA(0)->node_zones + MAX_NR_ZONES; (z)++)

extern const char *const zone_names[MAX_NR_ZONES];

/*
 * Sparse memory model: physical memory is cut into 128 MiB sections (Linux x86-64's
 * SECTION_SIZE_BITS).  Only sections that hold RAM get a piece of the memmap, mapped
 * into the virtual array vmemmap[], so a hole - the 3-4 GiB PCI window, say - costs no
 * struct pages at all.
 */
#define SECTION_SIZE_BITS 27
#define MAX_PHYSMEM_BITS 46
#define PFN_SECTION_SHIFT (SECTION_SIZE_BITS - 12)
#define PAGES_PER_SECTION (1UL << PFN_SECTION_SHIFT)
#define NR_MEM_SECTIONS (1UL << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS))

static inline unsigned long pfn_to_section_nr(unsigned long pfn) { return pfn >> PFN_SECTION_SHIFT; }
static inline unsigned long section_nr_to_pfn(unsigned long sec) { return sec << PFN_SECTION_SHIFT; }

/* pfn_valid - whether @pfn has a struct page (its section holds RAM). */
bool pfn_valid(unsigned long pfn);

#endif
