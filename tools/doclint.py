#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""doclint: every file and function the docs name exists.

Reads the Markdown pages (README.md, docs/, tests/README.md, ...) and the opening comment
of every source file, and checks two kinds of name in them:

  a repository path     `mm/slub.c`, tests/qemu/run.py, include/mm/  -> the file or folder
                        exists (from the top of the tree or from include/, as an
                        #include names it; a Markdown link from the page's own folder)
  a function            `memblock_add()`, memblock_add() in a header comment -> some C,
                        assembly or Python file of the tree defines it (a function, a
                        macro, a label)

A name that belongs to Linux, not to pagelab, is left alone when its line (or one of the
two before it) says so: "Linux's `setup_arch()`", "arch/x86/kernel/e820.c in Linux".  So
is a function named inside a fenced block, which quotes output, and a CamelCase name
(UEFI's services, ACPI's ASL).  Paths into build/ and .lab/ are outputs and are not
checked.  Exit status 1 and one line per stale name when
anything is missing; `make doclint` runs it and `make test` runs that.
"""

import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

SOURCE_EXT = (".c", ".h", ".S", ".py", ".ld", ".sh")
# The folders a repository path can start with: the tree's own top level.
TOP = sorted(d for d in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, d))
             and not d.startswith(".") and d != "build")
# ... and the folders under include/, since a header is named as #include names it.
TOP += sorted(d for d in os.listdir(os.path.join(ROOT, "include"))
              if os.path.isdir(os.path.join(ROOT, "include", d)) and d not in TOP)
PATH = re.compile(r"(?<![\w./~-])((?:%s)/[\w./*-]*[\w/])" % "|".join(map(re.escape, TOP)))
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]+)?")
FUNC = re.compile(r"(?<![\w.>-])([A-Za-z_]\w*)\(\)")
# Words on a line that mark what it names as another project's.
FOREIGN = re.compile(r"Linux|linux|GRUB|EDK ?II|gnu-efi|glibc|xv6|KUnit|Criterion|kernel\.org")
SKIP_PATH = ("build/", ".lab/")
# UEFI's services and ACPI's ASL operators are CamelCase (GetMemoryMap, Package); they
# live in the firmware, not here.
UEFI_NAME = re.compile(r"^[A-Z][a-z]+(?:[A-Z]\w*)?$")
PY_BUILTINS = set(dir(__builtins__))
# A relative path that climbs (../shared/seed/x.txt; not ".../reserved", an elision), and
# a path into someone's home or work folder: checked for leaving the tree.
UP_PATH = re.compile(r"(?<![\w.])((?:\.\./)+[\w.-]*[\w./-]*)")
HOME_PATH = re.compile(r"(?<![\w.])((?:/home|/work|/root|~)/[\w.-][^\s)`'\"]*)")
# tools/spdx.py's line, in any of its comment forms, in the first two lines of a file.
SPDX_LINE = re.compile(r"^((?:#![^\n]*\n)?)[^\n]*SPDX-License-Identifier:[^\n]*\n")


def tracked_files():
    """git's files, tracked or new; outside a git tree (a release tarball, `make dist`)
    every file but the build outputs."""
    proc = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return walk_files(ROOT)
    return [f for f in proc.stdout.splitlines() if os.path.exists(os.path.join(ROOT, f))]


def walk_files(root):
    files = []
    for d, dirs, names in os.walk(root):
        rel = os.path.relpath(d, root)
        dirs[:] = sorted(x for x in dirs if not (rel == "." and x in ("build", ".lab", ".git"))
                         and not x.startswith("build-") and x != "__pycache__")
        files += [os.path.normpath(os.path.join(rel, n)) for n in sorted(names)]
    return files


def definitions(files):
    """Every name the tree defines: C functions and macros, asm labels, Python defs."""
    names = set()
    c_def = re.compile(r"^(?:[\w*]+[ \t*]+)+\**([A-Za-z_]\w*)\s*\(", re.M)
    c_macro = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)", re.M)
    asm_label = re.compile(r"^([A-Za-z_]\w*):", re.M)
    py_def = re.compile(r"^\s*(?:def|class)\s+([A-Za-z_]\w*)", re.M)
    for f in files:
        if not f.endswith(SOURCE_EXT):
            continue
        with open(os.path.join(ROOT, f), errors="replace") as fh:
            text = fh.read()
        if f.endswith(".py"):
            names.update(py_def.findall(text))
        elif f.endswith(".S"):
            names.update(asm_label.findall(text))
            names.update(c_macro.findall(text))
        else:
            names.update(c_def.findall(text))
            names.update(c_macro.findall(text))
    return names


def header_comment(path):
    """The opening comment of a source file: the block a reader sees first."""
    with open(os.path.join(ROOT, path), errors="replace") as fh:
        text = fh.read(8192)
    # The licence line (tools/spdx.py) sits above the opening comment, not in it.
    text = SPDX_LINE.sub(r"\1", text, count=1)
    if path.endswith(".py"):
        m = re.match(r'(?:#![^\n]*\n)?(?:\s*#[^\n]*\n)*\s*(?:"""(.*?)"""|\'\'\'(.*?)\'\'\')', text, re.S)
        if m:
            return m.group(1) or m.group(2) or ""
        m = re.match(r"(?:#![^\n]*\n)?((?:#[^\n]*\n)+)", text)
        return m.group(1) if m else ""
    if path.endswith((".sh", "Makefile")):
        m = re.match(r"(?:#![^\n]*\n)?((?:#[^\n]*\n)+)", text)
        return m.group(1) if m else ""
    m = re.match(r"\s*/\*(.*?)\*/", text, re.S)
    return m.group(1) if m else ""


def anchors(path):
    """The anchors of a Markdown page's headings, as a Markdown viewer makes them:
    lowercase, punctuation dropped, spaces made hyphens."""
    found, fenced = set(), False
    with open(path, errors="replace") as fh:
        for line in fh:
            if line.lstrip().startswith("```"):
                fenced = not fenced
            m = None if fenced else re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
                found.add(slug)
    return found


def outside(base_dir, target):
    """True when `target`, relative to the folder base_dir of the tree, leaves the tree."""
    full = os.path.normpath(os.path.join(ROOT, base_dir, target))
    return os.path.commonpath([full, ROOT]) != ROOT


def check_text(where, text, base_dir, names, problems):
    lines = text.splitlines()
    fenced = False
    for n, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        # The docs must stand alone: nothing may send a reader to a file the repository
        # does not ship (a sibling checkout, a home folder), in a link or in running text.
        for m in UP_PATH.finditer(line):
            target = m.group(1)
            if line[max(0, m.start() - 2):m.start()] == "](":
                pass  # a link: checked below
            elif outside(base_dir, target):
                problems.append(f"{where}:{n}: points outside the repository: {target}")
            elif not os.path.exists(os.path.join(ROOT, base_dir, target)):
                problems.append(f"{where}:{n}: no such path: {target}")
        for m in HOME_PATH.finditer(line):
            problems.append(f"{where}:{n}: points outside the repository: {m.group(1)}")
        # A sentence about Linux often names the function a line or two later.
        foreign = FOREIGN.search(" ".join(lines[max(0, n - 3):n]))
        for m in PATH.finditer(line):
            p = m.group(1).rstrip(".")
            if where.endswith(".md") and line[max(0, m.start() - 2):m.start()] == "](":
                continue  # a link's target, relative to its page: checked as a link below
            if p.startswith(SKIP_PATH) or re.search(r"\*|NN|NAME", p) or foreign:
                continue
            if not any(os.path.exists(os.path.join(ROOT, d, p)) for d in ("", "include")):
                problems.append(f"{where}:{n}: no such path: {p}")
        if where.endswith(".md"):
            for m in LINK.finditer(line):
                target = m.group(1)
                if "://" in target or target.startswith("mailto:"):
                    continue
                full = os.path.normpath(os.path.join(ROOT, base_dir, target))
                if outside(base_dir, target):
                    problems.append(f"{where}:{n}: points outside the repository: {target}")
                elif not os.path.exists(full):
                    problems.append(f"{where}:{n}: broken link: {target}")
                elif m.group(2) and full.endswith(".md") and \
                        m.group(2)[1:] not in anchors(full):
                    problems.append(f"{where}:{n}: no such section: {target}{m.group(2)}")
        if foreign or fenced:  # program output quotes other names ("vmalloc() Area")
            continue
        for m in FUNC.finditer(line):
            name = m.group(1)
            if name not in names and not UEFI_NAME.match(name) and name not in PY_BUILTINS:
                problems.append(f"{where}:{n}: no such function: {name}()")


def self_test(names):
    """The lint must be able to fail: a stale path and function are caught, Linux's are not."""
    problems = []
    check_text("probe.md", "`no_such_function_here()` in mm/no_such_file.c\n"
               "Linux's `kswapd()` in mm/vmscan.c\n```\nquoted() output\n```\n"
               "[the overview](../../../shared/x.txt), `.../reserved`, [up](../../README.md#pagelab)\n"
               "as ../../../outside.txt says, or ../shared/x.txt, or ~/notes.md\n"
               "[a section](../../README.md#no-such-heading)\n",
               "docs/labs", names, problems)
    want = ["probe.md:1: no such path: mm/no_such_file.c",
            "probe.md:1: no such function: no_such_function_here()",
            "probe.md:6: points outside the repository: ../../../shared/x.txt",
            "probe.md:7: points outside the repository: ../../../outside.txt",
            "probe.md:7: no such path: ../shared/x.txt",
            "probe.md:7: points outside the repository: ~/notes.md",
            "probe.md:8: no such section: ../../README.md#no-such-heading"]
    if problems != want:
        print("doclint: self-test failed:", *problems, sep="\n  ")
        return False
    return True


def main():
    files = tracked_files()
    names = definitions(files)
    if not self_test(names):
        return 1
    problems = []
    for f in files:
        base = os.path.dirname(f)
        if f.endswith(".md"):
            with open(os.path.join(ROOT, f), errors="replace") as fh:
                check_text(f, fh.read(), base, names, problems)
        elif f.endswith(SOURCE_EXT) or os.path.basename(f) == "Makefile":
            check_text(f, header_comment(f), base, names, problems)
    for p in problems:
        print(p)
    print(f"doclint: {len(problems)} stale names in {len(files)} files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
