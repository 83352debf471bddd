/* SPDX-License-Identifier: MIT */
/*
 * Pageblocks: the granularity at which the page allocator groups pages by migrate type.
 *
 * A pageblock is 2^pageblock_order pages, naturally aligned: 512 pages (2 MiB, one huge
 * page) on x86-64, as in Linux with huge pages configured.  Each pageblock has one
 * migrate type, the kind of allocation it is meant to serve; free blocks inside it go
 * on that type's free lists.
 *
 *   pfn 0x200-0x3ff   pfn 0x400-0x5ff   pfn 0x600-0x7ff
 *   [   Movable   ]   [  Unmovable  ]   [   Movable   ]    <- one type per pageblock
 *
 * Where the type is stored: Linux keeps 4 bits per pageblock in a separate bitmap (the
 * section's "usemap").  pagelab keeps the type in two spare bits of the flags word of
 * the pageblock's first struct page, so no extra memory is set aside at boot and `page`
 * shows it in the raw flags.  The bits hold the type XOR MIGRATE_MOVABLE: a struct page
 * initialised to flags 0 thus reads as Movable, which is the type Linux gives every
 * pageblock at boot, without mm_init.c having to know.
 *
 *   63   61 60  59 58   57 56 ...                   0
 *   [zone ][node][ mt^1  ][ ....... PG_* flags ...... ]
 *
 * Two bits hold the four types a pageblock can have here: Unmovable, Movable,
 * Reclaimable, HighAtomic (Linux 6.18 uses three, for CMA).  Isolate is not among them:
 * Linux 6.18 marks an isolated pageblock with a bit of its own beside the type
 * (PB_migrate_isolate, since 6.17), so it remembers what it was; pagelab isolates
 * nothing and has no such bit, so no pageblock ever reads MIGRATE_ISOLATE.
 */
#ifndef PAGELAB_MM_PAGEBLOCK_FLAGS_H
#define PAGELAB_MM_PAGEBLOCK_FLAGS_H

#include "mm/mm.h"

#define pageblock_order 9 /* HPAGE_PMD_ORDER: a 2 MiB huge page */
#define pageblock_nr_pages (1UL << pageblock_order)

#define PB_MIGRATE_BITS 2
#define PB_MIGRATE_SHIFT (NODES_PGSHIFT - PB_MIGRATE_BITS)
#define PB_MIGRATE_MASK ((1UL << PB_MIGRATE_BITS) - 1)

_Static_assert(__NR_PAGEFLAGS <= PB_MIGRATE_SHIFT, "page flags overlap the pageblock bits");
_Static_assert(MIGRATE_HIGHATOMIC < (1 << PB_MIGRATE_BITS), "migrate types need more bits");
_Static_assert(pageblock_order <= MAX_PAGE_ORDER, "a pageblock must fit in a buddy block");

static inline unsigned long pageblock_start_pfn(unsigned long pfn)
{
	return pfn & ~(pageblock_nr_pages - 1);
}

/* get_pfnblock_migratetype - the migrate type of the pageblock holding @pfn (@page's frame). */
static inline int get_pfnblock_migratetype(const struct page *page, unsigned long pfn)
{
	const struct page *head = page - (pfn & (pageblock_nr_pages - 1));

	return ((READ_ONCE(head->flags) >> PB_MIGRATE_SHIFT) & PB_MIGRATE_MASK) ^ MIGRATE_MOVABLE;
}

static inline int get_pageblock_migratetype(const struct page *page)
{
	return get_pfnblock_migratetype(page, page_to_pfn(page));
}

/* set_pageblock_migratetype - make @page's pageblock serve @mt (its free pages do not move). */
static inline void set_pageblock_migratetype(struct page *page, int mt)
{
	struct page *head = pfn_to_page(pageblock_start_pfn(page_to_pfn(page)));

	unsigned long old = READ_ONCE(head->flags), new;

	/*
	 * One atomic update of the word: the head page's owner may be changing its own
	 * flags at the same time, without the zone's lock (include/mm/page-flags.h).
	 */
	do {
		new = (old & ~(PB_MIGRATE_MASK << PB_MIGRATE_SHIFT)) |
		      (unsigned long)(mt ^ MIGRATE_MOVABLE) << PB_MIGRATE_SHIFT;
	} while (!__atomic_compare_exchange_n(&head->flags, &old, new, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
}

#endif
