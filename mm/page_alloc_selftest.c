// SPDX-License-Identifier: MIT
/*
 * `selftest buddy`: the page allocator checked from inside the running kernel, on the
 * real zones and the real free memory (KTAP output, kernel/selftest.c).
 *
 * Each case takes what it needs and gives all of it back, so the allocator is left as
 * it was found; the first and last cases check exactly that.  Cases that provoke a
 * "BUG: Bad page state" or a poisoning report do so on purpose: the report appears on
 * the console between the KTAP lines, and the case checks that it was counted and that
 * the free lists survived.
 *
 * The host tests (tests/unit/test_buddy*.c) check the same behaviour on made-up
 * machines with exact numbers; these cases check it holds on the machine we booted.
 */
#include "kernel/selftest.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/pageblock-flags.h"

#define NOWARN __GFP_NOWARN

struct free_snapshot {
	unsigned long nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
	unsigned long free_pages;
};

/* The buddy lists after draining the per-cpu lists, so nothing hides there. */
static void snapshot(struct free_snapshot *s)
{
	struct zone *z;

	drain_all_pages(NULL);
	memset(s, 0, sizeof(*s));
	for_each_populated_zone(z)
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			s->nr_free[zone_idx(z)][o] = z->free_area[o].nr_free;
	s->free_pages = nr_free_pages();
}

static bool snapshots_equal(const struct free_snapshot *a, const struct free_snapshot *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static struct zone *zone_of(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

/* Check every populated zone's lists; report the first broken invariant. */
static void expect_free_lists_consistent(struct selftest *t)
{
	struct zone *z;
	char why[160];

	for_each_populated_zone(z) {
		unsigned long errors = check_zone_free_lists(z, why, sizeof(why));

		if (errors)
			selftest_fail(t, __FILE__, __LINE__, "%lu broken invariants, first: %s",
				      errors, why);
	}
}

static void free_lists_are_consistent(struct selftest *t)
{
	expect_free_lists_consistent(t);
}

static void split_and_merge_restore_the_free_lists(struct selftest *t)
{
	struct free_snapshot before, after;
	struct page *pages[NR_PAGE_ORDERS * 2];
	unsigned int orders[NR_PAGE_ORDERS * 2];
	int n = 0;

	snapshot(&before);
	for (int o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL | NOWARN, o);
		struct page *q = alloc_pages(GFP_HIGHUSER_MOVABLE | NOWARN, o);

		if (p)
			orders[n] = o, pages[n++] = p;
		if (q)
			orders[n] = o, pages[n++] = q;
	}
	ST_EXPECT(t, n > MAX_PAGE_ORDER);
	while (n--)
		__free_pages(pages[n], orders[n]);
	snapshot(&after);
	ST_EXPECT_EQ(t, after.free_pages, before.free_pages);
	ST_EXPECT(t, snapshots_equal(&before, &after));
	expect_free_lists_consistent(t);
}

static void blocks_are_aligned_and_referenced_once(struct selftest *t)
{
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL | NOWARN, o);

		if (!p)
			continue;
		ST_EXPECT_EQ(t, page_to_pfn(p) & ((1UL << o) - 1), 0);
		ST_EXPECT_EQ(t, page_ref_count(p), 1);
		ST_EXPECT(t, !PageBuddy(p));
		ST_EXPECT(t, page_zonenum(p) <= ZONE_NORMAL);
		__free_pages(p, o);
	}
}

/*
 * In DMA, with movable pages (no stealing involved): an order-4 request splits the
 * smallest movable block of order >= 4, leaving one block on each order in between.
 */
static void split_takes_the_smallest_block(struct selftest *t)
{
	const gfp_t gfp = GFP_KERNEL | GFP_DMA | __GFP_MOVABLE | NOWARN;
	struct zone *dma = zone_of(ZONE_DMA);
	struct free_snapshot before, after;
	unsigned int o;
	struct page *p;

	if (!managed_zone(dma)) {
		selftest_skip(t, "no DMA zone");
		return;
	}
	snapshot(&before);
	for (o = 4; o <= MAX_PAGE_ORDER; o++)
		if (!free_area_empty(&dma->free_area[o], MIGRATE_MOVABLE))
			break;
	if (o > MAX_PAGE_ORDER) {
		selftest_skip(t, "no free movable block of order >= 4 in DMA");
		return;
	}
	p = alloc_pages(gfp, 4);
	ST_ASSERT(t, p != NULL);
	snapshot(&after);
	ST_EXPECT_EQ(t, after.nr_free[ZONE_DMA][o], before.nr_free[ZONE_DMA][o] - 1);
	for (unsigned int i = 4; i < o; i++)
		ST_EXPECT_EQ(t, after.nr_free[ZONE_DMA][i], before.nr_free[ZONE_DMA][i] + 1);
	ST_EXPECT_EQ(t, after.free_pages, before.free_pages - 16);
	__free_pages(p, 4);
	snapshot(&after);
	ST_EXPECT(t, snapshots_equal(&before, &after));
}

/*
 * Two buddies: freeing one leaves it alone on its list; freeing both merges them.  A
 * few order-4 blocks are taken until two of them are buddies (splitting a larger block
 * gives its two halves one after the other); the others go back first.
 */
static void freeing_merges_with_the_buddy(struct selftest *t)
{
	const gfp_t gfp = GFP_KERNEL | GFP_DMA | __GFP_MOVABLE | NOWARN;
	struct free_snapshot before, both;
	struct page *blocks[8] = { NULL }, *a = NULL, *b = NULL;
	int n;

	if (!managed_zone(zone_of(ZONE_DMA))) {
		selftest_skip(t, "no DMA zone");
		return;
	}
	snapshot(&before);
	for (n = 0; n < 8 && !b && (blocks[n] = alloc_pages(gfp, 4)); n++)
		for (int i = 0; i < n; i++)
			if ((page_to_pfn(blocks[i]) ^ page_to_pfn(blocks[n])) == 16)
				a = blocks[i], b = blocks[n];
	for (int i = 0; i < 8; i++)
		if (blocks[i] && blocks[i] != a && blocks[i] != b)
			__free_pages(blocks[i], 4);
	ST_ASSERT(t, a && b);
	__free_pages(a, 4);
	drain_all_pages(NULL);
	ST_EXPECT(t, PageBuddy(a) && a->private == 4); /* alone: its buddy is in use */
	__free_pages(b, 4);
	snapshot(&both);
	/* Merged: neither is a free order-4 block of its own any more. */
	ST_EXPECT(t, !(PageBuddy(a) && a->private == 4) && !(PageBuddy(b) && b->private == 4));
	ST_EXPECT(t, snapshots_equal(&before, &both));
}

static void gfp_zone_modifiers_are_honoured(struct selftest *t)
{
	static const struct { gfp_t gfp; enum zone_type highest; } cases[] = {
		{ GFP_KERNEL | GFP_DMA, ZONE_DMA },
		{ GFP_KERNEL | GFP_DMA32, ZONE_DMA32 },
		{ GFP_KERNEL, ZONE_NORMAL },
		{ GFP_HIGHUSER_MOVABLE, ZONE_MOVABLE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct page *p = alloc_pages(cases[i].gfp | NOWARN, 0);

		ST_EXPECT_EQ(t, gfp_zone(cases[i].gfp), cases[i].highest);
		if (!p)
			continue;
		ST_EXPECT(t, page_zonenum(p) <= cases[i].highest);
		__free_pages(p, 0);
	}
}

static void zeroed_pages_are_zero(struct selftest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	const u8 *mem;
	bool zero = true;

	ST_ASSERT(t, p != NULL);
	memset(page_address(p), 0x5a, 4 * PAGE_SIZE);
	__free_pages(p, 2);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2); /* the per-cpu list gives the same block */
	ST_ASSERT(t, p != NULL);
	mem = page_address(p);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		zero &= mem[i] == 0;
	ST_EXPECT(t, zero);
	__free_pages(p, 2);
}

/* An empty per-cpu list is refilled with a batch; a drain returns everything. */
static void per_cpu_lists_refill_in_batches(struct selftest *t)
{
	struct page *p;
	struct zone *z;
	unsigned long free_before;
	struct per_cpu_pages *pcp;

	drain_all_pages(NULL);
	p = alloc_pages(GFP_KERNEL | NOWARN, 0);
	ST_ASSERT(t, p != NULL);
	z = page_zone(p);
	pcp = &z->per_cpu_pageset[smp_processor_id()];
	ST_EXPECT_EQ(t, pcp->count, pcp->batch - 1);
	__free_pages(p, 0);
	ST_EXPECT_EQ(t, pcp->count, pcp->batch);
	free_before = zone_page_state(z, NR_FREE_PAGES);
	drain_all_pages(z);
	ST_EXPECT_EQ(t, pcp->count, 0);
	ST_EXPECT_EQ(t, zone_page_state(z, NR_FREE_PAGES), free_before + pcp->batch);
}

/* Allocate order-0 DMA pages with @gfp until it fails; they are chained on @list. */
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

/*
 * GFP_KERNEL stops at the min watermark; GFP_ATOMIC goes on to min * 3/8; and a
 * request that could have used a higher zone must also leave DMA its lowmem_reserve.
 */
static void watermarks_keep_atomic_reserves(struct selftest *t)
{
	struct zone *dma = zone_of(ZONE_DMA);
	unsigned long min = min_wmark_pages(dma), atomic_floor = min - min / 2;
	struct page *p, *n;
	LIST_HEAD(taken);

	if (!managed_zone(dma)) {
		selftest_skip(t, "no DMA zone");
		return;
	}
	atomic_floor -= atomic_floor / 4;
	take_dma_pages(GFP_KERNEL, &taken);
	ST_EXPECT(t, zone_page_state(dma, NR_FREE_PAGES) <= min);
	ST_EXPECT(t, !zone_watermark_ok(dma, 0, min, ZONE_NORMAL, 0));
	/* Any page above the floor is one an atomic request may still take. */
	if (zone_page_state(dma, NR_FREE_PAGES) > atomic_floor)
		ST_EXPECT(t, take_dma_pages(GFP_ATOMIC, &taken) > 0);
	ST_EXPECT(t, zone_page_state(dma, NR_FREE_PAGES) <= atomic_floor);
	list_for_each_entry_safe(p, n, &taken, lru) {
		list_del(&p->lru);
		__free_pages(p, 0);
	}
	drain_all_pages(NULL);
	ST_EXPECT(t, zone_page_state(dma, NR_FREE_PAGES) > min);
}

static void lowmem_reserve_follows_the_ratio(struct selftest *t)
{
	struct zone *dma = zone_of(ZONE_DMA);
	unsigned long above = 0;

	for (int j = ZONE_DMA + 1; j < MAX_NR_ZONES; j++) {
		above += zone_of(j)->managed_pages;
		if (managed_zone(dma))
			ST_EXPECT_EQ(t, dma->lowmem_reserve[j],
				     above / sysctl_lowmem_reserve_ratio[ZONE_DMA]);
	}
	ST_EXPECT_EQ(t, dma->lowmem_reserve[ZONE_DMA], 0);
}

static void double_free_is_reported_and_lists_survive(struct selftest *t)
{
	unsigned long bad = nr_bad_pages, free_pages;
	struct page *p = alloc_pages(GFP_KERNEL, 5), *q = alloc_pages(GFP_KERNEL, 0);

	ST_ASSERT(t, p && q);
	__free_pages(p, 5);
	__free_pages(q, 0);
	free_pages = nr_free_pages();
	__free_pages(p, 5); /* p is on a buddy list now */
	__free_pages(q, 0); /* q is on the per-cpu list */
	ST_EXPECT_EQ(t, nr_bad_pages, bad + 2);
	ST_EXPECT_EQ(t, nr_free_pages(), free_pages);
	expect_free_lists_consistent(t);
}

/* pfn 0 is never RAM the allocator gets: freeing it must be refused. */
static void freeing_a_reserved_page_is_refused(struct selftest *t)
{
	unsigned long bad = nr_bad_pages, free_pages = nr_free_pages();
	struct page *p = pfn_to_page(0);
	int refcount = page_ref_count(p);

	if (!pfn_valid(0) || !PageReserved(p)) {
		selftest_skip(t, "pfn 0 is not a reserved page here");
		return;
	}
	if (refcount <= 0) {
		selftest_skip(t, "pfn 0 was already freed by someone");
		return;
	}
	__free_pages(p, 0);
	ST_EXPECT_EQ(t, nr_bad_pages, bad + 1);
	ST_EXPECT(t, PageReserved(p) && !PageBuddy(p));
	ST_EXPECT_EQ(t, nr_free_pages(), free_pages);
	set_page_count(p, refcount); /* as it was */
	expect_free_lists_consistent(t);
}

static void order_above_max_fails(struct selftest *t)
{
	ST_EXPECT(t, alloc_pages(GFP_KERNEL | NOWARN, MAX_PAGE_ORDER + 1) == NULL);
}

/* A write to a freed page is found when the page is handed out again. */
static void poisoning_catches_a_write_after_free(struct selftest *t)
{
	bool was_enabled = page_poisoning_enabled;
	unsigned long errors = nr_poison_errors;
	struct page *p, *again;

	drain_all_pages(NULL); /* the refill below leaves a batch behind p, not in front */
	page_poisoning_enabled = true;
	p = alloc_pages(GFP_KERNEL, 0);
	if (!p) {
		page_poisoning_enabled = was_enabled;
		ST_ASSERT(t, p != NULL);
	}
	__free_pages(p, 0);
	ST_EXPECT(t, PagePoisoned(p));
	memcpy(page_address(p), "AAAA", 4); /* the use after free */
	again = alloc_pages(GFP_KERNEL, 0);  /* the per-cpu list is last in, first out */
	ST_EXPECT(t, again == p);
	ST_EXPECT_EQ(t, nr_poison_errors, errors + 1);
	page_poisoning_enabled = was_enabled;
	if (again)
		__free_pages(again, 0);
}

static void random_workload_keeps_the_invariants(struct selftest *t)
{
	struct free_snapshot before, after;
	struct page *held[64] = { NULL };
	unsigned int orders[64];
	u64 x = 88172645463325252ULL; /* xorshift64 */

	snapshot(&before);
	for (int step = 0; step < 400; step++) {
		unsigned int slot;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		slot = x % 64;
		if (held[slot]) {
			__free_pages(held[slot], orders[slot]);
			held[slot] = NULL;
		} else {
			static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE,
						      GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC,
						      GFP_KERNEL | GFP_DMA32 };

			orders[slot] = (x >> 8) % 4 ? (x >> 12) % 4 : (x >> 12) % NR_PAGE_ORDERS;
			held[slot] = alloc_pages(gfps[(x >> 20) % 5] | NOWARN, orders[slot]);
		}
		if (step % 50 == 49)
			expect_free_lists_consistent(t);
	}
	for (int i = 0; i < 64; i++)
		if (held[i])
			__free_pages(held[i], orders[i]);
	snapshot(&after);
	ST_EXPECT_EQ(t, after.free_pages, before.free_pages);
	ST_EXPECT(t, snapshots_equal(&before, &after));
}

static const struct selftest_case buddy_cases[] = {
	SELFTEST_CASE(free_lists_are_consistent),
	SELFTEST_CASE(split_and_merge_restore_the_free_lists),
	SELFTEST_CASE(blocks_are_aligned_and_referenced_once),
	SELFTEST_CASE(split_takes_the_smallest_block),
	SELFTEST_CASE(freeing_merges_with_the_buddy),
	SELFTEST_CASE(gfp_zone_modifiers_are_honoured),
	SELFTEST_CASE(zeroed_pages_are_zero),
	SELFTEST_CASE(per_cpu_lists_refill_in_batches),
	SELFTEST_CASE(watermarks_keep_atomic_reserves),
	SELFTEST_CASE(lowmem_reserve_follows_the_ratio),
	SELFTEST_CASE(double_free_is_reported_and_lists_survive),
	SELFTEST_CASE(freeing_a_reserved_page_is_refused),
	SELFTEST_CASE(order_above_max_fails),
	SELFTEST_CASE(poisoning_catches_a_write_after_free),
	SELFTEST_CASE(random_workload_keeps_the_invariants),
	SELFTEST_CASE(free_lists_are_consistent),
};

DEFINE_SELFTEST_SUITE(buddy, buddy_cases);
