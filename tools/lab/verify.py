# SPDX-License-Identifier: MIT
"""lab-verify: prove that the lab grading is honest.

First the lab tools pass their own tests (tests/labs/test_cfunc.py, test_labkit.py).  Then, for
every lab, in a scratch copy of the tree (the working tree is never touched):

  1. every answer read off a machine is per-student: over three students whose machines
     differ, no question has one answer for all (unless it says why it must); then, with
     every other lab started (their functions stubs, as in a student's handout, where
     the labs are done in any order), the reference code scores full marks, with the
     answers read off an earlier boot of the same student's machine (so each answer is
     the same on every boot); an answer that reads differently there is noted.  What of a
     lab cannot be graded without another lab says so (NEEDS in its lab.py), and that
     lab stays done;
     the challenge's checks fail on the reference, and pass with
     tests/labs/NN/challenge.patch applied, if the lab has one;
  2. after lab-start, with every lab's functions stubs (the handout), the tree still
     builds, boots to the prompt on SeaBIOS and OVMF with a usable shell, and the lab
     scores zero: every check fails, none by crashing the machine; then, with only this
     lab started, every block of the lab's page that quotes the started lab (", stubs")
     is what those stubs print;
  3. lab-start refuses to overwrite changed code, lab-reset refuses to throw it away,
     lab-solution saves it and puts back exactly the original;
  4. every wrong implementation in the lab's WRONG list fails at least one check (host
     checks first, then SeaBIOS, then OVMF, stopping at the first failure); one that
     crashes or hangs a check also shows that the checks after it still ran and passed.

    python3 tools/lab/lab.py --build build verify [N ...]     (make lab-verify)
"""

import collections
import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time

import cfunc
import grade
import lab as labtool
import labdocs
import labkit

SMOKE_COMMANDS = ["help", "memmap", "e820", "memblock", "zoneinfo", "buddyinfo", "page 0x100",
                  "vtop 0xffffffff80000000", "ptdump", "bootinfo"]


class VerifyError(Exception):
    pass


def say(text):
    print(f"lab-verify: {text}", flush=True)


# Where each lab's wall time goes (make, host checks, QEMU boots, per step), printed with
# its "verified in" line so a slow lab-verify shows what to cut.  Labs run in threads of
# their own, so the tally is per thread.
_tally = threading.local()


def tally():
    if not hasattr(_tally, "seconds"):
        _tally.seconds, _tally.events = {}, collections.Counter()
    return _tally


def count(what, seconds):
    t = tally()
    t.seconds[what] = t.seconds.get(what, 0.0) + seconds


def count_boot(m):
    t = tally()
    t.events[f"{m.firmware} boots"] += 1
    count(f"{m.firmware} boots", m.boot_seconds)


def tally_text():
    t = tally()
    parts = [f"{what} {s:.0f} s" for what, s in sorted(t.seconds.items(), key=lambda x: -x[1])]
    counts = ", ".join(f"{n} {what}" for what, n in sorted(t.events.items()))
    return "; ".join(parts) + (f"; {counts}" if counts else "")


def copy_tree(root, dest):
    """The working tree's files (tracked and new, not ignored) and .lab/, copied to dest."""
    proc = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=root,
                          capture_output=True)
    if proc.returncode == 0:
        files = [f for f in proc.stdout.decode().split("\0") if f]
    else:  # not a git checkout: everything but build output
        files = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if not x.startswith(("build", ".git"))]
            files += [os.path.relpath(os.path.join(d, n), root) for n in names]
    for f in files:
        src = os.path.join(root, f)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dest, f)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, f))
    if os.path.isdir(os.path.join(root, ".lab")):
        shutil.copytree(os.path.join(root, ".lab"), os.path.join(dest, ".lab"))


def seed_build(build, dest):
    """Start the scratch tree's build/ as a copy of this tree's, times kept: the sources
    were copied with their times too, so make rebuilds only what lab-verify changes
    instead of every lab building the whole kernel and the sanitised host library
    from nothing."""
    if not os.path.isdir(build):
        return
    shutil.copytree(build, dest, symlinks=True,
                    ignore=shutil.ignore_patterns("lab-verify", "grade*.json", "bench",
                                                  "tests", "*.fd", "test-course",
                                                  "grade-class", "handin-*.json"))


def source_state(tree):
    """{path: (mtime in ns, sha1)} of the tree's files: tracked and new, not ignored (the
    make's inputs; not build/ or .lab/)."""
    proc = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=tree,
                          capture_output=True, check=True)
    state = {}
    for f in proc.stdout.decode().split("\0"):
        path = os.path.join(tree, f)
        if f and os.path.isfile(path):
            with open(path, "rb") as fh:
                state[f] = (os.stat(path).st_mtime_ns, hashlib.sha1(fh.read()).digest())
    return state


class ReferenceBuild:
    """The scratch tree's build/ as the reference built it, and its sources' times.

    Every lab's check stubs all the other labs and puts them back; make then recompiled
    their files (kernel and sanitised host objects) although they are byte for byte what
    was built before.  restore() puts back that build/ and, on every source whose bytes
    are the reference's again, the reference's time, so make sees the tree as it was then
    and rebuilds only from what still differs.  That is what make itself would conclude,
    provided a file that differs is newer than every output kept: it was written after
    the copy was taken, which restore() checks (else it leaves everything to make)."""

    def __init__(self, tree):
        self.tree, self.build = tree, os.path.join(tree, "build")
        self.copy = tree + "-reference-build"
        shutil.rmtree(self.copy, ignore_errors=True)
        self.sources = source_state(tree)
        self.taken = time.time_ns()
        shutil.copytree(self.build, self.copy, symlinks=True)

    def restore(self):
        now = source_state(self.tree)
        if set(self.sources) - set(now):
            return False  # a file was removed: leave it to make
        changed = [f for f in now if now[f][1] != self.sources.get(f, (0, None))[1]]
        if any(now[f][0] <= self.taken for f in changed):
            return False
        for f, (mtime, digest) in self.sources.items():
            if now[f][1] == digest and now[f][0] != mtime:
                os.utime(os.path.join(self.tree, f), ns=(mtime, mtime))
        shutil.rmtree(self.build)
        shutil.copytree(self.copy, self.build, symlinks=True)
        return True

    def remove(self):
        shutil.rmtree(self.copy, ignore_errors=True)


def make_repository(tree):
    """A repository of its own, as a student's clone is: lab-start compares with git HEAD."""
    git = ["git", "-c", "user.name=lab-verify", "-c", "user.email=lab-verify@localhost"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "lab-verify scratch copy"]):
        subprocess.run(git + args, cwd=tree, check=True, capture_output=True)


def make(tree, *targets, timeout=None):
    t0 = time.monotonic()
    try:
        proc = subprocess.run(["make", "--no-print-directory", "-j2", "BUILD=build", *targets],
                              cwd=tree, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise VerifyError(f"make {' '.join(targets)} took more than {timeout} s")
    finally:
        count("make", time.monotonic() - t0)
    if proc.returncode != 0:
        raise VerifyError(f"make {' '.join(targets)} failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    compiles = sum(1 for line in proc.stdout.splitlines() if " -c " in line)
    tally().events["compiles"] += compiles
    return compiles


def host_binary(n):
    return f"build/labs/host-{n:02d}"


def build_all(tree, n):
    return make(tree, "build/pagelab.img", host_binary(n))


def quiet(*args, **kwargs):
    pass


def load(tree, n):
    return labtool.load_lab(tree, n)


# lab-verify's students: each lab picks three of these whose machines differ.
CANDIDATES = [f"student{i}@lab-verify" for i in range(200)]
WRITTEN = "(lab-verify: a written answer)"


def verify_students(lab, count=3):
    """(name, Boot) of `count` students whose machines for `lab` differ from each other,
    in memory size where the lab draws from several, and on both firmwares if it can."""
    picked = []
    for name in CANDIDATES:
        b = labkit.student_machine(name, lab.LAB)
        if all(b.key() != o.key() and (b.mem != o.mem or len(lab.LAB.machines.mem) < count)
               for _, o in picked):
            picked.append((name, b))
        firmwares = {o.firmware for _, o in picked}
        if len(picked) == count:
            if len(firmwares) > 1 or len(lab.LAB.machines.firmware) == 1:
                return picked
            picked.pop()
    raise VerifyError(f"no {count} students with different machines for lab {lab.LAB.number}")


def mine_questions(lab):
    return [q for q in getattr(lab, "QUESTIONS", []) if labkit.derivable(q)]


def answers_of(tree, lab, mine):
    """{qid: answer} read off one boot of the machine `mine`, as a student would."""
    derived = {}
    if not mine_questions(lab):
        return derived
    grade.run_boot_group(mine, [], os.path.join(tree, "build", "pagelab.img"),
                         grade.Printer(quiet=True), False, mine_questions(lab), derived)
    failed = {q: v for q, v in derived.items() if isinstance(v, grade.DeriveFailed)}
    if failed:
        raise VerifyError(f"the reference cannot answer on {mine.describe()}: " +
                          "; ".join(f"{q}: {v}" for q, v in failed.items()))
    return derived


def check_per_student(lab, students, answers):
    """Every machine-read answer must differ between some of the students."""
    problems = []
    for q in mine_questions(lab):
        if q.kind == "text" or q.same_for_all:
            continue
        values = {labkit.normalize(q.kind, a.get(q.qid, "")) for a in answers}
        if len(values) < 2:
            problems.append(f"question {q.qid} has the answer {values.pop()!r} on every machine "
                            f"drawn ({'; '.join(b.describe() for _, b in students)}): "
                            f"neighbours could share it (make it depend on the machine, or say "
                            f"why it cannot: same_for_all=)")
    return problems


def check_reference(tree, n):
    """The reference's full marks with every other lab stubbed, as in a student's handout
    where the labs are done in any order; returns (report, who, answers) for the later
    steps.  Each machine-read answer is per-student on the finished kernel (the machines
    read first, before the other labs are stubbed); one that reads differently with the
    other labs stubbed is reported, since a hand-in graded in a reference tree expects
    the finished kernel's."""
    lab = load(tree, n)
    build_all(tree, n)
    tally().reference_build = ReferenceBuild(tree)
    students = verify_students(lab)
    per_student = [answers_of(tree, lab, b) for _, b in students]
    name, mine = students[0]
    who = {"student": name, "mine": mine}
    stub_others(tree, n, name)
    tally().events["compiles with the others stubbed"] += build_all(tree, n)
    answers = answers_of(tree, lab, mine)
    moved = {q: (per_student[0][q], a) for q, a in answers.items()
             if q in per_student[0] and a != per_student[0][q]}
    answers.update({q.qid: WRITTEN for q in getattr(lab, "QUESTIONS", []) if q.kind == "text"})
    report = grade.grade(lab, tree, os.path.join(tree, "build"), quiet=True,
                         answers=answers, write_json=False, **who)
    problems = [f"{r.kind} check {r.name!r}: {r.detail}" for r in report.scored() if not r.ok]
    problems += [f"challenge check {r.name!r} passes on the reference, which does not do the "
                 f"challenge: it cannot tell" for r in report.scored(challenge=True) if r.ok]
    problems += check_per_student(lab, students, per_student)
    if problems:
        raise VerifyError(f"with labs {', '.join(map(str, other_labs(tree, n)))} stubbed, the "
                          f"reference scores {report.score}/{report.total}:\n  " +
                          "\n  ".join(problems))
    say(f"lab {n}: the reference scores {report.score}/{report.total} with every other lab "
        f"stubbed; its {len(mine_questions(lab))} machine-read answers differ between "
        f"students on {'; '.join(b.describe() for _, b in students)}")
    for q, (done, stubbed) in sorted(moved.items()):
        say(f"lab {n}: note: {q} reads {stubbed!r} with the other labs stubbed, {done!r} with "
            f"them done ({mine.describe()})")
    return report, who, answers


def check_challenge(tree, n, who, answers):
    """With the challenge's reference patch applied, its checks pass and so does every
    other; the tree is put back afterwards."""
    lab = load(tree, n)
    patch = os.path.join(tree, "tests", "labs", f"{n:02d}", "challenge.patch")
    if not os.path.exists(patch):
        return
    git = ["git", "-c", "user.name=lab-verify", "-c", "user.email=lab-verify@localhost"]
    proc = subprocess.run(git + ["apply", patch], cwd=tree, capture_output=True, text=True)
    if proc.returncode:
        raise VerifyError(f"tests/labs/{n:02d}/challenge.patch does not apply:\n{proc.stderr}")
    try:
        build_all(tree, n)
        report = grade.grade(lab, tree, os.path.join(tree, "build"), quiet=True,
                             answers=answers, write_json=False, **who)
        bad = [f"{r.kind} {r.name}: {r.detail}" for r in report.results if not r.ok]
        if bad:
            raise VerifyError("with challenge.patch applied, these checks fail:\n  " +
                              "\n  ".join(bad))
        n_ch = len(report.scored(challenge=True))
        if not n_ch:
            raise VerifyError(f"tests/labs/{n:02d}/challenge.patch exists, but the lab has no "
                              f"challenge check (a kernel check with challenge=True, or a host "
                              f"test named challenge_*)")
        say(f"lab {n}: with challenge.patch, its {n_ch} challenge checks pass, and every other")
    finally:
        subprocess.run(git + ["apply", "-R", patch], cwd=tree, check=True, capture_output=True)


def replay_stub_quotes(tree, n):
    """Every block of lab n's page marked ", stubs", replayed with the stubs in."""
    lab = load(tree, n)
    found = labdocs.blocks(stubs=True, root=tree, docs=[lab.LAB.doc])
    count = 0
    for config, quoted in found.items():
        if config == "host":
            labdocs.replay_host(quoted, tree, os.path.join(tree, "build"))
        else:
            firmware, machine, mem, options = labdocs.machine_spec(config)
            boot = labkit.Boot(firmware, machine, mem, cmdline=options.get("cmdline"),
                               cpu=options.get("cpu"), smp=options.get("smp"))
            tmp = os.path.join(tree, "build", "stub-quotes")
            os.makedirs(tmp, exist_ok=True)
            image = os.path.join(tree, "build", "pagelab.img")
            if boot.cmdline:
                image = grade.image_variant("stub-quotes", cmdline=boot.cmdline + "\n",
                                            base=image, directory=tmp)
            m = grade.GradeMachine(boot, image)
            try:
                m.boot_to_prompt()
                labdocs.replay_boot(m, quoted)
            except grade.TestFailure as e:
                raise VerifyError(f"with the stubs in, a quoted block is not what the shell "
                                  f"prints ({boot.name}):\n{e}")
            finally:
                m.stop()
        count += len(quoted)
    return count


def smoke(m):
    """Every common command on a machine booted with the stubs in: the shell must work."""
    for c in SMOKE_COMMANDS:
        m.run(c)  # a panic, an oops or a hang raises


def check_stubs(tree, n, reference, who):
    """Called with every other lab stubbed: lab n's stubs too make the handout's tree,
    which must build and boot with a usable shell, and score 0.  Returns with only lab n
    started."""
    lab = load(tree, n)
    labtool.cmd_start(tree, n, out=quiet, student=who["student"])
    paths = sorted({t.path for t in lab.TARGETS})
    if subprocess.run(["git", "diff", "--quiet", "HEAD", "--", *paths], cwd=tree).returncode:
        raise VerifyError("lab-start did not commit the stubs: `git diff` would show the "
                          "reference to the student")
    build_all(tree, n)
    booted = []

    def after(m):
        smoke(m)
        booted.append(m.firmware)

    try:
        report = grade.grade(lab, tree, os.path.join(tree, "build"), quiet=True, answers={},
                             write_json=False, after=after, **who)
    except grade.TestFailure as e:
        raise VerifyError(f"with the stubs in, the shell does not work: {e}")
    passed = [r for r in report.results if r.ok]
    crashed = [r for r in report.results if r.kind == "kernel" and
               ("did not reach the prompt" in r.detail or "not run" in r.detail or
                "timed out" in r.detail or "QEMU exited" in r.detail or "the kernel said" in r.detail)]
    if passed:
        raise VerifyError("with the stubs in, these checks still pass (a check no stub can fail "
                          "is a bug):\n  " + "\n  ".join(f"{r.kind} {r.name}" for r in passed))
    if crashed:
        raise VerifyError("with the stubs in, the kernel crashed or hung:\n  " +
                          "\n  ".join(f"{r.name}: {r.detail}" for r in crashed))
    if len(report.results) != len(reference.results):
        raise VerifyError("the stubbed tree ran a different set of checks")
    if not {"bios", "uefi"} <= set(booted):
        raise VerifyError(f"lab {n} has no kernel check on each firmware: booted {booted}")
    done = sorted(set(labtool.lab_numbers(tree)) - set(other_labs(tree, n)) - {n})
    stubbed = (f"every lab's stubs in (a handout)" if not done else
               f"every lab's stubs in but lab {', '.join(map(str, done))}'s (NEEDS)")
    say(f"lab {n}: with {stubbed}, it builds, boots on SeaBIOS and OVMF, the shell works, "
        f"and lab {n} scores {report.score}/{report.total}")
    # The page quotes lab n started in an otherwise finished kernel.
    unstub_others(tree, n)
    if tally().reference_build.restore():
        tally().events["reference builds put back"] += 1
    tally().events["compiles with them back"] += build_all(tree, n)
    quotes = replay_stub_quotes(tree, n)
    say(f"lab {n}: its page's {quotes} quotes of the started lab are what the shell prints")


def check_keeps_work(tree, n, originals):
    """lab-start, lab-reset and lab-solution never lose a student's code.  Called with
    the lab started."""
    lab = load(tree, n)
    target = lab.TARGETS[0]

    def edit():
        text = labtool.read(tree, target.path)
        f = cfunc.find_function(text, target.function)
        changed = text[:f.end - 1] + "\t/* the student's work */\n" + text[f.end - 1:]
        labtool.write(tree, target.path, changed)
        return changed

    def must_refuse(what, call, expected):
        try:
            call()
        except labtool.LabError:
            pass
        else:
            raise VerifyError(f"{what} went ahead over a changed {target.function}()")
        if labtool.read(tree, target.path) != expected:
            raise VerifyError(f"{what} refused but still changed {target.path}")

    mine = edit()  # the student has written some of the stub
    must_refuse("lab-start", lambda: labtool.cmd_start(tree, n, out=quiet,
                                                       student="lab-verify"), mine)
    must_refuse("lab-reset", lambda: labtool.put_back(tree, n, False, False, out=quiet), mine)
    labtool.put_back(tree, n, force=True, save=True, out=quiet)
    for path, text in originals.items():
        if labtool.read(tree, path) != text:
            raise VerifyError(f"lab-solution did not restore {path} exactly")
    saved = os.listdir(os.path.join(tree, ".lab", f"{n:02d}", "saved"))
    if not any(target.function in s for s in saved):
        raise VerifyError("lab-solution did not save the student's version")
    mine = edit()  # a change to the original, before any lab-start (git HEAD knows better)
    must_refuse("lab-start", lambda: labtool.cmd_start(tree, n, out=quiet,
                                                       student="lab-verify"), mine)
    labtool.write(tree, target.path, originals[target.path])
    say(f"lab {n}: lab-start and lab-reset refuse to overwrite changed code; lab-solution "
        f"saves it and restores the original exactly")


def apply_wrong(tree, wrong):
    for path, function, old, new in wrong.edits:
        text = labtool.read(tree, path)
        f = cfunc.find_function(text, function)
        src = f.source(text)
        if src.count(old) != 1:
            raise VerifyError(f"wrong implementation {wrong.name}: {old!r} occurs "
                              f"{src.count(old)} times in {function}(); update tests/labs")
        labtool.write(tree, path, text[:f.start] + src.replace(old, new) + text[f.end:])


def check_wrong(tree, n, wrong, originals, who):
    lab = load(tree, n)
    apply_wrong(tree, wrong)
    try:
        if wrong.isolates:
            results = isolation_run(tree, lab, wrong, who)
        else:
            results = first_failure_run(tree, lab, who)
        failed = [r for r in results if r.ran and not r.ok]
        if not failed:
            raise VerifyError(f"wrong implementation {wrong.name} ({wrong.why}) passes every check")
        say(f"lab {n}: wrong {wrong.name} ({wrong.why}) fails: {failed[0].title}" +
            (" - and the checks after it still ran" if wrong.isolates else ""))
    finally:
        for path, text in originals.items():
            labtool.write(tree, path, text)


def first_failure_run(tree, lab, who):
    """Host checks, then the kernel checks boot by boot, until one fails (a challenge
    check does not count: the reference fails those too)."""
    build = os.path.join(tree, "build")
    make(tree, host_binary(lab.LAB.number))
    t0 = time.monotonic()
    report = grade.grade(lab, tree, build, quiet=True, stop_early=True, answers={},
                         write_json=False, kinds=("host",), **who)
    count("wrongs: host checks", time.monotonic() - t0)
    if report.failed():
        tally().events["wrongs caught on the host"] += 1
        return report.scored()
    make(tree, "build/pagelab.img")
    t0 = time.monotonic()
    kernel = grade.grade(lab, tree, build, quiet=True, stop_early=True, answers={},
                         write_json=False, kinds=("kernel",), **who).scored()
    count("wrongs: kernel checks", time.monotonic() - t0)
    return report.scored() + kernel


def isolation_run(tree, lab, wrong, who):
    """Every check of the kind (and, for a kernel check, the boot) of `wrong.isolates`."""
    build = os.path.join(tree, "build")
    kernel = {fn.__name__: fn for fn in grade.kernel_checks(lab)}
    if wrong.isolates in kernel:
        make(tree, "build/pagelab.img")
        boot = grade.real_boot(kernel[wrong.isolates].lab_boot, who["mine"])
        report = grade.grade(lab, tree, build, quiet=True, answers={}, write_json=False,
                             kinds=("kernel",), boots={boot.key()}, **who)
    else:
        make(tree, host_binary(lab.LAB.number))
        report = grade.grade(lab, tree, build, quiet=True, answers={}, write_json=False,
                             kinds=("host",), retry_timeouts=False, **who)
    check_isolation(wrong, report.scored())
    return report.scored()


def check_isolation(wrong, results):
    names = [r.name for r in results]
    if wrong.isolates not in names:
        raise VerifyError(f"wrong {wrong.name}: there is no check {wrong.isolates!r}")
    i = names.index(wrong.isolates)
    r = results[i]
    if r.ok:
        raise VerifyError(f"wrong {wrong.name}: {wrong.isolates} passed; it should crash or hang")
    others = [x for x in results if x.kind == r.kind and x is not r]
    later = [x for x in results[i + 1:] if x.kind == r.kind] if r.kind == "kernel" else others
    if not any(x.ok for x in later):
        raise VerifyError(f"wrong {wrong.name}: after {wrong.isolates} failed, no other "
                          f"{r.kind} check passed: the failure was not isolated")


def other_labs(tree, n):
    """The labs stubbed while lab n is checked: all but n, and but those lab n says it
    cannot be graded without (NEEDS in its lab.py: {what: lab})."""
    needed = set(getattr(load(tree, n), "NEEDS", {}).values())
    return [m for m in labtool.lab_numbers(tree) if m != n and m not in needed]


def stub_others(tree, n, student):
    """Every lab but n started, as in a student's handout, where every lab's functions are
    stubs and the labs are done in any order: lab n's grade must not depend on them."""
    for m in other_labs(tree, n):
        labtool.cmd_start(tree, m, out=quiet, student=student)


def unstub_others(tree, n):
    """Every lab but n back to the reference (undoes stub_others)."""
    for m in other_labs(tree, n):
        labtool.put_back(tree, m, force=False, save=False, out=quiet)


def snapshot(tree, lab):
    """The text of every file lab n's targets and wrong implementations touch."""
    paths = {t.path for t in lab.TARGETS}
    for w in getattr(lab, "WRONG", []):
        paths |= {path for path, *_ in w.edits}
    return {path: labtool.read(tree, path) for path in sorted(paths)}


def verify_lab(tree, n):
    t0 = time.monotonic()
    _tally.__dict__.clear()
    grade.GradeMachine.booted = staticmethod(count_boot)

    def step(what, fn, *args):
        s0 = time.monotonic()
        try:
            return fn(*args)
        finally:
            count(f"step {what}", time.monotonic() - s0)

    lab = load(tree, n)
    originals = snapshot(tree, lab)
    try:
        verify_steps(tree, n, lab, originals, step)
    finally:
        if getattr(tally(), "reference_build", None):
            tally().reference_build.remove()
    say(f"lab {n}: verified in {time.monotonic() - t0:.0f} s "
        f"({len(getattr(lab, 'WRONG', []))} wrong implementations caught)")
    say(f"lab {n}: time: {tally_text()}")


def verify_steps(tree, n, lab, originals, step):
    # leaves the other labs stubbed
    reference, who, answers = step("reference", check_reference, tree, n)
    step("challenge", check_challenge, tree, n, who, answers)
    step("stubs", check_stubs, tree, n, reference, who)  # puts the other labs back
    step("keeps-work", check_keeps_work, tree, n, originals)
    for w in getattr(lab, "WRONG", []):
        step("wrongs", check_wrong, tree, n, w, originals, who)


def verify_in(tree, n):
    try:
        verify_lab(tree, n)
        return None
    except (VerifyError, labtool.LabError, cfunc.FunctionNotFound, grade.TestFailure) as e:
        return f"lab {n}: {e}\n(the scratch tree is kept in {tree})"


def check_finder(root):
    """The lab tools' own tests: the C function finder (tests/labs/test_cfunc.py), the
    machine draw, the answer forms and the class table (tests/labs/test_labkit.py)."""
    for test in ("test_cfunc.py", "test_labkit.py"):
        proc = subprocess.run([sys.executable, os.path.join(root, "tests", "labs", test)],
                              capture_output=True, text=True)
        if proc.returncode:
            raise VerifyError(f"tests/labs/{test} failed:\n{proc.stderr}")
    say("the lab tools pass tests/labs/test_cfunc.py and tests/labs/test_labkit.py")


# Seconds each lab took in a clean-clone `make test` on a loaded 2-core machine ("lab N:
# verified in" lines): only the order the labs start in depends on them.
LAB_SECONDS = {1: 182, 2: 193, 3: 88, 4: 187, 5: 226, 6: 204, 7: 267, 8: 149, 9: 250,
               10: 197}


def main(root, build, numbers, keep=False, jobs=2):
    t0 = time.monotonic()
    try:
        check_finder(root)
    except VerifyError as e:
        say(f"FAILED: {e}")
        return 1
    # One scratch folder per set of labs, so that two lab-verify runs of different labs
    # can go side by side without deleting each other's trees.
    scratch = os.path.join(build, "lab-verify",
                           "-".join(f"{n:02d}" for n in sorted(numbers)) if numbers else "all")
    base = os.path.join(scratch, "base")
    shutil.rmtree(scratch, ignore_errors=True)
    copy_tree(root, base)
    seed_build(build, os.path.join(base, "build"))
    for n in labtool.lab_numbers(base):  # a started lab in the copy: back to the reference
        labtool.put_back(base, n, force=True, save=True, out=quiet)
    make_repository(base)
    numbers = numbers or labtool.lab_numbers(base)
    trees = {}
    for n in numbers:  # one tree per lab, so labs can be verified side by side
        trees[n] = os.path.join(scratch, f"lab{n:02d}")
        shutil.copytree(base, trees[n], symlinks=True)
    # The longest labs first, so that the two workers end together: in lab order, the
    # last lab ran alone for minutes with a core to spare.
    ordered = sorted(numbers, key=lambda n: -LAB_SECONDS.get(n, 150))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        errors = [e for e in pool.map(lambda n: verify_in(trees[n], n), ordered) if e]
    for e in errors:
        say(f"FAILED: {e}")
    if errors:
        return 1
    if not keep:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"{len(numbers)} labs verified in {time.monotonic() - t0:.0f} s")
    return 0
