// SPDX-License-Identifier: MIT
/*
 * mempool against an allocator the test can make fail: the reserve is used only when
 * the allocator fails, frees refill the reserve before the allocator, resize and
 * destroy give everything back, and no element is ever handed out twice.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "host/fake_allocator.h"
#include "host/printk_capture.h"
#include "kernel/setup.h"
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

Test(mempool, create_preallocates_min_nr)
{
	boot();
	mempool_t *pool = mempool_create(4, fake_alloc, fake_free, NULL);

	cr_assert_not_null(pool);
	cr_assert_eq(pool->curr_nr, 4);
	cr_assert_eq(fake.allocated, 4);
	mempool_destroy(pool);
	cr_assert_eq(fake.freed, 4, "destroy returns the reserve");
}

Test(mempool, allocator_first_reserve_only_when_it_fails)
{
	boot();
	mempool_t *pool = mempool_create(2, fake_alloc, fake_free, NULL);
	void *a = mempool_alloc(pool, GFP_KERNEL);

	cr_assert_eq(pool->curr_nr, 2, "the allocator served: the reserve is untouched");
	cr_assert(fake.last_gfp & __GFP_NOWARN, "the first try is quiet");
	cr_assert_not(fake.last_gfp & __GFP_DIRECT_RECLAIM, "and does not reclaim");
	fake.mode = FAKE_FAILS;
	void *b = mempool_alloc(pool, GFP_KERNEL), *c = mempool_alloc(pool, GFP_ATOMIC);

	cr_assert(b && c && b != c);
	cr_assert_eq(pool->curr_nr, 0);
	cr_assert_null(mempool_alloc(pool, GFP_ATOMIC), "both empty: atomic gets NULL");
	cr_assert_null(strstr(host_printk_buf, "mempool_alloc"), "silently");
	cr_assert_null(mempool_alloc(pool, GFP_KERNEL), "GFP_KERNEL cannot wait here either");
	cr_assert(strstr(host_printk_buf, "Linux would wait for a free"), "%s", host_printk_buf);
	cr_assert_eq(pool->failed, 2);
	(void)a;
}

Test(mempool, free_refills_the_reserve_before_the_allocator)
{
	boot();
	mempool_t *pool = mempool_create(2, fake_alloc, fake_free, NULL);

	fake.mode = FAKE_FAILS;
	void *a = mempool_alloc(pool, GFP_KERNEL), *b = mempool_alloc(pool, GFP_KERNEL);
	fake.mode = FAKE_SERVES;
	void *c = mempool_alloc(pool, GFP_KERNEL);

	mempool_free(c, pool);
	cr_assert_eq(pool->curr_nr, 1, "first free goes to the reserve");
	cr_assert_eq(fake.freed, 0);
	mempool_free(b, pool);
	cr_assert_eq(pool->curr_nr, 2);
	mempool_free(a, pool);
	cr_assert_eq(pool->curr_nr, 2, "reserve full: the third goes to the allocator");
	cr_assert_eq(fake.freed, 1);
}

Test(mempool, resize_grows_and_shrinks_the_reserve)
{
	boot();
	mempool_t *pool = mempool_create(2, fake_alloc, fake_free, NULL);

	cr_assert_eq(mempool_resize(pool, 6), 0);
	cr_assert_eq(pool->curr_nr, 6);
	cr_assert_eq(fake.allocated, 6);
	cr_assert_eq(mempool_resize(pool, 3), 0);
	cr_assert_eq(pool->min_nr, 3);
	cr_assert_eq(pool->curr_nr, 3);
	cr_assert_eq(fake.freed, 3);
	cr_assert_eq(mempool_resize(pool, 0), -EINVAL);
	mempool_destroy(pool);
	cr_assert_eq(fake.allocated, fake.freed, "destroy returns everything");
}

Test(mempool, create_fails_cleanly_when_the_reserve_cannot_be_filled)
{
	boot();
	fake.mode = FAKE_FAILS;
	cr_assert_null(mempool_create(3, fake_alloc, fake_free, NULL));
	fake.mode = FAKE_SERVES;
	cr_assert_null(mempool_create(0, fake_alloc, fake_free, NULL), "min_nr must be positive");
}

Test(mempool, no_element_is_ever_handed_out_twice)
{
	static void *held[FAKE_SLOTS];
	unsigned int seed = 12345;
	int n = 0;

	boot();
	mempool_t *pool = mempool_create(8, fake_alloc, fake_free, NULL);

	for (int step = 0; step < 5000; step++) {
		seed = seed * 1103515245 + 12345;
		fake.mode = (seed >> 16) % 3 == 0 ? FAKE_FAILS : FAKE_SERVES;
		if (n < FAKE_SLOTS && ((seed >> 8) & 1)) {
			void *e = mempool_alloc(pool, GFP_ATOMIC);

			for (int i = 0; e && i < n; i++)
				cr_assert_neq(held[i], e, "element %p handed out twice", e);
			if (e)
				held[n++] = e;
		} else if (n) {
			int i = (seed >> 4) % n;

			mempool_free(held[i], pool);
			held[i] = held[--n];
		}
		cr_assert(pool->curr_nr >= 0 && pool->curr_nr <= pool->min_nr);
	}
	while (n)
		mempool_free(held[--n], pool);
	cr_assert_eq(pool->curr_nr, pool->min_nr, "every element back: reserve full");
	mempool_destroy(pool);
	cr_assert_eq(fake.allocated, fake.freed);
}

Test(mempool, kmalloc_and_page_pools_use_the_real_allocators)
{
	boot();
	unsigned long before = nr_free_pages();
	mempool_t *kp = mempool_create_kmalloc_pool(4, 256), *pp = mempool_create_page_pool(2, 1);
	void *obj = mempool_alloc(kp, GFP_KERNEL);
	struct page *page = mempool_alloc(pp, GFP_KERNEL);

	cr_assert_not_null(obj);
	cr_assert_geq(ksize(obj), 256);
	cr_assert_not_null(page);
	mempool_free(obj, kp);
	mempool_free(page, pp);
	mempool_destroy(kp);
	mempool_destroy(pp);
	cr_assert_eq(nr_free_pages() + 16 >= before, true, "pages back (slab caches may keep a few)");
}
