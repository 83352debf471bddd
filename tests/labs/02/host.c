// SPDX-License-Identifier: MIT
/*
 * Lab 2's host checks: e820__update_table() and track_overlaps() (firmware/e820.c) on
 * messy firmware maps, and memblock_merge_regions() (mm/memblock.c) through memblock's
 * public calls.  Each test is one graded check (docs/labs/02-firmware-maps-and-memblock.md).
 *
 * The pictures show address ranges in MiB, one character per MiB:
 *
 *   RRRR      usable RAM (type 1)      rrrr   reserved (type 2)
 *   AAAA      ACPI data (type 3)       NNNN   ACPI NVS (type 4)
 */
#include <criterion/criterion.h>

#include "firmware/e820.h"
#include "host/printk_capture.h"
#include "mm/memblock.h"

#define MB(x) ((u64)(x) << 20)
#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED
#define ACPI E820_TYPE_ACPI
#define NVS E820_TYPE_NVS

/* ---- e820__update_table ------------------------------------------------------------ */

static struct e820_table table;

static void add(u64 start, u64 size, u32 type)
{
	struct e820_entry *e = &table.entries[table.nr_entries++];

	e->addr = start, e->size = size, e->type = type;
}

static void sanitize(void)
{
	cr_assert_eq(e820__update_table(&table), 0, "e820__update_table failed");
}

static void expect(const struct e820_entry *want, u32 n)
{
	for (u32 i = 0; i < n && i < table.nr_entries; i++) {
		const struct e820_entry *e = &table.entries[i];

		cr_assert(e->addr == want[i].addr && e->size == want[i].size && e->type == want[i].type,
			  "entry %u is [%#llx-%#llx) type %u, expected [%#llx-%#llx) type %u", i, e->addr,
			  e->addr + e->size, e->type, want[i].addr, want[i].addr + want[i].size, want[i].type);
	}
	cr_assert_eq(table.nr_entries, n, "%u entries, expected %u", table.nr_entries, n);
}

#define EXPECT(...)                                                                        \
	expect((const struct e820_entry[]){ __VA_ARGS__ },                                 \
	       sizeof((const struct e820_entry[]){ __VA_ARGS__ }) / sizeof(struct e820_entry))

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab02, .timeout = 5);

/*
 * in:   ........RRRRRRRR         [8, 16) RAM, listed first
 *       RR......                 [0, 2) RAM
 *       ..r.....                 [2, 3) reserved
 * out:  RRr.....RRRRRRRR         sorted by address
 */
Test(lab02, unsorted_entries_come_out_sorted)
{
	add(MB(8), MB(8), RAM);
	add(0, MB(2), RAM);
	add(MB(2), MB(1), RES);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(2), MB(1), RES }, { MB(8), MB(8), RAM });
}

/*
 * in:   RR|RRR|R|rr              four touching RAM entries, then reserved
 * out:  RRRRRR|rr                one RAM entry; the reserved one stays apart
 */
Test(lab02, touching_entries_of_one_type_merge)
{
	add(MB(2), MB(3), RAM);
	add(0, MB(2), RAM);
	add(MB(5), MB(1), RAM);
	add(MB(6), MB(2), RES);
	sanitize();
	EXPECT({ 0, MB(6), RAM }, { MB(6), MB(2), RES });
}

/*
 * in:   RRRRRRRR                 [0, 8) RAM
 *       ..rr....                 [2, 4) reserved inside it
 * out:  RRrrRRRR                 the larger type number wins where they overlap
 */
Test(lab02, where_entries_overlap_the_larger_type_wins)
{
	add(0, MB(8), RAM);
	add(MB(2), MB(2), RES);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(2), MB(2), RES }, { MB(4), MB(4), RAM });
}

/*
 * in:   ..RRRR..                 RAM inside reserved, listed first
 *       rrrrrrrr
 * out:  rrrrrrrr                 reserved everywhere: RAM loses, whatever the order
 */
Test(lab02, ram_inside_a_reserved_entry_disappears)
{
	add(MB(2), MB(4), RAM);
	add(0, MB(8), RES);
	sanitize();
	EXPECT({ 0, MB(8), RES });
}

/*
 * in:   RRRRRRRRRR               [0, 10) RAM
 *       ..AAAA....               [2, 6) ACPI data
 *       ....NNNN..               [4, 8) ACPI NVS
 * out:  RRAANNNNRR
 */
Test(lab02, three_entries_overlapping_in_a_staircase)
{
	add(0, MB(10), RAM);
	add(MB(4), MB(4), NVS);
	add(MB(2), MB(4), ACPI);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(2), MB(2), ACPI }, { MB(4), MB(4), NVS }, { MB(8), MB(2), RAM });
}

/*
 * in:   RR......                 [0, 2) RAM
 *       ..AA....                 [2, 4) ACPI data   all three change at 2 MiB:
 *       ..N.....                 [2, 3) ACPI NVS    no empty entry may be left there
 * out:  RRNA....
 */
Test(lab02, entries_that_start_together_leave_no_empty_entry)
{
	add(0, MB(2), RAM);
	add(MB(2), MB(2), ACPI);
	add(MB(2), MB(1), NVS);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(2), MB(1), NVS }, { MB(3), MB(1), ACPI });
}

/* Empty entries vanish, and an exact duplicate is the same memory, not more. */
Test(lab02, empty_and_duplicate_entries_vanish)
{
	add(MB(4), 0, RES);
	add(0, MB(2), RAM);
	add(MB(8), MB(1), RES);
	add(0, MB(2), RAM);
	add(MB(1), 0, NVS);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(8), MB(1), RES });
}

/*
 * A type nobody knows (9 here) is not RAM: it keeps its number, beats RAM, and does not
 * merge with reserved memory beside it.
 */
Test(lab02, an_unknown_type_keeps_its_number)
{
	add(0, MB(4), RAM);
	add(MB(2), MB(4), 9);
	add(MB(6), MB(2), RES);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(2), MB(4), 9 }, { MB(6), MB(2), RES });
}

/* Persistent (12) and soft-reserved ranges may each be a device: never merged. */
Test(lab02, persistent_and_soft_reserved_never_merge)
{
	add(MB(4), MB(2), E820_TYPE_PRAM);
	add(0, MB(2), RAM);
	add(MB(2), MB(2), E820_TYPE_PRAM);
	add(MB(6), MB(1), E820_TYPE_SOFT_RESERVED);
	add(MB(7), MB(1), E820_TYPE_SOFT_RESERVED);
	add(MB(8), MB(1), E820_TYPE_PMEM);
	add(MB(9), MB(1), E820_TYPE_PMEM);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(2), MB(2), E820_TYPE_PRAM }, { MB(4), MB(2), E820_TYPE_PRAM },
	       { MB(6), MB(1), E820_TYPE_SOFT_RESERVED }, { MB(7), MB(1), E820_TYPE_SOFT_RESERVED },
	       { MB(8), MB(2), E820_TYPE_PMEM });
}

/*
 * Soft-reserved memory (0xefffffff) has the largest type number of all: where it overlaps
 * RAM it wins, as any type does. Every type is a u32, and compares as one.
 *
 * in:   RRRR....                 [0, 4) RAM
 *       ..ssss..                 [2, 6) soft-reserved
 * out:  RRss|ss..                (cut where RAM ends: soft-reserved never merges)
 */
Test(lab02, the_largest_type_number_wins_too)
{
	add(0, MB(4), RAM);
	add(MB(2), MB(4), E820_TYPE_SOFT_RESERVED);
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(2), MB(2), E820_TYPE_SOFT_RESERVED },
	       { MB(4), MB(2), E820_TYPE_SOFT_RESERVED });
}

/* A full table: 131 touching 1 MiB entries, listed backwards, become one. */
Test(lab02, a_full_table_of_neighbours_becomes_one_entry)
{
	for (int i = E820_MAX_ENTRIES - 1; i >= 0; i--)
		add(MB(i), MB(1), RAM);
	sanitize();
	EXPECT({ 0, MB(E820_MAX_ENTRIES), RAM });
}

/*
 * in:   PPPPPPPP                 [0, 8) persistent (PRAM, never merged)
 *       ..RR....                 [2, 4) RAM: it loses, but it starts and ends inside
 * out:  PP|PP|PPPP               three touching persistent entries, as Linux's sweep
 *                                cuts them: wherever another entry starts or ends
 */
Test(lab02, a_never_merging_entry_is_cut_where_others_start_and_end)
{
	add(0, MB(8), E820_TYPE_PRAM);
	add(MB(2), MB(2), RAM);
	sanitize();
	EXPECT({ 0, MB(2), E820_TYPE_PRAM }, { MB(2), MB(2), E820_TYPE_PRAM },
	       { MB(4), MB(4), E820_TYPE_PRAM });
}

/*
 * Fewer than two entries: nothing to sanitise, so Linux returns -1 and leaves the table
 * alone - even an empty entry stays.  With a second entry there is work again, and the
 * empty one goes.
 */
Test(lab02, a_table_of_one_entry_is_left_alone)
{
	cr_assert_eq(e820__update_table(&table), -1, "an empty table: expected -1");
	cr_assert_eq(table.nr_entries, 0);
	add(MB(1), 0, RAM);
	cr_assert_eq(e820__update_table(&table), -1, "a table of one entry: expected -1");
	EXPECT({ MB(1), 0, RAM });
	add(0, MB(1), RAM);
	sanitize();
	EXPECT({ 0, MB(1), RAM });
}

/*
 * An entry whose end does not fit in 64 bits - past 2^64, or exactly at it, where
 * addr + size is 0 - makes Linux give up: -1, and the table exactly as it was.  One
 * that ends a page below 2^64 is an entry like any other.
 */
static void expect_left_alone(const char *what)
{
	struct e820_table before = table;

	cr_assert_eq(e820__update_table(&table), -1, "%s: expected -1", what);
	cr_assert_eq(table.nr_entries, before.nr_entries, "%s: the table changed", what);
	for (u32 i = 0; i < table.nr_entries; i++)
		cr_assert(table.entries[i].addr == before.entries[i].addr &&
			  table.entries[i].size == before.entries[i].size &&
			  table.entries[i].type == before.entries[i].type,
			  "%s: entry %u changed", what, i);
}

Test(lab02, an_entry_that_wraps_leaves_the_table_alone)
{
	const u64 top = ~0ULL - MB(1) + 1; /* 2^64 - 1 MiB */

	add(MB(8), MB(8), RAM);
	add(0, MB(2), RAM);
	add(top, MB(1), RES); /* [2^64 - 1 MiB, 2^64) */
	expect_left_alone("an entry ending exactly at 2^64");
	table.entries[2].size = MB(2); /* [2^64 - 1 MiB, 2^64 + 1 MiB) */
	expect_left_alone("an entry running past 2^64");
	table.entries[2].size = MB(1) - 0x1000; /* [2^64 - 1 MiB, 2^64 - 4 KiB) */
	sanitize();
	EXPECT({ 0, MB(2), RAM }, { MB(8), MB(8), RAM }, { top, MB(1) - 0x1000, RES });
}

/*
 * in:   RRRRRRRRRRRRRRRRRRRRR...RRRR     one RAM entry over 133 MiB
 *       .r.r.r.r.r.r.r.r.r.r.r...r..     66 reserved islands inside it
 * out:  the first E820_MAX_ENTRIES of the 133 pieces, from the bottom up: the sanitised
 *       table cannot hold more, and Linux keeps what fits rather than fail
 */
Test(lab02, too_many_pieces_keep_the_lowest_that_fit)
{
	add(0, MB(133), RAM);
	for (int i = 0; i < 66; i++)
		add(MB(2 * i + 1), MB(1), RES);
	sanitize();
	cr_assert_eq(table.nr_entries, E820_MAX_ENTRIES, "%u entries, expected %u",
		     table.nr_entries, E820_MAX_ENTRIES);
	for (u32 i = 0; i < E820_MAX_ENTRIES; i++)
		cr_assert(table.entries[i].addr == MB(i) && table.entries[i].size == MB(1) &&
			  table.entries[i].type == (i % 2 ? RES : RAM),
			  "entry %u is [%#llx-%#llx) type %u, expected [%#llx-%#llx) type %u", i,
			  table.entries[i].addr, table.entries[i].addr + table.entries[i].size,
			  table.entries[i].type, MB(i), MB(i + 1), i % 2 ? RES : RAM);
}

/*
 * What the kernel does at boot (trim_bios_range): page 0 becomes reserved and the
 * changed part is appended at the end of the table; sanitising puts it back in order.
 */
Test(lab02, the_boot_trims_come_out_in_order)
{
	e820_table->nr_entries = 0;
	__e820__range_add(e820_table, 0, 0x9fc00, RAM);
	__e820__range_add(e820_table, 0x9fc00, 0x400, RES);
	__e820__range_add(e820_table, 0xf0000, 0x10000, RES);
	__e820__range_add(e820_table, MB(1), MB(511), RAM);
	e820__range_update(0, 0x1000, RAM, RES);
	e820__range_remove(0xa0000, 0x60000, RAM, true);
	cr_assert_eq(e820__update_table(e820_table), 0);
	table = *e820_table;
	EXPECT({ 0, 0x1000, RES }, { 0x1000, 0x9fc00 - 0x1000, RAM }, { 0x9fc00, 0x400, RES },
	       { 0xf0000, 0x10000, RES }, { MB(1), MB(511), RAM });
}

/* ---- memblock_merge_regions, through memblock_add / memblock_reserve ------------------- */

struct range {
	phys_addr_t base, size;
};

static void expect_regions(struct memblock_type *type, const struct range *want, unsigned long n)
{
	for (unsigned long i = 0; i < n && i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		cr_assert(r->base == want[i].base && r->size == want[i].size,
			  "%s[%lu] is [%#llx-%#llx), expected [%#llx-%#llx)", type->name, i, r->base,
			  r->base + r->size, want[i].base, want[i].base + want[i].size);
	}
	cr_assert_eq(type->cnt, n, "%s has %lu regions, expected %lu", type->name, type->cnt, n);
}

#define EXPECT_REGIONS(type, ...)                                                              \
	expect_regions(&memblock.type, (const struct range[]){ __VA_ARGS__ },                    \
		       sizeof((const struct range[]){ __VA_ARGS__ }) / sizeof(struct range))

/*
 * Added:  |A|.|C|          A = [1, 2), C = [3, 4)
 *         ..|B|..          then B = [2, 3), which touches both
 * After:  |  ABC  |        one region
 */
Test(lab02, a_region_that_fills_a_gap_merges_with_both_sides)
{
	memblock_add(MB(1), MB(1));
	memblock_add(MB(3), MB(1));
	memblock_add(MB(2), MB(1));
	EXPECT_REGIONS(memory, { MB(1), MB(3) });
	cr_assert_eq(memblock.memory.total_size, MB(3));
}

/*
 * Added:  |A|  |B|         a gap of one page between A and B stays a gap,
 *         |A||C|           but C touching A's end merges with A
 */
Test(lab02, only_touching_regions_merge)
{
	memblock_add(MB(1), MB(1));
	memblock_add(MB(2) + 0x1000, MB(1));
	EXPECT_REGIONS(memory, { MB(1), MB(1) }, { MB(2) + 0x1000, MB(1) });
	memblock_add(MB(4), MB(1));
	memblock_add(MB(3) + 0x1000, MB(1) - 0x1000);
	EXPECT_REGIONS(memory, { MB(1), MB(1) }, { MB(2) + 0x1000, MB(3) - 0x1000 });
}

/* Regions on different nodes, or with different flags, never merge. */
Test(lab02, node_and_flags_keep_regions_apart)
{
	memblock_add_node(MB(1), MB(1), 0, MEMBLOCK_NONE);
	memblock_add_node(MB(2), MB(1), 0, MEMBLOCK_NONE);
	memblock_add_node(MB(3), MB(1), MAX_NUMNODES, MEMBLOCK_NONE);
	memblock_add_node(MB(4), MB(1), MAX_NUMNODES, MEMBLOCK_HOTPLUG);
	memblock_add_node(MB(5), MB(1), MAX_NUMNODES, MEMBLOCK_HOTPLUG);
	EXPECT_REGIONS(memory, { MB(1), MB(2) }, { MB(3), MB(1) }, { MB(4), MB(2) });
	cr_assert_eq(memblock.memory.regions[0].nid, 0);
	cr_assert_eq(memblock.memory.regions[2].flags, MEMBLOCK_HOTPLUG);
}

/* A long chain: 100 touching pages reserved out of order are one region at the end. */
Test(lab02, a_long_chain_merges_completely)
{
	for (int i = 0; i < 100; i += 2)
		memblock_reserve(MB(1) + i * 0x1000, 0x1000);
	for (int i = 99; i > 0; i -= 2)
		memblock_reserve(MB(1) + i * 0x1000, 0x1000);
	EXPECT_REGIONS(reserved, { MB(1), 100 * 0x1000 });
}

/*
 * Reserved regions merge too; freeing the middle splits one, reserving it again heals it.
 * Reserved:  |rrrrrrrr|   ->  |rrr|..|rrr|   ->  |rrrrrrrr|
 */
Test(lab02, a_freed_hole_heals_when_reserved_again)
{
	memblock_reserve(MB(1), MB(1));
	memblock_reserve(MB(2), MB(2));
	EXPECT_REGIONS(reserved, { MB(1), MB(3) });
	memblock_phys_free(MB(2), MB(1));
	EXPECT_REGIONS(reserved, { MB(1), MB(1) }, { MB(3), MB(1) });
	memblock_reserve(MB(2), MB(1));
	EXPECT_REGIONS(reserved, { MB(1), MB(3) });
}
