# SPDX-License-Identifier: MIT
"""The self-tests that once failed on healthy machines (lab 9's, lab 6's, the buddy
suite's): each case passes, or says why it cannot run here with KTAP's `# SKIP`.  The machines are the ones that
once failed: the default 512 MiB (lab 9's kmap suite has no HighMem in the 64-bit
layout) and 4 GiB on a q35 (lab 6 expected DMA, whose whole zone is smaller than its
lowmem_reserve there, to give pages to GFP_KERNEL).  QEMU allocates guest RAM only when
touched, so 4 GiB costs the host little; the 12-32 GiB buddy case is a host unit test
(test_selftest.c)."""

import re

from machine import TESTS, check
import matrix

RESULT = re.compile(r"^ {4}(ok|not ok) \d+ (\w+)( # SKIP .*)?$", re.M)


def passes_or_skips(m, suite, skipped=None):
    """Run `selftest suite`: every case ok, and (unless None) exactly the cases in
    `skipped` skipped."""
    out = m.run(f"selftest {suite}", timeout=300)
    results = RESULT.findall(out)
    check(results, f"`selftest {suite}` printed no results:\n{out}")
    failed = [name for verdict, name, _ in results if verdict != "ok"]
    check(not failed, f"`selftest {suite}` failed {failed}:\n{out}")
    got = sorted(name for _, name, skip in results if skip)
    if skipped is not None:
        check(got == sorted(skipped),
              f"`selftest {suite}` skipped {got}, expected {sorted(skipped)}:\n{out}")
    check(re.search(r"^ok 1 " + suite + "$", out, re.M), out)
    return out


LAB9_NEEDS_HIGHMEM = ["kmap_reaches_the_highmem_page", "a_held_slot_is_never_given_away",
                      "kunmap_gives_the_slot_back", "a_full_window_gives_null"]


def healthy(m):
    m.start().wait_for_prompt()
    out = passes_or_skips(m, "lab9", LAB9_NEEDS_HIGHMEM)
    check("# SKIP no HighMem in the 64-bit layout (boot with zones=x86_32" in out, out)
    passes_or_skips(m, "lab6", [])
    passes_or_skips(m, "buddy")


for firmware, mem in (("bios", "512M"), ("uefi", "512M"), ("bios", "4G"), ("uefi", "4G")):
    TESTS.append((f"selftest_passes_or_skips[{firmware}-q35-{mem}]", healthy,
                  dict(firmware=firmware, machine="q35", mem=mem)))


# Two cells of the boot matrix (`make test-matrix`, tests/qemu/matrix.py): every suite,
# above 4 GiB on each firmware; 64 GiB is more than this kind of host has, so it also
# proves the file-backed guest RAM (machine.py's Machine.memory_backend()).
for firmware, machine, mem in (("uefi", "q35", "16G"), ("bios", "pc", "64G")):
    TESTS.append((f"every_suite_passes_or_skips[{firmware}-{machine}-{mem}]",
                  matrix.every_suite_passes_or_skips,
                  dict(firmware=firmware, machine=machine, mem=mem)))
