# SPDX-License-Identifier: MIT
"""The terminals a student actually sees: `make run`, `make run-bios`, `make run-gui FW=bios`,
and QEMU started by hand with -nographic.

The other modules boot with options of their own.  These tests ask make for the exact
QEMU command of each run target (`make -n`), change only where its files live (a private
copy of the image and of the UEFI variable store), and read what reaches the terminal.
Under -nographic SeaBIOS runs a serial console of its own on COM1, so that is where
output written two ways at once would interleave (legacy16/console.c).
"""

import os
import re
import shlex
import shutil
import subprocess
import time

from machine import (BOOT_TIMEOUT, BUILD, COMMAND_TIMEOUT, ROOT, Machine, TestFailure, check,
                     kernel_variant, test)

VGA_TEXT = 0xB8000
VGA_COLUMNS, VGA_ROWS = 80, 25


IMAGE_ARG = os.path.relpath(os.path.join(BUILD, "pagelab.img"), ROOT)


def make_commands(target, *variables):
    """The commands `make <target>` would run, continuation lines joined, split shell-wise.
    CMDLINE= keeps a command line from the environment out of it."""
    build = os.path.relpath(BUILD, ROOT)
    out = subprocess.run(["make", "-n", "--no-print-directory", f"BUILD={build}", "CMDLINE=",
                          target, *variables], cwd=ROOT, check=True, capture_output=True,
                         text=True)
    return [shlex.split(line) for line in out.stdout.replace("\\\n", " ").splitlines()
            if line.strip()]


class RunTarget(Machine):
    """A Machine whose QEMU command line is the one in `commands` (a recipe, as from
    make_commands: files it copies are copied privately, the image too)."""

    def __init__(self, commands, extra=()):
        super().__init__(image=None, extra=extra)
        qemu = [c for c in commands if c and c[0].startswith("qemu-system-")]
        check(len(qemu) == 1, f"the recipe runs {len(qemu)} QEMU commands: {commands}")
        self.make_command = qemu[0]
        # Files the recipe copies before QEMU starts (the UEFI variable store) are copied
        # here instead, so parallel tests and the build directory stay untouched.
        self.private = {}
        for c in commands:
            if c[:1] == ["cp"] and len(c) == 3 and any(c[2] in a for a in self.make_command):
                self.private[c[2]] = self._copy(c[1])
        self.private.setdefault(IMAGE_ARG, self._copy(IMAGE_ARG))

    def _copy(self, src):
        dst = os.path.join(self.tmpdir, f"{len(os.listdir(self.tmpdir))}-{os.path.basename(src)}")
        shutil.copy(os.path.join(ROOT, src), dst)
        return dst

    def command_line(self):
        def private(arg):
            for path, copy in self.private.items():
                arg = re.sub(rf"(^|,)file={re.escape(path)}(,|$)", rf"\1file={copy}\2", arg)
            return arg
        return [private(a) for a in self.make_command] + self.extra

    def start(self):
        super().start()
        self.proc.stdin.close()  # nothing to type: the test only reads
        return self


def loader_lines(text):
    return [line for line in text.split("\n") if "pagelab loader" in line]


def check_loader_lines(m, expected):
    """Every `expected` pattern is one whole serial line, once, in order, and every line
    that mentions the loader is one of them: nothing doubled, nothing interleaved."""
    lines = loader_lines(m.text())
    check(len(lines) == len(expected),
          f"{len(lines)} loader lines, expected {len(expected)}:\n" + "\n".join(lines))
    for line, pattern in zip(lines, expected):
        check(re.fullmatch(pattern, line), f"loader line {line!r} is not {pattern!r}")


def run_target_test(m, commands, expected, before=None):
    """Boot `commands` to the kernel; check the loader's lines, and that the line before
    the loader's first is `before` (a pattern), complete."""
    one = RunTarget(commands)
    try:
        one.start()
        one.expect(r"pagelab loader: command line .*; starting the kernel\n", BOOT_TIMEOUT)
        one.expect(r"\] pagelab: boot complete", BOOT_TIMEOUT)
        check_loader_lines(one, expected)
        if before:
            text = one.text()
            first = text.index(loader_lines(text)[0])
            check(re.search(before + r"\n$", text[:first]),
                  f"the firmware's line before the loader's is not {before!r}:\n{text[:first]!r}")
    except TestFailure:
        m.raw += one.raw
        raise
    finally:
        one.stop()


# Hex digits: Print() on UEFI writes capitals, the legacy loader small letters.
KERNEL_LINE = r"pagelab loader: kernel \d+ KiB at physical 0x[0-9a-fA-F]+, entry 0x(?i:ffffffff80000000)"
CMDLINE_LINE = r'pagelab loader: command line "[^"]*"; starting the kernel'


BIOS_LOADER_LINES = [
    r"pagelab loader: BIOS boot from drive 0x80",
    r"pagelab loader: A20 (already enabled|enabled by .+)",
    r"pagelab loader: E820 memory map, \d+ entries",
    KERNEL_LINE,
    CMDLINE_LINE,
]


@test(("bios", "q35"))
def run_bios_terminal_reads_cleanly(m):
    """`make run-bios`: the loader's lines arrive whole on the terminal."""
    run_target_test(m, make_commands("run-bios", "MACHINE=" + m.machine), BIOS_LOADER_LINES)


@test(("bios", "q35"))
def nographic_bios_terminal_reads_cleanly(m):
    """QEMU by hand with -nographic (what `make run-bios` ran before): SeaBIOS's serial
    console and the loader share COM1 without a doubled or interleaved character, and
    SeaBIOS's last line, which its console holds back, is finished first."""
    command = ["qemu-system-x86_64", "-machine", m.machine, "-m", "512M",
               "-drive", f"format=raw,file={IMAGE_ARG}", "-nographic"]
    run_target_test(m, [command], BIOS_LOADER_LINES, before=r"Booting from Hard Disk\.\.\.")


@test(("uefi", "q35"))
def run_terminal_reads_cleanly(m):
    """`make run`: the UEFI loader's lines arrive whole through OVMF's serial console."""
    run_target_test(m, make_commands("run", "MACHINE=" + m.machine), [
        r"pagelab loader: UEFI \d+\.\d+ firmware by .+",
        KERNEL_LINE,
        CMDLINE_LINE,
    ])


SCREEN_LINES = ("pagelab loader: BIOS boot from drive 0x80",
                "pagelab loader: error: the kernel file \\PAGELAB\\KERNEL.ELF is not a valid "
                "kernel: bad ELF magic",
                "pagelab loader: halted.")


def vga_text_rows(m):
    """The VGA text screen's rows, read from video memory through QMP."""
    dump = os.path.join(m.tmpdir, "vga.bin")
    m.qmp("pmemsave", val=VGA_TEXT, size=VGA_COLUMNS * VGA_ROWS * 2, filename=dump)
    with open(dump, "rb") as f:
        screen = f.read()[::2].decode("cp437")  # character bytes; attributes between
    return [screen[i:i + VGA_COLUMNS] for i in range(0, len(screen), VGA_COLUMNS)]


@test(("bios", "q35"))
def run_gui_bios_screen_shows_the_loader(m):
    """`make run-gui FW=bios` (its options, the window turned off): with a video BIOS the
    loader still writes the screen.  A zeroed kernel stops the loader with its lines on
    the VGA text screen, which is read back from video memory."""
    one = RunTarget(make_commands("run-gui", "FW=bios", "MACHINE=" + m.machine),
                    extra=["-display", "none", "-qmp", "unix:{sock},server=on,wait=off"])
    one.extra = [a.replace("{sock}", one.qmp_sock) for a in one.extra]
    zeros = os.path.join(one.tmpdir, "KERNEL.ELF")
    with open(zeros, "wb") as f:  # sealed, so the ELF check is what refuses it
        f.write(kernel_variant(lambda k: bytes(len(k))))
    image = one.private[IMAGE_ARG]
    subprocess.run(["mcopy", "-o", "-i", image + "@@1M", zeros, "::/PAGELAB/KERNEL.ELF"],
                   check=True, env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    try:
        one.start()
        one.expect(r"pagelab loader: halted\.", BOOT_TIMEOUT)
        # Each character reaches COM1 just before the screen: poll until the last is there.
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while True:
            rows = vga_text_rows(one)
            flat = "".join(rows)  # a line longer than the screen continues on the next row
            missing = [t for t in SCREEN_LINES if t not in flat]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        check(not missing, f"{missing} not on the screen:\n" + "\n".join(rows))
        check_loader_lines(one, [
            r"pagelab loader: BIOS boot from drive 0x80",
            r"pagelab loader: A20 (already enabled|enabled by .+)",
            r"pagelab loader: E820 memory map, \d+ entries",
            r"pagelab loader: error: the kernel file \\PAGELAB\\KERNEL\.ELF is not a valid "
            r"kernel: bad ELF magic \(not an ELF file\)",
            r"pagelab loader: halted\.",
        ])
    except TestFailure:
        m.raw += one.raw
        raise
    finally:
        one.stop()
