/*
 * The page allocator's interface: GFP ("get free pages") flags say where a request may
 * be satisfied from and how; the order says how many pages (2^order, physically
 * contiguous, naturally aligned).
 */
#ifndef PAGELAB_MM_GFP_H
#define PAGELAB_MM_GFP_H

#include "mm/mm_types.h"
#include "types.h"

typedef unsigned int gfp_t;

/* Zone modifiers: the highest zone a request may use.  None means ZONE_NORMAL. */
#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_DMA32 0x04u
/* Behaviour. */
#define __GFP_HIGH 0x20u   /* may dip into the reserves (atomic callers) */
#define __GFP_ZERO 0x100u  /* return zeroed pages */
#define __GFP_NOWARN 0x200u /* do not print an allocation-failure report */

#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_KERNEL 0u
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER __GFP_HIGHMEM

/*
 * alloc_pages - 2^@order contiguous pages from the highest zone @gfp allows, falling
 * back to lower zones.  Returns the first struct page, or NULL if no zone has a free
 * block that large.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/* __free_pages - drop a reference to a block from alloc_pages(); freed at zero. */
void __free_pages(struct page *page, unsigned int order);

/* __get_free_pages / free_pages: the same, by direct-map address.  0 on failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
#define free_page(addr) free_pages((addr), 0)

/* __free_pages_core - boot-time hand-over of a block memblock did not use. */
void __free_pages_core(struct page *page, unsigned int order);

/* nr_free_pages - free pages in all zones. */
unsigned long nr_free_pages(void);

#endif
