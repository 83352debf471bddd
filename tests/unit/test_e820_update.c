// SPDX-License-Identifier: MIT
/*
 * The kernel's E820 table (firmware/e820.c): sanitising like Linux's e820__update_table,
 * adding raw entries, and changing the types of ranges, on the messy maps real firmware
 * produces.  Addresses are in MiB unless written out.
 */
#include <criterion/criterion.h>

#include "firmware/e820.h"
#include "host/printk_capture.h"
#include "lib/seq_file.h"

#define MB(x) ((u64)(x) << 20)
#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED

static struct e820_table table;

struct want {
	u64 addr, size;
	u32 type;
};

static void expect_table(const struct e820_table *t, const struct want *w, u32 n)
{
	cr_assert_eq(t->nr_entries, n, "%u entries, expected %u", t->nr_entries, n);
	for (u32 i = 0; i < n; i++) {
		const struct e820_entry *e = &t->entries[i];

		cr_assert(e->addr == w[i].addr && e->size == w[i].size && e->type == w[i].type,
			  "entry %u is [%#llx +%#llx] type %u, expected [%#llx +%#llx] type %u", i,
			  e->addr, e->size, e->type, w[i].addr, w[i].size, w[i].type);
	}
}

#define EXPECT_TABLE(t, ...)                                                                  \
	expect_table(t, (const struct want[]){ __VA_ARGS__ },                                    \
		     sizeof((const struct want[]){ __VA_ARGS__ }) / sizeof(struct want))

static void add(u64 addr, u64 size, u32 type)
{
	cr_assert_eq(__e820__range_add(&table, addr, size, type), 0);
}

static void sanitize(void)
{
	cr_assert_eq(e820__update_table(&table), 0);
}

/* ---- sorting, merging, dropping ---- */

Test(e820_update, unsorted_entries_are_sorted)
{
	add(MB(8), MB(8), RAM);
	add(0, MB(1), RAM);
	add(MB(1), MB(1), RES);
	sanitize();
	EXPECT_TABLE(&table, { 0, MB(1), RAM }, { MB(1), MB(1), RES }, { MB(8), MB(8), RAM });
}

/* [0,1) RAM + [1,3) RAM + [3,4) RAM are one entry; a reserved neighbour stays apart. */
Test(e820_update, touching_entries_of_one_type_merge)
{
	add(MB(1), MB(2), RAM);
	add(0, MB(1), RAM);
	add(MB(3), MB(1), RAM);
	add(MB(4), MB(1), RES);
	sanitize();
	EXPECT_TABLE(&table, { 0, MB(4), RAM }, { MB(4), MB(1), RES });
}

/*
 * RAM       |              [0, 10)             |
 * reserved          |  [4, 6)  |
 * result    | RAM [0,4) | res [4,6) | RAM [6,10) |    the more restrictive type wins
 */
Test(e820_update, overlap_goes_to_the_more_restrictive_type)
{
	add(0, MB(10), RAM);
	add(MB(4), MB(2), RES);
	sanitize();
	EXPECT_TABLE(&table, { 0, MB(4), RAM }, { MB(4), MB(2), RES }, { MB(6), MB(4), RAM });
}

/* ACPI data (3) under ACPI NVS (4): NVS has the larger number and wins where they meet. */
Test(e820_update, overlapping_firmware_types_larger_number_wins)
{
	add(MB(1), MB(4), E820_TYPE_ACPI);
	add(MB(3), MB(4), E820_TYPE_NVS);
	sanitize();
	EXPECT_TABLE(&table, { MB(1), MB(2), E820_TYPE_ACPI }, { MB(3), MB(4), E820_TYPE_NVS });
}

/* A type this kernel does not know (99) is simply not RAM: it keeps its number, and wins. */
Test(e820_update, unknown_type_is_kept_and_beats_ram)
{
	char buf[32];

	add(0, MB(4), RAM);
	add(MB(1), MB(1), 99);
	sanitize();
	EXPECT_TABLE(&table, { 0, MB(1), RAM }, { MB(1), MB(1), 99 }, { MB(2), MB(2), RAM });
	cr_assert_eq(e820_ram_total(&table), MB(3));
	cr_assert_str_eq(e820_type_name(99, buf, sizeof(buf)), "type 99");
}

Test(e820_update, zero_length_entries_vanish)
{
	add(MB(1), 0, RES);
	add(0, MB(2), RAM);
	add(MB(5), 0, RAM);
	sanitize();
	EXPECT_TABLE(&table, { 0, MB(2), RAM });
}

/* The same entry reported twice is one entry. */
Test(e820_update, duplicates_collapse)
{
	add(MB(1), MB(1), RAM);
	add(MB(1), MB(1), RAM);
	add(0, MB(1), RES);
	sanitize();
	EXPECT_TABLE(&table, { 0, MB(1), RES }, { MB(1), MB(1), RAM });
}

/* E820 is byte-granular: SeaBIOS's 639 KiB of low RAM stays exactly that. */
Test(e820_update, unaligned_boundaries_are_kept_to_the_byte)
{
	add(0, 0x9fc00, RAM);
	add(0x9fc00, 0x400, RES);
	add(0xf0000, 0x10000, RES);
	sanitize();
	EXPECT_TABLE(&table, { 0, 0x9fc00, RAM }, { 0x9fc00, 0x400, RES },
		     { 0xf0000, 0x10000, RES });
}

/* Persistent memory and soft-reserved ranges are never merged, even when they touch. */
Test(e820_update, persistent_and_soft_reserved_are_not_merged)
{
	add(MB(1), MB(1), E820_TYPE_PRAM);
	add(MB(2), MB(1), E820_TYPE_PRAM);
	add(MB(8), MB(1), E820_TYPE_SOFT_RESERVED);
	add(MB(9), MB(1), E820_TYPE_SOFT_RESERVED);
	sanitize();
	cr_assert_eq(table.nr_entries, 4);
}

/* One entry: nothing to sanitise, as in Linux (-1, table untouched). */
Test(e820_update, single_entry_is_left_alone)
{
	add(MB(1), MB(1), RAM);
	cr_assert_eq(e820__update_table(&table), -1);
	EXPECT_TABLE(&table, { MB(1), MB(1), RAM });
}

/* ---- entries the firmware should never have sent ---- */

/*
 * An entry that runs past 2^64 is refused (with a warning) and the rest of the map kept.
 * One that ends exactly at 2^64 is taken, as Linux takes it (its last byte, 2^64 - 1,
 * exists); e820__update_table() then gives up on the table (addr + size is 0), as Linux.
 */
Test(e820_update, entry_wrapping_past_2_to_the_64_is_refused)
{
	host_printk_reset();
	add(0, MB(1), RAM);
	cr_assert_eq(__e820__range_add(&table, 0xfffffffffff00000ULL, MB(2), RES), -1);
	cr_assert(strstr(host_printk_buf, "runs past the end of the address space"));
	add(0xfffffffffff00000ULL, MB(1) - 1, RES);
	sanitize();
	EXPECT_TABLE(&table, { 0, MB(1), RAM }, { 0xfffffffffff00000ULL, MB(1) - 1, RES });
}

Test(e820_update, entry_ending_at_2_to_the_64_is_taken)
{
	add(0, MB(1), RAM);
	cr_assert_eq(__e820__range_add(&table, 0xfffffffffff00000ULL, MB(1), RES), 0);
	cr_assert_eq(e820__update_table(&table), -1, "addr + size is 0: Linux gives up");
	EXPECT_TABLE(&table, { 0, MB(1), RAM }, { 0xfffffffffff00000ULL, MB(1), RES });
}

/* Loader entries are appended one by one; a bad one costs only itself. */
Test(e820_update, append_counts_what_it_took)
{
	static const struct boot_e820_entry raw[] = {
		{ 0, 0x9fc00, RAM }, { ~0ULL - 10, 100, RES }, { MB(1), MB(511), RAM },
	};

	cr_assert_eq(append_e820_table(&table, raw, 3), 2);
	cr_assert_eq(table.nr_entries, 2);
}

/*
 * More entries than the table holds (131): 300 touching one-page RAM entries still fit,
 * because a full table is sanitised before the next entry goes in.
 */
Test(e820_update, long_map_of_mergeable_entries_fits)
{
	for (u64 i = 0; i < 300; i++)
		add(MB(1) + i * 4096, 4096, RAM);
	sanitize();
	EXPECT_TABLE(&table, { MB(1), 300 * 4096, RAM });
}

/*
 * 300 entries alternating RAM and reserved cannot merge: the table keeps the first 131
 * and says "too many entries" for the rest - no crash, no overflow.
 */
Test(e820_update, long_map_that_cannot_merge_is_cut_with_a_message)
{
	int refused = 0;

	host_printk_reset();
	for (u64 i = 0; i < 300; i++)
		refused += __e820__range_add(&table, MB(1) + i * 4096, 4096, i % 2 ? RES : RAM) != 0;
	cr_assert_eq(table.nr_entries, E820_MAX_ENTRIES);
	cr_assert_eq(refused, 300 - E820_MAX_ENTRIES);
	cr_assert(strstr(host_printk_buf, "e820: too many entries; ignoring [mem "));
	sanitize();
	cr_assert_eq(table.nr_entries, E820_MAX_ENTRIES);
}

/* ---- changing types in the kernel's table (trim_bios_range's tools) ---- */

static void use_kernel_table(void)
{
	e820_table = &table;
	host_printk_reset();
}

/*
 * Before:  |        RAM [0, 10)        |
 * update [4, 6) RAM -> reserved
 * After:   | RAM [0,4) | res | RAM [6,10) |    split in three
 */
Test(e820_update, range_update_splits_an_entry)
{
	use_kernel_table();
	add(0, MB(10), RAM);
	cr_assert_eq(e820__range_update(MB(4), MB(2), RAM, RES), MB(2));
	e820__update_table(&table);
	EXPECT_TABLE(&table, { 0, MB(4), RAM }, { MB(4), MB(2), RES }, { MB(6), MB(4), RAM });
	cr_assert_str_eq(host_printk_buf, "e820: update [mem 0x00400000-0x005fffff] usable ==> reserved\n");
}

/* Only entries of the old type change: ACPI data inside the range is left as it is. */
Test(e820_update, range_update_touches_only_the_old_type)
{
	use_kernel_table();
	add(0, MB(1), RAM);
	add(MB(1), MB(1), E820_TYPE_ACPI);
	add(MB(2), MB(2), RAM);
	cr_assert_eq(e820__range_update(MB(0), MB(3), RAM, RES), MB(2));
	e820__update_table(&table);
	EXPECT_TABLE(&table, { 0, MB(1), RES }, { MB(1), MB(1), E820_TYPE_ACPI },
		     { MB(2), MB(1), RES }, { MB(3), MB(1), RAM });
}

/*
 * Before:  | RAM [0, 0x9fc00) |res|....| RAM [1M, 512M) |
 * remove RAM in [0xa0000, 0x100000), as trim_bios_range does: nothing of it is RAM here,
 * so nothing changes.  Removing [0x90000, 0x110000) of RAM trims both RAM entries.
 */
Test(e820_update, range_remove_trims_only_the_given_type)
{
	use_kernel_table();
	add(0, 0x9fc00, RAM);
	add(0x9fc00, 0x400, RES);
	add(MB(1), MB(511), RAM);
	cr_assert_eq(e820__range_remove(0xa0000, 0x60000, RAM, true), 0);
	cr_assert_str_eq(host_printk_buf, "e820: remove [mem 0x000a0000-0x000fffff] usable\n");
	cr_assert_eq(e820__range_remove(0x90000, 0x80000, RAM, true), 0xfc00 + 0x10000);
	e820__update_table(&table);
	EXPECT_TABLE(&table, { 0, 0x90000, RAM }, { 0x9fc00, 0x400, RES },
		     { 0x110000, MB(512) - 0x110000, RAM });
}

/* Removing from the middle of an entry of any type (check_type false) splits it. */
Test(e820_update, range_remove_any_type_splits)
{
	use_kernel_table();
	add(0, MB(8), RES);
	cr_assert_eq(e820__range_remove(MB(2), MB(2), 0, false), MB(2));
	e820__update_table(&table);
	EXPECT_TABLE(&table, { 0, MB(2), RES }, { MB(4), MB(4), RES });
}

/* ---- printing ---- */

Test(e820_update, table_prints_as_linux_boot_log)
{
	static char out[1024];
	struct seq_file m;

	add(0, 0x9fc00, RAM);
	add(MB(1), MB(1), E820_TYPE_PMEM);
	sanitize();
	seq_buf_init(&m, out, sizeof(out));
	e820_table_show(&m, "BIOS-e820", &table);
	cr_assert_str_eq(out, "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
			      "BIOS-e820: [mem 0x0000000000100000-0x00000000001fffff] persistent (type 7)\n");
}
