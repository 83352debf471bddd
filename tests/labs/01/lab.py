# SPDX-License-Identifier: MIT
"""Lab 1: boot and real mode (docs/labs/01-boot-and-real-mode.md).

Exercise 1: e820_read_table() - the loop that collects the BIOS's E820 map.
Exercise 2: efi_md_e820_type() and efi_memmap_to_e820() - the UEFI map as E820 entries.
"""

import re

from labkit import MINE, Boot, Derive, Lab, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

from common import e820_lines, efi_descriptors, efi_to_e820, seabios_e820, show

LAB = Lab(1, "Boot and real mode", doc="docs/labs/01-boot-and-real-mode.md",
          answers="docs/labs/answers/01.txt")

TARGETS = [
    Target("legacy16/memory.c", "e820_read_table", """
{
	/*
	 * Lab 1, exercise 1: collect the BIOS's E820 map with @call into @out
	 * (docs/labs/01-boot-and-real-mode.md).  Until you do, this says "no E820" and
	 * the loader falls back to INT 15h E801h, which knows much less.
	 */
	(void)call, (void)out, (void)max;
	(void)set_entry; /* yours to use: one entry, written field by field */
	return -1;
}
"""),
    Target("firmware/efi.c", "efi_md_e820_type", """
{
	/*
	 * Lab 1, exercise 2: the E820 type Linux's EFI stub gives each EFI memory type
	 * (docs/labs/01-boot-and-real-mode.md).  Until you write it, usable RAM is RAM and
	 * everything else is left out of the map.
	 */
	return efi_md_usable(md) ? E820_TYPE_RAM : 0;
}
"""),
    Target("firmware/efi.c", "efi_memmap_to_e820", """
{
	/*
	 * Lab 1, exercise 2: append the EFI memory map to @table as E820 entries, the way
	 * Linux's EFI stub does (docs/labs/01-boot-and-real-mode.md).  Until you do, this
	 * stand-in keeps the kernel booting: one entry per descriptor, nothing merged, and
	 * bad descriptors skipped without a word.
	 */
	const efi_memory_desc_t *md;

	for_each_efi_memory_desc_in_map(map, md)
		if (efi_md_e820_type(md) && efi_md_end(md))
			__e820__range_add(table, md->phys_addr, efi_md_end(md) - md->phys_addr,
					  efi_md_e820_type(md));
}
"""),
]

HOST = "tests/labs/01/host.c"

BIOS = Boot("bios", firmware_log=True)
UEFI = Boot("uefi")


@kernel_check(BIOS)
def loader_read_the_e820_map(m):
    """SeaBIOS: the loader read the whole E820 map"""
    bios = seabios_e820(m)
    said = [l for l in m.text().splitlines() if l.startswith("pagelab loader:")]
    want = f"pagelab loader: E820 memory map, {len(bios)} entries"
    check(want in said, f"the loader should say {want!r}; it said:\n" + "\n".join(said))


@kernel_check(BIOS)
def memmap_is_the_bios_map(m):
    """SeaBIOS: `memmap` is exactly SeaBIOS's own E820 map"""
    bios = seabios_e820(m)
    got = e820_lines(m.run("memmap"), "BIOS-e820")
    check(got == bios, f"memmap shows:\n{show(got)}\nSeaBIOS's map is:\n{show(bios)}")


@kernel_check(UEFI)
def e820_is_the_converted_efi_map(m):
    """OVMF: `e820 firmware` is the EFI map converted as Linux's stub does"""
    want = efi_to_e820(efi_descriptors(m.run("memmap")))
    got = e820_lines(m.run("e820 firmware"), "BIOS-e820")
    check(got == want, f"e820 firmware shows:\n{show(got)}\nconverted from memmap it should "
          f"be:\n{show(want)}")


# The same functions inside the kernel: tests/labs/01/selftest.c (`selftest lab1`).
LAB1_CASES = ["efi_types_become_e820_types", "efi_neighbours_merge", "firmware_map_reached_the_kernel"]
ktap_checks(globals(), BIOS, "lab1", LAB1_CASES)
ktap_checks(globals(), UEFI, "lab1", LAB1_CASES)


FOUR_GIB = 1 << 32


def below_4g(out):
    """`e820 firmware`'s entries below 4 GiB, and the end (exclusive) of the last usable one."""
    entries = [e for e in e820_lines(out, "BIOS-e820") if e[0] < FOUR_GIB]
    check(entries, f"e820 firmware shows no entries:\n{out}")
    return entries, max(end for _, end, t in entries if t == "usable")


def a20_alias(out):
    """The byte a load from the last usable byte below 4 GiB reaches with bit 20 forced to 0."""
    _, end = below_4g(out)
    return hex((end - 1) & ~(1 << 20))


def kernel_usable_kib(out):
    """The `usable:` KiB on the summary line of `e820`, the kernel's table after its trims."""
    m = re.search(r"^e820: \d+ entries; usable: (\d+) KiB", out, re.M)
    check(m, f"no summary line in e820:\n{out}")
    return int(m.group(1))


def kib_not_usable(out):
    """KiB from 0 to the end of the last usable entry below 4 GiB that are not usable."""
    entries, end = below_4g(out)
    usable = sum(e - s for s, e, t in entries if t == "usable")
    return (end - usable) // 1024


def a20_unreachable_kib(out):
    """KiB of `e820 firmware`'s usable RAM whose address has bit 20 set: out of reach
    with the gate closed.  Bit 20 is set exactly in the odd megabytes."""
    kib = 0
    for s, e, t in e820_lines(out, "BIOS-e820"):
        if t != "usable":
            continue
        for mb in range(s >> 20, (e - 1 >> 20) + 1):
            if mb & 1:
                kib += min(e, (mb + 1) << 20) - max(s, mb << 20)
    return kib // 1024


# Read in this order on one fresh boot of the student's machine; neither `e820 firmware`
# nor `e820` changes while the kernel runs, so the order does not matter here.
QUESTIONS = [
    Question("q1", "number", Derive(MINE, "e820 firmware", read=a20_alias)),
    Question("q2", "number", Derive(MINE, "e820", read=kernel_usable_kib)),
    Question("q3", "number", Derive(MINE, "e820 firmware", read=kib_not_usable)),
    Question("q4", "number", Derive(MINE, "e820 firmware", read=a20_unreachable_kib)),
    Question("q5", "text"),
    Question("q6", "text"),
]

READ = "legacy16/memory.c", "e820_read_table"
CONVERT = "firmware/efi.c", "efi_memmap_to_e820"
TYPE = "firmware/efi.c", "efi_md_e820_type"

WRONG = [
    Wrong("last_entry_lost", "stops when the BIOS says 'last' without keeping that entry",
          [(*READ, "if (r == E820_CALL_END || r == E820_CALL_FAILED) {", "if (r != E820_CALL_OK) {")]),
    Wrong("own_counter_as_continuation", "passes its own call counter instead of the BIOS's EBX",
          [(*READ, "enum e820_call_result r = call(&cont, &buf, &len);",
            "enum e820_call_result r = call(&cont, &buf, &len);\n\n\t\tcont = calls + 1;")]),
    Wrong("carry_flag_is_failure", "takes CF after the last entry for 'no E820 at all'",
          [(*READ, "if (r == E820_CALL_FAILED && calls == 0)", "if (r == E820_CALL_FAILED || r == E820_CALL_END)")]),
    Wrong("disabled_bit_always_believed", "drops entries marked disabled even when every entry is",
          [(*READ, "if (disabled[i] && nr_disabled < nr_ext)", "if (disabled[i])")]),
    Wrong("bit_read_past_len", "reads the enabled bit of every entry, even past the 20 "
          "bytes a short one wrote (a trial student found no check for it)",
          [(*READ, "disabled[n] = len >= 24 && !(buf.ext_attr & E820_EXT_ENABLED);",
            "disabled[n] = !(buf.ext_attr & E820_EXT_ENABLED);")]),
    Wrong("short_answer_taken", "takes whatever the BIOS wrote as an entry, however short",
          [(*READ, "if (len >= 20 && buf.size && n < max", "if (buf.size && n < max")]),
    Wrong("empty_entries_kept", "keeps zero-length entries",
          [(*READ, "len >= 20 && buf.size && n < max", "len >= 20 && n < max")]),
    Wrong("only_24_byte_entries", "ignores the 20-byte entries of ACPI 2 BIOSes",
          [(*READ, "len >= 20 && buf.size", "len >= 24 && buf.size")]),
    Wrong("lost_signature_loses_all", "throws the whole map away when 'SMAP' goes missing later",
          [(*READ, "if (r == E820_CALL_FAILED && calls == 0)", "if (r == E820_CALL_FAILED)")]),
    Wrong("one_past_max", "stores entry number max too: one past the end of the caller's array",
          [(*READ, "n < max && n < BIOS_E820_MAX", "n <= max && n < BIOS_E820_MAX")]),
    Wrong("no_limit_on_calls", "trusts the BIOS to end the list: hangs on one that never does",
          [(*READ, "calls < 4 * BIOS_E820_MAX; calls++", "; calls++")],
          isolates="lab01::a_bios_that_never_ends_is_cut_off"),
    Wrong("empty_entry_counts_as_enabled", "takes an empty entry with the enabled bit set as proof "
          "that this BIOS sets the bit, and drops the real entries whose bit is clear",
          [(*READ, "\t\tif (len >= 20 && buf.size && n < max",
            "\t\tif (len >= 24 && !buf.size && (buf.ext_attr & E820_EXT_ENABLED))\n"
            "\t\t\tnr_ext++;\n\t\tif (len >= 20 && buf.size && n < max")]),
    Wrong("nothing_kept_is_no_e820", "says 'no E820' when the BIOS answered but no entry was kept",
          [(*READ, "\treturn kept;\n}", "\treturn kept ? kept : -1;\n}")]),
    Wrong("walks_by_sizeof", "walks the EFI map by sizeof(efi_memory_desc_t), not desc_size",
          [(*CONVERT, "for_each_efi_memory_desc_in_map(map, md) {",
            "for (md = map->map; (const u8 *)(md + 1) <= (const u8 *)map->map_end; md++) {")]),
    Wrong("merges_across_holes", "merges neighbours of one type even with a hole between them",
          [(*CONVERT, "prev->addr + prev->size == md->phys_addr", "prev->addr + prev->size <= md->phys_addr")]),
    Wrong("merges_any_type", "merges touching descriptors whatever their type",
          [(*CONVERT, "prev && prev->type == type && prev->addr", "prev && prev->addr")]),
    Wrong("merges_by_efi_type", "merges only neighbours of the same EFI type: Boot Code and "
          "Conventional stay apart",
          [(*CONVERT, "prev && prev->type == type && prev->addr",
            "prev && prev->type == type && md != map->map && ((const efi_memory_desc_t *)"
            "((const u8 *)md - map->desc_size))->type == md->type && prev->addr")]),
    Wrong("pages_taken_for_bytes", "adds num_pages to the address without the 4 KiB shift",
          [(*CONVERT, "u64 end = efi_md_end(md);",
            "u64 end = efi_md_end(md) ? md->phys_addr + md->num_pages : 0;")]),
    Wrong("skipped_descriptor_splits", "lets an empty descriptor end the merge of the two "
          "touching RAM descriptors around it",
          [(*CONVERT, "md->phys_addr, md->num_pages);\n\t\t\tcontinue;",
            "md->phys_addr, md->num_pages);\n\t\t\tprev = NULL;\n\t\t\tcontinue;")]),
    Wrong("slot_taken_before_a_full_table_add", "takes the new entry's slot before "
          "__e820__range_add(), which sorts and shrinks a full table before it appends",
          [(*CONVERT, "\t\tif (__e820__range_add(table, md->phys_addr, end - md->phys_addr, type) == 0)\n"
            "\t\t\tprev = &table->entries[table->nr_entries - 1];",
            "\t\tstruct e820_entry *slot = &table->entries[table->nr_entries];\n\n"
            "\t\tif (__e820__range_add(table, md->phys_addr, end - md->phys_addr, type) == 0)\n"
            "\t\t\tprev = slot;")]),
    Wrong("bad_descriptor_skipped_silently", "skips an empty or wrapping descriptor without the warning",
          [(*CONVERT, 'pr_warn("efi: ignoring', 'if (0) pr_warn("efi: ignoring')]),
    Wrong("runtime_is_ram", "takes Runtime Services memory for RAM: the firmware still uses it",
          [(*TYPE, "\tcase EFI_RUNTIME_SERVICES_CODE:\n\tcase EFI_RUNTIME_SERVICES_DATA:\n", ""),
           (*TYPE, "\tcase EFI_CONVENTIONAL_MEMORY:\n",
            "\tcase EFI_CONVENTIONAL_MEMORY:\n\tcase EFI_RUNTIME_SERVICES_CODE:\n"
            "\tcase EFI_RUNTIME_SERVICES_DATA:\n")]),
    Wrong("acpi_reclaim_is_ram", "gives ACPI tables (ACPI Reclaim) to the kernel as RAM",
          [(*TYPE, "\tcase EFI_ACPI_RECLAIM_MEMORY:\n\t\treturn E820_TYPE_ACPI;\n", ""),
           (*TYPE, "\tcase EFI_CONVENTIONAL_MEMORY:\n", "\tcase EFI_CONVENTIONAL_MEMORY:\n\tcase EFI_ACPI_RECLAIM_MEMORY:\n")]),
    Wrong("soft_reserved_is_ram", "ignores EFI_MEMORY_SP: a driver's memory becomes RAM",
          [(*TYPE, "return md->attribute & EFI_MEMORY_SP ? E820_TYPE_SOFT_RESERVED : E820_TYPE_RAM;",
            "return E820_TYPE_RAM;")]),
]
