#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: alloc+free throughput per CPU with 1, 2 and 4 vCPUs (issue 20).

Boots build/pagelab.img under SeaBIOS with -smp 1, 2 and 4, runs the shell's
`bench --cpus N OPS` (shell/bench_commands.c) on every CPU of each machine at once, and
prints, per workload, the mean pairs per second of one CPU and its ratio to the one-vCPU
run: 1.00 means a CPU went as fast with the others busy as alone.

usage: smp_bench.py [OPS] [CPU COUNT ...]      (defaults: 500000 pairs; 1 2 4)
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "qemu"))
from machine import Machine  # noqa: E402

ROW = re.compile(r"^(\S+) +(\d+|all) +(\d+) +(\d+)\.(\d+) +(\d+)(?: +\d+)?$", re.M)


def parse(out):
    """{workload: {cpu: pairs/s}} from `bench`'s table (the 'all' rows left out)."""
    table = {}
    for name, cpu, _pairs, _ms, _frac, rate in ROW.findall(out):
        if cpu != "all":
            table.setdefault(name, {})[int(cpu)] = int(rate)
    return table


def measure(cpus, ops):
    m = Machine(firmware="bios", machine="q35", smp=cpus)
    try:
        m.start().wait_for_prompt()
        out = m.run(f"bench --cpus {cpus} {ops}", timeout=600)
    finally:
        m.stop()
    if "bench: conservation check passed" not in out:
        sys.exit(f"smp_bench: `bench --cpus {cpus}` failed:\n{out}")
    return parse(out)


def main():
    args = sys.argv[1:]
    ops = int(args.pop(0)) if args else 500000
    counts = [int(a) for a in args] or [1, 2, 4]
    print(f"alloc+free pairs per second per CPU, {ops} pairs per CPU per workload, SeaBIOS q35, "
          f"QEMU TCG")
    print(f"NOISY: this host has {os.cpu_count()} cores, shared with other work; with more "
          f"vCPUs than free host cores the vCPUs take turns, so a ratio below 1 is partly the "
          f"host, not the locks")
    runs = {n: measure(n, ops) for n in counts}
    base = runs[counts[0]]
    head = f"{'workload':<11}" + "".join(f" {str(n) + ' vCPU' + ('s' if n > 1 else ''):>22}"
                                         for n in counts)
    print(head)
    for name in base:
        cells = []
        for n in counts:
            rates = runs[n].get(name, {})
            mean = sum(rates.values()) / max(len(rates), 1)
            one = sum(base[name].values()) / max(len(base[name]), 1)
            cells.append(f"{mean / 1e6:8.3f} M/s x{mean / one:5.2f}" if one else "-")
        print(f"{name:<11}" + "".join(f" {c:>22}" for c in cells))
    for n in counts:
        for name, rates in runs[n].items():
            print(f"  {n} vCPUs {name:<11} per CPU: " +
                  ", ".join(f"CPU{c} {r / 1e6:.3f} M/s" for c, r in sorted(rates.items())))
    print(f"(M/s: million pairs per second of one CPU, the mean over the CPUs; x: that against "
          f"{counts[0]} vCPU)")


if __name__ == "__main__":
    main()
