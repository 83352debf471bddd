// SPDX-License-Identifier: MIT
/*
 * mempool: allocations that can fall back on a private reserve (include/mm/mempool.h).
 *
 * Valid once kmalloc works (after kmem_cache_init()).  Who uses it: code on a path that
 * must not fail for lack of memory - in Linux, the block layer's bios and requests,
 * which are needed to write pages out and so free memory.
 *
 * Locking: pool->lock, taken with interrupts off, guards the reserve (curr_nr and
 * elements[]) and the counters.  A pool may be shared by several CPUs, so the look at
 * curr_nr and the push or pop it decides are one step under the lock, as in Linux's
 * mempool_alloc() and mempool_free(): otherwise two CPUs could both take the last
 * element, or both fill the last slot (a write past elements[]).  The allocator and
 * pool->free are never called with the lock held, as in Linux.
 *
 *   elements[]:  [ e0 | e1 | ... | e(curr_nr-1) | free slots ... ]   (a stack, min_nr slots)
 */
#include "kernel/printk.h"
#include "lib/errno.h"
#include "mm/mempool.h"
#include "mm/mm.h"
#include "mm/slab.h"

/*
 * One push or pop of the reserve; the caller holds pool->lock and has looked at curr_nr
 * under it: there is room (add), there is an element (remove).  As Linux's helpers.
 */
static void add_element(mempool_t *pool, void *element)
{
	lockdep_assert_held(&pool->lock);
	pool->elements[pool->curr_nr++] = element;
}

static void *remove_element(mempool_t *pool)
{
	lockdep_assert_held(&pool->lock);
	return pool->elements[--pool->curr_nr];
}

/* Every element of the reserve back to the allocator, which runs without the lock. */
static void free_reserve(mempool_t *pool)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	while (pool->curr_nr) {
		void *last = remove_element(pool);

		spin_unlock_irqrestore(&pool->lock, flags);
		pool->free(last, pool->pool_data);
		spin_lock_irqsave(&pool->lock, flags);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
}

void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	free_reserve(pool);
	kfree(pool->elements);
	kfree(pool);
}

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data)
{
	unsigned long flags;
	mempool_t *pool;

	if (min_nr <= 0 || !alloc_fn || !free_fn)
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->elements = kmalloc_array(min_nr, sizeof(void *), GFP_KERNEL);
	if (!pool->elements) {
		kfree(pool);
		return NULL;
	}
	spin_lock_init(&pool->lock);
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	while (pool->curr_nr < pool->min_nr) {
		void *element = pool->alloc(GFP_KERNEL, pool->pool_data);

		if (!element) {
			mempool_destroy(pool);
			return NULL;
		}
		spin_lock_irqsave(&pool->lock, flags); /* the helpers' rule, shared yet or not */
		add_element(pool, element);
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	return pool;
}

int mempool_resize(mempool_t *pool, int new_min_nr)
{
	void **new_elements, **old_elements;
	unsigned long flags;
	void *element;

	if (new_min_nr <= 0)
		return -EINVAL;
	for (;;) { /* shrinking: the extra reserve goes back, freed outside the lock */
		spin_lock_irqsave(&pool->lock, flags);
		element = pool->curr_nr > new_min_nr ? remove_element(pool) : NULL;
		spin_unlock_irqrestore(&pool->lock, flags);
		if (!element)
			break;
		pool->free(element, pool->pool_data);
	}
	if (new_min_nr <= pool->min_nr) {
		spin_lock_irqsave(&pool->lock, flags);
		pool->min_nr = new_min_nr;
		spin_unlock_irqrestore(&pool->lock, flags);
		return 0;
	}
	new_elements = kmalloc_array(new_min_nr, sizeof(void *), GFP_KERNEL);
	if (!new_elements)
		return -ENOMEM;
	spin_lock_irqsave(&pool->lock, flags);
	for (int i = 0; i < pool->curr_nr; i++)
		new_elements[i] = pool->elements[i];
	old_elements = pool->elements;
	pool->elements = new_elements;
	pool->min_nr = new_min_nr;
	spin_unlock_irqrestore(&pool->lock, flags);
	kfree(old_elements);
	spin_lock_irqsave(&pool->lock, flags);
	while (pool->curr_nr < pool->min_nr) { /* growing: fill the new slots now */
		spin_unlock_irqrestore(&pool->lock, flags); /* the allocator runs without it */
		element = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!element)
			return -ENOMEM; /* the larger reserve refills through mempool_free() */
		spin_lock_irqsave(&pool->lock, flags);
		if (pool->curr_nr >= pool->min_nr) { /* frees on other CPUs filled it meanwhile */
			spin_unlock_irqrestore(&pool->lock, flags);
			pool->free(element, pool->pool_data);
			return 0;
		}
		add_element(pool, element);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}

void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask)
{
	/* First try: no reclaim and no warning - the reserve is the fallback, not a failure. */
	gfp_t gfp_temp = (gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO)) | __GFP_NOWARN;
	unsigned long flags;
	void *element;

	for (;;) {
		element = pool->alloc(gfp_temp, pool->pool_data);
		spin_lock_irqsave(&pool->lock, flags); /* the counters; the reserve's look and take */
		if (element) {
			pool->from_allocator++;
			spin_unlock_irqrestore(&pool->lock, flags);
			return element;
		}
		if (pool->curr_nr) {
			pool->from_reserve++;
			element = remove_element(pool);
			spin_unlock_irqrestore(&pool->lock, flags);
			return element;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		/* Linux retries once with the caller's full flags, which may reclaim. */
		if (gfp_temp == (gfp_mask | __GFP_NOWARN))
			break;
		gfp_temp = gfp_mask | __GFP_NOWARN;
	}
	spin_lock_irqsave(&pool->lock, flags);
	pool->failed++;
	spin_unlock_irqrestore(&pool->lock, flags);
	if (gfp_mask & __GFP_DIRECT_RECLAIM)
		pr_warn("mempool_alloc: reserve of %d empty; Linux would wait for a free, "
			"pagelab returns NULL\n", pool->min_nr);
	return NULL;
}

void mempool_free(void *element, mempool_t *pool)
{
	unsigned long flags;

	if (!element)
		return;
	spin_lock_irqsave(&pool->lock, flags);
	if (pool->curr_nr < pool->min_nr) { /* the reserve comes first */
		add_element(pool, element);
		spin_unlock_irqrestore(&pool->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	pool->free(element, pool->pool_data);
}

void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp_mask);
}

void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}

void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)(uintptr_t)pool_data, gfp_mask);
}

void mempool_kfree(void *element, void *pool_data)
{
	(void)pool_data;
	kfree(element);
}

void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data)
{
	return alloc_pages(gfp_mask, (unsigned int)(uintptr_t)pool_data);
}

void mempool_free_pages(void *element, void *pool_data)
{
	__free_pages(element, (unsigned int)(uintptr_t)pool_data);
}

mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *kc)
{
	return mempool_create(min_nr, mempool_alloc_slab, mempool_free_slab, kc);
}

mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size)
{
	return mempool_create(min_nr, mempool_kmalloc, mempool_kfree, (void *)(uintptr_t)size);
}

mempool_t *mempool_create_page_pool(int min_nr, int order)
{
	return mempool_create(min_nr, mempool_alloc_pages, mempool_free_pages,
			      (void *)(uintptr_t)order);
}
