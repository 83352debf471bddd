// SPDX-License-Identifier: MIT
/*
 * Checking the boot_info a loader handed over, before the kernel believes any of it.
 *
 * A loader built from another version of pagelab, or a stray jump to the kernel's
 * entry point, must end in a panic that says what is wrong - not in the memory
 * manager treating random bytes as a memory map.  Only the struct itself is read here;
 * the memory it points to is checked by whoever parses it.
 */
#include "boot/boot_info.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "lib/string.h"

#define MMAP_MAX_BYTES (1U << 20) /* far more than any firmware's map, small enough to trust */

static const char *check_memory_map(const struct boot_info *bi)
{
	if (!bi->mmap_addr || !bi->mmap_size)
		return "no memory map";
	if (bi->mmap_size > MMAP_MAX_BYTES)
		return "memory map larger than 1 MiB";
	if (bi->firmware == BOOT_FIRMWARE_UEFI) {
		/* The stride may grow in future UEFI versions, but never below the spec's 40. */
		if (bi->mmap_desc_size < sizeof(efi_memory_desc_t) || bi->mmap_desc_size > 4096 ||
		    bi->mmap_desc_size % 8)
			return "implausible EFI memory descriptor size";
	} else if (bi->mmap_desc_size != sizeof(struct boot_e820_entry)) {
		return "E820 entries must be 20 bytes";
	}
	if (bi->mmap_size % bi->mmap_desc_size)
		return "memory map size is not a whole number of descriptors";
	return NULL;
}

static const char *check_kernel_range(const struct boot_info *bi)
{
	if (!IS_ALIGNED(bi->kernel_phys_start, KERNEL_PHYS_ALIGN) ||
	    !IS_ALIGNED(bi->kernel_phys_end, KERNEL_PHYS_ALIGN))
		return "kernel physical range not 2 MiB aligned";
	if (bi->kernel_phys_end <= bi->kernel_phys_start)
		return "empty kernel physical range";
	if (bi->direct_map_end < SZ_4G || !IS_ALIGNED(bi->direct_map_end, SZ_1G))
		return "direct map must cover at least 4 GiB in whole GiB";
	if (bi->kernel_phys_end > bi->direct_map_end)
		return "kernel lies outside the direct map";
	return NULL;
}

static const char *check_loader_ranges(const struct boot_info *bi)
{
	if (bi->nr_loader_ranges > BOOT_MAX_LOADER_RANGES)
		return "too many loader ranges";
	for (u32 i = 0; i < bi->nr_loader_ranges; i++) {
		const struct boot_range *r = &bi->loader_ranges[i];

		if (!IS_ALIGNED(r->start, 4096) || !r->size || !IS_ALIGNED(r->size, 4096) ||
		    r->start + r->size < r->start)
			return "loader range not page aligned or wraps";
	}
	return NULL;
}

const char *boot_info_validate(const struct boot_info *bi)
{
	const char *err;

	if (!bi)
		return "no boot_info";
	if (bi->magic != BOOT_INFO_MAGIC)
		return "bad magic (not a pagelab loader?)";
	if (bi->version != BOOT_INFO_VERSION)
		return "unsupported boot_info version (loader and kernel from different builds?)";
	if (bi->size != sizeof(*bi))
		return "boot_info size does not match this kernel's";
	if (bi->firmware != BOOT_FIRMWARE_UEFI && bi->firmware != BOOT_FIRMWARE_BIOS)
		return "unknown firmware type";
	if ((err = check_memory_map(bi)) || (err = check_kernel_range(bi)) ||
	    (err = check_loader_ranges(bi)))
		return err;
	if (bi->cmdline_addr && (bi->cmdline_size == 0 || bi->cmdline_size > BOOT_CMDLINE_MAX))
		return "command line size out of range";
	if (strnlen(bi->fw_vendor, sizeof(bi->fw_vendor)) == sizeof(bi->fw_vendor))
		return "firmware vendor string not terminated";
	return NULL;
}

const char *boot_firmware_name(u32 firmware)
{
	switch (firmware) {
	case BOOT_FIRMWARE_UEFI:
		return "UEFI";
	case BOOT_FIRMWARE_BIOS:
		return "BIOS";
	default:
		return "unknown";
	}
}

const char *boot_range_kind_name(u32 kind)
{
	static const char *const names[] = {
		[BOOT_RANGE_PAGE_TABLES] = "loader page tables",
		[BOOT_RANGE_BOOT_INFO] = "boot_info",
		[BOOT_RANGE_MEMORY_MAP] = "firmware memory map",
		[BOOT_RANGE_CMDLINE] = "command line",
		[BOOT_RANGE_OTHER] = "loader data",
	};

	return kind < ARRAY_SIZE(names) && names[kind] ? names[kind] : "unknown";
}
