# SPDX-License-Identifier: MIT
"""The lab grader: host checks, kernel checks and answers, with points per check.

    python3 tools/lab/lab.py grade 2            (what `make grade LAB=2` runs)

Three kinds of check, in this order:

  host     each Criterion test in tests/labs/NN/host.c, built against the kernel's own
           sources (build/labs/host-NN); a test that crashes or hangs fails alone,
           because each test runs in a process of its own, killed if it takes too long
  kernel   each @kernel_check of the lab: pagelab boots in QEMU (SeaBIOS or OVMF) and
           the check types shell commands.  Checks that share a boot share a machine.
           If a check oopses, hangs or kills the machine, it fails, the grader boots a
           fresh machine and goes on with the next check.  Timeouts scale with how
           long the firmware took to start the loader on this run.
  answers  each question in docs/labs/answers/NN.txt, compared with what the student's
           own machine shows: the grader boots it (the machine drawn from the name in
           docs/labs/answers/student.txt) with the student's kernel, and reads each
           expected answer off its shell.  Written answers ("text") are recorded for the
           teacher and score nothing.

A lab's optional challenge has checks of its own (host tests named challenge_*, kernel
checks marked challenge=True): they run with the others and are scored apart.

It prints a line per check (OK or FAIL, JOS style), then "Score: x/y", and writes the
same as JSON to <build>/grade-labNN.json, with the student, their machine, the commit
graded and the time, and the written answers.
"""

import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import labkit

HERE = os.path.dirname(os.path.abspath(__file__))

# Seconds from QEMU start to the loader's first line on an idle machine of this class;
# a slower run (a busy host, two QEMUs on two cores) scales every timeout.
NOMINAL_FIRMWARE_SECONDS = {"bios": 0.25, "uefi": 5.0}
FIRMWARE_TIMEOUT = 240        # the firmware itself; it does not run student code
KERNEL_BOOT_SECONDS = 15      # loader line to prompt, at nominal speed, for 512M
COMMAND_SECONDS = 10          # one shell command, at nominal speed
HOST_TEST_SECONDS = 20        # one Criterion test (each lab's suite gives its own 5 s first)
TIMED_OUT = "timed out: it never finished (a loop that never ends?)"
# A panic, or an oops (the shell survives one, but what the command was changing cannot
# be trusted).  "BUG: Bad page state" alone is a report some self-tests provoke on purpose.
PANIC = re.compile(r"Kernel panic - not syncing[^\n]*|Oops: [^\n]*")


class Result:
    def __init__(self, kind, name, title, points, challenge=False):
        self.kind, self.name, self.title, self.points = kind, name, title, points
        self.challenge = challenge
        # seconds: None for a check with no time of its own (graded with others together)
        self.ok, self.detail, self.seconds, self.ran = False, "", 0.0, False
        # an answer whose value only the hand-in's grading checks (a handout): not scored here
        self.deferred = False

    def as_dict(self):
        return {"kind": self.kind, "name": self.name, "title": self.title,
                "points": self.points, "ok": self.ok, "ran": self.ran,
                "challenge": self.challenge, "deferred": self.deferred,
                "seconds": None if self.seconds is None else round(self.seconds, 2),
                "detail": self.detail}


class Report:
    def __init__(self, lab):
        self.lab, self.results = lab, []
        self.student, self.machine, self.written, self.root = "", None, {}, ""

    def scored(self, challenge=False):
        return [r for r in self.results if r.challenge == challenge and not r.deferred]

    @property
    def deferred(self):
        return [r for r in self.results if r.deferred]

    @property
    def score(self):
        return sum(r.points for r in self.scored() if r.ok)

    @property
    def total(self):
        return sum(r.points for r in self.scored())

    def failed(self, challenge=False):
        return [r for r in self.scored(challenge) if r.ran and not r.ok]

    def as_dict(self):
        ch = self.scored(challenge=True)
        return {"lab": self.lab.LAB.number, "title": self.lab.LAB.title,
                "student": self.student, "machine": self.machine and self.machine.describe(),
                "commit": git_commit(self.root),
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "score": self.score, "total": self.total,
                "challenge": {"score": sum(r.points for r in ch if r.ok),
                              "total": sum(r.points for r in ch)},
                "written": self.written, "checks": [r.as_dict() for r in self.results]}


def git_commit(root):
    """The commit graded, "+changes" when the tree differs from it; "" outside git (or
    where git is not installed)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True)
    except FileNotFoundError:
        return ""
    if head.returncode:
        return ""
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + ("+changes" if dirty else "")


class Printer:
    """The terminal's view: a line per check, its status in a column wide enough for the
    longest title."""

    def __init__(self, quiet=False, width=66):
        self.quiet, self.width = quiet, width

    def line(self, text=""):
        if not self.quiet:
            print(text, flush=True)

    def result(self, r):
        # An answer not written yet is missing, not wrong (a written one scores 0 either way).
        status = "OK" if r.ok else "MISSING" if r.detail == "no answer" else "FAIL"
        if r.deferred and r.ok:
            status = "AT HAND-IN"
        dots = "." * max(2, self.width - len(r.title))
        took = "" if r.seconds is None else f", {r.seconds:.1f}s"
        self.line(f"  {r.title} {dots} {status} ({r.points} pt{'s' if r.points != 1 else ''}"
                  f"{took})")
        if not r.ok and r.detail:
            for d in r.detail.rstrip().splitlines()[:12]:
                self.line(f"      {d}")


# ---- host checks ------------------------------------------------------------------------

def host_tests_in_order(source):
    """(suite, name, seconds) of every Test(...) in a Criterion source file, in file order;
    seconds: how long it may take before the grader kills it."""
    with open(source) as f:
        text = f.read()
    tests = []
    for suite, name, attrs in re.findall(r"^Test\(\s*(\w+)\s*,\s*(\w+)([^)]*)\)", text, re.M):
        own = re.search(r"\.timeout\s*=\s*(\d+)", attrs)
        # Criterion enforces the test's own timeout; ours is the backstop, a little later.
        tests.append((suite, name, max(HOST_TEST_SECONDS, int(own.group(1)) + 10) if own else HOST_TEST_SECONDS))
    return tests


def host_title(name):
    if name.startswith("challenge_"):
        return "challenge: " + name[len("challenge_"):].replace("_", " ")
    return name.replace("_", " ")


# The host checks running now.  Each has a session of its own (so a timeout can kill its
# Criterion worker too), which also means Ctrl-C at the terminal never reaches it: if the
# grader is interrupted, kill_host_checks() must, or a check that never ends spins on.
_running_checks = set()


def kill_host_checks():
    """Kill every host check still running (lab.py calls it when interrupted)."""
    for pid in list(_running_checks):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run_criterion(binary, root, seconds, jobs, test_filter=None, fail_fast=False):
    """Criterion on `binary` (the tests `test_filter` picks, or all; with `fail_fast`, until
    one fails), killed after `seconds`.  Returns ({(suite, name): JSON entry}, output), or
    None on a timeout."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        args = [binary, f"--json={out}", f"--jobs={jobs}", "--always-succeed", "--short-filename"]
        if test_filter:
            args.append(f"--filter={test_filter}")
        if fail_fast:
            args.append("--fail-fast")
        # A session of its own, so that a timeout kills Criterion's worker processes too.
        proc = subprocess.Popen(args, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, start_new_session=True)
        _running_checks.add(proc.pid)
        try:
            output, _ = proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return None
        finally:
            _running_checks.discard(proc.pid)
        try:
            with open(out) as f:
                report = json.load(f)
        except (OSError, ValueError):
            report = {"test_suites": []}
    return {(s.get("name"), t.get("name")): t for s in report.get("test_suites", [])
            for t in s.get("tests", [])}, output


def run_one_host_test(binary, root, suite, name, seconds):
    """One Criterion test in a process of its own, killed after `seconds`: Criterion 2.4's
    --timeout option is not applied to tests, so a test that never ends would otherwise
    stop every check after it.  Returns (the test's JSON entry or None, output, seconds)."""
    t0 = time.monotonic()
    run = run_criterion(binary, root, seconds, 1, f"{suite}/{name}")
    if run is None:
        return {"status": "FAILED", "messages": [f"timed out after {seconds} s: it never "
                                                 f"finished (a loop that never ends?)"]}, \
            "", time.monotonic() - t0
    found, output = run
    return found.get((suite, name)), output, time.monotonic() - t0


def run_host_tests(binary, root, tests, fail_fast=False, retry_timeouts=True):
    """[(JSON entry or None, output, seconds)] for `tests`, in their order, and how long
    the shared run took.  One Criterion
    run on both cores does them all (a process per test costs several times as much: the
    sanitisers' start-up), each lab's suite stopping a test that never ends by itself.
    Only when that run does not end in time or leaves a test out (a crash of Criterion
    itself) are those tests run one by one, each with the grader's own timeout, so the
    culprit is named and the others still count.  With `fail_fast` (lab-verify needs one
    failure) the run stops at the first, and the tests it never ran (the challenge's
    among them) are (None, None, None).  A test graded by the shared run has no time of its
    own (Criterion's JSON keeps none): its seconds are None.  Without `retry_timeouts`, a
    test the suite stopped for its time limit is not run again alone: it failed (lab-verify
    needs only to see which checks fail, and a wrong that hangs a dozen tests would spend
    minutes running each of them into its limit a second time)."""
    if not tests:
        return [], 0.0
    t0 = time.monotonic()
    # Long enough for every test to use its whole time limit, two at a time.
    # lab-verify's first failure must be a scored check: the challenge's fail on the
    # reference too, so a fail-fast run leaves them out.
    whole = run_criterion(binary, root, sum(s for _, _, s in tests) / 2 + 30, 2,
                          "*/!(challenge_*)" if fail_fast else None, fail_fast)
    found, output = whole if whole else ({}, "")
    # Left out by the filter: not run.  Stopped by the suite's own limit while two tests
    # shared the machine: run again alone, so that a test slowed by its neighbour is not
    # taken for one that never ends.
    found = {k: t for k, t in found.items() if t.get("status") != "SKIPPED"
             and (not retry_timeouts or t.get("messages") != ["The test timed out."])}
    shared = time.monotonic() - t0
    if whole and fail_fast and any(t.get("status") != "PASSED" for t in found.values()):
        return [(found[(t[0], t[1])], output, None) if (t[0], t[1]) in found
                else (None, None, None) for t in tests], shared
    missing = [t for t in tests if (t[0], t[1]) not in found
               and not (fail_fast and t[1].startswith("challenge_"))]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        alone = dict(zip(missing, pool.map(lambda t: run_one_host_test(binary, root, *t),
                                           missing)))
    return [alone[t] if t in alone else (found[(t[0], t[1])], output, None)
            if (t[0], t[1]) in found else (None, None, None) for t in tests], shared


def run_host_checks(lab, root, build, printer, fail_fast=False, retry_timeouts=True):
    results = []
    source = os.path.join(root, lab.HOST)
    binary = os.path.join(build, "labs", f"host-{lab.LAB.number:02d}")
    tests = host_tests_in_order(source)
    points = getattr(lab, "HOST_POINTS", {})
    printer.line(f"host checks ({lab.HOST}, built as {os.path.relpath(binary, root)}):")
    for suite, name, _ in tests:
        results.append(Result("host", f"{suite}::{name}", host_title(name), points.get(name, 1),
                              challenge=name.startswith("challenge_")))
    if not os.path.exists(binary):
        for r in results:
            r.ran, r.detail = True, f"{binary} is missing: build it with make grade"
            printer.result(r)
        return results
    runs, shared = run_host_tests(binary, root, tests, fail_fast, retry_timeouts)
    printer.line(f"  (one run for them all: {shared:.1f}s)")
    for r, (t, output, seconds) in zip(results, runs):
        r.ran, r.seconds = output is not None, seconds
        if not r.ran:
            r.detail = "not run: the first failure stops the run"
        elif t is None:
            r.detail = "did not run:\n" + output[-600:]
        else:
            r.ok = t.get("status") == "PASSED"
            if not r.ok:
                msgs = [TIMED_OUT if m == "The test timed out." else m
                        for m in t.get("messages") or []]
                r.detail = "\n".join(msgs) or t.get("status", "failed").lower()
        printer.result(r)
    return results


# ---- kernel checks ----------------------------------------------------------------------

sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "qemu"))
from machine import Machine, TestFailure, image_variant  # noqa: E402


class Crash(TestFailure):
    """The machine is no longer usable: panic, oops, hang, or QEMU gone."""


class GradeMachine(Machine):
    """A Machine whose waits fail fast on a panic or an oops, with scaled timeouts."""

    def __init__(self, boot, image):
        super().__init__(firmware=boot.firmware, machine=boot.machine, mem=boot.mem,
                         image=image, smp=boot.smp)
        self.boot = boot
        self.slowness = 1.0
        self.firmware_log_path = os.path.join(self.tmpdir, "firmware.log")
        if boot.firmware_log:  # SeaBIOS prints its own view (e.g. its E820 map) on port 0x402
            self.extra += ["-chardev", f"file,id=fwlog,path={self.firmware_log_path}",
                           "-device", "isa-debugcon,iobase=0x402,chardev=fwlog"]
        if boot.cpu:
            self.extra += ["-cpu", boot.cpu]

    def firmware_log(self):
        with open(self.firmware_log_path, errors="replace") as f:
            return f.read()

    def expect(self, pattern, timeout=None):
        timeout = self.command_timeout() if timeout is None else timeout
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            m = regex.search(text, self.pos)
            bad = PANIC.search(text, self.pos)
            if bad and (not m or bad.start() < m.start()):
                bad = self._whole_line(bad)
                self.pos = bad.end()
                raise Crash(f"the kernel said: {bad.group(0)}")
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise Crash(f"timed out after {timeout:.0f} s waiting for {pattern!r}")
            if not self._pump(min(left, 0.5)):
                raise Crash(f"QEMU exited (status {self.proc.wait()}) while waiting for "
                            f"{pattern!r}")

    def _whole_line(self, bad):
        """The panic or oops line as the kernel finished it: the serial line may have
        delivered only its start (give it a second or two for the rest)."""
        deadline = time.monotonic() + 2
        while "\n" not in self.text()[bad.start():] and time.monotonic() < deadline:
            if not self._pump(0.2):
                break
        return PANIC.search(self.text(), bad.start())

    def command_timeout(self):
        return COMMAND_SECONDS * self.slowness

    def run(self, command, timeout=None, enter="\r"):
        return super().run(command, self.command_timeout() if timeout is None else timeout,
                           enter)

    def boot_to_prompt(self):
        self.start()
        self.expect(r"pagelab loader:", FIRMWARE_TIMEOUT)
        firmware_seconds = time.monotonic() - self.started
        self.slowness = max(1.0, firmware_seconds / NOMINAL_FIRMWARE_SECONDS[self.firmware])
        gib = max(1, int(re.sub(r"\D", "", self.mem)) // (1024 if self.mem.endswith("M") else 1))
        self.expect(r"pagelab> ", (KERNEL_BOOT_SECONDS + 3 * gib) * self.slowness)
        self.boot_seconds = time.monotonic() - self.started
        self.booted(self)

    @staticmethod
    def booted(m):
        """Called with every machine that reached the prompt (lab-verify counts them)."""


def kernel_checks(lab):
    """The lab's @kernel_check functions, in the order the file defines them."""
    return [v for v in vars(lab).values() if callable(v) and hasattr(v, "lab_boot")]


def kernel_title(fn):
    return ("challenge: " if getattr(fn, "lab_challenge", False) else "") + fn.lab_title


def group_by_boot(checks, mine=None):
    groups = {}
    for c in checks:
        boot = real_boot(c.lab_boot, mine)
        groups.setdefault(boot.key(), (boot, []))[1].append(c)
    # SeaBIOS boots first: they are fast, and a broken kernel shows there first.
    return sorted(groups.values(), key=lambda g: g[0].firmware != "bios")


def real_boot(boot, mine):
    """`boot`, with MINE (the student's own machine) resolved to `mine`."""
    if boot.key() != labkit.MINE.key():
        return boot
    # run_kernel_checks() leaves out what needs MINE when no student is named.
    assert mine is not None, "MINE with no student's machine"
    return mine


def run_kernel_checks(lab, root, build, printer, stop_early, boots=None,
                      after=None, image=None, mine=None, derived=None):
    """Run every kernel check (or those of the boots whose keys are in `boots`), and, if
    `derived` (a dict) is given, read the expected answers of the questions off the same
    machines into it.  MINE is the machine `mine`.
    `after(m)`, if given, runs on each boot's machine once its checks are done.  `image`:
    the disk to boot, <build>/pagelab.img unless given; a boot with a command line of its
    own boots a copy with that line."""
    results = []
    image = image or os.path.join(build, "pagelab.img")
    questions = ([q for q in getattr(lab, "QUESTIONS", []) if labkit.derivable(q)]
                 if derived is not None else [])
    derived = {} if derived is None else derived
    checks = kernel_checks(lab)
    if mine is None:  # no student: checks on their machine cannot run
        for fn in [c for c in checks if c.lab_boot.key() == labkit.MINE.key()]:
            r = Result("kernel", fn.__name__, kernel_title(fn), fn.lab_points,
                       challenge=getattr(fn, "lab_challenge", False))
            r.ran, r.detail = True, "no student named in docs/labs/answers/student.txt"
            printer.result(r)
            results.append(r)
        checks = [c for c in checks if c.lab_boot.key() != labkit.MINE.key()]
        questions = [q for q in questions if q.derive.boot.key() != labkit.MINE.key()]
    groups = group_by_boot(checks, mine)
    keys = {b.key() for b, _ in groups}
    for q in questions:  # boots that only questions need
        b = real_boot(q.derive.boot, mine)
        if b.key() not in keys:
            keys.add(b.key())
            groups.append((b, []))
    for boot, group in groups:
        if boots is not None and boot.key() not in boots:
            continue
        if group:
            printer.line(f"kernel checks, {boot.name}" +
                         (" (your machine)" if mine is not None and boot.key() == mine.key()
                          else "") + ":")
        group_results = run_boot_group(boot, group, image, printer, stop_early,
                                       [q for q in questions
                                        if real_boot(q.derive.boot, mine).key() == boot.key()],
                                       derived, after)
        results += group_results
        if stop_early and any(r.ran and not r.ok for r in group_results):
            break
    return results


def derive_only(lab, build, printer, image=None, mine=None, derived=None):
    """Read the questions' expected answers into `derived` with no kernel check run: one
    boot per machine the questions need (a class's grader reads the answers off the
    student's whole kernel, and grades the checks on another)."""
    image = image or os.path.join(build, "pagelab.img")
    groups = {}
    for q in getattr(lab, "QUESTIONS", []):
        if not labkit.derivable(q) or (mine is None and q.derive.boot.key() == labkit.MINE.key()):
            continue
        b = real_boot(q.derive.boot, mine)
        groups.setdefault(b.key(), (b, []))[1].append(q)
    for boot, questions in groups.values():
        run_boot_group(boot, [], image, printer, False, questions, derived)


def run_boot_group(boot, checks, image, printer, stop_early, questions, derived, after=None):
    results = []
    tmpdir = tempfile.mkdtemp(prefix="pagelab-grade-")
    disk = image_variant("cmdline", cmdline=boot.cmdline + "\n", base=image,
                         directory=tmpdir) if boot.cmdline else image
    m, failed_boots, stop = None, 0, False
    try:
        for fn in checks:
            r = Result("kernel", fn.__name__, kernel_title(fn), fn.lab_points,
                       challenge=getattr(fn, "lab_challenge", False))
            results.append(r)
            if stop:
                r.detail = "not run (an earlier check failed)"
                continue
            t0 = time.monotonic()
            r.ran = True
            if failed_boots >= 2:
                r.detail = "not run: the kernel did not reach the prompt in two boots"
            else:
                if m is None:
                    m = GradeMachine(boot, disk)
                    try:
                        m.boot_to_prompt()
                        failed_boots = 0
                    except TestFailure as e:
                        failed_boots += 1
                        r.detail = f"the kernel did not reach the prompt: {e}\n" + tail(m)
                        m.stop()
                        m = None
                if m is not None:
                    start = m.pos
                    try:
                        fn(m)
                        r.ok = True
                    except Crash as e:
                        r.detail = f"{e}\n" + tail(m, start)
                        m.stop()
                        m = None
                    except TestFailure as e:
                        r.detail = str(e)
                    except Exception as e:  # noqa: BLE001 - a check's own bug fails it, visibly
                        r.detail = f"{type(e).__name__}: {e}"
            r.seconds = time.monotonic() - t0
            printer.result(r)
            stop = stop_early and not r.ok
        if questions or after:
            # The questions read a fresh machine, as the student was told to use: the
            # checks before may have allocated, freed or crashed it.
            if m is not None and questions:
                m.stop()
                m = None
            if not stop and m is None:
                m = GradeMachine(boot, disk)
                try:
                    m.boot_to_prompt()
                except TestFailure as e:
                    if after:
                        raise
                    for q in questions:
                        derived[q.qid] = DeriveFailed(f"your machine did not reach the prompt: {e}")
                    m.stop()
                    m = None
        for q in questions if m is not None else []:
            try:
                derived[q.qid] = q.derive.read(q.derive.output_of(m))
            except (TestFailure, ValueError, StopIteration, IndexError, KeyError) as e:
                steps = "; ".join(c if isinstance(c, str) else f"the experiment of {q.qid}"
                                  for c in q.derive.commands())
                derived[q.qid] = DeriveFailed(f"`{steps}` on your machine: {e}")
                if isinstance(e, Crash):
                    break
        if after and m is not None:
            after(m)
    finally:
        if m is not None:
            m.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return results


class DeriveFailed(str):
    """What stood in for an expected answer the grader could not read off the machine."""


def tail(m, start=0, lines=15):
    text = m.text()[start:]
    return "last lines of the serial console:\n" + "\n".join(text.rstrip().splitlines()[-lines:])


# ---- answers ------------------------------------------------------------------------------

def read_answers(path):
    """{qid: answer} from an answer file: lines "q1 = answer", and "challenge = ..." for
    what the student says about the challenge; an indented line goes on with the answer
    above it (a written answer may take several); '#' starts a comment line."""
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return parse_answers(f.read())


def parse_answers(text):
    """read_answers() of the file's text."""
    answers = {}
    last = None
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("#"):
            continue
        m = re.match(r"^(q\d+|challenge)\s*=(.*)$", line)
        if m:
            last = m.group(1)
            answers[last] = m.group(2).strip()
        elif last and line[:1] in (" ", "\t") and line.strip():
            answers[last] = (answers[last] + " " + line.strip()).strip()
        else:
            last = None
    return answers


def check_answers(lab, root, printer, given=None, derived=None, report=None, no_student=False):
    """One result per question: an answer is compared with what the grader read off the
    student's machine (`derived`); a written answer only needs to be there, and goes
    into `report.written` for the teacher."""
    results = []
    questions = getattr(lab, "QUESTIONS", [])
    if not questions:
        return results
    derived = derived or {}
    printer.line(f"answers ({lab.LAB.answers}):")
    answers = given if given is not None else read_answers(os.path.join(root, lab.LAB.answers))
    if report is not None and answers.get("challenge"):
        report.written["challenge"] = answers.get("challenge")
    for q in questions:
        r = Result("answer", q.qid, f"question {q.qid[1:]}" +
                   (" (written, for your teacher)" if q.kind == "text" else ""), q.points)
        r.ran, r.seconds = True, None  # read off the machine booted for the kernel checks
        r.deferred = q.kind != "text" and q.derive is labkit.HANDIN
        answer = answers.get(q.qid, "")
        mine = labkit.normalize(q.kind, answer)
        if mine is None:
            r.detail = "no answer" if not answer else f"{answer!r} is not a {q.kind}"
        elif q.kind == "text":
            r.ok = True
            if report is not None:
                report.written[q.qid] = answer
        else:
            # Words after a number (a prediction, an explanation) are the teacher's to read.
            if report is not None and answer.strip() != answer.split(None, 1)[0]:
                report.written[q.qid] = answer
            expected = derived.get(q.qid)
            if q.derive is labkit.HANDIN:
                r.ok = True  # the form is right; the value waits for the hand-in
            elif expected is None and no_student:
                r.detail = ("no student named in docs/labs/answers/student.txt: `make lab-start "
                            f"{lab.LAB.number} STUDENT=you@school.edu` (your machine is drawn "
                            "from it)")
            elif expected is None or isinstance(expected, DeriveFailed):
                r.detail = (f"the grader could not read the answer off your machine: "
                            f"{expected or 'it did not boot'}")
            else:
                want = labkit.normalize(q.kind, expected)
                r.ok = mine == want or (q.kind == "number" and want is not None and
                                        abs(int(mine) - int(want)) <= q.tolerance)
                r.detail = "" if r.ok else (
                    f"{answer!r} is not what your machine shows (the grader reads it off your "
                    f"kernel as it is now: if you changed code since your experiment, run it "
                    f"again)")
        printer.result(r)
        results.append(r)
    return results


# ---- a whole lab ----------------------------------------------------------------------------

def titles(lab, root):
    """The titles of every check of the lab, for the width of the status column."""
    found = [f"question {q.qid[1:]}" for q in getattr(lab, "QUESTIONS", [])]
    found += [kernel_title(fn) for fn in kernel_checks(lab)]
    if getattr(lab, "HOST", None) and os.path.exists(os.path.join(root, lab.HOST)):
        found += [host_title(name) for _, name, _ in host_tests_in_order(os.path.join(root, lab.HOST))]
    return found


def grade(lab, root, build, quiet=False, stop_early=False, answers=None,
          write_json=True, kinds=("host", "kernel", "answer"), boots=None, after=None,
          image=None, student="", mine=None, retry_timeouts=True):
    """Grade one lab.  `stop_early`: stop at the first failed check (lab-verify's wrong
    implementations need only one).  `answers`: use these instead of the answer file.
    `kinds` and `boots` (keys of Boot) choose which checks run; `after(m)` runs on every
    machine booted, once its checks are done.  `image`: the disk the kernel checks boot
    (default <build>/pagelab.img).  `student` and `mine`: who is graded, and the Boot of
    their own machine (labkit.student_machine).  `retry_timeouts`: see run_host_tests."""
    printer = Printer(quiet, width=max([66] + [len(t) + 3 for t in titles(lab, root)]))
    report = Report(lab)
    report.student, report.machine, report.root = student, mine, root
    printer.line(f"== lab {lab.LAB.number}: {lab.LAB.title} ==")
    if mine is not None:
        printer.line(f"{student}'s machine: {mine.describe()}")
    elif any(labkit.derivable(q) and q.derive.boot.key() == labkit.MINE.key()
             for q in getattr(lab, "QUESTIONS", [])):
        printer.line("(no student named in docs/labs/answers/student.txt, so no machine of "
                     "your own: the answers cannot be checked)")
    if "host" in kinds and getattr(lab, "HOST", None):
        report.results += run_host_checks(lab, root, build, printer, fail_fast=stop_early,
                                          retry_timeouts=retry_timeouts)
    if stop_early and report.failed():
        return report
    derived = {}
    if "kernel" in kinds:
        if image:
            printer.line(f"(the kernel checks boot {os.path.relpath(image, root)})")
        report.results += run_kernel_checks(lab, root, build, printer, stop_early, boots,
                                            after, image, mine,
                                            derived if "answer" in kinds else None)
    elif "answer" in kinds:
        derive_only(lab, build, printer, image, mine, derived)
    if stop_early and report.failed():
        return report
    if "answer" in kinds:
        report.results += check_answers(lab, root, printer, answers, derived, report,
                                        no_student=mine is None)
    later = [r for r in report.deferred if r.points]
    printer.line(f"Score: {report.score}/{report.total}" + (
        f" (and {sum(r.points for r in later)} points of answers: their values are checked "
        f"when your hand-in is graded, on your machine)" if later else ""))
    challenge = report.scored(challenge=True)
    if challenge:
        printer.line(f"Challenge: {sum(r.points for r in challenge if r.ok)}/"
                     f"{sum(r.points for r in challenge)} (optional, not part of the score)")
    if write_json:
        path = os.path.join(build, f"grade-lab{lab.LAB.number:02d}.json")
        with open(path, "w") as f:
            json.dump(report.as_dict(), f, indent=1)
            f.write("\n")
        printer.line(f"(details in {os.path.relpath(path, root)})")
    return report
