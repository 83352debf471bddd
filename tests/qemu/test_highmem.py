# SPDX-License-Identifier: MIT
"""The 32-bit layout (zones=x86_32) at 2 GiB on both firmwares: the HighMem zone and its
boot lines, meminfo's HighTotal/LowTotal and vmstat's *_high counters in Linux 6.18's
places, a HighMem page written through kmap and read back through a second mapping,
and the oops when it is touched through the direct map, where it is not mapped."""

import re

import procfmt
from machine import TESTS, check, image_variant


def highmem_layout(m):
    m.image = image_variant("highmem", cmdline="zones=x86_32 console=ttyS0\n")
    m.start().wait_for_prompt()
    dmesg = m.run("dmesg")
    for line in (r"\]   DMA      \[mem 0x0000000000001000-0x0000000000ffffff\]",
                 r"\]   Normal   \[mem 0x0000000001000000-0x00000000375fdfff\]",
                 r"\]   HighMem  \[mem 0x00000000375fe000-0x000000007[0-9a-f]{7}\]",
                 r"\] 11\d\dMB HIGHMEM available\.",
                 r"\] 885MB LOWMEM available\.",
                 r"\] Memory: \d+K/\d+K available \(.*, \d+K highmem\)"):
        check(re.search(line, dmesg), f"boot log lacks {line!r}:\n{dmesg}")
    check("DMA32" not in dmesg, "the 32-bit layout has no DMA32 zone")

    zones = m.run("zoneinfo")
    high = re.search(r"zone  HighMem\n  pages free +(\d+)\n(?:.*\n)*? +spanned +(\d+)\n +present +(\d+)",
                     zones)
    check(high and int(high.group(3)) > 250000, f"HighMem zone:\n{zones}")
    check(re.search(r"start_pfn: +226814", zones), "HighMem starts at MAXMEM (pfn 0x375fe)")
    info = m.run("meminfo")  # CONFIG_HIGHMEM's HighTotal..LowFree, in Linux 6.18's place
    procfmt.check_meminfo(info, x86_32=True)
    high_total = int(re.search(r"^HighTotal: +(\d+) kB$", info, re.M).group(1))
    low_total = int(re.search(r"^LowTotal: +(\d+) kB$", info, re.M).group(1))
    check(high_total + low_total == int(re.search(r"^MemTotal: +(\d+) kB$", info, re.M).group(1)),
          f"HighTotal + LowTotal is not MemTotal:\n{info}")
    procfmt.check_vmstat(m.run("vmstat"), x86_32=True)

    out = m.run("highmem demo")
    kmapped = re.search(r"kmap: +(0x[0-9a-f]+)", out)
    check(kmapped and "reads back: \"written through kmap at " + kmapped.group(1) + "\"" in out,
          f"highmem demo:\n{out}")
    check(re.search(r"4K page: frame (0x[0-9a-f]+) .*\n(?:.*\n)*.*4K page: frame \1 ", out),
          "both mappings reach the same frame")
    out = m.run("vtop 0xffff888040000000")
    check("not mapped" in out, f"1 GiB is HighMem and must not be in the direct map:\n{out}")

    m.send("highmem touch\r")
    m.expect(r"BUG: unable to handle page fault for address: ffff8880[0-9a-f]{8}")
    m.expect(r"Oops: page fault")
    m.expect(r"pagelab> ")
    out = m.run("highmem")
    check("x86_32" in out, f"the shell works after the oops:\n{out}")


for firmware, machine in (("uefi", "q35"), ("bios", "pc")):
    TESTS.append((f"highmem_layout[{firmware}-{machine}-2G]", highmem_layout,
                  dict(firmware=firmware, machine=machine, mem="2G")))
