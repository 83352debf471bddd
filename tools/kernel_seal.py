#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seal the kernel file: append the record both loaders check before they jump.

The record (include/boot/seal.h, 32 bytes, little-endian) is the last thing in
KERNEL.ELF:

    0  magic "PLKSEAL1"
    8  u32 bytes of ELF file (everything before the record)
   12  u32 bytes the kernel occupies in memory
   16  u64 entry point as linked
   24  u32 CRC-32 of the kernel as laid out    -> headers that lay it out differently
                                                  are refused, even if the file's own
                                                  checksum was made to match
   28  u32 CRC-32 of everything before it     -> a file damaged anywhere is refused

The CRC is zlib's (the one in PNG and gzip; Linux's bzImage once carried the same).
The layout is elf_load_segments()'s: each loaded segment's file bytes at its offset from
KERNEL_VIRT_BASE, zeros elsewhere, up to the last segment's end rounded up to a page.

usage: kernel_seal.py IN.ELF OUT.ELF
"""

import struct
import sys
import zlib

MAGIC = b"PLKSEAL1"
LAYOUT = struct.Struct("<8sIIQI")  # the record without its last field, the CRC
KERNEL_VIRT_BASE = 0xFFFFFFFF80000000
PT_LOAD = 1


def loaded_segments(elf):
    """(offset, vaddr, filesz, memsz) of every segment the loaders lay out."""
    phoff, = struct.unpack_from("<Q", elf, 32)
    phnum, = struct.unpack_from("<H", elf, 56)
    for i in range(phnum):
        p_type, _, off, vaddr, _, filesz, memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", elf, phoff + 56 * i)
        if p_type == PT_LOAD and (filesz or memsz):
            yield off, vaddr, filesz, memsz


def layout(elf):
    """The kernel as both loaders put it in memory (what the image CRC covers)."""
    segments = list(loaded_segments(elf))
    end = max(vaddr + memsz for _, vaddr, _, memsz in segments)
    size = (end - KERNEL_VIRT_BASE + 4095) & ~4095
    image = bytearray(size)
    for off, vaddr, filesz, _ in segments:
        at = vaddr - KERNEL_VIRT_BASE
        image[at:at + filesz] = elf[off:off + filesz]
    return bytes(image)


RECORD_SIZE = LAYOUT.size + 4


def with_crc(data):
    """`data` and its CRC-32 after it."""
    return data + struct.pack("<I", zlib.crc32(data))


def seal(elf):
    """`elf` with its record appended."""
    entry, = struct.unpack_from("<Q", elf, 24)
    image = layout(elf)
    return with_crc(elf + LAYOUT.pack(MAGIC, len(elf), len(image), entry, zlib.crc32(image)))


def unseal(sealed):
    """(elf, its record's fields but the CRC) of a sealed file."""
    elf = sealed[:-RECORD_SIZE]
    fields = LAYOUT.unpack_from(sealed, len(elf))
    if fields[0] != MAGIC:
        raise ValueError("not a sealed kernel file")
    return elf, fields


def reseal_file_only(sealed_like, elf):
    """`elf` (a changed copy of a sealed file's ELF) with the original record, but its
    size and CRC made to match: what a tool that damaged the headers and then dutifully
    re-checksummed the file would leave.  The layout record stays the build's."""
    _, (magic, _, image_size, entry, image_crc) = unseal(sealed_like)
    return with_crc(elf + LAYOUT.pack(magic, len(elf), image_size, entry, image_crc))


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        elf = f.read()
    with open(sys.argv[2], "wb") as f:
        f.write(seal(elf))
    return 0


if __name__ == "__main__":
    sys.exit(main())
