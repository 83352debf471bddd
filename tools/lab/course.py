# SPDX-License-Identifier: MIT
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
student's name draws, with this tree's derivations.  An answer copied from a student
with another machine is wrong on one's own, and a hand-in whose numbers are all another
student's is flagged; an edited check never leaves the student's tree.
"""

import ast
import datetime
import fnmatch
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
import labkit

HANDOUT_FILE = "HANDOUT"
HANDIN_FORMAT = "pagelab-handin-1"

# Files of the reference that a handout does not carry (globs, relative to the root).
NOT_IN_A_HANDOUT = [
    "tests/labs/*/challenge.patch",   # the challenges' reference solutions
    "docs/labs/TEACHING.md",          # the teacher's guide
    ".ci/*",                          # the reference's CI: `make test` needs the originals
]


class CourseError(labtool.LabError):
    pass


is_handout = labtool.is_handout


def slug(name):
    """A student's name as a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "_"


def run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, **kw)


def tracked_files(root):
    """The files git tracks (never a stray hand-in or gradebook lying in the tree)."""
    proc = run(["git", "ls-files", "-z"], root)
    if proc.returncode:
        raise CourseError(f"{root} is not a git checkout: a handout is made from one")
    return sorted(f for f in proc.stdout.split("\0") if f and os.path.isfile(os.path.join(root, f)))


def excluded(path):
    return any(fnmatch.fnmatch(path, g) for g in NOT_IN_A_HANDOUT)


# A markdown link to the teacher's guide, which a handout does not carry.
TEACHER_LINK = re.compile(r"\[[^\]]*\]\((?:\.\./)*(?:docs/labs/)?TEACHING\.md(?:#[^)]*)?\)")


def version(root):
    """The reference's version (the `version` file, or its v-tag) and commit."""
    try:
        ver = labtool.read(root, "version").strip()
    except OSError:
        ver = "0.0.0"
    tag = run(["git", "describe", "--tags", "--exact-match", "--match", "v[0-9]*"], root)
    if tag.returncode == 0 and tag.stdout.strip():
        ver = tag.stdout.strip()[1:]
    rev = run(["git", "describe", "--always", "--dirty"], root).stdout.strip()
    return f"{ver}, commit {rev}" if rev else ver


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
            # Written anew: its comments and keywords say how the answers are read.
            items = []
            for call in node.value.elts:
                if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Question"):
                    raise CourseError(f"QUESTIONS holds {ast.unparse(call)!r}, not a Question(...)")
                qid, kind = (ast.literal_eval(a) for a in call.args[:2])
                derive = call.args[2] if len(call.args) > 2 else next(
                    (k.value for k in call.keywords if k.arg == "derive"), None)
                given = not (derive is None or (isinstance(derive, ast.Constant) and
                                                derive.value is None))
                if given:
                    dropped_names |= _names_in(derive)
                points = next((ast.unparse(k.value) for k in call.keywords if k.arg == "points"),
                              None)
                items.append(f'    Question("{qid}", "{kind}", {"HANDIN" if given else "None"}'
                             f"{f', points={points}' if points else ''}),\n")
            first = _with_comments_above(text.splitlines(keepends=True), node.lineno - 1)
            cuts.append((starts[first + 1], starts[node.end_lineno + 1],
                         "# The answers' values are checked when the hand-in is graded "
                         "(docs/labs/README.md).\nQUESTIONS = [\n" + "".join(items) + "]\n"))
            for k in node.value.elts:
                dropped_names |= _names_in(k)

    # Drop, until nothing changes, each undecorated module-level definition whose name only
    # the removed parts used.
    def used_elsewhere(name):
        for j, node in enumerate(tree.body):
            if j in removed or _defined_name(node) == name:
                continue
            if _defined_name(node) == "QUESTIONS":
                continue  # written anew from the qids and kinds alone
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
> **This is a pagelab handout** (pagelab {version}, made {date}{course}): every lab's functions are
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
        if f.startswith("docs/labs/answers/"):  # as committed: empty, never someone's answers
            committed = run(["git", "show", f"HEAD:{f}"], root)
            if committed.returncode == 0:
                labtool.write(dest, f, committed.stdout)
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
    # The pages that link to what stays behind say so instead.
    for f in files:
        if f.endswith(".md"):
            text = labtool.read(dest, f)
            new = TEACHER_LINK.sub("the teacher's guide (not part of a handout)", text)
            if new != text:
                labtool.write(dest, f, new)
    # The answer files start empty and nobody is the student yet.
    labtool.write(dest, labtool.STUDENT_FILE, "# SPDX-License-Identifier: MIT\n"
                  "# who you are: `make lab-start N STUDENT=you@school.edu` writes it\n"
                  "student =\n")
    ver = version(root)
    date = datetime.date.today().isoformat()
    with open(os.path.join(dest, HANDOUT_FILE), "w") as f:
        f.write(f"pagelab handout\nversion = {ver}\ndate = {date}\ncourse = {course}\n")
    # The full repository's way back to the originals does not exist here.
    readme = re.sub(r"^make lab-solution .*\n", "", labtool.read(dest, "README.md"), flags=re.M)
    labtool.write(dest, "README.md", readme)
    # The banner goes under the README's title (after its SPDX line, if it has one).
    readme = labtool.read(dest, "README.md")
    at = re.search(r"^# .*\n", readme, re.M)
    at = at.end() if at else 0
    labtool.write(dest, "README.md", readme[:at] + "\n" + HANDOUT_README.format(
        version=ver, date=date, course=f", for {course}" if course else "") +
        readme[at:].lstrip("\n"))
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
    # The whole change, for the teacher to read (a challenge's code can be anywhere); only
    # in a handout, whose first commit is where the student started.
    base = handout_base(root) if is_handout(root) else ""
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
    path = os.path.join(build, f"handin-{slug(student)}.json")
    with open(path, "w") as f:
        json.dump(handin, f, indent=1)
        f.write("\n")
    started = labs_with_work(handin)
    out(f"handin: {os.path.relpath(path, root)}: {student}, labs {', '.join(labs)} "
        f"(your code or answers in: {', '.join(map(str, started)) or 'none yet'}), commit "
        f"{handin['commit'][:12]}")
    out("handin: hand in that one file; your teacher grades it on your machine")
    return path


# ---- tools/grade-class ------------------------------------------------------------------------

STUDENT_NAME = re.compile(r"^[\w.@+' -]{1,100}$")


def load_handin(path, root):
    """A hand-in read and checked for shape: every field the grader uses is of its type,
    the student's name is one plain line (it draws the machine the answers are read
    off), and every lab it names exists."""
    if os.path.getsize(path) > 16 << 20:
        raise CourseError(f"{path}: larger than 16 MiB: not a hand-in")
    with open(path) as f:
        h = json.load(f)
    if not isinstance(h, dict) or h.get("format") != HANDIN_FORMAT:
        raise CourseError(f"{path}: not a pagelab hand-in ({HANDIN_FORMAT})")
    name = h.get("student")
    if not isinstance(name, str) or not STUDENT_NAME.match(name.strip()):
        raise CourseError(f"{path}: the student's name {name!r} is not one plain line of "
                          f"letters, digits and . @ + ' - (at most 100)")
    h["student"] = name.strip()
    labs = h.get("labs")
    if not isinstance(labs, dict):
        raise CourseError(f"{path}: no labs")
    known = {str(n) for n in labtool.lab_numbers(root)}
    for n, given in labs.items():
        if n not in known:
            raise CourseError(f"{path}: there is no lab {n!r}")
        if not (isinstance(given, dict) and isinstance(given.get("answers", ""), str) and
                isinstance(given.get("functions", []), list) and
                all(isinstance(f, dict) and all(isinstance(f.get(k, ""), str) for k in
                                                ("path", "function", "source", "state"))
                    for f in given.get("functions", []))):
            raise CourseError(f"{path}: lab {n} is not a lab's hand-in (functions, answers)")
    for k in ("commit", "time", "diff"):
        if not isinstance(h.get(k, ""), str):
            raise CourseError(f"{path}: {k} is not a string")
    return h


def put_functions(root, tree, handin, n):
    """Into `tree`, lab `n`'s functions as `handin` has them: each one's body under the
    reference's header, or its stub where it is missing or refused.  Returns [problems]."""
    lab = labtool.load_lab(root, n)
    given = handin["labs"].get(str(n))
    if not isinstance(given, dict):
        raise CourseError(f"lab {n} is not in the hand-in")
    by_key = {(f.get("path"), f.get("function")): f.get("source", "")
              for f in given.get("functions", []) if isinstance(f, dict)}
    problems = []
    for t in lab.TARGETS:
        body, why = handed_in_body(by_key.get((t.path, t.function)), t.function)
        if body is None:
            problems.append(f"{t.function}(): {why}: the stub is graded")
            body = t.stub.rstrip("\n")
        labtool.write(tree, t.path, cfunc.replace_body(labtool.read(tree, t.path), t.function,
                                                       body))
    return problems


def handed_in_body(src, function):
    """(body, None) of a handed-in function, or (None, why) when it is missing or brings
    in more than its own body."""
    if not isinstance(src, str) or not src.strip():
        return None, "missing"
    # One definition of exactly this function and nothing around it.
    try:
        f = cfunc.find_function(src, function)
    except cfunc.FunctionNotFound as e:
        return None, str(e)
    if src[:f.start].strip() or src[f.end:].strip():
        return None, "code outside the function"
    # Nothing that reaches past the function: a preprocessor line would go on acting on the
    # rest of the file (the host checks #include some sources), and inline assembly is not
    # what any lab asks for.
    if any(line.lstrip().startswith("#") for line in src.splitlines()) or \
            re.search(r"\b(?:__)?asm(?:__)?\b", cfunc.blank(src)):
        return None, "a preprocessor line or inline assembly in it"
    return f.body(src).strip("\n"), None


def apply_handin_lab(root, tree, handin, n):
    """Into the scratch reference `tree`, copy lab `n`'s functions and answer file from
    `handin`, and the student's name; nothing else of theirs.  Returns [problems]."""
    lab = labtool.load_lab(root, n)
    problems = put_functions(root, tree, handin, n)
    given = handin["labs"][str(n)]
    answers = given.get("answers") if isinstance(given.get("answers"), str) else ""
    os.makedirs(os.path.dirname(os.path.join(tree, lab.LAB.answers)), exist_ok=True)
    labtool.write(tree, lab.LAB.answers, answers)
    labtool.set_student(tree, handin["student"].strip())
    return problems


def other_labs_differ(root, handin, n):
    """The other labs whose functions, in the hand-in, are not the reference's (stubs, or
    the student's own): the kernel the student read their answers off was not this one."""
    originals = originals_of(root)
    differ = []
    for m, given in handin["labs"].items():
        if int(m) == n:
            continue
        for f in given.get("functions", []):
            ref = originals.get((f.get("path"), f.get("function")))
            if ref is not None and not labtool.same(f.get("source", ""), ref):
                differ.append(int(m))
                break
    return sorted(differ)


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


def task_dir(work, index, handin, n):
    return os.path.join(work, f"{index:03d}-{slug(handin['student'])}-lab{n:02d}")


def grade_one(root, base, tree, path, handin, n):
    """Grade lab `n` of one hand-in in `tree`, a fresh copy of the scratch reference
    `base`; returns its gradebook entry (a hand-in that breaks the grader gets a row that
    says how, not a stopped run)."""
    try:
        return _grade_one(root, base, tree, path, handin, n)
    except Exception as e:  # noqa: BLE001 - one hand-in must not stop the class's grading
        return {"student": handin["student"], "lab": n, "handin": os.path.basename(path),
                "commit": handin.get("commit", ""), "handed_in": handin.get("time", ""),
                "score": 0, "total": None, "checks": [], "written": {},
                "problems": [f"not graded: {type(e).__name__}: {str(e)[-1000:]}"]}


def _run_grader(tree, n, kinds, log_name):
    """`lab.py grade n` in `tree` for these kinds of check; (its JSON report, None) or
    (None, why)."""
    proc = run([sys.executable, os.path.join(tree, "tools", "lab", "lab.py"), "--root", tree,
                "--build", "build", "grade", "--kinds", ",".join(kinds), str(n)], tree,
               timeout=3600)
    with open(os.path.join(tree, "build", log_name), "w") as f:
        f.write(proc.stdout + proc.stderr)
    try:
        with open(os.path.join(tree, "build", f"grade-lab{n:02d}.json")) as f:
            return json.load(f), None
    except (OSError, ValueError) as e:
        return None, f"the grader stopped: {e}: {(proc.stdout + proc.stderr)[-1500:]}"


def _grade_one(root, base, tree, path, handin, n):
    """The checks run on the reference with only lab `n`'s functions the student's, so no
    other lab decides them.  The answers are read off the kernel the student had: where
    the hand-in's other labs are not the reference's (a handout's stubs, the student's
    own code), a second tree with every lab as handed in boots the student's machine for
    them."""
    from verify import make, host_binary, VerifyError
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(base, tree, symlinks=True)
    entry = {"student": handin["student"], "lab": n, "handin": os.path.basename(path),
             "commit": handin.get("commit", ""), "handed_in": handin.get("time", ""),
             "score": 0, "total": None, "checks": [], "written": {}, "problems": []}
    touched = sorted({m.group(1) for m in re.finditer(r"^diff --git a/((?:tests|tools)/\S+)",
                                                        handin.get("diff") or "", re.M)})
    if touched:
        entry["problems"].append("the student's change edits " + ", ".join(touched[:6]) +
                                 (" ..." if len(touched) > 6 else "") +
                                 " (not used: the reference's checks graded)")
    others = other_labs_differ(root, handin, n)
    whole = tree + "-as-handed-in"
    try:
        entry["problems"] += apply_handin_lab(root, tree, handin, n)
        if others:
            shutil.rmtree(whole, ignore_errors=True)
            shutil.copytree(tree, whole, symlinks=True)
            for m in others:
                put_functions(root, whole, handin, m)
        # A hand-in is code the grader compiles and runs: bounded in time (and, on a real
        # class, in a container or a user of its own: docs/labs/TEACHING.md).
        make(tree, "build/pagelab.img", "build/mmsim", host_binary(n), timeout=900)
        if others:
            make(whole, "build/pagelab.img", timeout=900)
    except (CourseError, VerifyError, cfunc.FunctionNotFound) as e:
        entry["problems"].append(f"not graded: {str(e)[-1500:]}")
        return entry
    if not others:
        g, why = _run_grader(tree, n, ("host", "kernel", "answer"), f"grade-lab{n:02d}.log")
    else:
        g, why = _run_grader(tree, n, ("host", "kernel"), f"grade-lab{n:02d}.log")
        if g is not None:
            a, why = _run_grader(whole, n, ("answer",), f"grade-lab{n:02d}.log")
            if a is not None:
                with open(os.path.join(whole, "build", f"grade-lab{n:02d}.log")) as f:
                    answers_log = f.read()
                with open(os.path.join(tree, "build", f"grade-lab{n:02d}.log"), "a") as f:
                    f.write(f"\n(the answers, read off the kernel as handed in: labs "
                            f"{', '.join(map(str, others))} as the student had them)\n" +
                            answers_log)
                g["checks"] += a["checks"]
                g["score"] += a["score"]
                g["total"] += a["total"]
                g["written"] = a.get("written", {})
        shutil.rmtree(whole, ignore_errors=True)
    if g is None:
        entry["problems"].append(why)
        return entry
    entry.update(score=g["score"], total=g["total"], machine=g.get("machine"),
                 # the challenge is the student's own code anywhere in the tree: its checks
                 # need more than the lab's functions, so the teacher reads it in the diff
                 checks=[c for c in g["checks"] if not c.get("challenge")],
                 written=g.get("written", {}),
                 answers_from=(f"the kernel as handed in (labs {', '.join(map(str, others))} "
                               f"the student's)" if others else "the reference with this lab"))
    return entry


def grade_class(root, build, folder, out_dir, labs=None, jobs=2, keep=False, roster=None,
                out=print):
    """Grade every hand-in (*.json) under `folder` in scratch copies of this reference
    tree, `jobs` at a time, and write the gradebook to `out_dir`: gradebook.csv (a row per
    student and lab), gradebook-checks.csv (a row per check) and gradebook.json (all of
    it, with the written answers).  `roster`: the names allowed (a hand-in under any
    other name is not graded).  Returns the entries."""
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
            h = load_handin(p, root)
            if roster is not None and h["student"].lower() not in roster:
                raise CourseError(f"{h['student']!r} is not on the roster")
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
    seen = {}
    for p, h, n in tasks:
        seen.setdefault((h["student"].lower(), n), []).append(os.path.basename(p))
    twice = {k: v for k, v in seen.items() if len(v) > 1}
    work = os.path.join(build, "grade-class")
    shutil.rmtree(work, ignore_errors=True)
    base = os.path.join(work, "reference")
    out(f"grade-class: {len(tasks)} lab hand-ins from {len(paths)} files, {jobs} at a time "
        f"(scratch trees in {os.path.relpath(work, root)})")
    copy_tree(root, base)
    seed_build(build, os.path.join(base, "build"))
    shutil.rmtree(os.path.join(base, ".lab"), ignore_errors=True)
    # The reference's functions, even where this tree has a lab started.
    for (path, function), src in originals_of(root).items():
        labtool.write(base, path, cfunc.replace_function(labtool.read(base, path), function,
                                                         src.rstrip("\n")))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grade_one, root, base, task_dir(work, i, h, n), p, h, n):
                   (h["student"], n) for i, (p, h, n) in enumerate(tasks)}
        for fut in concurrent.futures.as_completed(futures):
            e = fut.result()
            entries.append(e)
            out(f"grade-class: graded {e['student']}, lab {e['lab']}")
    for e in entries:
        if (e["student"].lower(), e["lab"]) in twice:
            e["problems"].append("handed in more than once: " +
                                 ", ".join(twice[(e["student"].lower(), e["lab"])]))
    withhold_copied_answers(root, entries, {(h["student"], n, os.path.basename(p)): h
                                            for p, h, n in tasks})
    entries.sort(key=lambda e: (e["student"].lower(), e["lab"] or 0))
    for e in entries:
        out(f"grade-class: {e['student']}, lab {e['lab']}: {e['score']}/{e['total']}" +
            (f" ({'; '.join(e['problems'])[:300]})" if e["problems"] else ""))
    write_gradebook(entries, out_dir)
    if not keep:
        for i, (p, h, n) in enumerate(tasks):
            tree = task_dir(work, i, h, n)
            # keep the grader's log of each lab beside the gradebook, drop the tree
            log = os.path.join(tree, "build", f"grade-lab{n:02d}.log")
            if os.path.exists(log):
                os.makedirs(os.path.join(out_dir, "logs"), exist_ok=True)
                shutil.copy(log, os.path.join(out_dir, "logs", os.path.basename(tree) + ".log"))
            shutil.rmtree(tree, ignore_errors=True)
        shutil.rmtree(base, ignore_errors=True)
    out(f"grade-class: gradebook in {out_dir}: gradebook.csv, gradebook-checks.csv, "
        f"gradebook.json")
    return entries


def withhold_copied_answers(root, entries, handins):
    """Two students on different machines rarely find the same numbers.  Where a hand-in's
    number answers are all another student's, on another machine, and more of them are
    wrong on its own machine than on the other's, they were copied from the other: the
    points of the ones that happen to be right on its own machine too (a question with few
    possible values) are withheld, and the row says from whom.  The one copied from keeps
    theirs; two that fit their machines equally well are left alone.  `handins`:
    {(student, lab, hand-in file): hand-in}."""
    by_lab = {}
    for e in entries:
        h = handins.get((e["student"], e["lab"], e["handin"]))
        if h is None or e["total"] is None:
            continue
        lab = labtool.load_lab(root, e["lab"])
        given = grade.parse_answers(h["labs"][str(e["lab"])].get("answers") or "")
        numbers = tuple(labkit.normalize(q.kind, given.get(q.qid, "")) for q in lab.QUESTIONS
                        if q.kind != "text")
        ok = {c["name"]: c["ok"] for c in e["checks"] if c["kind"] == "answer" and c["points"]}
        if sum(v is not None for v in numbers) >= 2:
            by_lab.setdefault(e["lab"], []).append((e, numbers, ok))
    for group in by_lab.values():
        for e, numbers, ok in group:
            wrong = [q for q, right in ok.items() if not right]
            if not wrong:
                continue
            source = next((o for o, theirs, their_ok in group if o is not e and
                           theirs == numbers and o.get("machine") != e.get("machine") and
                           sum(not v for v in their_ok.values()) < len(wrong)), None)
            if source is None:
                continue
            for c in e["checks"]:
                if c["kind"] == "answer" and c["points"] and c["ok"]:
                    c["ok"] = False
                    e["score"] -= c["points"]
                    c["detail"] = f"withheld: the answers are {source['student']}'s"
            e["problems"].append(f"number answers identical to {source['student']}'s, whose "
                                 f"machine is another, and fit it better than this one: "
                                 f"copied (their points withheld)")


def _cell(value):
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


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
            total = "" if e["total"] is None else e["total"]
            w.writerow(map(_cell, [e["student"], e["lab"], e["score"], total,
                                   e.get("machine") or "", e.get("commit", ""),
                                   e.get("handed_in", ""), len(e["written"]),
                                   "; ".join(e["problems"]), e["handin"]]))
    with open(os.path.join(out_dir, "gradebook-checks.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "lab", "kind", "check", "title", "points", "ok", "detail"])
        for e in entries:
            for c in e["checks"]:
                w.writerow(map(_cell, [e["student"], e["lab"], c["kind"], c["name"], c["title"],
                                       c["points"], "yes" if c["ok"] else "no",
                                       " ".join(c.get("detail", "").split())[:300]]))
