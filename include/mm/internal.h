/* SPDX-License-Identifier: MIT */
/*
 * What the files of mm/ share with each other, the tests and the self-tests, and nobody
 * else (Linux's mm/internal.h): the allocation flags, the debugging switches, and the
 * free-list invariant checker.
 */
#ifndef PAGELAB_MM_INTERNAL_H
#define PAGELAB_MM_INTERNAL_H

#include "mm/gfp.h"
#include "mm/mm.h"

/*
 * alloc_flags: how hard one pass over the zonelist may try.  The low bits name the
 * watermark to keep; the others grant reserves.  Values as Linux 6.x, where __GFP_HIGH
 * and ALLOC_MIN_RESERVE share a bit so gfp_to_alloc_flags() can copy it.
 *
 *   ALLOC_MIN_RESERVE  may use half the min reserve (__GFP_HIGH; Linux called it
 *                      ALLOC_HIGH before 6.3)
 *   ALLOC_NON_BLOCK    cannot sleep: may dig deeper still (ALLOC_HARDER before
 *                      6.3).  GFP_ATOMIC has both.
 *   ALLOC_NOFRAGMENT   first pass of a Normal request: rather fall back to DMA32 than
 *                      split a pageblock of another migrate type
 *   ALLOC_HIGHATOMIC   a high-order GFP_ATOMIC request (__GFP_HIGH, cannot sleep,
 *                      order > 0): may use the MIGRATE_HIGHATOMIC reserve, and a block
 *                      it gets turns its pageblock into one (Linux 6.18)
 */
#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_NON_BLOCK 0x10
#define ALLOC_MIN_RESERVE 0x20
#define ALLOC_NOFRAGMENT 0x100
#define ALLOC_HIGHATOMIC 0x200
#define ALLOC_KSWAPD 0x800
/* Any right to reserves: the free highatomic pages count for these requests only. */
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC)

_Static_assert(ALLOC_MIN_RESERVE == __GFP_HIGH, "gfp_to_alloc_flags copies the bit");
_Static_assert(ALLOC_KSWAPD == __GFP_KSWAPD_RECLAIM, "gfp_to_alloc_flags copies the bit");

/* gfp_to_alloc_flags - the rights of the slow path's second pass (min watermark). */
unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order);

/*
 * zone_free_highatomic - free pages on @zone's MIGRATE_HIGHATOMIC lists: what requests
 * without reserve rights may not count as free (Linux 6.12+ keeps it as a counter,
 * zone->nr_free_highatomic; pagelab counts the lists, and only while a reserve exists).
 */
unsigned long zone_free_highatomic(const struct zone *zone);

/*
 * Flags that must be clear on a page being freed, and on a page leaving the free
 * lists (Linux's PAGE_FLAGS_CHECK_AT_FREE / _AT_PREP).  PG_poisoned is the poisoning
 * code's own mark and is checked there.
 */
#define PAGE_FLAGS_CHECK_AT_FREE                                                       \
	((1UL << PG_locked) | (1UL << PG_reserved) | (1UL << PG_slab) | (1UL << PG_buddy))
#define PAGE_FLAGS_CHECK_AT_PREP (((1UL << __NR_PAGEFLAGS) - 1) & ~(1UL << PG_poisoned))

/*
 * check_pages_enabled: also check every tail page of a block, at free and at
 * allocation.  On with page_poison=1 (as in Linux, where debugging options turn the
 * checks on); off by default because it makes freeing an order-9 block cost 512 checks.
 */
extern bool check_pages_enabled;

/*
 * bad_page - report @page with @reason, Linux's layout, and count it in nr_bad_pages
 * (include/mm/page_alloc.h); the page is then left alone.
 */
void bad_page(struct page *page, const char *reason);

/* Page poisoning (mm/page_poison.c): fill freed pages with PAGE_POISON, check on reuse. */
#define PAGE_POISON 0xaa
extern bool page_poisoning_enabled;
extern unsigned long nr_poison_errors; /* corrupted free pages found so far */
void kernel_poison_pages(struct page *page, int numpages);
void kernel_unpoison_pages(struct page *page, int numpages);

/* page_alloc_current_comm - the "process" named in reports: pagelab has only swapper/0. */
const char *page_alloc_current_comm(void);

/*
 * check_zone_free_lists - verify the buddy allocator's invariants for @zone and return
 * the number of violations; the first one is described in @why (@len bytes).  Checked:
 * every listed block is marked PG_buddy with its order, aligned, inside the zone, on
 * the list of its order; no free block has a free buddy of the same order (they would
 * have merged); no page of a free block is listed twice; nr_free and NR_FREE_PAGES match
 * the lists; the per-cpu counts match their lists.  Costs a walk over the zone's free
 * pages: for tests.
 */
unsigned long check_zone_free_lists(struct zone *zone, char *why, size_t len);

/*
 * setup_slub_debug - read slub_debug= (or slab_debug=) from boot_command_line, for
 * kmem_cache_flags() to apply to the caches created from then on.  kmem_cache_init()
 * calls it; tests/fuzz/fuzz_cmdline.c calls it again for every command line it tries.
 */
void setup_slub_debug(void);

/* drain_pages - CPU @cpu's per-cpu lists of every zone back to the buddy lists, from any CPU. */
void drain_pages(unsigned int cpu);

#endif
