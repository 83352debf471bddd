# SPDX-License-Identifier: MIT
"""The buddy page allocator on real firmware.

- `selftest buddy` (KTAP) passes on both boot paths, also with page_poison=1 and in the
  32-bit layout (HighMem);
- alloc/free round trips leave buddyinfo exactly as it was once the per-cpu lists are
  drained; MemFree, vmstat's nr_free_pages, zoneinfo's "pages free" and the pages in
  buddyinfo are one number, as in Linux (per-cpu pages are counted in none of them);
  meminfo and vmstat have Linux 6.18's keys in its order (procfmt.py);
- an impossible `alloc 11` warns once and fails cleanly; exhausting DMA prints Linux's
  "page allocation failure" report; freeing a reserved frame prints "BUG: Bad page
  state" and changes nothing, as does freeing a frame with an order its block lacks
  (page_poison=1: the top of RAM, where the tails have no memmap); `free 0X1` is a frame,
  as `free 0x1` is, not handle 1;
- `stress` runs, and freeing everything gives back the same free lists.
"""

import os
import re

import procfmt
from machine import ONE_OF_EACH, TESTS, TestFailure, check, image_variant, test

TIMESTAMP = r"^\[ *\d+\.\d{6}\] "  # printk's: the report goes to the kernel log
BUDDYINFO = re.compile(r"^Node 0, zone +(\w+) ((?: +\d+){11}) *$", re.M)


def buddyinfo(m):
    """{zone: [blocks per order]} from `buddyinfo`."""
    out = m.run("buddyinfo")
    zones = {z: [int(n) for n in counts.split()] for z, counts in BUDDYINFO.findall(out)}
    check(zones, f"buddyinfo:\n{out}")
    return zones


def free_pages(zones):
    return sum(n << order for counts in zones.values() for order, n in enumerate(counts))


CAPTURE = os.path.join(os.path.dirname(__file__), "..", "data", "proc-6.18")


def shape(line):
    """A line's layout without its values (as tests/unit/test_procfmt_pages.c): digits blanked,
    a last left-aligned number reduced to where it starts."""
    return re.sub(r"\d+$", "#", line).translate(str.maketrans("0123456789", " " * 10))


def pagesets(zoneinfo):
    """{zone: [the shapes of its first CPU's pageset lines and its last two lines]}."""
    out = {}
    for name, entry in re.findall(r"^Node 0, zone +(\w+)\n(.*?)(?=^Node 0, zone|\Z)", zoneinfo,
                                  re.M | re.S):
        cpu = re.search(r"^  pagesets\n(?:.*\n)*?  vm stats threshold: \d+\n", entry, re.M)
        tail = re.search(r"^  node_unreclaimable: .*\n  start_pfn: .*\n", entry, re.M)
        if cpu and tail:
            out[name] = [shape(line) for line in (cpu.group(0) + tail.group(0)).splitlines()]
    return out


def views_have_linux_6_18_layouts(m):
    """pagetypeinfo and zoneinfo's pagesets against the real Linux 6.18 files: the same
    lines, in the same columns (values aside)."""
    with open(os.path.join(CAPTURE, "pagetypeinfo")) as f:
        theirs = {shape(line) for line in f.read().splitlines()}
    mine = m.run("pagetypeinfo")
    rows = mine.splitlines()
    check(len(rows) > 12 and all(shape(line) in theirs for line in rows),
          "pagetypeinfo lines Linux 6.18 has no twin for:\n"
          + "\n".join(line for line in rows if shape(line) not in theirs))
    with open(os.path.join(CAPTURE, "zoneinfo")) as f:
        theirs = pagesets(f.read())
    mine = pagesets(m.run("zoneinfo"))
    check(mine and all(mine[z] == theirs[z] for z in mine),
          f"zoneinfo's pagesets differ from Linux 6.18's:\n{mine}\n{theirs}")


def selftest_passes(m, label):
    out = m.run("selftest buddy", timeout=300)
    check(out.startswith("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: buddy\n"),
          f"{label}: not KTAP:\n{out}")
    plan = re.search(r"^    1\.\.(\d+)$", out, re.M)
    results = re.findall(r"^    (ok|not ok) (\d+) (\w+)", out, re.M)
    check(plan and len(results) == int(plan.group(1)), f"{label}: plan and results differ:\n{out}")
    failed = [r for r in results if r[0] != "ok"]
    check(not failed and re.search(r"^ok 1 buddy$", out, re.M), f"{label}: failures {failed}:\n{out}")
    check(re.search(r"^# buddy: pass:\d+ fail:0 skip:\d+ total:" + plan.group(1) + "$", out, re.M),
          f"{label}: totals line:\n{out}")
    return out


@test(*ONE_OF_EACH)
def buddy_selftest_and_round_trips(m):
    m.start().wait_for_prompt()
    selftest_passes(m, "selftest")

    m.run("drain")
    before = buddyinfo(m)
    handles = []
    for cmd in ("alloc 5", "alloc 9 dma32", "alloc 0 dma zero", "alloc 3 movable", "alloc 10 atomic",
                "alloc 2 reclaimable|nowarn", "alloc 7 highuser_movable"):
        out = m.run(cmd)
        h = re.match(r"alloc: handle (\d+): order (\d+) \(\d+ pages, \d+ KiB\) at pfn (0x[0-9a-f]+)", out)
        check(h, f"{cmd!r}:\n{out}")
        order, pfn = int(h.group(2)), int(h.group(3), 16)
        check(pfn % (1 << order) == 0, f"{cmd!r}: pfn {pfn:#x} is not aligned to order {order}")
        handles.append(h.group(1))
    check("zone DMA," in m.run("held"), "alloc 0 dma came from DMA")
    check(buddyinfo(m) != before, "allocating changed nothing?")
    for h in handles:
        check(m.run(f"free {h}").startswith(f"free: handle {h}: "), f"free {h}")
    check("holds 0 blocks" in m.run("held"), "everything freed")
    m.run("drain")
    after = buddyinfo(m)
    check(after == before, f"buddyinfo changed by the round trip:\n{before}\n{after}")

    # One number, four views (Linux counts no per-cpu page in any of them).
    m.run("alloc 0")  # leaves a batch on the per-cpu list
    zones = buddyinfo(m)
    meminfo = m.run("meminfo")
    mem_free = int(re.search(r"^MemFree: +(\d+) kB$", meminfo, re.M).group(1))
    mem_total = int(re.search(r"^MemTotal: +(\d+) kB$", meminfo, re.M).group(1))
    mem_avail = int(re.search(r"^MemAvailable: +(\d+) kB$", meminfo, re.M).group(1))
    check(mem_free == free_pages(zones) * 4, f"MemFree {mem_free} kB, buddyinfo {free_pages(zones)} pages")
    check(mem_avail < mem_free <= mem_total, f"meminfo:\n{meminfo}")
    vmstat = m.run("vmstat")
    check(int(re.search(r"^nr_free_pages (\d+)$", vmstat, re.M).group(1)) * 4 == mem_free, vmstat)
    procfmt.check_meminfo(meminfo)  # Linux 6.18's keys and columns, DirectMap lines too
    procfmt.check_vmstat(vmstat)
    zoneinfo = m.run("zoneinfo")
    pcp = sum(int(n) for n in re.findall(r"^ +count: +(\d+)$", zoneinfo, re.M))
    check(pcp > 0, f"the per-cpu list holds the rest of the batch:\n{zoneinfo}")
    for zone, free in re.findall(r"^Node 0, zone +(\w+)\n(?:  per-node stats\n(?:      .*\n)+)?"
                                 r"  pages free +(\d+)", zoneinfo, re.M):
        if zone in zones:
            check(int(free) == free_pages({zone: zones[zone]}), f"zone {zone}: {free} vs buddyinfo")
    check(re.search(r"^        protection: \(0, \d+, \d+, \d+, \d+\)$", zoneinfo, re.M), zoneinfo)
    check(re.search(r"^Page block order: 9\nPages per block:  512\n", m.run("pagetypeinfo"), re.M),
          "pagetypeinfo header")
    views_have_linux_6_18_layouts(m)

    # An impossible request: a WARNING once, NULL, nothing changed.
    m.run("drain")
    before = buddyinfo(m)
    out = m.run("alloc 11")
    check(re.search(r"WARNING: CPU: 0 PID: 0 at mm/page_alloc\.c:\d+ __alloc_pages", out), out)
    check("alloc: order 11 failed: above MAX_PAGE_ORDER (10)" in out, out)
    out = m.run("alloc 11")
    check("WARNING" not in out and "failed" in out, f"WARN_ON_ONCE warns once:\n{out}")
    check(buddyinfo(m) == before, "a failed request changed the free lists")

    # Freeing a reserved frame: the bad-page report, and the lists untouched.
    out = m.run("free 0x1")
    check("BUG: Bad page state in process swapper/0  pfn:00001" in out, out)
    check("page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set" in out, out)
    check(buddyinfo(m) == before, "a refused free changed the free lists")

    # Exhausting DMA: Linux's failure report with the memory summary.
    held = []
    for _ in range(8):
        out = m.run("alloc 10 dma")
        h = re.match(r"alloc: handle (\d+):", out)
        if not h:
            break
        held.append(h.group(1))
    else:
        raise TestFailure("DMA never ran out of order-10 blocks")
    check(re.search(r"swapper/0: page allocation failure: order:10, "
                    r"mode:0xcc1\(GFP_KERNEL\|GFP_DMA\), nodemask=\(null\)", out), out)
    # Linux 6.18's report line by line, in its order (zones above DMA are not shown:
    # the request could use DMA only).
    pos = 0
    for line in (r"Mem-Info:$",
                 r"active_anon:0 inactive_anon:0 isolated_anon:0$",
                 r" active_file:0 inactive_file:0 isolated_file:0$",
                 r" unevictable:0 dirty:0 writeback:0$",
                 r" slab_reclaimable:\d+ slab_unreclaimable:[1-9]\d*$",
                 r" mapped:0 shmem:0 pagetables:[1-9]\d*$",
                 r" sec_pagetables:0 bounce:0$",
                 r" kernel_misc_reclaimable:0$",
                 r" free:\d+ free_pcp:\d+ free_cma:0$",
                 r"Node 0 active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB "
                 r"unevictable:0kB isolated\(anon\):0kB isolated\(file\):0kB mapped:0kB dirty:0kB "
                 r"writeback:0kB shmem:0kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB "
                 r"kernel_stack:[1-9]\d*kB pagetables:[1-9]\d*kB sec_pagetables:0kB "
                 r"all_unreclaimable\? no Balloon:0kB$",
                 r"DMA free:\d+kB boost:0kB min:\d+kB low:\d+kB high:\d+kB "
                 r"reserved_highatomic:\d+KB free_highatomic:\d+KB active_anon:0kB "
                 r"inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB "
                 r"writepending:0kB zspages:0kB present:\d+kB managed:\d+kB mlocked:0kB "
                 r"bounce:0kB free_pcp:\d+kB local_pcp:\d+kB free_cma:0kB$",
                 r"lowmem_reserve\[\]: 0 \d+ \d+ \d+ \d+$", r"DMA: (\d+\*\d+kB (\(\w+\) )?)+= \d+kB$",
                 r"Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB$",
                 r"0 total pagecache pages$", r"0 pages in swap cache$",
                 r"Free swap  = 0kB$", r"Total swap = 0kB$",
                 r"\d+ pages RAM$", r"\d+ pages HighMem/MovableOnly$", r"\d+ pages reserved$"):
        found = re.compile(TIMESTAMP + line, re.M).search(out, pos)
        check(found, f"report lacks /{line}/ (or not in 6.18's order):\n{out}")
        pos = found.end()
    for h in held:
        m.run(f"free {h}")

    out = m.run("stress 5000 7", timeout=120)
    check(re.search(r"^stress: 5000 operations \(seed 7\) in \d+\.\d{3} ms: \d+ ops/s$", out, re.M), out)
    check(re.search(r"^Node 0, zone +\w+( +-?\d\.\d{3}){11} *$", out, re.M), f"extfrag:\n{out}")
    check("identical to before: yes" in out, out)
    selftest_passes(m, "selftest after the experiments")


@test(*ONE_OF_EACH)
def free_reads_0X_as_a_frame_like_0x(m):
    """`free 0X1` names frame 1, as `free 0x1` does: it must not free handle 1."""
    m.start().wait_for_prompt()
    out = m.run("alloc 0")
    h = re.match(r"alloc: handle 1: order 0 \(1 pages, 4 KiB\) at pfn (0x[0-9a-f]+)", out)
    check(h, f"alloc 0:\n{out}")
    pfn = int(h.group(1), 16)
    out = m.run("free 0X1")
    check("BUG: Bad page state in process swapper/0  pfn:00001" in out,
          f"free 0X1 is the reserved frame 1:\n{out}")
    check("holds 1 block" in m.run("held"), "free 0X1 freed handle 1 instead of frame 1")
    out = m.run(f"free 0X{pfn:X}")
    check(out.startswith("free: handle 1: "), f"free 0X{pfn:X} is handle 1's frame:\n{out}")
    check("holds 0 blocks" in m.run("held"), "handle 1 freed by its frame")


def selftest_with_cmdline(name, cmdline, checks):
    def run(m):
        m.image = image_variant(name, cmdline=cmdline)
        m.start().wait_for_prompt()
        dmesg = m.run("dmesg")
        for line in checks:
            check(re.search(line, dmesg), f"boot log lacks /{line}/")
        out = selftest_passes(m, name)
        check("# SKIP" not in out, f"{name}: skipped cases:\n{out}")
    return run


def wrong_order_free_is_a_bad_page(m):
    """`free <pfn> 10` at the top of RAM under page_poison=1: once an oops (the tail checks
    read struct pages past the memmap), now one bad-page report and the lists untouched."""
    m.image = image_variant("page_poison", cmdline="console=ttyS0 page_poison=1\n")
    m.start().wait_for_prompt()
    tops = [int(end, 16) + 1 for end in
            re.findall(r"^e820: \[mem 0x[0-9a-f]+-0x([0-9a-f]+)\] usable$", m.run("e820"), re.M)]
    check(tops, "e820 lists no usable range")
    # The last frame of the top section: pfn + 1023 lies in a section without a memmap.
    pfn = -(-max(tops) // 4096 // 0x8000) * 0x8000 - 1
    check("reserved" in m.run(f"page {pfn:#x}").split("\n")[1], f"pfn {pfn:#x} is not reserved")
    m.run("drain")
    before = buddyinfo(m)
    out = m.run(f"free {pfn:#x} 10")
    check("Oops" not in out and "oopsed" not in out, out)
    check(f"BUG: Bad page state in process swapper/0  pfn:{pfn:05x}" in out, out)
    check("page dumped because: freed with an order its block lacks "
          "(unaligned, or past the zone's end)" in out, out)
    check(out.count("BUG: Bad page state") == 1, f"one report, not one per page:\n{out}")
    check("free: refused: see the BUG report above" in out, out)
    check(buddyinfo(m) == before, "a refused free changed the free lists")


for firmware, machine in (("bios", "q35"), ("uefi", "q35")):
    TESTS.append((f"buddy_page_poison_wrong_order_free[{firmware}-{machine}]",
                  wrong_order_free_is_a_bad_page, dict(firmware=firmware, machine=machine)))
    TESTS.append((f"buddy_selftest_page_poison[{firmware}-{machine}]",
                  selftest_with_cmdline("page_poison", "console=ttyS0 page_poison=1\n",
                                        [r"mem auto-init: page poisoning on \(page_poison=1\)"]),
                  dict(firmware=firmware, machine=machine)))
TESTS.append(("buddy_selftest_x86_32[bios-pc-2G]",
              selftest_with_cmdline("buddy-x86-32", "zones=x86_32 console=ttyS0\n",
                                    [r"HighMem  \[mem "]),
              dict(firmware="bios", machine="pc", mem="2G")))
