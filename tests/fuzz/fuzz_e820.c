// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the E820 sanitiser, e820__update_table() (firmware/e820.c), on any
 * table the raw-entry and range-changing calls can build.
 *
 * Input: records of 21 bytes, little-endian, until the input ends (a short last record
 * is padded with zeros):
 *
 *   u8 op   u64 addr   u64 size   u32 type
 *
 *   op % 4 == 0, 1   __e820__range_add(table, addr, size, type)
 *   op % 4 == 2      e820__range_update(addr, size, type & 0xff, type >> 8)
 *   op % 4 == 3      e820__range_remove(addr, size, type, op & 4)
 *
 * on the kernel's e820_table, emptied first; then e820__update_table().  The kernel
 * changes ranges only in a sanitised table, so update and remove sanitise first.
 * Checked:
 *
 *   - the result is sorted, has no empty entry, no entry wraps past 2^64, no two
 *     entries overlap, no type is 0, and touching entries of one mergeable type are
 *     merged; a refused call (-1) leaves the table as it was
 *   - when every record was an add and nothing was lost to a full table, the result
 *     means what the entries meant: at every address where an entry starts or ends,
 *     the result's type is the largest type of the entries covering that address (0:
 *     none), and the result starts and ends entries only at such addresses
 *   - range_update and range_remove never report more bytes than they were given
 */
#include "firmware/e820.h"
#include "fuzz.h"
#include "lib/string.h"

#define RECORD 21

static struct e820_entry added[E820_MAX_ENTRIES];
static u32 nr_added;
static u64 points[2 * E820_MAX_ENTRIES];
static u32 nr_points;

static bool mergeable(u32 type)
{
	return type != E820_TYPE_PRAM && type != E820_TYPE_SOFT_RESERVED;
}

static void check_clean(const struct e820_table *t)
{
	fuzz_check(t->nr_entries <= E820_MAX_ENTRIES, "%u entries", t->nr_entries);
	for (u32 i = 0; i < t->nr_entries; i++) {
		const struct e820_entry *e = &t->entries[i];

		fuzz_check(e->size && e->type, "entry %u: size %#llx type %u", i, e->size, e->type);
		fuzz_check(e->addr + e->size > e->addr || e->addr + e->size == 0,
			   "entry %u wraps: [%#llx +%#llx]", i, e->addr, e->size);
		if (!i)
			continue;
		const struct e820_entry *p = &t->entries[i - 1];

		fuzz_check(p->addr + p->size != 0 && p->addr + p->size <= e->addr,
			   "entries %u and %u overlap or are out of order", i - 1, i);
		fuzz_check(!(p->addr + p->size == e->addr && p->type == e->type && mergeable(e->type)),
			   "entries %u and %u touch with type %u, unmerged", i - 1, i, e->type);
	}
}

/* The largest type among the added entries covering @addr, 0 if none. */
static u32 model_type(u64 addr)
{
	u32 type = 0;

	for (u32 i = 0; i < nr_added; i++)
		if (added[i].size && addr >= added[i].addr && addr - added[i].addr < added[i].size)
			type = MAX(type, added[i].type);
	return type;
}

static u32 result_type(const struct e820_table *t, u64 addr)
{
	for (u32 i = 0; i < t->nr_entries; i++)
		if (addr >= t->entries[i].addr && addr - t->entries[i].addr < t->entries[i].size)
			return t->entries[i].type;
	return 0;
}

static bool is_point(u64 addr)
{
	for (u32 i = 0; i < nr_points; i++)
		if (points[i] == addr)
			return true;
	return false;
}

static void check_meaning(const struct e820_table *t)
{
	nr_points = 0;
	for (u32 i = 0; i < nr_added; i++) {
		if (!added[i].size)
			continue;
		points[nr_points++] = added[i].addr;
		points[nr_points++] = added[i].addr + added[i].size; /* 0: the top of memory */
	}
	for (u32 i = 0; i < nr_points; i++) {
		u32 want = model_type(points[i]), got = result_type(t, points[i]);

		if (!points[i] && i % 2)
			continue; /* an end at 2^64 is no address */
		fuzz_check(want == got, "at %#llx: type %u, expected %u", points[i], got, want);
	}
	for (u32 i = 0; i < t->nr_entries; i++) {
		const struct e820_entry *e = &t->entries[i];

		fuzz_check(is_point(e->addr) && is_point(e->addr + e->size),
			   "entry %u [%#llx +%#llx] has an end no input entry has", i, e->addr, e->size);
	}
}

/*
 * e820__update_table(), checked: a refused call changes nothing, else the table is
 * clean.  Returns whether it was refused.
 */
static bool sanitise(struct e820_table *t)
{
	struct e820_table before = *t;

	if (e820__update_table(t)) {
		fuzz_check(!memcmp(&before, t, sizeof(before)),
			   "a refused e820__update_table changed the table");
		return true;
	}
	check_clean(t);
	return false;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = fuzz_input(data, size);
	bool only_adds = true;

	e820_table->nr_entries = 0;
	nr_added = 0;
	while (fuzz_left(&in)) {
		u8 op = fuzz_u8(&in);
		u64 addr = fuzz_u64(&in), len = fuzz_u64(&in);
		u32 type = fuzz_u32(&in);
		u64 done;

		switch (op % 4) {
		case 0:
		case 1:
			if (e820_table->nr_entries >= E820_MAX_ENTRIES)
				only_adds = false; /* the add sanitises first, and may drop entries */
			if (!__e820__range_add(e820_table, addr, len, type) && nr_added < E820_MAX_ENTRIES)
				added[nr_added++] = (struct e820_entry){ addr, len, type };
			break;
		case 2:
			only_adds = false;
			sanitise(e820_table);
			done = e820__range_update(addr, len, type & 0xff, type >> 8);
			fuzz_check(done <= len, "range_update reports %#llx of %#llx bytes", done, len);
			break;
		case 3:
			only_adds = false;
			sanitise(e820_table);
			done = e820__range_remove(addr, len, type, op & 4);
			fuzz_check(done <= len, "range_remove reports %#llx of %#llx bytes", done, len);
			break;
		}
	}
	if (sanitise(e820_table))
		return 0;
	if (only_adds && e820_table->nr_entries < E820_MAX_ENTRIES)
		check_meaning(e820_table);
	return 0;
}
