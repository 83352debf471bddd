// SPDX-License-Identifier: MIT
/*
 * Checking the seal at the end of the kernel file (include/boot/seal.h): both loaders,
 * after reading the file and again after laying the kernel out.  Shared like boot/elf.c
 * (UEFI loader, -m16 stage 2, host tests): plain C, no 64-bit division.
 */
#include "boot/seal.h"

/* Half a byte at a time: a 16-entry table is 64 bytes, not 1 KiB of stage 2's 32 KiB. */
static const u32 crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 boot_crc32(const void *buf, u64 len)
{
	const u8 *p = buf;
	u32 crc = ~0U;

	for (u64 i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

/*
 * The record ends the file wherever that is, so it may be unaligned: read byte by byte
 * (a struct copy would become a `rep movs` that -m16 code cannot aim above 64 KiB).
 */
static u64 seal_field(const void *file, u64 elf_size, size_t offset, unsigned int bytes)
{
	const u8 *p = (const u8 *)file + (size_t)elf_size + offset;
	u64 v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

#define SEAL_FIELD(file, elf_size, field)                                             \
	seal_field(file, elf_size, offsetof(struct kernel_seal, field),                \
		   sizeof(((struct kernel_seal *)0)->field))

/* By hand: the UEFI loader has no memcmp (gnu-efi's library brings memcpy and memset). */
static bool seal_has_magic(const u8 *p)
{
	for (unsigned int i = 0; i < sizeof(((struct kernel_seal *)0)->magic); i++)
		if (p[i] != (u8)KERNEL_SEAL_MAGIC[i])
			return false;
	return true;
}

const char *boot_seal_check_file(const void *file, u64 size, u64 *elf_size)
{
	if (size < sizeof(struct kernel_seal))
		return "the file is damaged: too short to end in its checksum record";
	*elf_size = size - sizeof(struct kernel_seal);
	if (!seal_has_magic((const u8 *)file + (size_t)*elf_size))
		return "the file is damaged: no checksum record at its end (not sealed by the build?)";
	if (SEAL_FIELD(file, *elf_size, file_size) != *elf_size ||
	    boot_crc32(file, size - sizeof(u32)) != SEAL_FIELD(file, *elf_size, crc))
		return "the file is damaged: checksum mismatch";
	return NULL;
}

const char *boot_seal_check_image(const void *file, u64 elf_size,
				  const struct elf_kernel_image *img, const void *base)
{
	if (img->entry != SEAL_FIELD(file, elf_size, entry))
		return "the headers do not match the sealed kernel: another entry point";
	if (img->image_size != SEAL_FIELD(file, elf_size, image_size) ||
	    boot_crc32(base, img->image_size) != SEAL_FIELD(file, elf_size, image_crc))
		return "the headers do not match the sealed kernel: laid out differently "
		       "(image checksum mismatch)";
	return NULL;
}
