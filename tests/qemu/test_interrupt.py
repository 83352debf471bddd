# SPDX-License-Identifier: MIT
"""Ctrl-C stops a long command at its next safe point and leaves memory as it was.

A command has no process to kill: it polls signal_pending() (include/kernel/signal.h)
between two steps that leave everything consistent, undoes what it holds and returns.
These tests type Ctrl-C into a long `stress` and into `selftest` over the serial line
(and once on the PS/2 keyboard), want the prompt back, then check that no page went
missing (MemFree after draining the per-cpu lists, the buddy free lists as before) and
that the allocator's own consistency check passes.
"""

import re
import time

from machine import ONE_OF_EACH, PROMPT, check, test

CTRL_C = "\x03"
BACK_WITHIN = 60  # seconds from Ctrl-C to the prompt: generous, for a loaded host


def memory_state(m):
    """(MemFree in kB, buddyinfo) with the per-cpu lists drained into the buddy lists."""
    m.run("drain")
    meminfo = m.run("meminfo")
    free = re.search(r"^MemFree: +(\d+) kB$", meminfo, re.M)
    check(free, f"meminfo has no MemFree line:\n{meminfo}")
    return int(free.group(1)), m.run("buddyinfo")


def check_consistent(m, before):
    """Memory is as `before` (memory_state) and the buddy suite's free-list walk passes."""
    after = memory_state(m)
    check(after[0] == before[0], f"MemFree was {before[0]} kB, now {after[0]} kB")
    check(after[1] == before[1], f"the free lists changed:\n{before[1]}\nnow:\n{after[1]}")
    out = m.run("selftest buddy.free_lists_are_consistent")
    check(re.search(r"^    ok 1 free_lists_are_consistent$", out, re.M) and "not ok" not in out,
          f"the free lists are not consistent after Ctrl-C:\n{out}")


@test(*ONE_OF_EACH)
def ctrl_c_stops_a_long_stress(m):
    """100 million operations (minutes under TCG), Ctrl-C after a second: the prompt
    comes back, every block is freed, and what was typed meanwhile is still there."""
    m.start().wait_for_prompt()
    before = memory_state(m)
    m.send("stress 100000000\r")
    m.expect(r"stress 100000000\n")
    time.sleep(1)
    # Typed while stress runs: waits in the input queue; only the Ctrl-C is taken out.
    m.send("echo typed during stress")
    m.send(CTRL_C)
    start = m.pos
    m.expect(re.escape(PROMPT), BACK_WITHIN)
    out = m.text()[start:m.pos]
    done = re.search(r"^stress: interrupted after (\d+) of 100000000 operations$", out, re.M)
    check(out.startswith("^C\n"), f"no ^C echoed first:\n{out}")
    check(done and 0 < int(done.group(1)) < 100000000, f"stress did not say it stopped:\n{out}")
    check(re.search(r"^identical to before: yes$", out, re.M),
          f"the free lists after the interrupted stress differ from before:\n{out}")
    # The line editor shows what was typed ahead, as the start of the next line.
    m.expect(re.escape("echo typed during stress"))
    m.send("\r")
    m.expect(r"\ntyped during stress\n")
    m.expect(re.escape(PROMPT))
    check_consistent(m, before)


@test(*ONE_OF_EACH)
def ctrl_c_stops_selftest(m):
    """Enter and Ctrl-C in one write: the Ctrl-C is in the input ring before the run
    starts, or (the UART hands the guest one byte at a time, and a busy host may deliver
    it late) arrives during the first suites; either way the run stops there, every suite
    after it reports `# SKIP interrupted`, and the next run is not interrupted."""
    m.start().wait_for_prompt()
    m.run("selftest")  # the suites' first run makes caches they keep: count from after it
    before = memory_state(m)
    m.send("selftest")
    m.expect("selftest")
    m.send("\r" + CTRL_C)
    start = m.pos
    m.expect(re.escape(PROMPT), BACK_WITHIN)
    out = m.text()[start:m.pos]
    plan = re.search(r"^1\.\.(\d+)$", out, re.M)
    check(plan, f"no KTAP plan:\n{out}")
    suites = re.findall(r"^(?:not )?ok \d+ \S+.*$", out, re.M)
    check(len(suites) == int(plan.group(1)), f"not every suite reported:\n{out}")
    first = next((i for i, s in enumerate(suites) if s.endswith("# SKIP interrupted")), None)
    check(first is not None and all(s.endswith("# SKIP interrupted") for s in suites[first:]),
          f"the suites after the Ctrl-C were not all skipped:\n{out}")
    summary = re.search(r"^# selftest: interrupted \(Ctrl-C\): (\d+) of (\d+) cases did not run$",
                        out, re.M)
    check(summary and 0 < int(summary.group(1)) <= int(summary.group(2)),
          f"no summary of what did not run:\n{out}")
    check("^C" in out, f"no ^C echoed:\n{out}")
    check_consistent(m, before)
    # The signal was flushed with the command: the same suites run to the end now.
    out = m.run("selftest")
    check("interrupted" not in out and "not ok" not in out, f"selftest after Ctrl-C:\n{out}")


@test(*ONE_OF_EACH)
def ctrl_c_stops_selftest_between_two_cases(m):
    """Ctrl-C once the second suite has started: the first suite's results stand, the
    case that was running reports, the rest read `# SKIP interrupted`, memory is as it
    was.  The whole run takes well under a second, so the Ctrl-C can arrive after it
    ended (it then cancels an empty line at the prompt): up to three tries."""
    m.start().wait_for_prompt()
    m.run("selftest")  # the first run makes caches the suites keep afterwards
    before = memory_state(m)
    for _ in range(3):
        m.send("selftest\r")
        m.expect(r"selftest\n")
        start = m.pos
        m.expect(r"# Subtest: buddy\n")
        m.send(CTRL_C)
        m.expect(re.escape(PROMPT), BACK_WITHIN)
        out = m.text()[start:m.pos]
        if "# selftest: interrupted" in out:
            break
        print(f"  {m.firmware}-{m.machine}: the Ctrl-C came after selftest ended; again",
              flush=True)
        m.expect(r"\^C\n" + re.escape(PROMPT))  # too late: the line editor had it
    else:
        check(False, f"three runs of selftest all ended before the Ctrl-C arrived:\n{out}")
    check(re.search(r"^ok \d+ mempool$", out, re.M),
          f"the suite before the Ctrl-C did not stand:\n{out}")
    results = re.findall(r"^(?:not )?ok \d+ ", out, re.M)
    plan = re.search(r"^1\.\.(\d+)$", out, re.M)
    check(plan and len(results) == int(plan.group(1)),
          f"{len(results)} suite results for a plan of {plan and plan.group(1)}:\n{out}")
    summary = re.search(r"^# selftest: interrupted \(Ctrl-C\): (\d+) of (\d+) cases did not run$",
                        out, re.M)
    check(summary and 0 < int(summary.group(1)) < int(summary.group(2)),
          f"the summary does not say part of the run was done:\n{out}")
    check_consistent(m, before)


@test(("bios", "pc"))
def ctrl_c_on_the_ps2_keyboard_stops_stress(m):
    """The keyboard's Ctrl-C is the same byte on the same path (kbd_interrupt)."""
    m.start().wait_for_prompt()
    m.send("stress 100000000\r")
    m.expect(r"stress 100000000\n")
    time.sleep(1)
    m.qmp("send-key", keys=[{"type": "qcode", "data": "ctrl"}, {"type": "qcode", "data": "c"}],
          **{"hold-time": 10})
    start = m.pos
    m.expect(re.escape(PROMPT), BACK_WITHIN)
    out = m.text()[start:m.pos]
    check(re.search(r"^stress: interrupted after \d+ of 100000000 operations$", out, re.M) and
          re.search(r"^identical to before: yes$", out, re.M), f"stress did not stop cleanly:\n{out}")
