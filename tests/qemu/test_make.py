# SPDX-License-Identifier: MIT
"""The Makefile's own way in: `make run-bios CMDLINE="..."` boots that command line from a
copy of the image, and leaves disk/cmdline.txt and build/pagelab.img as they were."""

import hashlib
import os
import re
import signal
import subprocess
import time

from machine import BUILD, IMAGE, ROOT, TESTS, Machine, TestFailure, check
import qemu_mem  # tools/qemu_mem.py: machine.py put tools/ on the path


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def image_cmdline(image):
    """The CMDLINE.TXT inside a disk image."""
    return subprocess.run(["mtype", "-i", image + "@@1M", "::/PAGELAB/CMDLINE.TXT"],
                          check=True, capture_output=True, text=True,
                          env=dict(os.environ, MTOOLS_SKIP_CHECK="1")).stdout


def make_run_with_cmdline(m):
    tracked = os.path.join(ROOT, "disk", "cmdline.txt")
    before = digest(tracked)
    # make, then QEMU under it: a session of their own, so stop() can end both.
    m.proc = subprocess.Popen(
        ["make", "--no-print-directory", f"BUILD={os.path.relpath(BUILD, ROOT)}", "run-bios",
         "CMDLINE=console=ttyS0 pagelab.test=make"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    os.set_blocking(m.proc.stdout.fileno(), False)
    m.started = time.monotonic()
    try:
        m.expect(r"Command line: console=ttyS0 pagelab\.test=make\n", timeout=120)
        m.wait_for_prompt()
        m.send("poweroff\r")
        m.expect("reboot: Power down")
        check(m.wait_exit() == 0, "make run-bios did not end with QEMU's exit")
    finally:
        if m.proc.poll() is None:
            os.killpg(m.proc.pid, signal.SIGKILL)
            m.proc.wait()
    check(digest(tracked) == before, "make run CMDLINE=... changed disk/cmdline.txt")
    with open(tracked) as f:
        want = f.read().strip()
    check(image_cmdline(IMAGE).strip() == want,
          f"build/pagelab.img's command line is {image_cmdline(IMAGE)!r}, not disk/cmdline.txt's {want!r}")


TESTS.append(("make_run_with_cmdline[bios-q35]", make_run_with_cmdline, {}))


def make_run_refuses_too_little_memory(m):
    """`make run MEM=32M` (OVMF faults there) and `make run-bios MEM=4M` stop before
    anything is built or booted, naming the least memory each firmware needs
    (tools/qemu_mem.py); the test harness refuses the same machines."""
    for target, firmware, mem in (("run", "uefi", "32M"), ("run-bios", "bios", "4M")):
        started = time.monotonic()
        proc = subprocess.run(["make", "--no-print-directory", f"BUILD={os.path.relpath(BUILD, ROOT)}",
                               target, f"MEM={mem}"], cwd=ROOT, capture_output=True, text=True,
                              timeout=60)
        out = proc.stdout + proc.stderr
        least = qemu_mem.MIN_MIB[firmware]
        check(proc.returncode != 0, f"make {target} MEM={mem} did not fail:\n{out}")
        check(f"make {target}: MEM={mem} is too little for {qemu_mem.NAMES[firmware]}: it needs "
              f"at least {least}M to boot pagelab" in out, f"make {target} MEM={mem}:\n{out}")
        check("qemu-system" not in out and time.monotonic() - started < 30,
              f"make {target} MEM={mem} went on to build or boot:\n{out}")
        small = Machine(firmware=firmware, mem=mem)
        try:
            small.start()
        except TestFailure as e:
            check(f"at least {least}M" in str(e), f"machine.py: {e}")
        finally:
            started_qemu = small.proc is not None
            small.stop()
        check(not started_qemu, f"tests/qemu/machine.py started QEMU with {mem} under {firmware}")


TESTS.append(("make_run_refuses_too_little_memory[uefi-q35]", make_run_refuses_too_little_memory, {}))
