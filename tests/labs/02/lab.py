"""Lab 2: firmware maps and memblock (docs/labs/02-firmware-maps-and-memblock.md).

Exercise 1: e820__update_table() and track_overlaps() - sanitising a firmware map.
Exercise 2: memblock_merge_regions() - keeping memblock's arrays short.
"""

import re

from labkit import Boot, Derive, Lab, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

from common import (e820_lines, efi_descriptors, efi_to_e820, expected_memblock_memory,
                    hexranges, memblock_regions, sanitize, show, trim_bios_range)

LAB = Lab(2, "Firmware maps and memblock", doc="docs/labs/02-firmware-maps-and-memblock.md",
          answers="docs/labs/answers/02.txt")

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
	 * bytes), touching entries of one mergeable type as one, no empty entries; return 0,
	 * or -1 for a table with nothing to sanitise or an entry past 2^64.  Until you do,
	 * the table stays as the firmware gave it, and the kernel's changes pile up at its
	 * end.
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
# Machines only the questions use (lab-verify reads the answers off them).
BIOS_PC = Boot("bios", machine="pc")
BIOS_3G = Boot("bios", mem="3G")
BIOS_DEBUG = Boot("bios", cmdline="console=ttyS0 memblock=debug")


def raw_firmware_table(m):
    """The firmware's map as the loader handed it over, in E820 terms, unsanitised."""
    memmap = m.run("memmap")
    if m.firmware == "uefi":
        return efi_to_e820(efi_descriptors(memmap))  # lab 1's conversion, done in Python
    return e820_lines(memmap, "BIOS-e820")


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


def last_ram_byte_below_4g(memory):
    ends = [int(e, 16) for e in re.findall(r"\.\.0x([0-9a-f]{16}) ", memory)]
    return hex(max(e for e in ends if e < 1 << 32))


QUESTIONS = [
    Question("q1", "number", "f060915c6a7dd70d", Derive(BIOS_PC, "e820", r"^e820: (\d+) entries;")),
    Question("q2", "number", "9f08b9df086225c1", Derive(BIOS_3G, "memblock dump", r"^ memory\.cnt += (0x[0-9a-f]+)")),
    Question("q3", "number", "7ee907fe5e1a51f0", Derive(BIOS_3G, "memblock memory", read=last_ram_byte_below_4g)),
    Question("q4", "number", "cbd4ce5f74882dad", Derive(UEFI, "memblock dump", r"^ memory size = (0x[0-9a-f]+)")),
    Question("q5", "number", "b3e27ff583746ac8",
             Derive(BIOS_DEBUG, "dmesg", r"memblock_phys_alloc_range: (\d+) bytes .* vmemmap_populate\+")),
]

TRACK = "firmware/e820.c", "track_overlaps"
UPDATE = "firmware/e820.c", "e820__update_table"
MERGE = "mm/memblock.c", "memblock_merge_regions"

WRONG = [
    Wrong("smaller_type_wins", "lets the smaller type number win an overlap: RAM over reserved",
          [(*TRACK, "type = MAX(type, overlap_list[i]->type);",
            "type = type ? MIN(type, overlap_list[i]->type) : overlap_list[i]->type;")]),
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
