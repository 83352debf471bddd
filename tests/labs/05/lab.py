# SPDX-License-Identifier: MIT
"""Lab 5: the buddy allocator (docs/labs/05-the-buddy-allocator.md).

Exercise 1: __rmqueue_smallest() and expand() - find the block for a request and split it.
Exercise 2: __free_one_page() - merge a freed block with its buddy, as far as it goes.
"""

import re

from labkit import (MINE, Boot, Derive, Lab, Machines, Question, Target, Wrong, kernel_check,
                    ktap_checks)
from machine import check

# SeaBIOS machines only: questions 3, 4, 5 and 7 read exact block addresses or free-list
# counts, and OVMF puts the loader's pages in one of several places from boot to boot (a
# trial student's pc 512M machine showed three layouts in fifteen boots), moving which
# blocks are free.
LAB = Lab(5, "The buddy allocator", doc="docs/labs/05-the-buddy-allocator.md",
          answers="docs/labs/answers/05.txt", machines=Machines(firmware=("bios",)))

TARGETS = [
    Target("mm/page_alloc.c", "__rmqueue_smallest", """
{
	/*
	 * Lab 5, exercise 1 (Linux's __rmqueue_smallest()): hand out a free block of
	 * exactly @order from @zone's lists of type @mt, cut from the smallest free block of
	 * @mt that can hold it.  Afterwards the block returned is on no free list and every
	 * other page of the block it was cut from is on the free lists, in blocks as large
	 * as the buddy system allows.  NULL if no block of @mt is large enough.  The caller
	 * counts NR_FREE_PAGES (docs/labs/05-the-buddy-allocator.md).  Until you do, this
	 * stand-in takes an exact fit if there is one and otherwise the largest block.
	 */
	unsigned int o = order;
	struct page *page;

	if (free_area_empty(&zone->free_area[order], mt))
		for (o = MAX_PAGE_ORDER; o > order && free_area_empty(&zone->free_area[o], mt); o--)
			;
	page = get_page_from_free_area(&zone->free_area[o], mt);
	if (!page)
		return NULL;
	del_page_from_free_list(page, zone, o);
	expand(zone, page, order, o, mt);
	return page;
}
"""),
    Target("mm/page_alloc.c", "expand", """
{
	/*
	 * Lab 5, exercise 1 (Linux's expand()): @page heads a block of order @high, already
	 * off the free lists; the caller keeps its first 2^@low pages.  Afterwards every
	 * other page of the block is on @mt's free lists, in as few blocks as the buddy
	 * system allows.  Leave NR_FREE_PAGES alone (docs/labs/05-the-buddy-allocator.md).
	 * Until you do, this stand-in puts the rest back in pieces of the requested size:
	 * nothing is lost, but the free lists fill up with small blocks.
	 */
	for (unsigned long i = 1UL << low; i < (1UL << high); i += 1UL << low)
		add_to_free_list(&page[i], zone, low, mt, false);
}
"""),
    Target("mm/page_alloc.c", "__free_one_page", """
{
	/*
	 * Lab 5, exercise 2 (Linux's __free_one_page()): the block @page (frame @pfn, order
	 * @order) has just become free.  Afterwards its pages are counted in NR_FREE_PAGES
	 * and on @mt's free lists, at the tail if @fpi_flags has FPI_TO_TAIL, and no free
	 * block of the zone has a free buddy of its own order below MAX_PAGE_ORDER
	 * (docs/labs/05-the-buddy-allocator.md).  Until you do, this stand-in never
	 * merges: memory only ever gets more fragmented.
	 */
	(void)pfn;
	zone->vm_stat[NR_FREE_PAGES] += 1UL << order;
	add_to_free_list(page, zone, order, mt, fpi_flags & FPI_TO_TAIL);
}
"""),
]

HOST = "tests/labs/05/host.c"

BIOS = Boot("bios")
UEFI = Boot("uefi")

ROW = re.compile(r"^Node +0, zone +(\w+), type +(\w+) +((?:\d+ *)+)$", re.M)
ALLOC = re.compile(r"^alloc: handle (\d+): order (\d+) .* at pfn (0x[0-9a-f]+)-0x[0-9a-f]+, "
                   r".*zone (\w+), mode", re.M)


def movable_free_blocks(m):
    """{zone: [free Movable blocks per order]} from `pagetypeinfo`, the per-cpu lists
    drained first so that every free page is on the buddy lists."""
    m.run("drain")
    out = m.run("pagetypeinfo")
    rows = {zone: [int(n) for n in counts.split()]
            for zone, mt, counts in ROW.findall(out) if mt == "Movable"}
    check(rows and all(len(r) == 11 for r in rows.values()),
          f"pagetypeinfo has no Movable rows of 11 orders:\n{out}")
    return rows


def alloc(m, order):
    out = m.run(f"alloc {order} movable")
    a = ALLOC.search(out)
    check(a and int(a.group(2)) == order, f"alloc {order} movable printed:\n{out}")
    return int(a.group(1)), int(a.group(3), 16), a.group(4)


def expected_split(before, order):
    """The free lists after one split for `order`: the smallest free block that fits,
    k, leaves the list of order k, and one block of each order from k - 1 down to
    `order` joins the lists."""
    k = next((o for o in range(order, len(before)) if before[o]), None)
    check(k is not None, f"no free Movable block of order {order} or more: {before}")
    after = list(before)
    after[k] -= 1
    for o in range(order, k):
        after[o] += 1
    return k, after


UNSEEN = "unseen"


def block_of(m, pfn):
    """(order, first pfn) of the free block `page` says pfn is in, None if in none, or
    UNSEEN if `page` cannot look: lab 3's stub pfn_valid() says no frame has a struct
    page.  The free-list counts and the buddy self-tests still check every split and
    merge then; only where the pieces lie goes unseen until lab 3 is done."""
    out = m.run(f"page {pfn:#x}")
    if "has no struct page" in out:
        return UNSEEN
    b = re.search(r"(?:head of|inside) an order-(\d+) block at pfn (0x[0-9a-f]+)-", out)
    return (int(b.group(1)), int(b.group(2), 16)) if b else None


def allocs_to_a_deep_split(counts, order):
    """How many requests of `order` it takes, on free lists `counts`, until one splits a
    block at least two orders larger (the first ones may find a block of the right size,
    or one just one order up); None if it never happens."""
    counts = list(counts)
    for n in range(1, 64):
        k, counts = expected_split(counts, order)
        if k >= order + 2:
            return n
    return None


def deep_split_plan(m):
    """(zone, order, n): `n` requests of `order` (4 or more: above the per-cpu lists),
    the last of which splits a block at least two orders larger - a split the stubs get
    visibly wrong."""
    rows = movable_free_blocks(m)
    zone = list(rows)[-1]  # a movable request's zone: the highest one
    order, n = min(((o, allocs_to_a_deep_split(rows[zone], o)) for o in range(4, 10)),
                   key=lambda c: (c[1] is None, c[1]))
    check(n and n <= 16, f"no request order 4-9 splits a large block soon: {rows[zone]}")
    return zone, order, n


def check_split(m):
    """Each request must change the free lists as one split predicts, and leave each
    half where `page` says."""
    zone, order, n = deep_split_plan(m)
    handles = []
    try:
        for _ in range(n):
            before = movable_free_blocks(m)
            handle, pfn, where = alloc(m, order)
            handles.append(handle)
            check(where == zone, f"`alloc {order} movable` came from {where}, not {zone}")
            k, want = expected_split(before[zone], order)
            after = movable_free_blocks(m)
            check(after[zone] == want,
                  f"zone {zone}, free Movable blocks per order:\n  before   {before[zone]}\n"
                  f"  after `alloc {order} movable`: {after[zone]}\n  expected {want} (the "
                  f"smallest block that fits was order {k}: one block of each order "
                  f"{order}..{k - 1} goes back)")
            check(pfn % (1 << order) == 0, f"an order-{order} block at pfn {pfn:#x}: not aligned")
            for o in range(order, k):  # each half right where the buddy of that order is
                half = pfn + (1 << o)
                check(block_of(m, half) in ((o, half), UNSEEN),
                      f"page {half:#x} should head a free order-{o} block:\n"
                      f"{m.run(f'page {half:#x}')}")
    finally:
        for h in reversed(handles):
            m.run(f"free {h}")


def check_merge(m):
    """The same requests, freed in the order they were made: the free lists must come
    back to what they were, the block of the deep split whole again."""
    zone, order, n = deep_split_plan(m)
    before = movable_free_blocks(m)
    blocks = []
    for i in range(n):
        if i == n - 1:
            k, _ = expected_split(movable_free_blocks(m)[zone], order)
        blocks.append(alloc(m, order))
    for handle, _, _ in blocks:
        m.run(f"free {handle}")
    after = movable_free_blocks(m)
    check(after == before, f"free Movable blocks per order, before {n} `alloc {order} movable` and "
          f"their `free`s:\n  {before}\nafter:\n  {after}\n(the freed blocks should merge back)")
    pfn = blocks[-1][1]
    whole = block_of(m, pfn)
    check(whole == UNSEEN or (whole and whole[0] >= k), f"pfn {pfn:#x} came from an order-{k} block; after the frees "
          f"it should be in a free block that large again:\n{m.run(f'page {pfn:#x}')}")


@kernel_check(BIOS)
def split_seen_in_pagetypeinfo(m):
    """SeaBIOS: `alloc` splits the smallest block that fits, halves go back"""
    check_split(m)


@kernel_check(BIOS)
def merge_seen_in_pagetypeinfo(m):
    """SeaBIOS: `free` merges the blocks back into the one they came from"""
    check_merge(m)


@kernel_check(UEFI)
def split_and_merge_on_ovmf(m):
    """OVMF: split and merge seen in pagetypeinfo"""
    check_split(m)
    check_merge(m)


# The allocator's own in-kernel tests (mm/page_alloc_selftest.c, `selftest buddy`).
BUDDY_CASES = ["freeing_merges_with_the_buddy",
               "split_and_merge_restore_the_free_lists", "free_lists_are_consistent"]
ktap_checks(globals(), BIOS, "buddy", BUDDY_CASES)
ktap_checks(globals(), UEFI, "buddy", ["split_and_merge_restore_the_free_lists",
                                       "free_lists_are_consistent"])


E820_USABLE = re.compile(r"^e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable$", re.M)
MIB = 1 << 20


def dma32_4mib_blocks(out):
    """Whole, naturally aligned 4 MiB blocks of usable RAM between 16 MiB and 4 GiB."""
    n = 0
    for start, last in E820_USABLE.findall(out):
        lo, hi = max(int(start, 16), 16 * MIB), min(int(last, 16) + 1, 4096 * MIB)
        n += max(0, hi // (4 * MIB) - -(-lo // (4 * MIB)))
    return n


# q3 and q4 are one experiment: the order pagetypeinfo says `alloc 7 movable` will split,
# then where the largest piece that split put back starts.
SPLIT = {}


def order_alloc_7_splits(out):
    row = next(counts for zone, mt, counts in ROW.findall(out)
               if zone == "DMA32" and mt == "Movable")
    SPLIT["k"] = next(o for o, n in enumerate(map(int, row.split())) if o >= 7 and n)
    return SPLIT["k"]


def order_7_requests_before_an_order_10_split(out):
    """Every Movable block of orders 7 to 9 in DMA32 serves 2^(order - 7) order-7
    requests (whole, or split) before the allocator has to cut into an order-10 block."""
    row = next(counts for zone, mt, counts in ROW.findall(out)
               if zone == "DMA32" and mt == "Movable")
    counts = list(map(int, row.split()))
    return sum(counts[o] << (o - 7) for o in (7, 8, 9))


def largest_piece_put_back(out):
    pfn = int(re.search(r"at pfn (0x[0-9a-f]+)-", out).group(1), 16)
    k = SPLIT["k"]
    return hex(pfn + (1 << (k - 1)) if k > 7 else pfn)


# On the student's own machine, in the order the page has them typed on a fresh boot.
HELD_1 = r"^ +1: order 7 .* at pfn (0x[0-9a-f]+)-"

QUESTIONS = [
    Question("q1", "number", Derive(MINE, "e820", read=dma32_4mib_blocks)),
    Question("q2", "text", None),
    Question("q3", "number", Derive(MINE, "pagetypeinfo", read=order_alloc_7_splits)),
    Question("q4", "number", Derive(MINE, "alloc 7 movable", read=largest_piece_put_back)),
    Question("q5", "number", Derive(MINE, "held", HELD_1,
                                    then=lambda pfn: hex((int(pfn, 16) & ~0xff) ^ 0x100))),
    Question("q6", "text", None),
    Question("q7", "number", Derive(MINE, "pagetypeinfo",
                                    read=order_7_requests_before_an_order_10_split)),
]

RMQ = "mm/page_alloc.c", "__rmqueue_smallest"
EXPAND = "mm/page_alloc.c", "expand"
FREE = "mm/page_alloc.c", "__free_one_page"

WRONG = [
    Wrong("largest_block_first", "searches from the largest order down (worst fit)",
          [(*RMQ, "for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)",
            "for (int o = MAX_PAGE_ORDER; o >= (int)order; o--)")]),
    Wrong("never_takes_a_max_order_block", "stops the search one order short of MAX_PAGE_ORDER",
          [(*RMQ, "o < NR_PAGE_ORDERS", "o < MAX_PAGE_ORDER")]),
    Wrong("takes_the_tail", "takes the block at the tail of the list, the one freed longest ago",
          [(*RMQ, "struct page *page = get_page_from_free_area(&zone->free_area[o], mt);",
            "struct page *page = free_area_empty(&zone->free_area[o], mt) ? NULL :\n"
            "\t\t\tlist_last_entry(&zone->free_area[o].free_list[mt], struct page, lru);")]),
    Wrong("any_type_will_do", "serves every request from the Movable lists, whatever its type",
          [(*RMQ, "get_page_from_free_area(&zone->free_area[o], mt)",
            "get_page_from_free_area(&zone->free_area[o], MIGRATE_MOVABLE)")]),
    Wrong("split_orders_swapped", "passes expand() the two orders the other way round",
          [(*RMQ, "expand(zone, page, order, o, mt);", "expand(zone, page, o, order, mt);")]),
    Wrong("block_left_on_its_list", "splits the block but leaves it on its free list",
          [(*RMQ, "\t\tdel_page_from_free_list(page, zone, o);\n", "")],
          isolates="lab05::a_split_puts_back_one_block_of_each_order_between"),
    Wrong("buddy_of_wrong_order", "computes the buddy with order + 1",
          [(*FREE, "pfn ^ (1UL << order)", "pfn ^ (1UL << (order + 1))")]),
    Wrong("merging_stops_early", "stops merging one order below MAX_PAGE_ORDER",
          [(*FREE, "while (order < MAX_PAGE_ORDER)", "while (order < MAX_PAGE_ORDER - 1)")]),
    Wrong("merges_only_upwards", "merges only with a buddy above the block",
          [(*FREE, "if (!page_is_buddy(page, buddy, order))",
            "if (buddy_pfn < pfn || !page_is_buddy(page, buddy, order))")]),
    Wrong("merged_block_at_the_upper_buddy", "starts the merged block at the upper buddy",
          [(*FREE, "combined_pfn = buddy_pfn & pfn;", "combined_pfn = buddy_pfn | pfn;")]),
    Wrong("page_left_behind", "moves the frame number down to the merged block, not the page",
          [(*FREE, "\t\tpage += (long)combined_pfn - (long)pfn;\n", "")]),
    Wrong("buddy_left_on_its_list", "merges with the buddy but leaves it on its free list",
          [(*FREE, "\t\tdel_page_from_free_list(buddy, zone, order);\n", "")]),
    Wrong("any_free_buddy_merges", "merges with a free buddy of any order (PageBuddy() alone)",
          [(*FREE, "if (!page_is_buddy(page, buddy, order))", "if (!PageBuddy(buddy))")]),
    Wrong("merges_past_max_order", "goes on merging at MAX_PAGE_ORDER, into an order 11",
          [(*FREE, "while (order < MAX_PAGE_ORDER)", "while (order <= MAX_PAGE_ORDER)")]),
    Wrong("counts_the_merged_size", "counts the merged block's pages, not the freed ones",
          [(*FREE, "\tzone->vm_stat[NR_FREE_PAGES] += 1UL << order;\n", ""),
           (*FREE, "\tadd_to_free_list(page, zone, order, mt, fpi_flags & FPI_TO_TAIL);",
            "\tzone->vm_stat[NR_FREE_PAGES] += 1UL << order;\n"
            "\tadd_to_free_list(page, zone, order, mt, fpi_flags & FPI_TO_TAIL);")]),
    Wrong("halves_keep_the_big_order", "labels every half with the order of the whole block",
          [(*EXPAND, "add_to_free_list(&page[size], zone, high, mt, false);",
            "add_to_free_list(&page[size], zone, high + 1, mt, false);")]),
    Wrong("lower_halves_given_away", "puts back the lower halves, the caller's pages with them",
          [(*EXPAND, "add_to_free_list(&page[size], zone, high, mt, false);",
            "add_to_free_list(page, zone, high, mt, false);")]),
    Wrong("halves_one_block_too_far", "places each half before halving the size: past the block",
          [(*EXPAND, "\t\thigh--;\n\t\tsize >>= 1;\n"
                     "\t\tadd_to_free_list(&page[size], zone, high, mt, false);",
            "\t\tadd_to_free_list(&page[size], zone, high - 1, mt, false);\n"
            "\t\thigh--;\n\t\tsize >>= 1;")]),
    Wrong("one_split_too_many", "loops while high >= low: for order 0 it never stops well",
          [(*EXPAND, "while (high > low)", "while (high >= low)")],
          isolates="lab05::an_order_0_request_splits_a_block_into_one_of_each_order"),
]
