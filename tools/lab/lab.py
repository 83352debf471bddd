#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pagelab's labs: start one, put it back, grade it, prove the grading honest.

usage: lab.py start [--student NAME] N
                             the lab's functions become stubs (originals kept in .lab/);
                             the student's name is kept for their machines
       lab.py reset N        put the original functions back; refuses if you changed a
                             stub (your work would be lost) unless --force, which first
                             saves your version in .lab/NN/saved/
       lab.py solution N     put the original functions back, saving your version first
       lab.py machine [--make] N
                             the student's own machine for lab N (drawn from the name
                             in docs/labs/answers/student.txt); --make: the make
                             arguments that boot it (`make lab-run N`)
       lab.py status         which functions are stubs, originals, or your own code
       lab.py list           the labs and their functions
       lab.py grade [--image IMG] [N ...]
                             grade labs (all when none is named); needs a build.
                             --image: boot IMG instead of <build>/pagelab.img (`make
                             grade CMDLINE=...` passes a copy with that command line)
       lab.py handout [--course NAME] DEST
                             a student repository without solutions (tools/lab/course.py)
       lab.py handin [N ...] the student's hand-in: <build>/handin-<student>.json
       lab.py grade-class [--labs N,...] [--jobs J] [--out DIR] [--roster F] FOLDER
                             grade every hand-in under FOLDER in scratch copies of this
                             reference tree; the gradebook goes to DIR
       lab.py verify         lab-verify: see tools/lab/verify.py

Each lab is described by tests/labs/NN/lab.py (see tools/lab/labkit.py).  A function is
found by its name (tools/lab/cfunc.py), so the sources carry no markers.  The Makefile
targets lab-start, lab-reset, lab-solution, grade and lab-verify call this.
"""

import argparse
import glob
import importlib.util
import os
import re
import shlex
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
# The lab descriptions use labkit (here), machine (tests/qemu) and common (tests/labs).
sys.path[:0] = [HERE, os.path.join(ROOT, "tests", "qemu"), os.path.join(ROOT, "tests", "labs")]
import cfunc  # noqa: E402


class LabError(Exception):
    pass


def is_handout(root):
    """Whether `root` is a student handout (`make handout`): no solutions in it."""
    return os.path.exists(os.path.join(root, "HANDOUT"))


# ---- the lab descriptions --------------------------------------------------------------

def lab_numbers(root):
    return sorted(int(os.path.basename(os.path.dirname(p)))
                  for p in glob.glob(os.path.join(root, "tests", "labs", "[0-9][0-9]", "lab.py")))


def load_lab(root, number):
    path = os.path.join(root, "tests", "labs", f"{number:02d}", "lab.py")
    if not os.path.exists(path):
        raise LabError(f"there is no lab {number} (labs: "
                       f"{', '.join(map(str, lab_numbers(root))) or 'none'})")
    spec = importlib.util.spec_from_file_location(f"pagelab_lab{number:02d}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- who the student is ------------------------------------------------------------------

STUDENT_FILE = os.path.join("docs", "labs", "answers", "student.txt")


def student_name(root):
    """The name in docs/labs/answers/student.txt, or "" if there is none yet."""
    try:
        with open(os.path.join(root, STUDENT_FILE)) as f:
            for line in f:
                m = re.match(r"^\s*student\s*=(.*)$", line)
                if m:
                    return m.group(1).strip()
    except FileNotFoundError:
        pass
    return ""


def set_student(root, name):
    path = os.path.join(root, STUDENT_FILE)
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        text = "student =\n"
    if re.search(r"^\s*student\s*=", text, re.M):
        text = re.sub(r"^\s*student\s*=.*$", lambda _: f"student = {name}", text, count=1,
                      flags=re.M)
    else:
        text += f"student = {name}\n"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write(root, STUDENT_FILE, text)


def ensure_student(root, given=None, out=print):
    """The student's name: `given` (STUDENT=) replaces the file's; otherwise the file's;
    otherwise git's user.email, written to the file so that every later run agrees."""
    name = (given or "").strip()
    if "\n" in name or "\r" in name:
        raise LabError("a name is one line")
    if not name and student_name(root):
        return student_name(root)
    how = "STUDENT="
    if not name:
        proc = subprocess.run(["git", "config", "user.email"], cwd=root, capture_output=True,
                              text=True)
        name, how = proc.stdout.strip(), "git config user.email"
    if not name:
        raise LabError(f"who are you? Your machine for each lab is drawn from your name: "
                       f"`make lab-start N STUDENT=you@school.edu` (it is kept in {STUDENT_FILE})")
    set_student(root, name)
    out(f"lab: you are {name!r} (from {how}; kept in {STUDENT_FILE})")
    return name


def my_machine(root, lab, required=True):
    """The Boot of the student's own machine for `lab` (a lab module); None if no student
    is named and the machine is not `required`."""
    import labkit
    name = student_name(root)
    if not name and not required:
        return None
    if not name:
        raise LabError(f"no student named in {STUDENT_FILE}: `make lab-start "
                       f"{lab.LAB.number} STUDENT=you@school.edu` (or write it there)")
    return labkit.student_machine(name, lab.LAB)


# ---- reading and writing functions in the tree -------------------------------------------

def read(root, path):
    with open(os.path.join(root, path)) as f:
        return f.read()


def write(root, path, text):
    with open(os.path.join(root, path), "w") as f:
        f.write(text)


def same(a, b):
    """Equal but for trailing spaces at line ends."""
    norm = lambda s: "\n".join(line.rstrip() for line in s.strip("\n").splitlines())  # noqa: E731
    return norm(a) == norm(b)


def keep_dir(root, number, what):
    return os.path.join(root, ".lab", f"{number:02d}", what)


def kept_name(target):
    return target.path.replace("/", "__") + "--" + target.function + ".c"


def own_checkout(root):
    """Whether `root` is a git checkout of its own (not a folder inside another)."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root,
                         capture_output=True, text=True)
    return top.returncode == 0 and os.path.realpath(top.stdout.strip()) == os.path.realpath(root)


def git_head_function(root, target):
    """The function as the last commit has it, or None outside a git checkout."""
    if not own_checkout(root):
        return None  # not a checkout of its own (a folder inside another repository)
    proc = subprocess.run(["git", "show", f"HEAD:{target.path}"], cwd=root,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    try:
        return cfunc.find_function(proc.stdout, target.function).source(proc.stdout)
    except cfunc.FunctionNotFound:
        return None


def original(root, number, target):
    """The reference version of a target: kept aside by lab-start, else the last commit's."""
    kept = os.path.join(keep_dir(root, number, "orig"), kept_name(target))
    if os.path.exists(kept):
        with open(kept) as f:
            return f.read()
    return git_head_function(root, target)


class State:
    """Where one target stands in the working tree."""

    def __init__(self, root, number, target):
        self.target = target
        self.text = read(root, target.path)
        try:
            self.func = cfunc.find_function(self.text, target.function)
        except cfunc.FunctionNotFound as e:
            raise LabError(f"{target.path}: {e}")
        self.current = self.func.source(self.text)
        self.stub = self.func.header(self.text) + target.stub.rstrip("\n")
        self.original = original(root, number, target)

    @property
    def kind(self):
        if same(self.current, self.stub):
            return "stub"
        if self.original is not None and same(self.current, self.original):
            return "original"
        if self.original is None:
            return "original?"  # nothing to compare with: not a git checkout
        return "changed"


def save_student_version(root, number, st):
    folder = keep_dir(root, number, "saved")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, time.strftime("%Y%m%d-%H%M%S-") + kept_name(st.target))
    with open(path, "w") as f:
        f.write(st.current + "\n")
    return os.path.relpath(path, root)


def commit_stubs(root, number, paths, out):
    """Commit the files lab-start changed (those files only), so that from now on
    `git diff` shows the student's own work and nothing of the reference."""
    if not own_checkout(root):
        return
    git = ["git"]
    if subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], cwd=root,
                      capture_output=True).returncode:
        git += ["-c", "user.name=pagelab lab-start",
                "-c", f"user.email={student_name(root) or 'lab-start@pagelab'}"]
    files = paths + [STUDENT_FILE]
    subprocess.run(git + ["add", "--", *files], cwd=root, capture_output=True)
    proc = subprocess.run(git + ["commit", "-q", "-m", f"lab {number}: started (its functions "
                                 f"are stubs)", "--", *files], cwd=root, capture_output=True,
                          text=True)
    if proc.returncode == 0:
        out(f"lab {number}: committed the stubs: `git diff` shows your work from here on")
    else:
        out(f"lab {number}: could not commit the stubs ({proc.stderr.strip() or proc.stdout.strip()})")


def cmd_start(root, number, out=print, student=None):
    lab = load_lab(root, number)
    if is_handout(root):
        # A handout's functions are stubs from the start (or already the student's code):
        # starting a lab only names the student and shows their machine.
        ensure_student(root, student, out)
        for t in lab.TARGETS:
            kind = State(root, number, t).kind
            out(f"lab {number}: {t.function}() in {t.path}: "
                f"{(t.given or 'a stub for you to write') if kind == 'stub' else 'your code'}")
        if subprocess.run(["git", "status", "--porcelain", "--", STUDENT_FILE], cwd=root,
                          capture_output=True, text=True).stdout.strip():
            commit_stubs(root, number, [], out)
        out(f"lab {number}: your machine: {my_machine(root, lab).describe()}; boot it with "
            f"`make lab-run {number}`")
        out(f"lab {number}: read {lab.LAB.doc}, then `make grade LAB={number}`")
        return
    states = [State(root, number, t) for t in lab.TARGETS]
    refused = [s for s in states if s.kind == "changed"]
    if refused:
        raise LabError("lab-start would overwrite your changes to " +
                       ", ".join(f"{s.target.function}() in {s.target.path}" for s in refused) +
                       f".\nCommit or save them, then `make lab-solution {number}` (which keeps "
                       f"a copy in .lab/{number:02d}/saved/) and start again.")
    ensure_student(root, student, out)
    os.makedirs(keep_dir(root, number, "orig"), exist_ok=True)
    for s in states:
        t = s.target
        if s.kind == "stub":
            out(f"lab {number}: {t.function}() in {t.path} is already a stub")
            continue
        with open(os.path.join(keep_dir(root, number, "orig"), kept_name(t)), "w") as f:
            f.write(s.current)
        text = read(root, t.path)  # again: an earlier target may share the file
        write(root, t.path, cfunc.replace_body(text, t.function, t.stub.rstrip("\n")))
        out(f"lab {number}: {t.function}() in {t.path} is now "
            f"{t.given or 'a stub for you to write'}")
    commit_stubs(root, number, sorted({t.path for t in lab.TARGETS}), out)
    out(f"lab {number}: the originals are kept in .lab/{number:02d}/orig/")
    out(f"lab {number}: your machine: {my_machine(root, lab).describe()}; boot it with "
        f"`make lab-run {number}`")
    out(f"lab {number}: read {lab.LAB.doc}, then `make grade LAB={number}`")


def put_back(root, number, force, save, out=print):
    lab = load_lab(root, number)
    if is_handout(root):
        raise LabError("solutions are not part of a handout: the functions you see are the "
                       "stubs, and `git diff` shows your work against them (`git stash` or "
                       "`git checkout -- FILE` puts a stub back)")
    states = [State(root, number, t) for t in lab.TARGETS]
    for s in states:
        if s.original is None and s.kind != "original?":
            raise LabError(f"no original of {s.target.function}() kept in .lab/{number:02d}/orig/ "
                           f"and none in git HEAD")
    mine = [s for s in states if s.kind == "changed"]
    if mine and not (force or save):
        raise LabError("lab-reset would throw away your code in " +
                       ", ".join(f"{s.target.function}()" for s in mine) +
                       f".\n`make lab-reset {number} FORCE=1` saves it in .lab/{number:02d}/saved/ "
                       f"first; so does `make lab-solution {number}`.")
    for s in states:
        t = s.target
        if s.kind in ("original", "original?"):
            out(f"lab {number}: {t.function}() is already the original")
            continue
        if s.kind == "changed":
            out(f"lab {number}: your {t.function}() is saved in {save_student_version(root, number, s)}")
        text = read(root, t.path)
        # The copy in .lab/ stays: since lab-start committed the stubs, it is the only
        # record of the original that tells it from the student's code.
        write(root, t.path, cfunc.replace_function(text, t.function, s.original.rstrip("\n")))
        out(f"lab {number}: {t.function}() in {t.path} is the original again")


def cmd_status(root, out=print):
    for n in lab_numbers(root):
        lab = load_lab(root, n)
        for t in lab.TARGETS:
            try:
                kind = State(root, n, t).kind
            except LabError as e:
                kind = f"not found ({e})"
            words = {"stub": "stub (lab started)", "original": "original",
                     "original?": "original (no git to compare with)",
                     "changed": "your code"}.get(kind, kind)
            out(f"lab {n}: {t.path}: {t.function}(): {words}")


def cmd_list(root, out=print):
    for n in lab_numbers(root):
        lab = load_lab(root, n)
        out(f"lab {n}: {lab.LAB.title} ({lab.LAB.doc})")
        for t in lab.TARGETS:
            out(f"    {t.path}: {t.function}()")


def cmd_machine(root, number, make_args=False, out=print):
    """Say which machine is the student's in lab `number`; with `make_args`, print the
    make arguments that boot it instead (the Makefile's lab-run uses them)."""
    lab = load_lab(root, number)
    boot = my_machine(root, lab)
    if not make_args:
        out(f"lab {number}: {student_name(root)}'s machine: {boot.describe()}")
        out(f"lab {number}: boot it with `make lab-run {number}` (Ctrl-A X quits)")
        return
    print(f"lab {number}: booting {student_name(root)}'s machine: {boot.describe()}",
          file=sys.stderr)
    args = ["run" if boot.firmware == "uefi" else "run-bios", f"MACHINE={boot.machine}",
            f"MEM={boot.mem}"] + ([f"CMDLINE={boot.cmdline}"] if boot.cmdline else []) + \
        ([f"SMP={boot.smp}"] if boot.smp else [])
    out(" ".join(shlex.quote(a) for a in args))


def cmd_grade(root, build, numbers, image=None, kinds=("host", "kernel", "answer")):
    import grade
    numbers = numbers or lab_numbers(root)
    reports = []
    for n in numbers:
        lab = load_lab(root, n)
        name = student_name(root)
        reports.append(grade.grade(lab, root, build, image=image, student=name, kinds=kinds,
                                   mine=my_machine(root, lab, required=False)))
        print()
    if len(reports) > 1:
        for r in reports:
            print(f"lab {r.lab.LAB.number}: {r.score}/{r.total}")
        print(f"Score: {sum(r.score for r in reports)}/{sum(r.total for r in reports)}")
    import json
    with open(os.path.join(build, "grade.json"), "w") as f:
        json.dump([r.as_dict() for r in reports], f, indent=1)
        f.write("\n")
    return 0


def main():
    ap = argparse.ArgumentParser(description="pagelab labs")
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--build", default="build", help="build directory (relative to the root)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("start", "reset", "solution"):
        p = sub.add_parser(name)
        p.add_argument("lab", type=int)
        if name == "start":
            p.add_argument("--student", help="your name: your machines are drawn from it")
        if name == "reset":
            p.add_argument("--force", action="store_true")
    p = sub.add_parser("machine")
    p.add_argument("lab", type=int)
    p.add_argument("--make", action="store_true", help="print the make arguments that boot it")
    sub.add_parser("status")
    sub.add_parser("list")
    p = sub.add_parser("grade")
    p.add_argument("--image", help="the disk image to boot (default: <build>/pagelab.img)")
    p.add_argument("--kinds", default="host,kernel,answer",
                   help="which checks: host, kernel, answer (comma-separated)")
    p.add_argument("labs", type=int, nargs="*")
    p = sub.add_parser("handout")
    p.add_argument("dest", help="the folder to write the student repository to (new or empty)")
    p.add_argument("--course", default="", help="the course's name, written into the handout")
    p = sub.add_parser("handin")
    p.add_argument("labs", type=int, nargs="*")
    p = sub.add_parser("grade-class")
    p.add_argument("folder", help="where the students' handin-*.json files are")
    p.add_argument("--labs", help="grade these labs (comma-separated; default: every lab a "
                   "hand-in has work in)")
    p.add_argument("--jobs", type=int, default=2, help="hand-ins graded side by side")
    p.add_argument("--out", default="gradebook", help="the gradebook's folder")
    p.add_argument("--keep", action="store_true", help="keep the scratch trees")
    p.add_argument("--roster", help="a file of the students' names, one per line: a hand-in "
                   "under any other name is not graded")
    p = sub.add_parser("verify")
    p.add_argument("labs", type=int, nargs="*")
    p.add_argument("--keep", action="store_true", help="keep the scratch trees")
    p.add_argument("--jobs", type=int, default=2, help="labs verified side by side")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    build = os.path.join(root, args.build)
    try:
        if args.cmd == "start":
            cmd_start(root, args.lab, student=args.student)
        elif args.cmd == "reset":
            put_back(root, args.lab, force=args.force, save=False)
        elif args.cmd == "solution":
            put_back(root, args.lab, force=True, save=True)
        elif args.cmd == "machine":
            cmd_machine(root, args.lab, args.make)
        elif args.cmd == "status":
            cmd_status(root)
        elif args.cmd == "list":
            cmd_list(root)
        elif args.cmd == "grade":
            return cmd_grade(root, build, args.labs, args.image and os.path.abspath(args.image),
                             tuple(k for k in args.kinds.split(",") if k))
        elif args.cmd == "handout":
            import course
            course.make_handout(root, args.dest, args.course)
        elif args.cmd == "handin":
            import course
            course.make_handin(root, build, args.labs)
        elif args.cmd == "grade-class":
            import course
            labs = [int(x) for x in args.labs.split(",")] if args.labs else None
            roster = None
            if args.roster:
                with open(args.roster) as f:
                    roster = {line.strip().lower() for line in f
                              if line.strip() and not line.lstrip().startswith("#")}
            course.grade_class(root, build, os.path.abspath(args.folder),
                               os.path.abspath(args.out), labs, args.jobs, args.keep, roster)
        elif args.cmd == "verify":
            import verify
            if is_handout(root):
                raise LabError("lab-verify needs the reference solutions, which are not part "
                               "of a handout: `make grade` grades your labs")
            return verify.main(root, build, args.labs, keep=args.keep, jobs=args.jobs)
    except (LabError, cfunc.FunctionNotFound) as e:
        print(f"lab: {e}", file=sys.stderr)
        return 1
    return 0


def interrupted(signum, frame):
    """Ctrl-C or a SIGTERM: take the host checks' sessions down with us, then stop."""
    import grade
    grade.kill_host_checks()
    os._exit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    sys.exit(main())
