# SPDX-License-Identifier: MIT
"""Drive pagelab in QEMU over its serial line, the way a student's terminal does.

A Machine boots an image on real firmware (OVMF or SeaBIOS) with the serial port on a
pipe, waits for patterns with a timeout on every wait, and types commands.  Everything
the guest printed is kept, so a failing test can show the whole serial log.
"""

import atexit
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import kernel_seal  # noqa: E402  (the seal both loaders check: include/boot/seal.h)
import qemu_mem  # noqa: E402  the least memory each firmware boots in, as the Makefile's
# PAGELAB_BUILD lets a second checkout's worth of outputs (make BUILD=...) be tested.
BUILD = os.path.join(ROOT, os.environ.get("PAGELAB_BUILD", "build"))
IMAGE = os.path.join(BUILD, "pagelab.img")
KERNEL_FILE = os.path.join(BUILD, "kernel-stripped.elf")  # KERNEL.ELF, sealed
PROMPT = "pagelab> "

# No KVM here: OVMF alone needs ~5 s under TCG, more when two QEMUs share two cores.
BOOT_TIMEOUT = 120
COMMAND_TIMEOUT = 30

ANSI_ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>c])")


class TestFailure(Exception):
    pass


_firmware = None


def firmware_paths():
    """(ovmf_code, ovmf_vars, seabios): OVMF's firmware and variable-store template, and
    SeaBIOS's image.  The Makefile finds them (tools/install-deps.sh searches, make
    variables override) and passes them as PAGELAB_OVMF_CODE/_VARS and PAGELAB_SEABIOS;
    run outside make, the test asks the Makefile, so every boot uses the same files."""
    global _firmware
    if _firmware is None:
        names = ("PAGELAB_OVMF_CODE", "PAGELAB_OVMF_VARS", "PAGELAB_SEABIOS")
        paths = [os.environ.get(n) for n in names]
        if not all(paths):
            proc = subprocess.run(
                ["make", "-s", "--no-print-directory", "-C", ROOT, "--eval",
                 "firmware-paths:; @echo $(OVMF_CODE) $(OVMF_VARS) $(SEABIOS)",
                 "firmware-paths"],
                capture_output=True, text=True)
            paths = proc.stdout.split()
            if proc.returncode != 0 or len(paths) != 3:
                raise TestFailure(f"the Makefile found no OVMF_CODE, OVMF_VARS or SEABIOS "
                                  f"(`make deps` says what is missing):\n"
                                  f"{proc.stdout}{proc.stderr}")
        _firmware = tuple(paths)
    return _firmware


def ovmf_paths():
    """(code, vars): OVMF's firmware and variable-store template (firmware_paths())."""
    return firmware_paths()[:2]


def mem_bytes(mem):
    """QEMU's -m size ("512M", "4G", "64G", or plain MiB) in bytes."""
    m = re.fullmatch(r"(\d+)([MG]?)", mem.upper())
    if not m:
        raise ValueError(f"memory size {mem!r}: expected a number of MiB, or NNNM or NNNG")
    return int(m.group(1)) << (30 if m.group(2) == "G" else 20)


def host_ram_bytes():
    """The host's RAM (MemTotal in /proc/meminfo)."""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return 0


def clean(text):
    """Serial output without terminal escapes or carriage returns, for matching."""
    return ANSI_ESCAPE.sub("", text).replace("\r", "")


class Machine:
    def __init__(self, firmware="uefi", machine="q35", mem="512M", image=IMAGE, extra=(),
                 smp=None):
        self.firmware, self.machine, self.mem = firmware, machine, mem
        # QEMU's -smp: a CPU count (4) or its full form ("2,maxcpus=4"); None: one CPU
        self.smp = smp
        self.image, self.extra = image, list(extra)
        self.raw = b""  # every byte from the serial line
        self.pos = 0  # how far expect() has consumed clean(self.raw)
        self.proc = None
        self.tmpdir = tempfile.mkdtemp(prefix="pagelab-qemu-")
        self.qmp_sock = os.path.join(self.tmpdir, "qmp.sock")
        self._qmp = None

    def command_line(self):
        cmd = ["qemu-system-x86_64", "-machine", self.machine, "-m", self.mem,
               "-display", "none", "-monitor", "none", "-serial", "stdio",
               "-no-reboot",
               # no NIC, as in the Makefile's run targets: pagelab drives none, and its
               # option ROM (iPXE) changes where OVMF's allocations land
               "-nic", "none",
               # QMP on a private socket: screendump, send-key (see qmp())
               "-qmp", f"unix:{self.qmp_sock},server=on,wait=off",
               # snapshot: tests share the image, and nothing a guest does may change it
               "-drive", f"format=raw,file={self.image},snapshot=on"]
        if self.firmware == "uefi":
            code, vars_template = ovmf_paths()
            vars_copy = os.path.join(self.tmpdir, "OVMF_VARS.fd")
            shutil.copy(vars_template, vars_copy)
            cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={code}",
                    "-drive", f"if=pflash,format=raw,file={vars_copy}"]
        else:  # SeaBIOS: the file QEMU would load, named so a found one is used too
            cmd += ["-bios", firmware_paths()[2]]
        if self.smp:
            cmd += ["-smp", str(self.smp)]
        return cmd + self.memory_backend() + self.extra

    def memory_backend(self):
        """Guest RAM larger than the host's comes from a sparse file: QEMU refuses an
        anonymous mapping the kernel's overcommit check finds too big, but a shared file
        mapping is not counted, and TCG only writes the pages the guest touches (the
        struct pages, a few hundred MiB for 64 GiB).  Given a directory, QEMU makes the
        file there and unlinks it at once, so nothing is left behind."""
        if mem_bytes(self.mem) < host_ram_bytes():
            return []
        return ["-object", f"memory-backend-file,id=pc.ram,size={self.mem},"
                f"mem-path={self.tmpdir},share=on",
                "-machine", "memory-backend=pc.ram"]

    def start(self):
        why = qemu_mem.too_little(self.firmware, self.mem)
        if why:  # the firmware would crash or stop before the loader, not fail a test
            raise TestFailure(why)
        self.proc = subprocess.Popen(self.command_line(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.started = time.monotonic()
        return self

    def text(self):
        return clean(self.raw.decode("utf-8", "replace"))

    def _pump(self, timeout):
        """Read what QEMU has printed, waiting at most `timeout` seconds for something."""
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], max(timeout, 0))
        if not ready:
            return True
        chunk = os.read(fd, 65536)
        self.raw += chunk
        return bool(chunk)  # b"" means QEMU closed the pipe: it exited

    def expect(self, pattern, timeout=COMMAND_TIMEOUT):
        """Wait until `pattern` (a regex) appears after what was already consumed."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.text(), self.pos)
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFailure(f"timed out after {timeout} s waiting for {pattern!r}")
            if not self._pump(min(left, 1.0)):
                raise TestFailure(f"QEMU exited (status {self.proc.wait()}) while waiting "
                                  f"for {pattern!r}")

    def wait_for_prompt(self, timeout=BOOT_TIMEOUT):
        self.expect(re.escape(PROMPT), timeout)
        self.boot_seconds = time.monotonic() - self.started

    def send(self, data):
        self.proc.stdin.write(data.encode() if isinstance(data, str) else data)
        self.proc.stdin.flush()

    def run(self, command, timeout=COMMAND_TIMEOUT, enter="\r"):
        """Type `command`, wait for the next prompt, return what the command printed."""
        self.send(command + enter)
        self.expect(re.escape(command) + r"\n", timeout)  # the echo
        start = self.pos
        self.expect(re.escape(PROMPT), timeout)
        return self.text()[start:self.pos - len(PROMPT)]

    def wait_exit(self, timeout=COMMAND_TIMEOUT):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                raise TestFailure(f"QEMU still running {timeout} s later")
            self._pump(0.2)
        while self._pump(0):
            pass
        return self.proc.returncode

    def qmp(self, command, **arguments):
        """Run a QMP command (e.g. "screendump", filename=...) and return its result."""
        if self._qmp is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(COMMAND_TIMEOUT)
            sock.connect(self.qmp_sock)
            self._qmp = sock.makefile("rw")
            json.loads(self._qmp.readline())  # the greeting
            self._qmp_call("qmp_capabilities")
        return self._qmp_call(command, **arguments)

    def _qmp_call(self, command, **arguments):
        self._qmp.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
        self._qmp.flush()
        while True:
            reply = json.loads(self._qmp.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise TestFailure(f"QMP {command}: {reply['error']}")
            # anything else is an asynchronous event: skip it

    def cpu_seconds(self):
        """User + system CPU time QEMU has used so far, from /proc/<pid>/stat."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self._qmp is not None:
            try:
                self._qmp.close()
            except OSError:
                pass
            self._qmp = None
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def image_variant(name, cmdline=None, kernel_bytes=None, base=None, directory=None):
    """A private copy of `base` (build/pagelab.img) with another command line or kernel
    file.  It goes in `directory` if given (the caller removes it), else in a directory of
    its own that is removed when this process exits."""
    if directory is None:
        directory = tempfile.mkdtemp(prefix="pagelab-img-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
    path = os.path.join(directory, name + ".img")
    shutil.copy(base or IMAGE, path)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    for dest, content in (("::/PAGELAB/CMDLINE.TXT", cmdline),
                          ("::/PAGELAB/KERNEL.ELF", kernel_bytes)):
        if content is None:
            continue
        src = path + ".file"
        with open(src, "wb") as f:
            f.write(content.encode() if isinstance(content, str) else content)
        subprocess.run(["mcopy", "-o", "-i", path + "@@1M", src, dest], check=True, env=env)
        os.unlink(src)
    return path


def kernel_variant(change, reseal=True):
    """The bytes of a changed KERNEL.ELF: `change` gets the ELF without its seal and
    returns other bytes, which get the build's seal back with the file's own checksum
    made to match (so the ELF check and the sealed layout are what judge them); with
    reseal=False `change` gets the whole sealed file and its result is used as it is."""
    with open(KERNEL_FILE, "rb") as f:
        sealed = f.read()
    if not reseal:
        return change(sealed)
    elf, _ = kernel_seal.unseal(sealed)
    return kernel_seal.reseal_file_only(sealed, change(elf))


# ---- the test registry: tests/qemu/test_*.py register with @test(...) ----

TESTS = []


def test(*variants):
    """Register a test once per (firmware, machine) variant, e.g. ("uefi", "q35"), or
    (firmware, machine, smp) for a machine with more CPUs (Machine's smp)."""
    def register(fn):
        for firmware, machine, *smp in variants:
            kwargs = dict(firmware=firmware, machine=machine)
            suffix = ""
            if smp:
                kwargs["smp"] = smp[0]
                suffix = "-smp" + str(smp[0]).replace(",maxcpus=", "of")
            TESTS.append((f"{fn.__name__}[{firmware}-{machine}{suffix}]", fn, kwargs))
        return fn
    return register


def check(cond, message):
    if not cond:
        raise TestFailure(message)


UEFI_BOTH = (("uefi", "q35"), ("uefi", "pc"))
BIOS_BOTH = (("bios", "q35"), ("bios", "pc"))
EVERY_MACHINE = UEFI_BOTH + BIOS_BOTH
ONE_OF_EACH = (("uefi", "q35"), ("bios", "pc"))
