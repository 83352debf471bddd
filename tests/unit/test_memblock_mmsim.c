// SPDX-License-Identifier: MIT
/*
 * tools/mmsim: reading maps out of text, and the whole simulated boot against golden
 * output.  The samples in tools/mmsim/samples/ are real: pagelab's own `memmap`,
 * `bootinfo` and `dmesg` output captured from QEMU; their .expected files are mmsim's
 * output, whose memblock part equals what the kernel itself printed (the QEMU test
 * test_memblock.py checks that round trip on every boot).  Run from the top directory,
 * as `make check-unit` does.
 */
#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "host/read_file.h"
#include "lib/seq_file.h"
#include "../../tools/mmsim/mmsim.h"

static struct mmsim_input in; /* large: keep it off the stack */

/* ---- reading lines ---- */

Test(mmsim_parse, linux_dmesg_line_with_timestamp)
{
	cr_assert_eq(mmsim_parse_line(&in, "[    0.000000] BIOS-e820: [mem 0x0000000000100000-"
					   "0x000000001ffdffff] usable\n"), 1);
	cr_assert_eq(in.nr_e820, 1);
	cr_assert_eq(in.e820[0].addr, 0x100000);
	cr_assert_eq(in.e820[0].size, 0x1fee0000);
	cr_assert_eq(in.e820[0].type, E820_TYPE_RAM);
}

Test(mmsim_parse, journalctl_prefix_and_every_type_word)
{
	static const struct { const char *word; u32 type; } cases[] = {
		{ "usable", E820_TYPE_RAM },         { "reserved", E820_TYPE_RESERVED },
		{ "ACPI data", E820_TYPE_ACPI },     { "ACPI NVS", E820_TYPE_NVS },
		{ "unusable", E820_TYPE_UNUSABLE },  { "persistent (type 7)", E820_TYPE_PMEM },
		{ "persistent (type 12)", E820_TYPE_PRAM }, { "soft reserved", E820_TYPE_SOFT_RESERVED },
		{ "type 99", 99 },                   { " System RAM", E820_TYPE_RAM },
		{ " device reserved", E820_TYPE_RESERVED },
	};
	char line[160];

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line), "Jun 12 10:49:44 localhost kernel: BIOS-e820: [mem "
			 "0x%016llx-0x%016llx] %s\n", (u64)i << 20, ((u64)i << 20) + 0xfff,
			 cases[i].word);
		cr_assert_eq(mmsim_parse_line(&in, line), 1, "%s", line);
		cr_assert_eq(in.e820[i].type, cases[i].type, "%s", line);
		cr_assert_eq(in.e820[i].size, 0x1000);
	}
}

/*
 * Lines that only look similar are not entries: the newest kernels' gap lines, and e820
 * updates (read as changes, test_mmsim_real.c, not as map entries).
 */
Test(mmsim_parse, other_lines_are_ignored)
{
	cr_assert_eq(mmsim_parse_line(&in, "[    0.000000] BIOS-e820: [gap 0x00000000000a0000-"
					   "0x00000000000fffff]\n"), 0);
	cr_assert_eq(mmsim_parse_line(&in, "e820: update [mem 0x00000000-0x00000fff] usable ==> "
					   "reserved\n"), 1);
	cr_assert_eq(in.nr_changes, 1);
	cr_assert_eq(mmsim_parse_line(&in, "efi: EFI v2.7 by EDK II\n"), 0);
	cr_assert_eq(mmsim_parse_line(&in, "\n"), 0);
	cr_assert_eq(in.nr_e820 + in.nr_efi, 0);
}

Test(mmsim_parse, malformed_entries_are_counted)
{
	cr_assert_eq(mmsim_parse_line(&in, "BIOS-e820: [mem 0x2000-0x1000] usable\n"), -1);
	cr_assert_eq(mmsim_parse_line(&in, "BIOS-e820: [mem 0x0-0x0fff] sparkly\n"), -1);
	cr_assert_eq(mmsim_parse_line(&in, "efi: mem00: [Nonsense    |  |WB] range=[0x0-0xfff]\n"), -1);
	cr_assert_eq(in.nr_malformed, 3);
	cr_assert_eq(in.nr_e820 + in.nr_efi, 0);
}

/* pagelab's memmap line and Linux's efi=debug line (no page count, older columns). */
Test(mmsim_parse, efi_lines_of_pagelab_and_of_linux)
{
	cr_assert_eq(mmsim_parse_line(&in,
		"efi: mem07: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x0000000001500000-0x000000001bb74fff] (422MB, 108149 pages)\n"), 1);
	cr_assert_eq(mmsim_parse_line(&in,
		"[    0.000000] efi: mem45: [Runtime Data|RUN|  |  |  |  |  |  |   |WB|WT|WC|UC] "
		"range=[0x00000000bd8c6000-0x00000000bdacefff] (2MB)\n"), 1);
	cr_assert_eq(mmsim_parse_line(&in,
		"efi: mem03: [type=1879048193|attr=0x0000010000000000] range=[0x0-0xfff] (0MB)\n"), 1);
	cr_assert_eq(in.nr_efi, 3);
	cr_assert_eq(in.efi[0].type, EFI_CONVENTIONAL_MEMORY);
	cr_assert_eq(in.efi[0].num_pages, 108149);
	cr_assert_eq(in.efi[0].attribute, EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB);
	cr_assert_eq(in.efi[1].type, EFI_RUNTIME_SERVICES_DATA);
	cr_assert(in.efi[1].attribute & EFI_MEMORY_RUNTIME);
	cr_assert_eq(in.efi[2].type, 0x70000001);
	cr_assert_eq(in.efi[2].attribute, 1ULL << 40);
}

Test(mmsim_parse, bootinfo_and_banner_lines)
{
	mmsim_parse_line(&in, "kernel:        [mem 0x0000000000200000-0x00000000003fffff] at virtual "
			      "0xffffffff80000000\n");
	mmsim_parse_line(&in, "direct map:    0 - 0x100000000 at virtual 0xffff888000000000\n");
	mmsim_parse_line(&in, "loader range:  [mem 0x0000000000100000-0x0000000000100fff] boot_info\n");
	mmsim_parse_line(&in, "Command line: console=ttyS0 memblock=debug\n");
	cr_assert_eq(in.kernel_start, 0x200000);
	cr_assert_eq(in.kernel_end, 0x400000);
	cr_assert_eq(in.direct_map_end, 0x100000000ULL);
	cr_assert_eq(in.nr_loader_ranges, 1);
	cr_assert_eq(in.loader_ranges[0].size, 0x1000);
	cr_assert_str_eq(in.cmdline, "console=ttyS0 memblock=debug");
	mmsim_parse_line(&in, "[    0.051763] Kernel at [mem 0x000000007da00000-0x000000007dbfffff] "
			      "(phys_base), direct map of 6 GiB\n");
	cr_assert_eq(in.kernel_start, 0x7da00000);
	cr_assert_eq(in.direct_map_end, 6ULL << 30);
}

/* ---- the whole simulated boot, against golden output ---- */

static void golden(const char *name)
{
	static char out[1 << 16];
	char path[256], line[4096];
	struct mmsim_options opt = { .source = MMSIM_AUTO };
	struct seq_file m;
	FILE *f;

	snprintf(path, sizeof(path), "tools/mmsim/samples/%s.txt", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s (run from the top directory)", path);
	while (fgets(line, sizeof(line), f))
		mmsim_parse_line(&in, line);
	fclose(f);
	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(mmsim_run(&in, &opt, &m), 0, "%s", out);
	snprintf(path, sizeof(path), "tools/mmsim/samples/%s.expected", name);
	cr_assert_str_eq(out, read_file(path));
}

Test(mmsim_golden, qemu_q35_512M_uefi_memmap_and_bootinfo)
{
	golden("qemu-q35-512M-uefi");
}

Test(mmsim_golden, qemu_q35_512M_bios_memmap_and_bootinfo)
{
	golden("qemu-q35-512M-bios");
}

Test(mmsim_golden, pagelab_dmesg_uefi_q35_4G)
{
	golden("pagelab-dmesg-uefi-q35-4G");
}

/* An input without any map says so instead of booting on nothing. */
Test(mmsim_golden, no_map_is_an_error)
{
	static char out[256];
	struct mmsim_options opt = { .source = MMSIM_AUTO };
	struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	mmsim_parse_line(&in, "hello\n");
	cr_assert_eq(mmsim_run(&in, &opt, &m), -1);
	cr_assert_str_eq(out, "mmsim: no EFI map (\"efi: memNN:\" lines) in the input\n");
}
