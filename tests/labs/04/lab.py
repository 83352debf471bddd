# SPDX-License-Identifier: MIT
"""Lab 4: paging and the direct map (docs/labs/04-paging-and-the-direct-map.md).

Exercise 1: pt_walk() - translate a virtual address the way the MMU does (`vtop`).
Exercise 2: fits() and map_range() - build the direct map with the largest pages that fit.
"""

import re

from labkit import MINE, Boot, Derive, Lab, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

from common import KERNEL_VIRT_BASE, PAGE_OFFSET, e820_lines, memblock_regions

LAB = Lab(4, "Paging and the direct map", doc="docs/labs/04-paging-and-the-direct-map.md",
          answers="docs/labs/answers/04.txt")

TARGETS = [
    Target("kernel/arch/x86_64/init_64.c", "pt_walk", """
{
	/*
	 * Lab 4, exercise 1 (what the MMU does on a TLB miss): translate @va through the
	 * page tables the CPU is using.  Afterwards @steps holds each entry visited, one per
	 * level, *@phys is the physical address of @va's byte (~0 if @va is not mapped),
	 * *@access what the MMU lets an access to it do, and the return value is how many
	 * levels were visited (docs/labs/04-paging-and-the-direct-map.md).  Until you do,
	 * nothing seems mapped.
	 */
	(void)va, (void)steps;
	*phys = ~0ULL;
	*access = 0;
	return 0;
}
"""),
    Target("kernel/arch/x86_64/init_64.c", "fits", """
{
	/*
	 * Lab 4, exercise 2: true exactly when [@va, @va + @size) can start with one page
	 * of @level (a 1 GiB PUD page or a 2 MiB PMD page) mapping @pa, on this CPU
	 * (docs/labs/04-paging-and-the-direct-map.md).  Until you do, no large page fits.
	 */
	(void)va, (void)pa, (void)size, (void)level;
	return false;
}
"""),
    Target("kernel/arch/x86_64/init_64.c", "map_range", """
{
	/*
	 * Lab 4, exercise 2 (Linux's kernel_physical_mapping_init()): afterwards
	 * [@va, @va + @size) translates to [@pa, ...) with @prot, in the largest pages fits()
	 * allows if @flags has MAP_LARGE_PAGES, 4 KiB pages otherwise, and with
	 * MAP_COUNT_DIRECT every page is counted in direct_pages_count[].  Returns 0, or -1
	 * if a large page is in the way (docs/labs/04-paging-and-the-direct-map.md).  Until
	 * you do, this stand-in maps everything with 4 KiB pages: it works, with many more
	 * page tables.
	 */
	(void)fits;
	prot &= supported_pte_mask;
	for (; size; va += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE) {
		u64 *table = pgd;

		for (int level = PG_LEVEL_PGD; level < PG_LEVEL_PTE; level++) {
			table = next_table(&table[pg_index(va, level)]);
			if (!table)
				return -1;
		}
		table[pg_index(va, PG_LEVEL_PTE)] = pa | prot;
		if (flags & MAP_COUNT_DIRECT)
			direct_pages_count[PG_LEVEL_PTE]++;
	}
	return 0;
}
"""),
]

HOST = "tests/labs/04/host.c"

BIOS = Boot("bios")
BIOS_3G_GB = Boot("bios", mem="3G", cpu="qemu64,+pdpe1gb")
UEFI = Boot("uefi")

SIZES = ((1 << 30, "1G", "pud"), (1 << 21, "2M", "pmd"), (1 << 12, "4K", "pte"))


def direct_map_chunks(m, gbpages):
    """The pages init_mem_mapping() must use for RAM: [(pa, size name, level name)], in the
    order it maps them: the first MiB, then each memblock memory region."""
    regions = memblock_regions(m.run("memblock memory"), "memory", merged=False)
    chunks = []
    for s, e in [(0, 0x100000)] + [(s, e) for s, e, _, _ in regions]:
        pa, end = s & ~0xfff, (e + 0xfff) & ~0xfff
        while pa < end:
            for size, name, level in SIZES:
                if (size < 1 << 30 or gbpages) and pa % size == 0 and end - pa >= size:
                    break
            chunks.append((pa, size, name, level))
            pa += size
    return chunks


def sample(chunks):
    """A few chunks worth asking vtop about: the first, last, and first of each size."""
    picks, seen = [chunks[0], chunks[-1]], set()
    for c in chunks:
        if c[2] not in seen:
            seen.add(c[2])
            picks.append(c)
    return sorted(set(picks))


def vtop(m, va):
    out = m.run(f"vtop {va:#x}")
    phys = re.search(r"^  (4K|2M|1G) page: frame (0x[0-9a-f]+) \+ offset (0x[0-9a-f]+) = "
                     r"physical (0x[0-9a-f]+)$", out, re.M)
    steps = re.findall(r"^  (PGD|PUD|PMD|PTE)\[ *(\d+)\] = (0x[0-9a-f]+) (.*)$", out, re.M)
    access = re.search(r"^  access: (.*)$", out, re.M)
    return out, phys, steps, access and access.group(1)


def check_vtop_direct_map(m, gbpages):
    for pa, size, name, _ in sample(direct_map_chunks(m, gbpages)):
        pa += min(size - 1, 0x123456789 & (size - 1) & ~0xf)  # somewhere inside the page
        va = PAGE_OFFSET + pa
        out, phys, steps, access = vtop(m, va)
        check(phys, f"vtop {va:#x} found no mapping:\n{out}")
        want = (name, hex((pa & ~(size - 1)) >> 12), hex(pa & (size - 1)), hex(pa))
        check(phys.groups() == want, f"vtop {va:#x} should end in a {name} page at physical "
              f"{pa:#x}:\n{out}")
        check(len(steps) == {"1G": 2, "2M": 3, "4K": 4}[name] and " rw" in steps[-1][3]
              and steps[-1][3].endswith(" nx"), f"vtop {va:#x}: the direct map is rw and nx:\n{out}")
        check(access == "kernel rw nx", f"vtop {va:#x}: the kernel may read and write the "
              f"direct map, and never run it:\n{out}")
    for va in (0, PAGE_OFFSET + (1 << 40)):
        out, phys, _, _ = vtop(m, va)
        check(not phys and "not mapped" in out, f"vtop {va:#x} should not be mapped:\n{out}")


def ptdump_lines(out, section):
    """(start, end, words) of each line in one ptdump section."""
    block = out.split(f"---[ {section} ]---\n", 1)
    check(len(block) == 2, f"ptdump has no {section!r} section:\n{out}")
    lines = []
    for line in block[1].splitlines():
        if line.startswith("---["):
            break
        m = re.match(r"^0x([0-9a-f]{16})-0x([0-9a-f]{16}) +\d+[BKMGTPE] +(.*)$", line)
        check(m, f"ptdump: cannot read {line!r}")
        lines.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3).split()))
    return lines


def check_ptdump_direct_map(m, gbpages):
    lines = ptdump_lines(m.run("ptdump"), "Low Kernel Mapping")
    for pa, size, name, level in direct_map_chunks(m, gbpages):
        va = PAGE_OFFSET + pa
        covering = [l for l in lines if l[0] <= va and va + size <= l[1]]
        check(covering, f"ptdump: the {name} page at physical {pa:#x} is not mapped")
        words = covering[0][2]
        check(words[-1] == level and "RW" in words and "NX" in words,
              f"ptdump: physical {pa:#x} should be mapped by a {level} entry, RW and NX; the "
              f"line is {' '.join(words)}")


def check_kernel_image(m):
    kernel = re.search(r"^kernel: +\[mem (0x[0-9a-f]+)-", m.run("bootinfo"), re.M)
    check(kernel, "bootinfo shows no kernel range")
    phys_base = int(kernel.group(1), 16)
    parts = ptdump_lines(m.run("ptdump"), "High Kernel Mapping")
    kinds = {"text": ("ro", "x"), "rodata": ("ro", "NX"), "data": ("RW", "NX")}
    found = {}
    for start, _, words in parts:
        for kind, (rw, nx) in kinds.items():
            # A line with no flags, only the level, is a hole: as in Linux, ptdump shows those.
            if kind not in found and len(words) > 1 and words[0] == rw and words[-2] == nx:
                found[kind] = start
    check(len(found) == 3, f"ptdump's High Kernel Mapping lacks text, rodata or data: {parts}")
    for kind, va in found.items():
        out, phys, steps, access = vtop(m, va + 0x10)
        pa = phys_base + (va - KERNEL_VIRT_BASE) + 0x10
        check(phys and phys.group(1) == "4K" and int(phys.group(4), 16) == pa,
              f"vtop of the kernel's {kind} at {va + 0x10:#x} should be a 4K page at physical "
              f"{pa:#x} (phys_base {phys_base:#x}):\n{out}")
        rw, nx = kinds[kind]
        flags = steps[-1][3].split()
        want = f"kernel {rw.lower()} {'exec' if nx == 'x' else 'nx'}"
        check(rw.lower() in flags and ("exec" if nx == "x" else "nx") in flags
              and access == want, f"the kernel's {kind} should be `{want}`:\n{out}")


@kernel_check(BIOS)
def vtop_direct_map(m):
    """SeaBIOS: `vtop` translates the direct map: address, page size, rw, nx"""
    check_vtop_direct_map(m, gbpages=False)


@kernel_check(BIOS)
def vtop_kernel_image(m):
    """SeaBIOS: `vtop` finds the kernel image at phys_base, with its permissions"""
    check_kernel_image(m)


@kernel_check(BIOS)
def ptdump_direct_map(m):
    """SeaBIOS: the direct map uses a 2 MiB page wherever one fits"""
    check_ptdump_direct_map(m, gbpages=False)


@kernel_check(BIOS_3G_GB)
def gigabyte_pages(m):
    """SeaBIOS, 3 GiB, a CPU with 1 GiB pages: they are used, and `vtop` sees them"""
    check_ptdump_direct_map(m, gbpages=True)
    check_vtop_direct_map(m, gbpages=True)


@kernel_check(UEFI)
def direct_map_on_ovmf(m):
    """OVMF: the direct map and `vtop` agree with the firmware's RAM"""
    check_ptdump_direct_map(m, gbpages=False)
    check_vtop_direct_map(m, gbpages=False)
    check_kernel_image(m)


# The same functions inside the kernel: tests/labs/04/selftest.c (`selftest lab4`).
LAB4_CASES = ["walk_finds_the_direct_map", "walk_finds_the_kernel_image", "walk_stops_at_holes",
              "direct_map_uses_large_pages"]
ktap_checks(globals(), BIOS, "lab4", LAB4_CASES)
ktap_checks(globals(), BIOS_3G_GB, "lab4", ["walk_finds_the_direct_map", "direct_map_uses_large_pages"])
ktap_checks(globals(), UEFI, "lab4", LAB4_CASES)


def direct_map_tables(out):
    """The page-table pages under the direct map's PGD entry that map RAM: one PUD table,
    a PMD table per GiB and a PTE table per 2 MiB that hold a mapping of RAM (no 1 GiB
    pages: the students' machines have QEMU's default CPU)."""
    regions = memblock_regions(out, "memory", merged=False)
    puds, pmds, ptes = set(), set(), set()
    for s, e in [(0, 0x100000)] + [(s, e) for s, e, _, _ in regions]:
        pa, end = s & ~0xfff, (e + 0xfff) & ~0xfff
        while pa < end:
            size = 1 << 21 if pa % (1 << 21) == 0 and end - pa >= 1 << 21 else 1 << 12
            puds.add(pa >> 39)
            pmds.add(pa >> 30)
            if size == 1 << 12:
                ptes.add(pa >> 21)
            pa += size
    return len(puds) + len(pmds) + len(ptes)


def last_ram_pmd_index(out):
    """The PMD index of the direct-map address of the last byte of usable RAM (e820)."""
    last = max(e for s, e, t in e820_lines(out, "e820") if t == "usable") - 1
    return ((PAGE_OFFSET + last) >> 21) & 511


# All on the student's own machine, on one fresh boot, in this order.
QUESTIONS = [
    Question("q1", "number", Derive(MINE, "memblock memory", read=direct_map_tables)),
    Question("q2", "text", None),
    Question("q3", "number", Derive(MINE, "e820", read=last_ram_pmd_index)),
    Question("q4", "number", Derive(MINE, "vtop 0xffffffff80012345",
                                    r"= physical (0x[0-9a-f]+)$")),
    Question("q5", "text", None),
]

INIT_64 = "kernel/arch/x86_64/init_64.c"
WALK = INIT_64, "pt_walk"
FITS = INIT_64, "fits"
MAP = INIT_64, "map_range"

WRONG = [
    Wrong("large_pages_ignored", "reads a large page's memory as if it were the next table",
          [(*WALK, " || (level > PG_LEVEL_PGD && (e & _PAGE_PSE))", "")]),
    Wrong("flag_bits_kept", "keeps NX and the other flag bits in the physical address",
          [(*WALK, "*phys = ((e & PTE_PFN_MASK) & ~mask) | (va & mask);", "*phys = (e & ~mask) | (va & mask);")]),
    Wrong("offset_always_12_bits", "takes 12 bits of offset whatever the page size",
          [(*WALK, "u64 mask = (1ULL << pg_level_shift(level)) - 1;", "u64 mask = PAGE_SIZE - 1;")]),
    Wrong("large_bit_at_every_level", "takes bit 7 of a PGD entry for a large page",
          [(*WALK, "(level > PG_LEVEL_PGD && (e & _PAGE_PSE))", "(e & _PAGE_PSE)")]),
    Wrong("physical_address_as_pointer", "follows a table's physical address as a pointer: oops",
          [(*WALK, "table = table_of(e);", "table = (u64 *)(e & PTE_PFN_MASK);")],
          isolates="vtop_direct_map"),
    Wrong("large_page_restarts_the_walk", "starts over at the top when it meets a large page: hangs",
          [(*WALK, "if (level == PG_LEVEL_PTE || (level > PG_LEVEL_PGD && (e & _PAGE_PSE))) {",
            "if (level > PG_LEVEL_PGD && level < PG_LEVEL_PTE && (e & _PAGE_PSE)) {\n"
            "\t\t\tlevel = PG_LEVEL_PGD - 1; /* a large page: look again from the top */\n"
            "\t\t\ttable = __va(read_cr3() & PTE_PFN_MASK);\n\t\t\tcontinue;\n\t\t}\n"
            "\t\tif (level == PG_LEVEL_PTE) {")],
          isolates="vtop_direct_map"),
    Wrong("access_from_the_leaf_only", "takes the rights of the last entry alone",
          [(*WALK, "allowed &= e;", "allowed = e & (_PAGE_RW | _PAGE_USER);")]),
    Wrong("nx_from_the_leaf_only", "takes NX from the last entry alone",
          [(*WALK, "nx |= e & _PAGE_NX;", "nx = e & _PAGE_NX;")]),
    Wrong("access_left_unset_for_a_large_page", "reports no rights for a large page",
          [(*WALK, "*access = allowed | nx;", "*access = level == PG_LEVEL_PTE ? (allowed | nx) : 0;")]),
    Wrong("cr3_flags_half_masked", "clears only PWT and PCD from CR3, not a PCID's other bits",
          [(*WALK, "u64 *table = __va(read_cr3() & PTE_PFN_MASK);",
            "u64 *table = __va(read_cr3() & ~(_PAGE_PWT | _PAGE_PCD));")]),
    Wrong("fits_pa_only_page_aligned", "wants the physical address aligned to 4 KiB, not to the page",
          [(*FITS, "!((va | pa) & (page - 1))", "!(va & (page - 1)) && !(pa & (PAGE_SIZE - 1))")]),
    Wrong("fits_ignores_the_cpu", "uses 1 GiB pages on a CPU without them",
          [(*FITS, "\tif (level == PG_LEVEL_PUD && !gbpages)\n\t\treturn false;\n", "")]),
    Wrong("fits_needs_more_than_a_page", "wants more than a whole page left, not at least one",
          [(*FITS, "size >= page", "size > page")]),
    Wrong("no_large_page_bit", "writes a large page without _PAGE_PSE",
          [(*MAP, "*e = pa | prot | _PAGE_PSE;", "*e = pa | prot;")]),
    Wrong("steps_4k_after_a_large_page", "moves on by 4 KiB whatever size of page it mapped",
          [(*MAP, "\t\tva += 1ULL << pg_level_shift(level);\n\t\tpa += 1ULL << pg_level_shift(level);\n"
            "\t\tsize -= 1ULL << pg_level_shift(level);\n",
            "\t\tva += PAGE_SIZE;\n\t\tpa += PAGE_SIZE;\n\t\tsize -= PAGE_SIZE;\n")]),
    Wrong("nx_kept_without_cpu_support", "forgets supported_pte_mask: NX on a CPU without it",
          [(*MAP, "\tprot &= supported_pte_mask;\n", "")]),
    Wrong("counts_every_page_as_4k", "counts every page it maps in DirectMap4k",
          [(*MAP, "direct_pages_count[level]++;", "direct_pages_count[PG_LEVEL_PTE]++;")]),
    Wrong("small_pages_lose_prot", "gives every 4 KiB page present + rw, whatever was asked",
          [(*MAP, "table[pg_index(va, level)] = pa | prot;",
            "table[pg_index(va, level)] = pa | _PAGE_PRESENT | _PAGE_RW;")]),
]
