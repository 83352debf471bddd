// SPDX-License-Identifier: MIT
/*
 * `selftest lab3`: lab 3's checks inside the running kernel
 * (docs/labs/03-struct-page-and-zones.md).  Each case works out from memblock, on its
 * own, what the memory model must look like, and compares with what the boot built.
 */
#include "kernel/selftest.h"
#include "mm/memblock.h"
#include "mm/mm.h"

/* Frames of memblock memory in [start, end). */
static unsigned long ram_pages_in(unsigned long start, unsigned long end)
{
	struct memblock_region *r;
	unsigned long pages = 0;

	for_each_mem_region(r) {
		unsigned long s = MAX(PFN_UP(r->base), start);
		unsigned long e = MIN(PFN_DOWN(r->base + r->size), end);

		if (s < e)
			pages += e - s;
	}
	return pages;
}

static void present_pages_are_ram_pages(struct selftest *t)
{
	struct zone *z;

	for_each_zone(z) {
		unsigned long want = ram_pages_in(z->zone_start_pfn, zone_end_pfn(z));

		if (z->spanned_pages && z->present_pages != want)
			selftest_fail(t, __FILE__, __LINE__, "zone %s spans %lu pages from pfn %#lx, "
				      "%lu of them RAM, but has present_pages %lu", z->name,
				      z->spanned_pages, z->zone_start_pfn, want, z->present_pages);
	}
}

static void node_present_pages_are_all_ram(struct selftest *t)
{
	ST_EXPECT_EQ(t, NODE_DATA(0)->node_present_pages, ram_pages_in(0, ~0UL));
}

/* A section has struct pages exactly when some RAM lies in it. */
static void struct_pages_exactly_where_ram_is(struct selftest *t)
{
	unsigned long last = pfn_to_section_nr(PFN_UP(memblock_end_of_DRAM()) - 1);

	for (unsigned long sec = 0; sec <= last + 1; sec++) {
		unsigned long pfn = section_nr_to_pfn(sec);
		bool ram = ram_pages_in(pfn, pfn + PAGES_PER_SECTION) != 0;

		if (pfn_valid(pfn) != ram)
			selftest_fail(t, __FILE__, __LINE__, "section %lu (pfn %#lx): %s RAM, but "
				      "pfn_valid() says %d", sec, pfn, ram ? "has" : "no", pfn_valid(pfn));
	}
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(present_pages_are_ram_pages),
	SELFTEST_CASE(node_present_pages_are_all_ram),
	SELFTEST_CASE(struct_pages_exactly_where_ram_is),
};

DEFINE_LAB_SELFTEST_SUITE(lab3, cases);
