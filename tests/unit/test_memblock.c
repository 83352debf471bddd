// SPDX-License-Identifier: MIT
/*
 * memblock's region arrays: adding, reserving, removing, freeing, merging, splitting,
 * growing, walking and printing.  The real mm/memblock.c, linked against the host shims
 * (physical memory is the arena of tests/host/memory.c).  Allocation is in
 * test_memblock_alloc.c.
 *
 * Each test draws the regions before and after, one character per unit named in the
 * test (mostly 1 MiB):
 *
 *   |   A   |   B   |     regions of memblock.memory (or .reserved, if the test says)
 *   ^0      ^8          addresses, in the test's unit
 *   .....               no region here
 */
#include <signal.h>

#include <criterion/criterion.h>

#include "arch/memory.h"
#include "host/memblock_check.h"
#include "host/printk_capture.h"
#include "lib/seq_file.h"
#include "mm/memblock.h"

/* ---- the starting state ---- */

/*
 * Before anything: each array is the static 128-entry table, empty: cnt 0 (Linux 6.11 on;
 * before, cnt 1 with a zero-size dummy region) and regions[0] zero-size.
 */
Test(memblock_init, starts_empty_with_128_entry_arrays)
{
	EXPECT_EMPTY(memory);
	EXPECT_EMPTY(reserved);
	cr_assert_eq(memblock.memory.cnt, 0);
	cr_assert_eq(memblock.reserved.cnt, 0);
	cr_assert_eq(memblock_end_of_DRAM(), 0, "no memory: no end");
	cr_assert_eq(memblock.memory.max, INIT_MEMBLOCK_REGIONS);
	cr_assert_eq(memblock.reserved.max, INIT_MEMBLOCK_RESERVED_REGIONS);
	cr_assert_eq(INIT_MEMBLOCK_REGIONS, 128);
	cr_assert_str_eq(memblock.memory.name, "memory");
	cr_assert_str_eq(memblock.reserved.name, "reserved");
	cr_assert_eq(memblock.current_limit, MEMBLOCK_ALLOC_ANYWHERE);
	cr_assert(!memblock_bottom_up());
}

/* ---- memblock_add ---- */

/*
 * Before:  (empty)
 * After:   .....|  A  |          A = [1, 3)
 */
Test(memblock_add, first_region_goes_in_slot_0)
{
	cr_assert_eq(memblock_add(MB(1), MB(2)), 0);
	EXPECT_REGIONS(memory, { MB(1), MB(2) });
	cr_assert_eq(memblock.memory.cnt, 1);
	cr_assert_eq(memblock.memory.regions[0].nid, MAX_NUMNODES);
	cr_assert_eq(memblock.memory.regions[0].flags, MEMBLOCK_NONE);
}

/*
 * Added:   ..........| B |       B = [10, 12), then A = [1, 3)
 * After:   .| A |....| B |       kept sorted by address, whatever the order of calls
 */
Test(memblock_add, disjoint_regions_stay_sorted)
{
	memblock_add(MB(10), MB(2));
	memblock_add(MB(1), MB(2));
	EXPECT_REGIONS(memory, { MB(1), MB(2) }, { MB(10), MB(2) });
}

/*
 * Before:  .....|  A  |          A = [4, 6)
 * Add:     .|B |                 B = [1, 4): ends exactly where A begins
 * After:   .|     A     |        one region [1, 6): touching regions merge
 */
Test(memblock_add, region_touching_from_below_merges)
{
	memblock_add(MB(4), MB(2));
	memblock_add(MB(1), MB(3));
	EXPECT_REGIONS(memory, { MB(1), MB(5) });
}

/*
 * Before:  .|  A  |              A = [1, 3)
 * Add:            |  B  |        B = [3, 5)
 * After:   .|    A+B    |        [1, 5)
 */
Test(memblock_add, region_touching_from_above_merges)
{
	memblock_add(MB(1), MB(2));
	memblock_add(MB(3), MB(2));
	EXPECT_REGIONS(memory, { MB(1), MB(4) });
}

/*
 * Before:  ....|   A   |         A = [4, 8)
 * Add:       |  B  |             B = [2, 6): overlaps A's bottom
 * After:     |     A     |       [2, 8), and total_size counts the overlap once
 */
Test(memblock_add, overlap_at_the_bottom_adds_only_the_missing_part)
{
	memblock_add(MB(4), MB(4));
	memblock_add(MB(2), MB(4));
	EXPECT_REGIONS(memory, { MB(2), MB(6) });
}

/*
 * Before:  ..|   A   |           A = [2, 6)
 * Add:          |   B   |        B = [4, 9): overlaps A's top
 * After:   ..|     A+B    |      [2, 9)
 */
Test(memblock_add, overlap_at_the_top_adds_only_the_missing_part)
{
	memblock_add(MB(2), MB(4));
	memblock_add(MB(4), MB(5));
	EXPECT_REGIONS(memory, { MB(2), MB(7) });
}

/*
 * Before:  ..|     A     |       A = [2, 8)
 * Add:        ..| B |            B = [4, 6): inside A
 * After:   ..|     A     |       nothing changes
 */
Test(memblock_add, range_inside_a_region_changes_nothing)
{
	memblock_add(MB(2), MB(6));
	memblock_add(MB(4), MB(2));
	EXPECT_REGIONS(memory, { MB(2), MB(6) });
}

/*
 * Before:  .|A|..|B|..|C|..      A = [1, 2), B = [4, 5), C = [7, 8)
 * Add:     |      D       |      D = [0, 10): covers all three and the gaps
 * After:   |      D       |      the gaps are filled and everything merges into [0, 10)
 */
Test(memblock_add, range_covering_several_regions_fills_the_gaps)
{
	memblock_add(MB(1), MB(1));
	memblock_add(MB(4), MB(1));
	memblock_add(MB(7), MB(1));
	memblock_add(0, MB(10));
	EXPECT_REGIONS(memory, { 0, MB(10) });
}

/* Adding the same range twice is the same as adding it once. */
Test(memblock_add, same_range_twice_counts_once)
{
	memblock_add(MB(1), MB(1));
	memblock_add(MB(1), MB(1));
	EXPECT_REGIONS(memory, { MB(1), MB(1) });
}

Test(memblock_add, zero_size_is_ignored)
{
	cr_assert_eq(memblock_add(MB(1), 0), 0);
	EXPECT_EMPTY(memory);
	memblock_add(MB(4), MB(1));
	memblock_add(MB(2), 0);
	EXPECT_REGIONS(memory, { MB(4), MB(1) });
}

/*
 * Add:     ...............|A...    A = [2^64 - 4 KiB, +1 MiB): would wrap around
 * After:   ...............|A|      clipped to end at the last address (2^64 - 1,
 *                                  exclusive), as memblock_cap_size does in Linux
 */
Test(memblock_add, size_past_the_end_of_the_address_space_is_clipped)
{
	phys_addr_t base = PHYS_ADDR_MAX - KB(4) + 1;

	cr_assert_eq(memblock_add(base, MB(1)), 0);
	EXPECT_REGIONS(memory, { base, PHYS_ADDR_MAX - base });
}

/*
 * Before:  |  A (node 0)  |          A = [0, 4) on node 0
 * Add:                    | B |      B = [4, 6), no node yet (memblock_add)
 * After:   |  A (node 0)  | B |      touching, but on different nodes: not merged
 */
Test(memblock_add, regions_on_different_nodes_do_not_merge)
{
	memblock_add_node(0, MB(4), 0, MEMBLOCK_NONE);
	memblock_add(MB(4), MB(2));
	EXPECT_REGIONS(memory, { 0, MB(4) }, { MB(4), MB(2) });
	cr_assert_eq(memblock.memory.regions[0].nid, 0);
	cr_assert_eq(memblock.memory.regions[1].nid, MAX_NUMNODES);
}

/* Regions with different flags do not merge either: [0, 4) NOMAP next to [4, 6) plain. */
Test(memblock_add, regions_with_different_flags_do_not_merge)
{
	memblock_add_node(0, MB(4), 0, MEMBLOCK_NOMAP);
	memblock_add_node(MB(4), MB(2), 0, MEMBLOCK_NONE);
	cr_assert_eq(memblock.memory.cnt, 2);
	cr_assert_eq(memblock.memory.regions[0].flags, MEMBLOCK_NOMAP);
	cr_assert_eq(memblock.memory.regions[1].flags, MEMBLOCK_NONE);
}

/* ---- memblock_reserve ---- */

/*
 * memory:    .|     M     |..        M = [1, 8)
 * reserved:  .........|R|......|S|   R = [5, 6) inside M, S = [20, 21) outside all RAM
 * Reserving does not need memory to be there; the two arrays are independent.
 */
Test(memblock_reserve, is_independent_of_memory)
{
	memblock_add(MB(1), MB(7));
	memblock_reserve(MB(5), MB(1));
	memblock_reserve(MB(20), MB(1));
	EXPECT_REGIONS(memory, { MB(1), MB(7) });
	EXPECT_REGIONS(reserved, { MB(5), MB(1) }, { MB(20), MB(1) });
}

/* Reservations merge like memory does: [1, 2) + [2, 3) + [3, 4) is one region [1, 4). */
Test(memblock_reserve, touching_reservations_merge)
{
	memblock_reserve(MB(2), MB(1));
	memblock_reserve(MB(1), MB(1));
	memblock_reserve(MB(3), MB(1));
	EXPECT_REGIONS(reserved, { MB(1), MB(3) });
}

/* ---- memblock_remove and memblock_phys_free ---- */

/*
 * Before:  |        A        |        A = [0, 9)
 * Remove:       |  R  |               R = [3, 6)
 * After:   | A1 |.....| A2  |         split in two: [0, 3) and [6, 9)
 */
Test(memblock_remove, middle_of_a_region_splits_it)
{
	memblock_add(0, MB(9));
	cr_assert_eq(memblock_remove(MB(3), MB(3)), 0);
	EXPECT_REGIONS(memory, { 0, MB(3) }, { MB(6), MB(3) });
}

/*
 * Before:  ..|   A   |...|   B   |    A = [2, 6), B = [8, 12)
 * Remove:  |  R1 |         | R2  |    R1 = [0, 4), R2 = [10, 14)
 * After:   ....|A|...| B |           [4, 6) and [8, 10): the ends are trimmed
 */
Test(memblock_remove, overlapping_ends_are_trimmed)
{
	memblock_add(MB(2), MB(4));
	memblock_add(MB(8), MB(4));
	memblock_remove(0, MB(4));
	memblock_remove(MB(10), MB(4));
	EXPECT_REGIONS(memory, { MB(4), MB(2) }, { MB(8), MB(2) });
}

/*
 * Before:  .|A|..|B|..|C|...       A = [1, 2), B = [4, 5), C = [7, 8)
 * Remove:     |    R    |          R = [1.5, 7.5): half of A, all of B, half of C
 * After:   .|a|.........|c|        [1, 1.5) and [7.5, 8)
 */
Test(memblock_remove, range_spanning_several_regions)
{
	memblock_add(MB(1), MB(1));
	memblock_add(MB(4), MB(1));
	memblock_add(MB(7), MB(1));
	memblock_remove(KB(1536), MB(6));
	EXPECT_REGIONS(memory, { MB(1), KB(512) }, { KB(7680), KB(512) });
}

/*
 * total_size on the way through a split, as Linux 6.18 keeps it: isolating [3, 6) first
 * takes [0, 3) off A (-3) and inserts it again as its own region (+3), then does the same
 * at 6; removing the middle region takes its 3 off.  Nothing counts twice or is lost.
 *
 * Before:  |        A        |        A = [0, 9), total 9
 * Isolate: | A1 | A2  | A3   |        [0, 3), [3, 6), [6, 9), total 9
 * After:   | A1 |.....| A3   |        total 6
 * Then memblock_set_node([1, 2), 0) splits A1 in three and changes no byte: total 6.
 */
Test(memblock_remove, total_size_follows_every_split)
{
	memblock_add(0, MB(9));
	cr_assert_eq(memblock.memory.total_size, MB(9));
	memblock_remove(MB(3), MB(3));
	cr_assert_eq(memblock.memory.total_size, MB(6));
	memblock_set_node(MB(1), MB(1), &memblock.memory, 0);
	EXPECT_REGIONS(memory, { 0, MB(1) }, { MB(1), MB(1) }, { MB(2), MB(1) }, { MB(6), MB(3) });
	cr_assert_eq(memblock_phys_mem_size(), MB(6));
	memblock_remove(0, MB(9));
	cr_assert_eq(memblock_phys_mem_size(), 0);
}

/* Removing everything leaves the empty array: cnt 0, regions[0] zero-size on no node. */
Test(memblock_remove, everything_leaves_the_empty_array)
{
	memblock_add(MB(1), MB(1));
	memblock_add(MB(4), MB(1));
	memblock_remove(0, MB(8));
	EXPECT_EMPTY(memory);
	cr_assert_eq(memblock.memory.regions[0].nid, MAX_NUMNODES);
}

/* A range with no memory in it: nothing to do, and not an error. */
Test(memblock_remove, range_without_memory_changes_nothing)
{
	memblock_add(MB(1), MB(1));
	cr_assert_eq(memblock_remove(MB(4), MB(1)), 0);
	EXPECT_REGIONS(memory, { MB(1), MB(1) });
}

/*
 * reserved before:  ..|    R    |      R = [2, 6)
 * memblock_phys_free(3, 1)
 * reserved after:   ..|R1|.|R2  |      [2, 3) and [4, 6); memory is not touched
 */
Test(memblock_phys_free, gives_back_part_of_a_reservation)
{
	memblock_add(0, MB(8));
	memblock_reserve(MB(2), MB(4));
	cr_assert_eq(memblock_phys_free(MB(3), MB(1)), 0);
	EXPECT_REGIONS(reserved, { MB(2), MB(1) }, { MB(4), MB(2) });
	EXPECT_REGIONS(memory, { 0, MB(8) });
}

/* memblock_free takes the direct-map address: __va(2 MiB) frees [2 MiB, 3 MiB). */
Test(memblock_phys_free, memblock_free_takes_a_virtual_address)
{
	memblock_reserve(MB(2), MB(2));
	memblock_free(__va(MB(2)), MB(1));
	EXPECT_REGIONS(reserved, { MB(3), MB(1) });
	memblock_free(NULL, MB(1)); /* as Linux: freeing NULL does nothing */
	EXPECT_REGIONS(reserved, { MB(3), MB(1) });
}

/* ---- memblock_set_node (isolating a range) ---- */

/*
 * Before:  |          A          |      A = [0, 12), no node
 * set_node([4, 8), node 0)
 * After:   |  A1  |  A2 (0) |  A3 |     split at both ends of the range
 * set_node([0, 12), node 0)
 * After:   |       A (node 0)      |    the same node again: merged back into one
 */
Test(memblock_set_node, splits_at_the_range_ends_then_merges_back)
{
	memblock_add(0, MB(12));
	cr_assert_eq(memblock_set_node(MB(4), MB(4), &memblock.memory, 0), 0);
	EXPECT_REGIONS(memory, { 0, MB(4) }, { MB(4), MB(4) }, { MB(8), MB(4) });
	cr_assert_eq(memblock.memory.regions[0].nid, MAX_NUMNODES);
	cr_assert_eq(memblock.memory.regions[1].nid, 0);
	cr_assert_eq(memblock.memory.regions[2].nid, MAX_NUMNODES);
	memblock_set_node(0, PHYS_ADDR_MAX, &memblock.memory, 0);
	EXPECT_REGIONS(memory, { 0, MB(12) });
	cr_assert_eq(memblock.memory.regions[0].nid, 0);
}

/* ---- questions ---- */

/*
 * reserved: ..|  R  |....     R = [2, 4)
 * [0, 2) and [4, 6) touch R but do not overlap it (ranges are half-open);
 * [1, 3), [3, 5) and [2, 4) do, and so does one byte at 4 MiB - 1.
 */
Test(memblock_query, overlap_is_half_open)
{
	memblock_reserve(MB(2), MB(2));
	cr_assert_not(memblock_is_region_reserved(0, MB(2)));
	cr_assert_not(memblock_is_region_reserved(MB(4), MB(2)));
	cr_assert(memblock_is_region_reserved(MB(1), MB(2)));
	cr_assert(memblock_is_region_reserved(MB(3), MB(2)));
	cr_assert(memblock_is_region_reserved(MB(2), MB(2)));
	cr_assert(memblock_is_region_reserved(MB(4) - 1, 1));
	cr_assert(memblock_overlaps_region(&memblock.reserved, MB(3), PHYS_ADDR_MAX));
	cr_assert_not(memblock_overlaps_region(&memblock.memory, MB(3), MB(1)));
}

/*
 * memory: .|  A  |  B (node 0)  |....|C|     A = [1, 3), B = [3, 6) on node 0, C = [9, 10)
 * A and B touch but are separate regions: [2, 5) is memory byte by byte, but not
 * "inside one memory region", which is what memblock_is_region_memory asks.
 */
Test(memblock_query, bytes_sizes_and_bounds)
{
	memblock_add(MB(1), MB(2));
	memblock_add_node(MB(3), MB(3), 0, MEMBLOCK_NONE);
	memblock_add(MB(9), MB(1));
	memblock_reserve(MB(4), KB(4));
	cr_assert(memblock_is_memory(MB(1)));
	cr_assert(memblock_is_memory(MB(6) - 1));
	cr_assert_not(memblock_is_memory(MB(6)));
	cr_assert_not(memblock_is_memory(MB(1) - 1));
	cr_assert(memblock_is_region_memory(MB(1), MB(2)));
	cr_assert_not(memblock_is_region_memory(MB(2), MB(3)));
	cr_assert_not(memblock_is_region_memory(MB(7), MB(1)));
	cr_assert(memblock_is_reserved(MB(4) + KB(4) - 1));
	cr_assert_not(memblock_is_reserved(MB(4) + KB(4)));
	cr_assert_eq(memblock_phys_mem_size(), MB(6));
	cr_assert_eq(memblock_reserved_size(), KB(4));
	cr_assert_eq(memblock_start_of_DRAM(), MB(1));
	cr_assert_eq(memblock_end_of_DRAM(), MB(10));
}

/* ---- memblock_trim_memory ---- */

/*
 * Before:  |A  |..|  B   |.|c|     A = [0, 9 KiB), B = [13 KiB, 30 KiB), c = [33, 35) KiB
 * After:   |A |....| B |....       page-trimmed: [0, 8), [16, 28); c holds no whole page
 * total_size follows: 20 KiB.  Linux 6.18's would still say 26 KiB, the 28 added less only
 * c's 2, removed whole: it leaves the bytes trimmed off A and B counted (a deliberate
 * difference, mm/memblock.c and docs/mm/memblock.md).
 */
Test(memblock_trim_memory, keeps_only_whole_pages)
{
	memblock_add(0, KB(9));
	memblock_add(KB(13), KB(17));
	memblock_add(KB(33), KB(2));
	memblock_trim_memory(KB(4));
	EXPECT_REGIONS(memory, { 0, KB(8) }, { KB(16), KB(12) });
	cr_assert_eq(memblock_phys_mem_size(), KB(20));
}

/* A single region too small for a page disappears, leaving the empty array. */
Test(memblock_trim_memory, tiny_only_region_leaves_the_array_empty)
{
	memblock_add(KB(1), KB(2));
	memblock_trim_memory(KB(4));
	EXPECT_EMPTY(memory);
}

/*
 * Found by tests/fuzz/fuzz_memblock.c: rounding the start of a region in the last
 * partial page of the address space up wrapped to 0, and the region became [0, top).
 * It holds no whole page: it goes, and the region below it stays as it was.
 */
Test(memblock_trim_memory, region_at_the_top_of_the_address_space_holds_no_page)
{
	memblock_add(MB(1), MB(1));
	memblock_add(PHYS_ADDR_MAX - 0xfe, 0xfe);
	memblock_trim_memory(KB(4));
	EXPECT_REGIONS(memory, { MB(1), MB(1) });
}

/* ---- growing the arrays ---- */

/* Add @n disjoint 1 MiB regions, one every 2 MiB from 1 GiB. */
static void add_many(int n)
{
	for (int i = 0; i < n; i++)
		cr_assert_eq(memblock_add(GB(1) + MB(2 * i), MB(1)), 0);
}

/*
 * memory:  [1G, +1M) [1G+2M, +1M) ... 129 regions, one more than the static array holds
 * The 129th doubles the array to 256 entries.  The new array comes from memblock itself
 * (top down: from the top of the highest region already there, the 128th) and is
 * reserved, in whole pages.
 */
Test(memblock_double_array, memory_array_doubles_at_129_regions)
{
	struct memblock_region *old = memblock.memory.regions;

	memblock_allow_resize();
	add_many(128);
	cr_assert_eq(memblock.memory.max, 128);
	cr_assert_eq(memblock.memory.regions, old);
	add_many(129);
	cr_assert_eq(memblock.memory.cnt, 129);
	cr_assert_eq(memblock.memory.max, 256);
	cr_assert_neq(memblock.memory.regions, old);
	for (int i = 0; i < 129; i++)
		cr_assert_eq(memblock.memory.regions[i].base, GB(1) + MB(2 * i));
	/* 256 entries of 24 bytes = 6 KiB -> two pages, at the top of region 127 */
	EXPECT_REGIONS(reserved, { GB(1) + MB(255) - KB(8), KB(8) });
	cr_assert_eq(__pa(memblock.memory.regions), GB(1) + MB(255) - KB(8));
}

/*
 * memory:    [1 MiB, 32 MiB)
 * reserved:  128 one-page reservations low down, then R = [31 MiB, 32 MiB)
 * Reserving R needs a 129th entry.  The top of memory is R itself, and the new array
 * must not be put inside the range about to be reserved: it goes just below R.
 */
Test(memblock_double_array, new_reserved_array_avoids_the_range_being_reserved)
{
	memblock_allow_resize();
	memblock_add(MB(1), MB(31));
	for (int i = 0; i < 128; i++)
		memblock_reserve(MB(2) + KB(8) * i, KB(4));
	cr_assert_eq(memblock.reserved.cnt, 128);
	cr_assert_eq(memblock_reserve(MB(31), MB(1)), 0);
	cr_assert_eq(memblock.reserved.max, 256);
	cr_assert_eq(__pa(memblock.reserved.regions), MB(31) - KB(8));
	/* ... and merged with R, since it touches it: [31 MiB - 8 KiB, 32 MiB) */
	cr_assert_eq(memblock.reserved.cnt, 129);
	cr_assert_eq(memblock.reserved.regions[128].base, MB(31) - KB(8));
	cr_assert_eq(memblock.reserved.regions[128].size, MB(1) + KB(8));
}

/* 257 regions double twice; the 256-entry array is given back, the 512-entry one kept. */
Test(memblock_double_array, second_doubling_frees_the_first_new_array)
{
	memblock_allow_resize();
	add_many(257);
	cr_assert_eq(memblock.memory.max, 512);
	/* 512 * 24 bytes = 12 KiB, three pages; the 8 KiB array below it was freed */
	EXPECT_REGIONS(reserved, { __pa(memblock.memory.regions), KB(12) });
	for (int i = 0; i < 257; i++)
		cr_assert_eq(memblock.memory.regions[i].base, GB(1) + MB(2 * i));
}

/* Before memblock_allow_resize() a full array cannot grow: Linux panics, and so do we. */
Test(memblock_double_array, before_allow_resize_is_a_panic, .signal = SIGABRT)
{
	add_many(129);
}

/* ---- iterators ---- */

/*
 * memory:    .|    A    |...|   B   |      A = [1, 5), B = [8, 12)
 * reserved:  ...|R|.........|S|.....       R = [2, 3), S = [9, 10)
 * free:      .|a|.|  a'  |...|b|.| b' |    [1,2) [3,5) [8,9) [10,12)
 */
static void setup_two_regions_two_holes(void)
{
	memblock_add(MB(1), MB(4));
	memblock_add(MB(8), MB(4));
	memblock_reserve(MB(2), MB(1));
	memblock_reserve(MB(9), MB(1));
}

Test(memblock_iter, mem_and_reserved_ranges)
{
	phys_addr_t start, end, got[4][2];
	int n = 0;
	u64 i;

	setup_two_regions_two_holes();
	for_each_mem_range(i, &start, &end) {
		got[n][0] = start, got[n][1] = end;
		n++;
	}
	cr_assert_eq(n, 2);
	cr_assert(got[0][0] == MB(1) && got[0][1] == MB(5) && got[1][0] == MB(8) && got[1][1] == MB(12));
	n = 0;
	for_each_reserved_mem_range(i, &start, &end)
		n++;
	cr_assert_eq(n, 2);
}

Test(memblock_iter, free_ranges_forward_and_reverse)
{
	static const phys_addr_t want[][2] = {
		{ MB(1), MB(2) }, { MB(3), MB(5) }, { MB(8), MB(9) }, { MB(10), MB(12) },
	};
	phys_addr_t start, end;
	int n = 0, nid;
	u64 i;

	setup_two_regions_two_holes();
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid) {
		cr_assert_lt(n, 4);
		cr_assert(start == want[n][0] && end == want[n][1], "free range %d: %#llx-%#llx", n,
			  start, end);
		cr_assert_eq(nid, MAX_NUMNODES);
		n++;
	}
	cr_assert_eq(n, 4);
	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, NULL) {
		n--;
		cr_assert(start == want[n][0] && end == want[n][1], "reverse %d: %#llx-%#llx", n,
			  start, end);
	}
	cr_assert_eq(n, 0);
}

/* NOMAP memory is not free memory unless a walk asks for it (MEMBLOCK_NOMAP). */
Test(memblock_iter, nomap_regions_are_skipped)
{
	phys_addr_t start, end;
	int n = 0;
	u64 i;

	memblock_add_node(MB(1), MB(1), 0, MEMBLOCK_NOMAP);
	memblock_add_node(MB(4), MB(1), 0, MEMBLOCK_NONE);
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, NULL) {
		cr_assert_eq(start, MB(4));
		n++;
	}
	cr_assert_eq(n, 1);
}

/* for_each_mem_region hands out the region structs (none when empty). */
Test(memblock_iter, region_walk_sees_the_structs)
{
	struct memblock_region *r;
	phys_addr_t total = 0;

	setup_two_regions_two_holes();
	for_each_mem_region(r)
		total += r->size;
	cr_assert_eq(total, memblock.memory.total_size);
	for_each_reserved_mem_region(r)
		cr_assert_eq(r->size, MB(1));
}

/* ---- printing ---- */

static char out[8192];

static struct seq_file *buffer(void)
{
	static struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	return &m;
}

/*
 * /sys/kernel/debug/memblock/memory's layout: index, inclusive range, node (x: none yet),
 * the first flag's name.
 */
Test(memblock_print, debugfs_layout)
{
	memblock_add_node(KB(4), KB(636), 0, MEMBLOCK_NONE);
	memblock_add_node(MB(1), MB(511), 0, MEMBLOCK_NONE);
	memblock_add_node(GB(4), MB(1), 0, MEMBLOCK_NOMAP | MEMBLOCK_MIRROR);
	memblock_reserve(0, MB(1));
	memblock_debug_show(buffer(), &memblock.memory);
	cr_assert_str_eq(out, "   0: 0x0000000000001000..0x000000000009ffff    0 NONE\n"
			      "   1: 0x0000000000100000..0x000000001fffffff    0 NONE\n"
			      "   2: 0x0000000100000000..0x00000001000fffff    0 MIRROR\n");
	memblock_debug_show(buffer(), &memblock.reserved);
	cr_assert_str_eq(out, "   0: 0x0000000000000000..0x00000000000fffff    x NONE\n");
}

/* Both files, under `head`'s headers, as the shell's `memblock` prints them. */
Test(memblock_print, both_files_under_head_style_headers)
{
	memblock_add(MB(1), MB(1));
	memblock_reserve(MB(1), KB(4));
	memblock_debugfs_show(buffer());
	cr_assert_str_eq(out, "==> /sys/kernel/debug/memblock/memory <==\n"
			      "   0: 0x0000000000100000..0x00000000001fffff    x NONE\n"
			      "\n"
			      "==> /sys/kernel/debug/memblock/reserved <==\n"
			      "   0: 0x0000000000100000..0x0000000000100fff    x NONE\n");
}

/* memblock=debug's dump, with " on node N" once a node is assigned. */
Test(memblock_print, configuration_dump_layout)
{
	memblock_add(KB(4), KB(632));
	memblock_add_node(MB(1), MB(1), 0, MEMBLOCK_NONE);
	memblock_reserve(MB(1), KB(4));
	memblock_dump(buffer());
	cr_assert_str_eq(out,
		"MEMBLOCK configuration:\n"
		" memory size = 0x000000000019e000 reserved size = 0x0000000000001000\n"
		" memory.cnt  = 0x2\n"
		" memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes flags: 0x0\n"
		" memory[0x1]\t[0x0000000000100000-0x00000000001fffff], 0x0000000000100000 bytes on node 0 flags: 0x0\n"
		" reserved.cnt  = 0x1\n"
		" reserved[0x0]\t[0x0000000000100000-0x0000000000100fff], 0x0000000000001000 bytes flags: 0x0\n");
}

/* ---- memblock=debug ---- */

/* noinline: inlined, its calls would carry the address of the test function instead. */
static noinline void reserve_from_a_helper(void)
{
	memblock_reserve(KB(4), KB(4));
}

/*
 * Each call logs a line naming its caller by return address (%pS), as Linux does; the
 * host prints the bare address, which host_symbolize_callers() turns back into a name.
 */
Test(memblock_debug, logs_each_call_with_its_caller)
{
	host_printk_reset();
	cr_assert_not(early_memblock("quiet"));
	memblock_reserve(0, KB(4));
	cr_assert_str_eq(host_printk_buf, "", "logged without memblock=debug");
	cr_assert(early_memblock("console=ttyS0 memblock=debug"));
	reserve_from_a_helper();
	memblock_add(MB(1), MB(1));
	memblock_remove(MB(1), KB(4));
	memblock_phys_free(KB(4), KB(4));
	cr_assert_str_eq(host_symbolize_callers(host_printk_buf),
		"__memblock_reserve: [0x0000000000001000-0x0000000000001fff] nid=1 flags=0 "
		"reserve_from_a_helper\n"
		"memblock_add: [0x0000000000100000-0x00000000001fffff] memblock_debug_logs_each_call_with_its_caller_impl\n"
		"memblock_remove: [0x0000000000100000-0x0000000000100fff] memblock_debug_logs_each_call_with_its_caller_impl\n"
		"memblock_phys_free: [0x0000000000001000-0x0000000000001fff] memblock_debug_logs_each_call_with_its_caller_impl\n");
}

/* memblock_dump_all prints only with memblock=debug; __memblock_dump_all always. */
Test(memblock_debug, dump_all_only_when_debugging)
{
	host_printk_reset();
	memblock_dump_all();
	cr_assert_str_eq(host_printk_buf, "");
	__memblock_dump_all();
	cr_assert(strstr(host_printk_buf, "MEMBLOCK configuration:\n") == host_printk_buf);
}
