// SPDX-License-Identifier: MIT
/*
 * The high-order atomic reserve (MIGRATE_HIGHATOMIC), with Linux 6.18's behaviour as the
 * expected result: the real mm/page_alloc.c on a booted machine (host/buddy_machine.h).
 *
 * The machine: RAM 16-224 MiB, all DMA32.  1% of its managed pages is just over one
 * pageblock, so the reserve may grow to two (Linux 6.18: ALIGN(managed / 100,
 * pageblock_nr_pages)).  Linux only reserves on the slow path, after the fast path at
 * the low watermark failed; the tests get there by raising every low watermark out of
 * reach (min stays 0), as a zone that ran low would.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"

static const u64 ram_224m[][2] = { { MB(16), MB(224) } };

static struct zone *dma32;

static void boot_224m(void)
{
	boot_machine(ram_224m, 1, NULL);
	dma32 = Z(ZONE_DMA32);
}

/* Linux 6.18's limit: 1% of the zone, rounded up to whole pageblocks. */
static unsigned long reserve_limit(const struct zone *z)
{
	return ALIGN_UP(z->managed_pages / 100, pageblock_nr_pages);
}

/* Every zone's fast path fails; the slow path's min watermark is 0. */
static void zones_run_low(void)
{
	struct zone *z;

	for_each_zone(z) {
		z->_watermark[WMARK_MIN] = 0;
		z->_watermark[WMARK_LOW] = z->managed_pages + 1;
	}
}

static void watermarks_off(void)
{
	struct zone *z;

	for_each_zone(z)
		for (int w = 0; w < NR_WMARK; w++)
			z->_watermark[w] = 0;
}

static bool in_highatomic_block(const struct page *page)
{
	return get_pageblock_migratetype(page) == MIGRATE_HIGHATOMIC;
}

static unsigned long highatomic_blocks(const struct zone *z)
{
	unsigned long n = 0;

	for (unsigned long pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn += pageblock_nr_pages)
		n += get_pageblock_migratetype(pfn_to_page(pfn)) == MIGRATE_HIGHATOMIC;
	return n;
}

Test(highatomic, only_high_order_gfp_atomic_may_use_the_reserve)
{
	cr_assert_eq(gfp_to_alloc_flags(GFP_ATOMIC, 1) & ALLOC_HIGHATOMIC, ALLOC_HIGHATOMIC);
	cr_assert_eq(gfp_to_alloc_flags(GFP_ATOMIC, 0) & ALLOC_HIGHATOMIC, 0, "order 0");
	cr_assert_eq(gfp_to_alloc_flags(GFP_NOWAIT, 2) & ALLOC_HIGHATOMIC, 0,
		     "no __GFP_HIGH (a 2025 fix, in Linux 6.18)");
	cr_assert_eq(gfp_to_alloc_flags(GFP_KERNEL | __GFP_HIGH, 2) & ALLOC_HIGHATOMIC, 0,
		     "may sleep");
}

/*
 * A high-order atomic request that gets its block on the slow path turns the block's
 * pageblock into HighAtomic, free pages and all; the fast path never does.  Both blocks
 * come from the same pageblock, which the first request stole for Unmovable.
 */
Test(highatomic, a_successful_atomic_request_reserves_its_pageblock)
{
	struct page *page;

	boot_224m();
	page = alloc_pages(GFP_ATOMIC, 4);
	cr_assert_not_null(page);
	cr_assert_eq(dma32->nr_reserved_highatomic, 0, "the fast path reserves nothing");
	zones_run_low();
	page = alloc_pages(GFP_ATOMIC, 4);
	cr_assert_not_null(page);
	cr_assert(in_highatomic_block(page));
	cr_assert_eq(dma32->nr_reserved_highatomic, pageblock_nr_pages);
	cr_assert_eq(highatomic_blocks(dma32), 1);
	cr_assert_eq(zone_free_highatomic(dma32), pageblock_nr_pages - 32,
		     "the rest of the pageblock is on the HighAtomic lists");
	/* The failure report shows both: the reserve, and what of it is free (6.18's fields). */
	host_printk_reset();
	__show_mem(0, NULL, MAX_NR_ZONES - 1);
	cr_assert(strstr(host_printk_buf, " reserved_highatomic:2048KB free_highatomic:1920KB "),
		  "%s", host_printk_buf);
	cr_assert(strstr(show(pagetypeinfo_show), "Node    0, zone    DMA32, type   HighAtomic"
			 "      0      0      0      0      0      1      1      1      1      0      0 \n"),
		  "%s", show(pagetypeinfo_show));
	cr_assert(strstr(show(pagetypeinfo_show), "            1            0 \n"),
		  "one HighAtomic pageblock, no Isolate\n%s", show(pagetypeinfo_show));
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

Test(highatomic, gfp_nowait_and_small_zones_reserve_nothing)
{
	boot_224m();
	zones_run_low();
	cr_assert_not_null(alloc_pages(GFP_NOWAIT, 4));
	cr_assert_not_null(alloc_pages(GFP_ATOMIC, 0));
	cr_assert_eq(dma32->nr_reserved_highatomic, 0);
	/* DMA: 1% of 16 MiB is less than a pageblock */
	boot_machine(qemu_512m, 2, NULL);
	zones_run_low();
	cr_assert_not_null(alloc_pages(GFP_ATOMIC | GFP_DMA, 3));
	cr_assert_eq(Z(ZONE_DMA)->nr_reserved_highatomic, 0);
}

/* Whole pageblocks taken at once count whole; the reserve stops at 1% rounded up. */
Test(highatomic, the_reserve_stops_at_one_percent)
{
	boot_224m();
	cr_assert_eq(reserve_limit(dma32), 2 * pageblock_nr_pages, "managed %lu", dma32->managed_pages);
	zones_run_low();
	for (int i = 0; i < 5; i++) {
		struct page *page = alloc_pages(GFP_ATOMIC, pageblock_order);

		cr_assert_not_null(page);
		cr_assert_eq(in_highatomic_block(page), i < 2, "block %d", i);
	}
	cr_assert_eq(dma32->nr_reserved_highatomic, reserve_limit(dma32));
	cr_assert_eq(highatomic_blocks(dma32), 2);
}

/*
 * The reserve serves high-order atomic requests first, other requests that cannot sleep
 * only when nothing else is left, and requests that may sleep never (until it is given
 * back: next test).  Free pages there do not count for them either.
 */
Test(highatomic, only_eligible_requests_take_from_the_reserve)
{
	unsigned long reserved_free, free;
	struct page *page;

	boot_224m();
	zones_run_low();
	cr_assert_not_null(alloc_pages(GFP_ATOMIC, 5)); /* reserves a pageblock */
	reserved_free = zone_free_highatomic(dma32);
	cr_assert_eq(reserved_free, pageblock_nr_pages - 32);
	page = alloc_pages(GFP_ATOMIC, 4);
	cr_assert(in_highatomic_block(page), "a high-order atomic request takes from it first");
	cr_assert_eq(zone_free_highatomic(dma32), reserved_free - 16);
	cr_assert(!in_highatomic_block(alloc_pages(GFP_NOWAIT, 4)), "GFP_NOWAIT has other memory");

	watermarks_off();
	free = zone_page_state(dma32, NR_FREE_PAGES);
	reserved_free = zone_free_highatomic(dma32);
	cr_assert(zone_watermark_ok(dma32, 0, free - reserved_free - 1, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(dma32, 0, free - reserved_free, ZONE_DMA32, 0),
		      "the reserve's free pages are not free to GFP_KERNEL");
	cr_assert(zone_watermark_ok(dma32, 0, free - 1, ZONE_DMA32, ALLOC_HIGHATOMIC));
	/* costly orders never take the reserve, nor give it back (Linux: no OOM retries) */
	for (int order = MAX_PAGE_ORDER; order > PAGE_ALLOC_COSTLY_ORDER; order--)
		while ((page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order)))
			cr_assert(!in_highatomic_block(page), "order %d at pfn %#lx", order,
				  page_to_pfn(page));
	cr_assert_eq(zone_free_highatomic(dma32), reserved_free);
	cr_assert_eq(dma32->nr_reserved_highatomic, pageblock_nr_pages);
}

/*
 * Everything outside the reserve, with requests that cannot give it back, largest
 * blocks first, again until a pass finds nothing (draining the per-cpu lists puts
 * pages back that may merge).
 */
static void take_all_but_the_reserve(void)
{
	unsigned long before;

	do {
		before = zone_page_state(dma32, NR_FREE_PAGES) + zone_pcp_count(dma32);
		for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
			struct page *page;

			while ((page = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, order))) {
				if (in_highatomic_block(page)) { /* the last resort: put it back */
					__free_pages(page, order);
					break;
				}
			}
		}
		drain_all_pages(NULL);
	} while (zone_page_state(dma32, NR_FREE_PAGES) < before);
	cr_assert_eq(zone_page_state(dma32, NR_FREE_PAGES), zone_free_highatomic(dma32),
		     "%s", show(pagetypeinfo_show));
}

/*
 * Before a request that may sleep fails, Linux 6.18 gives reserved pageblocks back: all
 * but one where its direct reclaim gives up, then the last ones before the OOM killer,
 * one at a time, and only pageblocks with a free page.  A request that cannot sleep
 * may take the reserve's last pages, but gives nothing back.
 */
Test(highatomic, blocks_are_given_back_before_a_failure)
{
	struct page *page, *whole;

	boot_224m();
	zones_run_low();
	cr_assert_not_null(alloc_pages(GFP_ATOMIC, 1));
	whole = alloc_pages(GFP_ATOMIC, pageblock_order);
	cr_assert_not_null(whole);
	cr_assert_eq(dma32->nr_reserved_highatomic, 2 * pageblock_nr_pages);
	watermarks_off();
	take_all_but_the_reserve();
	cr_assert_gt(zone_free_highatomic(dma32), 0);
	page = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0);
	cr_assert(page && in_highatomic_block(page), "GFP_NOWAIT's last resort");
	cr_assert_eq(dma32->nr_reserved_highatomic, 2 * pageblock_nr_pages, "nothing given back");

	page = alloc_pages(GFP_KERNEL, 0);
	cr_assert_not_null(page, "a reserved pageblock went back");
	cr_assert_eq(get_pageblock_migratetype(page), MIGRATE_UNMOVABLE, "as the caller's type");
	cr_assert_eq(dma32->nr_reserved_highatomic, pageblock_nr_pages, "the last one is kept");
	cr_assert_eq(highatomic_blocks(dma32), 1);

	take_all_but_the_reserve();
	__free_pages(whole, pageblock_order); /* the kept pageblock is free again */
	cr_assert_eq(zone_free_highatomic(dma32), pageblock_nr_pages);
	page = alloc_pages(GFP_KERNEL, 0);
	cr_assert_not_null(page, "the last reserved pageblock went back too");
	cr_assert_eq(dma32->nr_reserved_highatomic, 0);
	cr_assert_eq(highatomic_blocks(dma32), 0);
	cr_assert_eq(zone_free_highatomic(dma32), 0);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}
