# SPDX-License-Identifier: MIT
"""Every CPU QEMU gives comes up, from both loaders, and runs shell commands (docs/mm/smp.md).

Each test boots with several vCPUs (QEMU's -smp), checks Linux's bring-up lines and
`cpus`, then runs the quick `selftest smp` suite on every CPU with `on N`.  Under TCG
each vCPU is a host thread, so an 8-vCPU guest on a 2-core host is slow: the 8-CPU
boots run one of each firmware only.
"""

import re
import time

from machine import BOOT_TIMEOUT, check, image_variant, test

SMP_SUITE_PASSED = "# smp: pass:5 fail:0 skip:0 total:5"


def check_cpus_up(m, online, possible=None):
    """The boot log and `cpus` say `online` CPUs run (of `possible`)."""
    possible = possible or online
    log = m.text()
    check("smp: Bringing up secondary CPUs ..." in log, "no 'Bringing up secondary CPUs' line")
    if online > 1:
        check("smpboot: x86: Booting SMP configuration:" in log, "no 'Booting SMP configuration'")
        ids = " ".join(f"#{n}" for n in range(1, online))
        check(re.search(r"\.\.\.\. node  #0, CPUs: +" + re.escape(ids) + r"\n", log),
              f"no '.... node  #0, CPUs: {ids}' line")
    plural = "s" if online > 1 else ""
    check(f"smp: Brought up 1 node, {online} CPU{plural}\n" in log,
          f"no 'smp: Brought up 1 node, {online} CPU{plural}' line")
    cpus = m.run("cpus")
    check(f"{online} of {possible} possible CPUs online" in cpus, f"`cpus` says:\n{cpus}")
    loc = re.search(r"^LOC: (.*)  Local timer interrupts$", cpus, re.M)
    check(loc and len(loc.group(1).split()) == online, f"LOC has not {online} columns:\n{cpus}")
    return cpus


def check_every_timer_ticked(m):
    """Every online CPU's LOC count is above 0 (after the selftests: a fast boot can reach
    the prompt before the last CPU's first tick)."""
    cpus = m.run("cpus")
    loc = re.search(r"^LOC: (.*)  Local timer interrupts$", cpus, re.M)
    check(loc and all(int(n) > 0 for n in loc.group(1).split()), f"a timer never ticked:\n{cpus}")


def check_selftest_everywhere(m, online):
    for cpu in range(online):
        out = m.run(f"on {cpu} selftest smp", timeout=60)
        check(SMP_SUITE_PASSED in out and "not ok" not in out,
              f"`on {cpu} selftest smp` did not pass:\n{out}")
    check_every_timer_ticked(m)


def smp_boot(m, online, possible=None):
    m.start().wait_for_prompt()
    check_cpus_up(m, online, possible)
    check_selftest_everywhere(m, online)
    out = m.run(f"on {online - 1} cpus")
    check(re.search(rf"^ +{online - 1} +\d+ +online \(this one\)$", out, re.M),
          f"`on {online - 1} cpus` did not run there:\n{out}")
    for bad in ("on 99 cpus", f"on {online + 20} uptime", "on -1 uptime", "on x uptime"):
        out = m.run(bad)
        check("is not an online CPU" in out, f"`{bad}` printed:\n{out}")
    check("0 passed" not in m.run("echo still here"), "the shell stopped answering")


@test(("uefi", "q35", 2), ("uefi", "pc", 2), ("bios", "q35", 2), ("bios", "pc", 2))
def smp2_every_cpu_up(m):
    """-smp 2 on both firmwares and both machines: 2 CPUs online, selftest on each."""
    smp_boot(m, 2)


@test(("uefi", "q35", 4), ("uefi", "pc", 4), ("bios", "q35", 4), ("bios", "pc", 4))
def smp4_every_cpu_up(m):
    """-smp 4 on both firmwares and both machines."""
    smp_boot(m, 4)


@test(("uefi", "q35", 8), ("bios", "pc", 8))
def smp8_every_cpu_up(m):
    """-smp 8, one of each firmware: the slowest under TCG on two host cores."""
    smp_boot(m, 8)


@test(("bios", "q35", 4))
def nr_cpus_limits_the_cpus_started(m):
    """nr_cpus=2 with 4 vCPUs: 2 possible and online, the other two reported and left off."""
    m.image = image_variant("nr-cpus-2", cmdline="console=ttyS0 nr_cpus=2\n")
    m.start().wait_for_prompt()
    check("CPU topo: Rejected CPUs 2" in m.text(), "no 'Rejected CPUs 2' line")
    check(re.search(r"smpboot: 2 CPUs beyond the limit of 2 \(NR_CPUS=\d+, nr_cpus=2\)", m.text()),
          "no line about the CPUs beyond nr_cpus")
    check_cpus_up(m, 2)
    check_selftest_everywhere(m, 2)


@test(("bios", "pc", 4), ("uefi", "q35", 4))
def a_cpu_that_never_answers_is_reported_and_skipped(m):
    """smpboot_silent=2 sends CPU 2 no IPI, so it never answers: after its 5 s the boot
    CPU reports it and starts CPU 3; `cpus` shows CPU 2 present but offline, `on 2`
    refuses with the online list as Linux prints one, and the per-cpu machinery works
    around the hole: `selftest smp` on CPU 3, `stress --cpus 3` on CPUs 0, 1 and 3 with
    its conservation check (drains by IPI must not wait for CPU 2)."""
    m.image = image_variant("smpboot-silent-2", cmdline="console=ttyS0 smpboot_silent=2\n")
    m.start().wait_for_prompt(timeout=BOOT_TIMEOUT + 10)
    check(re.search(r"smpboot: CPU2 \(APIC id 0x2\) did not come up \(no answer within 5 s\): "
                    r"skipped\n", m.text()), "no report of the silent CPU 2")
    check(re.search(r"\.\.\.\. node  #0, CPUs: +#3\n", m.text()), "CPU 3 was not started after it")
    check("smp: Brought up 1 node, 3 CPUs\n" in m.text(), "not 3 CPUs brought up")
    cpus = m.run("cpus")
    check("3 of 4 possible CPUs online" in cpus and
          re.search(r"^ +2 +2 +offline$", cpus, re.M), f"`cpus`:\n{cpus}")
    check(re.search(r"^ +CPU0 +CPU1 +CPU3 *$", cpus, re.M), f"not CPU0, CPU1, CPU3 columns:\n{cpus}")
    out = m.run("on 2 uptime")
    check("on: '2' is not an online CPU (3 online: 0-1,3; see cpus)" in out, f"`on 2 uptime`:\n{out}")
    out = m.run("on 3 selftest smp", timeout=60)
    check(SMP_SUITE_PASSED in out and "not ok" not in out, f"`on 3 selftest smp`:\n{out}")
    out = m.run("stress --cpus 3 100000", timeout=300)
    check("stress: conservation check passed" in out and
          [int(r) for r in re.findall(r"^ +(\d) +100000 ", out, re.M)] == [0, 1, 3],
          f"`stress --cpus 3`:\n{out}")


@test(("uefi", "q35", "2,maxcpus=4"))
def hotplug_slots_are_possible_not_present(m):
    """-smp 2,maxcpus=4: the MADT lists 4 CPUs, 2 enabled: 4 possible, 2 online."""
    m.start().wait_for_prompt()
    check("CPU topo: Allowing 2 present CPUs plus 2 hotplug CPUs" in m.text(),
          "no 'Allowing 2 present CPUs plus 2 hotplug CPUs' line")
    cpus = check_cpus_up(m, 2, 4)
    check(len(re.findall(r"^ +[23] +\d+ +offline$", cpus, re.M)) == 2, f"`cpus`:\n{cpus}")
    check_selftest_everywhere(m, 2)


@test(("bios", "q35", 2))
def on_survives_an_oops_and_ctrl_c(m):
    """`on 1 crash` oopses on CPU 1 and comes back to the prompt, with CPU 1 still
    serving; Ctrl-C stops a long `on 1 stress`; the prompt answers throughout."""
    m.start().wait_for_prompt()
    out = m.run("on 1 crash ud", timeout=60)
    check(re.search(r"\] CPU: 1 PID: 0 Comm: shell$", out, re.M), f"no oops from CPU 1:\n{out}")
    check("the command oopsed; back at the prompt" in out, f"`on 1 crash ud`:\n{out}")
    out = m.run("on 1 selftest smp", timeout=60)
    check(SMP_SUITE_PASSED in out, f"CPU 1 after its oops:\n{out}")
    m.send("on 1 stress 100000000\r")
    m.expect(r"on 1 stress 100000000\n")
    time.sleep(1)
    m.send("\x03")
    m.expect(r"pagelab> ", timeout=60)
    out = m.run("on 1 cpus", timeout=60)
    check("online (this one)" in out, f"CPU 1 after Ctrl-C:\n{out}")
