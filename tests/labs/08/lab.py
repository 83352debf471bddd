"""Lab 8: mempool (docs/labs/08-mempool.md).

Exercise 1: mempool_alloc() - the allocator first, quietly; the reserve only when it fails.
Exercise 2: mempool_free() - refill the reserve first, up to min_nr; then the allocator.
"""

import re

from labkit import Boot, Derive, Lab, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

LAB = Lab(8, "mempool", doc="docs/labs/08-mempool.md", answers="docs/labs/answers/08.txt")

TARGETS = [
    Target("mm/mempool.c", "mempool_alloc", """
{
	/*
	 * Lab 8, exercise 1: an element for @pool's user.  Ask pool->alloc() first, quietly
	 * and without reclaim or I/O; only if it has nothing, take one from the reserve; if
	 * the reserve is empty too, try the allocator once more with the caller's own flags.
	 * Then give up: NULL, and for a caller that may sleep the one-line warning the lab
	 * gives.  Count each outcome in from_allocator, from_reserve or failed (the `mempool`
	 * command shows them; docs/labs/08-mempool.md).  Until you do, this stand-in only
	 * asks the allocator: the pool works while memory is plentiful, and guarantees
	 * nothing when it is short.
	 */
	return pool->alloc(gfp_mask, pool->pool_data);
}
"""),
    Target("mm/mempool.c", "mempool_free", """
{
	/*
	 * Lab 8, exercise 2: give @element (NULL: nothing) back to @pool: into the reserve
	 * while it holds fewer than min_nr elements, otherwise to the allocator with
	 * pool->free() (docs/labs/08-mempool.md).  Until you do, this stand-in always hands
	 * it to the allocator: a reserve, once used, would never refill.
	 */
	if (element)
		pool->free(element, pool->pool_data);
}
"""),
]

HOST = "tests/labs/08/host.c"

BIOS = Boot("bios")
UEFI = Boot("uefi")
# A machine only the questions use (lab-verify reads the answers off it).  q1 must be
# its first command: what `mempool demo` takes depends on what ran before it.
BIOS_1G = Boot("bios", mem="1G")

DEMO_RUNS = 2


def pools(m):
    """{name: (element KB, min_nr, reserve, from allocator, from reserve, failed)}."""
    out = m.run("mempool")
    found = {name: tuple(int(x) for x in rest) for name, *rest in
             re.findall(r"^(\w+) +(\d+)KB +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", out, re.M)}
    return out, found


def memfree(m):
    out = m.run("meminfo")
    found = re.search(r"^MemFree: +(\d+) kB$", out, re.M)
    check(found, f"meminfo has no MemFree line:\n{out}")
    return int(found.group(1))


def check_demo(m):
    """`mempool demo`, run DEMO_RUNS times: each time, while memory is free, the element
    comes from the allocator and the reserve stays full (the demo reads that off curr_nr,
    not off the pool's counters); once ordinary kmalloc fails, the pool serves exactly
    min_nr elements (min_nr read from the `mempool` table), all from its reserve,
    quietly, then NULL; afterwards the reserve is full and MemFree (meminfo, which the
    demo does not print) is what it was.  The table's counters add up over the runs."""
    runs = []
    free_before = None
    for run in range(DEMO_RUNS):
        out = m.run("mempool demo")
        runs.append(out)
        check(re.search(r"^kmalloc\(16384\): +NULL$", out, re.M),
              f"`mempool demo` #{run + 1}: ordinary kmalloc should fail under pressure:\n{out}")
        table, found = pools(m)
        check("demo" in found, f"`mempool` lists no demo pool after `mempool demo`:\n{table}")
        kb, min_nr, reserve, from_allocator, from_reserve, failed = found["demo"]
        plenty = re.search(r"^memory free: +mempool_alloc: (.+), reserve (\d+) of \d+; "
                           r"mempool_free: reserve (\d+) of \d+$", out, re.M)
        check(plenty and plenty.groups() == ("from the allocator", str(min_nr), str(min_nr)),
              f"`mempool demo` #{run + 1}: while memory is free, the element must come from "
              f"the allocator and the reserve stay at {min_nr} of {min_nr}, through the free "
              f"too:\n{out}")
        served = re.search(r"^mempool_alloc: +(\d+) elements, (\d+) from the reserve, then NULL$",
                           out, re.M)
        check(served and served.groups() == (str(min_nr), str(min_nr)),
              f"`mempool demo` #{run + 1}: with kmalloc failing, a pool of min_nr {min_nr} must "
              f"serve exactly {min_nr} elements, all from its reserve, then NULL:\n{out}")
        check("page allocation failure" not in out,
              f"`mempool demo` #{run + 1}: the pool's tries of the allocator must be quiet "
              f"(__GFP_NOWARN): a failure is what the reserve is for:\n{out}")
        check("Linux would wait for a free, pagelab returns NULL" in out,
              f"`mempool demo` #{run + 1}: the GFP_KERNEL request that found both empty must "
              f"say it cannot wait:\n{out}")
        check(reserve == min_nr and re.search(rf"reserve {min_nr} of {min_nr}$", out, re.M),
              f"`mempool demo` #{run + 1}: every element came back, so the reserve must be full "
              f"again ({min_nr} of {min_nr}):\n{out}\n{table}")
        want = (run + 1, min_nr * (run + 1), run + 1)
        check((from_allocator, from_reserve, failed) == want,
              f"after {run + 1} demo(s), `mempool` should count {want[0]} from the allocator, "
              f"{want[1]} from the reserve and {want[2]} failed:\n{table}")
        free_now = memfree(m)
        if free_before is not None:
            check(free_now == free_before,
                  f"meminfo: MemFree {free_now} kB after `mempool demo` #{run + 1}, {free_before} "
                  f"kB before it: pages were lost or kept")
        free_before = free_now


@kernel_check(BIOS, points=3)
def mempool_demo_bios(m):
    """SeaBIOS: under pressure the pool serves exactly its reserve, then refills it"""
    check_demo(m)


@kernel_check(UEFI, points=3)
def mempool_demo_uefi(m):
    """OVMF: under pressure the pool serves exactly its reserve, then refills it"""
    check_demo(m)


# The kernel's own suite (mm/mempool_selftest.c), on a fake allocator the test switches
# off.  Its other two cases (resize, a page pool with memory to spare) pass without a
# reserve at all, so they are no check of this lab.
MEMPOOL_CASES = ["reserve_is_used_only_when_the_allocator_fails", "free_refills_the_reserve_first"]
ktap_checks(globals(), BIOS, "mempool", MEMPOOL_CASES)
ktap_checks(globals(), UEFI, "mempool", MEMPOOL_CASES)


QUESTIONS = [
    Question("q1", "number", "d0b6be5d65f59156", Derive(BIOS_1G, "mempool demo", r"took (\d+) pages")),
    # One call while memory is free, then n that got an element and the one that got NULL.
    Question("q2", "number", "d5697f47925aef9c", Derive(BIOS, "mempool demo",
                                                        r"^memory free: +mempool_alloc: (.*)"
                                                        r"(?:\n.*)*?\nmempool_alloc: +(\d+) elements",
                                                        then=lambda _, n: 1 + int(n) + 1)),
    Question("q3", "number", "35cab41ce8228e4d", Derive(BIOS, "mempool demo", r"holds (\d+) x (\d+) KiB",
                                         then=lambda n, kib: int(n) * int(kib))),
    Question("q4", "number", "d9ef0c10f0746e9e", Derive(BIOS, "mempool demo", r"holds \d+ x (\d+) KiB",
                                         then=lambda kib: int(kib) // 4)),
    Question("q5", "number", "3a074f5c7a0cfcc7", Derive(BIOS_1G, "mempool demo", r"(\d+) from the reserve")),
]

MEMPOOL = "mm/mempool.c"
ALLOC = MEMPOOL, "mempool_alloc"
FREE = MEMPOOL, "mempool_free"

WRONG = [
    Wrong("drains_reserve_first", "takes from the reserve before it asks the allocator",
          [(*ALLOC, "\t\telement = pool->alloc(gfp_temp, pool->pool_data);\n"
            "\t\tif (element) {\n\t\t\tpool->from_allocator++;\n\t\t\treturn element;\n\t\t}\n"
            "\t\tif (pool->curr_nr) {\n\t\t\tpool->from_reserve++;\n\t\t\treturn remove_element(pool);\n\t\t}\n",
            "\t\tif (pool->curr_nr) {\n\t\t\tpool->from_reserve++;\n\t\t\treturn remove_element(pool);\n\t\t}\n"
            "\t\telement = pool->alloc(gfp_temp, pool->pool_data);\n"
            "\t\tif (element) {\n\t\t\tpool->from_allocator++;\n\t\t\treturn element;\n\t\t}\n")]),
    Wrong("reserve_only_for_sleepers", "keeps the reserve for callers that may sleep: GFP_ATOMIC gets NULL",
          [(*ALLOC, "if (pool->curr_nr) {", "if (pool->curr_nr && (gfp_mask & __GFP_DIRECT_RECLAIM)) {")]),
    Wrong("first_try_reclaims", "tries the allocator with the caller's flags first: reclaim, warnings",
          [(*ALLOC, "gfp_t gfp_temp = (gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO)) | __GFP_NOWARN;",
            "gfp_t gfp_temp = gfp_mask;")]),
    Wrong("no_second_try", "gives up when the reserve is empty, without the try that may reclaim",
          [(*ALLOC, "\t\tif (gfp_temp == (gfp_mask | __GFP_NOWARN))\n\t\t\tbreak;\n"
            "\t\tgfp_temp = gfp_mask | __GFP_NOWARN;\n", "\t\tbreak;\n")]),
    Wrong("takes_from_an_empty_reserve", "tests the reserve's size, not what is left in it",
          [(*ALLOC, "if (pool->curr_nr) {", "if (pool->min_nr) {")]),
    Wrong("waits_forever", "waits for a free like Linux, with nothing to wake it: hangs",
          [(*ALLOC, "if (gfp_temp == (gfp_mask | __GFP_NOWARN))\n\t\t\tbreak;",
            "if (!(gfp_mask & __GFP_DIRECT_RECLAIM))\n\t\t\tbreak; /* may sleep: wait for a free */")],
          isolates="mempool_demo_bios"),
    Wrong("free_never_refills", "gives every element back to the allocator: the reserve never refills",
          [(*FREE, "\tif (pool->curr_nr < pool->min_nr) { /* the reserve comes first */\n"
            "\t\tadd_element(pool, element);\n\t\treturn;\n\t}\n", "")]),
    Wrong("free_overfills", "refills the reserve one past min_nr",
          [(*FREE, "pool->curr_nr < pool->min_nr", "pool->curr_nr <= pool->min_nr")]),
    Wrong("free_refills_and_frees", "puts the element in the reserve and also gives it to the allocator",
          [(*FREE, "\t\tadd_element(pool, element);\n\t\treturn;\n", "\t\tadd_element(pool, element);\n")]),
]
