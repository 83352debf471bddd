// SPDX-License-Identifier: MIT
/*
 * `selftest lab9`: lab 9's kmap() and kunmap() in the running kernel
 * (docs/labs/09-highmem.md).  Boot with zones=x86_32 and 2 GiB, so there are HighMem
 * pages to map.  Each case writes through the addresses kmap() hands out and reads the
 * pages back through kmap_local_page(), a different window: a slot that maps the wrong
 * frame, or that two pages share, shows up as the wrong contents.
 */
#include "kernel/selftest.h"
#include "mm/gfp.h"
#include "mm/highmem.h"

#define MAX_PAGES (3 * LAST_PKMAP + 2)

static struct page *pages[MAX_PAGES];

/* What a case writes into a page: its frame number, in the first and the last word. */
static u64 stamp(struct page *p)
{
	return 0x1ab9000000000000ULL | page_to_pfn(p);
}

static bool in_window(const void *addr)
{
	return (u64)addr >= PKMAP_BASE && (u64)addr < PKMAP_ADDR(LAST_PKMAP) &&
	       !((u64)addr & (PAGE_SIZE - 1));
}

static void write_stamp(void *addr, struct page *p)
{
	u64 *words = addr;

	words[0] = words[PAGE_SIZE / 8 - 1] = stamp(p);
}

/* Whether @p holds its stamp, read through a kmap_local_page() mapping of its own. */
static bool has_stamp(struct page *p)
{
	const u64 *words = kmap_local_page(p);
	bool ok = words && words[0] == stamp(p) && words[PAGE_SIZE / 8 - 1] == stamp(p);

	if (words)
		kunmap_local(words);
	return ok;
}

static void give_back(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		__free_pages(pages[i], 0);
}

/*
 * @n HighMem pages in pages[]; false (all given back) if there are not that many.  The
 * 64-bit layout has no HighMem at all: there the case is skipped, not failed, so `selftest
 * lab9` passes, with skips, on a healthy machine.  Under zones=x86_32 a missing HighMem is lab 9's
 * exercise 1 not done (or too little RAM), and fails.
 */
static bool take_highmem(struct selftest *t, unsigned int n)
{
	if (zone_layout != ZONES_X86_32) {
		selftest_skip(t, "no HighMem in the 64-bit layout (boot with zones=x86_32 and more "
			      "than 896 MiB)");
		return false;
	}
	for (unsigned int i = 0; i < n; i++) {
		pages[i] = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0);
		if (!pages[i] || !PageHighMem(pages[i])) {
			selftest_fail(t, __FILE__, __LINE__, "no HighMem page to map (got %s): boot "
				      "with zones=x86_32 and more than 896 MiB", pages[i] ? "lowmem" : "none");
			if (pages[i])
				__free_pages(pages[i], 0);
			give_back(i);
			return false;
		}
	}
	return true;
}

static void kmap_of_a_lowmem_page_is_its_address(struct selftest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	void *addr;

	if (!p) {
		selftest_fail(t, __FILE__, __LINE__, "no lowmem page");
		return;
	}
	addr = kmap(p);
	ST_EXPECT_EQ(t, (u64)addr, (u64)lowmem_page_address(p));
	if (highmem_page_address(p))
		selftest_fail(t, __FILE__, __LINE__, "a lowmem page took pkmap slot %llu",
			      PKMAP_NR(highmem_page_address(p)));
	kunmap(p);
	__free_pages(p, 0);
}

static void kmap_reaches_the_highmem_page(struct selftest *t)
{
	void *a, *b;

	if (!take_highmem(t, 2))
		return;
	a = kmap(pages[0]);
	b = kmap(pages[1]);
	if (!a || !b) {
		selftest_fail(t, __FILE__, __LINE__, "kmap() gave %p and %p for two HighMem pages", a, b);
	} else {
		write_stamp(a, pages[0]);
		write_stamp(b, pages[1]);
		if (!in_window(a) || !in_window(b) || a == b)
			selftest_fail(t, __FILE__, __LINE__, "two held HighMem pages got %p and %p: "
				      "two different pkmap slots were expected", a, b);
		ST_EXPECT_EQ(t, (u64)page_address(pages[0]), (u64)a);
		ST_EXPECT_EQ(t, (u64)kmap(pages[0]), (u64)a); /* again: the same slot, counted */
		kunmap(pages[0]);
		ST_EXPECT_EQ(t, (u64)page_address(pages[0]), (u64)a);
		for (int i = 0; i < 2; i++)
			if (!has_stamp(pages[i]))
				selftest_fail(t, __FILE__, __LINE__, "what was written through kmap() "
					      "is not in pfn %#lx", page_to_pfn(pages[i]));
	}
	if (a)
		kunmap(pages[0]);
	if (b)
		kunmap(pages[1]);
	give_back(2);
}

/* One page held while 2 * LAST_PKMAP others come and go: its slot must stay its own. */
static void a_held_slot_is_never_given_away(struct selftest *t)
{
	const unsigned int n = 2 * LAST_PKMAP + 2;
	void *held;

	if (!take_highmem(t, n))
		return;
	held = kmap(pages[0]);
	if (!held) {
		selftest_fail(t, __FILE__, __LINE__, "kmap() of a HighMem page gave NULL");
		give_back(n);
		return;
	}
	write_stamp(held, pages[0]);
	for (unsigned int i = 1; i < n; i++) {
		void *addr = kmap(pages[i]);

		if (!addr || addr == held) {
			selftest_fail(t, __FILE__, __LINE__, "kmap() of page %u gave %p%s", i, addr,
				      addr ? ", the slot a page still holds" : "");
			if (addr)
				kunmap(pages[i]);
			break;
		}
		write_stamp(addr, pages[i]);
		kunmap(pages[i]);
	}
	ST_EXPECT_EQ(t, (u64)page_address(pages[0]), (u64)held);
	if (((u64 *)held)[0] != stamp(pages[0]))
		selftest_fail(t, __FILE__, __LINE__, "the held address %p no longer shows pfn %#lx",
			      held, page_to_pfn(pages[0]));
	kunmap(pages[0]);
	for (unsigned int i = 1; i < n; i++)
		if (!has_stamp(pages[i])) {
			selftest_fail(t, __FILE__, __LINE__, "page %u (pfn %#lx) does not hold what "
				      "was written through its kmap()", i, page_to_pfn(pages[i]));
			break;
		}
	give_back(n);
}

/* Three windows' worth of pages, one at a time: kunmap() must make room again. */
static void kunmap_gives_the_slot_back(struct selftest *t)
{
	const unsigned int n = 3 * LAST_PKMAP;

	if (!take_highmem(t, n))
		return;
	for (unsigned int i = 0; i < n; i++) {
		void *addr = kmap(pages[i]);

		if (!in_window(addr)) {
			selftest_fail(t, __FILE__, __LINE__, "kmap() number %u, after %u kunmap()s, "
				      "gave %p", i + 1, i, addr);
			break;
		}
		kunmap(pages[i]);
	}
	give_back(n);
}

/* Every slot held: the next kmap() has nowhere to go and says so; one kunmap() and it has. */
static void a_full_window_gives_null(struct selftest *t)
{
	const unsigned int n = LAST_PKMAP + 1;
	unsigned int held = 0;
	void *extra;

	if (!take_highmem(t, n))
		return;
	for (; held < LAST_PKMAP; held++)
		if (!in_window(kmap(pages[held]))) {
			selftest_fail(t, __FILE__, __LINE__, "kmap() number %u of %d gave no slot",
				      held + 1, LAST_PKMAP);
			break;
		}
	if (held == LAST_PKMAP) {
		extra = kmap(pages[LAST_PKMAP]);
		if (extra) {
			selftest_fail(t, __FILE__, __LINE__, "with all %d slots held, kmap() gave %p",
				      LAST_PKMAP, extra);
			kunmap(pages[LAST_PKMAP]);
		}
		kunmap(pages[7]);
		extra = kmap(pages[LAST_PKMAP]);
		if (!in_window(extra))
			selftest_fail(t, __FILE__, __LINE__, "after one kunmap(), kmap() gave %p", extra);
		else
			kunmap(pages[LAST_PKMAP]);
		if (!kmap(pages[7])) /* back to one hold each, for the loop below */
			selftest_fail(t, __FILE__, __LINE__, "kmap() of a page just unmapped failed");
	}
	for (unsigned int i = 0; i < held; i++)
		kunmap(pages[i]);
	give_back(n);
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(kmap_of_a_lowmem_page_is_its_address),
	SELFTEST_CASE(kmap_reaches_the_highmem_page),
	SELFTEST_CASE(a_held_slot_is_never_given_away),
	SELFTEST_CASE(kunmap_gives_the_slot_back),
	SELFTEST_CASE(a_full_window_gives_null),
};

DEFINE_LAB_SELFTEST_SUITE(lab9, cases);
