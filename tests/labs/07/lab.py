# SPDX-License-Identifier: MIT
"""Lab 7: SLUB (docs/labs/07-slub.md).

kmalloc_index() is given: its classes are the background's and the walk's.
Exercise 1: slab_alloc(), ___slab_alloc() - the allocation path, fast and slow: the
per-cpu freelist, and where the CPU's next slab comes from.
Exercise 2: slab_free(), __slab_free(), deactivate_slab() - the free path: back on the
CPU's freelist or on the object's own slab, and the slab on the list its state calls for.
"""

import re

from labkit import (MINE, Boot, Derive, Lab, Machines, Question, Target, Wrong, kernel_check,
                    ktap_checks)
from machine import check

LAB = Lab(7, "SLUB", doc="docs/labs/07-slub.md", answers="docs/labs/answers/07.txt",
          # SeaBIOS only: q2 and q8 read exact object addresses, and OVMF places its own
          # pages differently from boot to boot (lab 5's trial saw it move free blocks).
          machines=Machines(firmware=("bios",),
                            cmdline="console=ttyS0 slub_debug=FZPU,lab7-debug"))

TARGETS = [
    Target("mm/slub.c", "slab_alloc", """
{
	/*
	 * Lab 7, exercise 1 (docs/labs/07-slub.md): the allocation fast path.  Returns a free
	 * object of @s (zeroed if @flags has __GFP_ZERO) or NULL; this CPU's freelist and
	 * active slab stay consistent.  Runs on every allocation.  Until you do, every
	 * allocation is taken one object at a time, as a debugging cache's is.
	 */
	void *object = alloc_single(s, flags, orig_size, addr);

	(void)slab_alloc_slow;
	if (object && (flags & __GFP_ZERO))
		memset(object, 0, slub_debug_orig_size(s) ? orig_size : s->object_size);
	return object;
}
"""),
    Target("mm/slub.c", "___slab_alloc", """
{
	/*
	 * Lab 7, exercise 1 (docs/labs/07-slub.md): the allocation slow path, for when the
	 * CPU's freelist @c->freelist is empty.  Returns one free object of @s, or NULL if
	 * no memory; afterwards the CPU owns a slab with the rest of its free objects (a
	 * debugging cache: none).  Until you do, no CPU ever owns a slab: every object is
	 * taken alone from the node's partial list.
	 */
	(void)c;
	return alloc_single(s, flags, orig_size, addr);
}
"""),
    Target("mm/slub.c", "slab_free", """
{
	/*
	 * Lab 7, exercise 2 (docs/labs/07-slub.md): the free fast path.  @x, an object of
	 * @slab, is free afterwards, and can be handed out again; no object is free twice.
	 * Runs on every free.  Until you do, every free takes the slow path.
	 */
	slab_free_slow(s, slab, x, addr);
}
"""),
    Target("mm/slub.c", "__slab_free", """
{
	/*
	 * Lab 7, exercise 2 (docs/labs/07-slub.md): the free slow path.  @x, an object of
	 * @slab, which is not this CPU's active slab, is free afterwards; @slab's counters
	 * and the list it is on say so.  Until you do, such objects are leaked: they stay
	 * counted in use, and their slabs never go back to the buddy allocator.
	 */
	(void)s, (void)slab, (void)x, (void)addr;
	(void)free_debug_processing, (void)remove_full, (void)put_cpu_partial;
}
"""),
    Target("mm/slub.c", "deactivate_slab", """
{
	/*
	 * Lab 7, exercise 2 (docs/labs/07-slub.md): this CPU lets go of @slab, and of
	 * @freelist, the objects of @slab still on the CPU's freelist (maybe none).
	 * Afterwards the slab is not frozen, its freelist and inuse tell the truth, and it
	 * is where its state says it belongs.  Until you do, @freelist is forgotten: those
	 * objects stay counted in use, and the slab is never freed.
	 */
	(void)freelist;
	slab->frozen = 0;
	place_slab(s, get_node(s, page_to_nid(slab)), slab);
}
"""),
]

HOST = "tests/labs/07/host.c"

# Every check and question on SeaBIOS uses this boot: slub_debug for one cache only, which
# exists when the student (or a question) creates it, so every other cache runs plain.
BIOS = Boot("bios", cmdline="console=ttyS0 slub_debug=FZPU,lab7-debug")
UEFI = Boot("uefi")

PAGE = 4096


def cache_create(m, name, size):
    """`cache create`: (stride, order, objects per slab), checked against each other."""
    out = m.run(f"cache create {name} {size}")
    got = re.search(r"size (\d+) \(stride\).*\n.*slab order (\d+) \((\d+) objects\)", out)
    check(got, f"cache create {name} {size}:\n{out}")
    stride, order, objects = map(int, got.groups())
    check(stride == (size + 7) // 8 * 8, f"{name}: a stride of {stride} for {size}-byte objects")
    check(objects == (PAGE << order) // stride,
          f"{name}: {objects} objects of {stride} bytes in {PAGE << order} bytes?")
    return stride, order, objects


def cache_alloc(m, name, count=1):
    out = m.run(f"cache alloc {name} {count}")
    addrs = [int(a, 16) for a in re.findall(rf"^kmem_cache_alloc\({re.escape(name)}\) = 0x([0-9a-f]+)$",
                                              out, re.M)]
    check(len(addrs) == count, f"cache alloc {name} {count}:\n{out}")
    return addrs


def cache_free(m, name, *addrs):
    for a in addrs:
        out = m.run(f"cache free {name} {a:#x}")
        check("done" in out, f"cache free {name} {a:#x}:\n{out}")


def slabinfo_line(m, name):
    """(active_objs, num_objs, objsize, objperslab, pagesperslab, num_slabs) of one cache."""
    out = m.run("slabinfo")
    got = re.search(rf"^{re.escape(name)} +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) : tunables +0 +0 +0 "
                    r": slabdata +(\d+) +(\d+) +0$", out, re.M)
    check(got, f"slabinfo has no line for {name}:\n{out}")
    active, num, objsize, perslab, pages, active_slabs, slabs = map(int, got.groups())
    check(active_slabs == slabs, f"slabinfo {name}: active_slabs {active_slabs} != {slabs}")
    return active, num, objsize, perslab, pages, slabs


def cache_info(m, name):
    """`cache info`'s last line: (slabs, objects, active, partial slabs, cpu slab yes/none)."""
    out = m.run(f"cache info {name}")
    got = re.search(r"slabs (\d+), objects (\d+) \(active (\d+)\), partial slabs (\d+), "
                    r"cpu slab (yes|none)", out)
    check(got, f"cache info {name}:\n{out}")
    return tuple(int(x) for x in got.groups()[:4]) + (got.group(5),)


def check_cpu_owns_slab(m, name):
    """A new cache, three objects: the CPU took a whole slab, handed out in address order."""
    stride, order, objects = cache_create(m, name, 100)
    addrs = cache_alloc(m, name, 3)
    check(addrs[0] % (PAGE << order) == 0, f"{name}: the first object {addrs[0]:#x} is not at "
          f"the start of a slab")
    check(addrs == [addrs[0] + i * stride for i in range(3)],
          f"{name}: a new slab's objects come in address order, {stride} bytes apart: "
          f"{[hex(a) for a in addrs]}")
    active, num, objsize, perslab, pages, slabs = slabinfo_line(m, name)
    check((num, perslab, pages, slabs, objsize) == (objects, objects, 1 << order, 1, stride),
          f"slabinfo {name}: {num} objects, {perslab} per slab of {pages} pages, {slabs} slabs; "
          f"one slab of {objects} was expected")
    check(active == objects, f"slabinfo {name}: {active} active objects of {num}: the objects on "
          f"the CPU's freelist count as active, so all {objects} should")
    check(cache_info(m, name)[4] == "yes", f"cache info {name}: no CPU slab")
    cache_free(m, name, *addrs)
    m.run(f"cache destroy {name}")


@kernel_check(BIOS)
def cpu_owns_a_whole_slab_on_seabios(m):
    """SeaBIOS: the first allocation gives the CPU a whole slab"""
    check_cpu_owns_slab(m, "lab7-own")


@kernel_check(BIOS)
def frees_come_back_last_in_first_out(m):
    """SeaBIOS: a freed object waits on the CPU's freelist and is the next one out"""
    stride, order, objects = cache_create(m, "lab7-lifo", 100)
    a, b, c, d = cache_alloc(m, "lab7-lifo", 4)
    cache_free(m, "lab7-lifo", b, c)
    active = slabinfo_line(m, "lab7-lifo")[0]
    check(active == objects, f"slabinfo lab7-lifo: {active} active objects after freeing two: "
          f"objects on the CPU's freelist count as active, so all {objects} should")
    again = cache_alloc(m, "lab7-lifo", 2)
    check(again == [c, b], f"freed {b:#x} then {c:#x}; the next allocations gave "
          f"{[hex(x) for x in again]}, not {c:#x} then {b:#x} (last in, first out)")
    cache_free(m, "lab7-lifo", a, b, c, d)
    out = m.run("cache destroy lab7-lifo")
    check("destroyed" in out, f"cache destroy lab7-lifo, every object freed:\n{out}")


@kernel_check(BIOS)
def shrink_gives_every_object_back(m):
    """SeaBIOS: when the CPU lets go of its slab, every free object goes back to it"""
    stride, order, objects = cache_create(m, "lab7-shrink", 100)
    p = cache_alloc(m, "lab7-shrink", 5)
    cache_free(m, "lab7-shrink", p[1], p[3])
    info = cache_info(m, "lab7-shrink")
    check(info == (1, objects, objects, 0, "yes"), f"cache info lab7-shrink (slabs, objects, "
          f"active, partial, cpu slab) = {info}: the CPU should own its one slab, every object "
          f"counted active")
    out = m.run("cache shrink lab7-shrink")
    info = cache_info(m, "lab7-shrink")
    check(info == (1, objects, 3, 1, "none"), f"after `cache shrink` (slabs, objects, active, "
          f"partial, cpu slab) = {info}; 3 objects are in use, so (1, {objects}, 3, 1, 'none'):\n{out}")
    cache_free(m, "lab7-shrink", p[0], p[2], p[4])
    m.run("cache shrink lab7-shrink")
    info = cache_info(m, "lab7-shrink")
    check(info[0] == 0, f"every object free, `cache shrink`: still {info[0]} slab(s)")
    out = m.run("cache destroy lab7-shrink")
    check("destroyed" in out, f"cache destroy lab7-shrink:\n{out}")


def check_partial_before_new(m, name):
    """A full slab that gets objects back is refilled from before any new slab is taken;
    once everything is freed, a shrink gives every slab back.  1000-byte objects, 8 to a
    slab, so that the shell's 64 held objects are enough."""
    stride, order, objects = cache_create(m, name, 1000)
    first = cache_alloc(m, name, objects + 1)
    info = cache_info(m, name)
    check(info[0] == 2 and info[4] == "yes", f"cache info {name} after {objects + 1} "
          f"allocations (slabs, objects, active, partial, cpu slab) = {info}: two slabs, the "
          f"CPU owning the second")
    cache_free(m, name, first[5], first[7])
    rest = cache_alloc(m, name, objects - 1)
    again = cache_alloc(m, name, 2)
    check(sorted(again) == sorted([first[5], first[7]]),
          f"{name}: the CPU's slab ran out with two objects free in the first slab; the next "
          f"two allocations gave {[hex(a) for a in again]}, not {first[5]:#x} and {first[7]:#x}")
    info = cache_info(m, name)
    check(info[0] == 2, f"cache info {name}: {info[0]} slabs; the free objects of the first "
          f"slab were enough, no new slab was needed")
    cache_free(m, name, *first, *rest)
    out = m.run(f"cache shrink {name}")
    info = cache_info(m, name)
    check(info[:3] == (0, 0, 0), f"every object freed, `cache shrink`: (slabs, objects, active) "
          f"= {info[:3]}:\n{out}")
    out = m.run(f"cache destroy {name}")
    check("destroyed" in out, f"cache destroy {name}:\n{out}")


@kernel_check(BIOS)
def partial_slabs_are_reused_before_new_ones_on_seabios(m):
    """SeaBIOS: objects freed to a full slab are handed out before a new slab is taken"""
    check_partial_before_new(m, "lab7-partial")


@kernel_check(BIOS)
def a_debugging_cache_checks_every_object(m):
    """SeaBIOS: a debugging cache has no CPU slab, and catches a double free"""
    cache_create_out = m.run("cache create lab7-debug 100")
    check("debug FZPU" in cache_create_out, f"cache create lab7-debug 100:\n{cache_create_out}")
    addrs = cache_alloc(m, "lab7-debug", 2)
    info = cache_info(m, "lab7-debug")
    check(info[2] == 2 and info[4] == "none", f"cache info lab7-debug (slabs, objects, active, "
          f"partial, cpu slab) = {info}: a debugging cache counts exactly its 2 objects, "
          f"and the CPU owns no slab")
    cache_free(m, "lab7-debug", *addrs)
    check(cache_info(m, "lab7-debug")[2] == 0, "both objects freed, still counted active")
    out = m.run("cache destroy lab7-debug")
    check("destroyed" in out, f"cache destroy lab7-debug, every object freed:\n{out}")
    out = m.run("slubtest double-free")
    check("Object already free" in out and "1 report from" in out,
          f"slubtest double-free: the debugging checks must see the second free:\n{out}")


@kernel_check(UEFI)
def cpu_owns_a_whole_slab_on_ovmf(m):
    """OVMF: the first allocation gives the CPU a whole slab"""
    check_cpu_owns_slab(m, "lab7-own")


@kernel_check(UEFI)
def partial_slabs_are_reused_before_new_ones_on_ovmf(m):
    """OVMF: objects freed to a full slab are handed out before a new slab is taken"""
    check_partial_before_new(m, "lab7-partial")


def slab_view(m, name):
    """`slab <name>`: Linux's /sys/kernel/slab/<name>/ files as {file: content}."""
    out = m.run(f"slab {name}")
    view = dict(re.findall(r"^(\w+):(.*)$", out, re.M))
    check("slabs_cpu_partial" in view and "partial" in view, f"slab {name}:\n{out}")
    return view


def cpu_partial_slabs(view):
    """How many slabs the CPU's partial list holds before it drains: enough for twice
    cpu_partial objects (Linux's slub_set_cpu_partial())."""
    objs = int(view["objs_per_slab"])
    return (2 * int(view["cpu_partial"]) + objs - 1) // objs


def cpu_partial_text(slabs, objs):
    """slabs_cpu_partial's content for one CPU holding `slabs` partial slabs."""
    return f"{slabs * objs // 2}({slabs}) C0={slabs * objs // 2}({slabs})" if slabs else "0(0)"


def fill_and_free_firsts(m, name, size, full):
    """The experiment of questions 7 and 8: `full` + 1 slabs' worth of objects, then the
    first object of each of the first `full` slabs freed.  Returns the addresses and the
    objects per slab."""
    m.run(f"cache create {name} {size}")
    objs = int(slab_view(m, name)["objs_per_slab"])
    addrs = cache_alloc(m, name, (full + 1) * objs)
    cache_free(m, name, *(addrs[k * objs] for k in range(full)))
    return addrs, objs


@kernel_check(BIOS)
def the_cpu_partial_list_drains_to_the_node_when_full(m):
    """SeaBIOS: slabs that were full wait on the CPU's partial list, which drains to the node's when full, and is used first"""
    name = "lab7-cpupartial"
    m.run(f"cache create {name} 4096")
    limit = cpu_partial_slabs(slab_view(m, name))
    m.run(f"cache destroy {name}")
    addrs, objs = fill_and_free_firsts(m, name, 4096, limit + 1)
    view = slab_view(m, name)
    got = (view["partial"], view["slabs_cpu_partial"], view["cpu_slabs"])
    want = (str(limit), cpu_partial_text(1, objs), "2")
    check(got == want, f"{limit + 2} full slabs, then one object freed in each of the first "
          f"{limit + 1}: the CPU's partial list holds {limit}, so the last free drains it to "
          f"the node's; (partial, slabs_cpu_partial, cpu_slabs) = {got}, not {want}")
    again = cache_alloc(m, name)[0]
    last = addrs[limit * objs]
    check(again == last, f"the CPU's slab was full: the next object comes from the slab on "
          f"its partial list, {last:#x}, not {again:#x}")
    view = slab_view(m, name)
    check((view["partial"], view["slabs_cpu_partial"]) == (str(limit), "0(0)"),
          f"after that allocation (partial, slabs_cpu_partial) = "
          f"{(view['partial'], view['slabs_cpu_partial'])}, not {(str(limit), '0(0)')}")
    cache_free(m, name, addrs[(limit + 1) * objs])  # the last slab is full, not the CPU's
    view = slab_view(m, name)
    check(view["slabs_cpu_partial"] == cpu_partial_text(1, objs),
          f"one full slab got an object back: slabs_cpu_partial {view['slabs_cpu_partial']}, "
          f"not {cpu_partial_text(1, objs)} (the CPU's count of its partial slabs)")
    held = set(addrs) - {addrs[k * objs] for k in range(limit + 1)} - {addrs[(limit + 1) * objs]}
    cache_free(m, name, again, *sorted(held))
    m.run(f"cache shrink {name}")
    out = m.run(f"cache destroy {name}")
    check("destroyed" in out, f"cache destroy {name}, every object freed:\n{out}")


# The challenge (docs/labs/07-slub.md): slab_freelist_random on the command line chains a
# new slab's objects in a random order; tests/labs/07/challenge.patch does it.
RANDOM = Boot("bios", cmdline="console=ttyS0 slab_freelist_random")


def random_sequence(m, name, count):
    """`count` objects of a new 100-byte cache: their indexes in the slab, checked to be
    distinct objects of one slab."""
    stride, order, objects = cache_create(m, name, 100)
    addrs = cache_alloc(m, name, count)
    base = min(addrs) - min(addrs) % (PAGE << order)
    index = [(a - base) // stride for a in addrs]
    check(all(base <= a < base + (PAGE << order) and (a - base) % stride == 0 for a in addrs)
          and len(set(addrs)) == count,
          f"{name}: {count} allocations must be {count} different objects of one slab: "
          f"{[hex(a) for a in addrs]}")
    return addrs, index


@kernel_check(RANDOM, 2, challenge=True)
def challenge_freelist_is_random(m):
    """SeaBIOS, slab_freelist_random: a new slab's objects come out in a random order"""
    first, a = random_sequence(m, "lab7-rand", 20)
    check(a != sorted(a), f"lab7-rand: the objects came out in address order {a}: the "
          f"freelist is not shuffled")
    second, b = random_sequence(m, "lab7-rand2", 20)
    check(a != b, f"two caches' new slabs gave the objects in the same order {a}")
    cache_free(m, "lab7-rand", *first)
    cache_free(m, "lab7-rand2", *second)
    for name in ("lab7-rand", "lab7-rand2"):
        out = m.run(f"cache destroy {name}")
        check("destroyed" in out, f"every object freed, cache destroy {name}:\n{out}")


# The same inside the kernel: tests/labs/07/selftest.c (`selftest lab7`).
LAB7_CASES = ["the_cpu_takes_a_whole_slab", "free_and_alloc_are_lifo_on_the_cpu_freelist",
              "a_double_free_is_refused", "flushing_the_cpu_slab_gives_every_object_back"]
ktap_checks(globals(), BIOS, "lab7", LAB7_CASES)
ktap_checks(globals(), UEFI, "lab7", ["flushing_the_cpu_slab_gives_every_object_back"])


# The questions are one experiment on the student's own machine, on a fresh boot, in this
# order.  SLUB's geometry is the same on every machine; where the slabs land in memory
# (the buddy allocator's free lists, which the firmware's map shapes) and how much memory
# is free are not.
DIRECT_MAP = 0xffff888000000000
def third_offset(out):
    """The third lab7-debug object's offset in its slab."""
    order = int(re.search(r"slab order (\d+) ", out).group(1))
    third = re.findall(r"^kmem_cache_alloc\(lab7-debug\) = 0x([0-9a-f]+)$", out, re.M)[2]
    return int(third, 16) % (4096 << order)


class ExperimentDerive(Derive):
    """Questions 7 and 8's experiment: its frees need the addresses the allocations
    printed, so the commands are typed from what the machine answers.  "objects" reads
    `slab`'s objects after the frees; "next" runs the experiment's `cache alloc` and
    reads its address (question 7 ran the frees on the same boot)."""

    def __init__(self, boot, name, size, full, what):
        cmds = [f"cache create {name} {size}", f"cache alloc {name} ({full + 1} slabs)",
                f"cache free {name} (the first object of {full} slabs)", f"slab {name}"]
        super().__init__(boot, cmds if what == "objects" else [f"cache alloc {name}"])
        self.name, self.size, self.full, self.what = name, size, full, what

    def output_of(self, m):
        if self.what == "objects":
            fill_and_free_firsts(m, self.name, self.size, self.full)
            return m.run(f"slab {self.name}")
        return m.run(f"cache alloc {self.name}")

    def read(self, output):
        regex = (r"^objects:(\d+)$" if self.what == "objects" else
                 rf"^kmem_cache_alloc\({re.escape(self.name)}\) = (0x[0-9a-f]+)$")
        got = re.search(regex, output, re.M)
        if not got:
            raise ValueError(f"{regex!r} not found in:\n{output}")
        return str(int(got.group(1), 0))


QUESTIONS = [
    Question("q1", "text", Derive(MINE, "cache create lab7 1000", r"slab order (\d+) \(")),
    Question("q2", "number", Derive(MINE, "cache alloc lab7 9",
                                    r"(?:^kmem_cache_alloc\(lab7\) = 0x[0-9a-f]+\n){8}"
                                    r"^kmem_cache_alloc\(lab7\) = 0x([0-9a-f]+)$",
                                    then=lambda a: (int(a, 16) - DIRECT_MAP) >> 12)),
    Question("q3", "number", Derive(MINE, "cache info lab7", r"slab order \d+ \((\d+) objects\)",
                                    then=lambda n: int(n) - 1),
             same_for_all="a cache's slab holds the same objects on every machine"),
    Question("q4", "number", Derive(MINE, "meminfo", r"^MemFree: +(\d+) kB",
                                    then=lambda kb: int(kb) // 8)),
    # The third object's offset in its slab: slabs are buddy blocks, aligned to their size
    # (order 2 here, 16 KiB), so the offset is the address's low bits.
    Question("q5", "number", Derive(MINE, ["cache create lab7-debug 1000",
                                           "cache alloc lab7-debug 3"], read=third_offset),
             same_for_all="a debugging cache's layout depends only on the object size"),
    Question("q6", "text"),
    # The CPU partial list: four slabs of 4096-byte objects filled, the first object of
    # each of the first three freed; the list holds two slabs, so the third free drains it.
    # `objects` counts the free objects on the CPU's partial list as in use: 30, not 29.
    Question("q7", "number", ExperimentDerive(MINE, "lab7-p", 4096, 3, "objects"),
             same_for_all="the lists' lengths depend only on the cache's geometry"),
    # Which object the next allocation gets: where the slabs sit in memory is the machine's.
    Question("q8", "number", ExperimentDerive(MINE, "lab7-p", 4096, 3, "next")),
    Question("q9", "text"),
]

ALLOC = "mm/slub.c", "slab_alloc"
FREE = "mm/slub.c", "slab_free"
DEACTIVATE = "mm/slub.c", "deactivate_slab"
SLOW = "mm/slub.c", "___slab_alloc"
SLOWFREE = "mm/slub.c", "__slab_free"

WRONG = [
    Wrong("double_free_checked_on_the_cpu_freelist_only", "trusts slab_free_slow() to catch "
          "every double free: an object freed twice into a slab that is not the CPU's is "
          "linked to itself (a trial student saw no check for it)",
          [(*SLOWFREE, "\tif (x == prior) {\n\t\tfreed_onto_itself(s, x);\n\t\treturn;\n\t}\n", "")]),
    Wrong("refill_prefers_the_node_list", "refills from the node's partial list before the "
          "CPU's own: the CPU's partial slabs wait while the node's are taken",
          [(*SLOW, "\tif (c->partial) {", "\tif (c->partial && list_empty(&n->partial)) {")]),
    Wrong("refill_forgets_the_cpu_partial_count", "takes a slab off the CPU's partial list "
          "without counting it: the list drains to the node too early",
          [(*SLOW, "\t\tc->nr_partial--;\n", "")]),
    Wrong("alloc_never_advances", "pops the CPU's freelist without moving its head: one "
          "object handed out again and again",
          [(*ALLOC, "\tc->freelist = get_freepointer(s, object);\n", "")]),
    Wrong("alloc_returns_the_new_head", "moves the head first, then returns the new head: "
          "the first object is skipped, and the last pop returns NULL",
          [(*ALLOC, "\tc->freelist = get_freepointer(s, object);\n\treturn object;",
            "\tc->freelist = get_freepointer(s, object);\n\treturn c->freelist;")]),
    Wrong("alloc_ignores_gfp_zero", "takes the fast path for __GFP_ZERO too: kzalloc memory "
          "is not zeroed",
          [(*ALLOC, "if (unlikely(!object || (flags & __GFP_ZERO)))", "if (unlikely(!object))")]),
    Wrong("free_loses_the_rest", "pushes the freed object with a NULL link: the rest of the "
          "CPU's freelist is lost",
          [(*FREE, "set_freepointer(s, x, head);", "set_freepointer(s, x, NULL);")]),
    Wrong("free_any_slab_to_cpu", "puts objects of any slab on the CPU's freelist",
          [(*FREE, "slab != c->slab || x == head", "x == head")]),
    Wrong("double_free_handed_out_twice", "drops the double-free check: the object links "
          "to itself and is handed out twice",
          [(*FREE, "slab != c->slab || x == head", "slab != c->slab")]),
    Wrong("slow_free_of_the_cpu_slab", "hands the slow path the CPU's slab instead of the "
          "object's: wrong slab, and an oops once the CPU has none",
          [(*FREE, "slab_free_slow(s, slab, x, addr);", "slab_free_slow(s, c->slab, x, addr);")],
          isolates="shrink_gives_every_object_back"),
    Wrong("deactivate_drops_the_last", "stops one object early when giving the CPU's "
          "freelist back: the last object is lost for good",
          [(*DEACTIVATE, "while (freelist) {", "while (freelist && get_freepointer(s, freelist)) {")]),
    Wrong("deactivate_reads_the_overwritten_link", "reads an object's next link after "
          "overwriting it: the walk stops after the first object",
          [(*DEACTIVATE, "\t\tvoid *next = get_freepointer(s, freelist);\n\n", ""),
           (*DEACTIVATE, "\t\tfreelist = next;\n", "\t\tfreelist = get_freepointer(s, freelist);\n")]),
    Wrong("refill_never_reuses_a_partial_slab", "takes a new slab whenever the CPU's runs "
          "out: slabs with free objects are never used again",
          [(*SLOW, "\tif (c->partial) {", "\tif (0) {"),
           (*SLOW, "} else if (!list_empty(&n->partial)) {", "} else if (0) {")]),
    Wrong("refill_ignores_the_node_list", "refills from the CPU's partial list and new slabs, "
          "never from the node's list: a shrunk slab is never used again",
          [(*SLOW, "} else if (!list_empty(&n->partial)) {", "} else if (0) {")]),
    Wrong("refill_keeps_the_full_slab_frozen", "drops the full slab without letting go of "
          "it: it stays frozen, and objects freed to it are never used again",
          [(*SLOW, "\t\tdeactivate_slab(s, slab, NULL); /* full */\n", "")]),
    Wrong("refill_does_not_freeze", "takes a slab's free objects without counting them as "
          "the CPU's: inuse and frozen are wrong, and the counts go negative later",
          [(*SLOW, "\tslab->inuse = slab->objects;\n\tslab->frozen = 1;\n", "")]),
    Wrong("refill_hands_out_the_head_twice", "gives the CPU the whole freelist, the object it "
          "returns included: that object is handed out twice",
          [(*SLOW, "\tc->freelist = get_freepointer(s, freelist);", "\tc->freelist = freelist;")]),
    Wrong("refill_debugging_caches_too", "gives debugging caches a CPU slab: their objects "
          "skip the checks",
          [(*SLOW, "\tif (kmem_cache_debug(s))\n\t\treturn alloc_single(", "\tif (0)\n\t\treturn alloc_single(")]),
    Wrong("slow_free_skips_the_checks", "frees a debugging cache's object without its checks: "
          "a double free goes unreported by slub_debug",
          [(*SLOWFREE, "if (kmem_cache_debug(s) && !free_debug_processing(", "if (0 && !free_debug_processing(")]),
    Wrong("slow_free_keeps_the_count", "puts the object back without counting it free: the "
          "slab never empties",
          [(*SLOWFREE, "\tslab->freelist = x;\n\tslab->inuse--;\n", "\tslab->freelist = x;\n")]),
    Wrong("slow_free_leaves_a_full_slab_off_every_list", "does not move a slab that was full: "
          "its freed objects are never handed out again",
          [(*SLOWFREE, "\tif (!prior && s->cpu_partial_slabs) {", "\tif (0) {"),
           (*SLOWFREE, "\tif (!prior) { /* it was full: now it has a free object */\n\t\tremove_full(s, slab);\n\t\tadd_partial(n, slab);\n\t}\n", "")]),
    Wrong("slow_free_discards_below_min_partial", "gives an empty slab back to the buddy "
          "allocator however few partial slabs the node keeps",
          [(*SLOWFREE, "if (!slab->inuse && n->nr_partial >= s->min_partial) {", "if (!slab->inuse) {")]),
    Wrong("slow_free_never_discards", "keeps every empty slab: memory goes back to the buddy "
          "allocator only at a shrink",
          [(*SLOWFREE, "if (!slab->inuse && n->nr_partial >= s->min_partial) {", "if (0) {")]),
]
