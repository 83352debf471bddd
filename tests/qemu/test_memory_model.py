# SPDX-License-Identifier: MIT
"""The physical memory model on real firmware: zones, struct pages, page tables.

Each memory size boots on both firmwares.  The checks tie the views together: the boot
log's node ranges are memblock's memory regions; zoneinfo's present pages add up to the
"Memory:" line's total; vtop agrees with bootinfo and with ptdump, and walks no
non-canonical address; page decodes a reserved and a free frame; meminfo's DirectMap
lines count each mapped page once.
"""

import re

from machine import TESTS, TestFailure, check

SIZES = {"128M": 128, "1G": 1024, "4G": 4096, "8G": 8192}
PAGE_OFFSET = 0xffff888000000000
KERNEL_VIRT_BASE = 0xffffffff80000000


def boot_log_checks(m, dmesg, mib):
    for line in ("Zone ranges:", "Movable zone start for each node", "Early memory node ranges"):
        check(line in dmesg, f"boot log lacks {line!r}")
    check(re.search(r"\]   DMA      \[mem 0x0000000000001000-0x0000000000ffffff\]", dmesg),
          "boot log: no DMA zone line")
    total = re.search(r"\] Memory: (\d+)K/(\d+)K available \((\d+)K kernel code, .*K reserved, "
                      r"0K cma-reserved\)", dmesg)
    check(total, "boot log: no 'Memory:' line")
    available, physical = int(total.group(1)), int(total.group(2))
    check(available <= physical <= mib * 1024, f"Memory: {available}K/{physical}K for {mib} MiB")
    check(physical > mib * 1024 * 0.9, f"Memory: only {physical}K present of {mib} MiB")
    return available, physical


def memblock_matches_node_ranges(m, dmesg):
    nodes = re.findall(r"\]   node   0: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\]", dmesg)
    out = m.run("memblock memory")
    regions = re.findall(r"^ +\d+: 0x([0-9a-f]{16})\.\.0x([0-9a-f]{16}) +0 NONE$", out, re.M)
    check(nodes and len(nodes) == len(regions), f"{len(nodes)} node ranges, memblock has:\n{out}")
    for (ns, ne), (rs, re_) in zip(nodes, regions):
        # Node ranges are whole pages; memblock regions may end mid-page.
        check(int(ns, 16) == (int(rs, 16) + 0xfff) & ~0xfff and
              int(ne, 16) + 1 == (int(re_, 16) + 1) & ~0xfff,
              f"node range {ns}-{ne} is not memblock's {rs}..{re_}")


def zoneinfo_adds_up(m, physical_kib, mib):
    out = m.run("zoneinfo")
    zones = re.findall(r"^Node 0, zone +(\w+)\n(?:  per-node stats\n(?:      .*\n)+)?"
                       r"  pages free +(\d+)\n(?:.*\n)*?"
                       r" +spanned +(\d+)\n +present +(\d+)\n +managed +(\d+)", out, re.M)
    check(zones, f"zoneinfo:\n{out}")
    present = sum(int(z[3]) for z in zones)
    check(present * 4 == physical_kib, f"zone present pages {present} != Memory: {physical_kib}K")
    for name, free, spanned, pres, managed in zones:
        check(int(spanned) >= int(pres) >= int(managed) >= int(free),
              f"zone {name}: spanned {spanned} present {pres} managed {managed} free {free}")
    normal = {z[0]: int(z[3]) for z in zones}.get("Normal", 0)
    check((normal > 0) == (mib >= 4096), f"Normal zone has {normal} pages with {mib} MiB")


def translations_agree(m):
    boot = m.run("bootinfo")
    kernel_phys = int(re.search(r"kernel: +\[mem (0x[0-9a-f]+)-", boot).group(1), 16)
    out = m.run(f"vtop {KERNEL_VIRT_BASE:#x}")
    check(f"physical {kernel_phys:#x}" in out, f"vtop of the kernel base:\n{out}\nbootinfo:\n{boot}")
    check(re.search(r"PTE\[ *0\] = .* present ro .*exec", out), f"kernel text not RO+X:\n{out}")
    out = m.run(f"vtop {PAGE_OFFSET + 0x1234567:#x}")
    check("physical 0x1234567" in out and " nx" in out, f"vtop of the direct map:\n{out}")
    out = m.run("vtop 0x0")
    check("not mapped" in out, f"NULL is mapped:\n{out}")
    # The direct map's address without its 0xffff: the CPU faults before any walk, so
    # vtop must not walk the index bits to the direct map's entries.
    out = m.run(f"vtop {PAGE_OFFSET & ~(0xffff << 48):#x}")
    check(out.startswith("virtual 0x888000000000: non-canonical (bits 63-48 must be copies of "
                         "bit 47)\n") and "it would be 0xffff888000000000" in out
          and "physical" not in out, f"a non-canonical address is not mapped:\n{out}")
    dump = m.run("ptdump")
    covering = [l for l in dump.splitlines() if l.startswith("0x") and
                int(l[2:18], 16) <= PAGE_OFFSET + 0x1234567 < int(l[21:37], 16)]
    check(len(covering) == 1 and " RW " in covering[0] and covering[0].split()[-2] == "NX",
          f"ptdump around the direct-map address: {covering}")
    check("---[ High Kernel Mapping ]---" in dump and "---[ Vmemmap ]---" in dump,
          f"ptdump headings:\n{dump}")


def direct_map_counted_once(m):
    """meminfo's DirectMap lines add up to what ptdump finds mapped in the direct map: a
    range mapped twice (the first MiB's RAM, once with the ISA range and once with
    memblock) must not be counted twice.  Device memory above the first MiB (OVMF's
    framebuffer, mapped uncached by ioremap()) is not RAM, and Linux does not count it."""
    mapped, section = 0, None
    for line in m.run("ptdump").splitlines():
        if line.startswith("---["):
            section = line
        elif section == "---[ Low Kernel Mapping ]---" and line.startswith("0x") and \
                re.search(r" (RW|ro) ", line):
            start, end = int(line[2:18], 16), int(line[21:37], 16)
            if not (" PCD " in line and start - PAGE_OFFSET >= 1 << 20):
                mapped += end - start
    info = m.run("meminfo")
    counted = sum(int(k) for k in re.findall(r"^DirectMap\w+: +(\d+) kB", info, re.M)) * 1024
    check(counted == mapped, f"DirectMap lines add up to {counted // 1024} kB, ptdump's direct "
                             f"map holds {mapped // 1024} kB:\n{info}")


def page_decodes(m):
    out = m.run("page 0x1")
    check("reserved" in out and "flags: " in out, f"page 0x1:\n{out}")
    for pfn in (0x1000, 0x2000, 0x3000, 0x4000, 0x6000):
        out = m.run(f"page {pfn:#x}")
        if "free, in the buddy allocator" in out:
            break
    else:
        raise TestFailure(f"no free frame among the candidates; last:\n{out}")
    out = m.run("page 0x7fffffffff")
    check("has no struct page" in out, f"page beyond RAM:\n{out}")


def memory_model(m):
    mib = SIZES[m.mem]
    m.start().wait_for_prompt()
    dmesg = m.run("dmesg")
    _, physical = boot_log_checks(m, dmesg, mib)
    memblock_matches_node_ranges(m, dmesg)
    zoneinfo_adds_up(m, physical, mib)
    translations_agree(m)
    direct_map_counted_once(m)
    page_decodes(m)


for size in SIZES:
    for firmware, machine in (("uefi", "q35"), ("bios", "q35")):
        TESTS.append((f"memory_model[{firmware}-{machine}-{size}]", memory_model,
                      dict(firmware=firmware, machine=machine, mem=size)))
