// SPDX-License-Identifier: MIT
/*
 * boot_info_validate(): a good boot_info passes, and each kind of damage is refused with
 * a message that names it - the kernel panics with that message, so it must be right.
 */
#include <criterion/criterion.h>

#include "boot/boot_info.h"
#include "firmware/e820.h"

static struct boot_info good_uefi(void)
{
	struct boot_info bi = {
		.magic = BOOT_INFO_MAGIC,
		.version = BOOT_INFO_VERSION,
		.size = sizeof(struct boot_info),
		.firmware = BOOT_FIRMWARE_UEFI,
		.fw_vendor = "EDK II",
		.mmap_addr = 0x1e4ef000,
		.mmap_size = 130 * 48,
		.mmap_desc_size = 48,
		.mmap_desc_version = 1,
		.kernel_phys_start = 0x1da00000,
		.kernel_phys_end = 0x1dc00000,
		.direct_map_end = SZ_4G,
		.cmdline_addr = 0x1e4f8200,
		.cmdline_size = 14,
		.nr_loader_ranges = 1,
		.loader_ranges = { { 0x1e4f8000, 4096, BOOT_RANGE_BOOT_INFO, 0 } },
	};
	return bi;
}

#define cr_assert_refused(bi, msg) \
	cr_assert_str_eq(boot_info_validate(&(bi)), (msg))

Test(boot_info, valid_uefi_boot_info_passes)
{
	struct boot_info bi = good_uefi();

	cr_assert_null(boot_info_validate(&bi));
}

Test(boot_info, valid_bios_boot_info_with_e820_entries_passes)
{
	struct boot_info bi = good_uefi();

	bi.firmware = BOOT_FIRMWARE_BIOS;
	bi.mmap_desc_size = sizeof(struct boot_e820_entry);
	bi.mmap_size = 6 * sizeof(struct boot_e820_entry);
	bi.mmap_desc_version = 0;
	cr_assert_null(boot_info_validate(&bi));
}

Test(boot_info, null_pointer_is_refused)
{
	cr_assert_str_eq(boot_info_validate(NULL), "no boot_info");
}

Test(boot_info, bad_magic_is_refused_first)
{
	struct boot_info bi = good_uefi();

	bi.magic ^= 1;
	bi.version = 99; /* the magic is checked before anything else is believed */
	cr_assert_refused(bi, "bad magic (not a pagelab loader?)");
}

Test(boot_info, other_version_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.version = BOOT_INFO_VERSION + 1;
	cr_assert_refused(bi, "unsupported boot_info version (loader and kernel from different builds?)");
}

Test(boot_info, size_mismatch_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.size -= 8;
	cr_assert_refused(bi, "boot_info size does not match this kernel's");
}

Test(boot_info, unknown_firmware_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.firmware = 7;
	cr_assert_refused(bi, "unknown firmware type");
}

Test(boot_info, missing_memory_map_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.mmap_size = 0;
	cr_assert_refused(bi, "no memory map");
}

Test(boot_info, efi_descriptor_smaller_than_the_spec_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.mmap_desc_size = 32;
	bi.mmap_size = 32 * 10;
	cr_assert_refused(bi, "implausible EFI memory descriptor size");
}

Test(boot_info, map_size_not_a_multiple_of_the_stride_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.mmap_size += 8;
	cr_assert_refused(bi, "memory map size is not a whole number of descriptors");
}

Test(boot_info, e820_with_24_byte_entries_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.firmware = BOOT_FIRMWARE_BIOS;
	bi.mmap_desc_size = 24;
	bi.mmap_size = 24 * 4;
	cr_assert_refused(bi, "E820 entries must be 20 bytes");
}

Test(boot_info, misaligned_kernel_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.kernel_phys_start += 0x1000;
	cr_assert_refused(bi, "kernel physical range not 2 MiB aligned");
}

Test(boot_info, empty_kernel_range_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.kernel_phys_end = bi.kernel_phys_start;
	cr_assert_refused(bi, "empty kernel physical range");
}

Test(boot_info, direct_map_below_4g_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.direct_map_end = SZ_2M * 512;
	cr_assert_refused(bi, "direct map must cover at least 4 GiB in whole GiB");
}

Test(boot_info, too_many_loader_ranges_are_refused)
{
	struct boot_info bi = good_uefi();

	bi.nr_loader_ranges = BOOT_MAX_LOADER_RANGES + 1;
	cr_assert_refused(bi, "too many loader ranges");
}

Test(boot_info, wrapping_loader_range_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.loader_ranges[0].start = 0xfffffffffffff000ULL;
	bi.loader_ranges[0].size = 0x2000;
	cr_assert_refused(bi, "loader range not page aligned or wraps");
}

Test(boot_info, oversized_command_line_is_refused)
{
	struct boot_info bi = good_uefi();

	bi.cmdline_size = BOOT_CMDLINE_MAX + 1;
	cr_assert_refused(bi, "command line size out of range");
}

Test(boot_info, unterminated_vendor_string_is_refused)
{
	struct boot_info bi = good_uefi();

	memset(bi.fw_vendor, 'A', sizeof(bi.fw_vendor));
	cr_assert_refused(bi, "firmware vendor string not terminated");
}

Test(boot_info, enum_names)
{
	cr_assert_str_eq(boot_firmware_name(BOOT_FIRMWARE_UEFI), "UEFI");
	cr_assert_str_eq(boot_firmware_name(BOOT_FIRMWARE_BIOS), "BIOS");
	cr_assert_str_eq(boot_firmware_name(0), "unknown");
	cr_assert_str_eq(boot_range_kind_name(BOOT_RANGE_PAGE_TABLES), "loader page tables");
	cr_assert_str_eq(boot_range_kind_name(0), "unknown");
	cr_assert_str_eq(boot_range_kind_name(1000), "unknown");
}
