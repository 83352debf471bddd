/* SPDX-License-Identifier: MIT */
/*
 * Page flags: what a struct page is being used for, one bit each, plus (in the top
 * bits of the same word, as Linux does) which zone and node the frame belongs to.
 *
 *   63      61 60   59 58 ...                         0
 *   [ zone  ][ node ][ ........ PG_* flag bits ........ ]
 */
#ifndef PAGELAB_MM_PAGE_FLAGS_H
#define PAGELAB_MM_PAGE_FLAGS_H

#include "lib/atomic.h"
#include "mm/mm_types.h"

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_dirty,
	PG_reserved, /* never given to the page allocator: firmware, kernel image, memmap */
	PG_slab,     /* part of a SLUB slab */
	PG_head,     /* first page of a higher-order allocation */
	PG_buddy,    /* free, on a buddy free list; page->private is the order.  Linux keeps
		      * this in page_type; a flag bit is easier to see in `page` output. */
	PG_poisoned, /* filled with a pattern on free (page_poison=1) */
	__NR_PAGEFLAGS,
};

#define ZONES_WIDTH 3
#define NODES_WIDTH 2
#define ZONES_PGSHIFT (64 - ZONES_WIDTH)
#define NODES_PGSHIFT (ZONES_PGSHIFT - NODES_WIDTH)
#define ZONES_MASK ((1UL << ZONES_WIDTH) - 1)
#define NODES_MASK ((1UL << NODES_WIDTH) - 1)

_Static_assert(__NR_PAGEFLAGS <= NODES_PGSHIFT, "page flags overlap the zone/node bits");

/*
 * A page's flags word has two writers that do not share a lock: the page's owner, and,
 * for the first page of a pageblock, whoever changes the block's migrate type under the
 * zone's lock (its bits live in the same word, include/mm/pageblock-flags.h).  So every
 * update is an atomic read-modify-write, as Linux's SetPageX()/ClearPageX() are (set_bit,
 * clear_bit), and reads are READ_ONCE: the buddy allocator looks at the flags of a
 * buddy that another CPU may be freeing.
 */
static inline bool test_page_flag(const struct page *p, enum pageflags f)
{
	return READ_ONCE(p->flags) & (1UL << f);
}

static inline void set_page_flag(struct page *p, enum pageflags f)
{
	__atomic_fetch_or(&p->flags, 1UL << f, __ATOMIC_RELAXED);
}

static inline void clear_page_flag(struct page *p, enum pageflags f)
{
	__atomic_fetch_and(&p->flags, ~(1UL << f), __ATOMIC_RELAXED);
}

#define PAGEFLAG(name, bit)                                                              \
	static inline bool Page##name(const struct page *p) { return test_page_flag(p, bit); } \
	static inline void SetPage##name(struct page *p) { set_page_flag(p, bit); }          \
	static inline void ClearPage##name(struct page *p) { clear_page_flag(p, bit); }

PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Slab, PG_slab)
PAGEFLAG(Head, PG_head)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Poisoned, PG_poisoned)
#undef PAGEFLAG

static inline unsigned int page_zonenum(const struct page *p)
{
	return (p->flags >> ZONES_PGSHIFT) & ZONES_MASK;
}

static inline int page_to_nid(const struct page *p)
{
	return (p->flags >> NODES_PGSHIFT) & NODES_MASK;
}

static inline void set_page_links(struct page *p, unsigned int zone, int nid)
{
	p->flags &= ~((ZONES_MASK << ZONES_PGSHIFT) | (NODES_MASK << NODES_PGSHIFT));
	p->flags |= ((unsigned long)zone << ZONES_PGSHIFT) | ((unsigned long)nid << NODES_PGSHIFT);
}

/* The names `page` prints, in bit order. */
extern const char *const pageflag_names[__NR_PAGEFLAGS];

#endif
