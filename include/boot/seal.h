/* SPDX-License-Identifier: MIT */
/*
 * The seal at the end of the kernel file: a record the build appends to KERNEL.ELF
 * (tools/kernel_seal.py) and both loaders check, so a damaged file is refused with a
 * message instead of being started and dying silently.  Linux's bzImage once ended in
 * a CRC-32 for the same reason.
 *
 * Two checks, at two moments:
 *   before the ELF check: the file's bytes match the CRC-32 the build wrote, so any
 *     damage to the file, anywhere, is "checksum mismatch";
 *   after the segments are copied: the entry point, the size and the CRC-32 of the
 *     kernel as laid out in memory match the build's, so headers that pass the ELF
 *     check but lay the kernel out differently (a segment moved, dropped or shortened)
 *     are refused too, even if someone re-checksummed the damaged file.
 */
#ifndef PAGELAB_BOOT_SEAL_H
#define PAGELAB_BOOT_SEAL_H

#include "boot/elf.h"
#include "types.h"

#define KERNEL_SEAL_MAGIC "PLKSEAL1"

/*
 * The last 32 bytes of KERNEL.ELF (little-endian, as x86 reads it).  The CRC comes last
 * and covers the ELF file and the rest of the record, so damage anywhere in the file,
 * the record included, is one message: "checksum mismatch".
 */
struct kernel_seal {
	char magic[8];  /* KERNEL_SEAL_MAGIC, no NUL */
	u32 file_size;  /* bytes of ELF file: everything before this record */
	u32 image_size; /* bytes the kernel occupies in memory (elf_kernel_image.image_size) */
	u64 entry;      /* the entry point as linked */
	u32 image_crc;  /* CRC-32 of the image_size bytes as elf_load_segments() lays them out */
	u32 crc;        /* CRC-32 of the file up to here: the ELF and the fields above */
};

_Static_assert(sizeof(struct kernel_seal) == 32, "the seal is 32 bytes");

/*
 * boot_crc32 - the CRC-32 of @len bytes at @buf, as zlib, gzip and PNG compute it
 * (reflected polynomial 0xEDB88320, all ones in and out).
 */
u32 boot_crc32(const void *buf, u64 len);

/*
 * boot_seal_check_file - whether the @size bytes of the kernel file at @file end in a
 * seal whose size and CRC-32 match the file.  Sets *@elf_size to the size of
 * the ELF file in front of the seal (what elf_check_kernel() is to be given) and returns
 * NULL, or returns a static message ("the file is damaged: checksum mismatch").
 */
const char *boot_seal_check_file(const void *file, u64 size, u64 *elf_size);

/*
 * boot_seal_check_image - whether the kernel that passed elf_check_kernel() as @img and
 * was laid out at @base by elf_load_segments() is the one the build sealed: the same
 * entry point, size and CRC-32 as the seal of @file (@elf_size bytes, from
 * boot_seal_check_file()).  Returns NULL, or a static message.
 */
const char *boot_seal_check_image(const void *file, u64 elf_size,
				  const struct elf_kernel_image *img, const void *base);

#endif
