// SPDX-License-Identifier: MIT
/*
 * The buddy page allocator: every free page of every zone, in naturally aligned blocks
 * of 2^order pages (order 0 .. MAX_PAGE_ORDER = 10), and the paths that hand them out
 * and take them back.
 *
 * A block of order n has exactly one "buddy": the other half of the order-(n+1) block
 * both were split from, and the only block it may ever merge with.
 *
 *   allocate order 0 from an order-2 block:      free it again:
 *   [        order 2        ]                    [0][1 free][2-3 free]
 *   [ order 1 ][ order 1 -> free list 1 ]        buddy of 0 is 1: merge -> [0-1]
 *   [0][1 -> free list 0]                        buddy of 0-1 is 2-3: merge -> order 2
 *
 * The path of one allocation (names as in Linux 6.x):
 *
 *   __alloc_pages(gfp, order)
 *     get_page_from_freelist(ALLOC_WMARK_LOW)     each zone of the zonelist, best first:
 *       zone_watermark_fast()                       enough free above the watermark?
 *       rmqueue()
 *         order <= 3: __rmqueue_pcplist()           this CPU's list; refill in a batch
 *         otherwise, or no refill: rmqueue_buddy()  from the buddy lists:
 *           (high-order atomic: the HighAtomic reserve first)
 *           __rmqueue(): __rmqueue_smallest()         smallest block of the migrate type,
 *                                                     split down by expand()
 *                        __rmqueue_fallback()       or steal from another type
 *       prep_new_page()                             refcount 1, unpoison, zero
 *       reserve_highatomic_pageblock()              (slow path, high-order atomic only)
 *     __alloc_pages_slowpath()                    again at the min watermark, with the
 *                                                 reserves the GFP flags allow; give back
 *                                                 the HighAtomic reserve and drain the
 *                                                 per-cpu lists; else warn_alloc()
 *
 * and of one free:
 *
 *   __free_pages(): refcount drops to 0
 *     order <= 3: free_unref_page()     onto this CPU's list; at pcp->high,
 *                                       free_pcppages_bulk() returns a batch
 *     otherwise:  __free_pages_ok()
 *                   free_pages_prepare()  bad-page checks, poisoning
 *                   __free_one_page()     merge with the buddy as far up as possible
 *
 * Set-up (zonelists, watermarks, per-cpu sizes) is in mm/page_alloc_init.c.
 *
 * Valid from free_area_init() on (the zones exist); memblock_free_all() fills it.  Callers:
 * everything that needs memory after boot (page tables, SLUB, the shell's experiments).
 *
 * Locking (Linux 6.18's, in this order):
 *
 *   pcpu_drain_lock        one drain_all_pages() at a time (Linux: pcpu_drain_mutex)
 *     pcp->lock            a CPU's per-cpu lists of one zone: its count and lists[]
 *       zone->lock         the buddy lists: free_area[], NR_FREE_PAGES's changes,
 *                          nr_reserved_highatomic, pageblock migrate types
 *
 * zone->lock is always taken with interrupts off (spin_lock_irqsave), so an interrupt
 * handler that allocates cannot spin on a lock its own CPU holds.  The pcp lock is not:
 * a CPU's own allocations and frees take it with pcp_spin_trylock(), and when that
 * fails (an interrupted holder on this CPU, or another CPU draining the list) they use
 * the buddy lists instead - rmqueue_buddy(), free_one_page().  Only the slow paths wait
 * for a pcp lock, from whichever CPU and never in an interrupt handler: drain_all_pages(),
 * the per-cpu high and batch update (mm/page_alloc_init.c), page_on_pcp_list().
 * Lab 5's functions (__rmqueue_smallest, expand, __free_one_page) run with zone->lock
 * held by their callers.
 */
#include "kernel/printk.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/debug_race.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pageblock-flags.h"
#include "mm/vmstat.h"

const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable",
	"Movable",
	"Reclaimable",
	"HighAtomic",
	"Isolate",
};

bool check_pages_enabled;
unsigned long nr_bad_pages;

/* How a block is put back (Linux's fpi_t): FPI_TO_TAIL keeps it from being reused soon. */
#define FPI_NONE 0
#define FPI_TO_TAIL 1

/* What __alloc_pages() works out once and the passes over the zonelist share. */
struct alloc_context {
	struct zonelist *zonelist;
	struct zoneref *preferred_zoneref; /* the first zone the request may use */
	enum zone_type highest_zoneidx;
	int migratetype;
};

const char *page_alloc_current_comm(void)
{
	/* No processes: everything runs as the boot CPU's idle task, which Linux calls so. */
	return "swapper/0";
}

/* ---- the free lists ------------------------------------------------------------------ */

static inline unsigned int buddy_order(const struct page *page)
{
	return page->private;
}

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	SetPageBuddy(page);
}

static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order,
				    int mt, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	set_buddy_order(page, order);
	if (tail)
		list_add_tail(&page->lru, &area->free_list[mt]);
	else
		list_add(&page->lru, &area->free_list[mt]);
	WRITE_ONCE(area->nr_free, area->nr_free + 1); /* read without the lock: watermarks */
}

/* Move a free block to another migrate type's list of the same order. */
static inline void move_to_free_list(struct page *page, struct zone *zone, unsigned int order,
				     int mt)
{
	list_move_tail(&page->lru, &zone->free_area[order].free_list[mt]);
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone,
					   unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	WRITE_ONCE(zone->free_area[order].nr_free, zone->free_area[order].nr_free - 1);
}

static inline struct page *get_page_from_free_area(struct free_area *area, int mt)
{
	if (free_area_empty(area, mt))
		return NULL;
	return list_first_entry(&area->free_list[mt], struct page, lru);
}

static inline bool pageblock_types_merge(int mt, int buddy_mt)
{
	return mt == buddy_mt || (migratetype_is_mergeable(mt) && migratetype_is_mergeable(buddy_mt));
}

/*
 * Whether @buddy, the buddy of @page at @order, is free and whole at that order, so
 * the two can merge.  Its struct page always exists: a buddy lies in the same
 * MAX_PAGE_ORDER block, hence the same 128 MiB section, and every frame of a present
 * section has an initialised struct page (holes are PG_reserved, never PG_buddy).
 * Same zone and node: compare the top bits of flags.  From pageblock_order up the two
 * halves are different pageblocks: a HighAtomic or Isolate one merges only with one of
 * its own type, so the reserve's count of pages and an isolated range stay whole (Linux
 * 6.18 tests this in __free_one_page(); pagelab here, outside lab 5's exercise).
 */
static inline bool page_is_buddy(const struct page *page, const struct page *buddy,
				 unsigned int order)
{
	if (!PageBuddy(buddy) || buddy_order(buddy) != order ||
	    ((page->flags ^ buddy->flags) >> NODES_PGSHIFT))
		return false;
	if (likely(order < pageblock_order))
		return true;
	return pageblock_types_merge(get_pageblock_migratetype(page),
				     get_pageblock_migratetype(buddy));
}

/*
 * __free_one_page - Linux's __free_one_page(): the block @page (frame @pfn, @order) has
 * just become free.  Afterwards its pages are counted in NR_FREE_PAGES and sit on @mt's
 * lists (at the tail with FPI_TO_TAIL) inside a block that has no free buddy of its own
 * order below MAX_PAGE_ORDER.  That invariant is why the free lists depend only on which
 * pages are free, never on the order they were freed in, and why large blocks grow back.
 */
static void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
			    unsigned int order, int mt, int fpi_flags)
{
	zone->vm_stat[NR_FREE_PAGES] += 1UL << order;
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		/* Signed: the buddy may lie below, and a pointer plus a wrapped unsigned
		 * difference is undefined in C (clang's UBSan says so; Linux does it anyway). */
		struct page *buddy = page + ((long)buddy_pfn - (long)pfn);
		unsigned long combined_pfn;

		if (!page_is_buddy(page, buddy, order))
			break;
		del_page_from_free_list(buddy, zone, order);
		combined_pfn = buddy_pfn & pfn; /* the merged block starts at the lower one */
		page += (long)combined_pfn - (long)pfn;
		pfn = combined_pfn;
		order++;
	}
	add_to_free_list(page, zone, order, mt, fpi_flags & FPI_TO_TAIL);
}

/*
 * expand - the split (Linux's expand()): the block @page of order @high is off the free
 * lists, and the caller keeps its first 2^@low pages.  Afterwards every other page of
 * the block is on @mt's lists again, in the fewest blocks the buddy rules allow, so a
 * small request does not leave the rest of a large block in crumbs.  NR_FREE_PAGES is
 * the caller's to count.
 */
static inline void expand(struct zone *zone, struct page *page, unsigned int low,
			  unsigned int high, int mt)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high, mt, false);
	}
}

/* The smallest free block of type @mt that can hold @order, split to size, or NULL. */
static inline struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int mt)
{
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct page *page = get_page_from_free_area(&zone->free_area[o], mt);

		if (!page)
			continue;
		del_page_from_free_list(page, zone, o);
		expand(zone, page, order, o, mt);
		return page;
	}
	return NULL;
}

/* ---- migrate-type fallback ------------------------------------------------------------ */

/* Whom each type steals from when its own lists are empty, in order of preference. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/*
 * Move every free block inside pfns [start, end] to @mt's lists.  Returns the pages
 * moved; *@num_movable counts allocated pages that could be migrated - none in
 * pagelab, which cannot migrate pages (Linux counts pages on the LRU lists).
 */
static unsigned long move_freepages(struct zone *zone, unsigned long start, unsigned long end,
				    int mt, unsigned long *num_movable)
{
	unsigned long pfn = start, moved = 0;

	*num_movable = 0;
	while (pfn <= end) {
		struct page *page = pfn_to_page(pfn);

		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		move_to_free_list(page, zone, buddy_order(page), mt);
		moved += 1UL << buddy_order(page);
		pfn += 1UL << buddy_order(page);
	}
	return moved;
}

/* move_freepages for @page's whole pageblock, or as much of it as lies in @zone. */
static unsigned long move_freepages_block(struct zone *zone, struct page *page, int mt,
					  unsigned long *num_movable)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long start = pageblock_start_pfn(pfn), end = start + pageblock_nr_pages - 1;

	*num_movable = 0;
	if (!zone_spans_pfn(zone, start))
		start = pfn;
	if (!zone_spans_pfn(zone, end))
		return 0;
	return move_freepages(zone, start, end, mt, num_movable);
}

/* A free block of order >= pageblock_order covers whole pageblocks: retype them all. */
static void change_pageblock_range(struct page *page, unsigned int order, int mt)
{
	for (unsigned long n = 1UL << (order - pageblock_order); n--; page += pageblock_nr_pages)
		set_pageblock_migratetype(page, mt);
}

/*
 * Whether a request of type @start_mt may take over the rest of the pageblock it
 * steals from, not just one block: always for big requests, and for unmovable and
 * reclaimable ones, which would otherwise scatter over many pageblocks.  A movable
 * request stealing a small block takes just that block.
 */
static bool can_steal_fallback(unsigned int order, int start_mt)
{
	return order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE || page_group_by_mobility_disabled;
}

/*
 * steal_suitable_fallback - @page, a free block of another type, is about to serve a
 * request of type @start_type.  Move it (and, if @whole_block, every free page of its
 * pageblock) to @start_type's lists; if at least half the pageblock is then free or
 * already used alike, the pageblock itself changes type:
 *
 *   pageblock Movable:   [used M][free][free][free][free][used U][free][free]
 *   unmovable request:   6/8 free or alike >= 1/2  -> pageblock becomes Unmovable
 */
static void steal_suitable_fallback(struct zone *zone, struct page *page, int start_type,
				    bool whole_block)
{
	unsigned int current_order = buddy_order(page);
	int old_block_type = get_pageblock_migratetype(page);
	unsigned long free_pages, movable_pages, alike_pages;

	if (current_order >= pageblock_order) {
		change_pageblock_range(page, current_order, start_type);
		goto single_page;
	}
	if (!whole_block)
		goto single_page;
	free_pages = move_freepages_block(zone, page, start_type, &movable_pages);
	if (!free_pages) /* the pageblock straddles the zone's edge */
		goto single_page;
	/* Used pages that are not movable are taken to be of the requesting kind. */
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (old_block_type == MIGRATE_MOVABLE)
		alike_pages = pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;
	if (free_pages + alike_pages >= pageblock_nr_pages / 2 || page_group_by_mobility_disabled)
		set_pageblock_migratetype(page, start_type);
	return;

single_page:
	move_to_free_list(page, zone, current_order, start_type);
}

/*
 * The first type @mt may steal from that has a free block on @area, or -1;
 * *@can_steal says whether the whole pageblock may be taken.
 */
static int find_suitable_fallback(struct free_area *area, unsigned int order, int mt,
				  bool *can_steal)
{
	if (area->nr_free == 0)
		return -1;
	*can_steal = false;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[mt][i];

		if (free_area_empty(area, fallback_mt))
			continue;
		*can_steal = can_steal_fallback(order, mt);
		return fallback_mt;
	}
	return -1;
}

/*
 * __rmqueue_fallback - @start_mt's lists cannot serve @order: steal from another type.
 * Steal the *largest* block available, so the pageblock changes hands whole and types
 * stay apart - unless a movable request would get no more than the one block, in which
 * case the smallest suitable block will do.  With ALLOC_NOFRAGMENT, only whole
 * pageblocks may be stolen.  Returns whether anything moved to @start_mt's lists.
 */
static bool __rmqueue_fallback(struct zone *zone, int order, int start_mt,
			       unsigned int alloc_flags)
{
	int min_order = order, current_order, fallback_mt = -1;
	struct free_area *area = NULL;
	bool can_steal = false;

	if (order < pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = pageblock_order;
	for (current_order = MAX_PAGE_ORDER; current_order >= min_order; current_order--) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, current_order, start_mt, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	if (fallback_mt == -1)
		return false;
	if (!can_steal && start_mt == MIGRATE_MOVABLE && current_order > order) {
		for (current_order = order; current_order <= MAX_PAGE_ORDER; current_order++) {
			area = &zone->free_area[current_order];
			fallback_mt = find_suitable_fallback(area, current_order, start_mt,
							     &can_steal);
			if (fallback_mt != -1)
				break;
		}
	}
	steal_suitable_fallback(zone, get_page_from_free_area(area, fallback_mt), start_mt,
				can_steal);
	return true;
}

/* __rmqueue - a block of @order for type @mt from @zone's buddy lists, stealing if need be. */
static inline struct page *__rmqueue(struct zone *zone, unsigned int order, int mt,
				     unsigned int alloc_flags)
{
	struct page *page;

	while (!(page = __rmqueue_smallest(zone, order, mt)))
		if (!__rmqueue_fallback(zone, order, mt, alloc_flags))
			return NULL;
	return page;
}

/* ---- the high-order atomic reserve ----------------------------------------------------- */

/*
 * Whether @page's pageblock lies wholly in @zone, so its free pages can change lists
 * together (Linux's prep_move_freepages_block() refuses the others the same way).
 */
static bool pageblock_in_zone(struct zone *zone, struct page *page)
{
	unsigned long start = pageblock_start_pfn(page_to_pfn(page));

	return zone_spans_pfn(zone, start) && zone_spans_pfn(zone, start + pageblock_nr_pages - 1);
}

/*
 * reserve_highatomic_pageblock - a high-order atomic request just got @page (@order)
 * from @zone: keep its pageblock for such requests from now on, so the next one finds a
 * large block even when ordinary requests have used up the zone.  Afterwards the
 * pageblock is MIGRATE_HIGHATOMIC with its free pages on that type's lists, and
 * zone->nr_reserved_highatomic counts it - unless the zone is too small (1% of it less
 * than a pageblock), already holds 1% rounded up to whole pageblocks, or the block is of
 * a type that does not merge (already HighAtomic, or Isolate).  Linux 6.18's rules.
 */
static noinline void reserve_highatomic_pageblock(struct page *page, unsigned int order,
						  struct zone *zone)
{
	unsigned long one_percent = zone->managed_pages / 100;
	unsigned long dummy, flags;
	int mt;

	if (one_percent < pageblock_nr_pages)
		return;
	if (zone->nr_reserved_highatomic >= ALIGN_UP(one_percent, pageblock_nr_pages))
		return; /* a first look without the lock, as Linux's; checked again under it */
	spin_lock_irqsave(&zone->lock, flags);
	if (zone->nr_reserved_highatomic >= ALIGN_UP(one_percent, pageblock_nr_pages))
		goto out;
	mt = get_pageblock_migratetype(page);
	if (!migratetype_is_mergeable(mt))
		goto out;
	if (order >= pageblock_order) { /* whole pageblocks, all of them in use */
		change_pageblock_range(page, order, MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1UL << order;
		goto out;
	}
	if (!pageblock_in_zone(zone, page))
		goto out;
	move_freepages_block(zone, page, MIGRATE_HIGHATOMIC, &dummy);
	set_pageblock_migratetype(page, MIGRATE_HIGHATOMIC);
	zone->nr_reserved_highatomic += pageblock_nr_pages;
out:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * unreserve_highatomic_pageblock - an allocation that may sleep is about to fail: give
 * one HighAtomic pageblock that has free pages, from the first zone of @ac's zonelist
 * that has one, back to @ac's migrate type.  Without @force a zone keeps its last
 * reserved pageblock.  Returns whether a pageblock was given back.  Linux 6.18's rules,
 * with the same reason for choosing the caller's type: it needs the pages now, and
 * stealing heuristics could leave the block Unmovable for good.
 */
static noinline bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	struct zoneref *z;
	struct zone *zone;

	for_each_zone_zonelist(zone, z, ac->zonelist, ac->highest_zoneidx) {
		unsigned long flags;

		if (!force && zone->nr_reserved_highatomic <= pageblock_nr_pages)
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
			struct page *page =
				get_page_from_free_area(&zone->free_area[order], MIGRATE_HIGHATOMIC);
			unsigned long size, dummy;

			if (!page)
				continue;
			size = MIN(MAX(pageblock_nr_pages, 1UL << order), zone->nr_reserved_highatomic);
			zone->nr_reserved_highatomic -= size;
			if (order < pageblock_order) {
				move_freepages_block(zone, page, ac->migratetype, &dummy);
				set_pageblock_migratetype(page, ac->migratetype);
			} else {
				move_to_free_list(page, zone, order, ac->migratetype);
				change_pageblock_range(page, order, ac->migratetype);
			}
			spin_unlock_irqrestore(&zone->lock, flags);
			return true;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return false;
}

unsigned long zone_free_highatomic(const struct zone *zone)
{
	spinlock_t *lock = (spinlock_t *)&zone->lock; /* a reader: the zone itself stays const */
	unsigned long pages = 0, flags;

	if (!zone->nr_reserved_highatomic)
		return 0;
	spin_lock_irqsave(lock, flags);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		const struct list_head *pos;

		list_for_each(pos, &zone->free_area[o].free_list[MIGRATE_HIGHATOMIC])
			pages += 1UL << o;
	}
	spin_unlock_irqrestore(lock, flags);
	return pages;
}

/* ---- checking pages: the "Bad page state" reports ------------------------------------- */

void bad_page(struct page *page, const char *reason)
{
	/* Linux also prints the modules and a stack trace, and taints the kernel ("B"). */
	nr_bad_pages++;
	pr_alert("BUG: Bad page state in process %s  pfn:%05lx\n", page_alloc_current_comm(),
		 page_to_pfn(page));
	dump_page(printk_seq(), page);
	pr_alert("page dumped because: %s\n", reason);
}

/*
 * A page that is neither mapped (_mapcount -1), nor referenced, nor carrying any of
 * @check_flags.  Or-ing the three lets the common case take one branch, as Linux does.
 */
static inline bool page_expected_state(const struct page *page, unsigned long check_flags)
{
	return !((unsigned long)(unsigned int)(page->_mapcount + 1) |
		 (unsigned long)(unsigned int)page_ref_count(page) | (page->flags & check_flags));
}

static const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	const char *reason = NULL;

	if (page->_mapcount != -1)
		reason = "nonzero mapcount";
	if (page_ref_count(page) != 0)
		reason = "nonzero _refcount";
	if (page->flags & flags)
		reason = flags == PAGE_FLAGS_CHECK_AT_PREP ? "PAGE_FLAGS_CHECK_AT_PREP flag(s) set"
							   : "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return reason;
}

/* free_block_fits - does a block of @order start at @page, aligned, inside its zone? */
static inline bool free_block_fits(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), last = pfn + (1UL << order) - 1;

	return !(pfn & ((1UL << order) - 1)) && zone_spans_pfn(page_zone(page), last);
}

/*
 * free_pages_prepare_slow - free_pages_prepare() for the rest: a block that does not fit
 * its order, tail pages to check (check_pages_enabled), a bad first page, or page
 * poisoning on.
 */
static noinline bool free_pages_prepare_slow(struct page *page, unsigned int order)
{
	bool bad = false;

	/*
	 * A wrong @order (a caller's bug, or the shell's `free <pfn> <order>`) names pages
	 * that are not one block: merging it would corrupt the lists, and its tails may lie
	 * past the zone or the memmap, where the checks below would fault.  An aligned block
	 * of at most MAX_PAGE_ORDER sits inside one section, so its struct pages all exist.
	 * Linux 6.18 trusts the caller's order here (its callers are kernel code); pagelab
	 * checks because its shell lets anyone name one.
	 */
	if (order && !free_block_fits(page, order)) {
		bad_page(page, "freed with an order its block lacks (unaligned, or past the zone's end)");
		return false;
	}
	if (order && check_pages_enabled) {
		for (unsigned long i = 1; i < (1UL << order); i++) {
			if (!page_expected_state(&page[i], PAGE_FLAGS_CHECK_AT_FREE)) {
				bad_page(&page[i], page_bad_reason(&page[i], PAGE_FLAGS_CHECK_AT_FREE));
				bad = true;
				continue;
			}
			__atomic_fetch_and(&page[i].flags, ~PAGE_FLAGS_CHECK_AT_PREP, __ATOMIC_RELAXED);
		}
	}
	if (!page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE)) {
		bad_page(page, page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE));
		return false;
	}
	if (bad)
		return false;
	__atomic_fetch_and(&page->flags, ~PAGE_FLAGS_CHECK_AT_PREP, __ATOMIC_RELAXED); /* page-flags.h */
	if (page_poisoning_enabled)
		kernel_poison_pages(page, 1 << order);
	return true;
}

/*
 * free_pages_prepare - may this block go back?  The first page is always checked, and
 * with check_pages_enabled the others too; a bad page is reported and the whole block
 * is kept out of the free lists for good (it may be in use by someone, or already
 * listed).  Then the pages are cleaned for the lists and, with page_poison=1, poisoned.
 * The common case - a good block that fits, no tail checks, no poisoning - stays here,
 * in the caller.
 */
static __always_inline bool free_pages_prepare(struct page *page, unsigned int order)
{
	if (likely(!page_poisoning_enabled) &&
	    (likely(!order) || (!check_pages_enabled && free_block_fits(page, order))) &&
	    likely(page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE))) {
		__atomic_fetch_and(&page->flags, ~PAGE_FLAGS_CHECK_AT_PREP, __ATOMIC_RELAXED);
		return true;
	}
	return free_pages_prepare_slow(page, order);
}

static inline bool check_new_page(struct page *page)
{
	if (likely(page_expected_state(page, PAGE_FLAGS_CHECK_AT_PREP)))
		return false;
	bad_page(page, page_bad_reason(page, PAGE_FLAGS_CHECK_AT_PREP));
	return true;
}

/* check_new_pages - true if the block just taken off a list is bad (reported, then dropped). */
static inline bool check_new_pages(struct page *page, unsigned int order)
{
	if (likely(!check_pages_enabled))
		return check_new_page(page);
	for (unsigned long i = 0; i < (1UL << order); i++)
		if (check_new_page(&page[i]))
			return true;
	return false;
}

/* __GFP_ZERO, page by page through kmap_local_page(): a HighMem page has no lasting address. */
static noinline void clear_highpages(struct page *page, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		void *addr = kmap_local_page(&page[i]);

		memset(addr, 0, PAGE_SIZE);
		kunmap_local(addr);
	}
}

/* The last steps before a block is handed out: one reference, unpoison, zero. */
static inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	page->private = 0;
	set_page_count(page, 1);
	if (unlikely(page_poisoning_enabled))
		kernel_unpoison_pages(page, 1 << order);
	if (gfp & __GFP_ZERO)
		clear_highpages(page, 1UL << order);
}

/* ---- the per-cpu lists ---------------------------------------------------------------- */

static inline unsigned int order_to_pindex(int mt, unsigned int order)
{
	return MIGRATE_PCPTYPES * order + mt;
}

static inline unsigned int pindex_to_order(unsigned int pindex)
{
	return pindex / MIGRATE_PCPTYPES;
}

/*
 * pcp_spin_trylock - this CPU's per-cpu lists of @zone, locked, or NULL if their lock is
 * held (by code this CPU interrupted, or by a CPU draining them).  Linux's version also
 * pins the task to the CPU; pagelab has no preemption, so the CPU cannot change anyway.
 */
static inline struct per_cpu_pages *pcp_spin_trylock(struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[smp_processor_id()];

	return spin_trylock(&pcp->lock) ? pcp : NULL;
}

static inline void pcp_spin_unlock(struct per_cpu_pages *pcp)
{
	spin_unlock(&pcp->lock);
}

/*
 * The buddy paths of debug_race=zone (include/mm/debug_race.h): interrupts go off as
 * usual, but zone->lock is not taken, so two CPUs can take the same block.
 */
#define zone_lock_irqsave_racy(zone, flags)                     \
	do {                                                    \
		if (race_unlocked(DEBUG_RACE_ZONE)) {           \
			(flags) = local_irq_save();             \
			debug_race_enter(&(zone)->lock);        \
		} else                                            \
			spin_lock_irqsave(&(zone)->lock, flags); \
	} while (0)
#define zone_unlock_irqrestore_racy(zone, flags)                     \
	do {                                                         \
		if (race_unlocked(DEBUG_RACE_ZONE)) {                \
			debug_race_exit(&(zone)->lock);              \
			local_irq_restore(flags);                    \
		} else                                                 \
			spin_unlock_irqrestore(&(zone)->lock, flags); \
	} while (0)

/* Take up to @count blocks of @order off the buddy lists onto @list; returns how many. */
static noinline int rmqueue_bulk(struct zone *zone, unsigned int order, int count, struct list_head *list,
			int mt, unsigned int alloc_flags)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, order, mt, alloc_flags);

		if (!page)
			break;
		list_add_tail(&page->lru, list);
	}
	WRITE_ONCE(zone->vm_stat[NR_FREE_PAGES],
		   zone->vm_stat[NR_FREE_PAGES] - ((unsigned long)i << order));
	spin_unlock_irqrestore(&zone->lock, flags);
	return i;
}

/*
 * The migrate type a block from per-cpu list @pindex goes back to the buddy lists as:
 * the list's, unless its pageblock became HighAtomic meanwhile (or was when the block
 * was freed: a HighAtomic block's pages wait on the Movable list).  Linux 6.18 always
 * takes the pageblock's type here; pagelab keeps the list's type for the three ordinary
 * ones, which lab 5's experiments are written for.
 */
static inline int pcp_free_migratetype(struct page *page, unsigned int pindex)
{
	if (get_pfnblock_migratetype(page, page_to_pfn(page)) == MIGRATE_HIGHATOMIC)
		return MIGRATE_HIGHATOMIC;
	return pindex % MIGRATE_PCPTYPES;
}

/*
 * free_pcppages_bulk - return @count pages from @pcp to the buddy lists, starting with
 * list @pindex and going round the others, oldest (tail) blocks first.  Each block goes
 * back as pcp_free_migratetype() says.  The caller holds pcp->lock; zone->lock is taken
 * here, once for the whole batch.
 */
static noinline void free_pcppages_bulk(struct zone *zone, int count,
					struct per_cpu_pages *pcp, int pindex)
{
	unsigned long flags;

	count = MIN(count, pcp->count);
	if (count <= 0)
		return;
	spin_lock_irqsave(&zone->lock, flags);
	pindex--; /* the loop below steps first: start with @pindex itself */
	while (count > 0) {
		struct list_head *list;
		unsigned int order;

		do {
			if (++pindex >= NR_PCP_LISTS)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));
		order = pindex_to_order(pindex);
		do {
			struct page *page = list_last_entry(list, struct page, lru);

			list_del(&page->lru);
			count -= 1 << order;
			pcp->count -= 1 << order;
			__free_one_page(page, page_to_pfn(page), zone, order,
					pcp_free_migratetype(page, pindex), FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * drain_pages_zone - empty CPU @cpu's lists of @zone, from any CPU, under their lock
 * (Linux 6.1+).  A batch scaled up 32 times (Linux's CONFIG_PCP_BATCH_SCALE_MAX 5) per
 * lock hold, so a CPU freeing onto the list meanwhile waits a bounded time.
 */
static void drain_pages_zone(unsigned int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	int count;

	do {
		spin_lock(&pcp->lock);
		count = pcp->count;
		if (count) {
			int to_drain = MIN(count, MAX(pcp->batch, 1) << 5);

			free_pcppages_bulk(zone, to_drain, pcp, 0);
			count -= to_drain;
		}
		spin_unlock(&pcp->lock);
	} while (count);
}

void drain_pages(unsigned int cpu)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		drain_pages_zone(cpu, zone);
}

void drain_local_pages(struct zone *zone)
{
	unsigned int cpu = smp_processor_id();

	if (zone)
		drain_pages_zone(cpu, zone);
	else
		drain_pages(cpu);
}

static DEFINE_SPINLOCK(pcpu_drain_lock);

/*
 * Linux 6.18's __drain_all_pages(): note which CPUs have pages on their lists, then
 * drain each of those lists from here, under its pcp lock - no IPI, no work item on the
 * other CPU (docs/mm/buddy.md says how it was done before 6.1).  A drain of every zone
 * while another drain runs returns at once: the running one frees the same lists.  A
 * drain of one zone waits for it instead, as its callers need the lists empty.
 */
void drain_all_pages(struct zone *zone)
{
	unsigned long cpus_with_pcps = 0;
	unsigned int cpu;

	if (!spin_trylock(&pcpu_drain_lock)) {
		if (!zone)
			return;
		spin_lock(&pcpu_drain_lock);
	}
	for_each_online_cpu(cpu) {
		struct zone *z;
		bool has_pcps = false;

		for_each_populated_zone(z) {
			if (zone && z != zone)
				continue;
			if (__atomic_load_n(&z->per_cpu_pageset[cpu].count, __ATOMIC_RELAXED))
				has_pcps = true;
		}
		if (has_pcps)
			cpus_with_pcps |= 1UL << cpu;
	}
	for_each_online_cpu(cpu) {
		if (!(cpus_with_pcps & (1UL << cpu)))
			continue;
		if (zone)
			drain_pages_zone(cpu, zone);
		else
			drain_pages(cpu);
	}
	spin_unlock(&pcpu_drain_lock);
}

/*
 * How many pages to give back once pcp->count reaches @high: a batch, but at least one
 * page when high is below a batch (before setup_per_cpu_pageset() high is 0, and every
 * freed page goes straight back).  Linux (since 5.14; pcp->free_count since 6.7) gives
 * back more while frees keep coming, up to high less a batch; pagelab keeps it fixed.
 */
static inline int nr_pcp_free(const struct per_cpu_pages *pcp, int high)
{
	return high < pcp->batch ? 1 : pcp->batch;
}

/* free_one_page - free a block straight to the buddy lists, under zone->lock. */
static void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
			  unsigned int order, int fpi_flags)
{
	unsigned long flags;

	zone_lock_irqsave_racy(zone, flags);
	__free_one_page(page, pfn, zone, order, get_pfnblock_migratetype(page, pfn), fpi_flags);
	zone_unlock_irqrestore_racy(zone, flags);
	count_vm_events(PGFREE, 1UL << order);
}

/* The free onto a locked per-cpu list (Linux's free_frozen_page_commit()). */
static inline void free_unref_page_commit(struct zone *zone, struct per_cpu_pages *pcp,
					  struct page *page, int mt, unsigned int order)
{
	unsigned int pindex = order_to_pindex(mt, order);

	list_add(&page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	count_vm_events(PGFREE, 1UL << order);
	if (unlikely(pcp->count >= pcp->high))
		free_pcppages_bulk(zone, nr_pcp_free(pcp, pcp->high), pcp, pindex);
}

/*
 * free_unref_page - free a block of order <= PAGE_ALLOC_COSTLY_ORDER onto this CPU's
 * list, or, if that list's lock is held, straight to the buddy lists (Linux 6.18's
 * free_frozen_pages()).
 */
static inline void free_unref_page(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);
	struct per_cpu_pages *pcp;
	int mt;

	if (!free_pages_prepare(page, order))
		return;
	mt = get_pfnblock_migratetype(page, pfn);
	/*
	 * A HighAtomic block's pages wait on the Movable list, as in Linux 6.18 (which
	 * frees an isolated block's straight to the buddy lists; no block is isolated here).
	 */
	if (unlikely(mt == MIGRATE_HIGHATOMIC))
		mt = MIGRATE_MOVABLE;
	pcp = pcp_spin_trylock(zone);
	if (likely(pcp)) {
		free_unref_page_commit(zone, pcp, page, mt, order);
		pcp_spin_unlock(pcp);
	} else {
		free_one_page(zone, page, pfn, order, FPI_NONE);
	}
}

/*
 * Refill an empty per-cpu list: fewer blocks per refill for higher orders, at least two.
 * The pages leave NR_FREE_PAGES here, all at once, without another watermark check.
 * Linux 6.7+ (nr_pcp_alloc()) doubles an order-0 refill that follows another without
 * frees in between (pcp->alloc_factor, up to 32 batches); pagelab's is always a batch.
 */
static noinline bool pcp_refill(struct zone *zone, unsigned int order, int mt,
				unsigned int alloc_flags, struct per_cpu_pages *pcp,
				struct list_head *list)
{
	int batch = pcp->batch > 1 ? MAX(pcp->batch >> order, 2) : pcp->batch;

	pcp->count += rmqueue_bulk(zone, order, batch, list, mt, alloc_flags) << order;
	return !list_empty(list);
}

static inline struct page *pcp_pop(struct per_cpu_pages *pcp, struct list_head *list,
				   unsigned int order)
{
	struct page *page = list_first_entry(list, struct page, lru);

	list_del(&page->lru);
	pcp->count -= 1 << order;
	return page;
}

/* A bad block came off the list (reported and dropped): try the next ones. */
static noinline struct page *__rmqueue_pcplist_retry(struct zone *zone, unsigned int order, int mt,
						     unsigned int alloc_flags,
						     struct per_cpu_pages *pcp,
						     struct list_head *list)
{
	struct page *page;

	do {
		if (list_empty(list) && !pcp_refill(zone, order, mt, alloc_flags, pcp, list))
			return NULL;
		page = pcp_pop(pcp, list, order);
	} while (check_new_pages(page, order));
	return page;
}

/*
 * The head block of this CPU's list for (@mt, @order), refilling the list if it is
 * empty.  The common case - a block on the list, in good order - calls nothing, so the
 * compiler keeps it short; everything else is out of line.  The caller holds pcp->lock.
 */
static inline struct page *__rmqueue_pcplist(struct zone *zone, unsigned int order, int mt,
					     unsigned int alloc_flags, struct per_cpu_pages *pcp)
{
	struct list_head *list = &pcp->lists[order_to_pindex(mt, order)];
	struct page *page;

	if (unlikely(list_empty(list)) && !pcp_refill(zone, order, mt, alloc_flags, pcp, list))
		return NULL;
	page = pcp_pop(pcp, list, order);
	if (unlikely(check_new_pages(page, order)))
		return __rmqueue_pcplist_retry(zone, order, mt, alloc_flags, pcp, list);
	return page;
}

/*
 * rmqueue_pcplist - a block from this CPU's list, or NULL if the list is empty and cannot
 * be refilled, or its lock is held (Linux 6.18's: the caller then tries the buddy lists).
 */
static inline struct page *rmqueue_pcplist(struct zone *zone, unsigned int order, int mt,
					   unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp = pcp_spin_trylock(zone);
	struct page *page;

	if (unlikely(!pcp))
		return NULL;
	page = __rmqueue_pcplist(zone, order, mt, alloc_flags, pcp);
	pcp_spin_unlock(pcp);
	return page;
}

/* ---- allocating ----------------------------------------------------------------------- */

/*
 * rmqueue_buddy - a block straight from the buddy lists: orders above the per-cpu lists,
 * and smaller ones the per-cpu list could not refill.  As in Linux 6.18, a high-order
 * atomic request takes from the HighAtomic reserve first; any request that cannot sleep
 * takes from it last, rather than fail.  No one else ever does.
 */
static noinline struct page *rmqueue_buddy(struct zone *zone, unsigned int order,
				  unsigned int alloc_flags, int mt)
{
	unsigned long flags;
	struct page *page;

	do {
		page = NULL;
		zone_lock_irqsave_racy(zone, flags);
		if (order && (alloc_flags & ALLOC_HIGHATOMIC))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
		if (!page)
			page = __rmqueue(zone, order, mt, alloc_flags);
		if (!page && (alloc_flags & ALLOC_NON_BLOCK))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
		if (page)
			WRITE_ONCE(zone->vm_stat[NR_FREE_PAGES],
				   zone->vm_stat[NR_FREE_PAGES] - (1UL << order));
		zone_unlock_irqrestore_racy(zone, flags);
		if (!page)
			return NULL;
	} while (check_new_pages(page, order));
	return page;
}

static __always_inline struct page *rmqueue(struct zone *zone, int zone_idx, unsigned int order,
					    unsigned int alloc_flags, int mt)
{
	struct page *page;

	page = NULL;
	if (likely(order <= PAGE_ALLOC_COSTLY_ORDER))
		page = rmqueue_pcplist(zone, order, mt, alloc_flags);
	/* Linux 6.18 too: the reserve is only on the buddy lists, and a held pcp lock
	 * sends the request there as well. */
	if (unlikely(!page))
		page = rmqueue_buddy(zone, order, alloc_flags, mt);
	if (likely(page))
		__count_zid_vm_events(PGALLOC, zone_idx, 1UL << order);
	return page;
}

/*
 * __zone_watermark_ok - Linux's __zone_watermark_ok(): may @z, with @free_pages free,
 * give an order-@order block to a request whose best zone is @highest_zoneidx and whose
 * reserve rights are in @alloc_flags?  @free_pages is counted before the allocation.
 * Only if, with the whole block taken, the zone still has at least @mark free, as those
 * rights lower it, plus the lowmem_reserve it keeps from requests that could have gone
 * higher, and only if a block that large is there to take: free pages in crumbs are no
 * use to an order-3 request.  The rights exist so that atomic callers, which cannot wait
 * for memory, find some when others are already refused.  What each right is worth is
 * in docs/labs/06-pcp-watermarks-fragmentation.md.
 */
static bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
				int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = mark;

	free_pages -= (1L << order) - 1;
	if (unlikely(z->nr_reserved_highatomic) && !(alloc_flags & ALLOC_RESERVES))
		free_pages -= zone_free_highatomic(z);
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &z->free_area[o];

		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!free_area_empty(area, mt))
				return true;
		if ((alloc_flags & ALLOC_HIGHATOMIC) && !free_area_empty(area, MIGRATE_HIGHATOMIC))
			return true;
	}
	return false;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   zone_page_state(z, NR_FREE_PAGES));
}

/*
 * The common case first: an order-0 request far above the mark needs one comparison
 * (while a zone holds a HighAtomic reserve, its free pages must come off the count
 * first: __zone_watermark_ok() decides).
 */
static inline bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark,
				       int highest_zoneidx, unsigned int alloc_flags)
{
	long free_pages = zone_page_state(z, NR_FREE_PAGES);

	if (!order && !z->nr_reserved_highatomic &&
	    free_pages > (long)mark + z->lowmem_reserve[highest_zoneidx])
		return true;
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
}

/*
 * get_page_from_freelist - one pass over the zonelist: the first zone that passes the
 * watermark in @alloc_flags and has a block gives it.  A pass with ALLOC_NOFRAGMENT
 * that finds nothing is repeated without it.
 */
static __always_inline struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
							   unsigned int alloc_flags,
							   const struct alloc_context *ac)
{
	struct zoneref *z;
	struct zone *zone;

retry:
	/* Every zone after the preferred one is lower, so allowed too. */
	for (z = ac->preferred_zoneref; (zone = z->zone); z++) {
		unsigned long mark = zone->_watermark[alloc_flags & ALLOC_WMARK_MASK];
		struct page *page;

		if (!zone_watermark_fast(zone, order, mark, ac->highest_zoneidx, alloc_flags))
			continue;
		page = rmqueue(zone, z->zone_idx, order, alloc_flags, ac->migratetype);
		if (page) {
			prep_new_page(page, order, gfp);
			if (unlikely(alloc_flags & ALLOC_HIGHATOMIC))
				reserve_highatomic_pageblock(page, order, zone);
			return page;
		}
	}
	if (alloc_flags & ALLOC_NOFRAGMENT) { /* nothing without fragmenting: then fragment */
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/*
 * A request whose best zone is Normal first tries not to split a pageblock of another
 * migrate type there, preferring DMA32's free memory (Linux's alloc_flags_nofragment):
 * fragmenting Normal is worse than using lower memory.
 */
static inline unsigned int alloc_flags_nofragment(const struct zoneref *preferred, gfp_t gfp)
{
	unsigned int alloc_flags = gfp & __GFP_KSWAPD_RECLAIM;

	if (preferred->zone && preferred->zone_idx == ZONE_NORMAL)
		alloc_flags |= ALLOC_NOFRAGMENT;
	return alloc_flags;
}

unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		alloc_flags |= ALLOC_NON_BLOCK; /* cannot sleep: trying harder is all it can do */
		/* __GFP_HIGH is needed too since a 2025 fix (in 6.18, and backported to
		 * stable kernels): GFP_NOWAIT, which may fail, reserves no pageblock. */
		if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
			alloc_flags |= ALLOC_HIGHATOMIC;
	}
	return alloc_flags;
}

/*
 * warn_alloc - Linux's report of a failed allocation:
 *   swapper/0: page allocation failure: order:10, mode:0xcc1(GFP_KERNEL|GFP_DMA), nodemask=(null)
 * then the memory summary.  (Linux prints a stack trace in between, limits the reports
 * to one per 10 seconds, and says nothing for DMA requests on machines without DMA memory.)
 */
static noinline void warn_alloc(gfp_t gfp, unsigned int order)
{
	char names[160];

	if (gfp & __GFP_NOWARN)
		return;
	if ((gfp & __GFP_DMA) && !managed_zone(&NODE_DATA(0)->node_zones[ZONE_DMA]))
		return;
	format_gfp_flags(names, sizeof(names), gfp);
	pr_warn("%s: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null)\n",
		page_alloc_current_comm(), order, gfp, names);
	__show_mem(0, NULL, gfp_zone(gfp));
}

/*
 * The slow path: a second pass at the min watermark with the reserves @gfp may use.
 * Linux would now wake kswapd, compact, reclaim and finally OOM-kill; pagelab has none
 * of these.  A request that may sleep gets what direct reclaim gives in Linux at the
 * very least: the per-cpu lists drained, and one more pass.
 */
static noinline struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order,
						    struct alloc_context *ac)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp, order);
	struct page *page;

	page = get_page_from_freelist(gfp, order, alloc_flags, ac);

	if (!page && (gfp & __GFP_DIRECT_RECLAIM)) {
		/* Where Linux's direct reclaim gives up: all but one reserved pageblock back */
		unreserve_highatomic_pageblock(ac, false);
		drain_all_pages(NULL);
		page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	}
	/*
	 * Where Linux would retry and then OOM-kill (should_reclaim_retry()): the last ones
	 * too, one by one.  Linux never gets there for costly orders (without
	 * __GFP_RETRY_MAYFAIL, which pagelab lacks): they give up after one reclaim.
	 */
	while (!page && (gfp & __GFP_DIRECT_RECLAIM) && order <= PAGE_ALLOC_COSTLY_ORDER &&
	       unreserve_highatomic_pageblock(ac, true))
		page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (!page)
		warn_alloc(gfp, order);
	return page;
}

/* An impossible request is a caller's bug: Linux's WARN_ON_ONCE_GFP, once per boot. */
static noinline void warn_bad_request(gfp_t gfp, unsigned int order, int line)
{
	static bool warned;

	if (warned || (gfp & __GFP_NOWARN))
		return;
	warned = true;
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("WARNING: CPU: %u PID: 0 at %s:%d __alloc_pages\n", smp_processor_id(), __FILE__,
		line);
	pr_warn("order:%u mode:%#x: %s\n", order, gfp,
		order > MAX_PAGE_ORDER ? "order above MAX_PAGE_ORDER"
				       : "__GFP_MOVABLE and __GFP_RECLAIMABLE together");
	pr_warn("---[ end trace 0000000000000000 ]---\n");
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid)
{
	struct alloc_context ac;
	unsigned int alloc_flags;
	struct page *page;

	(void)preferred_nid; /* one node */
	if (unlikely(order > MAX_PAGE_ORDER || (gfp & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK)) {
		warn_bad_request(gfp, order, __LINE__);
		return NULL;
	}
	ac.highest_zoneidx = gfp_zone(gfp);
	ac.migratetype = gfp_migratetype(gfp);
	ac.zonelist = node_zonelist(0);
	ac.preferred_zoneref = first_zones_zonelist(ac.zonelist, ac.highest_zoneidx);
	/* The fast path keeps the low watermark: leave the rest for the slow path's rules. */
	alloc_flags = ALLOC_WMARK_LOW | alloc_flags_nofragment(ac.preferred_zoneref, gfp);
	page = get_page_from_freelist(gfp, order, alloc_flags, &ac);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(gfp, order, &ac);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* ---- freeing -------------------------------------------------------------------------- */

/* __free_pages_ok - free a block straight to the buddy lists. */
static void __free_pages_ok(struct page *page, unsigned int order, int fpi_flags)
{
	if (!free_pages_prepare(page, order))
		return;
	free_one_page(page_zone(page), page, page_to_pfn(page), order, fpi_flags);
}

static inline void free_the_page(struct page *page, unsigned int order)
{
	if (order <= PAGE_ALLOC_COSTLY_ORDER)
		free_unref_page(page, order);
	else
		__free_pages_ok(page, order, FPI_NONE);
}

/*
 * Someone else still holding a reference to the first page keeps only that page: the
 * rest of the block is freed now, in the largest pieces that fit (Linux does the same
 * for blocks that are not compound pages).
 */
static noinline void free_the_rest(struct page *page, unsigned int order)
{
	while (order-- > 0)
		free_the_page(page + (1UL << order), order);
}

void __free_pages(struct page *page, unsigned int order)
{
	if (unlikely(page_ref_count(page) <= 0)) {
		bad_page(page, "_refcount already 0 when freed (a double free?)");
		return;
	}
	if (likely(put_page_testzero(page)))
		free_the_page(page, order);
	else
		free_the_rest(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/*
 * Boot-time frees go to the tail of the lists, as in Linux (where the point is memory
 * being onlined: used last, it can be offlined again).  memblock_free_all() frees from
 * low addresses up, so the first allocations after boot come from the blocks freed first.
 */
void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i++) {
		ClearPageReserved(&page[i]);
		set_page_count(&page[i], 0);
	}
	page_zone(page)->managed_pages += nr;
	totalram_pages += nr;
	__free_pages_ok(page, order, FPI_TO_TAIL);
}

/* ---- counting ------------------------------------------------------------------------- */

unsigned long nr_free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

bool page_on_pcp_list(const struct page *page)
{
	const struct zone *zone = page_zone(page);
	const struct page *p;
	unsigned int cpu;

	if (PageBuddy(page) || page_ref_count(page))
		return false;
	for_each_online_cpu(cpu) {
		struct per_cpu_pages *pcp = (struct per_cpu_pages *)&zone->per_cpu_pageset[cpu];
		bool found = false;

		spin_lock(&pcp->lock);
		for (int i = 0; i < NR_PCP_LISTS && !found; i++)
			list_for_each_entry(p, &pcp->lists[i], lru)
				if (p == page)
					found = true;
		spin_unlock(&pcp->lock);
		if (found)
			return true;
	}
	return false;
}

unsigned long zone_pcp_count(const struct zone *zone)
{
	unsigned long n = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu) /* a snapshot: each list may change as it is read */
		n += (unsigned long)__atomic_load_n(&zone->per_cpu_pageset[cpu].count, __ATOMIC_RELAXED);
	return n;
}
