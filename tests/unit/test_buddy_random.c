// SPDX-License-Identifier: MIT
/*
 * Random operation sequences against the buddy allocator, with every invariant checked
 * after every single step (mm/page_alloc_check.c), plus the conservation law the
 * invariants cannot see:
 *
 *   pages on the buddy lists + pages on the per-cpu lists + pages handed out
 *     == the managed pages, at every step
 *
 * The machine is small (DMA and DMA32, 48 MiB) so a full check per step stays cheap,
 * and so the workload keeps running into the watermarks, the zone fallback and
 * migrate-type stealing.  Different seeds, different sequences; a failure names the
 * seed and the step.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"

static const u64 ram_48m[][2] = { { 0x1000, 0x9f000 }, { 0x100000, MB(48) } };

#define SLOTS 512

struct slot {
	struct page *page;
	unsigned int order;
};

static u64 next(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static unsigned long managed(void)
{
	unsigned long n = 0;
	struct zone *z;

	for_each_zone(z)
		n += z->managed_pages;
	return n;
}

/* One random step: free a held block, or allocate one with random flags and order. */
static void step(u64 *x, struct slot *slots, unsigned long *held, unsigned long *failed)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_HIGHUSER_MOVABLE,
				      GFP_KERNEL | __GFP_RECLAIMABLE, GFP_KERNEL | GFP_DMA,
				      GFP_KERNEL | GFP_DMA32, GFP_ATOMIC | GFP_DMA };
	u64 r = next(x);
	struct slot *s = &slots[r % SLOTS];

	if (s->page) {
		__free_pages(s->page, s->order);
		*held -= 1UL << s->order;
		s->page = NULL;
		return;
	}
	s->order = (r >> 16) % 4 ? (r >> 20) % 4 : (r >> 20) % NR_PAGE_ORDERS;
	s->page = alloc_pages(gfps[(r >> 32) % ARRAY_SIZE(gfps)] | __GFP_NOWARN, s->order);
	if (s->page) {
		cr_assert_eq(page_ref_count(s->page), 1);
		cr_assert_eq(page_to_pfn(s->page) & ((1UL << s->order) - 1), 0);
		*held += 1UL << s->order;
	} else {
		++*failed;
	}
}

/* Pageblocks no longer Movable: evidence that migrate-type stealing happened. */
static unsigned long stolen_pageblocks(void)
{
	unsigned long n = 0;
	struct zone *z;

	for_each_populated_zone(z)
		for (unsigned long pfn = ALIGN_UP(z->zone_start_pfn, pageblock_nr_pages);
		     pfn < zone_end_pfn(z); pfn += pageblock_nr_pages)
			n += get_pageblock_migratetype(pfn_to_page(pfn)) != MIGRATE_MOVABLE;
	return n;
}

static void run(u64 seed, int steps)
{
	static struct slot slots[SLOTS];
	unsigned long held = 0, failed = 0, total;
	u64 x = seed * 0x9e3779b97f4a7c15ULL | 1;
	char before[1024];

	boot_machine(ram_48m, 2, NULL);
	total = managed();
	strcpy(before, show(buddyinfo_show));
	for (int i = 0; i < steps; i++) {
		const char *why;

		step(&x, slots, &held, &failed);
		why = free_lists_broken();
		cr_assert_null(why, "seed %llu step %d: %s", seed, i, why);
		cr_assert_eq(free_and_pcp_pages() + held, total, "seed %llu step %d: pages lost", seed, i);
		if (i % 500 == 499) /* now and then, give the per-cpu lists back */
			drain_all_pages(NULL);
	}
	cr_assert_gt(failed, 0, "seed %llu: the workload should reach the watermarks", seed);
	cr_assert_gt(stolen_pageblocks(), 0, "seed %llu: and make migrate types steal", seed);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].page)
			__free_pages(slots[i].page, slots[i].order);
	drain_all_pages(NULL);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
	cr_assert_str_eq(show(buddyinfo_show), before, "seed %llu: everything back, fully merged", seed);
	cr_assert_eq(nr_bad_pages, 0);
}

Test(buddy_random, seed_1, .timeout = 120) { run(1, 10000); }
Test(buddy_random, seed_2, .timeout = 120) { run(2, 10000); }
Test(buddy_random, seed_3, .timeout = 120) { run(3, 10000); }
Test(buddy_random, seed_4, .timeout = 120) { run(4, 10000); }

/* The same with every page of every block checked, and poisoning on. */
Test(buddy_random, seed_5_with_poisoning, .timeout = 120)
{
	page_poisoning_enabled = check_pages_enabled = true;
	run(5, 2000);
	cr_assert_eq(nr_poison_errors, 0);
}
