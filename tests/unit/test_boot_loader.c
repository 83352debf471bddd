/*
 * boot/loader.c: the page tables both loaders enter the kernel with, checked by walking
 * them the way the MMU does, and the command-line clean-up.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "boot/boot_info.h"
#include "boot/loader.h"

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
