// SPDX-License-Identifier: MIT
/*
 * The EFI memory map printer: Linux's "efi: memNN:" layout, walking by the firmware's
 * descriptor size (48 here, as OVMF reports - never sizeof), and honest totals.
 */
#include <criterion/criterion.h>

#include "firmware/e820.h"
#include "firmware/efi.h"
#include "lib/seq_file.h"

#define STRIDE 48

static u8 map_buf[8 * STRIDE];

/* Fill descriptor @i; the 8 bytes past the 40-byte struct get junk a sizeof walk would read. */
static void put(int i, u32 type, u64 phys, u64 pages, u64 attr)
{
	efi_memory_desc_t d = { .type = type, .phys_addr = phys, .num_pages = pages, .attribute = attr };

	memcpy(map_buf + i * STRIDE, &d, sizeof(d));
	memset(map_buf + i * STRIDE + sizeof(d), 0xa5, STRIDE - sizeof(d));
}

static struct efi_memory_map make_map(int n)
{
	struct efi_memory_map m = {
		.map = map_buf, .map_end = map_buf + n * STRIDE, .desc_size = STRIDE,
		.desc_version = 1, .nr_map = n,
	};
	return m;
}

#define WB_ALL (EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB)

Test(efi_memmap, typeattr_format_matches_linux_layout)
{
	efi_memory_desc_t d = { .type = EFI_CONVENTIONAL_MEMORY, .attribute = WB_ALL };
	char buf[80];

	cr_assert_str_eq(efi_md_typeattr_format(buf, sizeof(buf), &d),
			 "[Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]");
	d.type = EFI_RUNTIME_SERVICES_DATA;
	d.attribute = EFI_MEMORY_RUNTIME | EFI_MEMORY_XP | EFI_MEMORY_WB;
	cr_assert_str_eq(efi_md_typeattr_format(buf, sizeof(buf), &d),
			 "[Runtime Data|RUN|  |  |  |  |XP|  |  |  |   |WB|  |  |  ]");
	d.type = EFI_MEMORY_MAPPED_IO;
	d.attribute = EFI_MEMORY_UC;
	cr_assert_str_eq(efi_md_typeattr_format(buf, sizeof(buf), &d),
			 "[MMIO        |   |  |  |  |  |  |  |  |  |   |  |  |  |UC]");
}

Test(efi_memmap, unknown_type_and_attribute_bits_are_shown_raw)
{
	efi_memory_desc_t d = { .type = 0x70000001, .attribute = 1ULL << 40 };
	char buf[80];

	cr_assert_str_eq(efi_md_typeattr_format(buf, sizeof(buf), &d),
			 "[type=1879048193|attr=0x0000010000000000]");
}

Test(efi_memmap, typeattr_format_truncates_safely)
{
	efi_memory_desc_t d = { .type = EFI_CONVENTIONAL_MEMORY, .attribute = WB_ALL };
	char buf[10];

	efi_md_typeattr_format(buf, sizeof(buf), &d);
	cr_assert_str_eq(buf, "[Conventi");
}

Test(efi_memmap, usable_types_are_those_free_after_exit_boot_services)
{
	static const struct { u32 type; bool usable; } cases[] = {
		{ EFI_RESERVED_TYPE, false },        { EFI_LOADER_CODE, true },
		{ EFI_LOADER_DATA, true },           { EFI_BOOT_SERVICES_CODE, true },
		{ EFI_BOOT_SERVICES_DATA, true },    { EFI_RUNTIME_SERVICES_CODE, false },
		{ EFI_RUNTIME_SERVICES_DATA, false }, { EFI_CONVENTIONAL_MEMORY, true },
		{ EFI_UNUSABLE_MEMORY, false },      { EFI_ACPI_RECLAIM_MEMORY, false },
		{ EFI_ACPI_MEMORY_NVS, false },      { EFI_MEMORY_MAPPED_IO, false },
		{ EFI_PERSISTENT_MEMORY, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		efi_memory_desc_t d = { .type = cases[i].type, .num_pages = 1 };

		cr_expect_eq(efi_md_usable(&d), cases[i].usable, "type %u", cases[i].type);
	}
}

/* efi_md_usable() and the E820 conversion name the same memory RAM, whatever the type. */
Test(efi_memmap, usable_is_what_the_e820_conversion_calls_ram)
{
	for (u32 type = 0; type < 40; type++) {
		for (int sp = 0; sp < 2; sp++) {
			efi_memory_desc_t d = { .type = type, .num_pages = 1,
						.attribute = sp ? EFI_MEMORY_SP : 0 };

			cr_expect_eq(efi_md_usable(&d), efi_md_e820_type(&d) == E820_TYPE_RAM,
				     "type %u%s", type, sp ? " (specific purpose)" : "");
		}
	}
}

Test(efi_memmap, specific_purpose_memory_is_not_usable)
{
	efi_memory_desc_t d = { .type = EFI_CONVENTIONAL_MEMORY, .num_pages = 1,
				.attribute = EFI_MEMORY_SP | EFI_MEMORY_WB };

	cr_assert_not(efi_md_usable(&d));
}

Test(efi_memmap, end_of_a_wrapping_or_empty_descriptor_is_zero)
{
	efi_memory_desc_t d = { .phys_addr = 0xfffffffffffff000ULL, .num_pages = 1 };

	cr_assert_eq(efi_md_end(&d), 0); /* would end exactly at 2^64 */
	d.phys_addr = 0x1000, d.num_pages = 0;
	cr_assert_eq(efi_md_end(&d), 0);
	d.num_pages = 1ULL << 60;
	cr_assert_eq(efi_md_end(&d), 0);
	d.num_pages = 2;
	cr_assert_eq(efi_md_end(&d), 0x3000);
}

Test(efi_memmap, print_walks_by_descriptor_size_and_totals_usable_memory)
{
	static char out[4096];
	struct seq_file m;
	struct efi_memory_map map;

	put(0, EFI_BOOT_SERVICES_CODE, 0, 1, WB_ALL);
	put(1, EFI_CONVENTIONAL_MEMORY, 0x1000, 159, WB_ALL);
	put(2, EFI_ACPI_MEMORY_NVS, 0x100000, 2, WB_ALL);
	put(3, EFI_CONVENTIONAL_MEMORY, 0x200000, 0x1000, WB_ALL); /* 16 MiB */
	put(4, EFI_MEMORY_MAPPED_IO, 0xffc00000, 1024, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME);
	map = make_map(5);
	seq_buf_init(&m, out, sizeof(out));
	efi_print_memmap(&m, &map);

	cr_assert_not(m.overflow);
	cr_assert_str_eq(out,
		"efi: mem00: [Boot Code   |   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000000000-0x0000000000000fff] (0MB, 1 pages)\n"
		"efi: mem01: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000001000-0x000000000009ffff] (0MB, 159 pages)\n"
		"efi: mem02: [ACPI Mem NVS|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000100000-0x0000000000101fff] (0MB, 2 pages)\n"
		"efi: mem03: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000000200000-0x00000000011fffff] (16MB, 4096 pages)\n"
		"efi: mem04: [MMIO        |RUN|  |  |  |  |  |  |  |  |   |  |  |  |UC] "
		"range=[0x00000000ffc00000-0x00000000ffffffff] (4MB, 1024 pages)\n"
		"efi: 5 descriptors of 48 bytes (version 1); usable after ExitBootServices: "
		"17024 KiB (16 MiB)\n");
}

Test(efi_memmap, invalid_descriptor_is_marked_and_not_counted)
{
	static char out[1024];
	struct seq_file m;
	struct efi_memory_map map;

	put(0, EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ULL, 0x1000, WB_ALL);
	map = make_map(1);
	seq_buf_init(&m, out, sizeof(out));
	efi_print_memmap(&m, &map);
	cr_assert(strstr(out, "efi: mem00: [Conventional") != NULL);
	cr_assert(strstr(out, "(invalid: 4096 pages)") != NULL, "%s", out);
	cr_assert(strstr(out, "usable after ExitBootServices: 0 KiB") != NULL, "%s", out);
}

Test(efi_memmap, trailing_partial_descriptor_is_not_read)
{
	static char out[1024];
	struct seq_file m;
	struct efi_memory_map map;

	put(0, EFI_CONVENTIONAL_MEMORY, 0x1000, 1, WB_ALL);
	map = make_map(1);
	map.map_end = map_buf + STRIDE + 20; /* 20 stray bytes after the last descriptor */
	seq_buf_init(&m, out, sizeof(out));
	efi_print_memmap(&m, &map);
	cr_assert(strstr(out, "efi: 1 descriptors of 48 bytes") != NULL, "%s", out);
}
