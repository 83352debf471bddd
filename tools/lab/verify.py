"""lab-verify: prove that the lab grading is honest.

First the C function finder passes its own tests (tests/labs/test_cfunc.py).  Then, for
every lab, in a scratch copy of the tree (the working tree is never touched):

  1. the reference code scores full marks, with the answers read off the reference
     kernel's shell (which proves each stored answer hash is still true);
  2. after lab-start the tree still builds, boots to the prompt on SeaBIOS and OVMF with
     a usable shell, and scores zero: every check fails, none by crashing the machine;
  3. lab-start refuses to overwrite changed code, lab-reset refuses to throw it away,
     lab-solution saves it and puts back exactly the original;
  4. every wrong implementation in the lab's WRONG list fails at least one check (host
     checks first, then SeaBIOS, then OVMF, stopping at the first failure); one that
     crashes or hangs a check also shows that the checks after it still ran and passed.

    python3 tools/lab/lab.py --build build verify [N ...]     (make lab-verify)
"""

import concurrent.futures
import os
import shutil
import subprocess
import sys
import time

import cfunc
import grade
import lab as labtool

SMOKE_COMMANDS = ["help", "memmap", "e820", "memblock", "zoneinfo", "buddyinfo", "page 0x100",
                  "vtop 0xffffffff80000000", "ptdump", "bootinfo"]


class VerifyError(Exception):
    pass


def say(text):
    print(f"lab-verify: {text}", flush=True)


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


def make_repository(tree):
    """A repository of its own, as a student's clone is: lab-start compares with git HEAD."""
    git = ["git", "-c", "user.name=lab-verify", "-c", "user.email=lab-verify@localhost"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "lab-verify scratch copy"]):
        subprocess.run(git + args, cwd=tree, check=True, capture_output=True)


def make(tree, *targets):
    proc = subprocess.run(["make", "--no-print-directory", "-j2", "BUILD=build", *targets],
                          cwd=tree, capture_output=True, text=True)
    if proc.returncode != 0:
        raise VerifyError(f"make {' '.join(targets)} failed:\n{(proc.stdout + proc.stderr)[-3000:]}")


def host_binary(n):
    return f"build/labs/host-{n:02d}"


def build_all(tree, n):
    make(tree, "build/pagelab.img", host_binary(n))


def quiet(*args, **kwargs):
    pass


def load(tree, n):
    return labtool.load_lab(tree, n)


def check_reference(tree, n):
    lab = load(tree, n)
    build_all(tree, n)
    derived = {}
    report = grade.grade(lab, tree, os.path.join(tree, "build"), quiet=True, derive=derived,
                         answers=derived, write_json=False)
    problems = [f"{r.kind} check {r.name!r}: {r.detail}" for r in report.results if not r.ok]
    for q in getattr(lab, "QUESTIONS", []):
        if q.qid in derived:
            digest = grade.labkit.answer_digest(n, q.qid, q.kind, derived[q.qid])
            if digest != q.digest:
                problems.append(f"question {q.qid}: the reference shows {derived[q.qid]!r}, "
                                f"digest {digest}; tests/labs/{n:02d}/lab.py says {q.digest}")
        else:
            problems.append(f"question {q.qid}: could not be read off the reference boot")
    if problems:
        raise VerifyError(f"the reference scores {report.score}/{report.total}:\n  " +
                          "\n  ".join(problems))
    say(f"lab {n}: the reference scores {report.score}/{report.total}")
    return report


def smoke(m):
    """Every common command on a machine booted with the stubs in: the shell must work."""
    for c in SMOKE_COMMANDS:
        m.run(c)  # a panic, an oops or a hang raises


def check_stubs(tree, n, reference):
    lab = load(tree, n)
    labtool.cmd_start(tree, n, out=quiet)
    build_all(tree, n)
    booted = []

    def after(m):
        smoke(m)
        booted.append(m.firmware)

    try:
        report = grade.grade(lab, tree, os.path.join(tree, "build"), quiet=True, answers={},
                             write_json=False, after=after)
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
    say(f"lab {n}: with the stubs in, it builds, boots on SeaBIOS and OVMF, the shell works, "
        f"and it scores {report.score}/{report.total}")


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
    must_refuse("lab-start", lambda: labtool.cmd_start(tree, n, out=quiet), mine)
    must_refuse("lab-reset", lambda: labtool.put_back(tree, n, False, False, out=quiet), mine)
    labtool.put_back(tree, n, force=True, save=True, out=quiet)
    for path, text in originals.items():
        if labtool.read(tree, path) != text:
            raise VerifyError(f"lab-solution did not restore {path} exactly")
    saved = os.listdir(os.path.join(tree, ".lab", f"{n:02d}", "saved"))
    if not any(target.function in s for s in saved):
        raise VerifyError("lab-solution did not save the student's version")
    mine = edit()  # a change to the original, before any lab-start (git HEAD knows better)
    must_refuse("lab-start", lambda: labtool.cmd_start(tree, n, out=quiet), mine)
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


def check_wrong(tree, n, wrong, originals):
    lab = load(tree, n)
    apply_wrong(tree, wrong)
    build = os.path.join(tree, "build")
    try:
        if wrong.isolates:
            results = isolation_run(tree, lab, wrong)
        else:
            results = first_failure_run(tree, lab)
        failed = [r for r in results if r.ran and not r.ok]
        if not failed:
            raise VerifyError(f"wrong implementation {wrong.name} ({wrong.why}) passes every check")
        say(f"lab {n}: wrong {wrong.name} ({wrong.why}) fails: {failed[0].title}" +
            (" - and the checks after it still ran" if wrong.isolates else ""))
    finally:
        for path, text in originals.items():
            labtool.write(tree, path, text)


def first_failure_run(tree, lab):
    """Host checks, then the kernel checks boot by boot, until one fails."""
    build = os.path.join(tree, "build")
    make(tree, host_binary(lab.LAB.number))
    report = grade.grade(lab, tree, build, quiet=True, stop_early=True, answers={},
                         write_json=False, kinds=("host",))
    if report.failed():
        return report.results
    make(tree, "build/pagelab.img")
    return report.results + grade.grade(lab, tree, build, quiet=True, stop_early=True,
                                        answers={}, write_json=False, kinds=("kernel",)).results


def isolation_run(tree, lab, wrong):
    """Every check of the kind (and, for a kernel check, the boot) of `wrong.isolates`."""
    build = os.path.join(tree, "build")
    kernel = {fn.__name__: fn for fn in grade.kernel_checks(lab)}
    if wrong.isolates in kernel:
        make(tree, "build/pagelab.img")
        report = grade.grade(lab, tree, build, quiet=True, answers={}, write_json=False,
                             kinds=("kernel",), boots={kernel[wrong.isolates].lab_boot.key()})
    else:
        make(tree, host_binary(lab.LAB.number))
        report = grade.grade(lab, tree, build, quiet=True, answers={}, write_json=False,
                             kinds=("host",))
    check_isolation(wrong, report.results)
    return report.results


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


def verify_lab(tree, n):
    t0 = time.monotonic()
    lab = load(tree, n)
    originals = {t.path: labtool.read(tree, t.path) for t in lab.TARGETS}
    for w in getattr(lab, "WRONG", []):
        for path, *_ in w.edits:
            originals.setdefault(path, labtool.read(tree, path))
    reference = check_reference(tree, n)
    check_stubs(tree, n, reference)
    check_keeps_work(tree, n, originals)
    for w in getattr(lab, "WRONG", []):
        check_wrong(tree, n, w, originals)
    say(f"lab {n}: verified in {time.monotonic() - t0:.0f} s "
        f"({len(getattr(lab, 'WRONG', []))} wrong implementations caught)")


def verify_in(tree, n):
    try:
        verify_lab(tree, n)
        return None
    except (VerifyError, labtool.LabError, cfunc.FunctionNotFound, grade.TestFailure) as e:
        return f"lab {n}: {e}\n(the scratch tree is kept in {tree})"


def check_finder(root):
    """The C function finder's own tests (tests/labs/test_cfunc.py)."""
    proc = subprocess.run([sys.executable, os.path.join(root, "tests", "labs", "test_cfunc.py")],
                          capture_output=True, text=True)
    if proc.returncode:
        raise VerifyError(f"tests/labs/test_cfunc.py failed:\n{proc.stderr}")
    say("the function finder passes tests/labs/test_cfunc.py")


def main(root, build, numbers, keep=False, jobs=2):
    t0 = time.monotonic()
    try:
        check_finder(root)
    except VerifyError as e:
        say(f"FAILED: {e}")
        return 1
    scratch = os.path.join(build, "lab-verify")
    base = os.path.join(scratch, "base")
    shutil.rmtree(scratch, ignore_errors=True)
    copy_tree(root, base)
    for n in labtool.lab_numbers(base):  # a started lab in the copy: back to the reference
        labtool.put_back(base, n, force=True, save=True, out=quiet)
    make_repository(base)
    numbers = numbers or labtool.lab_numbers(base)
    trees = {}
    for n in numbers:  # one tree per lab, so labs can be verified side by side
        trees[n] = os.path.join(scratch, f"lab{n:02d}")
        shutil.copytree(base, trees[n], symlinks=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        errors = [e for e in pool.map(lambda n: verify_in(trees[n], n), numbers) if e]
    for e in errors:
        say(f"FAILED: {e}")
    if errors:
        return 1
    if not keep:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"{len(numbers)} labs verified in {time.monotonic() - t0:.0f} s")
    return 0
