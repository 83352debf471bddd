#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make bench: what one alloc_pages() + __free_pages() pair costs, orders 0, 3 and 9.

Runs tools/bench/buddy_bench.c (the kernel's mm/ code on the host, -O2) twice:
  1. on its own, for nanoseconds per pair (wall clock, best of five rounds);
  2. under valgrind's callgrind, once per order, counting only the instructions
     executed inside bench_pair_oN (--toggle-collect), divided by the pairs run.
Instruction counts do not depend on the machine or its load; nanoseconds do.

usage: buddy_bench.py path/to/buddy_bench
"""

import os
import re
import subprocess
import sys
import tempfile

PAIRS = 20000
# The goals, in instructions per pair (docs/mm/buddy.md's table).
TARGETS = {0: 50, 3: 200, 9: 400}


def instructions(binary, order):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        f"--toggle-collect=bench_pair_o{order}", binary, "--pairs", str(PAIRS)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            total = int(re.search(r"^(?:summary|totals): (\d+)", f.read(), re.M).group(1))
    return total / PAIRS


def main():
    binary = sys.argv[1]
    ns = {}
    for line in subprocess.run([binary], check=True, capture_output=True, text=True).stdout.splitlines():
        m = re.match(r"order (\d+): ([\d.]+) ns", line)
        ns[int(m.group(1))] = float(m.group(2))
    print("order   ns/pair   instructions/pair   target   ")
    for order in (0, 3, 9):
        ir = instructions(binary, order)
        verdict = "met" if ir <= TARGETS[order] else "missed"
        print(f"{order:5d} {ns[order]:9.1f} {ir:19.1f} {TARGETS[order]:8d}   {verdict}")


if __name__ == "__main__":
    main()
