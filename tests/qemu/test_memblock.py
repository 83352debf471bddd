# SPDX-License-Identifier: MIT
"""memblock and the e820 table on real firmware.

Every boot checks that `memblock` prints Linux's debugfs layout, well formed; that its
memory is exactly the firmware map's usable RAM (EFI usable descriptors, or E820 usable
entries) minus page 0 and 640K-1M, in whole pages; that `e820` agrees; and that the
first MiB, the kernel and the loader's boot_info and memory map are reserved.  With
memblock=debug, the kernel's boot-time dump must be exactly what build/mmsim prints for
the same `memmap` and `bootinfo`: the simulator runs the kernel's code, not a copy.
"""

import os
import re
import subprocess

from machine import BUILD, EVERY_MACHINE, ONE_OF_EACH, check, image_variant, test
from ranges import PAGE, merge, subtract, whole_pages

DEBUGFS_LINE = re.compile(r"^ {0,3}(\d+): 0x([0-9a-f]{16})\.\.0x([0-9a-f]{16}) +(\d+|x) ([A-Z_]+)$")
# How %pS ends a caller in memblock=debug lines: "+offset/size" after the function name.
CALLER = r"\+0x[0-9a-f]+/0x[0-9a-f]+$"
EFI_USABLE = {"Loader Code", "Loader Data", "Boot Code", "Boot Data", "Conventional"}


def parse_debugfs_block(lines, name):
    """The regions of one debugfs file; checks the layout line by line."""
    regions = []
    for i, line in enumerate(lines):
        m = DEBUGFS_LINE.match(line)
        check(m, f"{name}: line {line!r} is not in debugfs layout")
        idx, start, end, nid, flag = m.groups()
        check(int(idx) == i, f"{name}: index {idx} where {i} was expected")
        start, end = int(start, 16), int(end, 16) + 1
        check(start < end, f"{name}: empty or inverted region {line!r}")
        if regions:
            check(regions[-1][1] < start or (regions[-1][1] == start and regions[-1][2] != (nid, flag)),
                  f"{name}: regions {i - 1} and {i} overlap or should have merged")
        regions.append((start, end, (nid, flag)))
    return regions


def parse_memblock(out):
    blocks = re.split(r"^==> /sys/kernel/debug/memblock/(memory|reserved) <==$", out, flags=re.M)
    check(len(blocks) == 5 and blocks[1] == "memory" and blocks[3] == "reserved",
          f"memblock: expected a memory and a reserved block:\n{out}")
    memory = parse_debugfs_block([l for l in blocks[2].splitlines() if l], "memory")
    reserved = parse_debugfs_block([l for l in blocks[4].splitlines() if l], "reserved")
    for s, e, (nid, flag) in memory:
        check(nid == "0" and flag == "NONE", f"memory region {s:#x}: node {nid}, flag {flag}")
    return [(s, e) for s, e, _ in memory], [(s, e) for s, e, _ in reserved]


def firmware_ram(m, memmap):
    """Usable RAM according to the map the loader handed over, as [start, end) ranges."""
    if m.firmware == "uefi":
        lines = re.findall(r"^efi: mem\d+: \[(.{12})\|(.*?)\] range=\[0x([0-9a-f]{16})-0x([0-9a-f]{16})\]",
                           memmap, re.M)
        check(lines, f"memmap: no EFI descriptors:\n{memmap}")
        return [(int(s, 16), int(e, 16) + 1) for t, attrs, s, e in lines
                if t.strip() in EFI_USABLE and "SP" not in [a.strip() for a in attrs.split("|")]]
    lines = re.findall(r"^BIOS-e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] usable$", memmap, re.M)
    check(lines, f"memmap: no usable E820 entries:\n{memmap}")
    return [(int(s, 16), int(e, 16) + 1) for s, e in lines]


def check_e820(out, memory):
    entries = re.findall(r"^e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (.+)$", out, re.M)
    check(entries, f"e820: no entries:\n{out}")
    spans = [(int(s, 16), int(e, 16) + 1, t) for s, e, t in entries]
    for (s0, e0, _), (s1, _, _) in zip(spans, spans[1:]):
        check(e0 <= s1, f"e820: entries not sorted or overlapping at {s1:#x}")
    check(spans[0][:3] == (0, PAGE, "reserved"), f"e820: page 0 is not reserved: {spans[0]}")
    usable = [(s, e) for s, e, t in spans if t == "usable"]
    check(all(e <= 0xa0000 or s >= 0x100000 for s, e in usable),
          "e820: usable RAM between 640K and 1M")
    check(whole_pages(merge(usable)) == memory,
          f"e820's usable RAM in whole pages {whole_pages(merge(usable))} is not memblock's {memory}")


def covered(ranges, start, end):
    return any(s <= start and end <= e for s, e in ranges)


@test(*EVERY_MACHINE)
def memblock_is_the_firmware_ram(m):
    """memblock.memory = the firmware's usable RAM; the kernel and the loader's data reserved."""
    m.start().wait_for_prompt()
    memory, reserved = parse_memblock(m.run("memblock"))
    memmap, bootinfo = m.run("memmap"), m.run("bootinfo")

    want = merge(firmware_ram(m, memmap))
    for hole in ((0, PAGE), (0xa0000, 0x100000)):  # trim_bios_range
        want = subtract(want, hole)
    want = whole_pages(merge(want))  # memblock_trim_memory
    check(memory == want, f"memblock memory {[(hex(s), hex(e)) for s, e in memory]}\n"
          f"firmware RAM      {[(hex(s), hex(e)) for s, e in want]}")
    check_e820(m.run("e820"), memory)

    check(covered(reserved, 0, 0x100000), "the first MiB is not reserved")
    kernel = re.search(r"^kernel: +\[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\]", bootinfo, re.M)
    check(kernel and covered(reserved, int(kernel.group(1), 16), int(kernel.group(2), 16) + 1),
          f"the kernel image is not reserved:\n{bootinfo}")
    for s, e, kind in re.findall(r"^loader range: +\[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (.+)$",
                                 bootinfo, re.M):
        if kind != "loader page tables":  # freed once the kernel has its own tables
            check(covered(reserved, int(s, 16), int(e, 16) + 1), f"loader range {kind} not reserved")


def dump_block(text):
    """The "MEMBLOCK configuration:" dump out of a log, timestamps removed."""
    lines = [re.sub(r"^\[ *\d+\.\d+\] ", "", l) for l in text.splitlines()]
    start = lines.index("MEMBLOCK configuration:")
    end = start + 1
    while end < len(lines) and re.match(r" (memory|reserved)", lines[end]):
        end += 1
    return lines[start:end]


@test(*ONE_OF_EACH)
def memblock_debug_matches_the_simulator(m):
    """memblock=debug logs each reservation and the dump; mmsim reproduces the dump exactly."""
    m.image = image_variant("memblock-debug", cmdline="console=ttyS0 memblock=debug\n")
    m.start().wait_for_prompt()
    dmesg = m.run("dmesg")
    for line in (r"BIOS-provided physical RAM map:",
                 r"BIOS-e820: \[mem 0x0000000000000000-0x[0-9a-f]{16}\] usable",
                 r"__memblock_reserve: \[0x[0-9a-f]{16}-0x[0-9a-f]{16}\] nid=-1 flags=20 "
                 r"early_reserve_memory" + CALLER,
                 r"__memblock_reserve: \[0x[0-9a-f]{16}-0x[0-9a-f]{16}\] nid=1 flags=0 "
                 r"early_reserve_memory" + CALLER,
                 r"memblock_add: \[0x[0-9a-f]{16}-0x[0-9a-f]{16}\] e820__memblock_setup" + CALLER,
                 r"__memblock_reserve: \[0x0000000000000000-0x00000000000fffff\] nid=1 flags=0 "
                 r"reserve_real_mode" + CALLER,
                 r"memblock_alloc_try_nid: 4096 bytes align=0x1000 nid=-1 from=0x0{16} "
                 r"max_addr=0x0{16} alloc_table" + CALLER,
                 r"e820: update \[mem 0x00000000-0x00000fff\] usable ==> reserved"):
        check(re.search(r"\] " + line, dmesg, re.M), f"dmesg lacks {line!r}")
    kernel_dump = dump_block(dmesg)
    check(len(kernel_dump) > 4, f"dmesg: no memblock dump:\n{dmesg}")

    text = m.run("memmap") + m.run("bootinfo")
    sim = subprocess.run([os.path.join(BUILD, "mmsim"), "-d"], input=text, capture_output=True,
                         text=True, timeout=60)
    check(sim.returncode == 0, f"mmsim failed:\n{sim.stdout}{sim.stderr}")
    check(dump_block(sim.stdout) == kernel_dump,
          "mmsim's dump differs from the kernel's:\n" + "\n".join(kernel_dump) + "\n---\n" +
          "\n".join(dump_block(sim.stdout)))
    sim_memory = sim.stdout.split("==> /sys/kernel/debug/memblock/memory <==\n")[1].split("\n\n")[0]
    check(sim_memory.strip() == m.run("memblock memory").strip(), "mmsim's memory file differs")
