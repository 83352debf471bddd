#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The concurrency soak (`make soak`): `stress --cpus 4` with 10^6 operations per CPU on
-smp 4, plain, with slub_debug=FZPU, with page_poison=1 and with slub_sheaves=all
(every cache's allocations through per-CPU sheaves and the barn), each ending in the
conservation and invariant checks (shell/stress_commands.c).  Too long for `make test`;
prints one line per run and a total, to quote.

usage: soak.py [--ops N] [--firmware bios|uefi] [--jobs N]
"""

import argparse
import concurrent.futures
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import Machine, image_variant  # noqa: E402

CONFIGS = (("plain", ""), ("slub_debug=FZPU", "slub_debug=FZPU"),
           ("page_poison=1", "page_poison=1"), ("slub_sheaves=all", "slub_sheaves=all"))
ROW = re.compile(r"^all +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", re.M)


def soak_one(name, option, firmware, ops):
    m = Machine(firmware, "q35", smp=4)
    if option:
        m.image = image_variant("soak-" + option.replace("=", "-"),
                                cmdline=f"console=ttyS0 {option}\n")
    try:
        m.start().wait_for_prompt()
        t0 = time.monotonic()
        out = m.run(f"stress --cpus 4 {ops}", timeout=3600)
        secs = time.monotonic() - t0
        total = ROW.search(out)
        ok = "stress: conservation check passed" in out and total is not None
        return name, ok, secs, total.groups() if total else None, out
    finally:
        m.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=1000000, help="operations per CPU")
    ap.add_argument("--firmware", default="bios", choices=("bios", "uefi"))
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    failed = 0
    print(f"soak: stress --cpus 4 {args.ops} on -smp 4, {args.firmware}, q35")
    print(f"{'config':<16} {'result':<6} {'seconds':>8} {'ops':>9} {'allocs':>9} {'frees':>9} "
          f"{'remote':>8} {'failed':>6}")
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        runs = [pool.submit(soak_one, n, o, args.firmware, args.ops) for n, o in CONFIGS]
        for run in runs:
            name, ok, secs, total, out = run.result()
            if total:
                ops, pages, kmallocs, objects, fails, frees, remote = (int(v) for v in total[:7])
                print(f"{name:<16} {'ok' if ok else 'FAIL':<6} {secs:8.1f} {ops:9} "
                      f"{pages + kmallocs + objects:9} {frees:9} {remote:8} {fails:6}")
            else:
                print(f"{name:<16} FAIL   {secs:8.1f}")
            if not ok:
                failed += 1
                print(out)
    print(f"soak: {len(CONFIGS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
