# SPDX-License-Identifier: MIT
"""Lab 2: firmware maps and memblock (docs/labs/02-firmware-maps-and-memblock.md).

Exercise 1: e820__update_table() and track_overlaps() - sanitising a firmware map.
Exercise 2: memblock_merge_regions() - keeping memblock's arrays short.
"""

import re

from labkit import MINE, Boot, Derive, Lab, Machines, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

from common import (e820_lines, efi_descriptors, efi_to_e820, efi_type_to_e820,
                    expected_memblock_memory, hexranges, memblock_regions, sanitize, show,
                    trim_bios_range)

# The students' machines boot with memblock=debug: the questions replay its log.  Sizes
# on both sides of q35's PCI-hole split (2.75 GiB) and pc's (3.5 GiB).
LAB = Lab(2, "Firmware maps and memblock", doc="docs/labs/02-firmware-maps-and-memblock.md",
          answers="docs/labs/answers/02.txt",
          machines=Machines(mem=["384M", "512M", "768M", "1G", "1536M", "2G", "3G", "3584M"],
                            cmdline="console=ttyS0 memblock=debug"))

TARGETS = [
    Target("firmware/e820.c", "track_overlaps", """
{
	/*
	 * Lab 2, exercise 1 (docs/labs/02-firmware-maps-and-memblock.md): @cp is where
	 * cp->entry starts or ends.  Afterwards overlap_list[0..*@nr_overlaps) holds the
	 * entries covering the addresses right after @cp; return the type that wins there
	 * (0 if none covers them).
	 */
	(void)cp, (void)nr_overlaps, (void)overlap_list;
	return 0;
}
"""),
    Target("firmware/e820.c", "e820__update_table", """
{
	/*
	 * Lab 2, exercise 1 (docs/labs/02-firmware-maps-and-memblock.md): leave @table
	 * sorted, without overlaps (where entries overlapped, the larger type holds the
	 * bytes), touching entries of one mergeable type as one, a never-merging entry cut
	 * wherever another entry starts or ends inside it, no empty entries; if the pieces
	 * outnumber E820_MAX_ENTRIES, the lowest ones that fit.  Return 0; or return -1 and
	 * leave @table alone when it has fewer than 2 entries or an entry's end does not fit
	 * in 64 bits (past 2^64, or exactly at it).  Until you do, the table stays as the
	 * firmware gave it, and the kernel's changes pile up at its end.
	 */
	(void)table;
	/* There to help you: the change points, sorted, and your track_overlaps(). */
	(void)collect_change_points, (void)sort_change_points, (void)track_overlaps;
	(void)e820_type_mergeable, (void)new_entries;
	return -1;
}
"""),
    Target("mm/memblock.c", "memblock_merge_regions", """
{
	/*
	 * Lab 2, exercise 2 (docs/labs/02-firmware-maps-and-memblock.md): afterwards no two
	 * neighbouring regions of @type touch with the same node and flags; the memory
	 * covered, the order and total_size stay as they were.  Until you do, nothing
	 * merges: memblock still works, with more regions than it needs.
	 */
	(void)type;
}
"""),
]

HOST = "tests/labs/02/host.c"

BIOS = Boot("bios")
UEFI = Boot("uefi")


def raw_firmware_table(m):
    """The firmware's map as the loader handed it over, in E820 terms, unsanitised."""
    memmap = m.run("memmap")
    if m.firmware == "uefi":
        descriptors = efi_descriptors(memmap)
        if lab1_done(m):
            return efi_to_e820(descriptors)  # lab 1's conversion, done in Python
        # Lab 1's stand-in: usable RAM as RAM, one entry per descriptor, the rest left out.
        return [(s, e, "usable") for t, attrs, s, e in descriptors
                if efi_type_to_e820(t) == "usable" and "SP" not in attrs]
    return e820_lines(memmap, "BIOS-e820")


def lab1_done(m):
    """Whether lab 1's EFI conversion is in, as its own self-test says: lab 2 sanitises
    whatever table lab 1's code made, its stand-in's too (labs are done in any order)."""
    out = m.run("selftest lab1.efi_types_become_e820_types")
    return re.search(r"^ +ok 1 efi_types_become_e820_types$", out, re.M) is not None


def check_e820(m):
    firmware = sanitize(raw_firmware_table(m))
    got = e820_lines(m.run("e820 firmware"), "BIOS-e820")
    check(got == firmware, f"`e820 firmware` shows:\n{show(got)}\nsanitised, the firmware's "
          f"map is:\n{show(firmware)}")
    want = trim_bios_range(firmware)
    got = e820_lines(m.run("e820"), "e820")
    check(got == want, f"`e820` shows:\n{show(got)}\nafter trim_bios_range() it should be:\n"
          f"{show(want)}")


def check_memblock(m):
    memory = memblock_regions(m.run("memblock memory"), "memory")
    memblock_regions(m.run("memblock reserved"), "reserved")
    want = expected_memblock_memory(sanitize(raw_firmware_table(m)))
    got = [(s, e) for s, e, _, _ in memory]
    check(got == want, f"memblock.memory is {hexranges(got)}\nthe firmware's RAM is {hexranges(want)}")


@kernel_check(BIOS)
def e820_sanitised_on_seabios(m):
    """SeaBIOS: `e820` is the firmware map sanitised, then trimmed"""
    check_e820(m)


@kernel_check(BIOS)
def memblock_on_seabios(m):
    """SeaBIOS: memblock holds the firmware's RAM, every region merged"""
    check_memblock(m)


@kernel_check(UEFI)
def e820_sanitised_on_ovmf(m):
    """OVMF: `e820` is the firmware map sanitised, then trimmed"""
    check_e820(m)


@kernel_check(UEFI)
def memblock_on_ovmf(m):
    """OVMF: memblock holds the firmware's RAM, every region merged"""
    check_memblock(m)


# The same functions inside the kernel: tests/labs/02/selftest.c (`selftest lab2`).
LAB2_CASES = ["e820_update_resolves_overlaps", "boot_e820_tables_are_sanitised",
              "memblock_regions_are_merged", "memblock_merges_what_is_added"]
ktap_checks(globals(), BIOS, "lab2", LAB2_CASES)
ktap_checks(globals(), UEFI, "lab2", LAB2_CASES)


DEBUG = "console=ttyS0 memblock=debug"


def ranges_of(out, kind):
    """[(start, end_exclusive)] of memblock's `kind` list, from `memblock dump`."""
    return [(int(s, 16), int(e, 16) + 1) for s, e in
            re.findall(r"^ " + kind + r"\[0x[0-9a-f]+\]\s+\[0x([0-9a-f]+)-0x([0-9a-f]+)\]", out, re.M)]


def usable_memblock_never_sees(log):
    """Bytes the firmware's map calls usable that memblock.memory does not hold."""
    untimed = re.sub(r"^\[[ .0-9]+\] ", "", log, flags=re.M)
    usable = sum(e - s for s, e, t in e820_lines(untimed, "BIOS-e820") if t == "usable")
    size = re.search(r"^\[[ .0-9]+\]  memory size = (0x[0-9a-f]+)", log, re.M)
    check(usable and size, f"the boot log has no BIOS-e820 map or no memblock configuration:\n{log}")
    return usable - int(size.group(1), 16)


def reserved_kib_outside_memory(out):
    memory, reserved = ranges_of(out, "memory"), ranges_of(out, "reserved")
    check(memory and reserved, f"memblock dump:\n{out}")
    inside = sum(max(0, min(e, me) - max(s, ms)) for s, e in reserved for ms, me in memory)
    return (sum(e - s for s, e in reserved) - inside) // 1024


def reserved_regions_without_merging(log):
    """Replay every memblock_reserve and memblock_phys_free of a memblock=debug log into
    regions that never merge: a reservation adds the parts not yet reserved, each as a
    region of its own; a free cuts regions at its ends and drops what lies inside."""
    regions = []
    # Linux 6.16 and later log a reservation as __memblock_reserve (with nid= and flags=).
    calls = re.findall(r"\] (?:__)?(memblock_reserve|memblock_phys_free): "
                       r"\[0x([0-9a-f]+)-0x([0-9a-f]+)\]", log)
    check(calls, f"the boot log has no memblock=debug lines:\n{log}")
    for call, s, e in calls:
        s, e = int(s, 16), int(e, 16) + 1
        if call == "memblock_reserve":
            pos, new = s, []
            for rs, re_ in sorted(regions):
                if re_ <= pos or rs >= e:
                    continue
                if rs > pos:
                    new.append((pos, rs))
                pos = max(pos, re_)
            if pos < e:
                new.append((pos, e))
            regions += new
        else:
            regions = ([(rs, re_) for rs, re_ in regions if re_ <= s or rs >= e] +
                       [(rs, s) for rs, re_ in regions if rs < s < re_] +
                       [(e, re_) for rs, re_ in regions if rs < e < re_])
    return len(regions)


# All read on one boot of the student's machine: the boot log and memblock's lists do not
# change once the prompt is up, so the order does not matter.
QUESTIONS = [
    Question("q1", "number", Derive(MINE, "dmesg", read=usable_memblock_never_sees)),
    Question("q2", "number", Derive(MINE, "memblock dump", read=reserved_kib_outside_memory)),
    Question("q3", "number", Derive(MINE, "memblock dump", r"^ memory\.cnt += (0x[0-9a-f]+)")),
    Question("q4", "number", Derive(MINE, "dmesg", read=reserved_regions_without_merging)),
    Question("q5", "text"),
]

TRACK = "firmware/e820.c", "track_overlaps"
UPDATE = "firmware/e820.c", "e820__update_table"
MERGE = "mm/memblock.c", "memblock_merge_regions"

WRONG = [
    Wrong("smaller_type_wins", "lets the smaller type number win an overlap: RAM over reserved",
          [(*TRACK, "type = MAX(type, overlap_list[i]->type);",
            "type = type ? MIN(type, overlap_list[i]->type) : overlap_list[i]->type;")]),
    Wrong("type_compared_as_int", "compares types as signed ints: soft-reserved (0xefffffff) "
          "is negative and loses to RAM (a fuzzer found it, in a trial)",
          [(*TRACK, "type = MAX(type, overlap_list[i]->type);",
            "type = (!i || (int)overlap_list[i]->type > (int)type) ? overlap_list[i]->type : type;")]),
    Wrong("latest_entry_wins", "lets the entry that started last win, whatever its type",
          [(*TRACK, "for (u32 i = 0; i < *nr_overlaps; i++)\n\t\ttype = MAX(type, overlap_list[i]->type);",
            "if (*nr_overlaps)\n\t\ttype = overlap_list[*nr_overlaps - 1]->type;")]),
    Wrong("leaving_just_shrinks_the_list", "takes the last entry off the list, not the one that ended",
          [(*TRACK, "\t\tfor (u32 i = 0; i < *nr_overlaps; i++)\n\t\t\tif (overlap_list[i] == cp->entry)\n"
            "\t\t\t\toverlap_list[i] = overlap_list[*nr_overlaps - 1];\n", "")]),
    Wrong("empty_entries_kept", "keeps the empty entry left where several entries change at once",
          [(*UPDATE, "if (new_entries[nr_new].size && ++nr_new >= E820_MAX_ENTRIES)",
            "if (++nr_new >= E820_MAX_ENTRIES)")]),
    Wrong("inclusive_end", "computes a size as if the end were inclusive, as the boot log prints it",
          [(*UPDATE, "new_entries[nr_new].size = addr - last_addr;",
            "new_entries[nr_new].size = addr - last_addr + 1;")]),
    Wrong("type_never_remembered", "forgets to remember the type it just opened",
          [(*UPDATE, "\t\tlast_type = type;\n", "")]),
    Wrong("hole_closed_as_an_entry", "closes an entry at every change, even after a hole",
          [(*UPDATE, "if (last_type) { /* close the current entry;", "{ /* close the current entry;")]),
    Wrong("one_entry_sanitised", "sanitises a table of one entry instead of leaving it alone",
          [(*UPDATE, "\tif (table->nr_entries < 2)\n\t\treturn -1;\n", "")]),
    Wrong("wrap_not_checked", "trusts every entry's end, even one past 2^64",
          [(*UPDATE, "\tfor (u32 i = 0; i < table->nr_entries; i++)\n\t\tif (table->entries[i].addr + "
            "table->entries[i].size < table->entries[i].addr)\n\t\t\treturn -1; /* __e820__range_add "
            "never lets one in */\n", "")]),
    Wrong("wrap_checked_on_the_inclusive_end", "checks the last byte for a wrap, so an entry "
          "ending exactly at 2^64 gets through",
          [(*UPDATE, "if (table->entries[i].addr + table->entries[i].size < table->entries[i].addr)",
            "if (table->entries[i].size &&\n\t\t    table->entries[i].addr + table->entries[i].size - 1 "
            "< table->entries[i].addr)")]),
    Wrong("sweep_never_stops", "goes on writing pieces when new_entries[] is full",
          [(*UPDATE, "if (new_entries[nr_new].size && ++nr_new >= E820_MAX_ENTRIES)\n\t\t\t\tbreak;",
            "if (new_entries[nr_new].size)\n\t\t\t\tnr_new++;")]),
    Wrong("never_merging_kept_whole", "cuts a never-merging entry only where an entry of its own "
          "type starts or ends",
          [(*UPDATE, "if (type == last_type && e820_type_mergeable(type))",
            "if (type == last_type &&\n\t\t    (e820_type_mergeable(type) || "
            "change_points[i].entry->type != type))")]),
    Wrong("merge_stops_early", "moves on after a merge, so chains of three stay two",
          [(*MERGE, "\t\ttype->cnt--;\n", "\t\ttype->cnt--;\n\t\ti++;\n")]),
    Wrong("merge_ignores_nodes", "merges regions on different nodes",
          [(*MERGE, "this->nid != next->nid ||", "")]),
    Wrong("merge_ignores_flags", "merges regions with different flags",
          [(*MERGE, " ||\n\t\t    this->flags != next->flags", "")]),
    Wrong("merge_ignores_gaps", "merges neighbours in the array even when a gap lies between them",
          [(*MERGE, "this->base + this->size != next->base || ", "")]),
    Wrong("merge_forgets_the_count", "merges without taking one off the count",
          [(*MERGE, "\t\ttype->cnt--;\n", "")]),
    Wrong("merge_grows_the_total", "adds the merged region's size to total_size a second time",
          [(*MERGE, "\t\tthis->size += next->size;\n",
            "\t\tthis->size += next->size;\n\t\ttype->total_size += next->size;\n")]),
    Wrong("merge_loop_never_advances", "forgets to step past regions that do not merge: hangs",
          [(*MERGE, "\t\t\ti++;\n\t\t\tcontinue;", "\t\t\tcontinue;")],
          isolates="lab02::a_long_chain_merges_completely"),
]
