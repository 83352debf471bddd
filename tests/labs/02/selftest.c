// SPDX-License-Identifier: MIT
/*
 * `selftest lab2`: lab 2's checks inside the running kernel
 * (docs/labs/02-firmware-maps-and-memblock.md): sanitising a table built here, the
 * kernel's own e820 tables and memblock as this boot left them, and memblock merging
 * regions added (and then removed again) far above the RAM.
 */
#include "arch/memory.h"
#include "firmware/e820.h"
#include "kernel/selftest.h"
#include "mm/memblock.h"

#define MB(x) ((u64)(x) << 20)

static struct e820_table table;

static void add(u64 addr, u64 size, u32 type)
{
	table.entries[table.nr_entries++] = (struct e820_entry){ addr, size, type };
}

static bool entry_is(u32 i, u64 addr, u64 size, u32 type)
{
	const struct e820_entry *e = &table.entries[i];

	return i < table.nr_entries && e->addr == addr && e->size == size && e->type == type;
}

/*
 * in:   ......RRRRRRRR         [6, 14) RAM, first in the table
 *       RRRRRR....             [0, 6) RAM
 *       ..rrrr....             [2, 6) reserved, over the RAM
 *       ....AA....             [4, 6) ACPI data, over both
 * out:  RRrrAARRRRRRRR
 */
static void e820_update_resolves_overlaps(struct selftest *t)
{
	table.nr_entries = 0;
	add(MB(6), MB(8), E820_TYPE_RAM);
	add(0, MB(6), E820_TYPE_RAM);
	add(MB(2), MB(4), E820_TYPE_RESERVED);
	add(MB(4), MB(2), E820_TYPE_ACPI);
	ST_ASSERT(t, e820__update_table(&table) == 0);
	ST_EXPECT_EQ(t, table.nr_entries, 4);
	ST_EXPECT(t, entry_is(0, 0, MB(2), E820_TYPE_RAM));
	ST_EXPECT(t, entry_is(1, MB(2), MB(2), E820_TYPE_RESERVED));
	ST_EXPECT(t, entry_is(2, MB(4), MB(2), E820_TYPE_ACPI));
	ST_EXPECT(t, entry_is(3, MB(6), MB(8), E820_TYPE_RAM));
}

/* Sorted, disjoint, nothing empty, no two touching entries that should have merged. */
static void expect_sanitised(struct selftest *t, const char *name, const struct e820_table *tb)
{
	for (u32 i = 0; i < tb->nr_entries; i++) {
		const struct e820_entry *e = &tb->entries[i], *next = e + 1;
		bool mergeable = e->type != E820_TYPE_PRAM && e->type != E820_TYPE_SOFT_RESERVED;

		if (!e->size)
			selftest_fail(t, __FILE__, __LINE__, "%s[%u] is empty", name, i);
		if (i + 1 == tb->nr_entries)
			break;
		if (e->addr + e->size > next->addr)
			selftest_fail(t, __FILE__, __LINE__, "%s[%u] and [%u] overlap or are out of "
				      "order", name, i, i + 1);
		else if (e->addr + e->size == next->addr && e->type == next->type && mergeable)
			selftest_fail(t, __FILE__, __LINE__, "%s[%u] and [%u] touch and should have "
				      "merged", name, i, i + 1);
	}
}

static void boot_e820_tables_are_sanitised(struct selftest *t)
{
	expect_sanitised(t, "e820_table_firmware", e820_table_firmware);
	expect_sanitised(t, "e820_table", e820_table);
	ST_EXPECT(t, e820_table->nr_entries > 1 && e820_table->entries[0].addr == 0 &&
		     e820_table->entries[0].type == E820_TYPE_RESERVED);
}

static void expect_merged(struct selftest *t, struct memblock_type *type)
{
	for (unsigned long i = 0; i + 1 < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i], *next = r + 1;

		if (r->base + r->size > next->base)
			selftest_fail(t, __FILE__, __LINE__, "memblock.%s[%lu] and [%lu] overlap",
				      type->name, i, i + 1);
		else if (r->base + r->size == next->base && r->nid == next->nid &&
			 r->flags == next->flags)
			selftest_fail(t, __FILE__, __LINE__, "memblock.%s[%lu] and [%lu] touch and "
				      "should have merged", type->name, i, i + 1);
	}
}

static void memblock_regions_are_merged(struct selftest *t)
{
	expect_merged(t, &memblock.memory);
	expect_merged(t, &memblock.reserved);
}

/*
 * Three pages added far above any RAM, the middle one last: they become one region.
 * They are removed again, so memblock is left as it was found.
 */
static void memblock_merges_what_is_added(struct selftest *t)
{
	const phys_addr_t base = 1ULL << 40;
	unsigned long cnt = memblock.memory.cnt;
	phys_addr_t total = memblock.memory.total_size;

	ST_ASSERT(t, memblock_end_of_DRAM() < base && cnt + 4 <= memblock.memory.max);
	memblock_add(base, PAGE_SIZE);
	memblock_add(base + 2 * PAGE_SIZE, PAGE_SIZE);
	memblock_add(base + PAGE_SIZE, PAGE_SIZE);
	ST_EXPECT_EQ(t, memblock.memory.cnt, cnt + 1);
	ST_EXPECT_EQ(t, memblock.memory.regions[memblock.memory.cnt - 1].base, base);
	ST_EXPECT_EQ(t, memblock.memory.regions[memblock.memory.cnt - 1].size, 3 * PAGE_SIZE);
	memblock_remove(base, 3 * PAGE_SIZE);
	ST_EXPECT_EQ(t, memblock.memory.cnt, cnt);
	ST_EXPECT_EQ(t, memblock.memory.total_size, total);
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(e820_update_resolves_overlaps),
	SELFTEST_CASE(boot_e820_tables_are_sanitised),
	SELFTEST_CASE(memblock_regions_are_merged),
	SELFTEST_CASE(memblock_merges_what_is_added),
};

DEFINE_LAB_SELFTEST_SUITE(lab2, cases);
