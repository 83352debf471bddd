/* SPDX-License-Identifier: MIT */
/*
 * struct page: one per physical page frame, the unit everything in mm/ is built on.
 *
 * Linux's struct page is 64 bytes, 1.56% of RAM.  pagelab's is 48 (1.17%): the fields a
 * page needs while it is free in the buddy allocator or part of a SLUB slab, and nothing
 * for page cache, anonymous memory or LRU lists, which pagelab does not have.
 *
 *   offset  field                 free (buddy) page       slab page (first page)
 *   0       flags                 PG_buddy, zone, node    PG_slab, zone, node
 *   8       lru (16 bytes)        free-list link          link on a partial list
 *   24      private / slab_cache  order of the block      the kmem_cache
 *   32      freelist              -                       first free object
 *   40      counters / _mapcount  -                       inuse, objects, frozen
 *   44      _refcount             0                       1
 */
#ifndef PAGELAB_MM_MM_TYPES_H
#define PAGELAB_MM_MM_TYPES_H

#include "lib/list.h"
#include "types.h"

struct kmem_cache;

struct page {
	unsigned long flags; /* enum pageflags bits; zone and node in the top bits */
	struct list_head lru;
	union {
		unsigned long private;         /* buddy: order of this free block */
		struct kmem_cache *slab_cache; /* slab: the cache this slab belongs to */
	};
	void *freelist; /* slab: first free object, or NULL when full */
	union {
		struct {                  /* slab: */
			u16 inuse;        /*   objects handed out */
			u16 objects : 15; /*   objects in the slab */
			u16 frozen : 1;   /*   owned by a CPU's active slab */
		};
		unsigned int counters;
		int _mapcount;
	};
	int _refcount; /* users of the page; 0 while it is free */
};

_Static_assert(sizeof(struct page) <= 64, "struct page must not exceed Linux's 64 bytes");
_Static_assert(sizeof(struct page) == 48, "docs/mm/memory-model.md says 48 bytes");

#endif
