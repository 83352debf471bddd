# SPDX-License-Identifier: MIT
"""`make test-course`: a course's whole round, as an instructor and two students would do it.

  1. the instructor makes a handout (`make handout`): it holds no reference body, no
     wrong implementation, no challenge patch, and refuses `lab-solution`;
  2. ada does lab 5 in it: the reference's code for lab 5 (stubs everywhere else), her
     answers read off her own machine; `make grade LAB=5` there gives every check and
     leaves the answers' values to the hand-in; `make handin`;
  3. eve cheats: she leaves the stubs, edits lab 5's checks so that they pass, copies
     ada's answers, and hands in;
  4. the instructor runs tools/grade-class on both hand-ins: ada's row is full marks,
     eve's is zero: her edited checks never leave her tree, and ada's answers are wrong
     on eve's machine - the one that is right there too (lab 5's q3, an order from 7 to
     10, is often the same) is withheld, and her row says whose answers she handed in.

    python3 tests/labs/test_course.py --build build      (make test-course)
"""

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path[:0] = [os.path.join(ROOT, "tools", "lab"), os.path.join(ROOT, "tests", "qemu"), HERE]
import cfunc  # noqa: E402
import lab as labtool  # noqa: E402
import labkit  # noqa: E402
import verify  # noqa: E402

LAB = 5
ADA, EVE = "ada@school.edu", "eve@school.edu"


class Failed(Exception):
    pass


def say(text):
    print(f"test-course: {text}", flush=True)


def expect(cond, what):
    if not cond:
        raise Failed(what)


# A student's make starts from a clean slate: under `make test` the parent make's
# command-line variables (`LAB=` among them, in MAKEFLAGS and the environment) would
# override theirs.
STUDENT_ENV = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "LAB", "T", "F",
                            "CMDLINE")}


def sh(cmd, cwd, ok=True, env=None):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                          env=env or STUDENT_ENV, shell=isinstance(cmd, str))
    if ok and proc.returncode:
        raise Failed(f"`{cmd if isinstance(cmd, str) else ' '.join(cmd)}` in {cwd} failed "
                     f"({proc.returncode}):\n{(proc.stdout + proc.stderr)[-4000:]}")
    return proc


def handout_checks(handout):
    for n in labtool.lab_numbers(ROOT):
        with open(os.path.join(handout, "tests", "labs", f"{n:02d}", "lab.py")) as f:
            text = f.read()
        expect("WRONG" not in text and "Derive(" not in text,
               f"lab {n}'s description in the handout still has its wrongs or derivations")
        expect(not os.path.exists(os.path.join(handout, "tests", "labs", f"{n:02d}",
                                               "challenge.patch")),
               f"lab {n}'s challenge patch is in the handout")
    expect(not os.path.exists(os.path.join(handout, "docs", "labs", "TEACHING.md")),
           "the teacher's guide is in the handout")
    # The handout's own leak check ran when it was made; run it again from here over the
    # files as the student receives them (a stub's own lines are given on purpose).
    import course
    stubs = {(t.path, t.function): t.stub for n in labtool.lab_numbers(ROOT)
             for t in labtool.load_lab(ROOT, n).TARGETS}
    found = course.leaks(course.originals_of(ROOT), stubs, handout)
    expect(not found, "the handout gives the reference away:\n" +
           "\n".join(f"  {f}: {w}" for f, w in found))
    lint = sh(["python3", "tools/doclint.py"], handout, ok=False)
    expect(lint.returncode == 0, f"doclint in the handout:\n{lint.stdout}{lint.stderr}")
    status = sh(["python3", "tools/lab/lab.py", "status"], handout).stdout
    expect("original" not in status and status.count("stub") >= 20,
           f"lab-status in the handout:\n{status}")
    p = sh(["make", "--no-print-directory", "lab-solution", str(LAB)], handout, ok=False)
    expect(p.returncode != 0 and "not part of a handout" in p.stdout + p.stderr,
           f"lab-solution in a handout:\n{p.stdout}{p.stderr}")


def student_tree(handout, dest, name):
    """The student's clone of the handout, with the reference's build as a head start
    (sources keep their times, so make rebuilds only what differs)."""
    sh(["git", "clone", "-q", handout, dest], os.path.dirname(dest))
    verify.seed_build(os.path.join(ROOT, "build"), os.path.join(dest, "build"))
    sh(["git", "config", "user.email", name], dest)
    sh(["git", "config", "user.name", name.split("@")[0]], dest)
    out = sh(["make", "--no-print-directory", "lab-start", str(LAB), f"STUDENT={name}"], dest).stdout
    expect("your machine" in out, f"lab-start in the handout:\n{out}")


def answers_found(tree, name):
    """What `name` finds on their own machine booted with their own kernel (`tree`'s), read
    off it as the reference's grader reads it."""
    lab = labtool.load_lab(ROOT, LAB)
    mine = labkit.student_machine(name, lab.LAB)
    verify.make(tree, "build/pagelab.img")
    derived = verify.answers_of(tree, lab, mine)
    lines = []
    for q in lab.QUESTIONS:
        lines.append(f"{q.qid} = {derived[q.qid] if q.qid in derived else 'my explanation'}")
    return "\n".join(lines) + "\nchallenge =\n"


def ada_does_the_lab(tree):
    lab = labtool.load_lab(ROOT, LAB)
    for t in lab.TARGETS:  # her code: the reference's (the test is the grading, not her)
        ref = labtool.read(ROOT, t.path)
        src = cfunc.find_function(ref, t.function).source(ref)
        labtool.write(tree, t.path, cfunc.replace_function(labtool.read(tree, t.path),
                                                           t.function, src))
    # Her answers come from her kernel: lab 5 hers, every other lab still a stub.
    labtool.write(tree, lab.LAB.answers, answers_found(tree, ADA))
    sh("git add -A && git commit -qm 'lab 5: done'", tree)


def eve_cheats(tree, ada_tree):
    lab = labtool.load_lab(ROOT, LAB)
    # Every host check passes, every kernel check passes: the checks are hers to edit.
    host = os.path.join(tree, "tests", "labs", f"{LAB:02d}", "host.c")
    with open(host) as f:
        text = f.read()
    names = re.findall(r"^Test\((\w+), (\w+)", text, re.M)
    with open(host, "w") as f:
        f.write("#include <criterion/criterion.h>\n" +
                "".join(f"Test({s}, {n}) {{}}\n" for s, n in names))
    desc = os.path.join(tree, "tests", "labs", f"{LAB:02d}", "lab.py")
    with open(desc) as f:
        text = f.read()
    text = text.replace("def check(", "def _unused_check(")
    text += "\n\ndef check(cond, why=''):\n    pass\n"
    with open(desc, "w") as f:
        f.write(text)
    shutil.copy(os.path.join(ada_tree, lab.LAB.answers), os.path.join(tree, lab.LAB.answers))
    sh("git add -A && git commit -qm 'lab 5: done (honest)'", tree)


def grade_locally(tree, into):
    proc = sh(["make", "--no-print-directory", "grade", f"LAB={LAB}"], tree, ok=False)
    into["out"] = proc.stdout + proc.stderr
    into["rc"] = proc.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    start = time.time()
    work = os.path.join(ROOT, args.build, "test-course")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    handout = os.path.join(work, "handout")
    try:
        say("the instructor makes a handout")
        out = sh(["make", "--no-print-directory", "handout", f"DEST={handout}",
                  "COURSE=test-course"], ROOT).stdout
        say(out.strip().splitlines()[-1])
        handout_checks(handout)
        say("the handout holds no reference body, no wrongs, no derivations, no challenge "
            "patches; lab-solution refuses")

        ada, eve = os.path.join(work, "ada"), os.path.join(work, "eve")
        student_tree(handout, ada, ADA)
        student_tree(handout, eve, EVE)
        lab = labtool.load_lab(ROOT, LAB)
        expect(labkit.student_machine(ADA, lab.LAB).key() !=
               labkit.student_machine(EVE, lab.LAB).key(), "ada and eve drew the same machine")
        say(f"ada writes lab {LAB} and reads her answers off her machine "
            f"({labkit.student_machine(ADA, lab.LAB).describe()})")
        ada_does_the_lab(ada)
        eve_cheats(eve, ada)

        # ada grades herself in the handout while the instructor grades both hand-ins.
        handins = os.path.join(work, "handins")
        os.makedirs(handins)
        for tree in (ada, eve):
            out = sh(["make", "--no-print-directory", "handin"], tree).stdout
            path = re.search(r"handin: (\S+\.json)", out).group(1)
            shutil.copy(os.path.join(tree, path), handins)
        local = {}
        t = threading.Thread(target=grade_locally, args=(ada, local))
        t.start()
        gradebook = os.path.join(work, "gradebook")
        say("ada runs `make grade LAB=5` in her handout; the instructor runs tools/grade-class")
        gc = sh([os.path.join(ROOT, "tools", "grade-class"), "--labs", str(LAB), "--jobs", "2",
                 "--out", gradebook, handins], work)
        t.join()

        out = local["out"]
        score = re.search(r"^Score: (\d+)/(\d+) \(and (\d+) points of answers", out, re.M)
        expect(local["rc"] == 0 and score and score.group(1) == score.group(2) and
               not re.search(r"^  (?!challenge:).* FAIL \(", out, re.M) and "AT HAND-IN" in out,
               f"ada's own `make grade LAB={LAB}` in the handout:\n{out[-4000:]}")
        say(f"ada's own grade in the handout: {score.group(0)}")

        with open(os.path.join(gradebook, "gradebook.csv")) as f:
            rows = {r["student"]: r for r in csv.DictReader(f)}
        with open(os.path.join(gradebook, "gradebook.json")) as f:
            entries = {e["student"]: e for e in json.load(f)}
        a, e = rows.get(ADA), rows.get(EVE)
        expect(a and e, f"the gradebook has no row for ada or eve:\n{gc.stdout}")
        total = int(a["total"] or 0)
        answers = sum(q.points for q in lab.QUESTIONS)
        expect(total > answers and a["score"] == a["total"],
               f"ada's row is not full marks: {a}\n" + "\n".join(
                   f"  {c['title']}: {c['detail'][:200]}" for c in entries[ADA]["checks"]
                   if not c["ok"]))
        expect(e["score"] == "0" and e["total"] == a["total"],
               f"eve (stubs, edited checks, ada's answers) got credit: {e}\n" + "\n".join(
                   f"  {c['title']}" for c in entries[EVE]["checks"] if c["ok"]))
        got = [c for c in entries[EVE]["checks"] if c["kind"] == "answer" and c["ok"] and
               c["points"]]
        expect(not got, f"eve's copied answers scored: {got}")
        expect(any(f"identical to {ADA}" in p for p in entries[EVE]["problems"]),
               f"eve's row does not say whose answers she copied: {entries[EVE]['problems']}")
        expect(any("tests/labs/05/host.c" in p for p in entries[EVE]["problems"]),
               f"eve's row does not say she edited the checks: {entries[EVE]['problems']}")
        with open(os.path.join(gradebook, "gradebook-checks.csv")) as f:
            checks = list(csv.DictReader(f))
        expect(sum(1 for c in checks if c["student"] == ADA) == len(entries[ADA]["checks"]) > 10,
               "gradebook-checks.csv does not have a row per check")
        say(f"gradebook: {ADA} {a['score']}/{a['total']}, {EVE} {e['score']}/{e['total']} "
            f"(stubs, edited checks and copied answers earn nothing)")
        say(f"passed in {time.time() - start:.0f} s")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    except (Failed, verify.VerifyError) as ex:
        say(f"FAILED: {ex}")
        say(f"(the trees are kept in {work})")
        return 1


if __name__ == "__main__":
    sys.exit(main())
