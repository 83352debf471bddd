# SPDX-License-Identifier: MIT
"""SLUB on real firmware: kmalloc size classes in /proc/slabinfo's layout, the
debugging reports of every `slubtest` experiment (each must print its report and give the
prompt back), and slub_debug= from the command line.  One boot of each firmware path.
"""

import re

from machine import ONE_OF_EACH, check, image_variant, test

HEADER = ("slabinfo - version: 2.1\n"
          "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
          " : tunables <limit> <batchcount> <sharedfactor>"
          " : slabdata <active_slabs> <num_slabs> <sharedavail>\n")
LINE = re.compile(r"^(\S+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) : tunables +0 +0 +0"
                  r" : slabdata +(\d+) +(\d+) +0$")


def slabinfo(m):
    out = m.run("slabinfo")
    check(out.startswith(HEADER), f"slabinfo header:\n{out}")
    caches = {}
    for line in out[len(HEADER):].splitlines():
        f = LINE.match(line)
        check(f, f"slabinfo line not in 2.1 layout: {line!r}")
        check(len(f.group(1)) <= 17 or line[len(f.group(1))] == " ", f"name column: {line!r}")
        caches[f.group(1)] = [int(x) for x in f.groups()[1:]]
    return caches


@test(*ONE_OF_EACH)
def kmalloc_100_is_served_by_kmalloc_128(m):
    m.start().wait_for_prompt()
    check("SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=1, Nodes=1" in m.run("dmesg"),
          "no SLUB line in the boot log")
    before = slabinfo(m)
    for name, size in (("kmalloc-8", 8), ("kmalloc-96", 96), ("kmalloc-192", 192),
                       ("kmalloc-1k", 1024), ("kmalloc-8k", 8192), ("dma-kmalloc-64", 64)):
        check(name in before and before[name][2] == size, f"{name}: {before.get(name)}")
    check(before["kmalloc-8k"][3:5] == [4, 8], f"kmalloc-8k: 4 objects in 8 pages: {before['kmalloc-8k']}")
    check(list(before)[-2:] == ["kmem_cache_node", "kmem_cache"], "the boot caches come last")

    out = m.run("kmalloc 100")
    got = re.search(r"kmalloc\(100\) = (0xffff888[0-9a-f]{9}) from kmalloc-128 \(ksize 128\)", out)
    check(got, f"kmalloc 100:\n{out}")
    after = slabinfo(m)
    active, total, objsize, perslab, pages, active_slabs, slabs = after["kmalloc-128"]
    check(objsize == 128 and perslab == 32 and pages == 1, f"kmalloc-128: {after['kmalloc-128']}")
    check(active >= 1 and total >= before["kmalloc-128"][1] and slabs >= 1,
          f"kmalloc-128 before {before['kmalloc-128']} after {after['kmalloc-128']}")
    check("kfree(" in m.run(f"kfree {got.group(1)}"), "kfree of the object")
    check("was not handed out by the shell" in m.run(f"kfree {got.group(1)}"),
          "the shell refuses to free what it no longer holds")

    unreclaim = lambda: int(re.search(r"^SUnreclaim: +(\d+) kB$", m.run("meminfo"), re.M).group(1))
    before_kb = unreclaim()
    out = m.run("kmalloc 20000")
    check("from the page allocator (ksize 32768)" in out, f"kmalloc 20000:\n{out}")
    check(unreclaim() == before_kb + 32, "meminfo's SUnreclaim grows by the 32 KiB block")
    # `kmalloc` alone lists what the shell holds, each object with the cache it came from.
    out = m.run("kmalloc 100 dma")
    dma = re.search(r"kmalloc\(100\) = (0xffff888[0-9a-f]{9}) from dma-kmalloc-128 \(ksize 128\)", out)
    check(dma, f"kmalloc 100 dma:\n{out}")
    out = m.run("kmalloc")
    check(re.search(rf"^  {dma.group(1)}     100 bytes  dma-kmalloc-128$", out, re.M) and
          re.search(r"^  0x[0-9a-f]{16}   20000 bytes  pages \(kmalloc_large\)$", out, re.M),
          f"kmalloc's listing:\n{out}")
    out = m.run("slabtop 5")
    check(" Active / Total Objects (% used)    : " in out and
          "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME" in out, f"slabtop:\n{out}")
    out = m.run("cache create lab 100 16")
    check("object_size 100, size 112 (stride), align 16" in out, f"cache create:\n{out}")
    out = m.run("cache alloc lab 3")
    check(out.count("kmem_cache_alloc(lab) = 0x") == 3, f"cache alloc:\n{out}")
    check("0 problems found" in m.run("cache validate lab"), "validate a healthy cache")
    for addr in re.findall(r"= (0x[0-9a-f]+)", out):
        m.run(f"cache free lab {addr}")
    check("destroyed" in m.run("cache destroy lab"), "cache destroy")
    check("lab " not in m.run("slabinfo"), "the destroyed cache left slabinfo")


EXPERIMENTS = {
    "redzone": ["BUG slubtest-redzone (Not tainted): Right Redzone overwritten",
                "First byte 0x78 instead of 0xcc", "Redzone  ffff888", "Object   ffff888",
                "FIX slubtest-redzone: Restoring Right Redzone 0x",
                "FIX slubtest-redzone: Object at 0x"],
    "kmalloc-redzone": ["): kmalloc Redzone overwritten",
                        "FIX slubtest-kmalloc: Restoring kmalloc Redzone 0x"],
    "use-after-free": ["): Poison overwritten", "First byte 0x6f instead of 0x6b",
                       "Allocated in test_use_after_free+0x", "Freed in test_use_after_free+0x",
                       "kkkkkkkkoopskkkk", "FIX slubtest-uaf: Marking all objects used"],
    "double-free": ["): Object already free", "FIX slubtest-double-free: Object at 0x"],
    "freelist": ["): Freepointer corrupt", "FIX slubtest-freelist: Marking all objects used"],
    "destroy-live": ["): Objects remaining in slubtest-destroy on __kmem_cache_shutdown()",
                     "kmem_cache_destroy slubtest-destroy: Slab cache still has objects",
                     "kmem_cache_destroy again: gone"],
    "hardened": ["freed onto itself (double free or corruption)",
                 "FIX slubtest-hardened: Object at 0x"],
}


@test(*ONE_OF_EACH)
def every_slubtest_experiment_reports_and_the_shell_goes_on(m):
    m.start().wait_for_prompt()
    for kind, expected in EXPERIMENTS.items():
        out = m.run(f"slubtest {kind}")  # returns only once the prompt is back
        for text in expected:
            check(text in out, f"slubtest {kind}: missing {text!r} in:\n{out}")
        check("; the kernel goes on" in out, f"slubtest {kind}:\n{out}")
    check("alive" in m.run("echo alive"), "the shell after the experiments")
    caches = slabinfo(m)
    check("slubtest-uaf" in caches and "slubtest-redzone" not in caches,
          "isolating experiments keep their cache, the others destroy it")



CACHES = {"redzone": "slubtest-redzone", "kmalloc-redzone": "slubtest-kmalloc",
          "use-after-free": "slubtest-uaf", "double-free": "slubtest-double-free",
          "freelist": "slubtest-freelist", "destroy-live": "slubtest-destroy",
          "hardened": "slubtest-hardened"}


@test(*ONE_OF_EACH)
def slubtest_never_experiments_in_a_users_cache(m):
    """A user's cache that has an experiment's name is left alone: slubtest refuses, and
    the cache still allocates, validates and is destroyed.  Then, once the name is free,
    the experiment runs in its own cache."""
    m.start().wait_for_prompt()
    for kind, name in CACHES.items():
        check("object_size 64" in m.run(f"cache create {name} 64"), f"cache create {name}")
        out = m.run(f"slubtest {kind}")
        check(out.rstrip() == f"slubtest: {name} was not made by slubtest, and an experiment misuses only "
                     f"a cache of its own (`cache destroy {name}` first)",
              f"slubtest {kind} in the user's {name}:\n{out}")
        out = m.run(f"cache alloc {name} 2")
        addrs = re.findall(rf"^kmem_cache_alloc\({name}\) = (0x[0-9a-f]+)$", out, re.M)
        check(len(addrs) == 2, f"cache alloc {name} after slubtest {kind}:\n{out}")
        check("0 problems found" in m.run(f"cache validate {name}"), f"{name} is intact")
        for addr in addrs:
            m.run(f"cache free {name} {addr}")
        check("destroyed" in m.run(f"cache destroy {name}"), f"cache destroy {name}")
        out = m.run(f"slubtest {kind}")
        check(all(text in out for text in EXPERIMENTS[kind]) and "; the kernel goes on" in out,
              f"slubtest {kind} in a cache of its own:\n{out}")
    # An experiment that keeps its (damaged) cache runs in it again: that one is its own.
    out = m.run("slubtest use-after-free")
    check("): Poison overwritten" in out and "; the kernel goes on" in out, out)
    check("alive" in m.run("echo alive"), "the shell after the experiments")

@test(*ONE_OF_EACH)
def selftest_slub_passes(m):
    m.start().wait_for_prompt()
    out = m.run("selftest slub", timeout=120)
    check(out.startswith("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: slub\n"),
          f"selftest slub:\n{out}")
    check("\nok 1 slub\n" in out and "not ok" not in out, f"selftest slub:\n{out}")
    check(re.search(r"# slub: pass:\d+ fail:0 skip:0 ", out), f"selftest slub:\n{out}")
    check("alive" in m.run("echo alive"), "the shell after the self-tests")


@test(*ONE_OF_EACH)
def slub_debug_on_the_command_line(m):
    m.image = image_variant("slub-debug", cmdline="console=ttyS0 slub_debug=FZPU,kmalloc-64\n")
    m.start().wait_for_prompt()
    out = m.run("cache info kmalloc-64")
    check("debug FZPU" in out, f"kmalloc-64 under slub_debug:\n{out}")
    check("debug off" in m.run("cache info kmalloc-128"), "only the named cache is debugged")
    caches = slabinfo(m)
    check(caches["kmalloc-64"][2] > 64, f"kmalloc-64 objects carry red zones and tracking: "
          f"{caches['kmalloc-64']}")
    out = m.run("kmalloc 50")
    check("from kmalloc-64 (ksize 64)" in out, f"kmalloc 50:\n{out}")
    addr = re.search(r"= (0x[0-9a-f]+)", out).group(1)
    out = m.run(f"kfree {addr}")
    check("BUG" not in out, f"a clean kfree under debugging:\n{out}")
