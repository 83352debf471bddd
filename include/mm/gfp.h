/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's interface: GFP ("get free pages") flags say where a request may
 * be satisfied from and how; the order says how many pages (2^order, physically
 * contiguous, naturally aligned).
 *
 * The flag values are Linux 6.x's (include/linux/gfp_types.h), so a failure report reads
 * "mode:0xcc0(GFP_KERNEL)" exactly as on Linux.  Three groups:
 *
 *   bits 0-3  zone modifiers: the highest zone the pages may come from
 *             none -> Normal, __GFP_DMA -> DMA, __GFP_DMA32 -> DMA32,
 *             __GFP_HIGHMEM -> HighMem, __GFP_HIGHMEM|__GFP_MOVABLE -> Movable
 *   bits 3-4  mobility: which migrate type's pageblocks serve it (movable, reclaimable,
 *             neither = unmovable)
 *   the rest  behaviour: may it dip into reserves (__GFP_HIGH), may it sleep and
 *             reclaim (__GFP_DIRECT_RECLAIM), zero the pages, stay quiet on failure
 *
 * pagelab has no reclaim: a request that may reclaim gets one more try after the
 * per-cpu lists are drained, then fails.  GFP_KERNEL and GFP_ATOMIC differ in what
 * matters here: GFP_ATOMIC may take pages below the min watermark, GFP_KERNEL may not.
 */
#ifndef PAGELAB_MM_GFP_H
#define PAGELAB_MM_GFP_H

#include "mm/mm.h"
#include "types.h"

typedef unsigned int gfp_t;

#define ___GFP_DMA 0x01u
#define ___GFP_HIGHMEM 0x02u
#define ___GFP_DMA32 0x04u
#define ___GFP_MOVABLE 0x08u

#define __GFP_DMA ___GFP_DMA
#define __GFP_HIGHMEM ___GFP_HIGHMEM
#define __GFP_DMA32 ___GFP_DMA32
#define __GFP_MOVABLE ___GFP_MOVABLE  /* the pages can be migrated (user memory) */
#define __GFP_RECLAIMABLE 0x10u        /* the pages can be freed on demand (caches) */
#define __GFP_HIGH 0x20u               /* important: may use part of the min reserve */
#define __GFP_IO 0x40u                 /* may start I/O to reclaim */
#define __GFP_FS 0x80u                 /* may call into file systems to reclaim */
#define __GFP_ZERO 0x100u              /* return zeroed pages */
#define __GFP_DIRECT_RECLAIM 0x400u    /* may sleep and reclaim: not atomic */
#define __GFP_KSWAPD_RECLAIM 0x800u    /* may wake kswapd (pagelab has none) */
#define __GFP_NOWARN 0x2000u           /* no allocation-failure report */
#define __GFP_HARDWALL 0x100000u       /* stay inside the cpuset (user allocations) */

#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT 3

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)              /* 0x820 */
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)            /* 0xcc0 */
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)                           /* 0x800 */
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/*
 * gfp_zone - the highest zone @flags allow.  Linux's trick: the zone for each of the 16
 * combinations of the four zone bits, 3 bits apiece, packed into one constant, so the
 * lookup is a shift and a mask.  Invalid combinations (DMA with DMA32, ...) read as DMA.
 */
#define GFP_ZONES_SHIFT 3
#define GFP_ZONE_TABLE                                                                    \
	(((u64)ZONE_NORMAL << 0 * GFP_ZONES_SHIFT) |                                      \
	 ((u64)ZONE_DMA << ___GFP_DMA * GFP_ZONES_SHIFT) |                                \
	 ((u64)ZONE_HIGHMEM << ___GFP_HIGHMEM * GFP_ZONES_SHIFT) |                        \
	 ((u64)ZONE_DMA32 << ___GFP_DMA32 * GFP_ZONES_SHIFT) |                            \
	 ((u64)ZONE_NORMAL << ___GFP_MOVABLE * GFP_ZONES_SHIFT) |                         \
	 ((u64)ZONE_DMA << (___GFP_MOVABLE | ___GFP_DMA) * GFP_ZONES_SHIFT) |             \
	 ((u64)ZONE_MOVABLE << (___GFP_MOVABLE | ___GFP_HIGHMEM) * GFP_ZONES_SHIFT) |     \
	 ((u64)ZONE_DMA32 << (___GFP_MOVABLE | ___GFP_DMA32) * GFP_ZONES_SHIFT))

static inline enum zone_type gfp_zone(gfp_t flags)
{
	return (GFP_ZONE_TABLE >> ((flags & GFP_ZONEMASK) * GFP_ZONES_SHIFT)) &
	       ((1 << GFP_ZONES_SHIFT) - 1);
}

/* gfp_migratetype - the migrate type @flags ask for (__GFP_MOVABLE -> MIGRATE_MOVABLE ...). */
static inline int gfp_migratetype(gfp_t flags)
{
	return (flags & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT;
}

/*
 * __alloc_pages - 2^@order contiguous pages from the highest zone @gfp allows, falling
 * back to lower zones, keeping each zone's watermarks.  @preferred_nid is the node to
 * try first (0: pagelab has one).  Returns the first struct page with a reference count
 * of 1, or NULL; a failure prints Linux's "page allocation failure" report unless @gfp
 * has __GFP_NOWARN.  Process context only (see mm/page_alloc.c on interrupts).
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid);

static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order, 0);
}

#define alloc_page(gfp) alloc_pages((gfp), 0)

/*
 * __free_pages - drop a reference to a block from alloc_pages() (same @order); the block
 * is freed when the count reaches 0.  Freeing a free page, or one in a bad state (still
 * reserved, a slab page, a corrupted struct page), prints "BUG: Bad page state" and
 * leaves the page out of the free lists.
 */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page) __free_pages((page), 0)

/* __get_free_pages / free_pages: the same, by direct-map address.  0 on failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define __get_free_page(gfp) __get_free_pages((gfp), 0)
#define free_page(addr) free_pages((addr), 0)

/* __free_pages_core - boot-time hand-over of a block memblock did not use (managed += 2^order). */
void __free_pages_core(struct page *page, unsigned int order);

/* nr_free_pages - pages on the buddy free lists of all zones (not the per-cpu lists). */
unsigned long nr_free_pages(void);

/*
 * drain_all_pages - give every online CPU's per-cpu lists of @zone (NULL: of all zones)
 * back to the buddy lists, from this CPU, under each list's lock.  With @zone NULL it
 * returns at once if another drain is running.  Not from an interrupt handler.
 */
void drain_all_pages(struct zone *zone);

/* drain_local_pages - the same for this CPU's lists only. */
void drain_local_pages(struct zone *zone);

/*
 * format_gfp_flags - write @gfp as Linux's %pGg does ("GFP_KERNEL|__GFP_ZERO") into @buf;
 * returns the length.  gfp_flags_parse - the reverse for one name ("GFP_KERNEL",
 * "__GFP_ZERO", case-insensitive, prefix optional: "kernel", "zero"): 0 and *@gfp, or -EINVAL.
 */
int format_gfp_flags(char *buf, size_t size, gfp_t gfp);
int gfp_flag_parse(const char *name, gfp_t *gfp);

#endif
