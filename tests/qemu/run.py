#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pagelab's QEMU tests: boot build/pagelab.img on real firmware and use the shell.

Each test boots its own QEMU; independent tests run in parallel (--jobs).  A failing
test prints its serial log.  The last line is "N passed, N failed".

usage: run.py [--jobs N] [--list] [NAME ...]

NAME picks tests: a module (boot: every test in test_boot.py) or part of a test's name
(memmap).  `make check-qemu T=NAME` passes it on.
"""

import argparse
import concurrent.futures
import importlib
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import IMAGE, TESTS, Machine, TestFailure  # noqa: E402


def load_tests():
    """Import every tests/qemu/test_*.py; each registers its tests with @test."""
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        if name.startswith("test_") and name.endswith(".py"):
            importlib.import_module(name[:-3])


def picked(entry, names):
    """Whether a (name, fn, kwargs) test is one that `names` ask for."""
    module = getattr(entry[1], "__module__", "").removeprefix("test_")
    return not names or any(n == module or n in entry[0] for n in names)


def run_one(name, fn, kwargs):
    m = Machine(**kwargs)
    t0 = time.monotonic()
    try:
        fn(m)
        return name, None, time.monotonic() - t0, getattr(m, "boot_seconds", None)
    except Exception as e:  # noqa: BLE001 - any failure is reported with the serial log
        detail = e if isinstance(e, TestFailure) else traceback.format_exc()
        log = m.text()
        return name, f"{detail}\n----- serial log of {name} -----\n{log}\n----- end of log -----", \
            time.monotonic() - t0, None
    finally:
        m.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    load_tests()
    selected = [t for t in TESTS if picked(t, args.names)]
    if args.list:
        print("\n".join(t[0] for t in selected))
        return 0
    if not os.path.exists(IMAGE):
        print(f"{IMAGE} is missing: run `make` first", file=sys.stderr)
        return 1

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name, error, secs, boot in pool.map(lambda t: run_one(*t), selected):
            extra = f", prompt after {boot:.1f} s" if boot else ""
            print(f"{'ok  ' if not error else 'FAIL'} {name} ({secs:.1f} s{extra})", flush=True)
            if error:
                failed += 1
                print(error, flush=True)
    print(f"{len(selected) - failed} passed, {failed} failed")
    return 1 if failed or not selected else 0


if __name__ == "__main__":
    sys.exit(main())
