# SPDX-License-Identifier: MIT
"""`bench [--cpus N] [ops]` (shell/bench_commands.c): the table's shape, a non-zero rate
from every CPU for every workload, and every page and object back at the end.  The
numbers themselves are `make bench-smp`'s business (tools/bench/smp_bench.py): under
TCG on a shared two-core host they say nothing a test could check."""

import re

from machine import check, test

WORKLOADS = ("order-0", "order-3", "kmalloc-64", "batch-1000")
ROW = re.compile(r"^(\S+) +(\d+|all) +(\d+) +(\d+)\.(\d{3}) +(\d+)(?: +(\d+))?$", re.M)
HEADER = "workload    CPU      pairs         ms     pairs/s  ns/pair"


def check_bench(m, cpus, ops):
    out = m.run(f"bench --cpus {cpus} {ops}", timeout=120)
    check(f"bench: {cpus} CPU{'s' if cpus > 1 else ''} at once, {ops} alloc+free pairs per CPU"
          in out and HEADER in out, f"no header:\n{out}")
    rows = {(name, cpu): (int(pairs), int(rate)) for name, cpu, pairs, _ms, _f, rate, _ns
            in ROW.findall(out)}
    for name in WORKLOADS:
        for cpu in [str(c) for c in range(cpus)]:
            pairs, rate = rows.get((name, cpu), (0, 0))
            check(pairs == ops and rate > 0, f"{name} on CPU{cpu}: {pairs} pairs, {rate}/s:\n{out}")
        check(rows.get((name, "all"), (0, 0))[0] == ops * cpus, f"{name}: no 'all' row:\n{out}")
    check(len(rows) == len(WORKLOADS) * (cpus + 1), f"unexpected rows:\n{out}")
    for what in ("free pages", "per-cpu pages", "kmalloc-64 objects"):
        check(re.search(rf"^  {what} +before +(\d+)  after +\1  ok$", out, re.M),
              f"{what} did not come back:\n{out}")
    check("bench: conservation check passed" in out, f"no pass line:\n{out}")


@test(("bios", "q35", 2))
def bench_reports_every_cpu_and_gives_everything_back(m):
    """`bench --cpus 2` and `bench` on -smp 2: one row per CPU and workload, each with
    pairs done and a rate; free pages, pcp pages and kmalloc-64 objects as before;
    bad arguments refused."""
    m.start().wait_for_prompt()
    check_bench(m, 2, 3000)
    check_bench(m, 1, 1000)
    for bad, why in (("bench --cpus 3", "expected a CPU count from 1 to 2"),
                     ("bench --cpus 0", "expected a CPU count from 1 to 2"),
                     ("bench --cpus", "--cpus needs a CPU count"),
                     ("bench 0", "operation count"),
                     ("bench 10 20", "unexpected argument '20'")):
        out = m.run(bad)
        check(why in out and "conservation" not in out, f"`{bad}` printed:\n{out}")
