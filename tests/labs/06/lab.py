"""Lab 6: per-cpu lists, watermarks and fragmentation (docs/labs/06-pcp-watermarks-fragmentation.md).

Exercise 1: __zone_watermark_ok() - may a zone give an order-n block and still keep its mark?
Exercise 2: __setup_per_zone_wmarks() - each zone's min, low, high and promo from min_free_kbytes.
"""

import re

from labkit import Boot, Derive, Lab, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

LAB = Lab(6, "Per-cpu lists, watermarks and fragmentation",
          doc="docs/labs/06-pcp-watermarks-fragmentation.md", answers="docs/labs/answers/06.txt")

TARGETS = [
    Target("mm/page_alloc.c", "__zone_watermark_ok", """
{
	/*
	 * Lab 6, exercise 1: would @z still have more than @mark free pages after an
	 * order-@order allocation - not counting the block's own pages bar one, and on top
	 * of the lowmem_reserve[@highest_zoneidx] it keeps from requests that could have
	 * used a higher zone?  ALLOC_MIN_RESERVE in @alloc_flags lowers the mark by half,
	 * ALLOC_NON_BLOCK then by a quarter of what is left.  For order > 0 a free block of
	 * at least that order must also be on a list (docs/labs/06-pcp-watermarks-fragmentation.md).
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
	 * Lab 6, exercise 2: give every zone its watermarks.  min_free_kbytes, in pages, is
	 * shared among the lowmem zones by their managed pages (HighMem and Movable get
	 * managed / 1024, kept within 32 .. 128); the gap from min to low, low to high and
	 * high to promo is a quarter of that share or watermark_scale_factor / 10000 of the
	 * zone's managed pages, whichever is larger.  End with calculate_totalreserve_pages()
	 * (docs/labs/06-pcp-watermarks-fragmentation.md).  Until you do, every mark is 0:
	 * no zone keeps a page back for anyone.
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
        pcp = re.search(r"count: (\d+)\n +high: +(\d+)\n +batch: (\d+)", block)
        if pcp:
            z["count"], z["high_pcp"], z["batch"] = map(int, pcp.groups())
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


BIOS = Boot("bios")
UEFI = Boot("uefi")

QUESTIONS = []
WRONG = []
