# SPDX-License-Identifier: MIT
"""Helpers the labs' kernel checks share: reading pagelab's shell output, and working out
independently what it should say (from the firmware's own map, from memblock)."""

import hashlib
import re

from machine import check
from ranges import merge, subtract, whole_pages

PAGE = 4096
PAGE_OFFSET = 0xffff888000000000
KERNEL_VIRT_BASE = 0xffffffff80000000

E820_NAMES = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable"}


def e820_lines(text, who):
    """[(start, end_exclusive, type name)] from "<who>: [mem 0x...-0x...] type" lines."""
    return [(int(s, 16), int(e, 16) + 1, t) for s, e, t in
            re.findall(r"^" + re.escape(who) + r": \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (.+)$",
                       text, re.M)]


def show(entries):
    return "\n".join(f"  [mem {s:#018x}-{e - 1:#018x}] {t}" for s, e, t in entries)


def seabios_e820(m):
    """SeaBIOS's own E820 map, from its debug port (Boot(..., firmware_log=True))."""
    log = m.firmware_log()
    found = re.findall(r"^e820 map has (\d+) items:\n((?: +\d+: [0-9a-f]+ - [0-9a-f]+ = \d+.*\n)+)",
                       log, re.M)
    check(found, "SeaBIOS printed no E820 map on its debug port")
    count, block = found[-1]
    items = [(int(s, 16), int(e, 16), int(t)) for s, e, t in
             re.findall(r"^ +\d+: ([0-9a-f]+) - ([0-9a-f]+) = (\d+)", block, re.M)]
    check(len(items) == int(count), f"SeaBIOS said {count} items, listed {len(items)}")
    return [(s, e, E820_NAMES.get(t, f"type {t}")) for s, e, t in items]


# ---- EFI -> E820, as Linux's EFI stub converts ------------------------------------------

# Lab 1's exercise 2 is which E820 type each EFI type becomes, so the answers are kept as
# digests (as tests/labs/01/efi_types.h keeps them for the C checks): the table does not
# give the exercise away at a glance.  A digest of two short names is no secret (there are
# only a few E820 types to try), and is not meant as one.
E820_KINDS = ('ACPI NVS', 'ACPI data', 'persistent (type 7)', 'reserved', 'unusable', 'usable')
EFI_TYPE_DIGESTS = {
    'Reserved': '68a7c3d1478f',
    'Loader Code': 'ce3df7fc5487',
    'Loader Data': '2bec6356fca9',
    'Boot Code': 'ed098b050bff',
    'Boot Data': '139938b65f2f',
    'Runtime Code': '4e5073a6e557',
    'Runtime Data': 'bfbb6bbfcbb9',
    'Conventional': 'a6569e80644c',
    'Unusable': 'c43af134a924',
    'ACPI Reclaim': '3f456bb1673d',
    'ACPI Mem NVS': '08110d21d6b3',
    'MMIO': 'eb7e5adc67f5',
    'MMIO Port': 'ace39e47e49c',
    'PAL Code': '52de5f00d44d',
    'Persistent': 'c5848b970797',
}


def efi_type_to_e820(name):
    """The E820 type name Linux gives EFI type `name`, or None for a type it leaves out."""
    want = EFI_TYPE_DIGESTS.get(name)
    return next((k for k in E820_KINDS
                 if hashlib.sha256(f"lab 1: {name} -> {k}".encode()).hexdigest()[:12] == want),
                None)


def efi_descriptors(memmap):
    """[(type name, attribute words, start, end_exclusive)] from `memmap` under UEFI."""
    out = []
    for t, attrs, s, e in re.findall(r"^efi: mem\d+: \[([^|\]]*)\|(.*?)\] "
                                     r"range=\[0x([0-9a-f]{16})-0x([0-9a-f]{16})\]", memmap, re.M):
        out.append((t.strip(), [a.strip() for a in attrs.split("|")], int(s, 16), int(e, 16) + 1))
    check(out, f"memmap printed no EFI descriptors:\n{memmap}")
    return out


def efi_to_e820(descriptors):
    """The E820 entries Linux's stub (setup_e820) makes of an EFI map: one per descriptor
    with an E820 type, touching neighbours of one type merged, whatever the type (the stub
    has no e820_nomerge() exception; only e820__update_table does).  The map must be
    sorted and without overlaps, as firmware maps are (checked), so this is also what
    sanitising would leave."""
    entries = []
    for t, attrs, s, e in sorted(descriptors, key=lambda d: d[2]):
        kind = efi_type_to_e820(t)
        if kind is None:
            continue  # unaccepted, or a type no specification defines
        if kind == "usable" and "SP" in attrs:
            kind = "soft reserved"
        if entries:
            check(entries[-1][1] <= s, f"the EFI map overlaps at {s:#x}: cannot tell the truth")
        if entries and entries[-1][1] == s and entries[-1][2] == kind:
            entries[-1] = (entries[-1][0], e, kind)
        else:
            entries.append((s, e, kind))
    return entries


# ---- sanitising, as e820__update_table does, and the boot's trims ------------------------

TYPE_NUMBERS = {"usable": 1, "reserved": 2, "ACPI data": 3, "ACPI NVS": 4, "unusable": 5,
                "soft reserved": 0xefffffff}


def type_number(name):
    if name in TYPE_NUMBERS:
        return TYPE_NUMBERS[name]
    m = re.match(r"^(?:persistent \(type|type) (\d+)\)?$", name)
    check(m, f"unknown E820 type name {name!r}")
    return int(m.group(1))


def type_name(number):
    for name, n in TYPE_NUMBERS.items():
        if n == number:
            return name
    return f"persistent (type {number})" if number in (7, 12) else f"type {number}"


def sanitize(entries):
    """Sorted, without overlaps (the larger type number wins), touching entries of one
    type merged (not persistent type 12 or soft reserved), empty ones gone."""
    numbered = [(s, e, type_number(t)) for s, e, t in entries if s < e]
    points = sorted({p for s, e, _ in numbered for p in (s, e)})
    out = []
    for a, b in zip(points, points[1:]):
        t = max((n for s, e, n in numbered if s <= a and b <= e), default=0)
        if not t:
            continue
        if out and out[-1][1] == a and out[-1][2] == t and t not in (12, 0xefffffff):
            out[-1] = (out[-1][0], b, t)
        else:
            out.append((a, b, t))
    return [(s, e, type_name(t)) for s, e, t in out]


def trim_bios_range(entries):
    """What trim_bios_range() does to the sanitised table: page 0 usable -> reserved,
    usable RAM between 640K and 1M removed."""
    out = []
    for s, e, t in entries:
        if t != "usable":
            out.append((s, e, t))
            continue
        for lo, hi, kind in ((s, min(e, PAGE), "reserved"), (max(s, PAGE), e, "usable")):
            if lo >= hi:
                continue
            if kind == "usable":
                for piece in subtract([(lo, hi)], (0xa0000, 0x100000)):
                    out.append((*piece, "usable"))
            else:
                out.append((lo, hi, kind))
    return sanitize(out)


# ---- memblock ---------------------------------------------------------------------------

DEBUGFS = re.compile(r"^ {0,3}(\d+): 0x([0-9a-f]{16})\.\.0x([0-9a-f]{16}) +(\d+|x) ([A-Z_]+)$")


def memblock_regions(out, name, merged=True):
    """The regions of one `memblock memory|reserved` listing: [(start, end, nid, flag)],
    checking the debugfs layout and, if `merged`, that neighbours which could merge did.
    Merging is lab 2's memblock_merge_regions(): the other labs pass merged=False, so
    that lab 2's stub (nothing merges) costs them nothing."""
    regions = []
    for i, line in enumerate(l for l in out.splitlines() if l.strip()):
        m = DEBUGFS.match(line)
        check(m, f"memblock {name}: {line!r} is not in debugfs layout")
        idx, start, end, nid, flag = m.groups()
        check(int(idx) == i, f"memblock {name}: index {idx} where {i} was expected")
        start, end = int(start, 16), int(end, 16) + 1
        if regions:
            ps, pe, pnid, pflag = regions[-1]
            check(pe <= start, f"memblock {name}: regions {i - 1} and {i} overlap or are unsorted:\n{out}")
            check(not merged or pe < start or (pnid, pflag) != (nid, flag),
                  f"memblock {name}: regions {i - 1} and {i} touch and should have merged:\n{out}")
        regions.append((start, end, nid, flag))
    check(regions, f"memblock {name}: no regions:\n{out}")
    return regions


def expected_memblock_memory(e820_firmware):
    """memblock.memory as the kernel must build it from the firmware's E820 table: the
    usable RAM, minus page 0 and 640K-1M (trim_bios_range), in whole pages."""
    ram = merge([(s, e) for s, e, t in e820_firmware if t == "usable"])
    for hole in ((0, PAGE), (0xa0000, 0x100000)):
        ram = subtract(ram, hole)
    return whole_pages(merge(ram))


def hexranges(ranges):
    return "[" + ", ".join(f"{s:#x}-{e:#x}" for s, e in ranges) + "]"
