# SPDX-License-Identifier: MIT
"""Time: the TSC's calibration and `uptime`, against the host's clock.

Under QEMU without KVM (-icount off) the guest's clocks follow the host's, so `uptime`
can be held against time.monotonic().  The calibration once trusted one 50 ms PIT
window; with the host busy, the virtual CPU was stopped in the middle of a reading
and the rate came out anywhere from 20 % low to 25 % high, and `uptime` with it.
"""

import re
import subprocess
import sys
import time

from machine import ONE_OF_EACH, check, test

TOLERANCE = 0.05  # uptime against the host clock, over INTERVAL seconds
INTERVAL = 10


def busy_host():
    """A process that keeps one host core busy until killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def uptime_at(m):
    """(host seconds, guest uptime seconds): the host time is the middle of the round
    trip, which is where the guest read its clock, give or take half of it."""
    t0 = time.monotonic()
    up = float(m.run("uptime").split()[0])
    return (t0 + time.monotonic()) / 2, up


@test(*ONE_OF_EACH)
def uptime_keeps_time_with_the_host_after_a_busy_boot(m):
    """A busy host process during boot, then uptime within 5 % of the host over 10 s."""
    busy = busy_host()
    try:
        m.start().wait_for_prompt()
    finally:
        busy.kill()
        busy.wait()
    out = m.run("dmesg")
    detected = re.search(r"\] tsc: Detected (\d+\.\d{3}) MHz processor$", out, re.M)
    refined = re.search(r"\] tsc: Refined TSC clocksource calibration: (\d+\.\d{3}) MHz "
                        r"\(PM timer, \d+ ms, within (\d+) ppm\)$", out, re.M)
    check(detected, f"dmesg: no Detected line:\n{out}")
    check(refined, f"dmesg: no Refined line (both QEMU machines have a PM timer):\n{out}")
    check(int(refined.group(2)) <= 500, f"the refinement claims only {refined.group(2)} ppm")
    host0, up0 = uptime_at(m)
    time.sleep(INTERVAL)
    host1, up1 = uptime_at(m)
    ratio = (up1 - up0) / (host1 - host0)
    print(f"  uptime[{m.firmware}-{m.machine}]: detected {detected.group(1)} MHz, refined "
          f"{refined.group(1)} MHz; {up1 - up0:.2f} s of uptime in {host1 - host0:.2f} s "
          f"of host time ({100 * (ratio - 1):+.2f} %)", flush=True)
    check(abs(ratio - 1) <= TOLERANCE,
          f"uptime advanced {up1 - up0:.2f} s while the host's clock advanced "
          f"{host1 - host0:.2f} s ({100 * (ratio - 1):+.1f} %)")
