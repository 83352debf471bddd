// SPDX-License-Identifier: MIT
/*
 * Lab 8's host checks: mempool_create(), mempool_alloc(), mempool_free() and
 * mempool_resize() (mm/mempool.c), built from the kernel's own source.  Most tests give
 * a pool a fake allocator that the test turns off
 * (or lets serve only callers that may reclaim), so each step's outcome is known; the
 * last one puts a page pool in front of the real buddy allocator, emptied first.  Each
 * test is one graded check (docs/labs/08-mempool.md).
 *
 *   mempool_alloc:  allocator (quiet, no reclaim) -> reserve -> allocator (caller's flags) -> NULL
 *   mempool_free:   reserve while curr_nr < min_nr -> allocator
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "host/fake_allocator.h"
#include "host/printk_capture.h"
#include "lib/errno.h"
#include "mm/memblock.h"
#include "mm/mempool.h"
#include "mm/mm.h"
#include "mm/slab.h"

/* 1-64 MiB with SLUB, and a fake allocator that serves and has handed out nothing. */
static void boot(void)
{
	boot_machine_with_slab(ram_64m, 1, NULL);
	memset(&fake, 0, sizeof(fake));
}

/* A pool of @min_nr on the fake allocator; its reserve's elements copied to @reserve. */
static mempool_t *fake_pool(int min_nr, void **reserve)
{
	mempool_t *pool;

	boot();
	pool = mempool_create(min_nr, fake_alloc, fake_free, NULL);
	cr_assert_not_null(pool);
	cr_assert_eq(pool->curr_nr, min_nr);
	for (int i = 0; reserve && i < min_nr; i++)
		reserve[i] = pool->elements[i];
	fake_reset_calls();
	host_printk_reset();
	return pool;
}

static bool in(void *element, void **set, int n)
{
	for (int i = 0; i < n; i++)
		if (set[i] == element)
			return true;
	return false;
}

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab08, .timeout = 5);

/*
 * reserve [r0 r1]   allocator serves:  a comes from the allocator, reserve stays [r0 r1]
 *                   allocator fails:   b, c come from the reserve, which is then []
 */
Test(lab08, the_reserve_serves_only_when_the_allocator_fails)
{
	void *reserve[2];
	mempool_t *pool = fake_pool(2, reserve);
	void *a = mempool_alloc(pool, GFP_KERNEL);

	cr_assert_not_null(a);
	cr_assert_not(in(a, reserve, 2), "the allocator had an element: the reserve is not touched");
	cr_assert_eq(pool->curr_nr, 2, "reserve %d of 2 after an allocation the allocator served",
		     pool->curr_nr);
	fake.mode = FAKE_FAILS;
	void *b = mempool_alloc(pool, GFP_KERNEL), *c = mempool_alloc(pool, GFP_ATOMIC);

	cr_assert(b && c, "the allocator fails: the reserve must serve (GFP_KERNEL %p, GFP_ATOMIC %p)",
		  b, c);
	cr_assert(b != c && in(b, reserve, 2) && in(c, reserve, 2),
		  "b and c must be the reserve's two elements");
	cr_assert_eq(pool->curr_nr, 0);
}

/* The first try must not reclaim or start I/O, and must not warn: the reserve is the plan B. */
Test(lab08, the_first_try_is_quiet_and_does_not_reclaim)
{
	mempool_t *pool = fake_pool(1, NULL);

	cr_assert_not_null(mempool_alloc(pool, GFP_KERNEL));
	cr_assert_eq(fake.calls, 1, "one call to the allocator when it serves, not %d", fake.calls);
	cr_assert(fake.gfps[0] & __GFP_NOWARN, "first try with %#x: __GFP_NOWARN missing",
		  fake.gfps[0]);
	cr_assert_not(fake.gfps[0] & (__GFP_DIRECT_RECLAIM | __GFP_IO),
		      "first try with %#x: no __GFP_DIRECT_RECLAIM or __GFP_IO", fake.gfps[0]);
	cr_assert_eq(fake.gfps[0] & ~(__GFP_DIRECT_RECLAIM | __GFP_IO | __GFP_NOWARN),
		     GFP_KERNEL & ~(__GFP_DIRECT_RECLAIM | __GFP_IO),
		     "the caller's other flags are kept (got %#x)", fake.gfps[0]);
	fake.mode = FAKE_FAILS;
	fake_reset_calls();
	cr_assert_not_null(mempool_alloc(pool, GFP_KERNEL), "the reserve serves");
	cr_assert_eq(fake.calls, 1, "with an element in the reserve, the allocator is asked once");
	cr_assert_null(strstr(host_printk_buf, "mempool"), "and nothing is printed:\n%s",
		       host_printk_buf);
}

/*
 * The allocator can serve only callers that may reclaim.  With the reserve empty, a
 * GFP_KERNEL caller gets a second try with its own flags - and an element; a GFP_ATOMIC
 * caller has no second try worth making and gets NULL.
 */
Test(lab08, an_empty_reserve_means_a_second_try_that_may_reclaim)
{
	void *reserve[1];
	mempool_t *pool = fake_pool(1, reserve);
	void *a, *b;

	fake.mode = FAKE_SERVES_ONLY_RECLAIMERS;
	a = mempool_alloc(pool, GFP_KERNEL);
	cr_assert(a == reserve[0] && pool->curr_nr == 0,
		  "the first try (without reclaim) fails: the reserve serves");
	fake_reset_calls();
	b = mempool_alloc(pool, GFP_KERNEL);
	cr_assert_not_null(b, "reserve empty: the allocator must be tried again with GFP_KERNEL");
	cr_assert_eq(fake.calls, 2, "a quiet try, then one with the caller's flags: %d calls",
		     fake.calls);
	cr_assert(fake.gfps[1] & __GFP_DIRECT_RECLAIM, "the second try may reclaim (got %#x)",
		  fake.gfps[1]);
	fake_reset_calls();
	cr_assert_null(mempool_alloc(pool, GFP_ATOMIC), "GFP_ATOMIC: nothing anywhere, NULL");
	cr_assert_eq(fake.calls, 1, "GFP_ATOMIC's first try already had the caller's flags: "
		     "a second try with the same flags is wasted (%d calls)", fake.calls);
	cr_assert_eq(pool->failed, 1, "one request failed; failed = %u", pool->failed);
}

/* Allocator and reserve both empty: NULL, a warning only for a caller that may sleep. */
Test(lab08, both_empty_gives_null_and_warns_only_a_caller_that_may_sleep)
{
	mempool_t *pool = fake_pool(1, NULL);

	fake.mode = FAKE_FAILS;
	cr_assert_not_null(mempool_alloc(pool, GFP_ATOMIC), "the reserve's one element");
	cr_assert_null(mempool_alloc(pool, GFP_ATOMIC), "nothing left: NULL");
	cr_assert_null(mempool_alloc(pool, GFP_NOWAIT), "nothing left: NULL");
	cr_assert_null(strstr(host_printk_buf, "mempool_alloc"),
		       "GFP_ATOMIC and GFP_NOWAIT fail quietly:\n%s", host_printk_buf);
	cr_assert_null(mempool_alloc(pool, GFP_KERNEL), "pagelab cannot wait: NULL");
	cr_assert(strstr(host_printk_buf,
			 "mempool_alloc: reserve of 1 empty; Linux would wait for a free, "
			 "pagelab returns NULL"),
		  "GFP_KERNEL would sleep in Linux: say so.  Printed:\n%s", host_printk_buf);
	cr_assert_eq(pool->curr_nr, 0);
}

/* The columns of the shell's `mempool` command. */
Test(lab08, the_counters_the_shell_shows_add_up)
{
	mempool_t *pool = fake_pool(3, NULL);
	void *got[5];

	got[0] = mempool_alloc(pool, GFP_KERNEL);
	got[1] = mempool_alloc(pool, GFP_ATOMIC);
	fake.mode = FAKE_FAILS;
	for (int i = 2; i < 5; i++)
		got[i] = mempool_alloc(pool, GFP_ATOMIC);
	cr_assert_null(mempool_alloc(pool, GFP_ATOMIC));
	cr_assert(got[0] && got[1] && got[2] && got[3] && got[4]);
	cr_assert_eq(pool->from_allocator, 2, "from allocator: %u", pool->from_allocator);
	cr_assert_eq(pool->from_reserve, 3, "from reserve: %u", pool->from_reserve);
	cr_assert_eq(pool->failed, 1, "failed: %u", pool->failed);
	fake.mode = FAKE_SERVES;
	for (int i = 0; i < 5; i++)
		mempool_free(got[i], pool);
	cr_assert_eq(pool->curr_nr, 3);
	cr_assert_eq(pool->from_allocator + pool->from_reserve + pool->failed, 6,
		     "freeing counts nothing");
}

/*
 * reserve [r0 r1], allocator fails:  a, b = r0, r1      reserve []
 * allocator serves:                  c from it
 * free(c) -> reserve [c]   free(b) -> reserve [c b]   free(a) -> full: to the allocator
 */
Test(lab08, free_refills_the_reserve_first_up_to_min_nr)
{
	mempool_t *pool = fake_pool(2, NULL);

	fake.mode = FAKE_FAILS;
	void *a = mempool_alloc(pool, GFP_KERNEL), *b = mempool_alloc(pool, GFP_KERNEL);

	cr_assert(a && b && pool->curr_nr == 0, "the reserve serves both");
	fake.mode = FAKE_SERVES;
	void *c = mempool_alloc(pool, GFP_KERNEL);

	cr_assert_not_null(c);
	mempool_free(c, pool);
	cr_assert_eq(pool->curr_nr, 1, "the reserve is short: the first free refills it");
	cr_assert_eq(fake.freed, 0, "so the allocator gets nothing back");
	mempool_free(b, pool);
	cr_assert_eq(pool->curr_nr, 2);
	cr_assert_eq(fake.freed, 0);
	mempool_free(a, pool);
	cr_assert_eq(pool->curr_nr, 2, "the reserve is full at min_nr = 2, not %d", pool->curr_nr);
	cr_assert_eq(fake.freed, 1, "so the third free goes back to the allocator");
	mempool_free(NULL, pool);
	cr_assert(pool->curr_nr == 2 && fake.freed == 1, "freeing NULL does nothing");
	mempool_destroy(pool);
	cr_assert_eq(fake.allocated, fake.freed, "everything back after destroy");
}

/*
 * The guarantee, over a random run: while the reserve holds an element, mempool_alloc()
 * never fails; no element is ever out twice; the reserve stays within [0, min_nr]; when
 * every element is back, the reserve is full.
 */
Test(lab08, while_the_reserve_has_elements_alloc_never_fails)
{
	static void *held[FAKE_SLOTS];
	unsigned int seed = 2024;
	int n = 0;
	mempool_t *pool = fake_pool(6, NULL);

	for (int step = 0; step < 4000; step++) {
		seed = seed * 1103515245 + 12345;
		fake.mode = (seed >> 16) % 3 ? FAKE_SERVES : FAKE_FAILS;
		if (n < FAKE_SLOTS - 8 && ((seed >> 9) & 1)) {
			int had = pool->curr_nr;
			void *e = mempool_alloc(pool, (seed >> 12) & 1 ? GFP_ATOMIC : GFP_NOWAIT);

			cr_assert(e || !had, "step %d: NULL with %d elements in the reserve", step, had);
			cr_assert_not(e && in(e, held, n), "step %d: %p handed out twice", step, e);
			if (e)
				held[n++] = e;
		} else if (n) {
			int i = (seed >> 4) % n;

			mempool_free(held[i], pool);
			held[i] = held[--n];
		}
		cr_assert(pool->curr_nr >= 0 && pool->curr_nr <= pool->min_nr,
			  "step %d: reserve %d of %d", step, pool->curr_nr, pool->min_nr);
	}
	cr_assert_gt(pool->from_reserve, 0, "the run must have used the reserve");
	while (n)
		mempool_free(held[--n], pool);
	cr_assert_eq(pool->curr_nr, pool->min_nr, "every element back: the reserve is full");
	mempool_destroy(pool);
	cr_assert_eq(fake.allocated, fake.freed, "nothing lost");
}

/* Every page ordinary allocations can get, kept in a list threaded through the pages. */
struct hoard {
	struct hoard *next;
	unsigned int order;
};

static struct hoard *empty_the_buddy(void)
{
	struct hoard *list = NULL;

	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		struct page *p;

		while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order))) {
			struct hoard *h = page_address(p);

			h->next = list;
			h->order = order;
			list = h;
		}
	}
	return list;
}

/* The demo of `mempool demo`, on the real page allocator: 16 KiB elements, a reserve of 4. */
Test(lab08, a_page_pool_serves_its_reserve_when_the_buddy_is_empty)
{
	enum { MIN_NR = 4, ORDER = 2 };
	struct page *got[MIN_NR + 1];
	struct page *reserve[MIN_NR];
	mempool_t *pool;
	struct hoard *hoard;
	unsigned long before;

	boot();
	pool = mempool_create_page_pool(MIN_NR, ORDER);
	cr_assert_not_null(pool);
	for (int i = 0; i < MIN_NR; i++)
		reserve[i] = pool->elements[i];
	drain_all_pages(NULL);
	before = nr_free_pages();
	hoard = empty_the_buddy();
	cr_assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, ORDER), "the buddy is empty");
	for (int i = 0; i < MIN_NR; i++) {
		got[i] = mempool_alloc(pool, GFP_KERNEL);
		cr_assert(got[i] && in(got[i], (void **)reserve, MIN_NR),
			  "element %d must come from the reserve, got %p", i, got[i]);
	}
	got[MIN_NR] = mempool_alloc(pool, GFP_KERNEL);
	cr_assert_null(got[MIN_NR], "a reserve of %d serves %d elements, no more", MIN_NR, MIN_NR);
	for (int i = 0; i < MIN_NR; i++)
		mempool_free(got[i], pool);
	cr_assert_eq(pool->curr_nr, MIN_NR, "the reserve is full again");
	while (hoard) {
		struct hoard *next = hoard->next;

		__free_pages(virt_to_page(hoard), hoard->order);
		hoard = next;
	}
	drain_all_pages(NULL);
	cr_assert_eq(nr_free_pages(), before, "every page back: %lu free, %lu before",
		     nr_free_pages(), before);
	mempool_destroy(pool);
}

/* ---- a pool's life: creating it, resizing it -------------------------------------------- */

/* A new pool's reserve is full: min_nr elements, asked of the allocator while it serves. */
Test(lab08, a_new_pool_has_a_full_reserve)
{
	mempool_t *pool;

	boot();
	pool = mempool_create(4, fake_alloc, fake_free, NULL);
	cr_assert_not_null(pool);
	cr_assert_eq(pool->min_nr, 4);
	cr_assert_eq(pool->curr_nr, 4, "the reserve holds %d of 4", pool->curr_nr);
	cr_assert_eq(fake.allocated, 4, "the allocator handed out %d elements", fake.allocated);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < i; j++)
			cr_assert_neq(pool->elements[i], pool->elements[j], "one element twice");
	cr_assert(pool->alloc == fake_alloc && pool->free == fake_free && !pool->pool_data);
	cr_assert(!pool->from_allocator && !pool->from_reserve && !pool->failed,
		  "filling the reserve is not the user's allocations: the counters stay 0");
	fake.mode = FAKE_FAILS;
	for (int i = 0; i < 4; i++)
		cr_assert_not_null(mempool_alloc(pool, GFP_ATOMIC), "the reserve serves %d", i + 1);
}

/*
 * A pool whose reserve cannot be filled is no pool: mempool_create() returns NULL, and
 * gives back every element it had got.
 */
Test(lab08, a_pool_whose_reserve_cannot_be_filled_is_not_created)
{
	boot();
	for (int i = 2; i < FAKE_SLOTS; i++) /* the allocator has 2 elements left */
		fake.out[i] = true;
	cr_assert_null(mempool_create(4, fake_alloc, fake_free, NULL), "a reserve of 2 of 4 is "
		       "no guarantee");
	cr_assert_eq(fake.allocated, 2);
	cr_assert_eq(fake.freed, 2, "the 2 elements it got must go back (%d did)", fake.freed);
	cr_assert_null(mempool_create(0, fake_alloc, fake_free, NULL), "min_nr 0: no pool");
	cr_assert_null(mempool_create(-1, fake_alloc, fake_free, NULL), "min_nr -1: no pool");
	cr_assert_null(mempool_create(2, NULL, fake_free, NULL), "no alloc function: no pool");
	cr_assert_null(mempool_create(2, fake_alloc, NULL, NULL), "no free function: no pool");
	cr_assert_eq(fake.allocated, 2, "nothing asked of the allocator for a pool refused");
}

/* Shrinking gives the extra reserve back to the allocator at once; min_nr follows. */
Test(lab08, shrinking_a_pool_gives_the_extra_reserve_back)
{
	mempool_t *pool = fake_pool(5, NULL);
	void *a;

	cr_assert_eq(mempool_resize(pool, 2), 0);
	cr_assert_eq(pool->min_nr, 2);
	cr_assert_eq(pool->curr_nr, 2, "the reserve holds %d, min_nr is 2", pool->curr_nr);
	cr_assert_eq(fake.freed, 3, "3 elements go back to the allocator, %d did", fake.freed);
	a = mempool_alloc(pool, GFP_KERNEL);
	mempool_free(a, pool);
	cr_assert_eq(pool->curr_nr, 2, "the reserve never grows past the new min_nr");
	cr_assert_eq(fake.freed, 4);
	cr_assert_eq(mempool_resize(pool, 0), -EINVAL, "min_nr 0 is refused");
	cr_assert(pool->min_nr == 2 && pool->curr_nr == 2, "and changes nothing");
	mempool_destroy(pool);
	cr_assert_eq(fake.allocated, fake.freed, "everything back after destroy");
}

/*
 * Growing fills the new slots while it can, keeps the elements it had, and the larger
 * reserve then serves as many: min_nr 2 -> 5.
 */
Test(lab08, growing_a_pool_fills_the_larger_reserve)
{
	void *reserve[2], *got[5];
	mempool_t *pool = fake_pool(2, reserve);

	cr_assert_eq(mempool_resize(pool, 5), 0);
	cr_assert_eq(pool->min_nr, 5);
	cr_assert_eq(pool->curr_nr, 5, "the reserve holds %d of 5", pool->curr_nr);
	cr_assert_eq(fake.allocated, 5, "3 more elements from the allocator, not %d",
		     fake.allocated - 2);
	cr_assert(in(reserve[0], pool->elements, 5) && in(reserve[1], pool->elements, 5),
		  "the old reserve's elements are still in it");
	fake.mode = FAKE_FAILS;
	for (int i = 0; i < 5; i++) {
		got[i] = mempool_alloc(pool, GFP_ATOMIC);
		cr_assert_not_null(got[i], "the reserve of 5 serves element %d", i + 1);
	}
	cr_assert_null(mempool_alloc(pool, GFP_ATOMIC));
	for (int i = 0; i < 5; i++)
		mempool_free(got[i], pool);
	cr_assert_eq(pool->curr_nr, 5);
	mempool_destroy(pool);
	cr_assert_eq(fake.allocated, fake.freed, "everything back after destroy");
}

/*
 * Growing while the allocator fails: -ENOMEM, but the pool is already the larger one,
 * with what it had; the frees that follow fill it.
 */
Test(lab08, a_pool_that_cannot_grow_now_refills_through_frees)
{
	void *reserve[2], *more[3];
	mempool_t *pool = fake_pool(2, reserve);

	fake.mode = FAKE_FAILS;
	cr_assert_eq(mempool_resize(pool, 5), -ENOMEM);
	cr_assert_eq(pool->min_nr, 5, "the pool is the larger one already");
	cr_assert_eq(pool->curr_nr, 2, "with the 2 elements it had, not %d", pool->curr_nr);
	cr_assert(in(reserve[0], pool->elements, 2) && in(reserve[1], pool->elements, 2));
	fake.mode = FAKE_SERVES;
	for (int i = 0; i < 3; i++)
		more[i] = mempool_alloc(pool, GFP_KERNEL);
	for (int i = 0; i < 3; i++)
		mempool_free(more[i], pool);
	cr_assert_eq(pool->curr_nr, 5, "the frees fill the larger reserve");
	cr_assert_eq(fake.freed, 0);
	mempool_destroy(pool);
	cr_assert_eq(fake.allocated, fake.freed);
}
