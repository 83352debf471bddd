# SPDX-License-Identifier: MIT
"""Lab 9: HighMem (docs/labs/09-highmem.md).

Exercise 1: lowmem_limit() and zone_sizes_init() - where the direct map ends, and the
            zones on each side of it, in the 32-bit layout (zones=x86_32) and the default.
Exercise 2: kmap(), kunmap(), find_free_slot(), flush_all_zero_pkmaps() - the counted
            slots of the persistent kmap window, and the sweep that frees lingering ones.
"""

import re

from labkit import (MINE, Boot, Derive, Lab, Machines, Question, Target, Wrong, kernel_check,
                    ktap_checks)
from machine import check

from common import KERNEL_VIRT_BASE, PAGE_OFFSET, memblock_regions

# Every student's machine has HighMem: more than MAXMEM (885 MiB) of RAM, in the 32-bit layout.
LAB = Lab(9, "HighMem", doc="docs/labs/09-highmem.md", answers="docs/labs/answers/09.txt",
          machines=Machines(mem=["1280M", "1536M", "2G", "2560M", "3G"],
                            cmdline="console=ttyS0 zones=x86_32"))

TARGETS = [
    Target("mm/highmem.c", "lowmem_limit", """
{
	/*
	 * Lab 9, exercise 1 (docs/labs/09-highmem.md): how many bytes of RAM, from address
	 * 0, the direct map may cover in the current zone layout.  Until you do, there is
	 * no limit in either layout: all RAM is direct-mapped and nothing is HighMem.
	 */
	(void)vmalloc_reserve;
	return ~0ULL;
}
"""),
    Target("mm/mm_init.c", "zone_sizes_init", """
{
	/*
	 * Lab 9, exercise 1 (docs/labs/09-highmem.md): max_low_pfn and every zone's end,
	 * for the current layout and RAM, handed to free_area_init().  Until you do,
	 * max_low_pfn stays 0, and in the 32-bit layout all the direct map covers is one
	 * Normal zone, the rest HighMem.  The default layout's DMA and DMA32 are set up for
	 * you, so that the other labs, done in any order, find the zones they use.
	 */
	unsigned long end_pfn = PFN_DOWN(memblock_end_of_DRAM());
	unsigned long low_pfn = MIN(end_pfn, PFN_DOWN(memblock_get_current_limit()));
	unsigned long max_zone_pfns[MAX_NR_ZONES] = { 0 };

	if (zone_layout != ZONES_X86_32) {
		max_zone_pfns[ZONE_DMA] = MIN(PFN_DOWN(16 * SZ_1M), low_pfn);
		max_zone_pfns[ZONE_DMA32] = MIN(PFN_DOWN(SZ_4G), low_pfn);
	}
	max_zone_pfns[ZONE_NORMAL] = low_pfn;
	max_zone_pfns[ZONE_HIGHMEM] = end_pfn;
	free_area_init(max_zone_pfns);
}
"""),
    Target("mm/highmem.c", "flush_all_zero_pkmaps", """
{
	/*
	 * Lab 9, exercise 2 (docs/labs/09-highmem.md): the sweep.  Afterwards no slot is
	 * mapped that nobody holds, and every held slot is as it was.  Until you do,
	 * nothing is swept: after 512 different pages, kmap() has no slot left.
	 */
}
"""),
    Target("mm/highmem.c", "find_free_slot", """
{
	/*
	 * Lab 9, exercise 2 (docs/labs/09-highmem.md): a free slot of the window for a new
	 * mapping, taken in turn, or -1 if every slot is held; lingering mappings are swept
	 * only when no slot is free.  Until you do, this takes the lowest free slot and
	 * never sweeps.
	 */
	(void)last_pkmap_nr, (void)flush_all_zero_pkmaps;
	for (int i = 0; i < LAST_PKMAP; i++)
		if (!pkmap_count[i])
			return i;
	return -1;
}
"""),
    Target("mm/highmem.c", "kmap", """
{
	/*
	 * Lab 9, exercise 2 (docs/labs/09-highmem.md): a kernel address for @page, which
	 * stays valid until the matching kunmap(); NULL, with a warning, when no slot can
	 * be had.  Until you do, nothing can be kmapped.
	 */
	(void)page, (void)find_free_slot;
	return NULL;
}
"""),
    Target("mm/highmem.c", "kunmap", """
{
	/*
	 * Lab 9, exercise 2 (docs/labs/09-highmem.md): the caller no longer needs the
	 * address kmap() gave it for @page; a page it did not kmap() is an error, reported
	 * and ignored.  Until you do, nothing happens.
	 */
	(void)page;
}
"""),
]

HOST = "tests/labs/09/host.c"

X86_32 = "console=ttyS0 zones=x86_32"
BIOS = Boot("bios")
BIOS_2G_32 = Boot("bios", mem="2G", cmdline=X86_32)
BIOS_2G_VMALLOC = Boot("bios", mem="2G", cmdline=X86_32 + " vmalloc=256M")
BIOS_512M_32 = Boot("bios", mem="512M", cmdline=X86_32)
UEFI_2G_32 = Boot("uefi", mem="2G", cmdline=X86_32)

MB = 1 << 20
DMA_END = 16 * MB >> 12
# Linux 6.18's i386 PAE lowmem limits, in frames: MAXMEM = VMALLOC_END 0xff5fe000 -
# PAGE_OFFSET 0xc0000000 - the vmalloc reserve (128 MiB; vmalloc=256M: 256 MiB + 8 MiB).
MAXMEM_PFN = 0x375fe
MAXMEM_VMALLOC_256M_PFN = (0x3f5fe000 - 264 * MB) >> 12


def ram_pfns(m):
    """(first pfn, end pfn) of memblock's RAM."""
    regions = memblock_regions(m.run("memblock memory"), "memory", merged=False)
    return (regions[0][0] + 0xfff) >> 12, regions[-1][1] >> 12


def zone_ranges(m):
    """{zone: (first pfn, end pfn) or None for empty} from the boot log's "Zone ranges:"."""
    dmesg = m.run("dmesg")
    block = re.search(r"\] Zone ranges:\n((?:.*\n)*?).*\] Movable zone start", dmesg)
    check(block, f"the boot log has no 'Zone ranges:' block:\n{dmesg[-1500:]}")
    zones = {}
    for name, rng in re.findall(r"\]   (\w+) +(empty|\[mem 0x[0-9a-f]+-0x[0-9a-f]+\])", block.group(1)):
        if rng == "empty":
            zones[name] = None
        else:
            s, e = re.findall(r"0x([0-9a-f]+)", rng)
            zones[name] = (int(s, 16) >> 12, (int(e, 16) + 1) >> 12)
    return zones, dmesg


def show(zones):
    return "\n".join(f"  {n:8} " + (f"pfn {r[0]:#x}-{r[1]:#x}" if r else "empty")
                     for n, r in zones.items())


def max_low_pfn(m):
    out = m.run("highmem")
    found = re.search(r"max_low_pfn (0x[0-9a-f]+|0)\)", out)
    check(found, f"`highmem` shows no max_low_pfn:\n{out}")
    return int(found.group(1), 0)


def check_layout(m, limit_pfn):
    """The zones, max_low_pfn, the boot's HIGHMEM/LOWMEM lines and the direct map, against
    memblock's RAM and the lowmem limit `limit_pfn`, in frames (None: the x86-64 layout)."""
    first, end = ram_pfns(m)
    if limit_pfn is None:
        low = end
        want = {"DMA": (first, min(end, DMA_END)),
                "DMA32": (min(end, DMA_END), min(end, 1 << 20)) if end > DMA_END else None,
                "Normal": (1 << 20, end) if end > 1 << 20 else None}
    else:
        low = min(end, limit_pfn)
        want = {"DMA": (first, min(low, DMA_END)),
                "Normal": (DMA_END, low) if low > DMA_END else None,
                "HighMem": (low, end) if end > low else None}
    zones, dmesg = zone_ranges(m)
    check(zones == want, f"Zone ranges:\n{show(zones)}\nexpected (RAM pfn {first:#x}-{end:#x}"
          f"{'' if limit_pfn is None else f', lowmem limit pfn {limit_pfn:#x}'}):\n{show(want)}")
    got = max_low_pfn(m)
    check(got == low, f"max_low_pfn is {got:#x}; the direct map must end at pfn {low:#x}")
    if limit_pfn is None:
        return
    for what, mib in (("HIGHMEM", (end - low) >> 8), ("LOWMEM", low >> 8)):
        check(re.search(rf"\] {mib}MB {what} available\.", dmesg),
              f"the boot log should say '{mib}MB {what} available.'")
    # The page tables must agree: the last lowmem frame is mapped, the first HighMem one not.
    tables = m.run("ptdump")
    last = PAGE_OFFSET + (low - 1) * 4096
    check(ptdump_mapped(tables, last), f"the last lowmem page, {last:#x}, is not in the "
          f"direct map:\n{tables}")
    if end > low:
        above = PAGE_OFFSET + low * 4096
        check(not ptdump_mapped(tables, above), f"the first HighMem page, {above:#x}, is in "
              f"the direct map:\n{tables}")


PTDUMP_RANGE = re.compile(r"^(0x[0-9a-f]+)-(0x[0-9a-f]+) +\S+ +(.*?) *(?:pgd|pud|pmd|pte)$", re.M)


def ptdump_mapped(tables, va):
    """Whether `ptdump` shows va mapped.  ptdump walks the page tables itself; `vtop`
    walks them with lab 4's pt_walk(), whose stub finds nothing mapped anywhere."""
    for start, end, flags in PTDUMP_RANGE.findall(tables):
        if int(start, 16) <= va < int(end, 16):
            return bool(flags.strip())
    return False


def check_meminfo(m):
    """HighTotal is the HighMem zone's managed pages, LowTotal the rest of MemTotal."""
    info = dict((k, int(v)) for k, v in re.findall(r"^(\w+): +(\d+) kB", m.run("meminfo"), re.M))
    zoneinfo = m.run("zoneinfo")
    high = re.search(r"zone +HighMem\n(?:.*\n)*? +managed +(\d+)", zoneinfo)
    check(high, f"zoneinfo has no HighMem zone:\n{zoneinfo}")
    check(info.get("HighTotal") == int(high.group(1)) * 4 > 0,
          f"meminfo HighTotal {info.get('HighTotal')} kB; the HighMem zone manages "
          f"{high.group(1)} pages")
    check(info.get("LowTotal") == info.get("MemTotal", 0) - info["HighTotal"],
          f"meminfo: LowTotal {info.get('LowTotal')} kB is not MemTotal - HighTotal")


@kernel_check(BIOS)
def default_layout(m):
    """SeaBIOS 512M: DMA, DMA32, no HighMem, all RAM direct-mapped"""
    check_layout(m, None)


@kernel_check(BIOS_2G_32)
def layout_2g(m):
    """SeaBIOS 2G x86_32: lowmem ends at MAXMEM, HighMem above"""
    check_layout(m, MAXMEM_PFN)


@kernel_check(BIOS_2G_VMALLOC)
def layout_2g_vmalloc(m):
    """SeaBIOS 2G x86_32 vmalloc=256M: lowmem ends 264 MiB below VMALLOC_END"""
    check_layout(m, MAXMEM_VMALLOC_256M_PFN)


@kernel_check(BIOS_512M_32)
def layout_512m(m):
    """SeaBIOS 512M x86_32: all RAM is lowmem, no HighMem"""
    check_layout(m, MAXMEM_PFN)


@kernel_check(UEFI_2G_32)
def layout_2g_ovmf(m):
    """OVMF 2G x86_32: lowmem ends at MAXMEM, HighMem above"""
    check_layout(m, MAXMEM_PFN)
    check_meminfo(m)


# kmap inside the kernel: tests/labs/09/selftest.c (`selftest lab9`).
KMAP_CASES = ["kmap_of_a_lowmem_page_is_its_address", "kmap_reaches_the_highmem_page",
              "a_held_slot_is_never_given_away", "kunmap_gives_the_slot_back",
              "a_full_window_gives_null"]
ktap_checks(globals(), BIOS_2G_32, "lab9", KMAP_CASES)
ktap_checks(globals(), UEFI_2G_32, "lab9", KMAP_CASES)


@kernel_check(BIOS_2G_32)
def highmem_demo(m):
    """SeaBIOS 2G x86_32: `highmem demo` reads back what kmap wrote"""
    out = m.run("highmem demo")
    kmapped = re.search(r"^kmap: +(0x[0-9a-f]+) +\(pkmap slot (\d+)\)", out, re.M)
    check(kmapped and f'reads back: "written through kmap at {kmapped.group(1)}"' in out,
          f"highmem demo:\n{out}")
    # vtop walks with lab 4's pt_walk(): with lab 4 not done, it finds nothing mapped
    # anywhere, and the read-back above is what shows kmap reached the page.
    if "not mapped" in m.run(f"vtop {KERNEL_VIRT_BASE:#x}"):
        return
    frames = re.findall(r"4K page: frame (0x[0-9a-f]+) ", out)
    pfn = re.search(r"^pfn (0x[0-9a-f]+) ", out, re.M)
    check(pfn and len(frames) == 2 and set(frames) == {pfn.group(1)},
          f"both mappings must reach the page's frame:\n{out}")


def kmap_steps(m, k, part):
    """Questions 6 and 7's experiment, with k new pages at the start; part 1 runs steps 1
    to 3 (question 6), part 2 steps 4 to 8 (question 7).  Returns what each step printed."""
    steps = {1: [f"highmem kmap {k}", "highmem kunmap all", "highmem kmap"],
             2: ["highmem kunmap all", "highmem kmap 512", "highmem kunmap all",
                 f"highmem kmap slot {k + 1}", "highmem kmap"]}[part]
    return [(c, m.run(c)) for c in steps]


def slots_given(out):
    """The slots a `highmem kmap` gave, in order, and "sweep" where it saw one."""
    got = []
    for first, last, sweep in re.findall(r"^slots? (\d+)(?:-(\d+))?:|^(sweep):", out, re.M):
        got += ["sweep"] if sweep else list(range(int(first), int(last or first) + 1))
    return got


def k_of(mem):
    """The experiment's k: the machine's RAM in MiB, divided by 8 (160 to 384)."""
    mib = int(mem[:-1]) * (1024 if mem.endswith("G") else 1)
    return mib // 8


BIOS_1536M_32 = Boot("bios", mem="1536M", cmdline=X86_32)


def expected_slots(k, part):
    """What each step of the experiment's part gives under the contract (None: no kmap)."""
    if part == 1:
        return [list(range(k)), None, [k]]
    return [None, list(range(k + 1, 512)) + ["sweep"] + list(range(k + 1)), None, [k + 1],
            ["sweep", k + 2]]


@kernel_check(BIOS_1536M_32)
def kmap_from_the_shell(m):
    """SeaBIOS 1536M x86_32: `highmem kmap` gives slots in turn, sweeps only a full window"""
    k, done = k_of(m.boot.mem), []
    for part in (1, 2):
        for (command, out), want in zip(kmap_steps(m, k, part), expected_slots(k, part)):
            done.append(f"pagelab> {command}\n{out}")
            if want is not None and slots_given(out) != want:
                check(False, f"`{command}` should give {show_slots(want)}, gave "
                      f"{show_slots(slots_given(out))}; the experiment so far:\n" +
                      "".join(done))


def show_slots(got):
    """[3, 4, 5, "sweep", 0] as "slots 3-5, a sweep, slot 0"."""
    words, run = [], []
    for x in got + [None]:
        if run and (x == "sweep" or x is None or x != run[-1] + 1):
            words.append(f"slot {run[0]}" if len(run) == 1 else f"slots {run[0]}-{run[-1]}")
            run = []
        if x == "sweep":
            words.append("a sweep")
        elif x is not None:
            run.append(x)
    return ", ".join(words) or "nothing"


class KmapExperiment(Derive):
    """The slot the last `highmem kmap` of part 1 or 2 of the experiment gives, on the
    student's machine: k, the number of pages the experiment starts with, is the
    machine's RAM in MiB divided by 8, so each student predicts other slots."""

    def __init__(self, part):
        super().__init__(MINE, f"questions 6 and 7's experiment, part {part}")
        self.part = part

    def output_of(self, m):
        return kmap_steps(m, k_of(m.boot.mem), self.part)[-1][1]

    def read(self, output):
        got = [x for x in slots_given(output) if x != "sweep"]
        if len(got) != 1:
            raise ValueError(f"the last `highmem kmap` gave no one slot:\n{output}")
        return str(got[0])


# After the kmap checks on purpose: when one of them oopses or hangs, this one shows that
# the grader booted a fresh machine and went on.
@kernel_check(BIOS_2G_32)
def meminfo_2g(m):
    """SeaBIOS 2G x86_32: meminfo HighTotal + LowTotal = MemTotal"""
    check_meminfo(m)


# On the student's own machine, in the 32-bit layout: how far HighMem spans (the RAM
# size, and where the chipset puts RAM above its PCI hole) and how much of the lowmem
# the kernel keeps for itself (the memmap grows with the RAM) differ from machine to
# machine.
QUESTIONS = [
    Question("q1", "text"),
    Question("q2", "number", Derive(MINE, "highmem", r"^HighMem zone: +(\d+) pages spanned")),
    # OVMF's memory map now and then moves a page between two boots of the same machine
    # (seen once in four lab-verify runs: 878524 against 878528 kB): a page either way is
    # the same answer.
    Question("q3", "number", Derive(MINE, "meminfo", r"^LowTotal: +(\d+) kB"), tolerance=4),
    Question("q4", "text"),
    Question("q5", "text"),
    Question("q6", "number", KmapExperiment(1)),
    Question("q7", "number", KmapExperiment(2)),
]

LIMIT = "mm/highmem.c", "lowmem_limit"
ZONES = "mm/mm_init.c", "zone_sizes_init"
KMAP = "mm/highmem.c", "kmap"
KUNMAP = "mm/highmem.c", "kunmap"
FLUSH = "mm/highmem.c", "flush_all_zero_pkmaps"
FIND = "mm/highmem.c", "find_free_slot"

WRONG = [
    Wrong("lowmem_is_1g", "lets the direct map have the whole 1 GiB, with no vmalloc reserve",
          [(*LIMIT, "X86_32_VMALLOC_END - X86_32_PAGE_OFFSET - vmalloc_reserve", "SZ_1G")]),
    Wrong("lowmem_is_896m", "keeps the classic 1 GiB - 128 MiB: the kmap window, LDT, CPU entry "
          "areas and fixmap at the top are forgotten",
          [(*LIMIT, "X86_32_VMALLOC_END - X86_32_PAGE_OFFSET - vmalloc_reserve",
            "SZ_1G - vmalloc_reserve")]),
    Wrong("vmalloc_option_ignored", "always keeps 128 MiB, whatever vmalloc= says",
          [(*LIMIT, "X86_32_VMALLOC_END - X86_32_PAGE_OFFSET - vmalloc_reserve",
            "X86_32_VMALLOC_END - X86_32_PAGE_OFFSET - DEFAULT_VMALLOC_RESERVE")]),
    Wrong("lowmem_one_page_short", "ends lowmem one page before the limit",
          [(*ZONES, "max_low_pfn = MIN(end_pfn, PFN_DOWN(lowmem_limit()));",
            "max_low_pfn = MIN(end_pfn, PFN_DOWN(lowmem_limit()) - 1);")]),
    Wrong("lowmem_past_the_ram", "does not cap max_low_pfn at the end of RAM",
          [(*ZONES, "max_low_pfn = MIN(end_pfn, PFN_DOWN(lowmem_limit()));",
            "max_low_pfn = PFN_DOWN(lowmem_limit());")]),
    Wrong("x86_32_keeps_dma32", "keeps DMA32 in the 32-bit layout: it takes all of lowmem, Normal is empty",
          [(*ZONES, "max_zone_pfns[ZONE_DMA32] = max_zone_pfns[ZONE_DMA];",
            "max_zone_pfns[ZONE_DMA32] = MIN(PFN_DOWN(SZ_4G), max_low_pfn);")]),
    Wrong("no_highmem_zone", "never sets HighMem's end: the RAM above lowmem is in no zone",
          [(*ZONES, "\tmax_zone_pfns[ZONE_HIGHMEM] = end_pfn;\n", "")]),
    Wrong("lowmem_page_gets_a_slot", "kmaps a lowmem page into a slot too",
          [(*KMAP, "\tif (!PageHighMem(page))\n\t\treturn page_address(page);\n", "")]),
    Wrong("new_slot_counted_once", "counts a new slot 1, so the sweep gives a held slot to another page",
          [(*KMAP, "pkmap_count[slot] = 2;", "pkmap_count[slot] = 1;")]),
    Wrong("kmap_ignores_the_page_slot", "never looks for the page's slot: a page kmapped twice gets two",
          [(*KMAP, "addr = highmem_page_address(page);", "addr = NULL;")]),
    Wrong("kmap_counts_a_kmap_local_address", "takes a kmap_local_page() address for a slot",
          [(*KMAP, "if (addr && PKMAP_NR(addr) < LAST_PKMAP) {", "if (addr) {")]),
    Wrong("kunmap_unmaps_at_once", "unmaps the slot when the last holder lets go: nothing lingers",
          [(*KUNMAP, "pkmap_count[PKMAP_NR(addr)]--;",
            "if (--pkmap_count[PKMAP_NR(addr)] == 1) {\n\t\t\tpkmap_count[PKMAP_NR(addr)] = 0;\n"
            "\t\t\tpkmap_page[PKMAP_NR(addr)] = NULL;\n\t\t\tarch_kmap_clear((u64)addr);\n\t\t}")]),
    Wrong("kunmap_of_a_lingering_slot", "accepts a kunmap at count 1 and frees the slot behind the sweep",
          [(*KUNMAP, "pkmap_count[PKMAP_NR(addr)] < 2", "pkmap_count[PKMAP_NR(addr)] < 1")]),
    Wrong("kunmap_never_frees", "never drops the count: the window fills up for good",
          [(*KUNMAP, "pkmap_count[PKMAP_NR(addr)]--;", "(void)addr;")]),
    Wrong("kmap_waits_for_a_slot", "spins until a slot frees up, as Linux sleeps: hangs",
          [(*KMAP, "} else if ((slot = find_free_slot()) >= 0) {",
            "} else if (({ while ((slot = find_free_slot()) < 0) {\n\t\t\t/* wait */\n\t\t} slot; }) >= 0) {")],
          isolates="selftest_lab9_a_full_window_gives_null_bios_2G"),
    Wrong("kmap_through_the_direct_map", "returns the direct-map address for every page: oops",
          [(*KMAP, "\tif (!PageHighMem(page))\n\t\treturn page_address(page);\n",
            "\treturn lowmem_page_address(page);\n")],
          isolates="selftest_lab9_kmap_reaches_the_highmem_page_bios_2G"),
    Wrong("sweep_frees_held_slots", "sweeps every mapped slot, held ones too: a holder's "
          "address goes to another page",
          [(*FLUSH, "if (pkmap_count[i] != 1)", "if (!pkmap_count[i])")]),
    Wrong("sweep_keeps_the_page_table", "frees lingering slots without clearing their "
          "page table entries: stale translations",
          [(*FLUSH, "\t\tarch_kmap_clear(PKMAP_ADDR(i));\n", "")]),
    Wrong("no_sweep", "never sweeps: after 512 different pages the window is full for good",
          [(*FIND, "\t\tflush_all_zero_pkmaps();\n", "\t\t(void)flush_all_zero_pkmaps;\n")]),
    Wrong("search_starts_at_slot_0", "takes the lowest free slot, not the next in turn: "
          "after a sweep the slots below last_pkmap_nr go first",
          [(*FIND, "unsigned int i = (last_pkmap_nr + n) % LAST_PKMAP;", "unsigned int i = n;")]),
    Wrong("sweep_when_the_search_wraps", "sweeps each time the search comes round to slot 0, "
          "as Linux does, not only when no slot is free",
          [(*FIND, "\t\t\tif (!pkmap_count[i]) {",
            "\t\t\tif (!i && n)\n\t\t\t\tflush_all_zero_pkmaps();\n\t\t\tif (!pkmap_count[i]) {")]),
    Wrong("slot_search_stops_at_the_end", "searches from the last slot given to the end of the "
          "window, never wrapping round: slots below it are never found",
          [(*FIND, "unsigned int i = (last_pkmap_nr + n) % LAST_PKMAP;",
            "unsigned int i = last_pkmap_nr + n;\n\n\t\t\tif (i >= LAST_PKMAP)\n\t\t\t\tbreak;")]),
]
