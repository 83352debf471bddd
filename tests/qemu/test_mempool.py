# SPDX-License-Identifier: MIT
"""mempool on real firmware: the demo under memory pressure, the KTAP self-tests, and
every page back afterwards (meminfo MemFree as before the demo)."""

import re

from machine import ONE_OF_EACH, check, test


def memfree(m):
    out = m.run("meminfo")
    return int(re.search(r"^MemFree: +(\d+) kB$", out, re.M).group(1))


@test(*ONE_OF_EACH)
def mempool_serves_from_its_reserve_under_pressure(m):
    m.start().wait_for_prompt()
    out = m.run("mempool")
    check("not created yet" in out, f"mempool before the demo:\n{out}")

    # The first demo creates the pool and leaves the per-cpu lists drained; measure from there.
    out = m.run("mempool demo", timeout=120)
    check("every page back" in out, f"first demo:\n{out}")
    before = memfree(m)
    out = m.run("mempool demo", timeout=120)
    check(re.search(r"kmalloc\(16384\): +NULL", out), f"ordinary kmalloc must fail:\n{out}")
    check(re.search(r"mempool_alloc: +8 elements, 8 from the reserve, then NULL", out),
          f"the pool must serve exactly its reserve:\n{out}")
    check("Linux would wait for a free, pagelab returns NULL" in out, "the GFP_KERNEL note")
    check(re.search(r"every page back\); reserve 8 of 8", out), f"reserve refilled:\n{out}")
    after = memfree(m)
    check(after == before, f"MemFree {after} kB after the demo, {before} kB before")

    out = m.run("mempool")
    check(re.search(r"^demo +16KB +8 +8 +\d+ +16 +2$", out, re.M), f"pool statistics:\n{out}")
    out = m.run("selftest mempool")
    check("# Totals: pass:4 fail:0 skip:0 total:4" in out and "ok 1 mempool" in out,
          f"selftest mempool:\n{out}")
    out = m.run("mempool frobnicate")
    check("mempool: unknown sub-command 'frobnicate'" in out, out)
