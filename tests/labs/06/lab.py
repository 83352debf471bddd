# SPDX-License-Identifier: MIT
"""Lab 6: per-cpu lists, watermarks and fragmentation (docs/labs/06-pcp-watermarks-fragmentation.md).

Exercise 1: __zone_watermark_ok() - may a zone give an order-n block and still keep its mark?
Exercise 2: __setup_per_zone_wmarks() - each zone's min, low, high and promo from min_free_kbytes.
"""

import re

from labkit import MINE, Boot, Derive, Lab, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

LAB = Lab(6, "Per-cpu lists, watermarks and fragmentation",
          doc="docs/labs/06-pcp-watermarks-fragmentation.md", answers="docs/labs/answers/06.txt")

TARGETS = [
    Target("mm/page_alloc.c", "__zone_watermark_ok", """
{
	/*
	 * Lab 6, exercise 1 (Linux's __zone_watermark_ok()): true exactly when @z, with
	 * @free_pages free, may give an order-@order block to a request with the rights in
	 * @alloc_flags whose best zone is @highest_zoneidx, and still keep @mark (as those
	 * rights lower it) and its lowmem_reserve for that zone, with a block that large on
	 * its lists; the HighAtomic reserve's free pages and blocks count only for the
	 * requests Linux 6.18 lets use them (docs/labs/06-pcp-watermarks-fragmentation.md).
	 * Until you do, every zone says yes to everything: nothing is kept back, and
	 * GFP_KERNEL can take a zone's last page.
	 */
	(void)z, (void)order, (void)mark, (void)highest_zoneidx, (void)alloc_flags;
	(void)free_pages;
	return true;
}
"""),
    Target("mm/page_alloc_init.c", "__setup_per_zone_wmarks", """
{
	/*
	 * Lab 6, exercise 2 (Linux's __setup_per_zone_wmarks()): afterwards every zone has
	 * its min, low, high and promo marks and no boost, min_free_kbytes shared among the
	 * lowmem zones, and MemAvailable's totals are up to date; the invariants the marks
	 * must keep are in docs/labs/06-pcp-watermarks-fragmentation.md.  Until you do,
	 * every mark is 0: no zone keeps a page back for anyone.
	 */
	struct zone *zone;

	for_each_zone(zone) {
		for (int w = 0; w < NR_WMARK; w++)
			zone->_watermark[w] = 0;
		zone->watermark_boost = 0;
	}
	calculate_totalreserve_pages();
}
"""),
]

HOST = "tests/labs/06/host.c"

ZONES = ["DMA", "DMA32", "Normal", "HighMem", "Movable"]
ZONE_IDX = {name: i for i, name in enumerate(ZONES)}


def zoneinfo(m):
    """{zone: {"free", "min", "low", "high", "promo", "managed", "protection", "high_pcp",
    "batch", "count"}} from `zoneinfo`, for every zone it shows."""
    out = m.run("zoneinfo")
    zones = {}
    for block in re.split(r"^(?=Node 0, zone)", out, flags=re.M):
        name = re.match(r"Node 0, zone +(\w+)", block)
        if not name:
            continue
        z = {k: int(v) for k, v in re.findall(
            r"^ +(?:pages )?(free|min|low|high|promo|managed) +(\d+)$", block, re.M)}
        check(len(z) == 6, f"zoneinfo: cannot read zone {name.group(1)}:\n{block}")
        prot = re.search(r"protection: \(([\d, ]+)\)", block)
        check(prot, f"zoneinfo: zone {name.group(1)} has no protection line:\n{block}")
        z["protection"] = [int(x) for x in prot.group(1).split(",")]
        # Linux 6.7+'s pagesets (6.18's layout): count, high, batch, high_min, high_max
        pcp = re.search(r"count: +(\d+)\n +high: +(\d+)\n +batch: +(\d+)\n"
                        r" +high_min: +(\d+)\n +high_max: +(\d+)\n", block)
        if pcp:
            (z["count"], z["high_pcp"], z["batch"], z["high_min"],
             z["high_max"]) = map(int, pcp.groups())
        zones[name.group(1)] = z
    check(zones, f"zoneinfo shows no zones:\n{out}")
    return zones


def buddyinfo(m):
    """{zone: [free blocks of order 0 .. 10]} from `buddyinfo`."""
    out = m.run("buddyinfo")
    found = {z: [int(n) for n in counts.split()] for z, counts in
             re.findall(r"^Node 0, zone +(\w+) +([\d ]+?) *$", out, re.M)}
    check(found and all(len(c) == 11 for c in found.values()), f"buddyinfo:\n{out}")
    return found


def free_pages(blocks):
    return sum(n << o for o, n in enumerate(blocks))


def watermark_ok(free, blocks, order, mark, reserve, min_reserve=False, non_block=False):
    """Linux 6.x's __zone_watermark_ok, written from its rules (not from pagelab's code)."""
    if min_reserve:
        mark -= mark // 2
        if non_block:
            mark -= mark // 4
    if free - ((1 << order) - 1) <= mark + reserve:
        return False
    return order == 0 or any(blocks[o] for o in range(order, 11))


def expected_zone(zones, blocks, gfp, order):
    """Where `alloc ORDER GFP` must come from (a zone name), or None: the zonelist
    highest zone first, a pass at the low watermark, then one at min with the
    reserves GFP_ATOMIC may use."""
    highest = ZONE_IDX["DMA"] if "dma" in gfp else ZONE_IDX["Normal"]
    zonelist = [z for z in reversed(ZONES) if z in blocks and ZONE_IDX[z] <= highest]
    atomic = "atomic" in gfp
    for wmark, rights in (("low", False), ("min", atomic)):
        for z in zonelist:
            info = zones[z]
            free, reserve = free_pages(blocks[z]), info["protection"][highest]
            if order == 0 and free > info[wmark] + reserve:  # zone_watermark_fast
                return z
            if watermark_ok(free, blocks[z], order, info[wmark], reserve, rights, rights):
                return z
    return None


def alloc_down_to_the_marks(m, gfps):
    """Take blocks with `alloc`, largest orders first, until each request fails, and
    check every answer - which zone, or failure - against the watermark rules applied
    to what buddyinfo and zoneinfo show just before it."""
    zones = zoneinfo(m)
    m.run("drain")
    handles = 0
    for gfp in gfps:
        for order in range(10, -1, -1):
            while True:
                blocks = buddyinfo(m)
                want = expected_zone(zones, blocks, gfp, order)
                out = m.run(f"alloc {order} {gfp}|nowarn")
                got = re.search(r"^alloc: handle (\d+): .* zone (\w+), mode", out, re.M)
                state = "\n".join(f"  {z}: free {free_pages(b)} {b} min {zones[z]['min']} "
                                  f"low {zones[z]['low']} protection {zones[z]['protection']}"
                                  for z, b in blocks.items())
                check(got or "failed" in out, f"alloc {order} {gfp}:\n{out}")
                check((got and got.group(2)) == want,
                      f"`alloc {order} {gfp}` should have "
                      f"{'come from ' + want if want else 'failed'}, with the free lists at\n"
                      f"{state}\nbut it says:\n{out}")
                if not got:
                    break
                handles += 1
                check(handles < 64, "more than 64 blocks taken: the shell cannot hold them")
    return handles


def isqrt(x):
    r = 0
    while (r + 1) * (r + 1) <= x:
        r += 1
    return r


def meminfo_kb(m, field):
    found = re.search(r"^" + field + r": +(\d+) kB$", m.run("meminfo"), re.M)
    check(found, f"meminfo has no {field} line")
    return int(found.group(1))


def check_watermarks(m, x86_32=False):
    """Every zone's marks and per-cpu sizes, worked out again from its managed pages and
    min_free_kbytes - which the boot computed from the lowmem meminfo shows."""
    zones = zoneinfo(m)
    lowmem_zones = [z for z in zones if z not in ("HighMem", "Movable")]
    lowmem = sum(zones[z]["managed"] for z in lowmem_zones)
    check(lowmem * 4 == meminfo_kb(m, "LowTotal" if x86_32 else "MemTotal"),
          f"meminfo's lowmem is not the lowmem zones' managed pages ({lowmem})")
    if x86_32:
        check(zones["HighMem"]["managed"] > 0, "zones=x86_32 with 2 GiB should have HighMem "
              "(this check needs lab 9's exercise 1 done: lowmem_limit(), zone_sizes_init())")
    pages_min = min(max(isqrt(lowmem * 4 * 16), 128), 262144) // 4
    for name, z in zones.items():
        share = pages_min * z["managed"] // lowmem
        low_min = share if name in lowmem_zones else min(max(z["managed"] // 1024, 32), 128)
        gap = max(share // 4, z["managed"] * 10 // 10000)
        want = (low_min, low_min + gap, low_min + 2 * gap, low_min + 3 * gap)
        got = (z["min"], z["low"], z["high"], z["promo"])
        check(got == want, f"zone {name} (managed {z['managed']}; min_free_kbytes "
              f"{pages_min * 4} from {lowmem * 4} kB of lowmem): min/low/high/promo "
              f"should be {'/'.join(map(str, want))}, zoneinfo says {'/'.join(map(str, got))}")
        if "batch" in z:
            batch = max(min(z["managed"] >> 10, 256) // 4, 1)
            pow2 = 1
            while pow2 * 2 <= batch + batch // 2:
                pow2 *= 2
            batch = max(pow2 - 1, 1)
            # Linux 6.18's zone_highsize() on one CPU: high_min shares the low mark,
            # high_max an eighth of the zone; pagelab keeps high at high_min
            high_min = max(z["low"], 4 * batch)
            want = (batch, high_min, high_min, max(z["managed"] // 8, 4 * batch))
            got = (z["batch"], z["high_pcp"], z["high_min"], z["high_max"])
            check(got == want, f"zone {name}: per-cpu batch, high, high_min and high_max "
                  f"should be {want}, zoneinfo says {got}")


BIOS = Boot("bios")
BIOS_48M = Boot("bios", mem="48M")
BIOS_3G = Boot("bios", mem="3G")
BIOS_X86_32 = Boot("bios", mem="2G", cmdline="zones=x86_32")
UEFI = Boot("uefi")


@kernel_check(BIOS)
def watermarks_on_seabios(m):
    """SeaBIOS: each zone's watermarks are its share of min_free_kbytes"""
    check_watermarks(m)


@kernel_check(BIOS_3G)
def watermarks_of_large_zones(m):
    """SeaBIOS, 3 GiB: large zones space their marks by 0.1% of their pages"""
    check_watermarks(m)


@kernel_check(BIOS_X86_32)
def watermarks_of_highmem(m):
    """SeaBIOS, 2 GiB, zones=x86_32: HighMem gets a token min and a full gap"""
    check_watermarks(m, x86_32=True)


@kernel_check(BIOS_48M)
def alloc_stops_at_the_watermarks(m):
    """SeaBIOS, 48 MiB: `alloc` succeeds and fails as the watermarks say"""
    alloc_down_to_the_marks(m, ["kernel", "dma", "atomic", "dma atomic"])


@kernel_check(UEFI)
def watermarks_and_alloc_on_ovmf(m):
    """OVMF: the watermarks follow min_free_kbytes; `alloc` keeps them"""
    check_watermarks(m)
    handles = []
    try:
        for order in (10, 7, 3, 0):
            blocks = buddyinfo(m)
            want = expected_zone(zoneinfo(m), blocks, "dma", order)
            out = m.run(f"alloc {order} dma|nowarn")
            handles += re.findall(r"^alloc: handle (\d+):", out, re.M)
            got = re.search(r" zone (\w+), mode", out)
            check((got and got.group(1)) == want, f"`alloc {order} dma` should have "
                  f"{'come from ' + want if want else 'failed'}; DMA's free lists were "
                  f"{blocks['DMA']}:\n{out}")
    finally:  # the self-tests that follow on this machine start from a whole DMA zone
        for h in handles:
            m.run(f"free {h}")


# The same rules checked inside the kernel: tests/labs/06/selftest.c (`selftest lab6`).
LAB6_WATERMARK_OK = ["reserve_rights_lower_the_mark", "mark_and_reserve_must_stay_free",
                     "the_block_itself_does_not_count", "order_needs_a_free_block",
                     "dma_runs_down_to_its_marks",
                     "kernel_requests_leave_each_zone_its_mark_and_reserve"]
LAB6_CASES = LAB6_WATERMARK_OK + ["watermarks_follow_min_free_kbytes"]
ktap_checks(globals(), BIOS, "lab6", LAB6_CASES)
ktap_checks(globals(), BIOS_X86_32, "lab6", ["kernel_requests_leave_each_zone_its_mark_and_reserve",
                                             "watermarks_follow_min_free_kbytes"])
ktap_checks(globals(), UEFI, "lab6", LAB6_CASES)

# All on the student's own machine: zoneinfo's numbers are the same on every boot until
# the student allocates, and the page has them typed first.
DMA32_MIN = r"zone +DMA32\n(?:.*\n)*? +min +(\d+)"
# Linux 6.18 prints the node's counters under its first populated zone, DMA here.
PER_NODE = r"(?:  per-node stats\n(?:      .*\n)+)?"


def atomic_mark(min_):
    """The mark an order-0 GFP_ATOMIC request must stay above: min less half, less a quarter."""
    m = int(min_)
    m -= m // 2
    return m - m // 4


def dma_left_to_gfp_kernel(out):
    """The pages order-0 GFP_KERNEL requests can take out of DMA on a fresh boot: they
    stop once taking one more would leave DMA under min plus its reserve for requests
    whose best zone is Normal (Linux's `free > min + lowmem_reserve`, before the page)."""
    dma = re.search(r"zone +DMA\n" + PER_NODE + r" +pages free +(\d+)\n(?:.*\n)*? +min +(\d+)\n"
                    r"(?:.*\n)*? +protection: \(\d+, \d+, (\d+)", out)
    check(dma, f"zoneinfo shows no DMA zone:\n{out}")
    free, min_, reserve = map(int, dma.groups())
    return max(free - min_ - reserve, 0)


def pcp_pages_below_min(m):
    """Question 6's experiment, as the page tells the student to do it: four order-0 DMA
    pages first (handles 1-4), then DMA's blocks with `alloc N dma`, largest order first,
    until `alloc 0 dma` fails; the four freed (onto DMA's per-cpu list), one GFP_NOWAIT
    and one GFP_KERNEL request; then zoneinfo, where the answer is DMA's free pages on its
    buddy lists and its per-cpu list together (Linux 6.18 may refill more than a batch,
    which moves pages between the two but not the sum).  However the student orders the
    run-down, DMA ends it with exactly min free on its buddy lists and nothing on its
    per-cpu list."""
    out = "".join(m.run("alloc 0 dma") for _ in range(4))
    check(out.count("alloc: handle") == 4, f"four `alloc 0 dma` on a fresh boot:\n{out}")
    held = 4
    for order in range(10, -1, -1):
        while re.search(r"^alloc: handle", m.run(f"alloc {order} dma|nowarn"), re.M):
            held += 1
            check(held < 64, "DMA's run-down took more than 63 blocks: more than the "
                  "shell's handles (is lab 5 done? Its stubs split a whole block into single "
                  "pages)")
    for handle in range(1, 5):
        m.run(f"free {handle}")
    m.run("alloc 0 dma|nowait|nowarn")
    m.run("alloc 0 dma|nowarn")
    return m.run("zoneinfo")


QUESTIONS = [
    Question("q1", "number", Derive(MINE, "zoneinfo", DMA32_MIN)),
    Question("q2", "number", Derive(MINE, "zoneinfo", DMA32_MIN, then=atomic_mark)),
    Question("q3", "number", Derive(MINE, "zoneinfo", read=dma_left_to_gfp_kernel)),
    Question("q4", "text", None),
    Question("q5", "number", Derive(MINE, "zoneinfo", r"zone +DMA32\n(?:.*\n)*? +batch: +(\d+)",
                                    then=lambda batch: int(batch) - 1)),
    Question("q6", "number", Derive(MINE, pcp_pages_below_min,
                                    r"zone +DMA\n" + PER_NODE +
                                    r" +pages free +(\d+)\n(?:.*\n)*? +count: +(\d+)$",
                                    then=lambda free, count: int(free) + int(count))),
    Question("q7", "text", None),
]

# What cannot be graded without another lab, which lab-verify leaves done for this one.
# Question 6's experiment needs lab 5's buddy allocator: with lab 5's stubs the first
# `alloc 0 dma` splits a whole block into single pages, and DMA's run-down takes more
# `alloc`s than the shell has handles.  HighMem's marks need a HighMem zone, which only
# lab 9's exercise 1 makes (its stubs set no lowmem limit): the 32-bit layout's checks.
NEEDS = {"q6": 5, "the HighMem checks (zones=x86_32)": 9}

WMARK_OK = "mm/page_alloc.c", "__zone_watermark_ok"
WMARKS = "mm/page_alloc_init.c", "__setup_per_zone_wmarks"

WRONG = [
    Wrong("never_below_low", "never lets a request below the low watermark, whatever mark it asks for",
          [(*WMARK_OK, "\tlong min = mark;\n", "\tlong min = MAX(mark, low_wmark_pages(z));\n")]),
    Wrong("lowmem_reserve_ignored", "forgets the lowmem_reserve (keeps the stub's (void))",
          [(*WMARK_OK, "\tif (free_pages <= min + z->lowmem_reserve[highest_zoneidx])\n",
            "\t(void)highest_zoneidx;\n\tif (free_pages <= min)\n")]),
    Wrong("order_ignored", "takes enough free pages for a block of the order",
          [(*WMARK_OK, "\tif (!order)\n\t\treturn true;\n", "\treturn true; /* enough pages */\n")]),
    Wrong("block_pages_counted_free", "counts the block's own pages as still free",
          [(*WMARK_OK, "\tfree_pages -= (1L << order) - 1;\n", "")]),
    Wrong("whole_block_taken_off", "takes all 2^order pages of the block off the free count",
          [(*WMARK_OK, "\tfree_pages -= (1L << order) - 1;\n", "\tfree_pages -= 1L << order;\n")]),
    Wrong("mark_itself_may_be_taken", "lets a request leave exactly the mark free, not more",
          [(*WMARK_OK, "\tif (free_pages <= min + z->lowmem_reserve[highest_zoneidx])\n",
            "\tif (free_pages < min + z->lowmem_reserve[highest_zoneidx])\n")]),
    Wrong("non_block_alone_takes_a_quarter",
          "gives the quarter to every request that cannot sleep (ALLOC_HARDER before Linux 6.3)",
          [(*WMARK_OK, "\t\tmin -= min / 2;\n\t\tif (alloc_flags & ALLOC_NON_BLOCK)\n\t\t\tmin -= min / 4;\n\t}\n",
            "\t\tmin -= min / 2;\n\t}\n\tif (alloc_flags & ALLOC_NON_BLOCK)\n\t\tmin -= min / 4;\n")]),
    Wrong("highatomic_reserve_counted_free", "counts the HighAtomic reserve's free pages for every request",
          [(*WMARK_OK, "\tif (unlikely(z->nr_reserved_highatomic) && !(alloc_flags & ALLOC_RESERVES))\n"
            "\t\tfree_pages -= zone_free_highatomic(z);\n", "")]),
    Wrong("highatomic_block_never_found", "never offers the HighAtomic block, even to ALLOC_HIGHATOMIC",
          [(*WMARK_OK, "\t\tif ((alloc_flags & ALLOC_HIGHATOMIC) && !free_area_empty(area, MIGRATE_HIGHATOMIC))\n"
            "\t\t\treturn true;\n", "")]),
    Wrong("highatomic_block_for_any_reserve", "offers the HighAtomic block to any request with reserve rights",
          [(*WMARK_OK, "(alloc_flags & ALLOC_HIGHATOMIC) && !free_area_empty", "(alloc_flags & ALLOC_RESERVES) && !free_area_empty")]),
    Wrong("only_a_block_of_the_exact_order", "looks for a free block of the order asked for, not larger",
          [(*WMARK_OK, "for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)",
            "for (unsigned int o = order; o <= order; o++)")]),
    Wrong("atomic_discount_in_a_loop", "takes the atomic quarter off again and again: hangs",
          [(*WMARK_OK, "\t\tif (alloc_flags & ALLOC_NON_BLOCK)\n", "\t\twhile (alloc_flags & ALLOC_NON_BLOCK)\n")],
          isolates="selftest_lab6_reserve_rights_lower_the_mark_bios_512M"),
    Wrong("kbytes_as_pages", "takes min_free_kbytes for a number of pages",
          [(*WMARKS, "(unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10)", "(unsigned long)min_free_kbytes")]),
    Wrong("min_not_shared", "gives every lowmem zone the whole of min_free_kbytes",
          [(*WMARKS, "pages_min * zone->managed_pages / lowmem_pages", "pages_min")]),
    Wrong("divides_before_multiplying", "divides managed by lowmem first: every share is 0",
          [(*WMARKS, "pages_min * zone->managed_pages / lowmem_pages",
            "zone->managed_pages / lowmem_pages * pages_min")]),
    Wrong("lowmem_includes_highmem", "counts HighMem's pages as lowmem when sharing out min_free_kbytes",
          [(*WMARKS, "\t\tif (!is_highmem_idx(zone_idx(zone)))\n\t\t\tlowmem_pages += zone->managed_pages;\n",
            "\t\tlowmem_pages += zone->managed_pages;\n")]),
    Wrong("gap_without_scale_factor", "spaces the marks by a quarter of min only",
          [(*WMARKS, "tmp = MAX(tmp >> 2, zone->managed_pages * watermark_scale_factor / 10000);",
            "tmp >>= 2;")]),
    Wrong("lowmem_divided_unchecked", "divides by the lowmem pages without a test, as Linux "
          "does: a machine with no lowmem divides by zero",
          [(*WMARKS, "lowmem_pages ? pages_min * zone->managed_pages / lowmem_pages : 0",
            "pages_min * zone->managed_pages / lowmem_pages")]),
    Wrong("empty_zones_skipped", "sets the marks of populated zones only: an empty Movable "
          "zone keeps min 0, not 32",
          [(*WMARKS, "\tfor_each_zone(zone) {\n", "\tfor_each_populated_zone(zone) {\n")]),
    Wrong("highmem_gap_from_its_min", "spaces HighMem's marks by a quarter of its token min",
          [(*WMARKS, "\t\t\tzone->_watermark[WMARK_MIN] = MIN(MAX(min_pages, SWAP_CLUSTER_MAX), 128UL);\n",
            "\t\t\ttmp = MIN(MAX(min_pages, SWAP_CLUSTER_MAX), 128UL);\n"
            "\t\t\tzone->_watermark[WMARK_MIN] = tmp;\n")]),
]
