// SPDX-License-Identifier: MIT
/*
 * `highmem`: look at the 32-bit layout's HighMem from the shell (boot with zones=x86_32).
 *
 *   highmem        the layout: lowmem limit, the HighMem zone, where the kmap windows are
 *   highmem demo   take a HighMem page, write to it through kmap(), read it back through
 *                  a second mapping (kmap_local_page), and show both addresses with vtop
 *   highmem touch  read a HighMem page through the direct map, where it is not mapped:
 *                  the page fault a 32-bit kernel would take, as an oops
 *   highmem kmap [N] | kmap slot <S>
 *                  kmap() N new HighMem pages (or the page slot S maps, once more) and
 *                  keep them held, so the window's slots can be watched between calls
 *   highmem kunmap <S>[-<T>] | all
 *                  kunmap() what the shell holds in those slots
 *   highmem pkmap  the window as Linux names it: pkmap_count per used slot, last_pkmap_nr
 */
#include "arch/pgtable.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "shell/args.h"
#include "shell/highmem_commands.h"
#include "shell/shell.h"

static struct page *highmem_page(struct seq_file *m)
{
	struct page *page;

	if (zone_layout != ZONES_X86_32) {
		seq_puts(m, "highmem: this boot has no HighMem zone (x86-64 layout); "
			    "boot with zones=x86_32 on the command line\n");
		return NULL;
	}
	page = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0);
	if (!page || !PageHighMem(page)) {
		seq_puts(m, "highmem: no free HighMem page (is there RAM above the lowmem limit?)\n");
		if (page)
			__free_pages(page, 0);
		return NULL;
	}
	return page;
}

/*
 * The command takes up to three words after `highmem` for kmap's sake; a sub-command that
 * needs fewer refuses the rest rather than ignore what the user meant.
 */
static bool unexpected_argument(struct seq_file *m, int argc, char **argv, int max)
{
	if (argc <= max)
		return false;
	seq_printf(m, "highmem: unexpected argument '%s'\n", argv[max]);
	return true;
}

static int highmem_demo(struct seq_file *m, int argc, char **argv)
{
	struct page *page;
	char *first, *second;

	if (unexpected_argument(m, argc, argv, 2))
		return 1;
	page = highmem_page(m);
	if (!page)
		return 1;
	first = kmap(page);
	if (!first) {
		seq_printf(m, "kmap() of pfn %#lx returned NULL: nothing to write through\n",
			   page_to_pfn(page));
		__free_pages(page, 0);
		return 1;
	}
	seq_printf(m, "pfn %#lx (physical %#llx) is in zone HighMem: not in the direct map\n",
		   page_to_pfn(page), PFN_PHYS(page_to_pfn(page)));
	snprintf(first, 64, "written through kmap at %p", (void *)first);
	seq_printf(m, "kmap:            %p  (pkmap slot %llu)\n", (void *)first, PKMAP_NR(first));
	vtop_show(m, (u64)first);
	kunmap(page);

	second = kmap_local_page(page);
	seq_printf(m, "kmap_local_page: %p  reads back: \"%s\"\n", (void *)second, second);
	vtop_show(m, (u64)second);
	kunmap_local(second);
	__free_pages(page, 0);
	return 0;
}

static int highmem_touch(struct seq_file *m, int argc, char **argv)
{
	struct page *page;
	volatile const u64 *where;

	if (unexpected_argument(m, argc, argv, 2))
		return 1;
	page = highmem_page(m);
	if (!page)
		return 1;
	where = lowmem_page_address(page); /* where the direct map would have it */
	__free_pages(page, 0);
	seq_printf(m, "reading pfn %#lx at its direct-map address %p, which is not mapped...\n",
		   page_to_pfn(page), (const void *)where);
	return *where == 0; /* faults: the oops follows */
}

/*
 * The pages `highmem kmap` took.  Each has a slot in the window that the shell holds
 * `holds` times, or none (the mapping lingers until a sweep unmaps it).  A lingering page
 * stays the shell's until then, and new pages are only ever pages with no slot, so that
 * the slot a new page gets is the window's choice alone: a page freed while it lingers
 * could come back from the allocator and find its old slot.  With a kmap() that keeps
 * its promises every page here has a slot, so a row per slot and one for the page being
 * mapped are enough; with one that does not, the table filling up is reported, not
 * overrun.
 */
#define KMAP_HOLDS_MAX 16 /* kmaps of one page the shell keeps: enough to watch a count */

static struct {
	struct page *page;
	unsigned int holds;
} kmapped[LAST_PKMAP + 1];
static unsigned int nr_kmapped;
static struct page *set_aside[LAST_PKMAP];

/*
 * The window keeps no count of its sweeps (nor does Linux's); the shell sees one as a
 * kmap() after which fewer slots are mapped than the new page alone explains.
 */
static unsigned long sweeps_seen, slots_swept;

/* The slot @page has in the window, or -1 (a kmap_local_page() address is no slot). */
static int slot_of(const struct page *page)
{
	void *addr = highmem_page_address(page);

	return addr && PKMAP_NR(addr) < LAST_PKMAP ? (int)PKMAP_NR(addr) : -1;
}

static int kmapped_index(const struct page *page)
{
	for (unsigned int i = 0; i < nr_kmapped; i++)
		if (kmapped[i].page == page)
			return (int)i;
	return -1;
}

static unsigned int mapped_slots(void)
{
	struct page *page;
	unsigned int n = 0;

	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_slot(i, &page) != 0;
	return n;
}

/* Give back the pages the shell no longer holds and the window no longer maps. */
static void reap(void)
{
	for (unsigned int i = 0; i < nr_kmapped;) {
		if (!kmapped[i].holds && slot_of(kmapped[i].page) < 0) {
			__free_pages(kmapped[i].page, 0);
			kmapped[i] = kmapped[--nr_kmapped];
		} else {
			i++;
		}
	}
}

/* A free HighMem page with no slot in the window (see above), or NULL. */
static struct page *new_highmem_page(void)
{
	unsigned int n = 0;
	struct page *page;

	while ((page = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0)) && PageHighMem(page) &&
	       slot_of(page) >= 0 && n < LAST_PKMAP)
		set_aside[n++] = page;
	if (page && (!PageHighMem(page) || slot_of(page) >= 0)) {
		__free_pages(page, 0);
		page = NULL;
	}
	while (n)
		__free_pages(set_aside[--n], 0);
	return page;
}

/* Held: the shell holds the slot's page; lingering: mapped, and nobody holds it. */
static bool shell_holds(const struct page *page)
{
	int idx = kmapped_index(page);

	return idx >= 0 && kmapped[idx].holds;
}

static void window_summary(struct seq_file *m)
{
	unsigned int free = 0, held = 0, lingering = 0;
	struct page *page;

	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		if (!pkmap_slot(i, &page))
			free++;
		else if (shell_holds(page))
			held++;
		else
			lingering++;
	}
	seq_printf(m, "window: %u free, %u held, %u lingering; last_pkmap_nr %u\n", free, held,
		   lingering, pkmap_last_nr());
}

static void print_run(struct seq_file *m, int first, int last, const struct page *page)
{
	if (first == last)
		seq_printf(m, "slot %d: pfn %#lx at %#llx\n", first, page_to_pfn(page),
			   (u64)PKMAP_ADDR(first));
	else
		seq_printf(m, "slots %d-%d: %d new pages\n", first, last, last - first + 1);
}

/* `highmem kmap slot <S>`: one more kmap() of the page slot S maps. */
static int highmem_kmap_again(struct seq_file *m, const char *word)
{
	struct page *page;
	void *addr;
	u64 slot;
	int idx;

	if (arg_u64_range(m, "highmem", "slot", word, 0, LAST_PKMAP - 1, &slot))
		return 1;
	if (!pkmap_slot(slot, &page)) {
		seq_printf(m, "highmem: slot %llu is free: it maps no page\n", slot);
		return 1;
	}
	idx = kmapped_index(page);
	if (idx < 0) {
		seq_printf(m, "highmem: slot %llu maps pfn %#lx, a page `highmem kmap` did not "
			      "take\n", slot, page_to_pfn(page));
		return 1;
	}
	if (kmapped[idx].holds == KMAP_HOLDS_MAX) {
		seq_printf(m, "highmem: the shell holds pfn %#lx %d times already\n",
			   page_to_pfn(page), KMAP_HOLDS_MAX);
		return 1;
	}
	addr = kmap(page);
	if (!addr) {
		seq_printf(m, "kmap(pfn %#lx) returned NULL\n", page_to_pfn(page));
		return 1;
	}
	kmapped[idx].holds++;
	if (slot_of(page) < 0 || addr != (void *)PKMAP_ADDR(slot_of(page)))
		seq_printf(m, "kmap(pfn %#lx) = %p: not the page's slot in the window\n",
			   page_to_pfn(page), addr);
	else
		seq_printf(m, "slot %d: pfn %#lx at %p, pkmap_count %d, held by the shell: %u\n",
			   slot_of(page), page_to_pfn(page), addr,
			   pkmap_slot(slot_of(page), &page), kmapped[idx].holds);
	return 0;
}

/* `highmem kmap [N]`: kmap() N new pages, one by one, and hold them. */
static int highmem_kmap(struct seq_file *m, int argc, char **argv)
{
	int first = -1, last = -1;
	struct page *run_page = NULL;
	u64 n = 1, done;

	if (argc > 2 && !strcmp(argv[2], "slot")) {
		if (argc == 4)
			return highmem_kmap_again(m, argv[3]);
		seq_puts(m, "highmem: kmap slot needs the slot's number\n");
		return 1;
	}
	if (unexpected_argument(m, argc, argv, 3))
		return 1;
	if (argc > 2 && arg_u64_range(m, "highmem", "page count", argv[2], 1, LAST_PKMAP, &n))
		return 1;
	if (zone_layout != ZONES_X86_32) {
		highmem_page(m); /* which says why */
		return 1;
	}
	reap();
	for (done = 0; done < n; done++) {
		unsigned int before = mapped_slots(), expected, after;
		struct page *page;
		void *addr;
		int slot;

		if (nr_kmapped == ARRAY_SIZE(kmapped)) {
			seq_printf(m, "highmem: the shell has %zu pages already; kunmap some\n",
				   ARRAY_SIZE(kmapped));
			break;
		}
		page = new_highmem_page();
		if (!page) {
			seq_puts(m, "highmem: no free HighMem page without a slot (is there RAM "
				    "above the lowmem limit?)\n");
			break;
		}
		addr = kmap(page);
		after = mapped_slots();
		expected = before + (addr && PageHighMem(page) ? 1 : 0);
		if (after < expected) {
			if (first >= 0)
				print_run(m, first, last, run_page);
			first = -1;
			sweeps_seen++;
			slots_swept += expected - after;
			seq_printf(m, "sweep: %u lingering slots unmapped (flush_all_zero_pkmaps)\n",
				   expected - after);
			reap();
		}
		if (!addr) {
			if (first >= 0)
				print_run(m, first, last, run_page);
			first = -1;
			seq_printf(m, "kmap(pfn %#lx) returned NULL: pagelab's kmap() does not wait "
				      "(Linux's sleeps on pkmap_map_wait until a kunmap())\n",
				   page_to_pfn(page));
			__free_pages(page, 0);
			break;
		}
		kmapped[nr_kmapped].page = page;
		kmapped[nr_kmapped++].holds = 1;
		slot = slot_of(page);
		if (slot >= 0 && addr == (void *)PKMAP_ADDR(slot) && first >= 0 && slot == last + 1) {
			last = slot;
			continue;
		}
		if (first >= 0)
			print_run(m, first, last, run_page);
		first = -1;
		if (slot < 0 || addr != (void *)PKMAP_ADDR(slot)) {
			seq_printf(m, "kmap(pfn %#lx) = %p: not a slot of the window\n",
				   page_to_pfn(page), addr);
		} else {
			first = last = slot;
			run_page = page;
		}
	}
	if (first >= 0)
		print_run(m, first, last, run_page);
	window_summary(m);
	return done == n ? 0 : 1;
}

/* Parse "S", "S-T" or "all" into the slots [*first, *last]. */
static int slot_range(struct seq_file *m, char *word, u64 *first, u64 *last)
{
	char *dash = strchr(word, '-');

	if (!strcmp(word, "all")) {
		*first = 0;
		*last = LAST_PKMAP - 1;
		return 0;
	}
	if (dash)
		*dash = '\0';
	if (arg_u64_range(m, "highmem", "slot", word, 0, LAST_PKMAP - 1, first) ||
	    arg_u64_range(m, "highmem", "slot", dash ? dash + 1 : word, *first, LAST_PKMAP - 1,
			  last))
		return -1;
	return 0;
}

/* `highmem kunmap <S>[-<T>] | all`: end every hold the shell has in those slots. */
static int highmem_kunmap(struct seq_file *m, int argc, char **argv)
{
	unsigned int ended = 0;
	u64 first, last;

	if (argc != 3) {
		seq_puts(m, "highmem: kunmap needs a slot, a range of slots (0-9) or all\n");
		return 1;
	}
	if (slot_range(m, argv[2], &first, &last))
		return 1;
	for (u64 s = first; s <= last; s++) {
		struct page *page;
		int idx;

		if (!pkmap_slot(s, &page))
			continue;
		idx = kmapped_index(page);
		while (idx >= 0 && kmapped[idx].holds) {
			kunmap(page);
			kmapped[idx].holds--;
			ended++;
		}
	}
	if (!strcmp(argv[2], "all")) /* and held pages that no slot shows (a broken kmap()) */
		for (unsigned int i = 0; i < nr_kmapped; i++)
			for (; kmapped[i].holds; kmapped[i].holds--, ended++)
				kunmap(kmapped[i].page);
	if (!ended) {
		if (!strcmp(argv[2], "all"))
			seq_puts(m, "highmem: the shell holds no kmap\n");
		else if (first == last)
			seq_printf(m, "highmem: the shell holds nothing in slot %llu\n", first);
		else
			seq_printf(m, "highmem: the shell holds nothing in slots %llu-%llu\n",
				   first, last);
		return 1;
	}
	seq_printf(m, "kunmap() called %u time%s\n", ended, ended == 1 ? "" : "s");
	reap();
	window_summary(m);
	return 0;
}

/* `highmem pkmap`: the window as Linux names it, one line per run of like slots. */
static int highmem_pkmap(struct seq_file *m, int argc, char **argv)
{
	int first = -1, count = 0;
	unsigned int holds = 0;
	struct page *run_page = NULL;

	if (unexpected_argument(m, argc, argv, 2))
		return 1;
	reap();
	seq_printf(m, "pkmap window: %d slots at %#llx\n", LAST_PKMAP, (u64)PKMAP_BASE);
	window_summary(m);
	seq_printf(m, "sweeps the shell's kmaps saw: %lu (%lu slots unmapped)\n", sweeps_seen,
		   slots_swept);
	seq_puts(m, "slot      pkmap_count  pfn          the shell holds\n");
	for (int i = 0; i <= LAST_PKMAP; i++) {
		struct page *page = NULL;
		int c = i < LAST_PKMAP ? pkmap_slot(i, &page) : 0;
		int idx = page ? kmapped_index(page) : -1;
		unsigned int h = idx >= 0 ? kmapped[idx].holds : 0;

		if (first >= 0 && (c != count || h != holds)) {
			char slots[16], pfn[24];

			snprintf(slots, sizeof(slots), i - 1 == first ? "%d" : "%d-%d", first, i - 1);
			snprintf(pfn, sizeof(pfn), i - 1 == first ? "%#lx" : "%#lx...",
				 page_to_pfn(run_page));
			seq_printf(m, "%-9s %-12d %-12s %u\n", slots, count, pfn, holds);
			first = -1;
		}
		if (c && first < 0) {
			first = i;
			count = c;
			holds = h;
			run_page = page;
		}
	}
	return 0;
}

const struct shell_subcommand highmem_subcommands[] = {
	{ "demo", highmem_demo },
	{ "touch", highmem_touch },
	{ "kmap", highmem_kmap },
	{ "kunmap", highmem_kunmap },
	{ "pkmap", highmem_pkmap },
	{ NULL },
};

void highmem_show(struct seq_file *m)
{
	const struct zone *hz = &NODE_DATA(0)->node_zones[ZONE_HIGHMEM];

	seq_printf(m, "layout:          %s\n", zone_layout == ZONES_X86_32 ? "x86_32 (zones=x86_32)"
									: "x86-64 (no HighMem)");
	seq_printf(m, "lowmem:          %lu MiB direct-mapped (max_low_pfn %#lx)\n",
		   max_low_pfn >> (20 - PAGE_SHIFT), max_low_pfn);
	seq_printf(m, "HighMem zone:    %lu pages spanned, %lu managed, %lu free\n",
		   hz->spanned_pages, totalhigh_pages(), nr_free_highpages());
	seq_printf(m, "pkmap window:    %#llx, %d slots; kmap_local: %d slots at %#llx\n",
		   (u64)PKMAP_BASE, LAST_PKMAP, KM_MAX_IDX, (u64)KMAP_LOCAL_BASE);
}
