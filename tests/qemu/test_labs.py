"""The labs' quoted outputs stay true: every block in docs/labs/*.md marked with

    <!-- lab-check: bios q35 512M -->             (or uefi, other machines and sizes,
    ```                                              cpu=..., cmdline="...", or: host)
    pagelab> memmap
    BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
    ...
    ```

is replayed on a pagelab booted that way: each `pagelab> ` line is typed, and what follows
it must be what the command prints.  Lines before the first command must appear in the
boot output.  A line "..." stands for any number of lines; "[...]" inside a line for any
text; boot log timestamps are ignored.  A `host` block runs its `$ ` lines in a shell at
the top of the tree (build/ meaning this build).  One boot per configuration.
"""

import glob
import os
import re
import shlex
import subprocess

from machine import BUILD, ROOT, TESTS, TestFailure, image_variant

MARK = re.compile(r"^<!-- lab-check: (.*?) -->\n```[a-z]*\n(.*?)^```$", re.M | re.S)
STAMP = re.compile(r"\[ *\d+\.\d{6}\]")


def blocks():
    """{config: [(doc, line, text)]} for every marked block of docs/labs/*.md."""
    found = {}
    for doc in sorted(glob.glob(os.path.join(ROOT, "docs", "labs", "*.md"))):
        with open(doc) as f:
            text = f.read()
        for m in MARK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.setdefault(m.group(1).strip(), []).append(
                (os.path.relpath(doc, ROOT), line, m.group(2)))
    return found


def line_regex(line):
    parts = [re.escape(STAMP.sub("[T]", p)) for p in line.rstrip().split("[...]")]
    return re.compile("^" + ".*".join(parts) + "$")


def matches(expected, actual):
    """Whether `actual` lines are `expected` lines, with "..." lines and [...] spans."""
    actual = [STAMP.sub("[T]", a.rstrip()) for a in actual]

    def walk(i, j):
        if i == len(expected):
            return j == len(actual)
        if expected[i].strip() == "...":
            return any(walk(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and line_regex(expected[i]).match(actual[j]) and walk(i + 1, j + 1)
    return walk(0, 0)


def split(text, prompt):
    """(lines before the first command, [(command, expected lines)])."""
    before, steps = [], []
    for line in text.splitlines():
        if line.startswith(prompt):
            steps.append((line[len(prompt):], []))
        elif steps:
            steps[-1][1].append(line)
        else:
            before.append(line)
    return before, steps


def where(doc, line, command):
    return f"{doc}:{line}: `{command}`"


def check_output(doc, line, command, expected, actual):
    if not matches(expected, actual.splitlines()):
        raise TestFailure(f"{where(doc, line, command)} printed:\n{actual}\n--- the doc says:\n" +
                          "\n".join(expected))


def configure(m, config, name):
    """Set `m` up as a block's marker says: "firmware machine memory [cmdline=...] [cpu=...]".
    A command line boots a copy of the image called `name`."""
    words = shlex.split(config)
    m.firmware, m.machine, m.mem = words[:3]
    options = dict(w.split("=", 1) for w in words[3:])
    if "cmdline" in options:
        m.image = image_variant(name, cmdline=options["cmdline"] + "\n")
    if "cpu" in options:
        m.extra += ["-cpu", options["cpu"]]


def boot_test(config, found):
    def run(m):
        configure(m, config, "lab-docs")
        m.start().wait_for_prompt()
        boot_log = m.text().splitlines()
        for doc, line, text in found:
            before, steps = split(text, "pagelab> ")
            for b in before:
                if b.strip() != "..." and not any(line_regex(b).match(STAMP.sub("[T]", l))
                                                  for l in boot_log):
                    raise TestFailure(f"{doc}:{line}: the boot output lacks {b!r}")
            for command, expected in steps:
                check_output(doc, line, command, expected, m.run(command))
    return run


def host_test(found):
    def run(m):
        for doc, line, text in found:
            for command, expected in split(text, "$ ")[1]:
                real = re.sub(r"(^|\s)build/", rf"\1{os.path.relpath(BUILD, ROOT)}/", command)
                proc = subprocess.run(real, shell=True, cwd=ROOT, capture_output=True, text=True,
                                      timeout=120)
                check_output(doc, line, command, expected, proc.stdout + proc.stderr)
    return run


for config, found in blocks().items():
    if config == "host":
        TESTS.append(("lab_docs_host_commands", host_test(found), {}))
    else:
        name = "-".join(re.sub(r"\s+", "_", w) for w in shlex.split(config))
        TESTS.append((f"lab_docs_quoted_output[{name}]", boot_test(config, found), {}))
