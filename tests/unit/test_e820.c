// SPDX-License-Identifier: MIT
/* The E820 printer: Linux's "BIOS-e820: [mem start-end] type" lines, inclusive ends. */
#include <criterion/criterion.h>

#include "firmware/e820.h"
#include "lib/seq_file.h"

Test(e820, table_prints_like_linux_boot_log)
{
	static const struct boot_e820_entry table[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM },
		{ 0x9fc00, 0x400, E820_TYPE_RESERVED },
		{ 0x100000, 0x7fee0000, E820_TYPE_RAM },
		{ 0x7ffe0000, 0x20000, E820_TYPE_ACPI },
		{ 0x7fff0000, 0x10000, E820_TYPE_NVS },
		{ 0xfeffc000, 0x4000, E820_TYPE_UNUSABLE },
		{ 0x100000000ULL, 0x40000000, E820_TYPE_PMEM },
		{ 0x140000000ULL, 0x1000, 99 },
	};
	static char out[2048];
	struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	e820_entries_show(&m, "BIOS-e820", table, sizeof(table) / sizeof(table[0]));
	cr_assert_str_eq(out,
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
		"BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
		"BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff] usable\n"
		"BIOS-e820: [mem 0x000000007ffe0000-0x000000007fffffff] ACPI data\n"
		"BIOS-e820: [mem 0x000000007fff0000-0x000000007fffffff] ACPI NVS\n"
		"BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] unusable\n"
		"BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] persistent (type 7)\n"
		"BIOS-e820: [mem 0x0000000140000000-0x0000000140000fff] type 99\n");
}

Test(e820, empty_entry_is_marked)
{
	static const struct boot_e820_entry e = { 0x1000, 0, E820_TYPE_RAM };
	static char out[256];
	struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	e820_entries_show(&m, "BIOS-e820", &e, 1);
	cr_assert_str_eq(out, "BIOS-e820: [mem 0x0000000000001000-0x0000000000001000] usable (empty)\n");
}

Test(e820, type_names)
{
	char buf[32];

	cr_assert_str_eq(e820_type_name(E820_TYPE_SOFT_RESERVED, buf, sizeof(buf)), "soft reserved");
	cr_assert_str_eq(e820_type_name(E820_TYPE_PRAM, buf, sizeof(buf)), "persistent (type 12)");
	cr_assert_str_eq(e820_type_name(0, buf, sizeof(buf)), "type 0");
}

/* The shell's `memmap` and `e820` end with this line; the QEMU tests read it back. */
Test(e820, summary_line)
{
	static char out[256];
	struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	e820_summary_show(&m, 7, 0x1ff7d000);
	cr_assert_str_eq(out, "e820: 7 entries; usable: 523764 KiB (511 MiB)\n");
}
