// SPDX-License-Identifier: MIT
/*
 * legacy16/memory.c against a BIOS played by the test: the E820 loop must survive the
 * ways real BIOSes bend the protocol, the E801 fallback must produce a sane map, and
 * placing the kernel must respect every non-RAM entry.
 */
#include <criterion/criterion.h>

#include "../../legacy16/boot16.h"
#include "host/fake_bios.h"

static const struct e820_raw qemu_like[] = {
	{ 0x0, 0x9fc00, E820_TYPE_RAM, 1 },
	{ 0x9fc00, 0x400, E820_TYPE_RESERVED, 1 },
	{ 0xf0000, 0x10000, E820_TYPE_RESERVED, 1 },
	{ 0x100000, 0x1fee0000, E820_TYPE_RAM, 1 },
	{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED, 1 },
};

/* The fake BIOS of these tests: @len bytes an entry, CF after the last if @cf_end, the
 * signature lost on call @lose_at (-1: never). */
static void play(const struct e820_raw *e, int n, u32 len, bool cf_end, int lose_at)
{
	fake_bios_play(e, n, len);
	fake_bios.cf_at_end = cf_end, fake_bios.lose_smap_at = lose_at;
}

Test(legacy_e820, spec_conforming_bios_gives_every_entry)
{
	struct boot_e820_entry out[16];

	play(qemu_like, 5, 24, false, -1);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 5);
	cr_assert_eq(out[3].addr, 0x100000);
	cr_assert_eq(out[3].size, 0x1fee0000);
	cr_assert_eq(out[3].type, E820_TYPE_RAM);
	cr_assert_eq(fake_bios.calls, 5);
}

Test(legacy_e820, list_ending_with_carry_flag_is_complete)
{
	struct boot_e820_entry out[16];

	play(qemu_like, 5, 24, true, -1);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 5);
	cr_assert_eq(fake_bios.calls, 6, "one more call, answered with CF");
}

Test(legacy_e820, twenty_byte_entries_are_all_enabled)
{
	struct boot_e820_entry out[16];

	play(qemu_like, 5, 20, false, -1);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 5);
}

Test(legacy_e820, acpi3_disabled_and_zero_length_entries_are_dropped)
{
	static const struct e820_raw e[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM, 1 },
		{ 0x100000, 0x100000, E820_TYPE_RAM, 0 }, /* disabled */
		{ 0x200000, 0, E820_TYPE_RAM, 1 },        /* empty */
		{ 0x300000, 0x100000, E820_TYPE_RAM, 3 }, /* enabled, non-volatile */
	};
	struct boot_e820_entry out[16];

	play(e, 4, 24, false, -1);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 2);
	cr_assert_eq(out[1].addr, 0x300000);
}

Test(legacy_e820, disabled_bit_on_every_entry_is_ignored)
{
	static const struct e820_raw e[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM, 0 },
		{ 0x100000, 0x100000, E820_TYPE_RAM, 0 },
	};
	struct boot_e820_entry out[16];

	play(e, 2, 24, false, -1);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 2, "a BIOS that never sets the bit");
}

Test(legacy_e820, lost_smap_signature_keeps_what_came_before)
{
	struct boot_e820_entry out[16];

	play(qemu_like, 5, 24, false, 3);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), 3);
}

Test(legacy_e820, no_e820_at_all_is_reported)
{
	struct boot_e820_entry out[16];

	play(qemu_like, 5, 24, false, 0);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 16), -1);
}

Test(legacy_e820, more_entries_than_room_are_cut_not_overflowed)
{
	struct boot_e820_entry out[3];

	play(qemu_like, 5, 24, false, -1);
	cr_assert_eq(e820_read_table(fake_bios_call, out, 3), 3);
}

Test(legacy_e820, e801_answer_becomes_three_ram_entries)
{
	struct boot_e820_entry out[4];

	/* 639 KiB low, 15 MiB between 1 and 16 MiB, 496 MiB above: a 512 MiB machine. */
	cr_assert_eq(e801_to_e820(639, 15 * 1024, 496 * 16, out), 3);
	cr_assert_eq(out[0].size, 639 * 1024);
	cr_assert_eq(out[1].addr, SZ_1M);
	cr_assert_eq(out[1].size, 15 * SZ_1M);
	cr_assert_eq(out[2].addr, 16 * SZ_1M);
	cr_assert_eq(out[2].size, 496 * SZ_1M);
	cr_assert_eq(out[2].type, E820_TYPE_RAM);
}

Test(legacy_e820, e801_with_nothing_above_16m_gives_two_entries)
{
	struct boot_e820_entry out[4];

	cr_assert_eq(e801_to_e820(640, 7 * 1024, 0, out), 2);
}

/*
 * What the kernel gets in boot_info.alt_mem_k, as Linux's boot code computes it: 15 MiB
 * plus the 64 KiB blocks above 16 MiB; below 15 MiB (a hole at 15 MiB) just that; an
 * answer above 15 MiB is bogus: 0.
 */
Test(legacy_e820, e801_alt_mem_k_is_linux_s)
{
	cr_assert_eq(e801_alt_mem_k(15 * 1024, 496 * 16), 511 * 1024);
	cr_assert_eq(e801_alt_mem_k(7 * 1024, 496 * 16), 7 * 1024);
	cr_assert_eq(e801_alt_mem_k(16 * 1024, 0), 0);
}

static const struct boot_e820_entry map[] = {
	{ 0x0, 0x9fc00, E820_TYPE_RAM },
	{ 0x100000, 0x7ff00000, E820_TYPE_RAM },   /* 1 MiB .. 2 GiB */
	{ 0x300000, 0x100000, E820_TYPE_RESERVED }, /* a hole inside it, 3-4 MiB */
};

Test(legacy_e820, find_free_skips_low_memory_and_aligns)
{
	cr_assert_eq(e820_find_free(map, 3, NULL, 0, 0x1000, 0x1000, SZ_1M), SZ_1M);
	cr_assert_eq(e820_find_free(map, 3, NULL, 0, SZ_1M, SZ_2M, SZ_1M), SZ_2M);
}

Test(legacy_e820, find_free_steps_over_reserved_entries_and_taken_ranges)
{
	u64 taken[1][2] = { { 0x100000, 0x180000 } };

	/* 2 MiB aligned, 2 MiB long: 2-4 MiB would cover the reserved hole. */
	cr_assert_eq(e820_find_free(map, 3, NULL, 0, SZ_2M, SZ_2M, SZ_1M), 4 * SZ_1M);
	cr_assert_eq(e820_find_free(map, 3, (const u64(*)[2])taken, 1, 0x1000, 0x1000, SZ_1M),
		     0x180000);
}

Test(legacy_e820, find_free_fails_cleanly_when_nothing_fits)
{
	cr_assert_eq(e820_find_free(map, 3, NULL, 0, 4 * SZ_1G, SZ_2M, SZ_1M), 0);
}
