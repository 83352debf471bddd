# SPDX-License-Identifier: MIT
"""`stress --cpus N` (shell/stress_commands.c) and the debug_race= teaching switch
(mm/debug_race.c) on -smp 4, both firmwares; the per-CPU pagesets of `zoneinfo`; the mm
self-test suites on every CPU.  docs/mm/smp.md, "Watching a race".

Operation counts stay small: under TCG on a two-core host four vCPUs share two cores.
The long run (10^6 operations per CPU, with slub_debug=FZPU and page_poison=1) is
`make soak` (tests/qemu/soak.py), not part of `make test`.
"""

import re
import time

from machine import check, image_variant, test

PASSED = "stress: conservation check passed"
FAILED = "stress: conservation check FAILED"
ROW = re.compile(r"^ {0,2}(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", re.M)
MM_SUITES = ("buddy", "slub", "mempool")


def stress_rows(out):
    """{cpu: (ops, pages, kmalloc, cache, failed, frees, remote, handoff, twice)}."""
    return {int(r[0]): tuple(int(v) for v in r[1:]) for r in ROW.findall(out)}


def check_stress_passes(m, cpus, ops, seed=1):
    out = m.run(f"stress --cpus {cpus} {ops} {seed}", timeout=300)
    check(PASSED in out, f"`stress --cpus {cpus} {ops}` did not pass:\n{out}")
    rows = stress_rows(out)
    check(sorted(rows) == list(range(cpus)), f"not one row per CPU 0-{cpus - 1}:\n{out}")
    check(all(r[0] == ops for r in rows.values()), f"a CPU did fewer than {ops} operations:\n{out}")
    check(sum(r[6] for r in rows.values()) > 0, f"no free crossed CPUs:\n{out}")
    for line in ("free-list invariants   ok", "slab validation        ok", "SLUB reports           none",
                 "buddyinfo              identical"):
        check(line in out, f"no '{line}':\n{out}")
    return out


@test(("uefi", "q35", 4), ("bios", "pc", 4))
def stress_cpus_conserves_every_page_and_object(m):
    """`stress --cpus 4` on -smp 4: every CPU does its share, frees cross CPUs, and the
    conservation and invariant checks pass; fewer CPUs too; bad counts are refused;
    plain `stress` keeps its one-CPU report."""
    m.start().wait_for_prompt()
    check_stress_passes(m, 4, 20000)
    check_stress_passes(m, 2, 5000, seed=7)
    for bad, why in (("stress --cpus 5", "expected a CPU count from 1 to 4"),
                     ("stress --cpus 0", "expected a CPU count from 1 to 4"),
                     ("stress --cpus four", "expected a CPU count from 1 to 4"),
                     ("stress --cpus", "--cpus needs a CPU count"),
                     ("stress --cpus 4 0", "operation count"),
                     ("stress 10 1 2", "unexpected argument '2'")):
        out = m.run(bad)
        check(why in out and PASSED not in out, f"`{bad}` printed:\n{out}")
    out = m.run("stress 2000")
    check("stress: 2000 operations (seed 1)" in out and "identical to before: yes" in out,
          f"plain `stress` changed:\n{out}")


@test(("bios", "q35", 4))
def stress_cpus_stops_on_ctrl_c_everywhere(m):
    """Ctrl-C stops `stress --cpus 4` on every CPU; what was held is still accounted for."""
    m.start().wait_for_prompt()
    m.send("stress --cpus 4 100000000\r")
    m.expect(r"stress --cpus 4 100000000\n")
    time.sleep(2)
    m.send("\x03")
    m.expect(r"pagelab> ", timeout=120)
    out = m.text()[m.text().rfind("stress --cpus 4 100000000"):]
    check("stress: interrupted" in out and PASSED in out, f"after Ctrl-C:\n{out}")
    rows = stress_rows(out)
    check(sorted(rows) == [0, 1, 2, 3] and all(0 < r[0] < 100000000 for r in rows.values()),
          f"not every CPU stopped part way:\n{out}")
    check_stress_passes(m, 4, 2000)


@test(("bios", "q35", 4), ("uefi", "pc", 4))
def debug_race_list_lock_loses_objects_and_says_so(m):
    """debug_race=list_lock: the boot log warns, `cpus` says UNSAFE, and `stress --cpus 4`
    sees SLUB lose (or duplicate) objects; the shell still answers afterwards."""
    m.image = image_variant("debug-race-list-lock", cmdline="console=ttyS0 debug_race=list_lock\n")
    m.start().wait_for_prompt()
    check("NOTICE: debug_race=list_lock, pagelab's teaching switch" in m.text(),
          "no loud boot notice")
    check("UNSAFE: debug_race=list_lock: n->list_lock is not taken" in m.run("cpus"),
          "`cpus` does not show the switch")
    for seed in range(1, 6):  # a race is a matter of timing: a few tries
        out = m.run(f"stress --cpus 4 1000000 {seed}", timeout=300)
        check("expect this run to fail" in out, out)
        if FAILED in out:
            break
    check(FAILED in out and "debug_race=list_lock" in out, f"no failure reported in 5 runs:\n{out}")
    check(re.search(r"race: \d+ times a CPU entered a path that skips n->list_lock", out), out)
    check(re.search(r"(MISSING|EXTRA) \d+|handed out twice|stuck inside the allocator|stuck in a list the race broke", out), out)
    check("still here" in m.run("echo still here"), "the shell stopped answering")


@test(("uefi", "q35", 4))
def zoneinfo_has_a_pageset_per_cpu(m):
    """zoneinfo on -smp 4: every populated zone lists `cpu: 0` .. `cpu: 3` pagesets."""
    m.start().wait_for_prompt()
    out = m.run("zoneinfo")
    zones = re.split(r"^Node 0, zone +", out, flags=re.M)[1:]
    populated = [z for z in zones if "pagesets" in z]
    check(populated, f"no zone with pagesets:\n{out}")
    for z in populated:
        cpus = [int(c) for c in re.findall(r"^    cpu: (\d+)$", z, re.M)]
        check(cpus == [0, 1, 2, 3], f"pagesets for CPUs {cpus}, expected 0-3:\n{z}")


@test(("bios", "q35", 4), ("uefi", "q35", 4))
def mm_selftests_pass_on_every_cpu(m):
    """`on N selftest <suite>` for buddy, slub and mempool on each of 4 CPUs."""
    m.start().wait_for_prompt()
    for cpu in range(4):
        for suite in MM_SUITES:
            out = m.run(f"on {cpu} selftest {suite}", timeout=300)
            check(re.search(rf"^ok 1 {suite}$", out, re.M) and "not ok" not in out,
                  f"`on {cpu} selftest {suite}` did not pass:\n{out}")


def slab_files(m, cache):
    """`slab <cache>` as {file: content}."""
    out = m.run(f"slab {cache}")
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@test(("bios", "pc", 4), ("uefi", "q35", 4))
def sheaves_on_every_cache_under_stress(m):
    """slub_sheaves=all (Linux 7.0's rule: every cache but the boot and debugging ones has
    per-CPU sheaves): the kmalloc caches get 7.0's capacities, `stress --cpus 4` runs its
    allocations through the sheaves and the barn and conserves every object, and the
    SLUB self-tests pass on a second CPU.  The default boot keeps 6.18's rule: only
    stress_cache, which asks, has them."""
    m.image = image_variant("sheaves-all", cmdline="console=ttyS0 slub_sheaves=all\n")
    m.start().wait_for_prompt()
    check(slab_files(m, "kmalloc-64").get("sheaf_capacity") == "60", m.run("slab kmalloc-64"))
    check(slab_files(m, "kmalloc-1k").get("sheaf_capacity") == "12", m.run("slab kmalloc-1k"))
    check(slab_files(m, "kmem_cache").get("sheaf_capacity") == "0", "a boot cache has sheaves")
    check_stress_passes(m, 4, 20000)
    files = slab_files(m, "kmalloc-64")
    served = int(files["alloc_cpu_sheaf"].split()[0])
    check(served > 0 and re.search(r"C[1-3]=\d+", files["alloc_cpu_sheaf"]),
          f"kmalloc-64's sheaves served nothing on CPUs 1-3:\n{files}")
    out = m.run("cache info stress_cache")
    check("sheaves of 8: 0 objects in the CPUs' sheaves, barn 0 full (0 objects) + 0 empty" in out,
          f"stress settled, its sheaves should be empty:\n{out}")
    for cpu in range(4):  # each CPU's own line; after the shrink, nothing held anywhere
        check(f"  CPU {cpu}: no cpu slab, 0 cpu partial slabs, sheaves 0 + 0 objects\n" in out,
              f"no settled line for CPU {cpu}:\n{out}")
    out = m.run("on 1 selftest slub", timeout=300)
    check(re.search(r"^ok 1 slub$", out, re.M) and "not ok" not in out, out)
