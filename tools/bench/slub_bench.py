#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SLUB against glibc malloc, jemalloc, mimalloc and tcmalloc (`make bench-slub`).

Runs tools/bench/slub_bench.c, built once per allocator into DIR, for each pattern and
prints one table: instructions per alloc+free pair (valgrind callgrind), nanoseconds per
pair (best of five runs), and, for the random pattern, the bytes handed out per byte
asked for.

Instructions: each binary runs at two lengths under callgrind, and the difference over
the extra pairs is the cost of one pair - start-up (SLUB boots its machine, the others
their arenas) cancels out.  The harness's own loop, measured the same way on a build
without any allocator (slub_bench-null), is subtracted, as it is from the times.

usage: slub_bench.py DIR
"""

import os
import re
import subprocess
import sys

ALLOCATORS = [("slub", "pagelab SLUB"), ("slub-sheaves", "SLUB, sheaves"),
              ("glibc", "glibc malloc"), ("jemalloc", "jemalloc"),
              ("mimalloc", "mimalloc"), ("tcmalloc", "tcmalloc")]
# The sheaves row is the SLUB binary booted with slub_sheaves=all: every kmalloc cache
# allocates through per-CPU sheaves (docs/mm/slub.md, "Sheaves").
BINARY = {"slub-sheaves": "slub"}
ENV = {"slub-sheaves": {"PAGELAB_CMDLINE": "slub_sheaves=all"}}
PATTERNS = [("pair", "64 B alloc+free"), ("batch", "1000 x 64 B, then free"),
            ("random", "8-512 B, 1000 live")]
CALLGRIND_PAIRS = (20000, 60000)
TIME_PAIRS = 2000000


def callgrind_instructions(binary, pattern, pairs, env=None):
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        binary, pattern, str(pairs)], capture_output=True, text=True,
                       env=dict(os.environ, **(env or {})))
    m = re.search(r"Collected : (\d+)", r.stderr)
    if r.returncode or not m:
        sys.exit(f"callgrind failed on {binary} {pattern}:\n{r.stderr}")
    return int(m.group(1))


def per_pair_instructions(binary, pattern, env=None):
    lo, hi = CALLGRIND_PAIRS
    return (callgrind_instructions(binary, pattern, hi, env) -
            callgrind_instructions(binary, pattern, lo, env)) / (hi - lo)


def run_value(binary, *args, env=None):
    out = subprocess.run([binary, *args], capture_output=True, text=True, check=True,
                         env=dict(os.environ, **(env or {}))).stdout
    return float(out.split()[-1])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    path = lambda name: os.path.join(d, f"slub_bench-{BINARY.get(name, name)}")  # noqa: E731
    null_ir = {p: per_pair_instructions(path("null"), p) for p, _ in PATTERNS}
    null_ns = {p: run_value(path("null"), p, str(TIME_PAIRS), "time") for p, _ in PATTERNS}
    print(f"Per alloc+free pair, harness subtracted ({null_ir['pair']:.1f} instructions, "
          f"{null_ns['pair']:.2f} ns for the pair loop).  Instructions: callgrind, "
          f"{CALLGRIND_PAIRS[1] - CALLGRIND_PAIRS[0]} pairs; time: best of 5 x {TIME_PAIRS}.\n")
    header = f"{'allocator':<14}" + "".join(f" | {label:^24}" for _, label in PATTERNS)
    print(header + " | random: bytes given/asked")
    print(f"{'':<14}" + " | {:>11} {:>12}".format("instr", "ns") * len(PATTERNS) + " |")
    print("-" * (len(header) + 28))
    results = {}
    for name, label in ALLOCATORS:
        row = f"{label:<14}"
        env = ENV.get(name)
        for p, _ in PATTERNS:
            ir = per_pair_instructions(path(name), p, env) - null_ir[p]
            ns = run_value(path(name), p, str(TIME_PAIRS), "time", env=env) - null_ns[p]
            results[(name, p)] = ir
            row += f" | {ir:>11.1f} {ns:>12.2f}"
        waste = run_value(path(name), "random", "200000", "waste", env=env)
        print(row + f" | {waste:.3f}", flush=True)
    print()
    for p, label in PATTERNS:
        best_other = min((results[(n, p)], n) for n, _ in ALLOCATORS if not n.startswith("slub"))
        verdict = "fewest instructions" if results[("slub", p)] < best_other[0] else \
            f"behind {best_other[1]} ({best_other[0]:.1f})"
        print(f"{label}: SLUB {results[('slub', p)]:.1f} instructions per pair: {verdict}; "
              f"with sheaves {results[('slub-sheaves', p)]:.1f}")


if __name__ == "__main__":
    main()
