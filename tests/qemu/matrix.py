#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The boot matrix: every memory size x chipset x firmware, every self-test suite.

Each cell boots build/pagelab.img, asks the shell which suites there are (the kernel's
and the labs'), runs each one and reads its KTAP: a cell passes when every case is `ok`
or `ok ... # SKIP`.  Sizes above the host's RAM are backed by a sparse file
(machine.py's Machine.memory_backend()).  The table it prints is what issue notes quote.

usage: matrix.py [--jobs N] [--sizes 64M,4G] [--machines q35,pc] [--firmwares uefi,bios]

`make test-matrix` runs all 24 cells; `make test` runs two of them (test_selftest.py).
"""

import argparse
import concurrent.futures
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import IMAGE, Machine, check  # noqa: E402

SIZES = ("64M", "512M", "3G", "4G", "16G", "64G")
MACHINES = ("q35", "pc")
FIRMWARES = ("uefi", "bios")

CASE = re.compile(r"^ {4}(ok|not ok) \d+ (\w+)( # SKIP .*)?$", re.M)
SUITE = re.compile(r"^(ok|not ok) \d+ (\w+)( # SKIP)?$", re.M)
SUITE_LIST = re.compile(r"selftest: no suite '\?'; there are: (.*?) \(suite\.case")


def suite_names(m):
    """Every suite this kernel has, the kernel's then the labs', as `selftest` lists
    them when asked for one it does not know."""
    out = m.run("selftest ?")
    found = SUITE_LIST.search(out.replace("\n", " "))
    check(found, f"`selftest ?` did not list the suites:\n{out}")
    return found.group(1).split()


def run_suite(m, suite):
    """Run `selftest suite` and judge its KTAP: "ok" (every case passed), "skip" (every
    case passed or was skipped, at least one skipped), or "fail" with the reason."""
    out = m.run(f"selftest {suite}", timeout=600)
    cases = CASE.findall(out)
    verdict = SUITE.findall(out)
    if not cases or len(verdict) != 1 or verdict[0][1] != suite:
        return "fail", f"`selftest {suite}` printed no KTAP result:\n{out}"
    failed = [name for v, name, _ in cases if v != "ok"]
    if failed or verdict[0][0] != "ok":
        return "fail", f"`selftest {suite}` failed {failed}:\n{out}"
    return ("skip" if any(skip for _, _, skip in cases) else "ok"), None


def every_suite(m):
    """Boot `m` and run every suite; returns {suite: (verdict, detail)}."""
    m.start().wait_for_prompt()
    return {suite: run_suite(m, suite) for suite in suite_names(m)}


def every_suite_passes_or_skips(m):
    """The QEMU test form of one cell (test_selftest.py registers some)."""
    results = every_suite(m)
    failed = [detail for verdict, detail in results.values() if verdict == "fail"]
    check(not failed, "\n".join(failed))


def run_cell(size, machine, firmware):
    """One cell: (boot seconds or None, {verdict: [suites]}, error text or None)."""
    m = Machine(firmware=firmware, machine=machine, mem=size)
    try:
        results = every_suite(m)
        by_verdict = {"ok": [], "skip": [], "fail": []}
        for suite, (verdict, _) in results.items():
            by_verdict[verdict].append(suite)
        errors = [detail for verdict, detail in results.values() if verdict == "fail"]
        return m.boot_seconds, by_verdict, "\n".join(errors) or None
    except Exception as e:  # noqa: BLE001 - a cell that cannot boot is a finding too
        return getattr(m, "boot_seconds", None), None, \
            f"{e}\n----- serial log -----\n{m.text()}\n----- end of log -----"
    finally:
        m.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sizes", default=",".join(SIZES))
    ap.add_argument("--machines", default=",".join(MACHINES))
    ap.add_argument("--firmwares", default=",".join(FIRMWARES))
    args = ap.parse_args()
    if not os.path.exists(IMAGE):
        print(f"{IMAGE} is missing: run `make` first", file=sys.stderr)
        return 1
    cells = [(s, mc, fw) for s in args.sizes.split(",") for mc in args.machines.split(",")
             for fw in args.firmwares.split(",")]
    t0 = time.monotonic()
    rows, failed = [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for (size, machine, firmware), (boot, verdicts, error) in zip(
                cells, pool.map(lambda c: run_cell(*c), cells)):
            cell = f"{size}-{machine}-{firmware}"
            if error:
                failed += 1
                print(f"FAIL {cell}\n{error}", flush=True)
            else:
                print(f"ok   {cell}", flush=True)
            rows.append((size, machine, firmware, boot, verdicts))

    print(f"\n| memory | chipset | firmware | prompt after | suites ok | with SKIPs | failed |")
    print("|---|---|---|---|---|---|---|")
    for size, machine, firmware, boot, verdicts in rows:
        when = f"{boot:.1f} s" if boot is not None else "no prompt"
        if verdicts is None:
            counts = ["-", "-", "-"]
        else:
            counts = [str(len(verdicts["ok"])),
                      f"{len(verdicts['skip'])} ({' '.join(verdicts['skip'])})"
                      if verdicts["skip"] else "0",
                      f"{len(verdicts['fail'])} ({' '.join(verdicts['fail'])})"
                      if verdicts["fail"] else "0"]
        print(f"| {size} | {machine} | {firmware} | {when} | " + " | ".join(counts) + " |")
    print(f"\n{len(cells) - failed} of {len(cells)} cells passed "
          f"({time.monotonic() - t0:.0f} s, {args.jobs} at a time)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
