# SPDX-License-Identifier: MIT
"""Lab 3: struct page and zones (docs/labs/03-struct-page-and-zones.md).

Exercise 1: pfn_valid(), sparse_init() and populate_range() - the section map, and struct
pages for the sections with RAM.
Exercise 2: absent_pages_in_range() - present pages are the span minus the holes.
"""

import re

from labkit import MINE, Boot, Derive, Lab, Machines, Question, Target, Wrong, kernel_check, ktap_checks
from machine import check

from common import memblock_regions

# Sizes on both sides of q35's PCI-hole split (2.75 GiB) and pc's (3.5 GiB), each ending
# inside a 128 MiB section: q2's count of struct pages for frames that are not RAM then
# depends on the size, not only on the firmware (whole sections gave many students one
# answer).
LAB = Lab(3, "struct page and zones", doc="docs/labs/03-struct-page-and-zones.md",
          answers="docs/labs/answers/03.txt",
          machines=Machines(mem=["320M", "448M", "704M", "960M", "1472M", "1984M", "2880M",
                                 "3264M", "3648M"]))

TARGETS = [
    Target("mm/sparse.c", "pfn_valid", """
{
	/*
	 * Lab 3, exercise 1 (docs/labs/03-struct-page-and-zones.md): true exactly when
	 * @pfn has a struct page that may be looked at, for any @pfn at all.  Until you
	 * write it, the kernel is told no frame has one - though it has a memmap.
	 */
	(void)pfn;
	return false;
}
"""),
    Target("mm/sparse.c", "populate_range", """
{
	/*
	 * Lab 3, exercise 1 (docs/labs/03-struct-page-and-zones.md): afterwards every
	 * section holding a byte of [@start, @end) is present with its memmap backed, and
	 * no memmap is backed twice.  Return how many sections were not present before.
	 */
	(void)start, (void)end;
	return 0;
}
"""),
    Target("mm/sparse.c", "sparse_init", """
{
	/*
	 * Lab 3, exercise 1 (docs/labs/03-struct-page-and-zones.md): afterwards exactly the
	 * sections that hold memblock memory are present, each with its memmap, and the
	 * kernel has said how many and what they cost (the "sparse:" line).  Until you do,
	 * this stand-in backs every section from 0 to the end of RAM, holes included - what
	 * a flat memmap would cost.
	 */
	unsigned long nr = MIN(pfn_to_section_nr(PFN_UP(memblock_end_of_DRAM()) - 1) + 1,
			       (unsigned long)NR_MEM_SECTIONS);

	if (vmemmap_populate(0, section_nr_to_pfn(nr)))
		panic("sparse_init: no memory for a flat memmap of %lu sections", nr);
	for (unsigned long sec = 0; sec < nr; sec++)
		section_present[sec / 64] |= 1ULL << (sec % 64);
	(void)populate_range;
}
"""),
    Target("mm/mm_init.c", "absent_pages_in_range", """
{
	/*
	 * Lab 3, exercise 2 (docs/labs/03-struct-page-and-zones.md): return how many frames
	 * in [@start, @end) no memblock memory region covers.  Until you do, there are no
	 * holes, and every zone's present pages are its spanned pages.
	 */
	(void)start, (void)end;
	return 0;
}
"""),
]

HOST = "tests/labs/03/host.c"

BIOS = Boot("bios")
BIOS_3G = Boot("bios", mem="3G")
UEFI = Boot("uefi")
SECTION_PAGES = 1 << 15


def memory_pfns(m):
    """memblock's RAM as whole frames: [(first pfn, end pfn)]."""
    regions = memblock_regions(m.run("memblock memory"), "memory", merged=False)
    return [((s + 0xfff) >> 12, e >> 12) for s, e, _, _ in regions]


def zones(m):
    """{zone: (start_pfn, spanned, present)} from `zoneinfo`."""
    out = m.run("zoneinfo")
    found = {}
    for block in re.split(r"^(?=Node 0, zone)", out, flags=re.M):
        name = re.match(r"Node 0, zone +(\w+)", block)
        if not name:
            continue
        nums = {k: int(v) for k, v in re.findall(r"^ +(spanned|present|managed|start_pfn:) +(\d+)",
                                                 block, re.M)}
        check({"spanned", "present"} <= set(nums) and ("start_pfn:" in nums or not nums["spanned"]),
              f"zoneinfo:\n{out}")
        found[name.group(1)] = (nums.get("start_pfn:", 0), nums["spanned"], nums["present"])
    check(found, f"zoneinfo shows no zones:\n{out}")
    return found


def check_present(m):
    ram = memory_pfns(m)
    total = 0
    for name, (start, spanned, present) in zones(m).items():
        end = start + spanned
        want = sum(max(0, min(e, end) - max(s, start)) for s, e in ram) if spanned else 0
        check(present == want, f"zone {name} spans pfn {start:#x}-{end:#x} ({spanned} pages); "
              f"{want} of them are RAM, but it says present {present}")
        total += present
    memory = re.search(r"\] Memory: \d+K/(\d+)K available", m.run("dmesg"))
    check(memory, "the boot log has no 'Memory:' line")
    check(int(memory.group(1)) == total * 4 == sum(e - s for s, e in ram) * 4,
          f"'Memory: .../{memory.group(1)}K': the RAM is {sum(e - s for s, e in ram) * 4}K")


def check_sections(m):
    ram = memory_pfns(m)
    sections = sorted({sec for s, e in ram for sec in range(s >> 15, ((e - 1) >> 15) + 1)})
    line = re.search(r"\] sparse: (\d+) sections of 128 MiB present", m.run("dmesg"))
    check(line, "the boot log has no 'sparse: N sections' line")
    check(int(line.group(1)) == len(sections),
          f"the boot log says {line.group(1)} sections; RAM touches {len(sections)}")
    top = sections[-1] + 1
    holes = [sec for sec in range(top) if sec not in sections]
    for sec in [sections[0], sections[-1]] + holes[:2]:
        pfn = sec * SECTION_PAGES
        out = m.run(f"page {pfn:#x}")
        has_memmap = "has no struct page" not in out
        check(has_memmap == (sec in sections),
              f"page {pfn:#x} (section {sec}, {'with' if sec in sections else 'without'} RAM):\n{out}")
    out = m.run("page 0xffffffffffffffff")
    check("has no struct page" in out, f"page 0xffffffffffffffff, far past the section map:\n{out}")


@kernel_check(BIOS)
def present_pages_on_seabios(m):
    """SeaBIOS: each zone's present pages are its span minus the holes"""
    check_present(m)


@kernel_check(BIOS)
def sections_on_seabios(m):
    """SeaBIOS: struct pages for exactly the sections that hold RAM"""
    check_sections(m)


@kernel_check(BIOS_3G)
def pci_hole_present_pages(m):
    """SeaBIOS, 3 GiB: DMA32 spans the PCI hole, its present pages do not"""
    check_present(m)


@kernel_check(BIOS_3G)
def pci_hole_has_no_struct_pages(m):
    """SeaBIOS, 3 GiB: the PCI hole's sections have no struct pages"""
    check_sections(m)


@kernel_check(UEFI)
def present_pages_and_sections_on_ovmf(m):
    """OVMF: present pages and struct pages follow the RAM"""
    check_present(m)
    check_sections(m)


# The same model checked inside the kernel: tests/labs/03/selftest.c (`selftest lab3`).
# With 512 MiB no section is a hole, so the memmap case runs on the 3 GiB machine.
LAB3_ZONE_CASES = ["present_pages_are_ram_pages", "node_present_pages_are_all_ram"]
ktap_checks(globals(), BIOS, "lab3", LAB3_ZONE_CASES)
ktap_checks(globals(), BIOS_3G, "lab3", LAB3_ZONE_CASES + ["struct_pages_exactly_where_ram_is"])
ktap_checks(globals(), UEFI, "lab3", LAB3_ZONE_CASES)


def ram_pfns(out):
    """memblock's RAM as whole frames, [(first, end)], from `memblock dump`."""
    ranges = [((int(s, 16) + 0xfff) >> 12, (int(e, 16) + 1) >> 12) for s, e in
              re.findall(r"^ memory\[0x[0-9a-f]+\]\s+\[0x([0-9a-f]+)-0x([0-9a-f]+)\]", out, re.M)]
    check(ranges, f"memblock dump shows no memory:\n{out}")
    return ranges


def first_pfn_without_struct_page(out):
    """The first frame of the lowest section no RAM touches."""
    sections = {sec for s, e in ram_pfns(out) for sec in range(s >> 15, ((e - 1) >> 15) + 1)}
    sec = 0
    while sec in sections:
        sec += 1
    return hex(sec * SECTION_PAGES)


def section_map_word_0(out):
    """section_present[0]: one bit for each of sections 0-63 that RAM touches."""
    sections = {sec for s, e in ram_pfns(out) for sec in range(s >> 15, ((e - 1) >> 15) + 1)}
    return hex(sum(1 << sec for sec in sections if sec < 64))


def zone_numbers(out, zone):
    block = re.search(r"zone +" + zone + r"\n(.*?)(?=^Node|\Z)", out, re.M | re.S)
    check(block, f"zoneinfo has no zone {zone}:\n{out}")
    return {k: int(v) for k, v in re.findall(r"^ +(spanned|present|managed) +(\d+)", block.group(1), re.M)}


# All read on one boot of the student's machine; none of them changes while it runs
# (managed pages are fixed once memblock_free_all() has run), so the order does not matter.
QUESTIONS = [
    Question("q1", "number", Derive(MINE, "zoneinfo", read=lambda out: zone_numbers(out, "DMA32")["spanned"] -
                                    zone_numbers(out, "DMA32")["present"])),
    Question("q2", "number",
             Derive(MINE, "dmesg", read=lambda out: sum(
                 int(n) for n in re.findall(r"\] On node 0, zone \w+: (\d+) pages in unavailable ranges",
                                            out)))),
    Question("q3", "number", Derive(MINE, "memblock dump", read=first_pfn_without_struct_page)),
    Question("q4", "number",
             Derive(MINE, "zoneinfo", read=lambda out: zone_numbers(out, "DMA")["present"] -
                    zone_numbers(out, "DMA")["managed"])),
    Question("q5", "number", Derive(MINE, "memblock dump", read=section_map_word_0)),
    Question("q6", "text"),
]

VALID = "mm/sparse.c", "pfn_valid"
POPULATE = "mm/sparse.c", "populate_range"
SPARSE = "mm/sparse.c", "sparse_init"
ABSENT = "mm/mm_init.c", "absent_pages_in_range"

WRONG = [
    Wrong("frame_0_is_no_page", "takes frame 0 for no page, as if it were a NULL pointer",
          [(*VALID, "return sec < NR_MEM_SECTIONS", "return pfn && sec < NR_MEM_SECTIONS")]),
    Wrong("answers_whether_it_is_ram", "answers whether the frame is RAM, not whether it has a struct page",
          [(*VALID, "(sec % 64)) & 1;", "(sec % 64)) & 1 && memblock_is_memory(PFN_PHYS(pfn));")]),
    Wrong("stops_at_the_end_of_ram", "says the frames after the end of RAM have none, though they share its section",
          [(*VALID, "return sec < NR_MEM_SECTIONS", "return pfn < PFN_DOWN(memblock_end_of_DRAM()) && sec < NR_MEM_SECTIONS")]),
    Wrong("tests_the_word_not_the_bit", "tests the section's word of the map, not its bit",
          [(*VALID, "(section_present[sec / 64] >> (sec % 64)) & 1", "section_present[sec / 64] != 0")]),
    Wrong("map_bound_off_by_one", "lets the first section past the map through its bound",
          [(*VALID, "sec < NR_MEM_SECTIONS &&", "sec <= NR_MEM_SECTIONS &&")]),
    Wrong("map_unbounded", "trusts every pfn to lie inside the section map",
          [(*VALID, "sec < NR_MEM_SECTIONS && ", "")]),
    Wrong("one_section_too_many", "takes the section after a range that ends on a boundary",
          [(*POPULATE, "pfn_to_section_nr(PFN_UP(end) - 1)", "pfn_to_section_nr(PFN_UP(end))")]),
    Wrong("last_section_missed", "stops before the section the range ends in",
          [(*POPULATE, "sec <= last && sec < NR_MEM_SECTIONS", "sec < last && sec < NR_MEM_SECTIONS")]),
    Wrong("shared_section_twice", "gives a section shared by two ranges a second memmap",
          [(*POPULATE, "\t\tif (pfn_valid(section_nr_to_pfn(sec)))\n\t\t\tcontinue; /* shared with the previous range */\n", "")]),
    Wrong("counts_touched_sections", "returns the sections the range touches, not the new ones",
          [(*POPULATE, "return added;", "return last - first + 1;")]),
    Wrong("memmap_never_backed", "marks the sections present but never backs their memmap",
          [(*POPULATE, "\t\tif (vmemmap_populate(section_nr_to_pfn(sec), PAGES_PER_SECTION))\n"
                       "\t\t\tpanic(\"sparse_init: no memory for the memmap of section %lu\", sec);\n", "")]),
    Wrong("section_never_marked", "backs the memmap but never marks the section present",
          [(*POPULATE, "\t\tsection_present[sec / 64] |= 1ULL << (sec % 64);\n", "")]),
    Wrong("bytes_as_frames", "takes a byte address for a frame number",
          [(*POPULATE, "pfn_to_section_nr(PFN_DOWN(start))", "pfn_to_section_nr(start)")]),
    Wrong("flat_from_zero", "backs everything from address 0 to each range's end",
          [(*SPARSE, "populate_range(r->base, r->base + r->size)", "populate_range(0, r->base + r->size)")]),
    Wrong("unclamped_ranges", "counts every RAM range whole, in every zone",
          [(*ABSENT, "present += clamp(e, start, end) - clamp(s, start, end);", "present += e - s;")]),
    Wrong("clamps_only_the_end", "clamps a range's end to the zone but not its start",
          [(*ABSENT, "clamp(e, start, end) - clamp(s, start, end)", "clamp(e, start, end) - s")]),
    Wrong("clamps_only_the_start", "clamps a range's start to the zone but not its end",
          [(*ABSENT, "clamp(e, start, end) - clamp(s, start, end)", "e - clamp(s, start, end)")]),
    Wrong("returns_present", "returns the present pages instead of the absent ones",
          [(*ABSENT, "return (end - start) - present;", "return present;")]),
]
