# SPDX-License-Identifier: MIT
"""procfmt on real firmware: the shell's meminfo and vmstat against the Linux 6.18.44
capture in tests/data/proc-6.18 (keys, their order, meminfo's columns; never values).

tests/unit/test_procfmt.c checks the views built on the host; these checks add what only
a boot has: the DirectMap lines the arch prints after meminfo, and the whole command as
the shell runs it.  Keys the capture has and pagelab's configuration leaves out are
listed here with the option that decides (docs/mm/vmstat.md has the whole table).
"""

import os
import re

from machine import check

CAPTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "proc-6.18")

NOT_CONFIGURED = {
    # CONFIG_NUMA
    "numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
    "zone_reclaim_success", "zone_reclaim_failed",
    # CONFIG_NUMA_BALANCING
    "pgpromote_success", "pgpromote_candidate", "pgpromote_candidate_nrl",
    "numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults",
    "numa_hint_faults_local", "numa_pages_migrated",
    # CONFIG_ZONE_DEVICE
    "pgalloc_device", "allocstall_device", "pgskip_device",
}
HIGHMEM_LINES = ["HighTotal", "HighFree", "LowTotal", "LowFree"]  # CONFIG_HIGHMEM


def capture_keys(name):
    with open(os.path.join(CAPTURE, name)) as f:
        return [re.split(r"[: ]", line, maxsplit=1)[0] for line in f.read().splitlines()]


def meminfo_layout_ok(line):
    """Linux's columns: name and colon padded to 16, the number right-aligned in the next
    8 (pushed right when longer), then " kB", or nothing for the HugePages_ counts."""
    f = re.match(r"^([\w()]+):( +)(\d+)( kB)?$", line)
    return bool(f) and len(f.group(1)) < 16 and \
        len(line) - len(f.group(4) or "") == max(24, 16 + len(f.group(3)))


def check_meminfo(text, x86_32=False):
    """Every key of Linux 6.18's meminfo in its order; DirectMap1G only with 1 GiB pages
    (arch_report_meminfo prints it when direct_gbpages), HighTotal..LowFree in the 32-bit
    layout."""
    lines = text.strip("\n").splitlines()
    ours = [line.split(":")[0] for line in lines]
    want = capture_keys("meminfo")
    if "DirectMap1G" not in ours:
        want.remove("DirectMap1G")
    if x86_32:
        at = want.index("Mlocked") + 1
        want[at:at] = HIGHMEM_LINES
    check(ours == want, f"meminfo keys differ from Linux 6.18's:\n ours {ours}\nLinux {want}")
    bad = [line for line in lines if not meminfo_layout_ok(line)]
    check(not bad, f"meminfo lines not in Linux's columns: {bad}")


def check_vmstat(text, x86_32=False):
    """Every counter of Linux 6.18's vmstat for pagelab's configuration, in its order."""
    ours = [line.split(" ")[0] for line in text.strip("\n").splitlines()]
    want = [k for k in capture_keys("vmstat") if k not in NOT_CONFIGURED]
    if x86_32:
        want = [k for k in want if not k.endswith("_dma32")]
        for event in ("pgalloc", "allocstall", "pgskip"):
            want.insert(want.index(event + "_movable"), event + "_high")
    check(ours == want, f"vmstat keys differ from Linux 6.18's:\n ours {ours}\nLinux {want}")
    bad = [line for line in text.strip("\n").splitlines() if not re.match(r"^[a-z0-9_]+ \d+$", line)]
    check(not bad, f"vmstat lines not \"name value\": {bad}")
