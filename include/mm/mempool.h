/* SPDX-License-Identifier: MIT */
/*
 * mempool: a guaranteed reserve of elements for code that must make progress under
 * memory pressure (Linux's include/linux/mempool.h, 6.x).
 *
 *   mempool_alloc():  the underlying allocator first; only if that fails, the reserve
 *   mempool_free():   refill the reserve first; only when it is full, the allocator
 *
 *        Kernel ----> mempool ----> slab / page allocator
 *                        |
 *                  min_nr elements kept aside, taken only when the allocator fails
 *
 * The guarantee: as long as every element that is handed out comes back with
 * mempool_free() in bounded time, a user that needs at most min_nr elements in flight
 * can always get one.  With no scheduler, pagelab cannot wait for that return: where
 * Linux sleeps, mempool_alloc() here returns NULL (see mempool_alloc()).
 */
#ifndef PAGELAB_MM_MEMPOOL_H
#define PAGELAB_MM_MEMPOOL_H

#include "kernel/spinlock.h"
#include "mm/gfp.h"
#include "types.h"

struct kmem_cache;

typedef void *(mempool_alloc_t)(gfp_t gfp_mask, void *pool_data);
typedef void(mempool_free_t)(void *element, void *pool_data);

typedef struct mempool {
	int min_nr;      /* the reserve's size */
	int curr_nr;     /* elements in the reserve now */
	void **elements; /* the reserve: a stack of min_nr slots */
	void *pool_data;
	mempool_alloc_t *alloc;
	mempool_free_t *free;
	/* pagelab's counters, for the `mempool` command (Linux keeps none). */
	unsigned int from_allocator, from_reserve, failed;
	/*
	 * Guards the reserve (curr_nr, elements[]) and the counters, taken with interrupts
	 * off around each look at curr_nr and the push or pop it decides (mm/mempool.c);
	 * mempool_create() initialises it.  With it the structure is still 64 bytes (the
	 * counters are ints for that), so a pool is a kmalloc-64 object as before.
	 */
	spinlock_t lock;
} mempool_t;

/*
 * mempool_create - a pool whose @alloc_fn/@free_fn get and return elements, with
 * @min_nr of them allocated now (GFP_KERNEL) as the reserve.  Returns NULL if the pool
 * or its reserve cannot be allocated; nothing is leaked then.
 */
mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data);

/*
 * mempool_alloc - an element, from the reserve only when the allocator has none for
 * @gfp_mask.  Where Linux would wait for an element to come back, pagelab returns NULL
 * with a warning (it has nothing to wait with): lab 8's exercise 2 gives the contract
 * whole (docs/labs/08-mempool.md).
 */
void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask);

/* mempool_free - give @element back, to the reserve or to the allocator, exactly once. */
void mempool_free(void *element, mempool_t *pool);

/*
 * mempool_resize - change the reserve to @new_min_nr elements: shrinking frees the
 * extra ones, growing allocates new ones (GFP_KERNEL).  0; -EINVAL for a size below 1;
 * -ENOMEM with the pool as it was if the larger array cannot be had, or with the pool
 * already the larger one, short of elements that mempool_free() will refill, if the
 * elements cannot (Linux 6.18 returns 0 there: its resize gives up filling silently).
 */
int mempool_resize(mempool_t *pool, int new_min_nr);

/* mempool_destroy - free the reserve and the pool.  Every element must be back. */
void mempool_destroy(mempool_t *pool);

/* The allocator pairs Linux provides, and the shortcuts that use them. */
void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data);
void mempool_free_slab(void *element, void *pool_data);
void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data);
void mempool_kfree(void *element, void *pool_data);
void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data);
void mempool_free_pages(void *element, void *pool_data);

mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *kc);
mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size);
mempool_t *mempool_create_page_pool(int min_nr, int order);

#endif
