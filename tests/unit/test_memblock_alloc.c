// SPDX-License-Identifier: MIT
/*
 * memblock allocation: where memory comes from, top down and bottom up.  The real
 * mm/memblock.c on the host arena; allocated memory is really written (zeroed, or filled
 * with 0xff by the raw variant), so the tests can check that too.
 *
 * Tests that hold in both directions are written once as a function of the direction
 * (BOTH_WAYS makes a top_down and a bottom_up test of it).  Pictures, one character per
 * MiB unless the test says otherwise:
 *
 *   |   M   |   memory       [R]  reserved       <a>  what the allocation returned
 */
#include <stdlib.h>

#include <criterion/criterion.h>

#include "arch/memory.h"
#include "host/memblock_check.h"
#include "host/printk_capture.h"
#include "mm/memblock.h"

#define BOTH_WAYS(suite, name)                          \
	static void name(bool bottom_up __unused);        \
	Test(suite, name##_top_down) { name(false); }     \
	Test(suite, name##_bottom_up)                     \
	{                                                 \
		memblock_set_bottom_up(true);             \
		name(true);                               \
	}                                                 \
	static void name(bool bottom_up __unused)

/* Fill [@base, @base + @size) of physical memory with junk, so zeroing can be seen. */
static void scribble(phys_addr_t base, phys_addr_t size)
{
	memset(__va(base), 0xa5, size);
}

static bool all_bytes(const void *p, u8 value, size_t n)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != value)
			return false;
	return true;
}

/*
 * memory:     ....|      M      |      M = [16, 32)
 * top down:   ....|            <a>     the last 4 KiB: [32 MiB - 4 KiB, 32 MiB)
 * bottom up:  ....<a>           |      the first 4 KiB: [16 MiB, 16 MiB + 4 KiB)
 * The memory is zeroed, the pointer is its direct-map address, and it is reserved.
 */
BOTH_WAYS(memblock_alloc, simple_allocation_is_zeroed_and_reserved)
{
	phys_addr_t want = bottom_up ? MB(16) : MB(32) - KB(4);
	void *p;

	memblock_add(MB(16), MB(16));
	scribble(MB(16), MB(16));
	p = memblock_alloc(KB(4), KB(4));
	cr_assert_not_null(p);
	cr_assert_eq(__pa(p), want, "got %#llx", __pa(p));
	cr_assert(all_bytes(p, 0, KB(4)));
	EXPECT_REGIONS(reserved, { want, KB(4) });
	cr_assert_eq(memblock_bottom_up(), bottom_up);
}

/*
 * memory:     |            M            |     M = [16, 32)
 * reserved:   [R]......................[S]    R = [16, 17), S = [31, 32)
 * top down:   [R]....................<a>[S]   just below S
 * bottom up:  [R]<a>....................[S]   just above R
 * The allocation touches a reservation but stays a region of its own: it is the
 * kernel's (MEMBLOCK_RSRV_KERN), R and S are not (Linux 6.16 on; before, they merged).
 */
BOTH_WAYS(memblock_alloc, allocation_skips_reserved_memory)
{
	phys_addr_t got;

	memblock_add(MB(16), MB(16));
	memblock_reserve(MB(16), MB(1));
	memblock_reserve(MB(31), MB(1));
	got = memblock_phys_alloc(MB(2), KB(4));
	cr_assert_eq(got, bottom_up ? MB(17) : MB(29));
	if (bottom_up)
		EXPECT_REGIONS(reserved, { MB(16), MB(1) }, { MB(17), MB(2) }, { MB(31), MB(1) });
	else
		EXPECT_REGIONS(reserved, { MB(16), MB(1) }, { MB(29), MB(2) }, { MB(31), MB(1) });
	cr_assert_eq(memblock.reserved.regions[1].flags, MEMBLOCK_RSRV_KERN);
	cr_assert_eq(memblock.reserved.regions[0].flags, MEMBLOCK_NONE);
}

/*
 * reserved:   <a><b>.......    two allocations side by side: both RSRV_KERN, one region
 */
Test(memblock_alloc, allocations_merge_with_each_other)
{
	memblock_add(MB(16), MB(16));
	memblock_phys_alloc(MB(1), KB(4));
	memblock_phys_alloc(MB(1), KB(4));
	EXPECT_REGIONS(reserved, { MB(30), MB(2) });
	cr_assert_eq(memblock.reserved.regions[0].flags, MEMBLOCK_RSRV_KERN);
}

/*
 * memory:     |            M            |     M = [16, 32)
 * reserved:   [    R    ]...[     S     ]     R = [16, 22), gap [22, 24), S = [24, 32)
 * Asking for 2 MiB: the gap is exactly big enough, in either direction.  Filled:
 *             [    R    ]<a>[     S     ]     three regions, <a> RSRV_KERN
 */
BOTH_WAYS(memblock_alloc, exact_fit_in_a_gap)
{
	memblock_add(MB(16), MB(16));
	memblock_reserve(MB(16), MB(6));
	memblock_reserve(MB(24), MB(8));
	cr_assert_eq(memblock_phys_alloc(MB(2), KB(4)), MB(22));
	EXPECT_REGIONS(reserved, { MB(16), MB(6) }, { MB(22), MB(2) }, { MB(24), MB(8) });
	cr_assert_eq(memblock_phys_alloc(KB(4), KB(4)), 0, "all memory is reserved now");
}

/*
 * memory:     |  A  |.....|   B   |     A = [16, 18), B = [24, 28)
 * 3 MiB does not fit in A: both directions use B; an allocation never spans a hole.
 */
BOTH_WAYS(memblock_alloc, allocation_never_spans_a_hole)
{
	memblock_add(MB(16), MB(2));
	memblock_add(MB(24), MB(4));
	cr_assert_eq(memblock_phys_alloc(MB(3), KB(4)), bottom_up ? MB(24) : MB(25));
	cr_assert_eq(memblock_phys_alloc(MB(3), KB(4)), 0, "no 3 MiB left anywhere");
}

/*
 * memory:     ..|    M    |          M = [16 MiB + 4 KiB, 64 MiB)
 * A 2 MiB-aligned 2 MiB block: top down [62, 64), bottom up [18, 20) (16 is not inside M).
 */
BOTH_WAYS(memblock_alloc, alignment_is_honoured)
{
	memblock_add(MB(16) + KB(4), MB(48) - KB(4));
	cr_assert_eq(memblock_phys_alloc(MB(2), MB(2)), bottom_up ? MB(18) : MB(62));
}

/* Alignment 0 means the cache line (SMP_CACHE_BYTES), with a warning, as in Linux. */
BOTH_WAYS(memblock_alloc, alignment_zero_means_a_cache_line)
{
	phys_addr_t got;

	host_printk_reset();
	memblock_add(MB(1) + 8, KB(4));
	got = memblock_phys_alloc(16, 0);
	cr_assert(got && IS_ALIGNED(got, SMP_CACHE_BYTES), "got %#llx", got);
	cr_assert(strstr(host_printk_buf, "alignment 0"), "%s", host_printk_buf);
}

/*
 * memory:     |M|          M = [0, 8 KiB)
 * Page 0 is never handed out: 4 KiB comes from [4, 8) KiB, and 8 KiB does not fit.
 */
BOTH_WAYS(memblock_alloc, page_zero_is_never_returned)
{
	memblock_add(0, KB(8));
	cr_assert_eq(memblock_phys_alloc(KB(8), KB(4)), 0);
	cr_assert_eq(memblock_phys_alloc(KB(4), KB(4)), KB(4));
}

/* Nothing fits: memblock_alloc returns NULL (it is the caller who panics, if anyone). */
BOTH_WAYS(memblock_alloc, failure_returns_null)
{
	cr_assert_null(memblock_alloc(KB(4), KB(4)), "no memory at all");
	memblock_add(MB(16), MB(1));
	cr_assert_null(memblock_alloc(MB(2), KB(4)));
	cr_assert_eq(memblock_phys_alloc(MB(2), KB(4)), 0);
	EXPECT_EMPTY(reserved);
}

/*
 * memory:     |               M               |    M = [16, 64)
 * limit:                 ^32                       memblock.current_limit = 32 MiB
 * memblock_alloc* never returns memory above the limit, even when asked for an
 * explicit max_addr above it; top down it ends exactly at the limit.
 */
BOTH_WAYS(memblock_alloc, current_limit_caps_every_virtual_allocation)
{
	void *p, *q;

	memblock_add(MB(16), MB(48));
	memblock_set_current_limit(MB(32));
	p = memblock_alloc(MB(1), KB(4));
	q = memblock_alloc_try_nid(MB(1), KB(4), 0, MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	cr_assert(p && q);
	cr_assert_leq(__pa(p) + MB(1), MB(32));
	cr_assert_leq(__pa(q) + MB(1), MB(32));
	if (!bottom_up)
		cr_assert_eq(__pa(p), MB(31));
}

/*
 * The physical variant with an explicit end is not clamped, as in Linux: asking for
 * [0, 64 MiB) with current_limit at 32 MiB may return memory above 32 MiB.
 */
Test(memblock_alloc, phys_alloc_range_with_explicit_end_may_pass_the_limit)
{
	memblock_add(MB(16), MB(48));
	memblock_set_current_limit(MB(32));
	cr_assert_eq(memblock_phys_alloc_range(KB(4), KB(4), 0, MB(64)), MB(64) - KB(4));
	cr_assert_eq(memblock_phys_alloc(KB(4), KB(4)), MB(32) - KB(4));
}

/*
 * memory:     |      M      |       M = [16, 32)
 * memblock_alloc_from(min = 24): top down [31, 32), bottom up [24, 25).  With min = 40
 * nothing fits above the minimum, so the minimum is dropped, as in Linux.
 */
BOTH_WAYS(memblock_alloc, from_prefers_at_or_above_min_addr)
{
	void *p, *q;

	memblock_add(MB(16), MB(16));
	p = memblock_alloc_from(MB(1), KB(4), MB(24));
	cr_assert_eq(__pa(p), bottom_up ? MB(24) : MB(31));
	q = memblock_alloc_from(MB(1), KB(4), MB(40));
	cr_assert_not_null(q);
	cr_assert_lt(__pa(q), MB(32));
}

/*
 * The raw variant neither zeroes nor poisons: the memory keeps what was there (the
 * scribbled pattern).  Linux 4.x-5.14 filled it with 0xff under CONFIG_DEBUG_VM; since
 * 5.15 (6.18 too) only memmap_alloc() poisons, and only the struct page arrays.
 */
Test(memblock_alloc, raw_allocation_keeps_what_was_there)
{
	u8 *p;

	memblock_add(MB(16), MB(1));
	scribble(MB(16), MB(1));
	p = memblock_alloc_raw(KB(8), KB(4));
	cr_assert_not_null(p);
	cr_assert_eq(__pa(p), MB(17) - KB(8), "top down");
	cr_assert(all_bytes(p, 0xa5, KB(8)), "the junk is still there");
}

/*
 * memory:  |  A (node 0)  |  B (no node)  |      A = [16, 24), B = [24, 32)
 * Asking for node 0 top down takes the top of A, not of B; when A is full, the request
 * falls back to any node (exact_nid is false for every helper pagelab has).
 */
Test(memblock_alloc, node_preference_then_fallback)
{
	memblock_add_node(MB(16), MB(8), 0, MEMBLOCK_NONE);
	memblock_add(MB(24), MB(8));
	cr_assert_eq(memblock_phys_alloc_try_nid(MB(1), KB(4), 0), MB(23));
	cr_assert_eq(memblock_phys_alloc_try_nid(MB(7), KB(4), 0), MB(16));
	cr_assert_eq(memblock_phys_alloc_try_nid(MB(1), KB(4), 0), MB(31), "fell back to B");
}

/* Two top-down allocations in a row sit next to each other and share one reservation. */
Test(memblock_alloc, consecutive_allocations_merge_in_reserved)
{
	memblock_add(MB(16), MB(16));
	memblock_alloc(KB(4), KB(4));
	memblock_alloc(KB(4), KB(4));
	EXPECT_REGIONS(reserved, { MB(32) - KB(8), KB(8) });
}

Test(memblock_alloc, bottom_up_switch)
{
	cr_assert_not(memblock_bottom_up());
	memblock_set_bottom_up(true);
	cr_assert(memblock_bottom_up());
	memblock_set_bottom_up(false);
	cr_assert_not(memblock_bottom_up());
}

/* noinline: the address %pS prints must lie in this function, not in the test's. */
static noinline void *alloc_for_a_subsystem(void)
{
	return memblock_alloc(KB(4), KB(4));
}

/* memblock=debug: the request names its caller; the reservation names the allocator. */
Test(memblock_alloc, debug_lines_name_the_caller)
{
	memblock_add(MB(16), MB(1));
	early_memblock("memblock=debug");
	host_printk_reset();
	alloc_for_a_subsystem();
	cr_assert_str_eq(host_symbolize_callers(host_printk_buf),
		"memblock_alloc_try_nid: 4096 bytes align=0x1000 nid=-1 from=0x0000000000000000 "
		"max_addr=0x0000000000000000 alloc_for_a_subsystem\n"
		"__memblock_reserve: [0x00000000010ff000-0x00000000010fffff] nid=-1 flags=20 "
		"memblock_alloc_range_nid\n");
}

/*
 * Many allocations of random sizes and alignments in scattered memory with scattered
 * reservations: every block must lie inside one memory region, below current_limit,
 * outside every earlier reservation and every other block.
 */
BOTH_WAYS(memblock_alloc, random_allocations_never_overlap)
{
	phys_addr_t got[200][2];
	int n = 0;

	srand(42);
	for (int i = 0; i < 8; i++)
		memblock_add(MB(16) + MB(8) * i, MB(5) + KB(4) * i);
	memblock_reserve(MB(18), MB(1));
	memblock_reserve(MB(40), MB(3));
	memblock_set_current_limit(MB(60));
	for (int i = 0; i < 200; i++) {
		phys_addr_t size = KB(4) * (1 + rand() % 64), align = KB(4) << (rand() % 4);
		phys_addr_t pa = memblock_phys_alloc(size, align);

		if (!pa)
			continue;
		cr_assert(IS_ALIGNED(pa, align) && pa + size <= MB(60));
		cr_assert(memblock_is_region_memory(pa, size), "%#llx+%#llx not in RAM", pa, size);
		for (int j = 0; j < n; j++)
			cr_assert(pa + size <= got[j][0] || got[j][1] <= pa, "blocks overlap");
		cr_assert(pa + size <= MB(18) || pa >= MB(19));
		cr_assert(pa + size <= MB(40) || pa >= MB(43));
		got[n][0] = pa, got[n][1] = pa + size;
		n++;
	}
	cr_assert_gt(n, 50);
}
