#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: how long pagelab's memory-model set-up takes per GiB of RAM.

Boots build/pagelab.img under SeaBIOS at several memory sizes and reads the boot log's
own timestamps: from the "x86/mm: kernel page tables live" line (init_mem_mapping done)
to the "Memory:" line (sparse_init + free_area_init + memblock_free_all done).  Prints
one line per size and the cost per GiB.  QEMU runs without KVM here, so the numbers
compare sizes and changes to the code, not hardware.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "qemu"))
from machine import Machine  # noqa: E402

STAMP = r"\[ *(\d+\.\d{6})\] "


def measure(mem):
    m = Machine(firmware="bios", machine="q35", mem=mem)
    try:
        m.start().wait_for_prompt()
        log = m.run("dmesg")
    finally:
        m.stop()
    start = float(re.search(STAMP + r"x86/mm: kernel page tables live", log).group(1))
    end = float(re.search(STAMP + r"Memory: ", log).group(1))
    memmap = int(re.search(r"sparse: \d+ sections of \d+ MiB present, memmap (\d+) KiB", log).group(1))
    total_kib = int(re.search(r"Memory: \d+K/(\d+)K", log).group(1))
    return end - start, memmap, total_kib


def main():
    print(f"{'RAM':>6} {'present':>10} {'memmap':>10} {'set-up':>9} {'per GiB':>9}")
    for mem in sys.argv[1:] or ["1G", "4G", "8G"]:
        secs, memmap_kib, total_kib = measure(mem)
        gib = total_kib / (1024 * 1024)
        print(f"{mem:>6} {total_kib // 1024:>8}Mi {memmap_kib // 1024:>8}Mi {secs * 1000:>7.1f}ms "
              f"{secs * 1000 / gib:>7.1f}ms")


if __name__ == "__main__":
    main()
