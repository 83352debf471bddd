// SPDX-License-Identifier: MIT
/*
 * mempool: allocations that can fall back on a private reserve (include/mm/mempool.h).
 *
 * Valid once kmalloc works (after kmem_cache_init()).  Who uses it: code on a path that
 * must not fail for lack of memory - in Linux, the block layer's bios and requests,
 * which are needed to write pages out and so free memory.
 *
 * Locking: pool->lock (interrupts off) guards the reserve; add_element() and
 * remove_element() take it, not lab 8's functions.  That makes each push and pop whole,
 * but not the look at curr_nr before it: Linux holds pool->lock from mempool_alloc()'s
 * look to the take and from mempool_free()'s look to the put, so two CPUs cannot both
 * take the last element or fill the last slot.  pagelab's lab 8 functions make that look
 * without the lock, so a pool shared by several CPUs can still race at its last element
 * or slot (and its counters may miss a count); mempool_resize() swaps elements[] without
 * it.  Closing that means taking pool->lock inside lab 8's functions, as Linux does.
 * The allocator is always called without pool->lock, as in Linux.
 *
 *   elements[]:  [ e0 | e1 | ... | e(curr_nr-1) | free slots ... ]   (a stack, min_nr slots)
 */
#include "kernel/printk.h"
#include "lib/errno.h"
#include "mm/mempool.h"
#include "mm/mm.h"
#include "mm/slab.h"

/*
 * One push or pop of the reserve, under pool->lock, so that the slot and curr_nr change
 * together even when two CPUs free (or allocate) at once.  As Linux's helpers, these
 * trust the caller's look at curr_nr: there is room (add), there is an element (remove).
 */
static void add_element(mempool_t *pool, void *element)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pool->elements[pool->curr_nr++] = element;
	spin_unlock_irqrestore(&pool->lock, flags);
}

static void *remove_element(mempool_t *pool)
{
	unsigned long flags;
	void *element;

	spin_lock_irqsave(&pool->lock, flags);
	element = pool->elements[--pool->curr_nr];
	spin_unlock_irqrestore(&pool->lock, flags);
	return element;
}

static void free_reserve(mempool_t *pool)
{
	while (pool->curr_nr)
		pool->free(remove_element(pool), pool->pool_data);
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
		add_element(pool, element);
	}
	return pool;
}

int mempool_resize(mempool_t *pool, int new_min_nr)
{
	void **new_elements;

	if (new_min_nr <= 0)
		return -EINVAL;
	while (pool->curr_nr > new_min_nr) /* shrinking: the extra reserve goes back */
		pool->free(remove_element(pool), pool->pool_data);
	if (new_min_nr <= pool->min_nr) {
		pool->min_nr = new_min_nr;
		return 0;
	}
	new_elements = kmalloc_array(new_min_nr, sizeof(void *), GFP_KERNEL);
	if (!new_elements)
		return -ENOMEM;
	for (int i = 0; i < pool->curr_nr; i++)
		new_elements[i] = pool->elements[i];
	kfree(pool->elements);
	pool->elements = new_elements;
	pool->min_nr = new_min_nr;
	while (pool->curr_nr < pool->min_nr) { /* growing: fill the new slots now */
		void *element = pool->alloc(GFP_KERNEL, pool->pool_data);

		if (!element)
			return -ENOMEM; /* the larger reserve refills through mempool_free() */
		add_element(pool, element);
	}
	return 0;
}

void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask)
{
	/* First try: no reclaim and no warning - the reserve is the fallback, not a failure. */
	gfp_t gfp_temp = (gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO)) | __GFP_NOWARN;
	void *element;

	for (;;) {
		element = pool->alloc(gfp_temp, pool->pool_data);
		if (element) {
			pool->from_allocator++;
			return element;
		}
		if (pool->curr_nr) {
			pool->from_reserve++;
			return remove_element(pool);
		}
		/* Linux retries once with the caller's full flags, which may reclaim. */
		if (gfp_temp == (gfp_mask | __GFP_NOWARN))
			break;
		gfp_temp = gfp_mask | __GFP_NOWARN;
	}
	pool->failed++;
	if (gfp_mask & __GFP_DIRECT_RECLAIM)
		pr_warn("mempool_alloc: reserve of %d empty; Linux would wait for a free, "
			"pagelab returns NULL\n", pool->min_nr);
	return NULL;
}

void mempool_free(void *element, mempool_t *pool)
{
	if (!element)
		return;
	if (pool->curr_nr < pool->min_nr) { /* the reserve comes first */
		add_element(pool, element);
		return;
	}
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
