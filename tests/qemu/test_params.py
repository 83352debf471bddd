# SPDX-License-Identifier: MIT
"""The kernel command line on real firmware (kernel/params.c): mem= and memmap= change
the e820 table as x86 Linux does, and build/mmsim, given the same map and command line,
prints the same user-defined map and memblock; bad values and unknown options are named
with Linux's messages, and the boot goes on with the defaults."""

import os
import re
import subprocess

from machine import BUILD, ONE_OF_EACH, check, image_variant, test
from test_memblock import parse_memblock


def mem_total_kib(m):
    out = m.run("meminfo")
    total = re.search(r"^MemTotal: +(\d+) kB$", out, re.M)
    check(total, f"meminfo:\n{out}")
    return int(total.group(1))


def user_map(text):
    """The "user-defined physical RAM map:" block of a log, timestamps removed."""
    lines = [re.sub(r"^\[ *\d+\.\d+\] ", "", l) for l in text.splitlines()]
    check("user-defined physical RAM map:" in lines, f"no user-defined map in:\n{text}")
    start = lines.index("user-defined physical RAM map:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("user: [mem "):
        end += 1
    return lines[start:end]


@test(*ONE_OF_EACH)
def mem_and_memmap_shrink_and_carve_the_map(m):
    """mem=256M: no RAM above 256 MiB; memmap=1M$64M: a reserved hole at 64 MiB."""
    m.image = image_variant("mem", cmdline="console=ttyS0 mem=256M memmap=1M$64M\n")
    m.start().wait_for_prompt()
    dmesg = m.run("dmesg")
    for line in (r"e820: remove \[mem 0x10000000-0xfffffffffffffffe\] usable",
                 r"user: \[mem 0x0000000004000000-0x00000000040fffff\] reserved",
                 r"user: \[mem 0x0000000004100000-0x000000000fffffff\] usable"):
        check(re.search(r"\] " + line + "$", dmesg, re.M), f"dmesg lacks {line!r}:\n{dmesg}")
    check("Malformed" not in dmesg and "Unknown kernel" not in dmesg, f"dmesg:\n{dmesg}")
    total = mem_total_kib(m)
    check(200 * 1024 < total < 256 * 1024, f"MemTotal {total} kB with mem=256M")

    memory, _ = parse_memblock(m.run("memblock"))
    check(memory[-1][1] == 256 << 20, f"memblock memory ends at {memory[-1][1]:#x}, not 256M")
    check(not any(s < (65 << 20) and (64 << 20) < e for s, e in memory),
          f"memblock memory covers the memmap=$ range: {[(hex(s), hex(e)) for s, e in memory]}")
    check(re.search(r"^e820: \[mem 0x0000000004000000-0x00000000040fffff\] reserved$",
                    m.run("e820"), re.M), "the `e820` command lacks the reserved 1M at 64M")

    # mmsim, given this machine's map and the logged command line, does what the kernel did.
    cmdline = re.search(r"^\[ *\d+\.\d+\] (Command line: .*)$", dmesg, re.M).group(1)
    text = m.run("memmap") + m.run("bootinfo") + cmdline + "\n"
    sim = subprocess.run([os.path.join(BUILD, "mmsim")], input=text, capture_output=True,
                         text=True, timeout=60)
    check(sim.returncode == 0, f"mmsim failed:\n{sim.stdout}{sim.stderr}")
    check(user_map(sim.stdout) == user_map(dmesg),
          "mmsim's user-defined map differs from the kernel's:\n" + "\n".join(user_map(dmesg)) +
          "\n---\n" + "\n".join(user_map(sim.stdout)))
    sim_memory = sim.stdout.split("==> /sys/kernel/debug/memblock/memory <==\n")[1].split("\n\n")[0]
    check(sim_memory.strip() == m.run("memblock memory").strip(), "mmsim's memory file differs")


@test(*ONE_OF_EACH)
def bad_and_unknown_options_are_named_and_change_nothing(m):
    """Linux's "Malformed early option" for each refused value, one notice for the
    unknown words, and the boot as without them: all of RAM, no HighMem, no poisoning."""
    m.image = image_variant("bad-options", cmdline="console=ttyS0 zones=bogus page_poison=junk "
                            "mem=junk memmap=1M@ foo=1 quiet pagelab.test=1\n")
    m.start().wait_for_prompt()
    dmesg = m.run("dmesg")
    for name in ("zones", "page_poison", "mem", "memmap"):
        check(re.search(rf"\] Malformed early option '{name}'$", dmesg, re.M),
              f"no Malformed early option '{name}':\n{dmesg}")
    check(re.search(r'\] Unknown kernel command line parameters "quiet foo=1", will be passed '
                    r"to user space\.$", dmesg, re.M), f"no unknown-parameters notice:\n{dmesg}")
    check("user-defined" not in dmesg, "a refused mem= or memmap= changed the map")
    check("HighMem" not in dmesg and "page poisoning" not in dmesg, f"defaults changed:\n{dmesg}")
    total = mem_total_kib(m)
    check(total > 400 * 1024, f"MemTotal {total} kB: RAM was lost to a refused option")
