// SPDX-License-Identifier: MIT
/*
 * tools/mmsim's parser on each form of line people paste: dmesg from Linux 2.6 to 6.x,
 * with or without times, dmesg -T, syslog and journalctl dumps, mail quotes.  One test a
 * form; the lines are in the layout the kernel of that age printed.
 */
#include <criterion/criterion.h>

#include "../../tools/mmsim/mmsim.h"

static struct mmsim_input in; /* large: keep it off the stack */

static void parse_ok(const char *line)
{
	cr_assert_eq(mmsim_parse_line(&in, line), 1, "not read: %s", line);
	cr_assert_eq(in.nr_malformed, 0, "%s", line);
}

static void assert_e820(u32 i, u64 addr, u64 size, u32 type)
{
	cr_assert_gt(in.nr_e820, i);
	cr_assert_eq(in.e820[i].addr, addr, "entry %u: addr %#llx", i, in.e820[i].addr);
	cr_assert_eq(in.e820[i].size, size, "entry %u: size %#llx", i, in.e820[i].size);
	cr_assert_eq(in.e820[i].type, type, "entry %u: type %u", i, in.e820[i].type);
}

static void assert_efi(u32 i, u32 type, u64 addr, u64 pages, u64 attr)
{
	cr_assert_gt(in.nr_efi, i);
	cr_assert_eq(in.efi[i].type, type, "descriptor %u: type %u", i, in.efi[i].type);
	cr_assert_eq(in.efi[i].phys_addr, addr);
	cr_assert_eq(in.efi[i].num_pages, pages, "descriptor %u: %llu pages", i, in.efi[i].num_pages);
	cr_assert_eq(in.efi[i].attribute, attr, "descriptor %u: attr %#llx", i, in.efi[i].attribute);
}

/* Linux 3.x to 6.x: "[mem first-last]", the end inclusive. */
Test(mmsim_parse, e820_current_form)
{
	parse_ok("[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable\n");
	parse_ok("BIOS-e820: [mem 0x00000000bffe0000-0x00000000bfffffff] reserved");
	assert_e820(0, 0x100000, 0xbfee0000, E820_TYPE_RAM);
	assert_e820(1, 0xbffe0000, 0x20000, E820_TYPE_RESERVED);
}

/* Linux 2.6: " BIOS-e820: start - end (type)", no 0x, the end exclusive. */
Test(mmsim_parse, e820_linux_2_6_form)
{
	parse_ok("[    0.000000]  BIOS-e820: 0000000000000000 - 000000000009f800 (usable)\n");
	parse_ok(" BIOS-e820: 00000000bfe90000 - 00000000bfe9c000 (ACPI data)");
	parse_ok(" BIOS-e820: 00000000bfe9c000 - 00000000bff00000 (ACPI NVS)");
	parse_ok(" BIOS-e820: 00000000ff000000 - 0000000100000000 (reserved)");
	assert_e820(0, 0, 0x9f800, E820_TYPE_RAM);
	assert_e820(1, 0xbfe90000, 0xc000, E820_TYPE_ACPI);
	assert_e820(2, 0xbfe9c000, 0x64000, E820_TYPE_NVS);
	assert_e820(3, 0xff000000, 0x1000000, E820_TYPE_RESERVED);
}

/* An old line whose end is not above its start is a broken paste, not an entry. */
Test(mmsim_parse, e820_linux_2_6_form_backwards_is_malformed)
{
	cr_assert_eq(mmsim_parse_line(&in, " BIOS-e820: 0000000000100000 - 0000000000100000 (usable)"), -1);
	cr_assert_eq(in.nr_malformed, 1);
	cr_assert_eq(in.nr_e820, 0);
}

/* Linux 2.6's e820 changes, replayed like today's "e820: update [mem ...]". */
Test(mmsim_parse, e820_changes_linux_2_6_form)
{
	parse_ok("[    0.000000] e820 update range: 0000000000002000 - 0000000000006000 (usable) ==> (reserved)");
	parse_ok("[    0.000000] e820 remove range: 00000000000a0000 - 0000000000100000 (usable)");
	cr_assert_eq(in.nr_changes, 2);
	cr_assert(!in.changes[0].remove);
	cr_assert_eq(in.changes[0].start, 0x2000);
	cr_assert_eq(in.changes[0].size, 0x4000);
	cr_assert_eq(in.changes[0].old_type, E820_TYPE_RAM);
	cr_assert_eq(in.changes[0].new_type, E820_TYPE_RESERVED);
	cr_assert(in.changes[1].remove && in.changes[1].check_type);
	cr_assert_eq(in.changes[1].start, 0xa0000);
	cr_assert_eq(in.changes[1].size, 0x60000);
}

/* Linux 6.x with efi=debug: 12-column names, the end inclusive. */
Test(mmsim_parse, efi_current_form)
{
	parse_ok("[    0.000000] efi: mem07: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		 "range=[0x0000000000100000-0x00000000007fffff] (7MB)");
	assert_efi(0, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, EFI_MEMORY_WB | EFI_MEMORY_WT |
		   EFI_MEMORY_WC | EFI_MEMORY_UC);
}

/* Linux 4.x and 5.x: the long type names, inclusive end; an "attr=" descriptor. */
Test(mmsim_parse, efi_long_names_linux_5_form)
{
	parse_ok("efi: mem33: [ACPI Reclaim Memory|   |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		 "range=[0x000000007997a000-0x00000000799f6fff] (0MB)");
	parse_ok("efi: mem34: [ACPI Memory NVS    |   |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		 "range=[0x00000000799f7000-0x0000000079aabfff] (0MB)");
	parse_ok("efi: mem43: [Memory Mapped I/O  |RUN|  |  |  |  |WP|  |   |WB|WT|  |UC] "
		 "range=[0x00000000f0000000-0x00000000f7ffffff] (128MB)");
	parse_ok("efi: mem38: [Conventional Memory|   |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		 "range=[0x0000000100000000-0x000000047dffffff] (14304MB)");
	parse_ok("efi: mem41: [Reserved           |attr=0x070000000000000f] "
		 "range=[0x000000007a700000-0x000000007a7fffff] (1MB)");
	assert_efi(0, EFI_ACPI_RECLAIM_MEMORY, 0x7997a000, 0x7d, 0xf);
	assert_efi(1, EFI_ACPI_MEMORY_NVS, 0x799f7000, 0xb5, 0xf);
	assert_efi(2, EFI_MEMORY_MAPPED_IO, 0xf0000000, 0x8000,
		   EFI_MEMORY_RUNTIME | EFI_MEMORY_WP | EFI_MEMORY_WB | EFI_MEMORY_WT | EFI_MEMORY_UC);
	assert_efi(3, EFI_CONVENTIONAL_MEMORY, 0x100000000ULL, 0x37e000, 0xf);
	assert_efi(4, EFI_RESERVED_TYPE, 0x7a700000, 0x100, 0x070000000000000fULL);
}

/* Linux 3.19 to about 4.9: the long names with an exclusive end, ")". */
Test(mmsim_parse, efi_long_names_exclusive_end)
{
	parse_ok("[    0.000000] efi: mem00: [Conventional Memory|   |  |  |  |   |WB|WT|WC|UC] "
		 "range=[0x0000000000000000-0x000000000005f000) (0MB)");
	assert_efi(0, EFI_CONVENTIONAL_MEMORY, 0, 0x5f, 0xf);
}

/* Linux up to 3.18: "type=N, attr=0x..., range=[a-b)". */
Test(mmsim_parse, efi_linux_3_form)
{
	parse_ok("[    0.000000] efi: mem00: type=7, attr=0xf, "
		 "range=[0x0000000000000000-0x000000000009e000) (0MB)");
	parse_ok("[    0.000000] efi: mem12: type=11, attr=0x8000000000000001, "
		 "range=[0x00000000e0000000-0x00000000f0000000) (256MB)");
	assert_efi(0, EFI_CONVENTIONAL_MEMORY, 0, 0x9e, 0xf);
	assert_efi(1, EFI_MEMORY_MAPPED_IO, 0xe0000000, 0x10000, 0x8000000000000001ULL);
}

/* efi=debug prints the runtime descriptors again after the boot map: not new entries. */
Test(mmsim_parse, efi_runtime_map_is_skipped)
{
	parse_ok("efi: mem00: [Conventional Memory|   |  |  |  |  |  |  |   |WB|WT|WC|UC] "
		 "range=[0x0000000000000000-0x0000000000000fff] (0MB)");
	parse_ok("efi: EFI runtime memory map:");
	cr_assert_eq(mmsim_parse_line(&in, "efi: mem00: [Memory Mapped I/O  |RUN|  |  |  |  |WP|  |"
				      "   |WB|WT|  |UC] range=[0x00000000ff000000-0x00000000ffffffff] (16MB)"), 0);
	cr_assert_eq(in.nr_efi, 1);
}

/* Each prefix a pasted log can have, and what is left of the line. */
Test(mmsim_parse, log_message_prefixes)
{
	static const struct { const char *line, *message; } cases[] = {
		{ "[    0.004342]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]",
		  "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]" },
		{ "[Tue Nov  4 21:29:37 2025]   Normal   [mem 0x0000000100000000-0x000000103fffffff]",
		  "  Normal   [mem 0x0000000100000000-0x000000103fffffff]" },
		{ "Dec  7 05:05:46 host kernel: Zone ranges:", "Zone ranges:" },
		{ "Dec 07 05:05:46 host kernel:   node   0: [mem 0x0000000000001000-0x000000000009efff]",
		  "  node   0: [mem 0x0000000000001000-0x000000000009efff]" },
		{ "Jun 06 12:04:51 rakete kernel: [    0.000000] Early memory node ranges",
		  "Early memory node ranges" },
		{ "2025-12-07T05:05:46.123456+01:00 host kernel: Initmem setup node 0",
		  "Initmem setup node 0" },
		{ "[    0.000000] host kernel: Zone ranges:", "Zone ranges:" },
		{ "<6>[    0.000000] Zone ranges:", "Zone ranges:" },
		{ "\t   DMA      [mem 0x0000000000001000-0x0000000000ffffff]",
		  "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]" },
		{ "> [    0.003954]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]",
		  "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]" },
		{ ">> [    0.003954] Zone ranges:", "Zone ranges:" },
		{ "Zone ranges:", "Zone ranges:" },
		/* messages that begin like a prefix stay whole */
		{ "[mem 0x80000000-0xefffffff] available for PCI devices",
		  "[mem 0x80000000-0xefffffff] available for PCI devices" },
		{ "[Firmware Bug]: TSC ADJUST: CPU0: -456722435 force to 0",
		  "[Firmware Bug]: TSC ADJUST: CPU0: -456722435 force to 0" },
		{ "[    0.000000] Booting paravirtualized kernel on KVM",
		  "Booting paravirtualized kernel on KVM" },
	};

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++)
		cr_assert_str_eq(mmsim_log_message(cases[i].line), cases[i].message, "line %u", i);
}

/* Map lines are found behind each prefix too. */
Test(mmsim_parse, e820_behind_syslog_and_date_prefixes)
{
	parse_ok("Dec  7 05:05:46 host kernel: BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable");
	parse_ok("[Tue Nov  4 21:29:37 2025] BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable");
	parse_ok("Jan 18 10:00:00 tensor kernel: [    0.000000]  BIOS-e820: 0000000000100000 - 00000000bfe90000 (usable)");
	assert_e820(0, 0, 0x9fc00, E820_TYPE_RAM);
	assert_e820(1, 0x100000, 0xbfee0000, E820_TYPE_RAM);
	assert_e820(2, 0x100000, 0xbfd90000, E820_TYPE_RAM);
}

/* A paste of two boots (journalctl without -b): only the second boot's map is kept. */
Test(mmsim_parse, last_boot_of_a_multi_boot_paste_counts)
{
	parse_ok("Sep 25 02:28:40 host kernel: Linux version 6.19.9 (mockbuild@x) #1 SMP");
	parse_ok("Sep 25 02:28:40 host kernel: BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable");
	parse_ok("Sep 25 02:28:40 host kernel: e820: update [mem 0x00000000-0x00000fff] usable ==> reserved");
	parse_ok("Sep 25 02:28:53 localhost kernel: Linux version 6.19.10 (mockbuild@x) #1 SMP");
	parse_ok("Sep 25 02:28:53 localhost kernel: BIOS-e820: [mem 0x0000000000100000-0x000000007ffd5fff] usable");
	cr_assert_eq(in.nr_e820, 1);
	cr_assert_eq(in.nr_changes, 0);
	assert_e820(0, 0x100000, 0x7fed6000, E820_TYPE_RAM);
}
