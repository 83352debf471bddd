// SPDX-License-Identifier: MIT
/*
 * boot/loader.c: the page tables both loaders enter the kernel with, checked by walking
 * them the way the MMU does; the boot_info page they fill, whose range list must refuse
 * to overflow into the command line behind it; the command line; the direct map's extent.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot_info.h"
#include "boot/loader.h"
#include "firmware/e820.h"
#include "firmware/efi.h"

#define TABLES_PHYS 0x1000000ULL /* pretend physical address of the table pages */

static u64 *tables;

/* Translate @va through tables built at TABLES_PHYS; 0 if not mapped. */
static u64 walk(u64 va)
{
	u64 *pml4 = tables;
	u64 e = pml4[(va >> 39) & 511];

#define TABLE(e) (tables + (((e) & ~0xfffULL) - TABLES_PHYS) / 8)
	if (!(e & 1))
		return 0;
	e = TABLE(e)[(va >> 30) & 511];
	if (!(e & 1))
		return 0;
	e = TABLE(e)[(va >> 21) & 511];
	if (!(e & 1) || !(e & 0x80))
		return 0;
	return (e & ~0x1fffffULL & 0x000ffffffffff000ULL) + (va & 0x1fffff);
#undef TABLE
}

static u64 build(u64 direct_map_end, u64 kernel_phys, u64 kernel_size)
{
	u32 pages = boot_page_table_pages(direct_map_end);

	free(tables);
	tables = calloc(pages, 4096);
	return boot_build_page_tables(tables, TABLES_PHYS, direct_map_end, kernel_phys, kernel_size);
}

Test(boot_loader, four_gib_map_needs_eight_pages)
{
	cr_assert_eq(boot_page_table_pages(SZ_4G), 8);
	cr_assert_eq(boot_page_table_pages(16 * SZ_1G), 20);
}

Test(boot_loader, identity_direct_map_and_kernel_translate)
{
	u64 cr3 = build(SZ_4G, 0x1da00000, SZ_2M);

	cr_assert_eq(cr3, TABLES_PHYS);
	cr_assert_eq(walk(0x7c00), 0x7c00);
	cr_assert_eq(walk(0xfee00000), 0xfee00000, "the local APIC is reachable");
	cr_assert_eq(walk(PAGE_OFFSET_BASE + 0x1234567), 0x1234567);
	cr_assert_eq(walk(PAGE_OFFSET_BASE + SZ_4G - 1), SZ_4G - 1);
	cr_assert_eq(walk(KERNEL_VIRT_BASE), 0x1da00000);
	cr_assert_eq(walk(KERNEL_VIRT_BASE + 0x12345), 0x1da12345);
}

Test(boot_loader, nothing_is_mapped_beyond_the_ends)
{
	build(SZ_4G, 0x200000, SZ_2M);
	cr_assert_eq(walk(SZ_4G), 0);
	cr_assert_eq(walk(PAGE_OFFSET_BASE + SZ_4G), 0);
	cr_assert_eq(walk(KERNEL_VIRT_BASE + SZ_2M), 0);
	cr_assert_eq(walk(0xffffc90000000000ULL), 0, "the oops test relies on this");
}

Test(boot_loader, ram_above_4g_is_in_the_direct_map)
{
	build(6 * SZ_1G, 0x200000, 4 * SZ_1M);
	cr_assert_eq(walk(PAGE_OFFSET_BASE + 5 * SZ_1G + 0x1000), 5 * SZ_1G + 0x1000);
	cr_assert_eq(walk(KERNEL_VIRT_BASE + 3 * SZ_1M), 0x500000);
}

Test(boot_loader, bad_arguments_are_refused)
{
	cr_assert_eq(build(SZ_4G + SZ_2M, 0x200000, SZ_2M), 0, "not a GiB multiple");
	cr_assert_eq(build(SZ_4G, 0x201000, SZ_2M), 0, "kernel not 2 MiB aligned");
	cr_assert_eq(build(SZ_4G, 0x200000, 2 * SZ_1G), 0, "kernel over 1 GiB");
	cr_assert_eq(build(0, 0x200000, SZ_2M), 0, "empty direct map");
}

Test(boot_loader, cmdline_becomes_one_trimmed_line)
{
	char out[32];

	cr_assert_eq(boot_cmdline_copy(out, sizeof(out), (const u8 *)"efi=debug\nquiet\t\r\n  ", 20), 15);
	cr_assert_str_eq(out, "efi=debug quiet");
	cr_assert_eq(boot_cmdline_copy(out, sizeof(out), (const u8 *)"", 0), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(boot_cmdline_copy(out, 4, (const u8 *)"abcd", 4), -1, "does not fit");
}

/* ---- the boot_info page --------------------------------------------------------- */

#define PAGE_PHYS 0x7f000ULL /* pretend physical address of the boot_info page */

static u8 *page;

static struct boot_info *fresh_boot_info(void)
{
	free(page);
	page = aligned_alloc(BOOT_PAGE_SIZE, BOOT_PAGE_SIZE); /* ASan sees a byte past it */
	memset(page, 0xa5, BOOT_PAGE_SIZE);                   /* init must clear this */
	return boot_info_init(page, PAGE_PHYS, BOOT_FIRMWARE_BIOS);
}

/* The rest of a valid boot_info, so boot_info_validate() can judge the whole. */
static void complete(struct boot_info *bi)
{
	bi->mmap_addr = 0x80000;
	bi->mmap_size = 3 * 20;
	bi->mmap_desc_size = 20;
	bi->kernel_phys_start = 0x200000;
	bi->kernel_phys_end = 0x400000;
	bi->direct_map_end = SZ_4G;
}

Test(boot_info_page, init_identifies_itself_and_records_its_page)
{
	struct boot_info *bi = fresh_boot_info();

	cr_assert_eq((void *)bi, (void *)page);
	cr_assert_eq(bi->magic, BOOT_INFO_MAGIC);
	cr_assert_eq(bi->version, BOOT_INFO_VERSION);
	cr_assert_eq(bi->size, sizeof(*bi));
	cr_assert_eq(bi->firmware, BOOT_FIRMWARE_BIOS);
	cr_assert_eq(bi->nr_loader_ranges, 1);
	cr_assert_eq(bi->loader_ranges[0].start, PAGE_PHYS);
	cr_assert_eq(bi->loader_ranges[0].size, BOOT_PAGE_SIZE);
	cr_assert_eq(bi->loader_ranges[0].kind, BOOT_RANGE_BOOT_INFO);
	cr_assert_eq(bi->cmdline_addr, PAGE_PHYS + BOOT_CMDLINE_OFFSET, "the slot, by physical address");
	cr_assert_eq(bi->cmdline_size, 1);
	cr_assert_str_eq(boot_cmdline_slot(bi), "");
	cr_assert_geq((char *)boot_cmdline_slot(bi), (char *)(bi + 1), "the slot is after the struct");
	cr_assert_eq(page[BOOT_PAGE_SIZE - 1], 0, "the whole page is cleared");
	complete(bi);
	cr_assert_null(boot_info_validate(bi));
}

Test(boot_info_page, ranges_are_recorded_in_whole_pages)
{
	struct boot_info *bi = fresh_boot_info();

	cr_assert_null(boot_add_range(bi, 0x100000, 5000, BOOT_RANGE_MEMORY_MAP));
	cr_assert_eq(bi->nr_loader_ranges, 2);
	cr_assert_eq(bi->loader_ranges[1].start, 0x100000);
	cr_assert_eq(bi->loader_ranges[1].size, 2 * BOOT_PAGE_SIZE);
	cr_assert_eq(bi->loader_ranges[1].kind, BOOT_RANGE_MEMORY_MAP);
}

/*
 *   loader_ranges[0 .. BOOT_MAX_LOADER_RANGES)  | padding | command line slot ...
 *                                 one more range ^ would land here, on the command line
 */
Test(boot_info_page, an_overflowing_range_is_refused_with_a_message)
{
	struct boot_info *bi = fresh_boot_info();
	const char *why;
	u8 before[BOOT_PAGE_SIZE];

	complete(bi);
	cr_assert_null(boot_set_cmdline(bi, (const u8 *)"console=ttyS0 quiet\n", 20));
	while (bi->nr_loader_ranges < BOOT_MAX_LOADER_RANGES)
		cr_assert_null(boot_add_range(bi, 0x1000000 + bi->nr_loader_ranges * SZ_1M, SZ_1M,
					      BOOT_RANGE_OTHER));
	memcpy(before, page, sizeof(before));

	why = boot_add_range(bi, 0x7000000, SZ_1M, BOOT_RANGE_OTHER);
	cr_assert_not_null(why, "range %d accepted", BOOT_MAX_LOADER_RANGES + 1);
	cr_assert_str_eq(why, "too many loader ranges (boot_info has room for 8)");
	cr_assert(strstr(why, BOOT_STR(BOOT_MAX_LOADER_RANGES)), "the message follows the constant");
	cr_assert_eq(memcmp(before, page, sizeof(before)), 0, "the refusal wrote to the page");
	cr_assert_eq(bi->nr_loader_ranges, BOOT_MAX_LOADER_RANGES);
	cr_assert_str_eq(boot_cmdline_slot(bi), "console=ttyS0 quiet");
	cr_assert_null(boot_info_validate(bi));
}

Test(boot_info_page, page_tables_are_refused_when_no_range_is_left)
{
	struct boot_info *bi = fresh_boot_info();
	u32 pages = boot_page_table_pages(SZ_4G);
	u64 *mem = calloc(pages, BOOT_PAGE_SIZE);
	u64 cr3 = 1;

	complete(bi);
	while (bi->nr_loader_ranges < BOOT_MAX_LOADER_RANGES)
		boot_add_range(bi, 0x1000000 + bi->nr_loader_ranges * SZ_1M, SZ_1M, BOOT_RANGE_OTHER);
	cr_assert_str_eq(boot_setup_page_tables(bi, mem, TABLES_PHYS, SZ_4G, &cr3),
			 "too many loader ranges (boot_info has room for 8)");
	free(mem);
}

Test(boot_info_page, page_tables_are_recorded_with_the_direct_map)
{
	struct boot_info *bi = fresh_boot_info();
	u32 pages = boot_page_table_pages(6 * SZ_1G);
	u64 cr3 = 0;

	free(tables);
	tables = malloc((size_t)pages * BOOT_PAGE_SIZE);
	memset(tables, 0xff, (size_t)pages * BOOT_PAGE_SIZE); /* must be cleared first */
	complete(bi);
	cr_assert_null(boot_setup_page_tables(bi, tables, TABLES_PHYS, 6 * SZ_1G, &cr3));
	cr_assert_eq(cr3, TABLES_PHYS);
	cr_assert_eq(bi->direct_map_end, 6 * SZ_1G);
	cr_assert_eq(bi->nr_loader_ranges, 2);
	cr_assert_eq(bi->loader_ranges[1].start, TABLES_PHYS);
	cr_assert_eq(bi->loader_ranges[1].size, (u64)pages * BOOT_PAGE_SIZE);
	cr_assert_eq(bi->loader_ranges[1].kind, BOOT_RANGE_PAGE_TABLES);
	cr_assert_eq(walk(PAGE_OFFSET_BASE + 5 * SZ_1G), 5 * SZ_1G);
	cr_assert_eq(walk(KERNEL_VIRT_BASE + 0x1000), 0x201000);
	cr_assert_eq(walk(0xffffc90000000000ULL), 0, "no stale entry survived");
	cr_assert_null(boot_info_validate(bi));
}

Test(boot_info_page, a_kernel_the_tables_cannot_map_is_refused)
{
	struct boot_info *bi = fresh_boot_info();
	u32 pages = boot_page_table_pages(SZ_4G);
	u64 cr3;

	free(tables);
	tables = calloc(pages, BOOT_PAGE_SIZE);
	complete(bi);
	bi->kernel_phys_start = 0x201000;
	cr_assert_not_null(boot_setup_page_tables(bi, tables, TABLES_PHYS, SZ_4G, &cr3));
	cr_assert_eq(bi->nr_loader_ranges, 1, "nothing recorded for tables that were not built");
}

/* ---- the command line ------------------------------------------------------------ */

Test(boot_cmdline, lands_in_its_slot)
{
	struct boot_info *bi = fresh_boot_info();

	cr_assert_null(boot_set_cmdline(bi, (const u8 *)"efi=debug\r\n", 11));
	cr_assert_str_eq(boot_cmdline_slot(bi), "efi=debug");
	cr_assert_eq(bi->cmdline_size, 10);
}

Test(boot_cmdline, the_longest_that_fits_and_one_more)
{
	struct boot_info *bi = fresh_boot_info();
	u8 *src = malloc(BOOT_CMDLINE_MAX);

	memset(src, 'x', BOOT_CMDLINE_MAX);
	cr_assert_null(boot_set_cmdline(bi, src, BOOT_CMDLINE_MAX - 1));
	cr_assert_eq(bi->cmdline_size, BOOT_CMDLINE_MAX);
	cr_assert_eq(strlen(boot_cmdline_slot(bi)), BOOT_CMDLINE_MAX - 1);

	cr_assert_str_eq(boot_set_cmdline(bi, src, BOOT_CMDLINE_MAX),
			 "command line too long (it must fit in 2048 bytes with its NUL)");
	cr_assert_str_eq(boot_cmdline_slot(bi), "", "left empty, not cut short");
	cr_assert_eq(bi->cmdline_size, 1);
	free(src);
}

Test(boot_cmdline, a_huge_file_is_refused_unread)
{
	struct boot_info *bi = fresh_boot_info();
	u8 tiny[4] = "abc";

	/* ASan would stop a read past tiny[]: the length alone decides. */
	cr_assert_not_null(boot_set_cmdline(bi, tiny, 1ULL << 32));
	cr_assert_eq(bi->cmdline_size, 1);
}

/* ---- the direct map's extent ---------------------------------------------------- */

Test(direct_map, one_rule_in_both_vocabularies)
{
	static const struct { u32 firmware, type; bool memory; } cases[] = {
		{ BOOT_FIRMWARE_BIOS, E820_TYPE_RAM, true },
		{ BOOT_FIRMWARE_BIOS, E820_TYPE_ACPI, true },
		{ BOOT_FIRMWARE_BIOS, E820_TYPE_NVS, true },
		{ BOOT_FIRMWARE_BIOS, E820_TYPE_PMEM, true },
		{ BOOT_FIRMWARE_BIOS, E820_TYPE_RESERVED, false }, /* E820 says MMIO this way */
		{ BOOT_FIRMWARE_UEFI, EFI_CONVENTIONAL_MEMORY, true },
		{ BOOT_FIRMWARE_UEFI, EFI_ACPI_RECLAIM_MEMORY, true },
		{ BOOT_FIRMWARE_UEFI, EFI_ACPI_MEMORY_NVS, true },
		{ BOOT_FIRMWARE_UEFI, EFI_RUNTIME_SERVICES_DATA, true },
		{ BOOT_FIRMWARE_UEFI, EFI_PERSISTENT_MEMORY, true },
		{ BOOT_FIRMWARE_UEFI, EFI_RESERVED_TYPE, false },
		{ BOOT_FIRMWARE_UEFI, EFI_MEMORY_MAPPED_IO, false },
		{ BOOT_FIRMWARE_UEFI, EFI_MEMORY_MAPPED_IO_PORT_SPACE, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_assert_eq(boot_range_holds_memory(cases[i].firmware, cases[i].type), cases[i].memory,
			     "firmware %u type %u", cases[i].firmware, cases[i].type);
}

Test(direct_map, top_grows_and_saturates)
{
	cr_assert_eq(boot_mem_top(0, 0x100000, 0x1000), 0x101000);
	cr_assert_eq(boot_mem_top(SZ_4G, 0x100000, 0x1000), SZ_4G, "never shrinks");
	cr_assert_eq(boot_mem_top(0, ~0ULL - 10, 100), ~0ULL, "a wrapping range reaches the top");
}

Test(direct_map, at_least_4_gib_in_whole_gib)
{
	u64 end = 0;

	cr_assert_null(boot_direct_map_end(0, &end));
	cr_assert_eq(end, SZ_4G);
	cr_assert_null(boot_direct_map_end(0x1ffe0000, &end));
	cr_assert_eq(end, SZ_4G, "512 MiB of RAM still gets the 4 GiB the APIC needs");
	cr_assert_null(boot_direct_map_end(5 * SZ_1G + 1, &end));
	cr_assert_eq(end, 6 * SZ_1G);
	cr_assert_null(boot_direct_map_end(512 * SZ_1G, &end));
	cr_assert_eq(end, 512 * SZ_1G);
}

Test(direct_map, beyond_512_gib_is_refused_with_a_message)
{
	u64 end = 7;

	cr_assert_str_eq(boot_direct_map_end(512 * SZ_1G + 1, &end),
			 "memory above 512 GiB: the boot page tables cannot map it");
	cr_assert_eq(end, 7, "untouched on refusal");
	cr_assert_str_eq(boot_direct_map_end(~0ULL, &end),
			 "memory above 512 GiB: the boot page tables cannot map it");
}

/* Issue 18, finding 3: both loaders ask this before reading CMDLINE.TXT at all. */
Test(boot_cmdline, size_is_checked_before_the_file_is_read)
{
	const char *too_long = "command line too long (it must fit in 2048 bytes with its NUL)";

	cr_assert_null(boot_check_cmdline_size(0));
	cr_assert_null(boot_check_cmdline_size(BOOT_CMDLINE_MAX - 1));
	cr_assert_str_eq(boot_check_cmdline_size(BOOT_CMDLINE_MAX), too_long);
	cr_assert_str_eq(boot_check_cmdline_size(32 * 1024), too_long, "the BIOS bounce buffer's half");
	cr_assert_str_eq(boot_check_cmdline_size(1ULL << 32), too_long, "no wrap in the comparison");
}
