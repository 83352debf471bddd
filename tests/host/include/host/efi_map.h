/* SPDX-License-Identifier: MIT */
/*
 * A UEFI memory map built in a buffer the way firmware hands it over, for the host
 * tests of the EFI -> E820 conversion (tests/unit/test_efi_e820.c, tests/labs/01/host.c).
 *
 * Descriptors lie efi_map_stride bytes apart - OVMF's are 48, not sizeof's 40 - and the
 * bytes past each struct are junk, so code that walks the map by sizeof reads garbage.
 *
 *   efi_map_reset(48);
 *   efi_map_put(EFI_CONVENTIONAL_MEMORY, 0, 0x9f, WB);
 *   struct efi_memory_map m = efi_map();
 */
#ifndef PAGELAB_HOST_EFI_MAP_H
#define PAGELAB_HOST_EFI_MAP_H
#include "firmware/efi.h"
#include "lib/string.h"

static u8 efi_map_buf[512 * 64];
static u32 efi_map_nr, efi_map_stride = 48;

/* Start an empty map whose descriptors are @stride bytes apart. */
static inline void efi_map_reset(u32 stride)
{
	efi_map_nr = 0;
	efi_map_stride = stride;
}

/* Append one descriptor. */
static inline void efi_map_put(u32 type, u64 phys, u64 pages, u64 attr)
{
	efi_memory_desc_t d = { .type = type, .phys_addr = phys, .num_pages = pages, .attribute = attr };
	u8 *slot = efi_map_buf + efi_map_nr * efi_map_stride;

	memcpy(slot, &d, sizeof(d));
	memset(slot + sizeof(d), 0xa5, efi_map_stride - sizeof(d));
	efi_map_nr++;
}

/* The map so far, described as the loader describes it to the kernel. */
static inline struct efi_memory_map efi_map(void)
{
	return (struct efi_memory_map){
		.map = efi_map_buf, .map_end = efi_map_buf + efi_map_nr * efi_map_stride,
		.desc_size = efi_map_stride, .desc_version = 1, .nr_map = efi_map_nr,
	};
}
#endif
