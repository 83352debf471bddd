// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the page allocator (mm/page_alloc.c) driven by a stream of
 * allocations and frees, with every invariant checked after every step.
 *
 * The machine boots once, on the first input, with the kernel's own bring-up
 * (tests/host/include/host/buddy_machine.h): 20 MiB of RAM, so ZONE_DMA and a little
 * ZONE_DMA32, small enough that inputs run into the watermarks, the zone fallback and
 * migrate-type stealing.
 *
 * Input: records of 2 bytes until the input ends:
 *
 *   u8 op   u8 arg
 *
 *   op % 4 == 0, 1   alloc_pages(gfp[op / 4 % 8], order) into slot arg % 64, if empty;
 *                    order is arg / 64 (0-3) for op % 4 == 0, arg % 11 for op % 4 == 1
 *   op % 4 == 2      __free_pages() the block in slot arg % 64, if any
 *   op % 4 == 3      op & 4: drain_all_pages(NULL); otherwise a zeroed order-(arg % 4)
 *                    allocation into slot arg / 4 % 64, its bytes checked
 *
 * Checked after every step:
 *
 *   - every zone's free lists (check_zone_free_lists(), mm/page_alloc_check.c): blocks
 *     marked, aligned, merged, counted; per-cpu lists counted
 *   - every page accounted for: free + per-cpu + held by the harness == managed pages
 *   - an allocated block is aligned to its order, has refcount 1, and overlaps no
 *     block the harness holds
 *
 * and at the end of every input, after freeing everything and draining the per-cpu
 * lists: buddyinfo is what it was after boot (everything back, fully merged) and no bad
 * page was reported.  The allocator's state then equals the boot state except for
 * pageblock migrate types an input stole, which later inputs inherit; a crash input
 * replayed alone starts from boot, so it reproduces.
 */
#include "fuzz.h"
#include "host/buddy_machine.h"

#define SLOTS 64

static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { 0x100000, MB(20) } };
static const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_HIGHUSER_MOVABLE,
			      GFP_KERNEL | __GFP_RECLAIMABLE, GFP_KERNEL | GFP_DMA,
			      GFP_KERNEL | GFP_DMA32, GFP_ATOMIC | GFP_DMA };

static struct slot {
	struct page *page;
	unsigned int order;
} slots[SLOTS];

static unsigned long managed, held;
static char boot_buddyinfo[4096];
static u8 *held_map; /* a byte per frame: held by the harness */
static unsigned long max_pfn_seen;

static void boot(void)
{
	struct zone *z;

	boot_machine(ram, ARRAY_SIZE(ram), NULL);
	for_each_zone(z)
		managed += z->managed_pages;
	max_pfn_seen = MB(20) >> PAGE_SHIFT;
	held_map = calloc(max_pfn_seen, 1);
	strcpy(boot_buddyinfo, show(buddyinfo_show));
}

static void mark(struct page *page, unsigned int order, u8 val)
{
	unsigned long pfn = page_to_pfn(page);

	fuzz_check(pfn + (1UL << order) <= max_pfn_seen, "pfn %#lx order %u outside RAM", pfn, order);
	for (unsigned long i = 0; i < 1UL << order; i++) {
		fuzz_check(held_map[pfn + i] != val, "pfn %#lx is %s twice", pfn + i,
			   val ? "allocated" : "freed");
		held_map[pfn + i] = val;
	}
}

static void alloc_into(struct slot *s, gfp_t gfp, unsigned int order)
{
	s->page = alloc_pages(gfp | __GFP_NOWARN, order);
	if (!s->page)
		return;
	s->order = order;
	fuzz_check(page_ref_count(s->page) == 1, "new block: refcount %d", page_ref_count(s->page));
	fuzz_check(!(page_to_pfn(s->page) & ((1UL << order) - 1)), "order-%u block at pfn %#lx",
		   order, page_to_pfn(s->page));
	mark(s->page, order, 1);
	held += 1UL << order;
}

static void free_slot(struct slot *s)
{
	mark(s->page, s->order, 0);
	__free_pages(s->page, s->order);
	held -= 1UL << s->order;
	s->page = NULL;
}

static void check_step(void)
{
	const char *why = free_lists_broken();

	fuzz_check(!why, "%s", why);
	fuzz_check(free_and_pcp_pages() + held == managed,
		   "pages lost: %lu free or per-cpu + %lu held != %lu managed", free_and_pcp_pages(),
		   held, managed);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = fuzz_input(data, size);

	if (!held_map)
		boot();
	host_printk_reset();
	while (fuzz_left(&in)) {
		u8 op = fuzz_u8(&in), arg = fuzz_u8(&in);
		struct slot *s = &slots[arg % SLOTS];

		switch (op % 4) {
		case 0:
		case 1:
			if (!s->page)
				alloc_into(s, gfps[op / 4 % 8], op % 4 ? arg % NR_PAGE_ORDERS : arg / 64);
			break;
		case 2:
			if (s->page)
				free_slot(s);
			break;
		case 3:
			if (op & 4) {
				drain_all_pages(NULL);
				break;
			}
			s = &slots[arg / 4 % SLOTS];
			if (s->page)
				break;
			alloc_into(s, gfps[op / 8 % 8] | __GFP_ZERO, arg % 4);
			for (unsigned long i = 0; s->page && i < 1UL << s->order; i++)
				fuzz_check(!memcmp(page_address(s->page + i), (u8[PAGE_SIZE]){ 0 }, PAGE_SIZE),
					   "__GFP_ZERO page %lu of an order-%u block is not zero", i, s->order);
			break;
		}
		check_step();
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].page)
			free_slot(&slots[i]);
	drain_all_pages(NULL);
	check_step();
	fuzz_check(!strcmp(show(buddyinfo_show), boot_buddyinfo),
		   "after everything was freed, buddyinfo is\n%s\nnot as after boot\n%s",
		   show(buddyinfo_show), boot_buddyinfo);
	fuzz_check(!nr_bad_pages, "%lu bad pages reported", nr_bad_pages);
	return 0;
}
