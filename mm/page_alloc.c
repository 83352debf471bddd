/*
 * The buddy page allocator.
 *
 * Each zone keeps free blocks of 2^order pages, order 0 to MAX_PAGE_ORDER, on per-order
 * lists.  A block of order n at frame pfn has one "buddy", the block it was split from
 * or can merge with: the one at pfn ^ (1 << n).
 *
 *   allocate order 0 from an order-2 block:      free it again:
 *   [        order 2        ]                    [0][1 free][2-3 free]
 *   [ order 1 ][ order 1 -> free list 1 ]        buddy of 0 is 1: merge -> [0-1]
 *   [0][1 -> free list 0]                        buddy of 0-1 is 2-3: merge -> order 2
 *
 * Valid once free_area_init() has set up the zones; fed by memblock_free_all().
 * This file is the core only: split (expand) and merge (__free_one_page).  Watermarks,
 * per-CPU lists, migrate-type fallback and the failure reports are the buddy issue's.
 */
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"

static unsigned int buddy_order(const struct page *p) { return p->private; }

static void set_buddy_order(struct page *p, unsigned int order)
{
	p->private = order;
	SetPageBuddy(p);
}

/* @buddy can merge with a block of @order in @zone if it is free, whole and the same size. */
static bool page_is_buddy(const struct zone *zone, const struct page *buddy, unsigned long pfn,
			  unsigned int order)
{
	return zone_spans_pfn(zone, pfn) && pfn_valid(pfn) && PageBuddy(buddy) &&
	       buddy_order(buddy) == order && page_zone(buddy) == zone;
}

static void add_to_free_list(struct page *p, struct zone *zone, unsigned int order, int mt)
{
	struct free_area *area = &zone->free_area[order];

	set_buddy_order(p, order);
	list_add(&p->lru, &area->free_list[mt]);
	area->nr_free++;
}

static void del_from_free_list(struct page *p, struct zone *zone, unsigned int order)
{
	list_del(&p->lru);
	ClearPageBuddy(p);
	p->private = 0;
	zone->free_area[order].nr_free--;
}

/* Free the block at @pfn, merging upwards with its buddy for as long as the buddy is free. */
static void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
			    unsigned int order, int mt)
{
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = page + (buddy_pfn - pfn);

		if (!page_is_buddy(zone, buddy, buddy_pfn, order))
			break;
		del_from_free_list(buddy, zone, order);
		pfn &= buddy_pfn; /* the merged block starts at the lower of the two */
		page = pfn_to_page(pfn);
		order++;
	}
	add_to_free_list(page, zone, order, mt);
}

/* Split a block of order @high down to @low, putting the upper halves back on the lists. */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high,
		   int mt)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high, mt);
	}
}

static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int mt)
{
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->free_list[mt]))
			continue;
		page = list_first_entry(&area->free_list[mt], struct page, lru);
		del_from_free_list(page, zone, o);
		expand(zone, page, order, o, mt);
		return page;
	}
	return NULL;
}

static struct page *rmqueue(struct zone *zone, unsigned int order)
{
	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		struct page *page = __rmqueue_smallest(zone, order, mt);

		if (page)
			return page;
	}
	return NULL;
}

static enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	if (gfp & __GFP_HIGHMEM)
		return ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	if (order > MAX_PAGE_ORDER)
		return NULL;
	/* The zonelist, highest allowed zone first: Normal -> DMA32 -> DMA. */
	for (int z = gfp_zone(gfp); z >= 0; z--) {
		struct zone *zone = &NODE_DATA(0)->node_zones[z];
		struct page *page = populated_zone(zone) ? rmqueue(zone, order) : NULL;

		if (!page)
			continue;
		set_page_count(page, 1);
		if (gfp & __GFP_ZERO)
			memset(page_address(page), 0, PAGE_SIZE << order);
		return page;
	}
	return NULL;
}

static void free_one_page(struct page *page, unsigned int order)
{
	__free_one_page(page, page_to_pfn(page), page_zone(page), order, MIGRATE_MOVABLE);
}

void __free_pages(struct page *page, unsigned int order)
{
	if (--page->_refcount == 0)
		free_one_page(page, order);
}

void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i++) {
		ClearPageReserved(&page[i]);
		set_page_count(&page[i], 0);
	}
	page_zone(page)->managed_pages += nr;
	totalram_pages += nr;
	free_one_page(page, order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;
	struct zone *z;

	for_each_zone(z)
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			n += z->free_area[o].nr_free << o;
	return n;
}
