#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""spdx: every tracked file says its licence in an SPDX-License-Identifier line.

  python3 tools/spdx.py --check    list the tracked files without the line; exit 1 if any
  python3 tools/spdx.py --add      write the line into each of them (then --check again)
  python3 tools/spdx.py --list     how each tracked file is treated: its syntax or why none

The line goes where a reader, and a licence scanner, looks first: the first line, or
the second when the first is a shebang (#!), which must stay first for the kernel to run
the script.  Its form follows the file's comment syntax:

  C (.c)                        // SPDX-License-Identifier: MIT   (Linux's form for .c)
  headers, assembly, linker     /* SPDX-License-Identifier: MIT */
  scripts (.h, .S, .ld)           (for .c and .h, either form is accepted)
  Python, shell, Makefile,      # SPDX-License-Identifier: MIT
  Containerfile, .gitignore, .dockerignore,
  gdb scripts, answer files
  Markdown                      <!-- SPDX-License-Identifier: MIT -->

Left out on purpose (EXCLUDED below): patches, which `git apply` reads as diffs; files
whose bytes are read as data and compared (the disk's kernel command line, mmsim's
sample logs and their expected output, the `version` file); the licence text itself;
formats without comments (JSON) and any binary file.
A script without an extension is known by its shebang and takes '#'.  Any other tracked
file of a type named nowhere here is reported, so that a new kind of file is classified
by someone rather than skipped by accident.

Nothing else in a file changes: --add inserts one line and keeps the file's own line
endings.  The answer files stay valid because the grader skips '#' lines
(`read_answers()` in tools/lab/grade.py); the labs' challenge patches still apply
because `git apply` finds a hunk a line lower.
"""

import argparse
import fnmatch
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LICENSE = "MIT"
TAG = "SPDX-License-Identifier: " + LICENSE

# The forms of the line, by syntax; the first of each is the one --add writes.
FORMS = {
    "c": ["// " + TAG, "/* " + TAG + " */"],
    "h": ["/* " + TAG + " */", "// " + TAG],
    "block": ["/* " + TAG + " */"],
    "hash": ["# " + TAG],
    "html": ["<!-- " + TAG + " -->"],
}

# (glob on the path, syntax): the first match decides.
SYNTAX = [
    ("*.c", "c"),
    ("*.h", "h"),
    ("*.S", "block"),
    ("*.ld", "block"),
    ("*.py", "hash"),
    ("*.sh", "hash"),
    ("Makefile", "hash"), ("*/Makefile", "hash"), ("*.mk", "hash"),
    ("Containerfile", "hash"), ("*/Containerfile", "hash"),
    ("Dockerfile", "hash"), ("*/Dockerfile", "hash"),
    (".gitignore", "hash"), ("*/.gitignore", "hash"), (".dockerignore", "hash"),
    ("tools/gdbinit", "hash"),
    ("docs/labs/answers/*.txt", "hash"),
    ("tests/tsan/suppressions.txt", "hash"),
    ("*.yml", "hash"), ("*.yaml", "hash"), ("*.toml", "hash"), ("*.cfg", "hash"),
    ("*.ini", "hash"), ("*.conf", "hash"),
    ("*.md", "html"),
]

# (glob, why): files that get no line.
EXCLUDED = [
    ("*.patch", "a diff for `git apply`; the files it patches carry the line"),
    ("*.diff", "a diff for `git apply`; the files it patches carry the line"),
    ("disk/cmdline.txt", "the kernel command line, copied to the disk byte for byte"),
    ("tools/mmsim/samples/*", "captured boot logs and mmsim's expected output, compared as data"),
    ("tests/data/proc-6.18/[!R]*", "captured /proc files of a real Linux 6.18 and its config, compared as data"),
    ("LICENSE", "the licence text itself"),
    (".ci/*", "the CI's entry point, which the CI owns"),
    ("HANDOUT", "a handout's stamp, written and read as data by tools/lab/course.py"),
    ("version", "the version number, read as data by the Makefile"),
    ("*.json", "JSON has no comments"),
    ("*.csv", "data"),
    ("tests/fuzz/corpus/*", "fuzzer inputs, read as bytes: a licence line would change them"),
]

# A comment line naming a licence, wherever it is: --add leaves such a file alone.
OTHER_LINE = re.compile(r"^\s*(?://|/\*|#|<!--)\s*SPDX-License-Identifier:", re.M)

HEAD_LINES = 2  # the line must be in the first two: after a shebang at most


def tracked_files(root):
    """git's tracked files; outside a git tree (a release tarball) every file but the
    build outputs."""
    proc = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True)
    if proc.returncode != 0:
        from doclint import walk_files  # the same walk doclint makes of a tarball
        return walk_files(root)
    out = proc.stdout.decode()
    return [f for f in out.split("\0") if f and os.path.isfile(os.path.join(root, f))]


def is_binary(path):
    with open(path, "rb") as fh:
        return b"\0" in fh.read(8192)


def classify(root, path):
    """('syntax', name) for a file that needs the line, ('excluded', why) for one that
    does not, ('unknown', None) for a type this tool does not know."""
    for pattern, why in EXCLUDED:
        if fnmatch.fnmatchcase(path, pattern):
            return "excluded", why
    if is_binary(os.path.join(root, path)):
        return "excluded", "a binary file"
    for pattern, syntax in SYNTAX:
        if fnmatch.fnmatchcase(path, pattern):
            return "syntax", syntax
    # A script without an extension (tools/grade-class): its shebang says it takes '#'.
    with open(os.path.join(root, path), "rb") as fh:
        if fh.read(2) == b"#!":
            return "syntax", "hash"
    return "unknown", None


def has_line(text, syntax):
    """True when one of the first HEAD_LINES lines is exactly a form of the line for
    `syntax` (trailing spaces and a CR aside)."""
    lines = text.split("\n")[:HEAD_LINES]
    if lines and not lines[0].startswith("#!"):
        lines = lines[:1]
    return any(line.rstrip() in FORMS[syntax] for line in lines)


def add_line(text, syntax):
    """`text` with the line inserted: first, or right after a shebang."""
    nl = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    line = FORMS[syntax][0] + nl
    if text.startswith("#!"):
        first, sep, rest = text.partition("\n")
        return first + (sep or nl) + line + rest
    return line + text


def read(root, path):
    with open(os.path.join(root, path), newline="", encoding="utf-8",
              errors="surrogateescape") as fh:
        return fh.read()


def missing(root, files):
    """[(path, problem)] for every file without its line or of an unknown type."""
    out = []
    for f in files:
        kind, what = classify(root, f)
        if kind == "unknown":
            out.append((f, "no SPDX syntax known for this type: add it to SYNTAX or EXCLUDED "
                           "in tools/spdx.py"))
        elif kind == "syntax" and not has_line(read(root, f), what):
            out.append((f, "no `%s` line" % FORMS[what][0]))
    return out


def self_test():
    """The checks must be able to fail, and --add must produce what --check accepts."""
    cases = [
        ("int x;\n", "c", False, "// " + TAG + "\nint x;\n"),
        ("#!/bin/sh\necho\n", "hash", False, "#!/bin/sh\n# " + TAG + "\necho\n"),
        ("# title\n", "html", False, "<!-- " + TAG + " -->\n# title\n"),
        ("/* " + TAG + " */\n", "c", True, None),
        ("x\n# " + TAG + "\n", "hash", False, None),  # second line, but no shebang
        ("a\r\nb\r\n", "block", False, "/* " + TAG + " */\r\na\r\nb\r\n"),
    ]
    for text, syntax, want, added in cases:
        if has_line(text, syntax) != want:
            return "has_line(%r, %s) is not %s" % (text, syntax, want)
        if added is not None:
            got = add_line(text, syntax)
            if got != added or not has_line(got, syntax):
                return "add_line(%r, %s) gave %r" % (text, syntax, got)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--check", action="store_true", help="list files without the line")
    what.add_argument("--add", action="store_true", help="add the line where it is missing")
    what.add_argument("--list", action="store_true", help="how each tracked file is treated")
    ap.add_argument("--root", default=ROOT, help="the tree (default: this one)")
    args = ap.parse_args()

    problem = self_test()
    if problem:
        print("spdx: self-test failed:", problem)
        return 1
    files = tracked_files(args.root)

    if args.list:
        for f in files:
            kind, what = classify(args.root, f)
            print("%-60s %s" % (f, FORMS[what][0] if kind == "syntax" else
                                "(excluded: %s)" % what if kind == "excluded" else "(unknown)"))
        return 0

    if args.add:
        added = 0
        for f in files:
            kind, what = classify(args.root, f)
            if kind != "syntax":
                continue
            text = read(args.root, f)
            if has_line(text, what):
                continue
            # A file that names a licence some other way is left for a person to decide.
            if OTHER_LINE.search(text[:4096]):
                print("spdx: %s: has an SPDX line in another place or form; not touched" % f)
                continue
            full = os.path.join(args.root, f)
            mode = os.stat(full).st_mode
            with open(full, "w", newline="", encoding="utf-8", errors="surrogateescape") as fh:
                fh.write(add_line(text, what))
            os.chmod(full, mode)
            added += 1
        print("spdx: added the line to %d files" % added)

    bad = missing(args.root, files)
    for f, why in bad:
        print("%s: %s" % (f, why))
    print("spdx: %d of %d tracked files lack an SPDX-License-Identifier: %s line"
          % (len(bad), len(files), LICENSE))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
