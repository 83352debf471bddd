# SPDX-License-Identifier: MIT
"""README.md's sample output stays true: a block marked

    <!-- boot-check: uefi q35 512M -->              (firmware, machine, memory, and
    ```                                                optionally cmdline="...", as in labdocs.py)
    pagelab loader: UEFI 2.70 firmware by EDK II
    ...
    pagelab>
    ```

is compared with a real boot.  Its lines up to the first command are a stretch of the
serial output, in order, from the first line that matches the block's first line (what
the firmware prints before that is skipped).  As in the labs' quoted output
(labdocs.py): "..." stands for any number of lines, "[...]" inside a line for any
text, and boot-log timestamps are ignored; then each `pagelab> command` line is typed
and what follows it must be what the command prints.
"""

import os
import re
import shlex

from machine import ROOT, TESTS, TestFailure
from labdocs import STAMP, check_output, configure, line_regex, matches, split

DOCS = ["README.md"]
MARK = re.compile(r"^<!-- boot-check: (.*?) -->\n```[a-z]*\n(.*?)^```$", re.M | re.S)


def blocks():
    """[(config, doc, line, text)] for every marked block of the DOCS."""
    found = []
    for doc in DOCS:
        with open(os.path.join(ROOT, doc)) as f:
            text = f.read()
        for m in MARK.finditer(text):
            found.append((m.group(1).strip(), doc, text.count("\n", 0, m.start()) + 1,
                          m.group(2)))
    return found


def check_boot_output(doc, line, expected, boot_log):
    """`expected` is a stretch of `boot_log`, starting where its first line first matches."""
    first = line_regex(expected[0])
    start = next((i for i, l in enumerate(boot_log) if first.match(STAMP.sub("[T]", l.rstrip()))),
                 None)
    if start is None:
        raise TestFailure(f"{doc}:{line}: the boot output has no line like {expected[0]!r}:\n" +
                          "\n".join(boot_log))
    if not matches(expected, boot_log[start:]):
        normal = [STAMP.sub("[T]", l.rstrip()) for l in boot_log]
        missing = [e for e in expected if e.strip() != "..." and
                   not any(line_regex(e).match(l) for l in normal)]
        raise TestFailure(f"{doc}:{line}: " +
                          (f"nothing in the boot is like {missing[0]!r}" if missing
                           else "the lines are all there, but not in this order") +
                          "\n--- the boot printed:\n" + "\n".join(boot_log[start:]) +
                          "\n--- the doc says:\n" + "\n".join(expected))


def boot_test(config, doc, line, text):
    def run(m):
        configure(m, config, "readme")
        m.start().wait_for_prompt()
        before, steps = split(text, "pagelab> ")
        check_boot_output(doc, line, before, m.text().splitlines())
        for command, expected in steps:
            check_output(doc, line, command, expected, m.run(command))
    return run


for config, doc, line, text in blocks():
    name = "-".join(re.sub(r"\s+", "_", w) for w in shlex.split(config))
    TESTS.append((f"readme_quoted_output[{doc}:{line}-{name}]", boot_test(config, doc, line, text),
                  {}))
