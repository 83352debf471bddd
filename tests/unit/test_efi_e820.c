// SPDX-License-Identifier: MIT
/*
 * EFI memory map -> E820 (firmware/efi.c), as Linux's EFI stub converts it: the type
 * mapping, walking by the firmware's descriptor size, merging as it goes, and the
 * descriptors no firmware should produce.
 */
#include <criterion/criterion.h>

#include "firmware/e820.h"
#include "firmware/efi.h"
#include "host/efi_map.h"
#include "host/printk_capture.h"

#define MB(x) ((u64)(x) << 20)
#define PAGES(bytes) ((bytes) >> EFI_PAGE_SHIFT)
#define WB (EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB)

static struct e820_table table;

static void convert(void)
{
	struct efi_memory_map m = efi_map();

	efi_memmap_to_e820(&table, &m);
}

static void expect_entry(u32 i, u64 addr, u64 size, u32 type)
{
	const struct e820_entry *e = &table.entries[i];

	cr_assert(i < table.nr_entries, "no entry %u (%u entries)", i, table.nr_entries);
	cr_assert(e->addr == addr && e->size == size && e->type == type,
		  "entry %u is [%#llx +%#llx] type %u, expected [%#llx +%#llx] type %u", i, e->addr,
		  e->size, e->type, addr, size, type);
}

/* Every type the specification defines, one descriptor each, not touching. */
Test(efi_e820, types_map_as_the_linux_stub_maps_them)
{
	static const struct { u32 efi, e820; } cases[] = {
		{ EFI_RESERVED_TYPE, E820_TYPE_RESERVED },
		{ EFI_LOADER_CODE, E820_TYPE_RAM },
		{ EFI_LOADER_DATA, E820_TYPE_RAM },
		{ EFI_BOOT_SERVICES_CODE, E820_TYPE_RAM },
		{ EFI_BOOT_SERVICES_DATA, E820_TYPE_RAM },
		{ EFI_RUNTIME_SERVICES_CODE, E820_TYPE_RESERVED },
		{ EFI_RUNTIME_SERVICES_DATA, E820_TYPE_RESERVED },
		{ EFI_CONVENTIONAL_MEMORY, E820_TYPE_RAM },
		{ EFI_UNUSABLE_MEMORY, E820_TYPE_UNUSABLE },
		{ EFI_ACPI_RECLAIM_MEMORY, E820_TYPE_ACPI },
		{ EFI_ACPI_MEMORY_NVS, E820_TYPE_NVS },
		{ EFI_MEMORY_MAPPED_IO, E820_TYPE_RESERVED },
		{ EFI_MEMORY_MAPPED_IO_PORT_SPACE, E820_TYPE_RESERVED },
		{ EFI_PAL_CODE, E820_TYPE_RESERVED },
		{ EFI_PERSISTENT_MEMORY, E820_TYPE_PMEM },
	};

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++)
		efi_map_put(cases[i].efi, MB(2 * i), 1, WB);
	convert();
	cr_assert_eq(table.nr_entries, ARRAY_SIZE(cases));
	for (u32 i = 0; i < ARRAY_SIZE(cases); i++)
		expect_entry(i, MB(2 * i), 4096, cases[i].e820);
}

/* Specific-purpose memory is RAM the firmware keeps for a driver: soft reserved. */
Test(efi_e820, specific_purpose_memory_is_soft_reserved)
{
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(1), 16, WB | EFI_MEMORY_SP);
	convert();
	expect_entry(0, MB(1), 16 * 4096, E820_TYPE_SOFT_RESERVED);
}

/* Unaccepted memory and types from the future are left out, as the stub leaves them. */
Test(efi_e820, unaccepted_and_unknown_types_are_left_out)
{
	efi_map_put(EFI_UNACCEPTED_MEMORY, MB(1), 16, WB);
	efi_map_put(0x70000001, MB(2), 16, WB); /* an OEM type */
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(4), 16, WB);
	convert();
	cr_assert_eq(table.nr_entries, 1);
	expect_entry(0, MB(4), 16 * 4096, E820_TYPE_RAM);
}

/*
 * Boot Code [0, 4K) + Conventional [4K, 640K) + Loader Data [1M, 2M) + Boot Data [2M, 3M)
 * -> usable [0, 640K) and usable [1M, 3M): neighbours of one E820 type merge on the way,
 * but not across the hole at 640K.
 */
Test(efi_e820, neighbours_of_one_type_merge_as_in_the_stub)
{
	efi_map_put(EFI_BOOT_SERVICES_CODE, 0, 1, WB);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, 4096, PAGES(0xa0000) - 1, WB);
	efi_map_put(EFI_LOADER_DATA, MB(1), PAGES(MB(1)), WB);
	efi_map_put(EFI_BOOT_SERVICES_DATA, MB(2), PAGES(MB(1)), WB);
	convert();
	cr_assert_eq(table.nr_entries, 2);
	expect_entry(0, 0, 0xa0000, E820_TYPE_RAM);
	expect_entry(1, MB(1), MB(2), E820_TYPE_RAM);
}

/* The map is walked by the firmware's stride, whatever it is: 40, 48 or 64 bytes. */
Test(efi_e820, walks_by_the_descriptor_size)
{
	static const u32 strides[] = { 40, 48, 64 };

	for (u32 s = 0; s < ARRAY_SIZE(strides); s++) {
		efi_map_reset(strides[s]);
		table.nr_entries = 0;
		efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(1), 1, WB);
		efi_map_put(EFI_ACPI_MEMORY_NVS, MB(3), 1, WB);
		efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(5), 1, WB);
		convert();
		cr_assert_eq(table.nr_entries, 3, "stride %u", strides[s]);
		expect_entry(2, MB(5), 4096, E820_TYPE_RAM);
	}
}

/* Empty and wrapping descriptors are skipped with a warning; their neighbours stay. */
Test(efi_e820, invalid_descriptors_are_skipped)
{
	host_printk_reset();
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(1), 0, WB);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ULL, 0x1000, WB);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(4), 1, WB);
	convert();
	cr_assert_eq(table.nr_entries, 1);
	expect_entry(0, MB(4), 4096, E820_TYPE_RAM);
	cr_assert(strstr(host_printk_buf, "efi: ignoring descriptor at 0x100000 of 0 pages"));
}

/*
 * 400 descriptors - far more than the 131-entry table - alternating Boot Data and
 * Conventional memory, all touching: they become one usable entry.
 */
Test(efi_e820, hundreds_of_touching_descriptors_become_one_entry)
{
	for (u64 i = 0; i < 400; i++)
		efi_map_put(i % 2 ? EFI_CONVENTIONAL_MEMORY : EFI_BOOT_SERVICES_DATA, MB(1) + i * 4096, 1, WB);
	convert();
	cr_assert_eq(table.nr_entries, 1);
	expect_entry(0, MB(1), 400 * 4096, E820_TYPE_RAM);
}

/*
 * 400 descriptors alternating Conventional and Runtime Data (usable, reserved, usable,
 * ...): they cannot merge, the table keeps what fits and says so, and nothing breaks.
 */
Test(efi_e820, hundreds_of_unmergeable_descriptors_are_cut_safely)
{
	host_printk_reset();
	for (u64 i = 0; i < 400; i++)
		efi_map_put(i % 2 ? EFI_RUNTIME_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY, MB(1) + i * 4096, 1, WB);
	convert();
	cr_assert_eq(table.nr_entries, E820_MAX_ENTRIES);
	cr_assert(strstr(host_printk_buf, "too many entries"));
	cr_assert_eq(e820__update_table(&table), 0);
}

/* The names efi=debug and `memmap` print, read back (for tools/mmsim). */
Test(efi_e820, type_names_read_back)
{
	cr_assert_eq(efi_memory_type_by_name("Conventional", 12), EFI_CONVENTIONAL_MEMORY);
	cr_assert_eq(efi_memory_type_by_name("Boot Data   ", 12), EFI_BOOT_SERVICES_DATA);
	cr_assert_eq(efi_memory_type_by_name("MMIO", 4), EFI_MEMORY_MAPPED_IO);
	cr_assert_eq(efi_memory_type_by_name("MMIO Port   ", 12), EFI_MEMORY_MAPPED_IO_PORT_SPACE);
	cr_assert_eq(efi_memory_type_by_name("Conventiona", 11), -1);
	cr_assert_eq(efi_memory_type_by_name("", 0), -1);
}
