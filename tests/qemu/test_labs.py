# SPDX-License-Identifier: MIT
"""The labs' quoted outputs of the finished kernel stay true: every marked block of
docs/labs/*.md (see labdocs.py for the marker and how a block is replayed), one boot per
configuration.  The blocks that quote a started lab (", stubs") are lab-verify's.
"""

import re
import shlex

from labdocs import blocks, configure, replay_boot, replay_host
from machine import TESTS


def boot_test(config, found):
    def run(m):
        configure(m, config, "lab-docs")
        m.start().wait_for_prompt()
        replay_boot(m, found)
    return run


def host_test(found):
    def run(m):
        replay_host(found)
    return run


for config, found in blocks().items():
    if config == "host":
        TESTS.append(("lab_docs_host_commands", host_test(found), {}))
    else:
        name = "-".join(re.sub(r"\s+", "_", w) for w in shlex.split(config))
        TESTS.append((f"lab_docs_quoted_output[{name}]", boot_test(config, found), {}))
