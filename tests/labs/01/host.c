// SPDX-License-Identifier: MIT
/*
 * Lab 1's host checks: e820_read_table() (legacy16/memory.c) against BIOSes played by
 * the test, and efi_memmap_to_e820() (firmware/efi.c) on EFI maps built by the test.
 * Each test is one graded check (docs/labs/01-boot-and-real-mode.md).
 *
 * A BIOS in these tests is a script: the entries it returns, the continuation value it
 * hands out after each one, and how it misbehaves.
 */
#include <criterion/criterion.h>

#include "../../../legacy16/boot16.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "host/efi_map.h"
#include "host/fake_bios.h"
#include "host/printk_capture.h"
#include "efi_types.h"

#define MB(x) ((u64)(x) << 20)

/* ---- e820_read_table ------------------------------------------------------------- */

/* QEMU q35, 512 MiB, as SeaBIOS reports it. */
static const struct e820_raw q35[] = {
	{ 0x0, 0x9fc00, E820_TYPE_RAM, 1 },
	{ 0x9fc00, 0x400, E820_TYPE_RESERVED, 1 },
	{ 0xf0000, 0x10000, E820_TYPE_RESERVED, 1 },
	{ 0x100000, 0x1fedf000, E820_TYPE_RAM, 1 },
	{ 0x1ffdf000, 0x21000, E820_TYPE_RESERVED, 1 },
	{ 0xb0000000, 0x10000000, E820_TYPE_RESERVED, 1 },
	{ 0xfed1c000, 0x4000, E820_TYPE_RESERVED, 1 },
	{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED, 1 },
	{ 0xfd00000000ULL, 0x300000000ULL, E820_TYPE_RESERVED, 1 },
};

static void expect_q35(const struct boot_e820_entry *out, int from, int to)
{
	for (int i = from; i < to; i++)
		cr_assert(out[i].addr == q35[i].addr && out[i].size == q35[i].size &&
			  out[i].type == q35[i].type,
			  "entry %d is [%#llx +%#llx] type %u, the BIOS gave [%#llx +%#llx] type %u", i,
			  out[i].addr, out[i].size, out[i].type, q35[i].addr, q35[i].size, q35[i].type);
}

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab01, .timeout = 5);

Test(lab01, a_well_behaved_bios_gives_every_entry)
{
	struct boot_e820_entry out[16];

	fake_bios_play(q35, 9, 24);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 9, "the BIOS returned 9 entries");
	expect_q35(out, 0, 9);
	cr_assert_eq(fake_bios.calls, 9, "one call per entry: the 9th said it was the last");
}

Test(lab01, the_list_may_end_with_the_carry_flag)
{
	struct boot_e820_entry out[16];

	fake_bios_play(q35, 9, 24);
	fake_bios.cf_at_end = true;
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 9);
	expect_q35(out, 0, 9);
	cr_assert_eq(fake_bios.calls, 10, "the 10th call, answered with CF, ends the list");
}

/* The continuation value is the BIOS's own business: pass back what it gave. */
Test(lab01, the_continuation_value_is_the_bios_own)
{
	struct boot_e820_entry out[16];

	fake_bios_play(q35, 9, 24);
	fake_bios.cont_base = 0x4d2a0;
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 9);
	expect_q35(out, 0, 9);
}

Test(lab01, twenty_byte_entries_count_as_enabled)
{
	struct boot_e820_entry out[16];

	fake_bios_play(q35, 9, 20);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 9, "ACPI 2 BIOSes write 20 bytes");
	expect_q35(out, 0, 9);
}

Test(lab01, disabled_and_empty_entries_are_dropped)
{
	static const struct e820_raw e[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM, 1 },
		{ 0x100000, 0x100000, E820_TYPE_RAM, 0 },    /* disabled */
		{ 0x200000, 0, E820_TYPE_RAM, 1 },           /* empty */
		{ 0x300000, 0x100000, E820_TYPE_RESERVED, 3 }, /* enabled, non-volatile */
		{ 0x400000, 0x100000, E820_TYPE_RAM, 1 },
	};
	struct boot_e820_entry out[16];

	fake_bios_play(e, 5, 24);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 3);
	cr_assert_eq(out[0].addr, 0x0);
	cr_assert_eq(out[1].addr, 0x300000);
	cr_assert_eq(out[1].type, E820_TYPE_RESERVED);
	cr_assert_eq(out[2].addr, 0x400000);
}

/* Some BIOSes write 24 bytes but never set the enabled bit: then it means nothing. */
Test(lab01, a_bios_that_never_sets_the_enabled_bit_keeps_its_map)
{
	static const struct e820_raw e[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM, 0 },
		{ 0x9fc00, 0x400, E820_TYPE_RESERVED, 0 },
		{ 0x100000, 0x1ff00000, E820_TYPE_RAM, 0 },
	};
	struct boot_e820_entry out[16];

	fake_bios_play(e, 3, 24);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 3);
	cr_assert_eq(out[2].addr, 0x100000);
	cr_assert_eq(out[2].size, 0x1ff00000);
}

Test(lab01, a_lost_signature_keeps_the_entries_before_it)
{
	struct boot_e820_entry out[16];

	fake_bios_play(q35, 9, 24);
	fake_bios.lose_smap_at = 4;
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 4);
	expect_q35(out, 0, 4);
}

/*
 * An empty entry is no entry: its enabled bit is no evidence that this BIOS sets the bit,
 * so the real entries, whose bit is clear, are still a BIOS that never sets it.
 */
Test(lab01, an_empty_entry_says_nothing_about_the_enabled_bit)
{
	static const struct e820_raw e[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM, 0 },
		{ 0x9fc00, 0, E820_TYPE_RESERVED, 1 },       /* empty, bit set */
		{ 0x100000, 0x1ff00000, E820_TYPE_RAM, 0 },
	};
	struct boot_e820_entry out[16];

	fake_bios_play(e, 3, 24);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 2,
		     "the two real entries, whose bit is clear, are the whole map");
	cr_assert_eq(out[1].addr, 0x100000);
	cr_assert_eq(out[1].size, 0x1ff00000);
}

/*
 * A BIOS that answered has E820, even if nothing it said was an entry: that is 0 entries,
 * not -1, which says the call itself is missing.  The loader falls back to E801h on both,
 * as Linux's kernel does when its boot code counted no entries.
 */
Test(lab01, a_bios_that_answered_with_nothing_usable_has_e820)
{
	static const struct e820_raw e[] = {
		{ 0x0, 0, E820_TYPE_RAM, 1 },
		{ 0x100000, 0, E820_TYPE_RAM, 1 },
	};
	struct boot_e820_entry out[16];

	fake_bios_play(e, 2, 24);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 0,
		     "the BIOS answered E820h, with two empty entries");
}

/*
 * `len` says how much of `buf` the BIOS wrote, entry by entry: a 16-byte answer is no
 * entry, and a 20-byte one is enabled whatever the rest of `buf` holds - even from a
 * BIOS whose 24-byte entries do set the bit.
 */
Test(lab01, len_says_what_the_bios_wrote)
{
	static const struct e820_raw e[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM, 1 },            /* 24 bytes, bit set */
		{ 0xf0000, 0x10000, E820_TYPE_RESERVED, 0 },    /* 16 bytes: cut short */
		{ 0x100000, 0x1ff00000, E820_TYPE_RAM, 0 },     /* 20 bytes: no fourth word */
		{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED, 1 }, /* 24 bytes, bit set */
	};
	static const u32 lens[] = { 24, 16, 20, 24 };
	struct boot_e820_entry out[16];

	fake_bios_play(e, 4, 24);
	fake_bios.lens = lens;
	fake_bios.junk_past_len = true;
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 3,
		     "the 16-byte answer is no entry; the other three are real and enabled");
	cr_assert_eq(out[1].addr, 0x100000, "the 20-byte entry is kept");
	cr_assert_eq(out[2].addr, 0xfffc0000);
}

/* -1 says "no E820 at all": the call itself failed, and the loader asks E801h instead. */
Test(lab01, no_e820_at_all_is_minus_one)
{
	struct boot_e820_entry out[16];

	fake_bios_play(q35, 9, 24);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 9);
	fake_bios_play(q35, 9, 24);
	fake_bios.lose_smap_at = 0;
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), -1);
}

Test(lab01, never_more_than_max_entries)
{
	struct boot_e820_entry out[5];

	memset(out, 0xee, sizeof(out));
	fake_bios_play(q35, 9, 24);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 4), 4);
	expect_q35(out, 0, 4);
	cr_assert_eq(out[4].addr, 0xeeeeeeeeeeeeeeeeULL, "entry 4 was written: max is 4");
}

/* A BIOS that never says "last" must not hang the loader: give up after 4 * BIOS_E820_MAX calls. */
Test(lab01, a_bios_that_never_ends_is_cut_off, .timeout = 10)
{
	static struct boot_e820_entry out[BIOS_E820_MAX];

	fake_bios_play(q35, 9, 24);
	fake_bios.never_ends = true;
	int n = e820_read_table(fake_bios_call, out, BIOS_E820_MAX);
	cr_assert(n > 9 && n <= BIOS_E820_MAX, "%d entries", n);
	cr_assert(fake_bios.calls <= 4 * BIOS_E820_MAX, "%d calls", fake_bios.calls);
	expect_q35(out, 0, 8);
}

/* ---- efi_memmap_to_e820 --------------------------------------------------------------- */

#define WB (EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB)

static struct e820_table table;

static void convert(void)
{
	struct efi_memory_map m = efi_map();

	table.nr_entries = 0;
	efi_memmap_to_e820(&table, &m);
}

static void expect_entries(const struct e820_entry *want, u32 n)
{
	for (u32 i = 0; i < n && i < table.nr_entries; i++) {
		const struct e820_entry *e = &table.entries[i];

		cr_assert(e->addr == want[i].addr && e->size == want[i].size && e->type == want[i].type,
			  "entry %u is [%#llx +%#llx] type %u, expected [%#llx +%#llx] type %u", i,
			  e->addr, e->size, e->type, want[i].addr, want[i].size, want[i].type);
	}
	cr_assert_eq(table.nr_entries, n, "%u entries, expected %u", table.nr_entries, n);
}

#define EXPECT(...)                                                                        \
	expect_entries((const struct e820_entry[]){ __VA_ARGS__ },                         \
		       sizeof((const struct e820_entry[]){ __VA_ARGS__ }) / sizeof(struct e820_entry))

Test(lab01, efi_types_become_e820_types_as_in_linux)
{
	/* Every EFI type the table knows, in order: EFI type i at 2i MiB. */
	const u32 types = ARRAY_SIZE(lab1_type_digests);

	for (u32 i = 0; i < types; i++)
		efi_map_put(i, MB(2 * i), 1, WB); /* a gap between each: nothing merges */
	convert();
	cr_assert_eq(table.nr_entries, types);
	for (u32 i = 0; i < types; i++)
		cr_assert(table.entries[i].addr == MB(2 * i) && table.entries[i].size == 4096 &&
			  lab1_type_is_linux(i, table.entries[i].type),
			  "EFI type %u became E820 type %u at %#llx: not what this memory is to a "
			  "kernel after ExitBootServices() (the UEFI specification says what each "
			  "type holds)", i, table.entries[i].type, table.entries[i].addr);
}

/* Walk by desc_size, never by sizeof(efi_memory_desc_t): 40, 48 and 64-byte maps. */
Test(lab01, the_map_is_walked_by_the_firmware_descriptor_size)
{
	static const u32 strides[] = { 48, 64, 40 };

	for (u32 s = 0; s < ARRAY_SIZE(strides); s++) {
		efi_map_reset(strides[s]);
		efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(1), 256, WB);
		efi_map_put(EFI_ACPI_MEMORY_NVS, MB(3), 16, WB);
		efi_map_put(EFI_BOOT_SERVICES_DATA, MB(5), 1, WB);
		efi_map_put(EFI_MEMORY_MAPPED_IO, 0xfec00000, 1, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME);
		convert();
		EXPECT({ MB(1), MB(1), E820_TYPE_RAM }, { MB(3), 16 * 4096, E820_TYPE_NVS },
		       { MB(5), 4096, E820_TYPE_RAM }, { 0xfec00000, 4096, E820_TYPE_RESERVED });
	}
}

/*
 *   EFI:   |BootCode|Conventional ...|   |LoaderData|BootData|ACPI NVS|Conventional|
 *          0        4K            640K   1M         2M       3M       3M+64K       4M
 *   E820:  |usable                   |   |usable             |ACPI NVS|usable      |
 */
Test(lab01, neighbours_of_one_type_merge_on_the_way)
{
	efi_map_put(EFI_BOOT_SERVICES_CODE, 0, 1, WB);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, 4096, 0x9f, WB);
	efi_map_put(EFI_LOADER_DATA, MB(1), 256, WB);
	efi_map_put(EFI_BOOT_SERVICES_DATA, MB(2), 256, WB);
	efi_map_put(EFI_ACPI_MEMORY_NVS, MB(3), 16, WB);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(3) + 0x10000, 240, WB);
	convert();
	EXPECT({ 0, 0xa0000, E820_TYPE_RAM }, { MB(1), MB(2), E820_TYPE_RAM },
	       { MB(3), 0x10000, E820_TYPE_NVS }, { MB(3) + 0x10000, MB(1) - 0x10000, E820_TYPE_RAM });
}

/* RAM the firmware keeps for a driver (EFI_MEMORY_SP) is soft reserved, not usable. */
Test(lab01, specific_purpose_memory_is_soft_reserved)
{
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(1), 256, WB);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(2), 256, WB | EFI_MEMORY_SP);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(3), 256, WB);
	convert();
	EXPECT({ MB(1), MB(1), E820_TYPE_RAM }, { MB(2), MB(1), E820_TYPE_SOFT_RESERVED },
	       { MB(3), MB(1), E820_TYPE_RAM });
}

/* Unaccepted memory and types no specification defines are left out of the map. */
Test(lab01, unknown_and_unaccepted_types_are_left_out)
{
	efi_map_put(EFI_RESERVED_TYPE, 0, 1, WB);
	efi_map_put(EFI_UNACCEPTED_MEMORY, MB(1), 16, WB);
	efi_map_put(0x70000001, MB(2), 16, WB); /* an OEM type */
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(4), 16, WB);
	convert();
	EXPECT({ 0, 4096, E820_TYPE_RESERVED }, { MB(4), 16 * 4096, E820_TYPE_RAM });
}

/* Empty and wrapping descriptors are skipped with a warning; their neighbours stay. */
Test(lab01, empty_and_wrapping_descriptors_are_skipped)
{
	host_printk_reset();
	efi_map_put(EFI_ACPI_RECLAIM_MEMORY, MB(1), 0, WB);
	efi_map_put(EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ULL, 0x1000, WB);
	efi_map_put(EFI_ACPI_RECLAIM_MEMORY, MB(4), 2, WB);
	convert();
	EXPECT({ MB(4), 2 * 4096, E820_TYPE_ACPI });
	cr_assert(strstr(host_printk_buf, "efi: ignoring descriptor"), "no warning:\n%s",
		  host_printk_buf);
}

/* Skipping an empty descriptor must not split the two RAM descriptors it sits between. */
Test(lab01, an_empty_descriptor_does_not_split_its_neighbours)
{
	efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(1), 16, WB);
	efi_map_put(EFI_BOOT_SERVICES_DATA, MB(1) + 16 * 4096, 0, WB);
	efi_map_put(EFI_BOOT_SERVICES_DATA, MB(1) + 16 * 4096, 16, WB);
	convert();
	EXPECT({ MB(1), 32 * 4096, E820_TYPE_RAM });
}

/*
 * This file's own e820__update_table(), in place of lab 2's (the Makefile links these
 * checks with the kernel's made weak: LAB_HOST_OWN_01), so that lab 1's grade does not
 * depend on whether lab 2 is done.  It does only what the full table below needs of it:
 * sort by address and make touching entries of one type one; nothing here overlaps.
 */
int e820__update_table(struct e820_table *t)
{
	struct e820_entry *e = t->entries;
	u32 n = 0;

	if (t->nr_entries < 2)
		return -1;
	for (u32 i = 1; i < t->nr_entries; i++) /* insertion sort: at most 128 entries */
		for (u32 j = i; j && e[j - 1].addr > e[j].addr; j--) {
			struct e820_entry tmp = e[j];

			e[j] = e[j - 1];
			e[j - 1] = tmp;
		}
	for (u32 i = 0; i < t->nr_entries; i++) {
		if (n && e[n - 1].type == e[i].type && e[n - 1].addr + e[n - 1].size == e[i].addr)
			e[n - 1].size += e[i].size;
		else
			e[n++] = e[i];
	}
	t->nr_entries = n;
	return 0;
}

/*
 * A long map fills the table.  __e820__range_add() then sanitises it to make room: it
 * sorts and merges what is there, so entries move and the table shrinks before the new
 * one goes in.  Two touching descriptors of one type after that must still be one entry.
 *
 *   EFI:   131 RAM pages from the top of 256 MiB down (each below the one before it:
 *          nothing merges on the way), then ACPI NVS at 512 MiB, then ACPI NVS just after
 *   E820:  |usable: the 131 pages, merged by the sanitiser|   ...   |ACPI NVS: 2 pages|
 */
Test(lab01, neighbours_still_merge_once_the_table_is_full)
{
	for (u32 i = 1; i <= E820_MAX_ENTRIES; i++)
		efi_map_put(EFI_CONVENTIONAL_MEMORY, MB(256) - i * 4096, 1, WB);
	efi_map_put(EFI_ACPI_MEMORY_NVS, MB(512), 1, WB);
	efi_map_put(EFI_ACPI_MEMORY_NVS, MB(512) + 4096, 1, WB);
	convert();
	EXPECT({ MB(256) - E820_MAX_ENTRIES * 4096, E820_MAX_ENTRIES * 4096, E820_TYPE_RAM },
	       { MB(512), 2 * 4096, E820_TYPE_NVS });
}

/* ---- the challenge: a fallback map that says what it cannot know ---------------------- */

/*
 * E801h gives sizes, not a map.  Whatever e801_to_e820() makes of them must claim no RAM
 * in the BIOS's own areas (the EBDA above the KiB INT 12h reports, the BIOS at 0xf0000),
 * must mark those areas reserved, and must still hold every byte of RAM E801h reported.
 * Checked as properties, so any honest design passes.
 */
static void expect_honest_e801_map(u32 low_kb, u32 kb_1m_16m, u32 blocks_16m)
{
	struct boot_e820_entry out[BIOS_E820_MAX];
	u64 ram = 0, low_end = (u64)low_kb << 10;
	int n = e801_to_e820(low_kb, kb_1m_16m, blocks_16m, out);
	bool ebda = low_end >= 0xa0000, bios = false;

	cr_assert(n > 0 && n <= 8, "e801_to_e820(%u, %u, %u) made %d entries", low_kb, kb_1m_16m,
		  blocks_16m, n);
	for (int i = 0; i < n; i++) {
		u64 s = out[i].addr, e = out[i].addr + out[i].size;

		cr_assert(out[i].size, "entry %d is empty", i);
		cr_assert(i == 0 || out[i - 1].addr + out[i - 1].size <= s,
			  "entry %d [%#llx-%#llx) is out of order or overlaps the one before", i, s, e);
		if (out[i].type == E820_TYPE_RAM) {
			cr_assert(e <= low_end || s >= SZ_1M, "RAM entry [%#llx-%#llx) claims the "
				  "BIOS's memory between %#llx and 1 MiB", s, e, low_end);
			ram += e - s;
		} else if (out[i].type == E820_TYPE_RESERVED) {
			ebda |= s <= low_end && e >= 0xa0000;
			bios |= s <= 0xf0000 && e >= SZ_1M;
		}
	}
	cr_assert(ebda, "with %u KiB below the EBDA, no reserved entry covers %#llx-0x9ffff",
		  low_kb, low_end);
	cr_assert(bios, "no reserved entry covers the BIOS at 0xf0000-0xfffff");
	cr_assert_eq(ram, low_end + ((u64)kb_1m_16m << 10) + ((u64)blocks_16m << 16),
		     "the entries hold %#llx bytes of RAM; E801h reported more", ram);
}

Test(lab01, challenge_the_e801_fallback_map_is_honest)
{
	expect_honest_e801_map(639, 15 * 1024, 496 * 16); /* QEMU, 512 MiB: a 1 KiB EBDA */
	expect_honest_e801_map(640, 7 * 1024, 0);         /* no EBDA, 8 MiB, nothing above 16 */
	expect_honest_e801_map(590, 14 * 1024, 16);       /* a 50 KiB EBDA and an ISA hole */
}
