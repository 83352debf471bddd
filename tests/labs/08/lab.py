# SPDX-License-Identifier: MIT
"""Lab 8: mempool (docs/labs/08-mempool.md).

Exercise 1: mempool_create() - a pool is born with a full reserve, or not at all.
Exercise 2: mempool_alloc() - the allocator first, quietly; the reserve only when it fails;
mempool_free() - refill the reserve first, up to min_nr; then the allocator.
Exercise 3: mempool_resize() - a reserve that grows and shrinks without losing an element.
"""

import re

from labkit import (MINE, Boot, Derive, Lab, Question, Target, Wrong, kernel_check,
                    ktap_checks)
from machine import check

LAB = Lab(8, "mempool", doc="docs/labs/08-mempool.md", answers="docs/labs/answers/08.txt")

TARGETS = [
    Target("mm/mempool.c", "mempool_create", """
{
	/*
	 * Lab 8, exercise 1 (docs/labs/08-mempool.md): a new pool whose elements @alloc_fn
	 * and @free_fn get from and give back to the allocator @pool_data names, with a
	 * full reserve of @min_nr elements; NULL, with nothing left allocated, if there can
	 * be no such pool.  Until you do, the pool starts with an empty reserve.
	 */
	mempool_t *pool = kzalloc(sizeof(*pool), GFP_KERNEL);

	if (!pool)
		return NULL;
	pool->elements = kmalloc_array(min_nr, sizeof(void *), GFP_KERNEL);
	spin_lock_init(&pool->lock);
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	return pool;
}
"""),
    Target("mm/mempool.c", "mempool_resize", """
{
	/*
	 * Lab 8, exercise 3 (docs/labs/08-mempool.md): @pool's reserve becomes
	 * @new_min_nr elements, filled as far as memory allows now.  Returns 0, or a
	 * negative errno.  Until you do, no pool changes size.
	 */
	(void)pool, (void)new_min_nr, (void)add_element;
	return -ENOMEM;
}
"""),
    Target("mm/mempool.c", "mempool_alloc", """
{
	/*
	 * Lab 8, exercise 2 (docs/labs/08-mempool.md): an element for @pool's user, or
	 * NULL; the reserve serves whenever the allocator cannot, and only then.  Counts
	 * each outcome for the `mempool` command.  Until you do, this only asks the
	 * allocator: the pool works while memory is plentiful, and guarantees nothing when
	 * it is short.
	 */
	return pool->alloc(gfp_mask, pool->pool_data);
}
"""),
    Target("mm/mempool.c", "mempool_free", """
{
	/*
	 * Lab 8, exercise 2 (docs/labs/08-mempool.md): @element (maybe NULL), which @pool
	 * handed out, is given back; the reserve is full again as soon as enough elements
	 * have come back.  Until you do, every element goes to the allocator: a reserve,
	 * once used, never refills.
	 */
	if (element)
		pool->free(element, pool->pool_data);
}
"""),
]

HOST = "tests/labs/08/host.c"

BIOS = Boot("bios")
UEFI = Boot("uefi")

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


def check_resize(m):
    """`mempool resize`: shrunk to 3, the demo pool serves 3 from its reserve; grown to 12,
    it serves 12; the reserve is full after each, and no page is lost on the way."""
    for min_nr in (3, 12):
        out = m.run(f"mempool resize {min_nr}")
        check(re.search(rf"^mempool_resize\(demo, {min_nr}\) = 0; min_nr {min_nr}, "
                        rf"reserve {min_nr}$", out, re.M),
              f"`mempool resize {min_nr}` with memory free: min_nr and the reserve must both "
              f"be {min_nr}:\n{out}")
        out = m.run("mempool demo")
        served = re.search(r"^mempool_alloc: +(\d+) elements, (\d+) from the reserve", out, re.M)
        check(served and served.groups() == (str(min_nr), str(min_nr)),
              f"`mempool demo` after `mempool resize {min_nr}`: the pool must serve "
              f"{min_nr} elements, all from its reserve:\n{out}")
        check(re.search(rf"every page back\); reserve {min_nr} of {min_nr}$", out, re.M),
              f"`mempool demo` after `mempool resize {min_nr}`: every page back, the reserve "
              f"full:\n{out}")
    out = m.run("mempool resize 8")
    check("= 0; min_nr 8, reserve 8" in out, f"mempool resize 8:\n{out}")


@kernel_check(BIOS, points=2)
def mempool_resize_bios(m):
    """SeaBIOS: a resized pool serves exactly its new reserve"""
    check_resize(m)


@kernel_check(UEFI, points=2)
def mempool_resize_uefi(m):
    """OVMF: a resized pool serves exactly its new reserve"""
    check_resize(m)


# The kernel's own suite (mm/mempool_selftest.c): a fake allocator the test switches off,
# and a page pool on the real buddy allocator.
MEMPOOL_CASES = ["reserve_is_used_only_when_the_allocator_fails", "free_refills_the_reserve_first",
                 "resize_grows_and_shrinks", "real_page_pool_serves_pages"]
ktap_checks(globals(), BIOS, "mempool", MEMPOOL_CASES)
ktap_checks(globals(), UEFI, "mempool", MEMPOOL_CASES)


# One experiment on the student's own machine, on a fresh boot, in this order: how much
# the demo's ordinary allocations take, and what meminfo and the demo's own count say
# after the reserve shrank, depend on the memory size (and the firmware's map).
QUESTIONS = [
    Question("q1", "text", Derive(MINE, "zoneinfo", r"^ +min +(\d+)$")),
    Question("q2", "number", Derive(MINE, "mempool demo", r"took (\d+) pages")),
    Question("q3", "text", Derive(MINE, "mempool resize 3", r"= (0); min_nr 3, reserve 3$")),
    Question("q4", "number", Derive(MINE, "meminfo", r"^MemFree: +(\d+) kB$")),
    Question("q5", "number", Derive(MINE, "mempool demo", r"^free before: +(\d+) kB")),
    Question("q6", "text"),
    Question("q7", "text"),
]

MEMPOOL = "mm/mempool.c"
ALLOC = MEMPOOL, "mempool_alloc"
FREE = MEMPOOL, "mempool_free"
CREATE = MEMPOOL, "mempool_create"
RESIZE = MEMPOOL, "mempool_resize"

WRONG = [
    Wrong("drains_reserve_first", "takes from the reserve before it asks the allocator",
          [(*ALLOC, "\t\telement = pool->alloc(gfp_temp, pool->pool_data);\n"
            "\t\tspin_lock_irqsave(&pool->lock, flags); /* the counters; the reserve's look and take */\n"
            "\t\tif (element) {",
            "\t\tspin_lock_irqsave(&pool->lock, flags); /* the counters; the reserve's look and take */\n"
            "\t\tif (pool->curr_nr) {\n\t\t\tpool->from_reserve++;\n\t\t\telement = remove_element(pool);\n"
            "\t\t\tspin_unlock_irqrestore(&pool->lock, flags);\n\t\t\treturn element;\n\t\t}\n"
            "\t\tspin_unlock_irqrestore(&pool->lock, flags);\n"
            "\t\telement = pool->alloc(gfp_temp, pool->pool_data);\n"
            "\t\tspin_lock_irqsave(&pool->lock, flags);\n"
            "\t\tif (element) {")]),
    Wrong("reserve_only_for_sleepers", "keeps the reserve for callers that may sleep: GFP_ATOMIC gets NULL",
          [(*ALLOC, "if (pool->curr_nr) {", "if (pool->curr_nr && (gfp_mask & __GFP_DIRECT_RECLAIM)) {")]),
    Wrong("first_try_reclaims", "tries the allocator with the caller's flags first: reclaim, warnings",
          [(*ALLOC, "gfp_t gfp_temp = (gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO)) | __GFP_NOWARN;",
            "gfp_t gfp_temp = gfp_mask;")]),
    Wrong("no_second_try", "gives up when the reserve is empty, without the try that may reclaim",
          [(*ALLOC, "\t\tif (gfp_temp == (gfp_mask | __GFP_NOWARN))\n\t\t\tbreak;\n"
            "\t\tgfp_temp = gfp_mask | __GFP_NOWARN;\n", "\t\tbreak;\n")]),
    Wrong("atomic_tried_twice", "tries the allocator a second time with the same flags "
          "(GFP_ATOMIC's first try already had them)",
          [(*ALLOC, "\tunsigned long flags;\n", "\tunsigned long flags;\n\tint tries = 0;\n"),
           (*ALLOC, "if (gfp_temp == (gfp_mask | __GFP_NOWARN))", "if (++tries == 2)")]),
    Wrong("takes_from_an_empty_reserve", "tests the reserve's size, not what is left in it",
          [(*ALLOC, "if (pool->curr_nr) {", "if (pool->min_nr) {")]),
    Wrong("waits_forever", "waits for a free like Linux, with nothing to wake it: hangs",
          [(*ALLOC, "if (gfp_temp == (gfp_mask | __GFP_NOWARN))\n\t\t\tbreak;",
            "if (!(gfp_mask & __GFP_DIRECT_RECLAIM))\n\t\t\tbreak; /* may sleep: wait for a free */")],
          isolates="mempool_demo_bios"),
    Wrong("free_never_refills", "gives every element back to the allocator: the reserve never refills",
          [(*FREE, "\tif (pool->curr_nr < pool->min_nr) { /* the reserve comes first */\n"
            "\t\tadd_element(pool, element);\n\t\tspin_unlock_irqrestore(&pool->lock, flags);\n"
            "\t\treturn;\n\t}\n", "")]),
    Wrong("free_overfills", "refills the reserve one past min_nr",
          [(*FREE, "pool->curr_nr < pool->min_nr", "pool->curr_nr <= pool->min_nr")]),
    Wrong("free_refills_and_frees", "puts the element in the reserve and also gives it to the allocator",
          [(*FREE, "\t\tadd_element(pool, element);\n\t\tspin_unlock_irqrestore(&pool->lock, flags);\n"
            "\t\treturn;\n\t}\n\tspin_unlock_irqrestore(&pool->lock, flags);\n",
            "\t\tadd_element(pool, element);\n\t}\n\tspin_unlock_irqrestore(&pool->lock, flags);\n")]),
    Wrong("create_keeps_a_partial_reserve", "returns a pool whose reserve could not be "
          "filled, with what it got: a guarantee of fewer than min_nr",
          [(*CREATE, "\t\tif (!element) {\n\t\t\tmempool_destroy(pool);\n\t\t\treturn NULL;\n\t\t}\n",
            "\t\tif (!element)\n\t\t\tbreak;\n")]),
    Wrong("create_leaks_on_failure", "gives up on a reserve it cannot fill without giving "
          "back the elements it got",
          [(*CREATE, "\t\tif (!element) {\n\t\t\tmempool_destroy(pool);\n\t\t\treturn NULL;\n\t\t}\n",
            "\t\tif (!element)\n\t\t\treturn NULL;\n")]),
    Wrong("create_accepts_no_reserve", "creates pools of min_nr 0 (or less)",
          [(*CREATE, "if (min_nr <= 0 || !alloc_fn || !free_fn)", "if (!alloc_fn || !free_fn)")]),
    Wrong("resize_shrink_keeps_the_extra", "shrinks min_nr but keeps the extra elements: "
          "the reserve holds more than min_nr",
          [(*RESIZE, "element = pool->curr_nr > new_min_nr ? remove_element(pool) : NULL;",
            "element = NULL;")]),
    Wrong("resize_loses_the_old_reserve", "grows into a new array without the old elements",
          [(*RESIZE, "\tfor (int i = 0; i < pool->curr_nr; i++)\n\t\tnew_elements[i] = pool->elements[i];\n",
            "\tpool->curr_nr = 0;\n")]),
    Wrong("resize_does_not_fill", "grows the array but does not fill it: the larger reserve "
          "waits for frees",
          [(*RESIZE, "\twhile (pool->curr_nr < pool->min_nr) { /* growing: fill the new slots now */",
            "\twhile (0) {")]),
]
