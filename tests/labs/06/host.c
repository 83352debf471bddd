// SPDX-License-Identifier: MIT
/*
 * Lab 6's host checks: __zone_watermark_ok() (mm/page_alloc.c) decides whether a zone
 * may give a block and still keep its mark; __setup_per_zone_wmarks()
 * (mm/page_alloc_init.c) decides the marks.  Each test boots a made-up machine with the
 * kernel's own boot code (host/buddy_machine.h) and is one graded check
 * (docs/labs/06-pcp-watermarks-fragmentation.md).
 *
 * "The 16 MiB machine": RAM 16-32 MiB, all DMA32, 3712 managed pages, free blocks of
 * order 10, 10, 10, 9 and 7 at boot, per-cpu batch 1; min_free_kbytes 487 (sqrt of
 * 14848 KiB * 16), so min 121, low 151, high 181.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "mm/highmem.h"

static const u64 ram_16m[][2] = { { MB(16), MB(32) } };
/* 4 GiB on a q35: 3 GiB below the PCI hole, 1 GiB above 4 GiB (DMA, DMA32, Normal). */
static const u64 ram_4g[][2] = { { 0x1000, 0x9f000 }, { 0x100000, GB(3) }, { GB(4), GB(5) } };
/* The same 2 GiB machine as the lab's zones=x86_32 boot, and one just over MAXMEM. */
static const u64 ram_2g[][2] = { { 0x1000, 0x9f000 }, { 0x100000, GB(2) } };
static const u64 ram_960m[][2] = { { 0x1000, 0x9f000 }, { 0x100000, MB(960) } };

static void boot_16m(void)
{
	boot_machine(ram_16m, 1, NULL);
}

/* Both machines have RAM above MAXMEM (885 MiB): HighMem, once lab 9's layout is done. */
static void boot_x86_32(const u64 (*ram)[2], int n)
{
	zone_layout_init("zones=x86_32");
	boot_machine(ram, n, "zones=x86_32");
	cr_assert(populated_zone(Z(ZONE_HIGHMEM)), "zones=x86_32 made no HighMem: these checks "
		  "need lab 9's exercise 1 (lowmem_limit(), zone_sizes_init()) done");
}

/* Marks off, for tests that set up free lists by hand (they ask with marks of their own). */
static void no_watermarks_for_tests(void)
{
	struct zone *z;

	for_each_zone(z)
		for (int w = 0; w < NR_WMARK; w++)
			z->_watermark[w] = 0;
}

static long nr_free(const struct zone *z)
{
	return (long)zone_page_state(z, NR_FREE_PAGES);
}

static void expect_marks(const struct zone *z, unsigned long min, unsigned long low,
			 unsigned long high, unsigned long promo)
{
	cr_assert(min_wmark_pages(z) == min && low_wmark_pages(z) == low &&
		  high_wmark_pages(z) == high && promo_wmark_pages(z) == promo,
		  "%s (managed %lu): min/low/high/promo %lu/%lu/%lu/%lu, expected %lu/%lu/%lu/%lu",
		  z->name, z->managed_pages, min_wmark_pages(z), low_wmark_pages(z),
		  high_wmark_pages(z), promo_wmark_pages(z), min, low, high, promo);
}

/* ---- exercise 1: __zone_watermark_ok ----------------------------------------------------- */

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab06, .timeout = 5);

/*
 * 3712 free pages: an order-0 request may leave 3711 above a mark of 3711, not 3712.
 *   free  3712 |==============================|
 *   mark  3711 |=============================| ok: one page more than the mark stays
 *   mark  3712 |==============================| no
 */
Test(lab06, more_than_the_mark_must_stay_free)
{
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	cr_assert_eq(nr_free(z), 3712);
	cr_assert(zone_watermark_ok(z, 0, 3711, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(z, 0, 3712, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(z, 0, 5000, ZONE_DMA32, 0));
	cr_assert(zone_watermark_ok(z, 0, min_wmark_pages(z), ZONE_DMA32, 0));
}

/*
 * q35 512 MiB: DMA keeps lowmem_reserve[DMA32] = 489 pages from requests that could
 * have used DMA32 (GFP_KERNEL); a GFP_DMA request (highest zone DMA) need not.
 */
Test(lab06, lowmem_reserve_is_kept_from_higher_requests)
{
	struct zone *dma;
	long free;

	boot_machine(qemu_512m, 2, NULL);
	dma = Z(ZONE_DMA);
	free = nr_free(dma);
	cr_assert_eq(dma->lowmem_reserve[ZONE_DMA32], 489);
	cr_assert_eq(dma->lowmem_reserve[ZONE_NORMAL], 489);
	cr_assert(zone_watermark_ok(dma, 0, free - 1, ZONE_DMA, 0));
	cr_assert(zone_watermark_ok(dma, 0, free - 490, ZONE_NORMAL, 0));
	cr_assert_not(zone_watermark_ok(dma, 0, free - 489, ZONE_NORMAL, 0));
	cr_assert_not(zone_watermark_ok(dma, 0, free - 489, ZONE_DMA32, 0));
	cr_assert(zone_watermark_ok(dma, 0, free - 489, ZONE_DMA, 0));
}

/*
 * An order-3 block takes 8 pages: only one of them still counts as free, so the 7
 * others come off before the comparison.  3712 - 7 = 3705 must stay above the mark.
 */
Test(lab06, the_blocks_own_pages_do_not_count)
{
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	cr_assert(zone_watermark_ok(z, 3, 3704, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(z, 3, 3705, ZONE_DMA32, 0));
	cr_assert(zone_watermark_ok(z, 10, 2688 - 1, ZONE_DMA32, 0), "3712 - 1023 = 2689 > 2687");
	cr_assert_not(zone_watermark_ok(z, 10, 2689, ZONE_DMA32, 0));
}

/*
 * Reserve rights lower the mark of 1000:
 *   __GFP_HIGH (ALLOC_MIN_RESERVE)        1000 - 500        = 500
 *   GFP_ATOMIC (... | ALLOC_NON_BLOCK)    500  - 500/4      = 375
 */
Test(lab06, reserve_rights_lower_the_mark)
{
	const unsigned int high = ALLOC_MIN_RESERVE, atomic = ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK;
	LIST_HEAD(taken);
	struct page *p;
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	no_watermarks_for_tests();
	while (nr_free(z) > 500 && (p = alloc_pages(GFP_KERNEL, 0)))
		list_add(&p->lru, &taken);
	cr_assert_eq(nr_free(z), 500);
	cr_assert_not(zone_watermark_ok(z, 0, 1000, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(z, 0, 1000, ZONE_DMA32, high), "500 free is not above 500");
	cr_assert(zone_watermark_ok(z, 0, 998, ZONE_DMA32, high), "500 is above 998 - 499");
	cr_assert_not(zone_watermark_ok(z, 0, 999, ZONE_DMA32, high), "999 - 499 = 500");
	cr_assert(zone_watermark_ok(z, 0, 1000, ZONE_DMA32, atomic), "500 is above 375");
	cr_assert(zone_watermark_ok(z, 0, 1330, ZONE_DMA32, atomic), "665 - 166 = 499");
	cr_assert_not(zone_watermark_ok(z, 0, 1331, ZONE_DMA32, atomic), "666 - 166 = 500");
	cr_assert_not(zone_watermark_ok(z, 0, 600, ZONE_DMA32, ALLOC_NON_BLOCK),
		      "not sleeping alone gives no rights: the mark stays 600 (before 6.3, 450)");
}

/*
 * The three order-10 blocks taken: 640 pages free, in an order-9 and an order-7 block.
 * An order-10 request has enough pages above a mark of 0, but no block that big.
 */
Test(lab06, a_block_of_the_order_must_be_free)
{
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	no_watermarks_for_tests();
	for (int i = 0; i < 3; i++)
		cr_assert_not_null(alloc_pages(GFP_HIGHUSER_MOVABLE, 10));
	cr_assert_eq(nr_free(z), 640);
	cr_assert_not(zone_watermark_ok(z, 10, 0, ZONE_DMA32, 0), "640 pages, no order-10 block");
	cr_assert(zone_watermark_ok(z, 9, 0, ZONE_DMA32, 0));
	cr_assert(zone_watermark_ok(z, 8, 0, ZONE_DMA32, 0), "an order-9 block will do for 8");
	cr_assert_null(alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 10));
}

/*
 * The high-order atomic reserve (Linux 6.18): the order-7 block made a HighAtomic
 * reserve by hand.  Its 128 pages are not free to a request without reserve rights,
 * and its block only serves ALLOC_HIGHATOMIC requests:
 *   free  3712 = 3584 ordinary + 128 HighAtomic
 *   GFP_KERNEL-like (no rights):   3584 free, no use for the order-7 block
 *   ALLOC_HIGHATOMIC:              3712 free, the order-7 block will do
 */
Test(lab06, the_highatomic_reserve_is_kept_for_atomic_requests)
{
	struct page *block = pfn_to_page(0x1e00);
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	no_watermarks_for_tests();
	cr_assert(PageBuddy(block) && block->private == 7, "the 16 MiB machine's order-7 block");
	list_move(&block->lru, &z->free_area[7].free_list[MIGRATE_HIGHATOMIC]);
	set_pageblock_migratetype(block, MIGRATE_HIGHATOMIC);
	z->nr_reserved_highatomic = pageblock_nr_pages;
	cr_assert_eq(nr_free(z), 3712);
	cr_assert(zone_watermark_ok(z, 0, 3583, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(z, 0, 3584, ZONE_DMA32, 0), "the reserve is not free to it");
	cr_assert(zone_watermark_ok(z, 0, 3711, ZONE_DMA32, ALLOC_HIGHATOMIC));
	for (int i = 0; i < 3; i++)
		cr_assert_not_null(alloc_pages(GFP_HIGHUSER_MOVABLE, 10));
	cr_assert_not_null(alloc_pages(GFP_HIGHUSER_MOVABLE, 9));
	cr_assert_eq(nr_free(z), 128);
	cr_assert(zone_watermark_ok(z, 7, 0, ZONE_DMA32, ALLOC_HIGHATOMIC), "its own block");
	cr_assert_not(zone_watermark_ok(z, 7, 0, ZONE_DMA32, ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE),
		      "rights to the min reserve are not rights to the HighAtomic block");
	cr_assert_not(zone_watermark_ok(z, 0, 0, ZONE_DMA32, 0), "nothing is free to GFP_KERNEL");
}

/*
 * Every other page of the machine free and no two side by side: 1856 free pages, all
 * of order 0.  Even an order-1 request must fail.
 */
Test(lab06, scattered_pages_are_no_block)
{
	static struct page *pages[4096];
	int n = 0;
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	no_watermarks_for_tests();
	while ((pages[n] = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0)))
		n++;
	cr_assert_eq(n, 3712);
	for (int i = 0; i < n; i++)
		if (page_to_pfn(pages[i]) % 2)
			__free_pages(pages[i], 0);
	drain_all_pages(NULL);
	cr_assert_eq(nr_free(z), 1856);
	cr_assert(zone_watermark_ok(z, 0, 1000, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(z, 1, 0, ZONE_DMA32, 0));
	cr_assert_not(zone_watermark_ok(z, 1, 0, ZONE_DMA32, ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK));
}

/*
 * The whole path on the 16 MiB machine (min 121): GFP_KERNEL stops at min; __GFP_HIGH
 * goes on to 121 - 60 = 61; GFP_ATOMIC to 61 - 15 = 46.
 */
Test(lab06, allocations_stop_at_their_marks)
{
	LIST_HEAD(taken);
	struct page *p, *n;
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	cr_assert_eq(min_wmark_pages(z), 121);
	while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		list_add(&p->lru, &taken);
	cr_assert_eq(nr_free(z), 121);
	while ((p = alloc_pages(GFP_KERNEL | __GFP_HIGH | __GFP_NOWARN, 0)))
		list_add(&p->lru, &taken);
	cr_assert_eq(nr_free(z), 61);
	while ((p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0)))
		list_add(&p->lru, &taken);
	cr_assert_eq(nr_free(z), 46);
	list_for_each_entry_safe(p, n, &taken, lru)
		__free_pages(p, 0);
	drain_all_pages(NULL);
	cr_assert_eq(nr_free(z), 3712);
}

/*
 * q35 512 MiB, everything GFP_KERNEL can have: DMA32 down to its min, then DMA down to
 * its min plus the 489 pages it keeps from requests that could have used DMA32.
 */
Test(lab06, gfp_kernel_leaves_dma_its_reserve, .timeout = 60)
{
	static struct list_head taken[NR_PAGE_ORDERS];
	struct page *p, *n;

	boot_machine(qemu_512m, 2, NULL);
	for (int o = MAX_PAGE_ORDER; o >= 0; o--) {
		INIT_LIST_HEAD(&taken[o]);
		while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o)))
			list_add(&p->lru, &taken[o]);
	}
	cr_assert_eq(nr_free(Z(ZONE_DMA32)), (long)min_wmark_pages(Z(ZONE_DMA32)));
	cr_assert_eq(nr_free(Z(ZONE_DMA)), (long)min_wmark_pages(Z(ZONE_DMA)) + 489);
	cr_assert_gt(min_wmark_pages(Z(ZONE_DMA)), 0);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		list_for_each_entry_safe(p, n, &taken[o], lru)
			__free_pages(p, o);
}

/* ---- exercise 2: __setup_per_zone_wmarks ------------------------------------------------- */

/*
 * q35 512 MiB: 129405 lowmem pages managed (DMA 3998, DMA32 125407 on the host, whose
 * memmap is smaller), min_free_kbytes sqrt(517620 * 16) = 2877, 719 pages:
 *   DMA    min 719 * 3998 / 129405 = 22    gap max(22/4, 3)    = 5
 *   DMA32  min 719 * 125407 / 129405 = 696 gap max(696/4, 125) = 174
 */
Test(lab06, min_free_kbytes_is_shared_by_managed_pages)
{
	boot_machine(qemu_512m, 2, NULL);
	cr_assert_eq(min_free_kbytes, 2877);
	cr_assert_eq(Z(ZONE_DMA)->managed_pages + Z(ZONE_DMA32)->managed_pages, 129405);
	expect_marks(Z(ZONE_DMA), 22, 27, 32, 37);
	expect_marks(Z(ZONE_DMA32), 696, 870, 1044, 1218);
	cr_assert_eq(totalreserve_pages, 489 + 32 + 1044, "high marks plus DMA's reserve");
	cr_assert_eq(Z(ZONE_DMA32)->per_cpu_pageset[0].high, 870, "per-cpu high is the low mark");
}

/*
 * 4 GiB: min_free_kbytes is about 8 MiB, and DMA32's share of it under 1600 pages; a
 * quarter of that is less than 0.1% of DMA32's 780,000-odd pages, which wins.
 */
Test(lab06, a_large_zone_gets_the_scale_factor_gap, .timeout = 60)
{
	struct zone *dma32, *normal;
	unsigned long lowmem, pages_min;

	boot_machine(ram_4g, 3, NULL);
	dma32 = Z(ZONE_DMA32);
	normal = Z(ZONE_NORMAL);
	lowmem = Z(ZONE_DMA)->managed_pages + dma32->managed_pages + normal->managed_pages;
	pages_min = (unsigned long)min_free_kbytes / 4;
	cr_assert_eq(min_wmark_pages(dma32), pages_min * dma32->managed_pages / lowmem);
	cr_assert_gt(dma32->managed_pages / 1000, min_wmark_pages(dma32) / 4);
	expect_marks(dma32, min_wmark_pages(dma32),
		     min_wmark_pages(dma32) + dma32->managed_pages / 1000,
		     min_wmark_pages(dma32) + 2 * (dma32->managed_pages / 1000),
		     min_wmark_pages(dma32) + 3 * (dma32->managed_pages / 1000));
	cr_assert_eq(min_wmark_pages(normal), pages_min * normal->managed_pages / lowmem);
	cr_assert_eq(low_wmark_pages(normal) - min_wmark_pages(normal),
		     normal->managed_pages * 10 / 10000);
	cr_assert_eq(min_wmark_pages(Z(ZONE_DMA)) + min_wmark_pages(dma32) + min_wmark_pages(normal),
		     pages_min - 2, "the shares add up to pages_min, less the rounding");
}

/*
 * zones=x86_32, 2 GiB: lowmem (up to MAXMEM, 0x375fe000) is DMA 3998 + Normal 222718
 * pages, so min_free_kbytes is sqrt(906864 * 16) = 3809, 952 pages.  HighMem (291330
 * pages here: the host's memmap comes out of it) gets min 128 - a thousandth would be
 * 284, the most is 128 - but its gap comes from the share of min_free_kbytes it would
 * have had as lowmem: 952 * 291330 / 226716 = 1223, a quarter 305 (more than 0.1%, 291).
 */
Test(lab06, highmem_gets_a_token_min)
{
	struct zone *high;

	boot_x86_32(ram_2g, 2);
	high = Z(ZONE_HIGHMEM);
	cr_assert(populated_zone(high));
	cr_assert_eq(high->managed_pages, 291330);
	cr_assert_eq(min_free_kbytes, 3809);
	expect_marks(high, 128, 128 + 305, 128 + 610, 128 + 915);
	expect_marks(Z(ZONE_NORMAL), 935, 935 + 233, 935 + 466, 935 + 699);
	expect_marks(Z(ZONE_MOVABLE), 32, 32, 32, 32);
}

/* zones=x86_32, 960 MiB: 15874 pages of HighMem, 15 a thousandth, raised to 32. */
Test(lab06, small_highmem_gets_at_least_32)
{
	boot_x86_32(ram_960m, 2);
	cr_assert_eq(Z(ZONE_HIGHMEM)->managed_pages, 15874);
	cr_assert_eq(min_wmark_pages(Z(ZONE_HIGHMEM)), 32);
}

/*
 * No lowmem at all, made by hand from the 2 GiB machine (no kernel boots like this):
 * there is nothing to share, so every share is 0.  HighMem keeps its token min and its
 * step is 0.1% of its 291330 pages alone, 291; the empty zones get no step.
 */
Test(lab06, no_lowmem_means_no_shares)
{
	boot_x86_32(ram_2g, 2);
	Z(ZONE_DMA)->managed_pages = 0;
	Z(ZONE_NORMAL)->managed_pages = 0;
	setup_per_zone_wmarks();
	expect_marks(Z(ZONE_HIGHMEM), 128, 128 + 291, 128 + 582, 128 + 873);
	expect_marks(Z(ZONE_NORMAL), 0, 0, 0, 0);
	expect_marks(Z(ZONE_MOVABLE), 32, 32, 32, 32);
}
