/* SPDX-License-Identifier: MIT */
/*
 * Lab 1's answer to exercise 2's question "which E820 type does each EFI type become?",
 * kept as digests so that neither the host checks (host.c) nor the kernel checks
 * (selftest.c) give the exercise away at a glance: each check converts, then asks
 * lab1_type_is_linux() about what the student's code produced.  A digest of two small
 * numbers is no secret (there are only a few E820 types to try), and is not meant as one.
 * Types past EFI_PERSISTENT_MEMORY are not in the table: the checks leave them alone.
 */
#ifndef PAGELAB_LAB1_EFI_TYPES_H
#define PAGELAB_LAB1_EFI_TYPES_H

#include "firmware/efi.h"
#include "types.h"

static inline u32 lab1_type_digest(u32 efi, u32 e820)
{
	const u32 words[2] = { efi, e820 };
	const unsigned char *b = (const unsigned char *)words;
	u32 h = 0x811c9dc5; /* FNV-1a over the two words, little-endian */

	for (unsigned int i = 0; i < sizeof(words); i++)
		h = (h ^ b[i]) * 0x01000193;
	return h;
}

/* Indexed by EFI type, for a descriptor without EFI_MEMORY_SP. */
static const u32 lab1_type_digests[] = {
	[EFI_RESERVED_TYPE] = 0x3c39ef87,
	[EFI_LOADER_CODE] = 0x8eac5155,
	[EFI_LOADER_DATA] = 0x0677f096,
	[EFI_BOOT_SERVICES_CODE] = 0x496f0f97,
	[EFI_BOOT_SERVICES_DATA] = 0xd62fb5d0,
	[EFI_RUNTIME_SERVICES_CODE] = 0x695313e2,
	[EFI_RUNTIME_SERVICES_DATA] = 0x40c63501,
	[EFI_CONVENTIONAL_MEMORY] = 0xd3e99313,
	[EFI_UNUSABLE_MEMORY] = 0xf60f2f18,
	[EFI_ACPI_RECLAIM_MEMORY] = 0x1a0fc87f,
	[EFI_ACPI_MEMORY_NVS] = 0x00fe2c6b,
	[EFI_MEMORY_MAPPED_IO] = 0x43f54b6c,
	[EFI_MEMORY_MAPPED_IO_PORT_SPACE] = 0xb1bf6c0b,
	[EFI_PAL_CODE] = 0x545e0cea,
	[EFI_PERSISTENT_MEMORY] = 0x1c55eb3c,
};

/* Whether the table holds @efi at all. */
static inline bool lab1_type_known(u32 efi)
{
	return efi < ARRAY_SIZE(lab1_type_digests);
}

/* Whether Linux, too, turns EFI type @efi (no EFI_MEMORY_SP) into E820 type @e820. */
static inline bool lab1_type_is_linux(u32 efi, u32 e820)
{
	return lab1_type_known(efi) && lab1_type_digest(efi, e820) == lab1_type_digests[efi];
}

#endif
