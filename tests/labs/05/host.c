// SPDX-License-Identifier: MIT
/*
 * Lab 5's host checks: __rmqueue_smallest() and expand() (finding a block and splitting
 * it) and __free_one_page() (the merge) in mm/page_alloc.c, run by the real page allocator on a made-up machine
 * (tests/host/include/host/buddy_machine.h boots it with the kernel's own sequence).
 * Each test is one graded check (docs/labs/05-the-buddy-allocator.md).
 *
 * "The 16 MiB machine": RAM 16-32 MiB, all of it zone DMA32.  The memmap of its section
 * (1.5 MiB) is taken from the top, so it boots with these free blocks:
 *
 *   pfn  0x1000   0x1400   0x1800   0x1c00  0x1e00 0x1e80          0x2000
 *        [  10   ][  10   ][  10   ][  9   ][ 7 ] memmap (reserved)
 *
 * Requests use orders 4 and up (and drain the per-cpu lists where they do not), so that
 * what the free lists show is the buddy allocator's work alone.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"

static const u64 ram_16m[][2] = { { MB(16), MB(32) } };

/* Boot the 16 MiB machine, with @nr single frames kept reserved (by memblock). */
static void boot_16m_reserving(const unsigned long *pfns, int nr)
{
	add_machine_ram(ram_16m, 1);
	for (int i = 0; i < nr; i++)
		memblock_reserve(PFN_PHYS(pfns[i]), PAGE_SIZE);
	boot_added_ram(NULL);
}

static void boot_16m(void)
{
	boot_machine(ram_16m, 1, NULL);
}

/*
 * DMA32's lists hold exactly @want[order] blocks of each order, the free page count
 * agrees with them, and every invariant holds (aligned, no overlap, no unmerged buddies).
 */
static void expect_free_blocks(const unsigned long want[NR_PAGE_ORDERS])
{
	struct zone *z = Z(ZONE_DMA32);
	unsigned long pages = 0;

	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		cr_assert_eq(z->free_area[o].nr_free, want[o],
			     "order %d: %lu free blocks, expected %lu\nbuddyinfo now:\n%s", o,
			     z->free_area[o].nr_free, want[o], show(buddyinfo_show));
		pages += want[o] << o;
	}
	cr_assert_eq(zone_page_state(z, NR_FREE_PAGES), pages,
		     "NR_FREE_PAGES is %lu, the lists hold %lu pages",
		     zone_page_state(z, NR_FREE_PAGES), pages);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

/* The frame @pfn heads a free block of @order. */
static void expect_free_head(unsigned long pfn, unsigned int order)
{
	struct page *p = pfn_to_page(pfn);

	cr_assert(PageBuddy(p) && p->private == order,
		  "pfn %#lx should head a free order-%u block; it is %s, order %lu", pfn, order,
		  PageBuddy(p) ? "a free block head" : "not a free block head", p->private);
}

#define BOOT_FREE ((unsigned long[NR_PAGE_ORDERS]){ [7] = 1, [9] = 1, [10] = 3 })

/* The free blocks of @mt in DMA32, per order. */
static unsigned long type_blocks(int mt, unsigned int order)
{
	unsigned long n = 0;
	struct list_head *pos;

	list_for_each(pos, &Z(ZONE_DMA32)->free_area[order].free_list[mt])
		n++;
	return n;
}

/* ---- exercise 1: __rmqueue_smallest() and expand() ------------------------------------ */

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab05, .timeout = 5);

/*
 * Three order-10 blocks were freed at boot lowest first, to the tail: the head of the
 * list is 0x1000.  Two order-9 halves of it, freed, merge back into it - and a block
 * freed late goes to the head of its list: it is the next one handed out.
 */
Test(lab05, the_block_freed_last_is_handed_out_first)
{
	struct page *b, *c;

	boot_16m();
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 9)), 0x1c00);
	b = alloc_pages(GFP_HIGHUSER_MOVABLE, 9);
	c = alloc_pages(GFP_HIGHUSER_MOVABLE, 9);
	cr_assert(b && c && page_to_pfn(b) == 0x1000 && page_to_pfn(c) == 0x1200,
		  "two order-9 requests split the first order-10 block on its list, 0x1000");
	__free_pages(c, 9);
	__free_pages(b, 9);
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 10)), 0x1000,
		     "the order-10 block freed last, 0x1000, is at the head of its list");
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 10)), 0x1400);
}

/*
 * An order-8 request splits the order-9 block; the three order-10 blocks then go whole,
 * and a fourth order-10 request must fail, leaving what is left alone.
 */
Test(lab05, a_request_no_block_can_hold_fails_and_takes_nothing)
{
	boot_16m();
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 8)), 0x1c00);
	for (int i = 0; i < 3; i++)
		cr_assert_not_null(alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 10),
				   "order-10 request %d: three order-10 blocks are free", i + 1);
	cr_assert_null(alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 10),
		       "no free block of order 10 is left");
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [7] = 1, [8] = 1 });
}

/*
 * Every free block boots Movable.  An Unmovable request finds nothing on its own lists;
 * only then does the allocator steal a Movable pageblock (lab 6) - and the request is
 * served from that block, now on the Unmovable lists.  A search that ignores the type
 * hands out a Movable block without moving anything.
 */
Test(lab05, each_migrate_type_is_served_from_its_own_lists)
{
	struct page *p;

	boot_16m();
	cr_assert_eq(type_blocks(MIGRATE_UNMOVABLE, 10) + type_blocks(MIGRATE_UNMOVABLE, 9), 0);
	p = alloc_pages(GFP_KERNEL, 4);
	cr_assert_not_null(p);
	drain_all_pages(NULL);
	cr_assert_eq(page_to_pfn(p), 0x1000, "the stolen block is the first order-10 one, "
		     "not %#lx\npagetypeinfo:\n%s", page_to_pfn(p), show(pagetypeinfo_show));
	cr_assert_eq(get_pageblock_migratetype(p), MIGRATE_UNMOVABLE);
	for (unsigned int o = 4; o < 10; o++)
		cr_assert_eq(type_blocks(MIGRATE_UNMOVABLE, o), 1, "the rest of the stolen block "
			     "is Unmovable, one block of each order 4-9\npagetypeinfo:\n%s",
			     show(pagetypeinfo_show));
	cr_assert(type_blocks(MIGRATE_MOVABLE, 7) == 1 && type_blocks(MIGRATE_MOVABLE, 9) == 1 &&
		  type_blocks(MIGRATE_MOVABLE, 10) == 2,
		  "the Movable blocks other than the stolen one stay\npagetypeinfo:\n%s",
		  show(pagetypeinfo_show));
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}


/*
 * order 4 from the order-7 block at 0x1e00 - the smallest that fits:
 *
 *   [4 taken][4 0x1e10][  5 0x1e20  ][      6 0x1e40       ]
 */
Test(lab05, a_split_puts_back_one_block_of_each_order_between)
{
	struct page *p;

	boot_16m();
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	cr_assert_not_null(p);
	cr_assert_eq(page_to_pfn(p), 0x1e00, "the caller gets the lowest part of the block");
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [4] = 1, [5] = 1, [6] = 1, [9] = 1,
							    [10] = 3 });
	expect_free_head(0x1e10, 4);
	expect_free_head(0x1e20, 5);
	expect_free_head(0x1e40, 6);
	cr_assert_not(PageBuddy(p), "the block handed out is not on a free list");
	cr_assert_eq(page_ref_count(p), 1);
}

/*
 * Once only order-10 blocks are left, order 4 splits one all the way down:
 *
 *   [4][4][ 5 ][  6  ][   7   ][     8     ][          9          ]
 *   P  +16 +32  +64    +128     +256        +512
 */
Test(lab05, splitting_a_4_mib_block_halves_it_six_times)
{
	unsigned long p;

	boot_16m();
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 9)), 0x1c00);
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 7)), 0x1e00);
	p = page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 4));
	cr_assert_eq(p & 0x3ff, 0, "order 4 comes from the start of an order-10 block: pfn %#lx", p);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [4] = 1, [5] = 1, [6] = 1, [7] = 1,
							    [8] = 1, [9] = 1, [10] = 2 });
	for (unsigned int o = 4; o < 10; o++)
		expect_free_head(p + (1UL << o), o);
}

/*
 * An order-0 request (through the per-cpu list, drained again here) from the order-7
 * block: seven halves go back, orders 6 down to 0.
 */
Test(lab05, an_order_0_request_splits_a_block_into_one_of_each_order)
{
	struct page *p;

	boot_16m();
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	cr_assert_not_null(p);
	drain_all_pages(NULL);
	cr_assert_eq(page_to_pfn(p), 0x1e00);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ 1, 1, 1, 1, 1, 1, 1, [9] = 1,
							    [10] = 3 });
	for (unsigned int o = 0; o < 7; o++)
		expect_free_head(0x1e00 + (1UL << o), o);
}

/*
 * A request of exactly a free block's size takes it whole; the next one splits:
 *
 *   order 9, order 7: the free blocks of those sizes, nothing to put back
 *   order 8: an order-10 block  [8 taken][ 8 free ][      9 free      ]
 */
Test(lab05, exact_fits_are_taken_whole_and_the_next_request_splits)
{
	unsigned long p;

	boot_16m();
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 9)), 0x1c00);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [7] = 1, [10] = 3 });
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 7)), 0x1e00);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [10] = 3 });
	p = page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 8));
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [8] = 1, [9] = 1, [10] = 2 });
	expect_free_head(p + 0x100, 8);
	expect_free_head(p + 0x200, 9);
}

/* ---- exercise 2: __free_one_page() ---------------------------------------------------- */

/* Free two order-4 buddies, the lower first: nothing merges, then everything does. */
Test(lab05, freeing_both_buddies_merges_all_the_way_up)
{
	struct page *a, *b;

	boot_16m();
	a = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	b = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	cr_assert_eq(page_to_pfn(b), page_to_pfn(a) + 16, "the second is the first one's buddy");
	__free_pages(a, 4); /* its buddy b is in use: no merge */
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [4] = 1, [5] = 1, [6] = 1, [9] = 1,
							    [10] = 3 });
	expect_free_head(0x1e00, 4);
	__free_pages(b, 4); /* 4+4 -> 5, +5 -> 6, +6 -> 7, then the memmap above stops it */
	expect_free_blocks(BOOT_FREE);
	expect_free_head(0x1e00, 7);
}

/* The same, the upper one first: the merged block must start at the lower buddy. */
Test(lab05, a_merged_block_starts_at_the_lower_buddy)
{
	struct page *a, *b;

	boot_16m();
	a = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	b = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	__free_pages(b, 4);
	expect_free_head(0x1e10, 4);
	__free_pages(a, 4);
	expect_free_blocks(BOOT_FREE);
	expect_free_head(0x1e00, 7);
	cr_assert_not(PageBuddy(pfn_to_page(0x1e10)) || PageBuddy(pfn_to_page(0x1e20)) ||
		      PageBuddy(pfn_to_page(0x1e40)), "the merged halves are no longer heads");
}

/*
 *   [a 4][b 4][   c 5   ][     6 free    ]
 * free a, free b: they merge to order 5 and stop - c, their buddy at order 5, is in use.
 */
Test(lab05, merging_stops_at_a_buddy_in_use)
{
	struct page *a, *b, *c;

	boot_16m();
	a = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	b = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	c = alloc_pages(GFP_HIGHUSER_MOVABLE, 5);
	cr_assert_eq(page_to_pfn(c), 0x1e20);
	__free_pages(a, 4);
	__free_pages(b, 4);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [5] = 1, [6] = 1, [9] = 1, [10] = 3 });
	expect_free_head(0x1e00, 5);
	__free_pages(c, 5);
	expect_free_blocks(BOOT_FREE);
}

/*
 * A buddy that is free but split smaller is no buddy: its first page heads a free block,
 * but of a lower order, and the rest of it is in use.
 *
 *   [      x 5      ][y 4][z 4][          6 free          ]
 *   0x1e00           0x1e20 0x1e30 0x1e40
 *
 * free y: its buddy z is in use, so y stays an order-4 block.  free x: its order-5 buddy
 * starts at 0x1e20, where y is free - at order 4 only: no merge.  Then free z: all three
 * merge back, with the order-6 block after them, into the order-7 block.
 */
Test(lab05, a_free_buddy_split_smaller_does_not_merge)
{
	struct page *x, *y, *z;

	boot_16m();
	x = alloc_pages(GFP_HIGHUSER_MOVABLE, 5);
	y = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	z = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	cr_assert(page_to_pfn(x) == 0x1e00 && page_to_pfn(y) == 0x1e20 && page_to_pfn(z) == 0x1e30,
		  "x, y, z at %#lx, %#lx, %#lx", page_to_pfn(x), page_to_pfn(y), page_to_pfn(z));
	__free_pages(y, 4);
	__free_pages(x, 5);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [4] = 1, [5] = 1, [6] = 1, [9] = 1,
							    [10] = 3 });
	expect_free_head(0x1e00, 5);
	expect_free_head(0x1e20, 4);
	__free_pages(z, 4);
	expect_free_blocks(BOOT_FREE);
	expect_free_head(0x1e00, 7);
}

/*
 * Two order-9 halves of one order-10 block merge into it - and no further: the
 * neighbouring free order-10 block is a buddy at order 10, but 10 is MAX_PAGE_ORDER.
 */
Test(lab05, merging_goes_up_to_max_order_and_no_further)
{
	struct page *a, *b;

	boot_16m();
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 9)), 0x1c00);
	a = alloc_pages(GFP_HIGHUSER_MOVABLE, 9);
	b = alloc_pages(GFP_HIGHUSER_MOVABLE, 9);
	cr_assert_eq(page_to_pfn(b), page_to_pfn(a) ^ 0x200);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [7] = 1, [10] = 2 });
	__free_pages(b, 9);
	__free_pages(a, 9);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ [7] = 1, [10] = 3 });
	expect_free_head(0x1000, 10);
	expect_free_head(0x1400, 10);
}

/*
 * Memory freed late, as Linux frees its init sections: boot with pfn 0x1e00 kept
 * reserved, so the rest of its order-7 block boots as the blocks around it,
 *
 *   0x1e00 0x1e01 0x1e02  0x1e04     0x1e08 ...           0x1e40
 *   [res ][ 0  ][  1  ][    2    ][    3    ] ... [        6        ]
 *
 * then free it: it merges with each of them in turn, back to one order-7 block.
 * (No allocation: only __free_one_page() runs.)
 */
Test(lab05, a_page_freed_late_merges_with_the_blocks_around_it)
{
	static const unsigned long keep[] = { 0x1e00 };

	boot_16m_reserving(keep, 1);
	expect_free_blocks((unsigned long[NR_PAGE_ORDERS]){ 1, 1, 1, 1, 1, 1, 1, [9] = 1, [10] = 3 });
	__free_pages_core(pfn_to_page(0x1e00), 0);
	expect_free_blocks(BOOT_FREE);
	expect_free_head(0x1e00, 7);
}

/* The same from the top of the block: every buddy is the lower one, the block grows down. */
Test(lab05, a_late_free_at_the_top_merges_downwards)
{
	static const unsigned long keep[] = { 0x1e7f };

	boot_16m_reserving(keep, 1);
	expect_free_head(0x1e7e, 0);
	__free_pages_core(pfn_to_page(0x1e7f), 0);
	expect_free_blocks(BOOT_FREE);
	expect_free_head(0x1e00, 7);
}

/* ---- the challenge: a block likely to merge waits at the tail ------------------------ */

/*
 *   [a 4][b 4][ g 5 free ][   h 6   ]      0x1e00, and an order-4 block free at 0x1c10
 *
 * free a: its buddy b is in use, but the order-5 block a and b make would find its own
 * buddy g free - only b is missing for a merge to order 6.  Kept at the tail, a is not
 * the next order-4 block handed out, and is still there to merge when b comes back.
 * (Not part of the score: docs/labs/05-the-buddy-allocator.md, "Challenge".)
 */
Test(lab05, challenge_a_block_likely_to_merge_goes_to_the_tail)
{
	struct page *a, *b, *g, *h, *i;

	boot_16m();
	a = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	b = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	g = alloc_pages(GFP_HIGHUSER_MOVABLE, 5);
	h = alloc_pages(GFP_HIGHUSER_MOVABLE, 6);
	i = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	cr_assert(page_to_pfn(a) == 0x1e00 && page_to_pfn(b) == 0x1e10 &&
		  page_to_pfn(g) == 0x1e20 && page_to_pfn(h) == 0x1e40 && page_to_pfn(i) == 0x1c00,
		  "exercise 1 first: the set-up allocations are not where they should be");
	__free_pages(g, 5);
	__free_pages(a, 4);
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 4)), 0x1c10,
		     "a, likely to merge, should wait at the tail: the next order-4 block is "
		     "0x1c10\nbuddyinfo:\n%s", show(buddyinfo_show));
	__free_pages(b, 4);
	expect_free_head(0x1e00, 6);
}
