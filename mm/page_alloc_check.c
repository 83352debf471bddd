// SPDX-License-Identifier: MIT
/*
 * The buddy allocator's invariants, checked the slow way: walk every list of a zone
 * and verify what the fast paths take for granted.  Used by the host tests after every
 * step of a random workload and by the in-kernel self-test; never on a hot path.
 *
 * The invariants (a free block = a head page on a free list):
 *
 *   1. a listed page is PG_buddy, its order in page->private equals its list's order,
 *      its frame is aligned to that order, and it belongs to this zone
 *   2. the pages inside a free block are not PG_buddy (no block overlaps another)
 *   3. no free block has a free buddy of the same order: the two would have merged
 *   4. free_area[o].nr_free is the length of order o's lists; NR_FREE_PAGES is the sum
 *      of nr_free << o
 *   5. per-cpu pages are not PG_buddy, have a zero refcount, belong to this zone; the
 *      per-cpu count is the sum of their sizes
 *
 * Locking: the free lists are walked under zone->lock, then each CPU's lists under its
 * pcp lock, one at a time (never both: the allocator's order is pcp->lock before
 * zone->lock), so other CPUs may go on allocating while a zone is checked.
 */
#include "lib/printf.h"
#include "mm/internal.h"
#include "mm/mm.h"

struct checker {
	unsigned long errors;
	char *why;
	size_t len;
};

static void __printf(2, 3) fail(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (c->errors++ || !c->len)
		return; /* keep the first description */
	va_start(ap, fmt);
	vsnprintf(c->why, c->len, fmt, ap);
	va_end(ap);
}

static void check_block(struct checker *c, struct zone *zone, struct page *page,
			unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	if (!PageBuddy(page) || page->private != order)
		fail(c, "%s: pfn %#lx on the order-%u list is %s order %lu", zone->name, pfn,
		     order, PageBuddy(page) ? "marked" : "not PG_buddy,", page->private);
	if (pfn & ((1UL << order) - 1))
		fail(c, "%s: order-%u block at pfn %#lx is not aligned", zone->name, order, pfn);
	if (!zone_spans_pfn(zone, pfn) || page_zonenum(page) != zone_idx(zone))
		fail(c, "%s: free pfn %#lx belongs to another zone", zone->name, pfn);
	for (unsigned long i = 1; i < (1UL << order); i++)
		if (PageBuddy(&page[i]))
			fail(c, "%s: pfn %#lx inside the free order-%u block at %#lx is PG_buddy",
			     zone->name, pfn + i, order, pfn);
	if (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);

		if (zone_spans_pfn(zone, buddy_pfn) && PageBuddy(buddy) && buddy->private == order &&
		    page_zonenum(buddy) == zone_idx(zone))
			fail(c, "%s: order-%u blocks at pfn %#lx and %#lx are both free, unmerged",
			     zone->name, order, pfn, buddy_pfn);
	}
}

static void check_free_area(struct checker *c, struct zone *zone, unsigned int order,
			    unsigned long *free_pages)
{
	struct free_area *area = &zone->free_area[order];
	unsigned long n = 0;

	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		struct page *page;

		list_for_each_entry(page, &area->free_list[mt], lru) {
			if (page->lru.next->prev != &page->lru)
				fail(c, "%s: order-%u list broken at pfn %#lx", zone->name, order,
				     page_to_pfn(page));
			check_block(c, zone, page, order);
			if (++n > zone->spanned_pages) {
				fail(c, "%s: order-%u list loops", zone->name, order);
				return;
			}
		}
	}
	if (n != area->nr_free)
		fail(c, "%s: order %u: nr_free %lu but %lu blocks listed", zone->name, order,
		     area->nr_free, n);
	*free_pages += n << order;
}

static void check_pcp(struct checker *c, struct zone *zone, struct per_cpu_pages *pcp)
{
	long pages = 0;

	for (int i = 0; i < NR_PCP_LISTS; i++) {
		struct page *page;

		list_for_each_entry(page, &pcp->lists[i], lru) {
			if (PageBuddy(page) || page_ref_count(page) || page_zonenum(page) != zone_idx(zone))
				fail(c, "%s: per-cpu page pfn %#lx: buddy %d refcount %d zone %u",
				     zone->name, page_to_pfn(page), PageBuddy(page),
				     page_ref_count(page), page_zonenum(page));
			pages += 1L << (i / MIGRATE_PCPTYPES);
			if (pages > (long)zone->spanned_pages) {
				fail(c, "%s: per-cpu list %d loops", zone->name, i);
				return;
			}
		}
	}
	if (pages != pcp->count)
		fail(c, "%s: per-cpu count %d but %ld pages listed", zone->name, pcp->count, pages);
}

unsigned long check_zone_free_lists(struct zone *zone, char *why, size_t len)
{
	struct checker c = { .why = why, .len = len };
	unsigned long free_pages = 0, flags;
	unsigned int cpu;

	if (len)
		why[0] = '\0';
	/* Each part under the lock that keeps it still, so other CPUs may go on. */
	spin_lock_irqsave(&zone->lock, flags);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		check_free_area(&c, zone, o, &free_pages);
	if (free_pages != zone_page_state(zone, NR_FREE_PAGES))
		fail(&c, "%s: NR_FREE_PAGES %lu but %lu pages listed", zone->name,
		     zone_page_state(zone, NR_FREE_PAGES), free_pages);
	spin_unlock_irqrestore(&zone->lock, flags);
	for_each_online_cpu(cpu) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		spin_lock(&pcp->lock);
		check_pcp(&c, zone, pcp);
		spin_unlock(&pcp->lock);
	}
	return c.errors;
}
