// SPDX-License-Identifier: MIT
/*
 * `selftest lab6`: lab 6's checks inside the running kernel
 * (docs/labs/06-pcp-watermarks-fragmentation.md).  The watermark check is asked about
 * the real zones with marks chosen just either side of the line it must draw, and the
 * real allocator is run down to the marks; the watermarks themselves are worked out
 * again from the zones' managed pages.  Every case gives back what it takes.
 */
#include "kernel/selftest.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"

#define NOWARN __GFP_NOWARN

static struct zone *zone_of(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

static long free_of(const struct zone *z)
{
	return (long)zone_page_state(z, NR_FREE_PAGES);
}

/* The mark the rules leave after @alloc_flags' reserve rights (written from the doc). */
static long mark_after_rights(long mark, unsigned int alloc_flags)
{
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		mark = mark - mark / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			mark = mark - mark / 4;
	}
	return mark;
}

/* An order-0 request may leave exactly mark + lowmem_reserve free, not one page fewer. */
static void mark_and_reserve_must_stay_free(struct selftest *t)
{
	struct zone *z;

	for_each_populated_zone(z) {
		for (int hz = zone_idx(z); hz < MAX_NR_ZONES; hz++) {
			long free = free_of(z), reserve = z->lowmem_reserve[hz];
			long line = free - reserve; /* the first mark that must say no */

			if (line < 1)
				continue;
			if (!zone_watermark_ok(z, 0, line - 1, hz, 0))
				selftest_fail(t, __FILE__, __LINE__, "%s: %ld free, lowmem_reserve[%d] "
					      "%ld: mark %ld should pass", z->name, free, hz, reserve,
					      line - 1);
			if (zone_watermark_ok(z, 0, line, hz, 0))
				selftest_fail(t, __FILE__, __LINE__, "%s: %ld free, lowmem_reserve[%d] "
					      "%ld: mark %ld should fail", z->name, free, hz, reserve, line);
		}
	}
}

static bool has_block(const struct zone *z, unsigned int order)
{
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

/* Of an order-n block's 2^n pages, all but one stop counting as free. */
static void the_block_itself_does_not_count(struct selftest *t)
{
	struct zone *z;

	for_each_populated_zone(z) {
		for (unsigned int order = 1; order <= 3; order++) {
			long free = free_of(z), line = free - (1L << order) + 1;

			if (line < 1 || !has_block(z, order))
				continue;
			if (!zone_watermark_ok(z, order, line - 1, zone_idx(z), 0))
				selftest_fail(t, __FILE__, __LINE__, "%s: %ld free, order %u: mark "
					      "%ld should pass", z->name, free, order, line - 1);
			if (zone_watermark_ok(z, order, line, zone_idx(z), 0))
				selftest_fail(t, __FILE__, __LINE__, "%s: %ld free, order %u: mark "
					      "%ld should fail", z->name, free, order, line);
		}
	}
}

/*
 * __GFP_HIGH halves the mark; not being able to sleep then takes a quarter of the rest,
 * and alone takes nothing (since Linux 6.3).
 */
static void reserve_rights_lower_the_mark(struct selftest *t)
{
	static const unsigned int rights[] = { 0, ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK,
					       ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK };
	struct zone *z = zone_of(ZONE_DMA32);
	long free;

	if (!managed_zone(z))
		z = zone_of(ZONE_NORMAL);
	free = free_of(z);
	for (unsigned int i = 0; i < ARRAY_SIZE(rights); i++) {
		for (long mark = free - 8; mark <= free * 2 + free / 2; mark++) {
			bool want = free > mark_after_rights(mark, rights[i]);

			if (zone_watermark_ok(z, 0, mark, zone_idx(z), rights[i]) != want) {
				selftest_fail(t, __FILE__, __LINE__, "%s: %ld free, mark %ld, "
					      "alloc_flags %#x: should %s", z->name, free, mark,
					      rights[i], want ? "pass" : "fail");
				break;
			}
		}
	}
}

/* Order-0 DMA pages with @gfp until it fails, chained on @list; how many. */
static unsigned long take_dma_pages(gfp_t gfp, struct list_head *list)
{
	unsigned long n = 0;
	struct page *p;

	while ((p = alloc_pages(gfp | GFP_DMA | NOWARN, 0))) {
		list_add(&p->lru, list);
		n++;
	}
	return n;
}

static void give_back(struct list_head *list, unsigned int order)
{
	struct page *p, *n;

	list_for_each_entry_safe(p, n, list, lru) {
		list_del(&p->lru);
		__free_pages(p, order);
	}
	drain_all_pages(NULL);
}

/*
 * Free every other page of DMA and nothing else: many free pages, no two side by
 * side.  Enough pages are free for an order-1 or larger request, but no block.
 */
static void order_needs_a_free_block(struct selftest *t)
{
	struct zone *dma = zone_of(ZONE_DMA);
	struct page *p, *n;
	unsigned int top = 0;
	LIST_HEAD(taken);
	LIST_HEAD(kept);
	bool odd = false;

	if (!managed_zone(dma)) {
		selftest_skip(t, "no DMA zone");
		return;
	}
	drain_all_pages(NULL);
	take_dma_pages(GFP_ATOMIC, &taken);
	list_for_each_entry_safe(p, n, &taken, lru) {
		if ((odd = !odd))
			list_move(&p->lru, &kept);
	}
	give_back(&taken, 0);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		if (dma->free_area[o].nr_free)
			top = o;
	ST_EXPECT(t, dma->free_area[0].nr_free > 100);
	if (top < MAX_PAGE_ORDER && free_of(dma) > (2L << top)) {
		if (zone_watermark_ok(dma, top + 1, 0, ZONE_DMA, 0))
			selftest_fail(t, __FILE__, __LINE__, "DMA: %ld pages free, the largest "
				      "block of order %u: an order-%u request should fail",
				      free_of(dma), top, top + 1);
		if (!zone_watermark_ok(dma, top, 0, ZONE_DMA, 0))
			selftest_fail(t, __FILE__, __LINE__, "DMA: %ld pages free, the largest "
				      "block of order %u: an order-%u request should pass",
				      free_of(dma), top, top);
	} else {
		selftest_fail(t, __FILE__, __LINE__, "DMA did not fragment: largest block "
			      "order %u, %ld pages free", top, free_of(dma));
	}
	give_back(&kept, 0);
}

/* GFP_KERNEL stops exactly at min; GFP_ATOMIC at min - min/2, less a quarter of that. */
static void dma_runs_down_to_its_marks(struct selftest *t)
{
	struct zone *dma = zone_of(ZONE_DMA);
	long min = (long)min_wmark_pages(dma), floor = mark_after_rights(min,
		ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK), before;
	LIST_HEAD(taken);

	if (!managed_zone(dma)) {
		selftest_skip(t, "no DMA zone");
		return;
	}
	drain_all_pages(NULL);
	before = free_of(dma);
	ST_EXPECT(t, min > 0);
	take_dma_pages(GFP_KERNEL, &taken);
	ST_EXPECT_EQ(t, free_of(dma), min);
	ST_EXPECT(t, !zone_watermark_ok(dma, 0, min, ZONE_DMA, 0));
	take_dma_pages(GFP_ATOMIC, &taken);
	ST_EXPECT_EQ(t, free_of(dma), floor);
	give_back(&taken, 0);
	ST_EXPECT_EQ(t, free_of(dma), before);
}

/*
 * Take everything GFP_KERNEL can have, largest blocks first: each zone it may use is
 * left with exactly its min watermark plus what it keeps back from such requests - or,
 * if it never had more than that (DMA at 4 GiB and up, where its lowmem_reserve exceeds
 * the whole zone), with everything it had: such a zone gives GFP_KERNEL nothing.
 */
static void kernel_requests_leave_each_zone_its_mark_and_reserve(struct selftest *t)
{
	static struct list_head taken[NR_PAGE_ORDERS];
	long before[MAX_NR_ZONES];
	int hz = gfp_zone(GFP_KERNEL);
	struct zone *z;

	drain_all_pages(NULL);
	for_each_populated_zone(z)
		before[zone_idx(z)] = free_of(z);
	for (int o = MAX_PAGE_ORDER; o >= 0; o--) {
		struct page *p;

		INIT_LIST_HEAD(&taken[o]);
		while ((p = alloc_pages(GFP_KERNEL | NOWARN, o)))
			list_add(&p->lru, &taken[o]);
	}
	for_each_populated_zone(z) {
		long keeps = (long)min_wmark_pages(z) + z->lowmem_reserve[hz];

		if ((int)zone_idx(z) > hz)
			continue;
		if (free_of(z) != MIN(before[zone_idx(z)], keeps))
			selftest_fail(t, __FILE__, __LINE__, "%s: %ld pages left free of %ld; min %lu + "
				      "lowmem_reserve[%d] %ld", z->name, free_of(z), before[zone_idx(z)],
				      min_wmark_pages(z), hz, z->lowmem_reserve[hz]);
	}
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		give_back(&taken[o], o);
}

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* The marks again, from min_free_kbytes as the boot computed it from lowmem. */
static void watermarks_follow_min_free_kbytes(struct selftest *t)
{
	unsigned long lowmem = 0, pages_min;
	struct zone *z;

	for_each_zone(z)
		if (zone_idx(z) != ZONE_HIGHMEM && zone_idx(z) != ZONE_MOVABLE)
			lowmem += z->managed_pages;
	pages_min = MIN(MAX(isqrt(lowmem * 4 * 16), 128UL), 262144UL) / 4;
	for_each_zone(z) {
		unsigned long share = pages_min * z->managed_pages / lowmem, min = share, gap;

		if (zone_idx(z) == ZONE_HIGHMEM || zone_idx(z) == ZONE_MOVABLE)
			min = MIN(MAX(z->managed_pages / 1024, 32UL), 128UL);
		gap = MAX(share / 4, z->managed_pages * 10 / 10000);
		if (min_wmark_pages(z) != min || low_wmark_pages(z) != min + gap ||
		    high_wmark_pages(z) != min + 2 * gap || promo_wmark_pages(z) != min + 3 * gap)
			selftest_fail(t, __FILE__, __LINE__, "%s (managed %lu): min/low/high/promo "
				      "%lu/%lu/%lu/%lu, should be %lu/%lu/%lu/%lu", z->name,
				      z->managed_pages, min_wmark_pages(z), low_wmark_pages(z),
				      high_wmark_pages(z), promo_wmark_pages(z), min, min + gap,
				      min + 2 * gap, min + 3 * gap);
	}
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(reserve_rights_lower_the_mark),
	SELFTEST_CASE(mark_and_reserve_must_stay_free),
	SELFTEST_CASE(the_block_itself_does_not_count),
	SELFTEST_CASE(order_needs_a_free_block),
	SELFTEST_CASE(dma_runs_down_to_its_marks),
	SELFTEST_CASE(kernel_requests_leave_each_zone_its_mark_and_reserve),
	SELFTEST_CASE(watermarks_follow_min_free_kbytes),
};

DEFINE_LAB_SELFTEST_SUITE(lab6, cases);
