#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of every harness into tests/fuzz/corpus/NAME/seed-*.

The seeds are small, valid inputs in each harness's format (described at the top of
tests/fuzz/fuzz_NAME.c), so libFuzzer starts from inputs that reach deep into the code
instead of spending its first minutes discovering a magic number.  Run it again after
changing a format:

    python3 tests/fuzz/make_seeds.py

Files named crash-* in a corpus are inputs that once broke something; this script
leaves them alone.
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MB = 1 << 20
KERNEL_VIRT_BASE = 0xFFFFFFFF80000000


def e820_rec(op, addr, size, typ):
    return struct.pack("<BQQI", op, addr, size, typ)


def seeds_e820():
    q35 = [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2),
           (0x100000, 0x1FEE0000, 1), (0x1FFE0000, 0x20000, 2), (0xFEFFC000, 0x4000, 2),
           (0xFFFC0000, 0x40000, 2)]
    yield "q35-512m", b"".join(e820_rec(0, *e) for e in q35)
    messy = [(MB * 8, MB * 8, 1), (0, MB, 1), (MB * 4, MB * 2, 2), (MB * 3, MB * 4, 3),
             (MB * 10, 0, 1), (MB * 12, MB, 12), (MB * 13, MB, 12), (MB * 20, MB, 0xEFFFFFFF),
             (0xFFFFFFFFFFFFF000, 0x1000, 1), (MB * 30, MB, 99)]
    yield "overlaps-and-odd-types", b"".join(e820_rec(0, *e) for e in messy)
    yield "update-and-remove", b"".join(e820_rec(0, *e) for e in q35) + \
        e820_rec(2, 0, 0x1000, 1 | 2 << 8) + e820_rec(3, 0xA0000, 0x60000, 2) + \
        e820_rec(7, MB * 64, MB, 0)
    yield "full-table", b"".join(e820_rec(0, i * 0x2000, 0x1000, 1 + i % 2) for i in range(140))


def efi_desc(typ, phys, pages, attr=0xF, stride=48):
    d = struct.pack("<IIQQQQ", typ, 0, phys, 0, pages, attr)
    return d + b"\xa5" * (stride - len(d))


def seeds_efi():
    ovmf = [(3, 0, 1), (7, 0x1000, 0x9F), (0, 0xA0000, 0x60), (7, 0x100000, 0x700),
            (10, 0x800000, 8), (7, 0x808000, 3), (4, 0x80B000, 1), (7, 0x80C000, 4),
            (9, 0x810000, 0xF0), (7, 0x900000, 0x1F000), (6, 0x1F900000, 0x100),
            (5, 0x1FA00000, 0x80), (11, 0xFFC00000, 0x400), (14, 0x100000000, 0x100),
            (8, 0x200000000, 1), (15, 0x300000000, 1), (7, 0xFFFFFFFFFFFFF000, 2)]
    for k, stride in ((1, 48), (0, 40), (3, 64)):
        yield "ovmf-stride%d" % stride, bytes([k]) + b"".join(
            efi_desc(*d, stride=stride) for d in ovmf)


def elf_file(segments, entry):
    phoff, n = 64, len(segments)
    data_off = phoff + 56 * n
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, 0, 0, 64, 56, n, 64, 0, 0)
    phdrs, blobs, off = b"", b"", data_off
    for typ, flags, vaddr, blob, memsz in segments:
        phdrs += struct.pack("<IIQQQQQQ", typ, flags, off if blob else 0, vaddr, vaddr,
                             len(blob), memsz, 0x1000)
        blobs += blob
        off += len(blob)
    return hdr + phdrs + blobs


def seeds_elf():
    b = KERNEL_VIRT_BASE
    yield "two-segments", elf_file([(1, 5, b, b"\x90" * 64, 0x1000),
                                    (1, 6, b + 0x1000, b"data" * 8, 0x3000)], b + 0x10)
    yield "bss-and-note", elf_file([(1, 5, b, b"\xc3" * 16, 0x800), (4, 4, 0, b"note", 4),
                                    (1, 6, b + 0x2000, b"", 0x5000)], b)
    yield "empty-load", elf_file([(1, 5, b + 0x1000, b"\xf4" * 8, 8), (1, 4, 0, b"", 0)],
                                 b + 0x1004)


def dirent(name83, attr, cluster, size):
    return name83.encode() + struct.pack("<BBBHHHHHHHI", attr, 0, 0, 0, 0, 0, cluster >> 16,
                                         0, 0, cluster & 0xFFFF, size)


def fat_disk(spc, kernel, cmdline):
    """A tiny FAT32 ESP at LBA 1: one FAT sector, clusters 2 (root), 3 (PAGELAB), the
    kernel's clusters, then CMDLINE.TXT's; the boot sector claims no more than exists."""
    cl = 512 * spc
    k_clusters = max(1, -(-len(kernel) // cl))
    nr = 2 + k_clusters + 1
    fat = [0x0FFFFFF8, 0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF]
    fat += [4 + i + 1 for i in range(k_clusters - 1)] + [0x0FFFFFFF, 0x0FFFFFFF]
    mbr = bytearray(512)
    mbr[446 + 4] = 0xEF
    mbr[446 + 8:446 + 16] = struct.pack("<II", 1, 2 + nr * spc)
    mbr[510:512] = b"\x55\xaa"
    bpb = bytearray(512)
    bpb[0:3] = b"\xeb\x58\x90"
    bpb[3:11] = b"pagelab "
    struct.pack_into("<HBHBHHBHHHIIIHHI", bpb, 11, 512, spc, 1, 1, 0, 0, 0xF8, 0, 0, 0, 0,
                     2 + nr * spc, 1, 0, 0, 2)
    bpb[510:512] = b"\x55\xaa"
    fatsec = b"".join(struct.pack("<I", x) for x in fat).ljust(512, b"\0")

    def cluster(data):
        return data.ljust(cl, b"\0")

    root = dirent("PAGELAB    ", 0x10, 3, 0) + dirent("README  TXT", 0x20, 0, 0)
    sub = dirent(".          ", 0x10, 3, 0) + dirent("KERNEL  ELF", 0x20, 4, len(kernel)) + \
        dirent("CMDLINE TXT", 0x20, 4 + k_clusters, len(cmdline))
    data = cluster(root) + cluster(sub)
    data += kernel.ljust(k_clusters * cl, b"\0") + cluster(cmdline)
    return bytes(mbr) + bytes(bpb) + fatsec + data


def seeds_fat():
    kernel = bytes((i * 37) & 0xFF for i in range(1300))
    yield "esp-1-sector-clusters", fat_disk(1, kernel, b"console=ttyS0 efi=debug\n")
    yield "esp-2-sector-clusters", fat_disk(2, kernel, b"slub_debug=FZ\n")


def seeds_cmdline():
    lines = [b"console=ttyS0", b"console=ttyS0 efi=debug slub_debug=FZPU,kmalloc-*;U,dentry",
             b"slab_debug=- zones=x86_32 vmalloc=256M memblock=debug page_poison=1",
             b"slub_debug quiet mem=1G memmap=64M$0x10000000 slub_debug=Z;-,kmalloc-64",
             b"\tmem=0x8000000  a= a=b efi\n"]
    for i, line in enumerate(lines):
        yield "line%d" % i, bytes([(i * 17) % 80]) + line


def seeds_shell_args():
    for i, arg in enumerate([b"4096", b"0x1000", b"64K", b"2m", b"0XfFg", b"dma32",
                             b"18446744073709551615", b"17179869184G", b"zero"]):
        yield "arg%d" % i, struct.pack("<QQ", 16, 1 << 40) + arg


def seeds_line_edit():
    yield "keys", b"help\r\nmem\tb\t\x1b[D\x1b[C\x01\x05\x0bx\x15\x17history\n"
    yield "history", b"one\rtwo\r\x1b[A\x1b[A\x1b[B\x10\x0e\x1bb\x1bf\x1b[3~\x1b[H\x1b[F\r"
    yield "long-line", b"a" * 300 + b"\r" + b"b" * 100 + b"\x03" + b"\x1b[1;5C\x1bOH\x0c\x7f\x08\r"
    yield "cut-escape", b"cr\tpf\t\x1b[\r\x1b\x03crash \t\t\x1b[12\x1b[2~\n"


def mb_rec(op, arg, a, b):
    return struct.pack("<BBQQ", op, arg, a, b)


def seeds_memblock():
    small = 0x80
    boot = [mb_rec(small | 0, 0, 0x1000, 0x9E000), mb_rec(small | 0, 0, MB, MB * 62),
            mb_rec(small | 3, 0, MB * 2, MB * 3), mb_rec(small | 3, 0, 0x9F000, 0x61000),
            mb_rec(small | 7, 24, 0, 0x3000), mb_rec(small | 8, 0, MB * 32, 0x2000),
            mb_rec(small | 9, 1, 0, 0), mb_rec(small | 7, 0x40 | 24, 0, 0x5000),
            mb_rec(small | 4, 0, MB * 2, MB), mb_rec(small | 10, 0, MB * 3, 0x1000),
            mb_rec(small | 2, 0, MB * 40, MB * 4), mb_rec(small | 5, 1, MB * 8, MB * 8)]
    yield "boot", b"".join(boot)
    yield "many-regions", b"".join(mb_rec(small | 3, 0, i * 0x3000, 0x1000)
                                   for i in range(300)) + mb_rec(small | 0, 0, 0, MB * 64)
    yield "top-of-memory", mb_rec(0, 0, 0xFFFFFFFFFFFFF000, 0x2000) + \
        mb_rec(1, 0x21, 0xFFFFFFFF00000000, 1 << 40) + mb_rec(6, 12, 0, 0) + \
        mb_rec(2, 0, 0xFFFFFFFFFFFFFFFF, 1)


def seeds_buddy():
    churn = bytearray()
    for i in range(200):
        churn += bytes([(i % 8) * 4 + (i % 2), (i * 37) & 0xFF])  # allocations, many gfps
        if i % 3 == 2:
            churn += bytes([2, (i * 11) & 0xFF])  # and frees
    yield "churn", bytes(churn)
    yield "big-blocks", bytes([1, 10, 1, 9 + 64, 5, 10 + 128, 2, 10, 7, 0, 2, 9 + 64])
    yield "zeroed-and-drain", bytes([3, 7, 11, 9, 19, 1, 7, 0, 2, 1, 2, 2, 7, 0])
    yield "exhaust-dma", bytes(b for i in range(64) for b in (1 + 4 * 7, i))


def sl_rec(op, a, b):
    return struct.pack("<BBH", op, a, b)


def seeds_slub():
    ops = [sl_rec(0, 0, 63), sl_rec(0 | 8 | 16 | 32 | 64 | 128, 1 | 4 * 3, 200),  # plain, all debug
           sl_rec(0 | 8, 2 | 4 * 6, 1000)]
    ops += [sl_rec(1, i % 3, i) for i in range(40)]
    ops += [sl_rec(2 + 8 * (i % 4), i, (i * 97) % 10000) for i in range(40, 60)]
    ops += [sl_rec(3, i * 3 % 64, 0) for i in range(30)]
    ops += [sl_rec(4, 45, 5000), sl_rec(4, 46, 3), sl_rec(4, 47, 0), sl_rec(5, 0, 0),
            sl_rec(7, 2 * 61, 700), sl_rec(7, 2 * 62 + 1, 1), sl_rec(6, 1, 0), sl_rec(2, 63, 9000)]
    yield "mixed", b"".join(ops)
    yield "debug-cache-churn", b"".join([sl_rec(0 | 8 | 16 | 32 | 64 | 128, 0, 24)] +
                                        [sl_rec(1 + 2 * (i % 2), i % 64 if i % 2 else 0, i)
                                         for i in range(120)])



def madt_table(revision, entries):
    """An MADT: header (its length and checksum filled in), local APIC address, flags."""
    body = struct.pack("<II", 0xFEE00000, 1) + b"".join(entries)
    hdr = b"APIC" + struct.pack("<IBB6s8sI4sI", 36 + len(body), revision, 0, b"BOCHS ",
                                b"BXPC    ", 1, b"BXPC", 1)
    table = bytearray(hdr + body)
    table[9] = (-sum(table)) & 0xFF
    return bytes(table)


def seeds_madt():
    """QEMU's 4-CPU table, and one with x2APIC, online-capable and an address override;
    each input starts with the boot CPU's APIC id and the CPU limit."""
    lapic = [struct.pack("<BBBBI", 0, 8, i, i, 1) for i in range(4)]
    mixed = [struct.pack("<BBBBI", 0, 8, 0, 0, 1), struct.pack("<BBBBI", 0, 8, 1, 1, 2),
             struct.pack("<BBHIII", 9, 16, 0, 300, 1, 2),
             struct.pack("<BBHQ", 5, 12, 0, 0xFEE00000),
             bytes([1, 12, 0, 0, 0, 0, 0xC0, 0xFE, 0, 0, 0, 0])]
    return [("qemu-4cpus", bytes([0, 16]) + madt_table(1, lapic)),
            ("x2apic-online-capable", bytes([0, 16]) + madt_table(5, mixed))]



SEEDS = {
    "e820": seeds_e820,
    "efi": seeds_efi,
    "elf": seeds_elf,
    "fat": seeds_fat,
    "cmdline": seeds_cmdline,
    "shell_args": seeds_shell_args,
    "line_edit": seeds_line_edit,
    "memblock": seeds_memblock,
    "buddy": seeds_buddy,
    "slub": seeds_slub,
    "madt": seeds_madt,
}


def main():
    for name, fn in SEEDS.items():
        d = os.path.join(HERE, "corpus", name)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith("seed-"):
                os.unlink(os.path.join(d, old))
        for seed, data in fn():
            with open(os.path.join(d, "seed-" + seed), "wb") as fh:
                fh.write(data)


if __name__ == "__main__":
    main()
