"""A course's side of the labs: a handout without solutions, the students' hand-ins, and
a class's gradebook.

    instructor (this repository, the reference)        student (the handout)
    -------------------------------------------        -------------------------------
    make handout DEST=dir  ------------------------->  a fresh repository: every lab's
                                                       functions are stubs, the checks
                                                       are there, the answers' values
                                                       and the solutions are not
                                                       make lab-start 5 STUDENT=...
                                                       make grade LAB=5 (as often as
                                                       they like; answers: form only)
                           <-------------------------  make handin: build/handin-*.json
    tools/grade-class DIR: each hand-in graded in a
    scratch copy of this tree, with only the lab's
    functions and answers copied in -> gradebook

What the handout leaves out is what would give the work away: the reference bodies of
the lab functions, the wrong implementations lab-verify uses (they quote the reference
line by line), the challenges' reference patches, the teacher's guide, and the code
that reads each answer off the student's machine.  That last is the instructor's
secret: the handout's `make grade` checks that each answer is there and of the right
form, and the value is checked when the hand-in is graded, on the machine the
student's name draws, with this tree's derivations.  A copied answer is another
machine's and fails; an edited check never leaves the student's tree.
"""

import ast
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import cfunc
import grade
import lab as labtool

HANDOUT_FILE = "HANDOUT"
HANDIN_FORMAT = "pagelab-handin-1"

# Files of the reference that a handout does not carry (globs, relative to the root).
NOT_IN_A_HANDOUT = [
    "tests/labs/*/challenge.patch",   # the challenges' reference solutions
    "docs/labs/TEACHING.md",          # the teacher's guide
    ".ci/*",                          # the reference's CI: `make test` needs the originals
]


class CourseError(Exception):
    pass


def is_handout(root):
    return os.path.exists(os.path.join(root, HANDOUT_FILE))


def run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, **kw)


def tracked_files(root):
    proc = run(["git", "ls-files", "-z", "-co", "--exclude-standard"], root)
    if proc.returncode:
        raise CourseError(f"{root} is not a git checkout: a handout is made from one")
    return sorted(f for f in proc.stdout.split("\0") if f and os.path.isfile(os.path.join(root, f)))


def excluded(path):
    import fnmatch
    return any(fnmatch.fnmatch(path, g) for g in NOT_IN_A_HANDOUT)


def version(root):
    for cmd in (["git", "describe", "--tags", "--always", "--dirty"],):
        proc = run(cmd, root)
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.strip()
    return "unknown"


# ---- a lab description without its instructor parts ---------------------------------------

def _offsets(text):
    """Absolute offset of the start of each line (1-based line numbers, as ast has them)."""
    starts, pos = [0, 0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def _span(starts, node):
    return starts[node.lineno] + node.col_offset, starts[node.end_lineno] + node.end_col_offset


def _names_in(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _defined_name(node):
    """The module-level name a statement defines, if it defines exactly one."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
            isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def _with_comments_above(lines, first):
    """The 0-based line where the comment block right above line `first` (0-based) starts."""
    while first > 0 and lines[first - 1].lstrip().startswith("#"):
        first -= 1
    return first


def strip_lab_description(text):
    """tests/labs/NN/lab.py as a handout carries it: no WRONG list, each question's
    derivation replaced by HANDIN (its value is checked at hand-in), and every module-level
    helper only those used dropped, with the comment block above it.  The kernel checks,
    the host checks' file and the questions' kinds stay: they are the student's to run."""
    tree = ast.parse(text)
    starts = _offsets(text)
    cuts = []            # (start, end, replacement) in absolute offsets
    dropped_names = set()  # names the removed parts used: candidates to drop in turn
    removed = set()      # indexes of the module's statements removed whole

    for i, node in enumerate(tree.body):
        if _defined_name(node) == "WRONG":
            removed.add(i)
            dropped_names |= _names_in(node)
        if _defined_name(node) == "QUESTIONS":
            for call in ast.walk(node.value):
                if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Question"):
                    continue
                derive = call.args[2] if len(call.args) > 2 else next(
                    (k.value for k in call.keywords if k.arg == "derive"), None)
                if derive is None or (isinstance(derive, ast.Constant) and derive.value is None):
                    continue
                dropped_names |= _names_in(derive)
                cuts.append((*_span(starts, derive), "HANDIN"))

    # Drop, until nothing changes, each undecorated module-level definition whose name only
    # the removed parts used.
    def used_elsewhere(name):
        for j, node in enumerate(tree.body):
            if j in removed or _defined_name(node) == name:
                continue
            if _defined_name(node) == "QUESTIONS":
                # the derivations are going: count only what stays of QUESTIONS
                if name in _names_in(_questions_without_derive(node)):
                    return True
                continue
            if name in _names_in(node):
                return True
        return False

    changed = True
    while changed:
        changed = False
        for i, node in enumerate(tree.body):
            name = _defined_name(node)
            if i in removed or name is None or name not in dropped_names:
                continue
            if getattr(node, "decorator_list", None):
                continue  # a kernel check: the student's to run
            if not used_elsewhere(name):
                removed.add(i)
                dropped_names |= _names_in(node)
                changed = True

    lines = text.splitlines(keepends=True)
    for i in removed:
        node = tree.body[i]
        first = _with_comments_above(lines, node.lineno - 1 -
                                     len(getattr(node, "decorator_list", [])))
        cuts.append((starts[first + 1], starts[node.end_lineno + 1], ""))
    out = text
    for s, e, new in sorted(cuts, reverse=True):
        out = out[:s] + new + out[e:]
    out = _fix_labkit_import(out)
    out = re.sub(r"\n{3,}(?=\S)", "\n\n\n", out).rstrip("\n") + "\n"
    compile(out, "lab.py (handout)", "exec")  # the stripped description must still load
    return out


def _questions_without_derive(node):
    """A copy of the QUESTIONS assignment with every Question's derive taken out."""
    import copy
    node = copy.deepcopy(node)
    for call in ast.walk(node.value):
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Question":
            call.args = call.args[:2]
            call.keywords = [k for k in call.keywords if k.arg != "derive"]
    return node


def _fix_labkit_import(text):
    """The `from labkit import ...` line with what the stripped file still uses, and HANDIN."""
    tree = ast.parse(text)
    starts = _offsets(text)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "labkit":
            rest = text[:starts[node.lineno] + node.col_offset] + text[starts[node.end_lineno] +
                                                                       node.end_col_offset:]
            used = {n.id for n in ast.walk(ast.parse(rest)) if isinstance(n, ast.Name)}
            keep = [a.name for a in node.names if a.name in used]
            if "HANDIN" in used and "HANDIN" not in keep:
                keep.append("HANDIN")
            new = "from labkit import " + ", ".join(sorted(keep))
            if len(new) > 95:
                new = "from labkit import (" + ",\n                    ".join(sorted(keep)) + ")"
            s, e = _span(starts, node)
            return text[:s] + new + text[e:]
    return text


# ---- make handout -----------------------------------------------------------------------------

def _normalized_lines(text):
    """The lines of `text` that carry code, stripped of indentation and comments."""
    out = []
    for line in cfunc.blank(text).splitlines():
        line = " ".join(line.split())
        if line and line not in ("{", "}", "};", "else", "} else {", "break;", "continue;",
                                 "return;", "return 0;", "return NULL;", "return false;",
                                 "return true;", "return -1;"):
            out.append(line)
    return out


# The hint ladders' last rung may show a few lines of the code on purpose (a student who
# opens it has chosen to); a whole body is a leak even there.
RUNS_ALLOWED_IN = ("docs/labs/hints/",)


def _runs(lines, n):
    return {tuple(lines[k:k + n]) for k in range(max(1, len(lines) - n + 1))
            if sum(map(len, lines[k:k + n])) >= 40}


def leaks(originals, stubs, dest, run_length=3):
    """Where, in the text files under `dest`, the reference gives itself away: `run_length`
    consecutive code lines of an original function body (whitespace and comments aside;
    lines the stubs themselves hold do not count), or a whole body.  `originals` and
    `stubs`: {(path, function): source}.  Returns [(file, what)]."""
    given = set()
    for src in stubs.values():
        given |= _runs(_normalized_lines(src), run_length)
    runs, bodies = {}, {}
    for key, src in originals.items():
        lines = _normalized_lines(src[src.index("{"):])
        bodies[key] = "\n".join(lines)
        for r in _runs(lines, min(run_length, len(lines))) - given:
            runs.setdefault(r, key)
    found = set()
    for path in glob.glob(os.path.join(dest, "**", "*"), recursive=True):
        rel = os.path.relpath(path, dest)
        if rel.split(os.sep)[0] == ".git" or not os.path.isfile(path):
            continue
        try:
            with open(path) as f:
                lines = _normalized_lines(f.read())
        except (UnicodeDecodeError, OSError):
            continue
        joined = "\n".join(lines)
        for key, body in bodies.items():
            if body and body in joined:
                found.add((rel, f"the whole body of {key[1]}() of {key[0]}"))
        if rel.startswith(RUNS_ALLOWED_IN):
            continue
        for n in {min(run_length, len(k)) for k in runs}:
            for k in range(len(lines)):
                key = runs.get(tuple(lines[k:k + n]))
                if key:
                    found.add((rel, f"lines of {key[1]}() of {key[0]}: "
                               f"{' / '.join(lines[k:k + n])[:120]}"))
    return sorted(found)


def originals_of(root):
    """{(path, function): reference source} of every lab target, from this tree (which must
    hold the originals: a tree with a lab started keeps them in .lab/ or git HEAD)."""
    found = {}
    for n in labtool.lab_numbers(root):
        lab = labtool.load_lab(root, n)
        for t in lab.TARGETS:
            st = labtool.State(root, n, t)
            src = st.current if st.kind in ("original", "original?") else st.original
            if src is None:
                raise CourseError(f"no reference of {t.function}() in {t.path}")
            found[(t.path, t.function)] = src
    return found


HANDOUT_README = """\
> **This is a pagelab handout** ({version}, made {date}{course}): every lab's functions are
> stubs for you to write, and the solutions are not part of it. Start with
> `make lab-start N STUDENT=you@school.edu`, grade yourself with `make grade LAB=N` (answers:
> their form; your teacher's grader checks their values on your machine), and hand in with
> `make handin` (see [docs/labs/README.md](docs/labs/README.md)).

"""


def make_handout(root, dest, course="", out=print):
    """Write a student repository to `dest` (which must not exist or be empty): see the
    module's docstring.  Returns the list of files written."""
    if is_handout(root):
        raise CourseError("this tree is a handout itself: make the handout from the reference")
    dest = os.path.abspath(dest)
    if os.path.exists(dest) and os.listdir(dest):
        raise CourseError(f"{dest} exists and is not empty")
    if os.path.commonpath([dest, root]) == root and not dest.startswith(os.path.join(root, "build")):
        raise CourseError(f"{dest} is inside the reference tree: pick a folder outside it "
                          f"(or under build/)")
    originals = originals_of(root)
    stubs = {}
    files = [f for f in tracked_files(root) if not excluded(f)]
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(dest, f)) or dest, exist_ok=True)
        shutil.copy2(os.path.join(root, f), os.path.join(dest, f))
    # Every lab's functions become their stubs; every lab description loses its
    # instructor parts.
    for n in labtool.lab_numbers(root):
        lab = labtool.load_lab(root, n)
        for t in lab.TARGETS:
            text = labtool.read(dest, t.path)
            labtool.write(dest, t.path, cfunc.replace_body(text, t.function, t.stub.rstrip("\n")))
            stubs[(t.path, t.function)] = t.stub
        desc = os.path.join("tests", "labs", f"{n:02d}", "lab.py")
        labtool.write(dest, desc, strip_lab_description(labtool.read(root, desc)))
    # The answer files start empty and nobody is the student yet.
    labtool.write(dest, labtool.STUDENT_FILE, "# who you are: `make lab-start N STUDENT=you@school.edu`"
                  " writes it\nstudent =\n")
    ver = version(root)
    date = datetime.date.today().isoformat()
    with open(os.path.join(dest, HANDOUT_FILE), "w") as f:
        f.write(f"pagelab handout\nversion = {ver}\ndate = {date}\ncourse = {course}\n")
    readme = labtool.read(dest, "README.md")
    title, _, rest = readme.partition("\n")
    labtool.write(dest, "README.md", title + "\n\n" + HANDOUT_README.format(
        version=ver, date=date, course=f", for {course}" if course else "") + rest.lstrip("\n"))
    found = leaks(originals, stubs, dest)
    if found:
        raise CourseError("the handout would give the reference away:\n" +
                          "\n".join(f"  {f}: {what}" for f, what in found))
    git = ["git", "-c", "user.name=pagelab handout", "-c", "user.email=handout@pagelab",
           "-c", "init.defaultBranch=main"]
    for cmd in (git + ["init", "-q"], git + ["add", "-A"],
                git + ["commit", "-q", "-m", f"pagelab handout {ver}" +
                       (f" for {course}" if course else "")]):
        proc = run(cmd, dest)
        if proc.returncode:
            raise CourseError(f"{' '.join(cmd)}: {proc.stderr.strip()}")
    out(f"handout: {dest}: pagelab {ver}, {len(files) + 1} files, every lab's functions "
        f"stubbed, no solutions (checked: no three code lines of any reference body in it)")
    return files


# ---- make handin ------------------------------------------------------------------------------

def handout_base(root):
    proc = run(["git", "rev-list", "--max-parents=0", "HEAD"], root)
    return proc.stdout.split()[-1] if proc.returncode == 0 and proc.stdout.strip() else ""


def make_handin(root, build, numbers=None, out=print):
    """build/handin-<student>.json: for each lab, the student's version of its functions and
    their answer file; the student, the commit, the time, and the whole change against the
    handout (for the teacher to read: the challenge's code is in it)."""
    student = labtool.student_name(root)
    if not student:
        raise CourseError(f"no student named in {labtool.STUDENT_FILE}: `make lab-start N "
                          f"STUDENT=you@school.edu` first")
    labs = {}
    for n in numbers or labtool.lab_numbers(root):
        lab = labtool.load_lab(root, n)
        funcs = []
        for t in lab.TARGETS:
            st = labtool.State(root, n, t)
            funcs.append({"path": t.path, "function": t.function, "source": st.current,
                          "state": st.kind})
        answers_path = os.path.join(root, lab.LAB.answers)
        answers = labtool.read(root, lab.LAB.answers) if os.path.exists(answers_path) else ""
        labs[str(n)] = {"functions": funcs, "answers": answers}
    commit = run(["git", "rev-parse", "HEAD"], root).stdout.strip()
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], root).stdout.strip()
    base = handout_base(root)
    diff = run(["git", "diff", base, "--", "."], root).stdout if base else ""
    marker = {}
    if is_handout(root):
        for line in labtool.read(root, HANDOUT_FILE).splitlines():
            k, eq, v = line.partition("=")
            if eq:
                marker[k.strip()] = v.strip()
    handin = {"format": HANDIN_FORMAT, "student": student, "commit": commit +
              ("+changes" if dirty else ""), "time": datetime.datetime.now().astimezone()
              .isoformat(timespec="seconds"), "handout": marker, "labs": labs, "diff": diff}
    os.makedirs(build, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", student)
    path = os.path.join(build, f"handin-{slug}.json")
    with open(path, "w") as f:
        json.dump(handin, f, indent=1)
        f.write("\n")
    started = [n for n, l in labs.items() if any(fn["state"] == "changed" for fn in l["functions"])
               or any(v.strip() for v in grade.parse_answers(l["answers"]).values())]
    out(f"handin: {os.path.relpath(path, root)}: {student}, labs {', '.join(labs)} "
        f"(your code or answers in: {', '.join(started) or 'none yet'}), commit "
        f"{handin['commit'][:12]}")
    out("handin: hand in that one file; your teacher grades it on your machine")
    return path


# ---- tools/grade-class ------------------------------------------------------------------------

def load_handin(path):
    with open(path) as f:
        h = json.load(f)
    if not isinstance(h, dict) or h.get("format") != HANDIN_FORMAT:
        raise CourseError(f"{path}: not a pagelab hand-in ({HANDIN_FORMAT})")
    if not isinstance(h.get("student"), str) or not h["student"].strip():
        raise CourseError(f"{path}: no student")
    if not isinstance(h.get("labs"), dict):
        raise CourseError(f"{path}: no labs")
    return h


def apply_handin_lab(root, tree, handin, n):
    """Into the scratch reference `tree`, copy lab `n`'s functions and answer file from
    `handin`, and the student's name; nothing else of theirs.  Returns [problems]."""
    lab = labtool.load_lab(root, n)
    given = handin["labs"].get(str(n))
    problems = []
    if not isinstance(given, dict):
        raise CourseError(f"lab {n} is not in the hand-in")
    by_key = {(f.get("path"), f.get("function")): f.get("source", "")
              for f in given.get("functions", []) if isinstance(f, dict)}
    for t in lab.TARGETS:
        src = by_key.get((t.path, t.function))
        if not isinstance(src, str) or not src.strip():
            problems.append(f"{t.function}() missing: the stub is graded")
            continue
        # One definition of exactly this function and nothing around it: a hand-in cannot
        # bring other code in with it.
        try:
            f = cfunc.find_function(src, t.function)
        except cfunc.FunctionNotFound as e:
            problems.append(f"{t.function}(): {e}: the stub is graded")
            continue
        if src[:f.start].strip() or src[f.end:].strip():
            problems.append(f"{t.function}(): code outside the function: the stub is graded")
            continue
        text = labtool.read(tree, t.path)
        labtool.write(tree, t.path, cfunc.replace_function(text, t.function, src.strip("\n")))
    stubbed = [t for t in lab.TARGETS if (t.path, t.function) not in by_key or any(
        p.startswith(t.function + "()") for p in problems)]
    for t in stubbed:
        text = labtool.read(tree, t.path)
        labtool.write(tree, t.path, cfunc.replace_body(text, t.function, t.stub.rstrip("\n")))
    answers = given.get("answers") if isinstance(given.get("answers"), str) else ""
    os.makedirs(os.path.dirname(os.path.join(tree, lab.LAB.answers)), exist_ok=True)
    labtool.write(tree, lab.LAB.answers, answers)
    labtool.set_student(tree, handin["student"].strip())
    return problems


def labs_with_work(handin):
    """The labs of a hand-in in which the student wrote code or an answer."""
    found = []
    for n, given in handin["labs"].items():
        if not isinstance(given, dict):
            continue
        code = any(isinstance(f, dict) and f.get("state") == "changed"
                   for f in given.get("functions", []))
        answers = grade.parse_answers(given.get("answers") or "")
        if code or any(v.strip() for v in answers.values()):
            found.append(int(n))
    return sorted(found)


def grade_one(root, base, work, path, handin, n):
    """Grade lab `n` of one hand-in in a fresh copy of the scratch reference `base`;
    returns its gradebook entry."""
    from verify import make, host_binary, VerifyError
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", handin["student"])
    tree = os.path.join(work, f"{slug}-lab{n:02d}")
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(base, tree, symlinks=True)
    entry = {"student": handin["student"].strip(), "lab": n, "handin": os.path.basename(path),
             "commit": handin.get("commit", ""), "handed_in": handin.get("time", ""),
             "score": 0, "total": None, "checks": [], "written": {}, "problems": []}
    try:
        entry["problems"] = apply_handin_lab(root, tree, handin, n)
        make(tree, "build/pagelab.img", "build/mmsim", host_binary(n))
    except (CourseError, VerifyError, cfunc.FunctionNotFound) as e:
        entry["problems"].append(f"not graded: {str(e)[-1500:]}")
        return entry
    proc = run([sys.executable, os.path.join(tree, "tools", "lab", "lab.py"), "--root", tree,
                "--build", "build", "grade", str(n)], tree)
    with open(os.path.join(tree, "build", f"grade-lab{n:02d}.log"), "w") as f:
        f.write(proc.stdout + proc.stderr)
    try:
        with open(os.path.join(tree, "build", f"grade-lab{n:02d}.json")) as f:
            g = json.load(f)
    except (OSError, ValueError) as e:
        entry["problems"].append(f"the grader stopped: {e}: {(proc.stdout + proc.stderr)[-1500:]}")
        return entry
    entry.update(score=g["score"], total=g["total"], machine=g.get("machine"),
                 # the challenge is the student's own code anywhere in the tree: its checks
                 # need more than the lab's functions, so the teacher reads it in the diff
                 checks=[c for c in g["checks"] if not c.get("challenge")], written=g.get("written", {}), log=os.path.join(
                     os.path.relpath(tree, work), "build", f"grade-lab{n:02d}.log"))
    return entry


def grade_class(root, build, folder, out_dir, labs=None, jobs=2, keep=False, out=print):
    """Grade every hand-in (*.json) under `folder` in scratch copies of this reference
    tree, `jobs` at a time, and write the gradebook to `out_dir`: gradebook.csv (a row per
    student and lab), gradebook-checks.csv (a row per check) and gradebook.json (all of
    it, with the written answers).  Returns the entries."""
    import concurrent.futures
    from verify import copy_tree, seed_build
    if is_handout(root):
        raise CourseError("grade hand-ins in the reference tree, not in a handout")
    paths = sorted(p for p in glob.glob(os.path.join(folder, "**", "*.json"), recursive=True))
    if not paths:
        raise CourseError(f"no hand-ins (*.json) under {folder}")
    tasks, entries = [], []
    for p in paths:
        try:
            h = load_handin(p)
        except (OSError, ValueError, CourseError) as e:
            entries.append({"student": "?", "lab": None, "handin": os.path.basename(p),
                            "score": 0, "total": None, "checks": [], "written": {},
                            "problems": [f"unreadable: {e}"]})
            continue
        chosen = labs or labs_with_work(h)
        for n in chosen:
            if str(n) not in h["labs"]:
                entries.append({"student": h["student"], "lab": n, "handin": os.path.basename(p),
                                "score": 0, "total": None, "checks": [], "written": {},
                                "problems": [f"lab {n} is not in the hand-in"]})
            else:
                tasks.append((p, h, n))
    work = os.path.join(build, "grade-class")
    shutil.rmtree(work, ignore_errors=True)
    base = os.path.join(work, "reference")
    out(f"grade-class: {len(tasks)} lab hand-ins from {len(paths)} files, {jobs} at a time "
        f"(scratch trees in {os.path.relpath(work, root)})")
    copy_tree(root, base)
    seed_build(build, os.path.join(base, "build"))
    shutil.rmtree(os.path.join(base, ".lab"), ignore_errors=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grade_one, root, base, work, p, h, n): (h["student"], n)
                   for p, h, n in tasks}
        for fut in concurrent.futures.as_completed(futures):
            e = fut.result()
            entries.append(e)
            out(f"grade-class: {e['student']}, lab {e['lab']}: {e['score']}/{e['total']}" +
                (f" ({'; '.join(e['problems'])[:200]})" if e["problems"] else ""))
    entries.sort(key=lambda e: (e["student"].lower(), e["lab"] or 0))
    write_gradebook(entries, out_dir)
    if not keep:
        for p, h, n in tasks:
            slug = re.sub(r"[^A-Za-z0-9._-]+", "_", h["student"])
            tree = os.path.join(work, f"{slug}-lab{n:02d}")
            # keep the grader's log of each lab beside the gradebook, drop the tree
            log = os.path.join(tree, "build", f"grade-lab{n:02d}.log")
            if os.path.exists(log):
                os.makedirs(os.path.join(out_dir, "logs"), exist_ok=True)
                shutil.copy(log, os.path.join(out_dir, "logs", f"{slug}-lab{n:02d}.log"))
            shutil.rmtree(tree, ignore_errors=True)
        shutil.rmtree(base, ignore_errors=True)
    out(f"grade-class: gradebook in {out_dir}: gradebook.csv, gradebook-checks.csv, "
        f"gradebook.json")
    return entries


def write_gradebook(entries, out_dir):
    import csv
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "gradebook.json"), "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")
    with open(os.path.join(out_dir, "gradebook.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "lab", "score", "total", "machine", "commit", "handed_in",
                    "written_answers", "problems", "handin"])
        for e in entries:
            w.writerow([e["student"], e["lab"], e["score"], e["total"] if e["total"] is not None
                        else "", e.get("machine") or "", e.get("commit", ""),
                        e.get("handed_in", ""), len(e["written"]), "; ".join(e["problems"]),
                        e["handin"]])
    with open(os.path.join(out_dir, "gradebook-checks.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "lab", "kind", "check", "title", "points", "ok", "detail"])
        for e in entries:
            for c in e["checks"]:
                w.writerow([e["student"], e["lab"], c["kind"], c["name"], c["title"],
                            c["points"], "yes" if c["ok"] else "no",
                            " ".join(c.get("detail", "").split())[:300]])
