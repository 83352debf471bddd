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
 *     none), and the result starts and ends entries only at such addresses; entries
 *     of a type that never merges are cut at every such address (tests/fuzz/e820_model.h)
 *   - range_update and range_remove never report more bytes than they were given
 */
#include "e820_model.h"
#include "lib/string.h"

static struct e820_entry added[E820_MAX_ENTRIES];
static u32 nr_added;

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
	e820_check_clean(t);
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
		bool refused;

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
			/*
			 * A table e820__update_table refused (an entry ending at 2^64 since the
			 * 6.18 rules) may overlap itself, and then an edit counts a byte once per
			 * entry that holds it, as Linux's does: the bound holds for a clean table.
			 */
			refused = sanitise(e820_table);
			done = e820__range_update(addr, len, type & 0xff, type >> 8);
			fuzz_check(refused || done <= len, "range_update reports %#llx of %#llx bytes",
				   done, len);
			break;
		case 3:
			only_adds = false;
			refused = sanitise(e820_table);
			done = e820__range_remove(addr, len, type, op & 4);
			fuzz_check(refused || done <= len, "range_remove reports %#llx of %#llx bytes",
				   done, len);
			break;
		}
	}
	if (sanitise(e820_table))
		return 0;
	if (only_adds && e820_table->nr_entries < E820_MAX_ENTRIES)
		e820_check_meaning(e820_table, added, nr_added);
	return 0;
}
