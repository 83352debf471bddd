# SPDX-License-Identifier: MIT
"""The words a lab description is written in (tests/labs/NN/lab.py).

A lab description says:

    LAB        number, title, the student's page and answer file
    TARGETS    the functions the student rewrites, each with the stub that replaces it
               at `make lab-start` (the stub must compile and keep the kernel booting)
    HOST       the Criterion file whose tests are the lab's host checks
    checks     functions decorated with @kernel_check(BOOT, points): run on a booted
               pagelab, they type shell commands and compare the output with what the
               firmware or the shell says independently; ktap_checks() adds one check
               per case of an in-kernel KTAP suite (`selftest labN.case`)
    QUESTIONS  what the student works out on their own machine (drawn from their name:
               see student_machine); each says how the grader reads the expected answer
               off that machine at grade time, booted with the student's kernel
    WRONG      realistic wrong implementations: lab-verify proves each fails a check

tools/lab/lab.py turns these into `make lab-start`, `make grade` and `make lab-verify`.
"""

import hashlib
import re


class Machines:
    """The machines a lab's students draw theirs from (see student_machine): memory
    sizes, firmwares, chipsets, CPU counts (QEMU's -smp; one CPU unless a lab says), and
    a kernel command line every one boots with."""

    def __init__(self, mem=("320M", "384M", "448M", "512M", "640M", "768M", "896M", "1G",
                            "1280M", "1536M", "2G"),
                 firmware=("bios", "uefi"), chipset=("q35", "pc"), cmdline=None, smp=(None,)):
        self.mem, self.firmware, self.chipset = list(mem), list(firmware), list(chipset)
        self.cmdline, self.smp = cmdline, list(smp)


class Lab:
    def __init__(self, number, title, doc, answers, machines=None):
        self.number, self.title, self.doc, self.answers = number, title, doc, answers
        self.machines = machines or Machines()


class Target:
    """A function the student rewrites: `function` in `path`.  `stub` is the body that
    replaces it at lab-start, braces included; the header stays the original's.  `given`
    says what lab-start tells the student of a stub that is not "for you to write" (a
    function handed out working but wrong, for the student to find out why)."""

    def __init__(self, path, function, stub, given=None):
        self.path, self.function, self.stub = path, function, stub.strip("\n") + "\n"
        self.given = given


class Boot:
    """One way to boot pagelab for kernel checks."""

    def __init__(self, firmware, machine="q35", mem="512M", cmdline=None, cpu=None,
                 firmware_log=False, smp=None):
        self.firmware, self.machine, self.mem = firmware, machine, mem
        self.cmdline, self.cpu, self.firmware_log = cmdline, cpu, firmware_log
        self.smp = smp  # QEMU's -smp, a CPU count; None: one CPU

    @property
    def name(self):
        fw = "SeaBIOS" if self.firmware == "bios" else "OVMF"
        extra = "".join(f", {x}" for x in (self.smp and f"{self.smp} CPUs",
                                            self.cpu and f"-cpu {self.cpu}", self.cmdline) if x)
        return f"{fw} {self.machine} {self.mem}{extra}"

    def key(self):
        return (self.firmware, self.machine, self.mem, self.cmdline, self.cpu, self.firmware_log,
                self.smp)

    def describe(self):
        """The machine in a student's words, and the QEMU options that make it."""
        fw = "SeaBIOS (legacy BIOS)" if self.firmware == "bios" else "OVMF (UEFI)"
        chip = {"q35": "q35 (ICH9, PCIe)", "pc": "pc (i440FX, PCI)"}.get(self.machine, self.machine)
        line = f"{fw}, chipset {chip}, {self.mem} of RAM"
        if self.smp:
            line += f", {self.smp} CPUs"
        return line + (f", kernel command line {self.cmdline!r}" if self.cmdline else "")


class Mine(Boot):
    """The student's own machine for the lab being graded: which one it is depends on who
    the student is, so the grader resolves it (student_machine) before booting."""

    def __init__(self):
        super().__init__("mine", machine="mine", mem="mine")

    @property
    def name(self):
        return "your machine"

    def key(self):
        return ("mine",)


MINE = Mine()


def student_machine(student, lab):
    """The machine `student` (a name or an e-mail address) gets for `lab` (a Lab): drawn
    from a hash of both, so it is the same on every run and every computer, a teacher can
    recompute it from the name, and neighbours almost always get different ones."""
    h = hashlib.sha256(f"pagelab machine for {student.strip().lower()}, lab {lab.number}"
                       .encode()).digest()
    m = lab.machines
    return Boot(m.firmware[h[0] % len(m.firmware)], machine=m.chipset[h[1] % len(m.chipset)],
                mem=m.mem[int.from_bytes(h[2:4], "big") % len(m.mem)], cmdline=m.cmdline,
                smp=m.smp[h[4] % len(m.smp)])


def kernel_check(boot, points=2, challenge=False):
    """Mark `fn(m)` as a kernel check: it gets a pagelab booted as `boot` at its prompt
    and fails by raising (use machine.check).  Its docstring's first line is its title.
    A `challenge` check grades the lab's optional challenge: reported on its own, not
    part of the score (host tests named challenge_* are the same)."""
    def mark(fn):
        fn.lab_boot, fn.lab_points, fn.lab_challenge = boot, points, challenge
        fn.lab_title = (fn.__doc__ or fn.__name__).strip().splitlines()[0]
        return fn
    return mark


def ktap_checks(namespace, boot, suite, cases, points=1):
    """Add to `namespace` (a lab's globals()) one kernel check per case of the in-kernel
    self-test suite `suite`: each runs `selftest suite.case` alone on a pagelab booted
    as `boot`, so a case that oopses or hangs costs only itself."""
    from machine import check

    for case in cases:
        def run(m, case=case):
            out = m.run(f"selftest {suite}.{case}")
            why = [l.strip() for l in out.splitlines()
                   if l.strip().startswith("# ") and ": pass:" not in l]
            check(re.search(r"^ +ok 1 " + re.escape(case) + "$", out, re.M),
                  f"`selftest {suite}.{case}` did not pass:\n" + ("\n".join(why) or out))
        run.__name__ = f"selftest_{suite}_{case}_{boot.firmware}_{boot.mem}"
        kernel_check(boot, points)(run)
        run.lab_title = f"{boot.name.split()[0]}: selftest {suite}.{case}"
        namespace[run.__name__] = run


class Derive:
    """How to read an answer off a booted pagelab: run `command` (or each of a list of
    commands, their outputs joined), then either search `regex` (multi-line) in the
    output - the answer is group 1, or `then(*groups)` - or give the whole output to
    `read(output)`.  A command may also be a function of the machine that types its own
    commands and returns what they printed: an experiment whose next step depends on
    what the last one printed (take blocks until a request fails)."""

    def __init__(self, boot, command, regex=None, then=None, read=None):
        self.boot, self.command, self.regex, self.then, self.reader = boot, command, regex, then, read

    def commands(self):
        one = isinstance(self.command, str) or callable(self.command)
        return [self.command] if one else list(self.command)

    def output_of(self, m):
        """What the commands print on the machine `m`, one after the other."""
        return "".join(c(m) if callable(c) else m.run(c) for c in self.commands())

    def read(self, output):
        if self.reader:
            return str(self.reader(output))
        m = re.search(self.regex, output, re.M)
        if not m:
            raise ValueError(f"{self.regex!r} not found in the output of {self.command!r}")
        return str(self.then(*m.groups())) if self.then else m.group(1)


class Question:
    """Question `qid` of the answer file.  `kind` is "number" (decimal or 0x hex, maybe negative,
    compared as numbers), "word" (case and spacing do not matter), or "text": a written answer
    (an explanation, a prediction, a design) that no script can judge, so it scores no
    points and the grade records it for the teacher.

    `derive` reads the expected answer off a booted pagelab; on MINE, the student's own
    machine, at grade time, so that every student has answers of their own.  lab-verify
    proves that each such answer differs between students, unless `same_for_all` says
    why it cannot.  There are no fixed answers: one could be looked up, or hashed and
    brute-forced back."""

    def __init__(self, qid, kind, derive=None, points=None, same_for_all=None, tolerance=0):
        if kind not in ("number", "word", "text"):
            raise ValueError(f"question {qid}: kind {kind!r} is not number, word or text")
        if kind != "text" and derive is None:
            raise ValueError(f"question {qid}: a {kind} answer needs a derive")
        self.qid, self.kind, self.derive = qid, kind, derive
        self.tolerance = tolerance  # a number this close to the machine's is right too
        self.points = (0 if kind == "text" else 1) if points is None else points
        self.same_for_all = same_for_all


class HandIn:
    """A handout's stand-in for a question's Derive: how the answer is read off the
    student's machine is the instructor's (tools/lab/course.py), so the handout's grader
    checks only the answer's form and the value is checked when the hand-in is graded."""

    boot = None

    def __repr__(self):
        return "HANDIN"


HANDIN = HandIn()


def derivable(question):
    """Whether this tree can read `question`'s expected answer off a machine."""
    return question.derive is not None and question.derive is not HANDIN


def normalize(kind, answer):
    """The canonical form of an answer, or None if it is empty or not of its kind."""
    answer = answer.strip()
    if not answer:
        return None
    if kind == "text":
        return answer
    if kind == "number":
        m = re.match(r"^(-?)(0[xX][0-9a-fA-F]+|\d+)\b", answer)
        return str(int(m.group(1) + m.group(2), 0)) if m else None
    return " ".join(answer.lower().split())


class Wrong:
    """A realistic wrong implementation: `edits` are (path, function, old, new) text
    replacements inside one function each; every `old` must occur exactly once there.
    `isolates` names a kernel check that crashes or hangs: lab-verify then also proves
    that the checks after it still ran and passed (the grader rebooted and went on)."""

    def __init__(self, name, why, edits, isolates=None):
        self.name, self.why, self.edits, self.isolates = name, why, edits, isolates
