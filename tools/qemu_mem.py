# SPDX-License-Identifier: MIT
"""The least guest memory each firmware boots pagelab in, and the check against it.

One place for the numbers: the Makefile's run targets call this file before they start
QEMU, and tests/qemu/machine.py imports it before it does.

The minimums were found by booting build/pagelab.img on this project's QEMU (7.2) and
firmware (Debian 12's OVMF 2022.11 and SeaBIOS 1.16) in steps, on both chipsets:

  OVMF     32M: OVMF itself faults (an X64 exception dump, then nothing)
           40M: "BdsDxe: No bootable option or device was found"
           48M: falls through to iPXE
        50-55M: the loader runs, "error: no memory for the kernel image" (q35; pc boots at 54M)
           56M: the prompt, on q35 and pc
  SeaBIOS   4M: "pagelab loader: error" (stage 2 finds too little RAM)
            6M: the prompt, on q35 and pc

    python3 tools/qemu_mem.py uefi 32M "make run"   # exit 0 if enough, else 1 with the
                                                     # message, "make run: " before it
"""

import re
import sys

MIN_MIB = {"uefi": 56, "bios": 6}
NAMES = {"uefi": "OVMF", "bios": "SeaBIOS"}


def mebibytes(mem):
    """QEMU's -m value in MiB ("512M", "2G", "1024", "size=1G,slots=2"), or None if this
    cannot read it (QEMU then says what is wrong)."""
    m = re.fullmatch(r"(?:size=)?(\d+(?:\.\d+)?)([kKmMgGtT]?)[bB]?(?:,.*)?", mem.strip())
    if not m:
        return None
    scale = {"k": 1 / 1024, "": 1, "m": 1, "g": 1024, "t": 1024 * 1024}[m.group(2).lower()]
    return float(m.group(1)) * scale


def too_little(firmware, mem):
    """None if `mem` is enough for `firmware` ("uefi" or "bios"), else the message why not."""
    mib = mebibytes(mem)
    least = MIN_MIB[firmware]
    if mib is None or mib >= least:
        return None
    other = "bios" if firmware == "uefi" else "uefi"
    return (f"MEM={mem} is too little for {NAMES[firmware]}: it needs at least {least}M to "
            f"boot pagelab ({NAMES[other]} needs {MIN_MIB[other]}M)")


def main(argv):
    if len(argv) not in (3, 4) or argv[1] not in MIN_MIB:
        print("usage: qemu_mem.py uefi|bios MEM [WHO]", file=sys.stderr)
        return 2
    why = too_little(argv[1], argv[2])
    if why:
        who = argv[3] + ": " if len(argv) == 4 else ""
        print(f"{who}{why}; nothing was started", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
