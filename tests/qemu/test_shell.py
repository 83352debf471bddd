# SPDX-License-Identifier: MIT
"""The shell as a person uses it: line editing, history, Tab, errors, oopses, the idle CPU,
the screen and the keyboard.  Every test runs on both firmware paths (ONE_OF_EACH)."""

import os
import re
import time

from machine import ONE_OF_EACH, PROMPT, ROOT, TestFailure, check, test

P = re.escape(PROMPT)

# Keys as a terminal sends them.
LEFT, RIGHT, UP, DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"
HOME_VT, END_VT = "\x1b[1~", "\x1b[4~"


def ctrl(c):
    return chr(ord(c.upper()) - 0x40)


def typed(m, keys, line, timeout=30):
    """Send `keys` (ending in Enter) and check that the command printed exactly `line`."""
    m.send(keys)
    m.expect(r"\n" + re.escape(line) + r"\n" + P, timeout)


# ---- line editing ----

EDITS = [
    # (what is typed, what `echo` must print)
    ("echo hllo" + LEFT * 3 + "e\r", "hello"),                      # insert in the middle
    ("cho x" + HOME + "e" + END + "y\r", "xy"),                      # Home / End
    ("cho x" + HOME_VT + "e" + END_VT + "y\r", "xy"),                # the ESC [ 1~ / 4~ forms
    ("cho a" + ctrl("a") + "e" + ctrl("e") + "b\r", "ab"),           # Ctrl-A / Ctrl-E
    ("echo keep drop" + ctrl("b") * 5 + ctrl("k") + "\r", "keep"),   # Ctrl-B, Ctrl-K
    ("garbage" + ctrl("u") + "echo fresh\r", "fresh"),               # Ctrl-U
    ("echo one two" + ctrl("w") + "three\r", "one three"),           # Ctrl-W
    ("echo abxc" + LEFT * 2 + DELETE + "\r", "abc"),                 # Delete
    ("echo abxc" + LEFT + "\x7f\r", "abc"),                          # Backspace (DEL) mid-line
    ("echo abxc" + LEFT + "\b\r", "abc"),                            # Backspace (BS)
    ("echo abxc" + LEFT * 2 + ctrl("d") + "\r", "abc"),              # Ctrl-D
    ("echo one two" + "\x1bb" + "X\r", "one Xtwo"),                  # Alt-B
    ("echo ab" + LEFT * 2 + RIGHT + ctrl("f") + "c\r", "abc"),       # Right, Ctrl-F
    ("echo x" + "\x1b[1;5D" + "\x1b[99Z" + "y\r", "yx"),             # unknown escapes swallowed
    ("echo cut\x1b[\r", "cut"),                                       # ESC [ then Enter: Enter
]


@test(*ONE_OF_EACH)
def line_editor_keys(m):
    """Escape sequences and control keys edit the line; the edited line is what runs."""
    m.start().wait_for_prompt()
    for keys, line in EDITS:
        try:
            typed(m, keys, line)
        except TestFailure as e:
            raise TestFailure(f"typing {keys!r}: {e}")
    m.send("echo never" + ctrl("c"))                   # Ctrl-C abandons the line
    m.expect(r"\^C\n" + P)
    m.send("echo never\x1b[" + ctrl("c"))              # ... even after an unfinished escape
    m.expect(r"\^C\n" + P)
    m.send("echo after-clear" + ctrl("l") + "\r")      # Ctrl-L clears and redraws
    m.expect(r"\n" + "after-clear" + r"\n" + P)
    check("\x1b[H\x1b[2J" in m.raw.decode(errors="replace"), "Ctrl-L sent no clear-screen")
    check("never\n" not in m.text(), "the Ctrl-C'd line ran")


@test(*ONE_OF_EACH)
def long_lines(m):
    """255 characters fit; one more is refused with a message, and nothing overflows."""
    m.start().wait_for_prompt()
    word = "x" * (255 - len("echo "))
    typed(m, "echo " + word + "\r", word)
    m.send("echo " + word + "y" + LEFT * 10 + "zz\r")  # refused even when typed mid-line
    m.expect(r"line too long \(at most 255 characters\); ignored\n" + P)
    m.send("y" * 3000 + "\r")
    m.expect(r"line too long \(at most 255 characters\); ignored\n" + P)
    typed(m, "echo still-alive\r", "still-alive")


@test(*ONE_OF_EACH)
def history_recall(m):
    """Up/Down and Ctrl-P/N recall earlier lines; a recalled line can be edited; `history`."""
    m.start().wait_for_prompt()
    typed(m, "echo first\r", "first")
    typed(m, "echo second\r", "second")
    typed(m, UP + UP + "\r", "first")                        # two back: first, second, first
    typed(m, UP + UP + UP + DOWN + "\r", "second")           # three back, one forward
    typed(m, ctrl("p") + " more\r", "second more")           # Ctrl-P, then edit it
    typed(m, "echo draft" + UP + DOWN + "\r", "draft")       # Down returns to the new line
    typed(m, ctrl("p") + ctrl("p") + ctrl("n") + "\r", "draft")  # Ctrl-N
    out = m.run("history")
    want = ["echo first", "echo second", "echo first", "echo second", "echo second more",
            "echo draft", "history"]
    got = re.findall(r"^ +(\d+)  (.*)$", out, re.M)
    check([g[1] for g in got] == want, f"history lists {got}, want {want}")
    check([int(g[0]) for g in got] == list(range(1, len(want) + 1)), f"numbering: {got}")
    out = m.run("history 2")
    check(re.findall(r"^ +\d+  (.*)$", out, re.M) == ["history", "history 2"], f"history 2:\n{out}")
    m.run("history -c")                                      # a sub-command beside the count
    out = m.run("history")
    check(re.findall(r"^ +(\d+)  (.*)$", out, re.M) == [("1", "history")], f"after -c:\n{out}")


@test(*ONE_OF_EACH)
def tab_completion(m):
    """Tab completes command names and sub-commands, and lists the choices when ambiguous."""
    m.start().wait_for_prompt()
    m.send("upt\t\r")                                   # unique: completed and run
    m.expect(r"\n(\d+\.\d\d) (\d+\.\d\d)\n" + P)
    typed(m, "ech\tdone\r", "done")                     # completion adds the space
    m.send("help\tupt\t\r")                             # help <Tab> offers commands
    m.expect(r"usage: uptime \[-p\]\n")
    m.expect(P)
    m.send("h\t")                                       # ambiguous: list, then redraw
    m.expect(r"\nhelp  history  highmem  held\n" + P + "h")
    m.send(ctrl("u") + "crash \t")                      # sub-commands
    m.expect(r"\npf  ud  gp  irq\n" + P + "crash ")
    m.send(ctrl("c"))
    m.expect(r"\^C\n" + P)
    m.send("uptime -\t\r")                              # a unique sub-command
    m.expect(r"\nup 0 hours, 0 minutes, \d+ seconds\n" + P)
    m.send("zzz\t\r")                                   # nothing matches: a bell, no change
    m.expect(r"pagelab: zzz: command not found")


# ---- errors: every command, table-driven ----

BAD_ARGUMENTS = [
    # (line, what the error must say)
    ("frobnicate", r"^pagelab: frobnicate: command not found \(type 'help' for the list\)$"),
    ("help nosuch", r"^help: no such command 'nosuch'"),
    ("help a b", r"^help: unexpected argument 'b'\nusage: help \[command\]$"),
    ("version now", r"^version: unexpected argument 'now'\nusage: version$"),
    ("cmdline x", r"^cmdline: unexpected argument 'x'"),
    ("uptime -x", r"^uptime: unknown option '-x' \(expected -p\)$"),
    ("uptime -p x", r"^uptime: unexpected argument 'x'"),
    ("dmesg x", r"^dmesg: unexpected argument 'x'"),
    ("memmap please", r"^memmap: unexpected argument 'please'\nusage: memmap$"),
    ("bootinfo x", r"^bootinfo: unexpected argument 'x'"),
    ("history ten", r"^history: count 'ten' is not a number \(expected decimal, or hex with 0x\)$"),
    ("history 0", r"^history: count '0' is out of range \(expected 1 to 32\)$"),
    ("history 0x21", r"^history: count '0x21' is out of range \(expected 1 to 32\)$"),
    ("history 99999999999999999999", r"^history: count '99999999999999999999' is out of range"),
    ("history -5", r"^history: count '-5' is not a number"),
    ("clear x", r"^clear: unexpected argument 'x'"),
    ("crash boom", r"^crash: unknown fault 'boom' \(expected pf, ud, gp or irq\)$"),
    ("crash pf now", r"^crash: unexpected argument 'now'\nusage: crash \[pf\|ud\|gp\|irq\]$"),
    ("history -c x", r"^history: unexpected argument 'x'"),
    ("e820 bogus", r"^e820: unknown table 'bogus' \(expected firmware\)$"),
    ("memblock bogus", r"^memblock: unknown view 'bogus' \(expected memory, reserved or dump\)$"),
    ("highmem bogus", r"^highmem: unknown sub-command 'bogus' \(expected demo, touch, kmap, "
                      r"kunmap or pkmap\)$"),
    ("highmem kmap 0", r"^highmem: page count '0' is out of range \(expected 1 to 512\)$"),
    ("highmem kmap", r"^highmem: this boot has no HighMem zone \(x86-64 layout\)"),
    ("highmem kmap slot", r"^highmem: kmap slot needs the slot's number$"),
    ("highmem kunmap", r"^highmem: kunmap needs a slot, a range of slots \(0-9\) or all$"),
    ("highmem kunmap 512", r"^highmem: slot '512' is out of range \(expected 0 to 511\)$"),
    ("highmem kunmap all", r"^highmem: the shell holds no kmap$"),
    ("highmem pkmap now", r"^highmem: unexpected argument 'now'$"),
    ("highmem demo now", r"^highmem: unexpected argument 'now'$"),
    ("highmem kmap 3 now", r"^highmem: unexpected argument 'now'$"),
    ("highmem kunmap 1-2", r"^highmem: the shell holds nothing in slots 1-2$"),
    ("mempool bogus", r"^mempool: unknown sub-command 'bogus' \(expected demo or resize\)$"),
    ("mempool resize", r"^mempool resize: which min_nr\? \(mempool resize 12\)$"),
    ("mempool resize 99", r"^mempool resize: min_nr '99' is out of range \(expected 1 to 16\)$"),
    ("cache", r"^cache: missing argument \(expected <create\|alloc\|free\|destroy"),
    ("cache bogus", r"^cache: unknown subcommand 'bogus' \(expected create, alloc, free, destroy, "
                    r"shrink, info or validate\)$"),
    ("cache info", r"^usage: cache info <name> \.\.\.$"),
    ("cache info nosuch", r"^cache: no cache called 'nosuch' \(see slabinfo\)$"),
    ("slab nosuch", r"^slab: no cache called 'nosuch' \(see slabinfo\)$"),
    ("slubtest bogus", r"^slubtest: unknown experiment 'bogus' \(expected redzone, kmalloc-redzone, "),
    ("kmalloc 64 dirty", r"^kmalloc: unknown flag 'dirty' \(expected zero or dma\)$"),
    ("page", r"^page: missing argument \(expected <pfn>\)\nusage: page <pfn>$"),
    ("page zz", r"^page: frame number 'zz' is not a number \(expected decimal, or hex with 0x\)$"),
    ("vtop", r"^vtop: missing argument \(expected <vaddr>\)\nusage: vtop <vaddr>$"),
    ("vtop 0xffffffff8000000g", r"^vtop: address '0xffffffff8000000g' is not a number"),
    ("vtop 0x10000000000000000", r"^vtop: address '0x10000000000000000' is too large"),
    ("reboot now", r"^reboot: unexpected argument 'now'"),
    ("poweroff now", r"^poweroff: unexpected argument 'now'"),
    ("echo " + " ".join(["w"] * 16), r"^pagelab: too many words \(at most 16\)$"),
]


@test(*ONE_OF_EACH)
def bad_arguments_every_command(m):
    """Unknown commands and bad arguments: each error names the command and what it wanted.
    Besides the table, every command `help` lists is given one argument too many."""
    m.start().wait_for_prompt()
    commands = re.findall(r"^  (\S+) ", m.run("help"), re.M)
    check(len(commands) >= 10, f"help lists only {commands}")
    for line, want in BAD_ARGUMENTS:
        name = line.split()[0]
        if name not in commands and name != "frobnicate":
            continue  # a command another branch has not merged yet
        out = m.run(line)
        check(re.search(want, out, re.M), f"{line!r} printed:\n{out}\nwant /{want}/")
    for name in commands:
        usage = m.run(f"help {name}")
        u = re.search(rf"^usage: {re.escape(name)}(.*)$", usage, re.M)
        check(u, f"help {name} shows no usage:\n{usage}")
        check("examples:" in usage, f"help {name} shows no examples:\n{usage}")
        if name == "echo":
            continue  # takes any number of words up to the shell's limit
        line = name + " a" * 8
        out = m.run(line)
        named = re.escape(name)
        check(re.search(rf"^{named}: (unexpected argument 'a'|unknown \w+ 'a')", out, re.M)
              or re.search(rf"^{named}: .*'a'", out, re.M),
              f"{line!r} did not complain about its arguments:\n{out}")
    out = m.run("version")
    check(out.startswith("pagelab version"), "the shell is not well after the errors")


# ---- faults ----

@test(*ONE_OF_EACH)
def oops_in_command_returns_to_prompt(m):
    """A fault in a command prints the oops with a symbolized backtrace; the prompt returns."""
    m.start().wait_for_prompt()
    m.send("crash ud\r")
    m.expect(r"Oops: invalid opcode: 0000 \[#1\]")
    m.expect(r"CPU: 0 PID: 0 Comm: shell")
    m.expect(r"RIP: 0010:crash_ud\+0x[0-9a-f]+/0x[0-9a-f]+\n")     # crash's "ud" sub-command
    m.expect(r"Call Trace:\n(\[[ .0-9]+\] )? <TASK>\n")
    m.expect(r"(\[[ .0-9]+\] )? shell_execute\+0x[0-9a-f]+/0x[0-9a-f]+\n")
    m.expect(r"shell_run\+0x[0-9a-f]+/0x[0-9a-f]+\n")
    m.expect(r"start_kernel\+0x[0-9a-f]+/0x[0-9a-f]+\n")
    m.expect(r"</TASK>\n")
    m.expect(r"---\[ end trace 0000000000000000 \]---\n")
    m.expect(r"the command oopsed; back at the prompt")
    m.expect(P)
    out = m.run("version")
    check(out.startswith("pagelab version"), f"after the oops:\n{out}")
    m.send("crash gp\r")
    m.expect(r"Oops: general protection fault: 0000 \[#2\]")
    m.expect(P)
    typed(m, "echo alive\r", "alive")
    check("Kernel panic" not in m.text(), "a fault in a command panicked")


# ---- the idle CPU ----

@test(*ONE_OF_EACH)
def idle_cpu_is_low(m):
    """At the prompt the kernel sleeps in hlt: QEMU uses under 10% of a core over 10 s."""
    m.start().wait_for_prompt()
    time.sleep(1)
    c0, t0 = m.cpu_seconds(), time.monotonic()
    time.sleep(10)
    c1, t1 = m.cpu_seconds(), time.monotonic()
    percent = 100 * (c1 - c0) / (t1 - t0)
    print(f"  idle_cpu_is_low[{m.firmware}]: QEMU used {percent:.1f}% of one core over "
          f"{t1 - t0:.1f} s at the prompt", flush=True)
    check(percent < 10, f"QEMU used {percent:.1f}% of a core while pagelab was idle")
    up, idle = map(float, m.run("uptime").split())
    check(idle > 0.8 * (up - 2), f"uptime says {idle} s idle of {up} s: not halting?")


# ---- screen and keyboard ----

def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, dims, maxval, pixels = data.split(b"\n", 3)
    check(magic == b"P6" and maxval == b"255", f"{path}: not a P6 PPM")
    w, h = map(int, dims.split())
    return w, h, pixels


def load_font():
    """The kernel's glyphs, read from kernel/font_8x16.c: {char: [16 row bytes]}."""
    font = {}
    with open(os.path.join(ROOT, "kernel", "font_8x16.c")) as f:
        for code, rows in re.findall(r"\[(0x[0-9a-f]+) - FONT_FIRST\] = \{ ([^}]*) \}", f.read()):
            font[chr(int(code, 16))] = [int(b, 16) for b in rows.split(",")]
    return font


def check_screen(m, path, lines, cursor):
    """The screendump shows `lines` from the top; every other cell is blank."""
    w, h, px = read_ppm(path)
    if m.firmware == "bios":
        cols, rows = 80, 25               # VGA text mode: the card's own font
        cw, ch = w // cols, h // rows
        font = None
    else:
        cw, ch = 8, 16                    # pagelab's font on the GOP framebuffer
        cols, rows = w // cw, h // ch
        font = load_font()

    def ink(x, y):
        i = (y * w + x) * 3
        return px[i:i + 3] != b"\0\0\0"

    for r in range(rows):
        text = lines[r] if r < len(lines) else ""
        for c in range(cols):
            if (r, c) == cursor:
                continue                  # the cursor block (or VGA's blinking underline)
            char = text[c] if c < len(text) else " "
            cell = [[ink(c * cw + x, r * ch + y) for x in range(cw)] for y in range(ch)]
            has_ink = any(any(row) for row in cell)
            check(has_ink == (char != " "), f"screen cell ({r},{c}) should show {char!r} "
                  f"but is {'inked' if has_ink else 'blank'}")
            if font and char != " ":
                want = [[bool(font[char][y] & (0x80 >> x)) for x in range(8)] for y in range(16)]
                check(cell == want, f"screen cell ({r},{c}) is not the glyph for {char!r}")
    return cols, rows


@test(*ONE_OF_EACH)
def screen_shows_the_command(m):
    """QMP screendump after a command: its text is rendered in the expected rows (UEFI:
    pixel for pixel in pagelab's font; BIOS: ink exactly in the expected VGA text cells)."""
    m.start().wait_for_prompt()
    m.run("clear")
    m.run("echo Screen-Test 0123 [ok]")
    time.sleep(0.3)
    path = os.path.join(m.tmpdir, "screen.ppm")
    m.qmp("screendump", filename=path)
    cols, rows = check_screen(m, path, [PROMPT + "echo Screen-Test 0123 [ok]",
                                        "Screen-Test 0123 [ok]", PROMPT], (2, len(PROMPT)))
    # Scrolling: fill more than a screen, the last lines stay at the bottom.
    m.run("clear")
    for i in range(rows + 3):
        m.run(f"echo line-{i}")
    time.sleep(0.3)
    m.qmp("screendump", filename=path)
    expect = []
    for i in range(rows + 3):
        expect += [f"{PROMPT}echo line-{i}", f"line-{i}"]
    expect = (expect + [PROMPT])[-rows:]
    check_screen(m, path, expect, (rows - 1, len(PROMPT)))


def send_keys(m, text):
    """Type `text` on the PS/2 keyboard through QMP send-key."""
    names = {" ": "spc", "-": "minus", "\r": "ret", ".": "dot", "/": "slash"}
    for ch in text:
        if ch.isupper():
            keys = ["shift", ch.lower()]
        elif ch == "_":
            keys = ["shift", "minus"]
        else:
            keys = [names.get(ch, ch)]
        m.qmp("send-key", keys=[{"type": "qcode", "data": k} for k in keys], **{"hold-time": 10})


@test(*ONE_OF_EACH)
def keyboard_typing(m):
    """Typing in the QEMU window: PS/2 keys become the same input as the serial line."""
    m.start().wait_for_prompt()
    send_keys(m, "echo Key_board-1\r")
    m.expect(r"\nKey_board-1\n" + P)
    send_keys(m, "echo ac")                                  # arrows and editing keys
    m.qmp("send-key", keys=[{"type": "qcode", "data": "left"}])
    send_keys(m, "b")
    m.qmp("send-key", keys=[{"type": "qcode", "data": "home"}])
    m.qmp("send-key", keys=[{"type": "qcode", "data": "delete"}])
    send_keys(m, "e")
    m.qmp("send-key", keys=[{"type": "qcode", "data": "ctrl"}, {"type": "qcode", "data": "e"}])
    send_keys(m, "d\r")
    m.expect(r"\nabcd\n" + P)
    send_keys(m, "hist")                                     # Tab on the keyboard
    m.qmp("send-key", keys=[{"type": "qcode", "data": "tab"}])
    send_keys(m, "\r")
    m.expect(r"\n +1  echo Key_board-1\n +2  echo abcd\n +3  history ?\n" + P)


# ---- make debug ----

def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@test(*ONE_OF_EACH)
def gdb_breaks_in_a_command(m):
    """What `make debug` sets up: QEMU halted with a GDB stub, gdb with tools/gdbinit and
    the kernel's symbols, a hardware breakpoint on start_kernel through the firmware and
    the loader, then a software breakpoint in a shell command that the serial line runs."""
    import subprocess
    port = free_port()
    m.extra += ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]
    m.start()
    time.sleep(0.5)
    kernel = os.path.join(os.path.dirname(m.image), "kernel.elf")
    gdb = subprocess.Popen(
        ["gdb", "-q", "-batch", "-nx", "-ex", f"file {kernel}",
         "-ex", f"target remote 127.0.0.1:{port}", "-x", os.path.join(ROOT, "tools", "gdbinit"),
         "-ex", "hbreak start_kernel", "-ex", "continue",
         "-ex", "break cmd_uptime", "-ex", "continue",
         "-ex", "bt", "-ex", "print argc", "-ex", "print argv[0]",
         "-ex", "print/x boot_info->fb.type"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        m.wait_for_prompt()
        m.send("uptime\r")
        out, _ = gdb.communicate(timeout=120)
    finally:
        if gdb.poll() is None:
            gdb.kill()
    m.raw += b"\n----- gdb -----\n" + out.encode()
    check(re.search(r"Hardware assisted breakpoint 1 at .*\n(.*\n)*Breakpoint 1, start_kernel", out),
          f"no stop at start_kernel:\n{out}")
    check(re.search(r"Breakpoint 2, cmd_uptime", out), f"no stop in cmd_uptime:\n{out}")
    check(re.search(r"#1 .* shell_execute", out), f"backtrace:\n{out}")
    check(re.search(r"\$1 = 1\n\$2 = 0x[0-9a-f]+ (<\w+> )?\"uptime\"", out),
          f"arguments:\n{out}")
    want_fb = "0x2" if m.firmware == "bios" else "0x1"
    check(re.search(rf"\$3 = {want_fb}\b", out), f"boot_info->fb.type:\n{out}")
    m.expect(r"\n\d+\.\d\d \d+\.\d\d\n" + P)  # gdb detached: the command finished
