# SPDX-License-Identifier: MIT
"""The labs' quoted outputs, and how to replay them.  Every block in docs/labs/*.md
marked with

    <!-- lab-check: bios q35 512M -->             (or uefi, other machines and sizes,
    ```                                              cpu=..., cmdline="...", or: host)
    pagelab> memmap
    BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
    ...
    ```

is replayed on a pagelab booted that way (smp=N: N CPUs): each `pagelab> ` line is typed, and what follows
it must be what the command prints.  Lines before the first command must appear in the
boot output.  A line "..." stands for any number of lines; "[...]" inside a line for any
text; boot log timestamps are ignored.  A `host` block runs its `$ ` lines in a shell at
the top of the tree (build/ meaning that tree's build).  One boot per configuration.

A marker ending in ", stubs" (`<!-- lab-check: bios q35 512M, stubs -->`) quotes what
the student sees with that page's lab started, its functions still stubs: lab-verify
replays those in its stub phase (tools/lab/verify.py); test_labs.py replays the others,
the finished kernel's, on every `make test`.
"""

import glob
import os
import re
import shlex
import subprocess

from machine import BUILD, ROOT, TestFailure, image_variant

MARK = re.compile(r"^<!-- lab-check: (.*?) -->\n```[a-z]*\n(.*?)^```$", re.M | re.S)
STUBS = re.compile(r",\s*stubs\s*$")
STAMP = re.compile(r"\[ *\d+\.\d{6}\]")


def blocks(stubs=False, root=ROOT, docs=None):
    """{config: [(doc, line, text)]} for the marked blocks of docs/labs/*.md (or of the
    pages `docs`, relative to `root`) that quote the finished kernel, or with `stubs`,
    those that quote a started lab; the config without its ", stubs"."""
    found = {}
    pages = docs or sorted(os.path.relpath(p, root)
                           for p in glob.glob(os.path.join(root, "docs", "labs", "*.md")))
    for doc in pages:
        with open(os.path.join(root, doc)) as f:
            text = f.read()
        for m in MARK.finditer(text):
            config = m.group(1).strip()
            if bool(STUBS.search(config)) != stubs:
                continue
            line = text.count("\n", 0, m.start()) + 1
            found.setdefault(STUBS.sub("", config).strip(), []).append((doc, line, m.group(2)))
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


def machine_spec(config):
    """(firmware, machine, memory, {option: value}) of a marker's configuration:
    "firmware machine memory [cmdline=...] [cpu=...] [smp=N]"."""
    words = shlex.split(config)
    return (*words[:3], dict(w.split("=", 1) for w in words[3:]))


def configure(m, config, name, base=None, directory=None):
    """Set `m` up as a block's marker says.  A command line boots a copy of the image
    (`base`, the tests' image unless given) called `name`, made in `directory`."""
    m.firmware, m.machine, m.mem, options = machine_spec(config)
    if "cmdline" in options:
        extra = {"base": base} if base else {}
        if directory:
            extra["directory"] = directory
        m.image = image_variant(name, cmdline=options["cmdline"] + "\n", **extra)
    if "cpu" in options:
        m.extra += ["-cpu", options["cpu"]]
    if "smp" in options:
        m.smp = options["smp"]


def replay_boot(m, found):
    """Replay blocks on `m`, booted to its prompt: their boot lines, then their commands."""
    boot_log = m.text().splitlines()
    for doc, line, text in found:
        before, steps = split(text, "pagelab> ")
        for b in before:
            if b.strip() != "..." and not any(line_regex(b).match(STAMP.sub("[T]", l))
                                              for l in boot_log):
                raise TestFailure(f"{doc}:{line}: the boot output lacks {b!r}")
        for command, expected in steps:
            check_output(doc, line, command, expected, m.run(command))


def replay_host(found, root=ROOT, build=BUILD):
    """Run host blocks' `$ ` commands at the top of `root`, build/ meaning `build`."""
    for doc, line, text in found:
        for command, expected in split(text, "$ ")[1]:
            real = re.sub(r"(^|\s)build/", rf"\1{os.path.relpath(build, root)}/", command)
            proc = subprocess.run(real, shell=True, cwd=root, capture_output=True, text=True,
                                  timeout=120)
            check_output(doc, line, command, expected, proc.stdout + proc.stderr)


