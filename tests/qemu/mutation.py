#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Kernel-image mutation test: damage KERNEL.ELF at random, boot, and judge the end.

Every mutated kernel must either reach the prompt or be refused by the loader with a
`pagelab loader: error:` line; anything else (QEMU resetting, which -no-reboot turns
into an exit, or no word before the timeout) is a silent death.  Two kinds alternate:

  header:   1-3 random bytes of the ELF header and program headers, then the file's
            checksum made to match again (tools/kernel_seal.py reseal_file_only), so
            the ELF check and the sealed layout are what stands in the way;
  anywhere: 1-3 random bytes anywhere in the file, the seal included, as they are.

The mutations come from --seed alone, so a run is reproducible, and the same list is
booted on each firmware; --only N boots mutation N and prints its serial log.

usage: mutation.py [--seed S] [--count N] [--firmwares uefi,bios] [--jobs N] [--only N]
                   [--kernel FILE --image IMG]   (another build's kernel and image)
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import struct
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import (BOOT_TIMEOUT, IMAGE, KERNEL_FILE, PROMPT, Machine, image_variant,  # noqa: E402
                     kernel_seal)

LOADER_ERROR = re.compile(r"pagelab loader: error: (.*)\n")
# How long a boot may take to say something: OVMF alone needs ~5 s under TCG, SeaBIOS
# and stage 2 about one, but on a shared host both took over 30 s (a SeaBIOS boot once
# timed out at 30 s and was refused in words when booted again), so the QEMU tests' limit.
TIMEOUT = {"uefi": BOOT_TIMEOUT, "bios": BOOT_TIMEOUT}


def mutations(sealed, seed, count):
    """The list of (kind, [(offset, new byte)], kernel bytes) that `seed` gives."""
    rng = random.Random(seed)
    try:
        elf, _ = kernel_seal.unseal(sealed)
    except ValueError:  # a kernel from before the seal (--kernel): nothing to re-seal
        elf = sealed
    phoff, = struct.unpack_from("<Q", elf, 32)
    phnum, = struct.unpack_from("<H", elf, 56)
    headers_end = max(64, phoff + 56 * phnum)
    out = []
    for i in range(count):
        kind = "header" if i % 2 == 0 else "anywhere"
        target = bytearray(elf if kind == "header" else sealed)
        span = headers_end if kind == "header" else len(target)
        changes = []
        for at in rng.sample(range(span), rng.randint(1, 3)):
            target[at] ^= rng.randrange(1, 256)  # never the byte it was
            changes.append((at, target[at]))
        data = bytes(target)
        if kind == "header" and elf is not sealed:
            data = kernel_seal.reseal_file_only(sealed, data)
        out.append((kind, sorted(changes), data))
    return out


def boot(firmware, kernel, workdir, base):
    """Boot `kernel` as KERNEL.ELF in a copy of the image `base`: ("booted" | "refused" |
    "silent", detail, serial log)."""
    m = Machine(firmware=firmware, machine="q35" if firmware == "uefi" else "pc")
    m.image = image_variant(f"mutant-{threading.get_ident()}", kernel_bytes=kernel,
                            base=base, directory=workdir)
    try:
        m.start()
        deadline = time.monotonic() + TIMEOUT[firmware]
        while True:
            text = m.text()
            if PROMPT in text:
                return "booted", "", text
            refused = LOADER_ERROR.search(text)
            if refused:
                return "refused", refused.group(1).strip(), text
            if "---[ end Kernel panic" in text:  # loud, but not the loader's word: no wait
                return "silent", f"the kernel panicked ({last_words(text)})", text
            left = deadline - time.monotonic()
            if left <= 0:
                return "silent", f"no prompt and no loader error in {TIMEOUT[firmware]} s " \
                                 f"({last_words(text)})", text
            if not m._pump(min(left, 0.5)):
                return "silent", f"QEMU exited, status {m.proc.wait()} (a reset under " \
                                 f"-no-reboot; {last_words(text)})", m.text()
    finally:
        m.stop()
        os.unlink(m.image)


def last_words(text):
    """The guest's last line, to tell a kernel panic from nothing at all."""
    lines = [line for line in text.splitlines() if line.strip()]
    return f"last line: {lines[-1][:100]!r}" if lines else "nothing printed"


def run(seed, count, firmwares, jobs, only=None, report=print, kernel=KERNEL_FILE, base=IMAGE):
    """Boot the mutations of `kernel` on each firmware, each in a copy of the image
    `base`; returns {firmware: [(index, kind, changes, verdict, detail, log)]}."""
    with open(kernel, "rb") as f:
        sealed = f.read()
    todo = mutations(sealed, seed, count)
    indices = [only] if only is not None else range(len(todo))
    workdir = tempfile.mkdtemp(prefix="pagelab-mutants-")
    results = {}
    try:
        for firmware in firmwares:
            def one(i):
                kind, changes, data = todo[i]
                return (i, kind, changes) + boot(firmware, data, workdir, base)
            with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
                results[firmware] = []
                for r in pool.map(one, indices):
                    results[firmware].append(r)
                    if r[3] == "silent":
                        report(f"SILENT {firmware} #{r[0]} {describe(r)}: {r[4]}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def describe(r):
    """One mutation, as `#index kind offset=byte ...`, for reproducing it."""
    return f"{r[1]} " + " ".join(f"0x{at:x}=0x{byte:02x}" for at, byte in r[2])


def summary(results):
    """The counts per firmware, and which messages refused how many."""
    lines = ["| firmware | mutations | booted | refused with a message | silent |",
             "|---|---|---|---|---|"]
    for firmware, rows in results.items():
        n = {v: sum(1 for r in rows if r[3] == v) for v in ("booted", "refused", "silent")}
        lines.append(f"| {firmware} | {len(rows)} | {n['booted']} | {n['refused']} | "
                     f"{n['silent']} |")
    for firmware, rows in results.items():
        lines.append(f"\n{firmware}: refused by")
        messages = {}
        for r in rows:
            if r[3] == "refused":
                # Without the UEFI loader's status, "(Load Error)", so the firmwares compare.
                message = re.sub(r" \([A-Z][A-Za-z ]+\)$", "", r[4])
                key = (r[1], re.sub(r"^.*is not a valid kernel: ", "", message))
                messages[key] = messages.get(key, 0) + 1
        for (kind, message), n in sorted(messages.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {n:4d}  {kind:8s} {message}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--firmwares", default="uefi,bios")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", type=int, help="boot mutation N alone and print its serial log")
    ap.add_argument("--kernel", default=KERNEL_FILE, help="the kernel file to mutate")
    ap.add_argument("--image", default=IMAGE, help="the image to put each mutant in")
    args = ap.parse_args()
    if not os.path.exists(IMAGE):
        print(f"{IMAGE} is missing: run `make` first", file=sys.stderr)
        return 1
    t0 = time.monotonic()
    results = run(args.seed, args.count, args.firmwares.split(","), args.jobs, args.only,
                  kernel=args.kernel, base=args.image)
    if args.only is not None:
        for firmware, rows in results.items():
            r = rows[0]
            print(f"----- {firmware} #{r[0]} {describe(r)}: {r[3]} {r[4]}\n{r[5]}")
        return 0
    print(summary(results))
    silent = sum(1 for rows in results.values() for r in rows if r[3] == "silent")
    print(f"\nseed {args.seed}, {args.count} mutations per firmware, {silent} silent "
          f"({time.monotonic() - t0:.0f} s)")
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main())
