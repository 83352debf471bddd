# SPDX-License-Identifier: MIT
"""Lab 10: per-CPU data and locking - SLUB's sheaves (docs/labs/10-sheaves-and-smp.md).

Exercise 1: alloc_from_pcs(), free_to_pcs() - the per-CPU fast paths: a pop or a push on
this CPU's main sheaf, under the CPU's local_trylock.
Exercise 2: pcs_replace_empty_main(), pcs_replace_full_main() - main ran dry or full:
the spare, the node's barn, and last the slabs.
Exercise 3: barn_get() - given working on one CPU, and wrong on four (barn_put() beside
it takes the barn's lock): the student finds the race with `stress --cpus 4` and fixes it.
"""

import re

from labkit import (MINE, Boot, Derive, Lab, Machines, Question, Target, Wrong, kernel_check,
                    ktap_checks)
from machine import check

SHEAVES = "console=ttyS0 slub_sheaves=all"

LAB = Lab(10, "per-CPU sheaves and SMP", doc="docs/labs/10-sheaves-and-smp.md",
          answers="docs/labs/answers/10.txt",
          # The questions count CPUs: each student's machine has 2, 3 or 4 of them, and
          # every kmalloc cache has sheaves (Linux 7.0's rule, pagelab's slub_sheaves=all).
          machines=Machines(cmdline=SHEAVES, smp=(2, 3, 4)))

TARGETS = [
    Target("mm/slub.c", "alloc_from_pcs", """
{
	/*
	 * Lab 10, exercise 1 (docs/labs/10-sheaves-and-smp.md): an object of @s from this
	 * CPU's sheaves, or NULL, and the caller takes one from the CPU slab.  Interrupts
	 * are off.  Until you do, no object ever comes from a sheaf.
	 */
	(void)s, (void)flags, (void)pcs_replace_empty_main;
	return NULL;
}
"""),
    Target("mm/slub.c", "free_to_pcs", """
{
	/*
	 * Lab 10, exercise 1 (docs/labs/10-sheaves-and-smp.md): @x, an object of @s, into
	 * this CPU's sheaves; false, and the caller frees it to the CPU slab, when that
	 * cannot be.  Interrupts are off.  Until you do, no object ever goes to a sheaf.
	 */
	(void)s, (void)x, (void)pcs_replace_full_main;
	return false;
}
"""),
    Target("mm/slub.c", "pcs_replace_empty_main", """
{
	/*
	 * Lab 10, exercise 2 (docs/labs/10-sheaves-and-smp.md): @pcs's main sheaf is empty;
	 * true once main has objects, false if it cannot (or, for @flags, may not) have
	 * any.  Until you do, main stays empty.
	 */
	(void)s, (void)pcs, (void)flags;
	(void)swap_main_spare, (void)refill_sheaf, (void)alloc_empty_sheaf, (void)barn_get;
	return false;
}
"""),
    Target("mm/slub.c", "pcs_replace_full_main", """
{
	/*
	 * Lab 10, exercise 2 (docs/labs/10-sheaves-and-smp.md): @pcs's main sheaf has no
	 * room; true once main has room, false if it cannot.  Until you do, main stays as
	 * it is.
	 */
	(void)s, (void)pcs, (void)barn_full_of_full, (void)barn_put;
	return false;
}
"""),
    # Exercise 3: handed out working - on one CPU.  barn_put() stays the original.
    Target("mm/slub.c", "barn_get", """
{
	/*
	 * Lab 10, exercise 3 (docs/labs/10-sheaves-and-smp.md): a sheaf from one of
	 * @barn's lists, or NULL if that list is empty.  Any CPU of the node may call it.
	 */
	struct list_head *list = full ? &barn->sheaves_full : &barn->sheaves_empty;
	struct slab_sheaf *sheaf = NULL;

	if (!list_empty(list)) {
		sheaf = list_first_entry(list, struct slab_sheaf, barn_list);
		list_del(&sheaf->barn_list);
		if (full)
			WRITE_ONCE(barn->nr_full, barn->nr_full - 1);
		else
			barn->nr_empty--;
	}
	return sheaf;
}
""", given="as exercise 3 hands it out: right on one CPU; find what is wrong on four"),
]

HOST = "tests/labs/10/host.c"

# Stress counts every page and object, which needs the buddy allocator (lab 5) and
# SLUB's slab paths under the sheaves (lab 7) to be right.
NEEDS = {"stress's conservation check (whole blocks back on the free lists)": 5,
         "the sheaves' refills and flushes (SLUB's slab paths)": 7}

RACE = Boot("bios", machine="pc", cmdline=SHEAVES, smp=4)
TWO = Boot("uefi", cmdline=SHEAVES, smp=2)

STRESS_OPS = 1000000  # a missing barn lock shows within one run of this, most of the time
STRESS_RUNS = 3


def counters(m, cache):
    """`slab <cache>`'s counters, {name: total} ("alloc_cpu_sheaf:9 C0=9" gives 9)."""
    out = m.run(f"slab {cache}")
    return out, {k: int(v) for k, v in re.findall(r"^(\w+):(\d+)", out, re.M)}


def check_conserves(m, cpus):
    """`stress --cpus N` with every kmalloc cache sheaved and stress_cache's sheaves of 8:
    every run passes its conservation check with no object handed out twice, and the
    sheaves and the barn did the work (their counters moved)."""
    for seed in range(1, STRESS_RUNS + 1):
        out = m.run(f"stress --cpus {cpus} {STRESS_OPS} {seed}", timeout=600)
        check("stress: conservation check passed" in out,
              f"`stress --cpus {cpus} {STRESS_OPS} {seed}` on {cpus} CPUs did not pass:\n{out}")
        total = re.search(r"^all +(?:\d+ +){8}(\d+)$", out, re.M)
        check(total and total.group(1) == "0",
              f"`stress --cpus {cpus}`: objects were handed out twice:\n{out}")
    out, c = counters(m, "stress_cache")
    check(c.get("alloc_cpu_sheaf", 0) > 0 and c.get("free_cpu_sheaf", 0) > 0,
          f"after `stress --cpus {cpus}`, stress_cache's objects never came from or went to "
          f"a sheaf (alloc_cpu_sheaf, free_cpu_sheaf):\n{out}")
    check(c.get("barn_get", 0) > 0 and c.get("barn_put", 0) > 0,
          f"after `stress --cpus {cpus}`, stress_cache's CPUs never traded a sheaf at the "
          f"barn (barn_get, barn_put):\n{out}")


@kernel_check(RACE, points=4)
def stress_on_four_cpus(m):
    """SeaBIOS, 4 CPUs: stress --cpus 4 loses nothing and hands out nothing twice"""
    check_conserves(m, 4)


@kernel_check(TWO, points=2)
def stress_on_two_cpus(m):
    """OVMF, 2 CPUs: stress --cpus 2 loses nothing and hands out nothing twice"""
    check_conserves(m, 2)


# One cache, sheaves of 3, driven from two CPUs in a known order: every counter of
# `slab lab10` is then exact (worked through by hand in the lab's hints, exercise 2).
TRACE = [("0", "cache alloc lab10 20"), ("1", "cache free lab10 all"),
         ("1", "cache alloc lab10 11"), ("1", "cache free lab10 all")]
TRACE_COUNTERS = {
    "alloc_cpu_sheaf": 31, "free_cpu_sheaf": 31, "sheaf_refill": 21, "sheaf_flush": 0,
    "barn_get": 2, "barn_get_fail": 7, "barn_put": 7, "barn_put_fail": 0,
    "sheaf_alloc": 8, "sheaf_free": 0, "sheaf_swap": 2,
}


def check_trace(m):
    """The trace: objects taken on CPU 0 and freed on CPU 1 go into CPU 1's sheaves;
    CPU 1 then allocates from them (the barn's full sheaves) without touching a slab.
    Every sheaf counter is what the design says.  A shrink leaves no sheaf and no object
    in one; destroy gives every slab back."""
    out = m.run("cache create lab10 200 sheaves=3")
    check("sheaves of 3" in out, f"`cache create lab10 200 sheaves=3`:\n{out}")
    for cpu, command in TRACE:
        out = m.run(command if cpu == "0" else f"on {cpu} {command}")
        check("failed" not in out and "error" not in out.lower(), f"`{command}`:\n{out}")
    out, c = counters(m, "lab10")
    wrong = {k: (c.get(k), v) for k, v in TRACE_COUNTERS.items() if c.get(k) != v}
    check(not wrong, "after " + "; ".join(f"CPU {cpu}: `{cmd}`" for cpu, cmd in TRACE) +
          ", these counters of `slab lab10` are not what the design gives (name: yours, "
          f"expected): {wrong}\n{out}")
    m.run("cache shrink lab10")
    out = m.run("cache info lab10")
    check(re.search(r"sheaves of 3: 0 objects in the CPUs' sheaves, barn 0 full \(0 objects\) "
                    r"\+ 0 empty", out),
          f"after `cache shrink lab10`, a sheaf or an object in one is left:\n{out}")
    out = m.run("cache destroy lab10")
    check("every slab went back" in out, f"`cache destroy lab10`:\n{out}")


@kernel_check(TWO, points=3)
def trace_across_two_cpus(m):
    """OVMF, 2 CPUs: a trace across two CPUs gives every sheaf counter its value"""
    check_trace(m)


@kernel_check(RACE, points=1)
def trace_on_four_cpus(m):
    """SeaBIOS, 4 CPUs: the same trace, then a shrink leaves nothing behind"""
    check_trace(m)


ktap_checks(globals(), RACE, "slub", ["sheaves_serve_this_cpu_and_trade_with_the_barn"])


def cpus_online(output):
    found = re.search(r"^(\d+) of \d+ possible CPUs online", output, re.M)
    if not found:
        raise ValueError(f"`cpus` printed no count:\n{output}")
    return int(found.group(1))


def sheaf_room(output):
    """q1: kmalloc-64's sheaves can hold capacity x (2 per CPU + the barn's 10 full)."""
    capacity = re.search(r"^sheaf_capacity:(\d+)$", output, re.M)
    if not capacity:
        raise ValueError(f"`slab kmalloc-64` printed no sheaf_capacity:\n{output}")
    return int(capacity.group(1)) * (2 * cpus_online(output) + 10)


def experiment(output):
    """q2-q4's answers on a machine of N CPUs (`cpus` says N), from the design rather than
    from the student's kernel, so that a kernel that breaks the design cannot "predict"
    its own numbers.  Sheaves of 4; each CPU takes 5 objects (a refill of 4 into its first
    main, which it kmallocs, then a second refill of the same main: 3 left in it); CPU 0
    then frees all 5N.  Its first free fills main; every 4 more fill a new sheaf (kmalloc:
    the barn has no empty ones), so main is replaced ceil((5N - 1) / 4) times: the first
    full main becomes the spare, the rest go to the barn."""
    cpus = cpus_online(output)
    replaced = -(-(5 * cpus - 1) // 4)
    barn_full = replaced - 1
    return {"q2": barn_full,
            "q3": (5 * cpus + 3 - 4 * barn_full) + 3 * (cpus - 1),  # CPU 0's, the others'
            "q4": cpus + replaced}


QUESTIONS = [
    Question("q1", "number", Derive(MINE, ["cpus", "slab kmalloc-64"], read=sheaf_room)),
    Question("q2", "number", Derive(MINE, "cpus", read=lambda out: experiment(out)["q2"])),
    Question("q3", "number", Derive(MINE, "cpus", read=lambda out: experiment(out)["q3"])),
    Question("q4", "number", Derive(MINE, "cpus", read=lambda out: experiment(out)["q4"])),
    Question("q5", "text"),
    Question("q6", "text"),
    Question("q7", "text"),
]

SLUB = "mm/slub.c"
ALLOC = SLUB, "alloc_from_pcs"
FREE = SLUB, "free_to_pcs"
EMPTY = SLUB, "pcs_replace_empty_main"
FULL = SLUB, "pcs_replace_full_main"
GET = SLUB, "barn_get"

WRONG = [
    Wrong("alloc_keeps_the_lock", "never lets go of the CPU's sheaves lock after an allocation",
          [(*ALLOC, "\tlocal_unlock(&pcs->lock);\n\treturn object;", "\treturn object;")]),
    Wrong("alloc_takes_the_bottom", "takes the sheaf's first object and shortens it at the top",
          [(*ALLOC, "pcs->main->objects[--pcs->main->size]",
            "pcs->main->objects[0]; --pcs->main->size")]),
    Wrong("free_misses_a_double_free", "pushes an object that is already on top of main",
          [(*FREE, "main->size && main->objects[main->size - 1] == x", "false")]),
    Wrong("free_pushes_past_capacity", "pushes into a full main",
          [(*FREE, "main->size == main->capacity", "main->size > main->capacity")]),
    Wrong("refills_for_atomic_callers", "refills a whole sheaf for a caller that cannot wait",
          [(*EMPTY, "\tif (!(flags & __GFP_DIRECT_RECLAIM))\n\t\treturn false;", "")]),
    Wrong("atomic_callers_skip_the_sheaves", "sends a caller that cannot wait to the CPU "
          "slab even when the spare or the barn has objects",
          [(*EMPTY, "\tstruct slab_sheaf *sheaf;\n",
            "\tstruct slab_sheaf *sheaf;\n\n\tif (!(flags & __GFP_DIRECT_RECLAIM))\n"
            "\t\treturn false;\n")]),
    Wrong("empty_main_is_dropped", "loses the empty main when a full sheaf comes from the barn",
          [(*EMPTY, "\t\tif (!bootstrap && !pcs->spare)\n\t\t\tpcs->spare = pcs->main;\n"
            "\t\telse if (!bootstrap && !barn_put(pcs->barn, pcs->main, false))\n"
            "\t\t\tfree_empty_sheaf(pcs, pcs->main);\n", "")]),
    Wrong("empty_main_skips_the_barn", "refills from the slabs while the barn has full sheaves",
          [(*EMPTY, "\tsheaf = barn_get(pcs->barn, true);\n\tif (sheaf) {",
            "\tsheaf = NULL;\n\tif (sheaf) {")]),
    Wrong("full_main_skips_the_spare", "trades at the barn while the spare has room",
          [(*FULL, "if (pcs->spare && pcs->spare->size < pcs->spare->capacity) {",
            "if (0) {")]),
    Wrong("full_main_loses_the_full_sheaf", "replaces a full main without keeping it anywhere",
          [(*FULL, "\t} else if (!pcs->spare) {\n\t\tpcs->spare = pcs->main;\n", "\t} else if (0) {\n")]),
    Wrong("barn_get_unlocked", "takes sheaves from the barn without its lock",
          [(*GET, "\tspin_lock(&barn->lock);\n", ""), (*GET, "\tspin_unlock(&barn->lock);\n", "")]),
    Wrong("barn_lock_on_the_count_only", "locks around the count, not around the list",
          [(*GET, "\tspin_lock(&barn->lock);\n\tif (!list_empty(list)) {\n"
            "\t\tsheaf = list_first_entry(list, struct slab_sheaf, barn_list);\n"
            "\t\tlist_del(&sheaf->barn_list);\n",
            "\tif (!list_empty(list)) {\n"
            "\t\tsheaf = list_first_entry(list, struct slab_sheaf, barn_list);\n"
            "\t\tlist_del(&sheaf->barn_list);\n\t\tspin_lock(&barn->lock);\n"),
           (*GET, "\t}\n\tspin_unlock(&barn->lock);\n", "\t\tspin_unlock(&barn->lock);\n\t}\n")]),
]
