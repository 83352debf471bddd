// SPDX-License-Identifier: MIT
/*
 * The buddy allocator on made-up machines, with exact expectations: the real
 * mm/page_alloc*.c, booted by the kernel's own sequence (host/buddy_machine.h).
 *
 * Most tests use "the 16 MiB machine": RAM 16-32 MiB, all of it DMA32.  As in the
 * kernel, memblock takes the memmap of its 128 MiB section (1.5 MiB) from the top, so it
 * boots with these free blocks, all on the Movable lists:
 *
 *   pfn  0x1000   0x1400   0x1800   0x1c00  0x1e00 0x1e80          0x2000
 *        [  10   ][  10   ][  10   ][  9   ][ 7 ] memmap (reserved)
 *        pageblocks of 512 pages at 0x1000, 0x1200 ... 0x1e00: all Movable
 *
 * 3712 managed pages; per-cpu batch 1.  Watermarks follow from that (min 121); tests
 * compute what they expect from the zone's numbers rather than repeat them.
 */
#include <criterion/criterion.h>
#include <stdarg.h>

#include "host/buddy_machine.h"

static const u64 ram_16m[][2] = { { MB(16), MB(32) } };

static void boot_16m(void)
{
	boot_machine(ram_16m, 1, NULL);
}

static unsigned long nr_free(enum zone_type z, unsigned int order)
{
	return Z(z)->free_area[order].nr_free;
}

/* DMA32's lists hold exactly @counts[order] blocks of each order, and are consistent. */
static void expect_dma32_free(const unsigned long counts[NR_PAGE_ORDERS])
{
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		cr_assert_eq(nr_free(ZONE_DMA32, o), counts[o], "order %d: %lu blocks, expected %lu\n%s",
			     o, nr_free(ZONE_DMA32, o), counts[o], show(buddyinfo_show));
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

#define BOOT_16M_FREE ((unsigned long[NR_PAGE_ORDERS]){ [7] = 1, [9] = 1, [10] = 3 })

/* Watermarks off: tests that carve memory down to the last page. */
static void no_watermarks(void)
{
	struct zone *z;

	for_each_zone(z)
		for (int w = 0; w < NR_WMARK; w++)
			z->_watermark[w] = 0;
}

/* ---- split and merge ----------------------------------------------------------------- */

Test(buddy, boots_with_the_largest_blocks_that_fit)
{
	boot_16m();
	expect_dma32_free(BOOT_16M_FREE);
	cr_assert_eq(zone_page_state(Z(ZONE_DMA32), NR_FREE_PAGES), 3712);
	cr_assert_eq(Z(ZONE_DMA32)->managed_pages, 3712);
	cr_assert(strstr(host_printk_buf, "Built 1 zonelists, mobility grouping on.  Total pages: 4096\n"),
		  "%s", host_printk_buf);
}

/*
 * The smallest block that fits is split, one half per order going back:
 *
 *   order 4 from [ 7 at 0x1e00 ]:  [4 taken][4 0x1e10][ 5 0x1e20 ][   6 0x1e40   ]
 */
Test(buddy, split_takes_the_smallest_block_and_returns_the_halves)
{
	struct page *p;

	boot_16m();
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	cr_assert_eq(page_to_pfn(p), 0x1e00);
	expect_dma32_free((unsigned long[NR_PAGE_ORDERS]){ [4] = 1, [5] = 1, [6] = 1, [9] = 1, [10] = 3 });
	cr_assert(PageBuddy(pfn_to_page(0x1e10)) && PageBuddy(pfn_to_page(0x1e20)) &&
		  PageBuddy(pfn_to_page(0x1e40)));
	cr_assert_eq(zone_page_state(Z(ZONE_DMA32), NR_FREE_PAGES), 3712 - 16);
	cr_assert_eq(page_ref_count(p), 1);
	cr_assert_not(PageBuddy(p));
}

/* An order-3 request once only order-10 blocks are left splits one through 9 .. 3. */
Test(buddy, split_of_an_order_10_block_leaves_one_block_of_each_order)
{
	boot_16m();
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 9)), 0x1c00);
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 7)), 0x1e00);
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 3)), 0x1000);
	expect_dma32_free((unsigned long[NR_PAGE_ORDERS]){ 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2 });
}

Test(buddy, free_merges_buddies_all_the_way_up)
{
	struct page *a, *b;

	boot_16m();
	a = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	b = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	cr_assert_eq(page_to_pfn(b), page_to_pfn(a) ^ 16, "the second is the first one's buddy");
	__free_pages(a, 4);
	expect_dma32_free((unsigned long[NR_PAGE_ORDERS]){ [4] = 1, [5] = 1, [6] = 1, [9] = 1, [10] = 3 });
	__free_pages(b, 4); /* 4 + 4 -> 5, + 5 -> 6, + 6 -> 7; the memmap above stops it */
	expect_dma32_free(BOOT_16M_FREE);
}

Test(buddy, blocks_are_naturally_aligned)
{
	boot_machine(qemu_512m, 2, NULL);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL, o);

		cr_assert_not_null(p);
		cr_assert_eq(page_to_pfn(p) & ((1UL << o) - 1), 0, "order %u at %#lx", o, page_to_pfn(p));
	}
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

Test(buddy, freeing_everything_gives_identical_buddyinfo)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER_MOVABLE,
				      GFP_KERNEL | __GFP_RECLAIMABLE, GFP_KERNEL | GFP_DMA,
				      GFP_KERNEL | GFP_DMA32 | __GFP_ZERO };
	static struct page *pages[600];
	static unsigned int orders[600];
	char before[1024];
	u64 x = 12345;

	boot_machine(qemu_512m, 2, NULL);
	strcpy(before, show(buddyinfo_show));
	for (int i = 0; i < 600; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		orders[i] = x % 3 ? x % 4 : x % NR_PAGE_ORDERS;
		pages[i] = alloc_pages(gfps[(x >> 8) % 6] | __GFP_NOWARN, orders[i]);
	}
	cr_assert_str_neq(show(buddyinfo_show), before);
	for (int i = 599; i >= 0; i -= 2) /* every other one first, then the rest */
		if (pages[i])
			__free_pages(pages[i], orders[i]);
	for (int i = 598; i >= 0; i -= 2)
		if (pages[i])
			__free_pages(pages[i], orders[i]);
	drain_all_pages(NULL);
	cr_assert_str_eq(show(buddyinfo_show), before);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

/* A reference held on the first page keeps it; the rest of the block is freed at once. */
Test(buddy, extra_reference_on_the_first_page_frees_the_rest)
{
	struct page *p;

	boot_16m();
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	p->_refcount++; /* get_page() */
	__free_pages(p, 4);
	cr_assert_eq(page_ref_count(p), 1);
	drain_all_pages(NULL);
	cr_assert_eq(zone_page_state(Z(ZONE_DMA32), NR_FREE_PAGES), 3712 - 1);
	__free_pages(p, 0);
	drain_all_pages(NULL);
	expect_dma32_free(BOOT_16M_FREE);
}

/* ---- zones ---------------------------------------------------------------------------- */

/* 16 MiB of DMA, 32 MiB of DMA32, 32 MiB of Normal above 4 GiB. */
static const u64 ram_three_zones[][2] = { { 0x1000, 0x9f000 },
					  { 0x100000, MB(48) },
					  { GB(4), GB(4) + MB(32) } };

Test(buddy, gfp_zone_picks_the_highest_allowed_zone)
{
	cr_assert_eq(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	cr_assert_eq(gfp_zone(GFP_ATOMIC | GFP_DMA), ZONE_DMA);
	cr_assert_eq(gfp_zone(GFP_KERNEL | GFP_DMA32), ZONE_DMA32);
	cr_assert_eq(gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	cr_assert_eq(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	cr_assert_eq(gfp_zone(GFP_KERNEL | __GFP_MOVABLE), ZONE_NORMAL);
	cr_assert_eq(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	cr_assert_eq(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	cr_assert_eq(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
}

/*
 * Allocate order-0 pages with @gfp until it fails; count them per zone; chain them on
 * @list (an allocated page's lru belongs to its owner).  Zones do not simply empty one
 * after the other: the first pass over the zonelist keeps the low watermark, the second
 * the min, so a zone already passed over at low serves again at min.
 */
static unsigned long take_all_from(gfp_t gfp, struct list_head *list, unsigned long *per_zone,
				   unsigned int *first_zone)
{
	unsigned long n = 0;
	struct page *p;

	while ((p = alloc_pages(gfp | __GFP_NOWARN, 0))) {
		if (first_zone && *first_zone == MAX_NR_ZONES)
			*first_zone = page_zonenum(p);
		if (per_zone)
			per_zone[page_zonenum(p)]++;
		list_add(&p->lru, list);
		n++;
	}
	return n;
}

static unsigned long take_all(gfp_t gfp, struct list_head *list, unsigned long *per_zone)
{
	return take_all_from(gfp, list, per_zone, NULL);
}

static void give_back(struct list_head *list)
{
	struct page *p, *n;

	list_for_each_entry_safe(p, n, list, lru) {
		list_del(&p->lru);
		__free_pages(p, 0);
	}
	drain_all_pages(NULL);
}

Test(buddy, normal_falls_back_to_dma32_then_dma, .timeout = 60)
{
	unsigned long per_zone[MAX_NR_ZONES] = { 0 };
	unsigned int first = MAX_NR_ZONES;
	LIST_HEAD(taken);

	boot_machine(ram_three_zones, 3, NULL);
	cr_assert(populated_zone(Z(ZONE_NORMAL)));
	take_all_from(GFP_KERNEL, &taken, per_zone, &first);
	cr_assert_eq(first, ZONE_NORMAL, "Normal first");
	cr_assert_gt(per_zone[ZONE_NORMAL], 0);
	cr_assert_gt(per_zone[ZONE_DMA32], 0);
	cr_assert_gt(per_zone[ZONE_DMA], 0);
	/* Each zone was used down to its min watermark, plus what it keeps from Normal requests. */
	for (int z = ZONE_DMA; z <= ZONE_NORMAL; z++)
		cr_assert_leq(zone_page_state(Z(z), NR_FREE_PAGES),
			      min_wmark_pages(Z(z)) + Z(z)->lowmem_reserve[ZONE_NORMAL], "zone %d", z);
	give_back(&taken);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

Test(buddy, dma_requests_never_leave_dma_and_dma32_never_go_up, .timeout = 60)
{
	unsigned long per_zone[MAX_NR_ZONES] = { 0 };
	unsigned int first = MAX_NR_ZONES;
	LIST_HEAD(taken);

	boot_machine(ram_three_zones, 3, NULL);
	take_all(GFP_KERNEL | GFP_DMA, &taken, per_zone);
	cr_assert_eq(per_zone[ZONE_DMA32] + per_zone[ZONE_NORMAL], 0);
	give_back(&taken);
	memset(per_zone, 0, sizeof(per_zone));
	take_all_from(GFP_KERNEL | GFP_DMA32, &taken, per_zone, &first);
	cr_assert_eq(first, ZONE_DMA32);
	cr_assert_eq(per_zone[ZONE_NORMAL], 0);
	cr_assert_gt(per_zone[ZONE_DMA], 0, "DMA32 falls back to DMA");
	give_back(&taken);
}

/*
 * lowmem_reserve: a request that could have used Normal must leave DMA its reserve
 * (managed pages of DMA32 and Normal / 256) on top of min; a DMA request need not.
 */
Test(buddy, lowmem_reserve_keeps_dma_for_dma_requests, .timeout = 60)
{
	struct zone *dma;
	unsigned long reserve, after_kernel;
	LIST_HEAD(taken);

	boot_machine(ram_three_zones, 3, NULL);
	dma = Z(ZONE_DMA);
	reserve = (Z(ZONE_DMA32)->managed_pages + Z(ZONE_NORMAL)->managed_pages) / 256;
	cr_assert_eq(dma->lowmem_reserve[ZONE_NORMAL], reserve);
	cr_assert_eq(dma->lowmem_reserve[ZONE_DMA32], Z(ZONE_DMA32)->managed_pages / 256);
	cr_assert_eq(Z(ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL], Z(ZONE_NORMAL)->managed_pages / 256);
	take_all(GFP_KERNEL, &taken, NULL);
	after_kernel = zone_page_state(dma, NR_FREE_PAGES);
	cr_assert_gt(after_kernel, min_wmark_pages(dma) + reserve - 2);
	cr_assert_gt(take_all(GFP_KERNEL | GFP_DMA, &taken, NULL), reserve - 2,
		     "GFP_DMA may use DMA's reserve");
	cr_assert_leq(zone_page_state(dma, NR_FREE_PAGES), min_wmark_pages(dma));
	give_back(&taken);
}

/* ---- watermarks ----------------------------------------------------------------------- */

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* Linux's formulas, checked on QEMU's 512 MiB map (mm/page_alloc_init.c shows the arithmetic). */
Test(buddy, watermarks_and_reserves_follow_linux)
{
	struct zone *dma, *dma32;
	unsigned long lowmem, pages_min, gap;

	boot_machine(qemu_512m, 2, NULL);
	dma = Z(ZONE_DMA);
	dma32 = Z(ZONE_DMA32);
	lowmem = dma->managed_pages + dma32->managed_pages;
	cr_assert_eq(lowmem, 3998 + 125407, "present minus the memmap (6 MiB) memblock took");
	cr_assert_eq(min_free_kbytes, isqrt(lowmem * 4 * 16));
	cr_assert_eq(min_free_kbytes, 2877);
	pages_min = min_free_kbytes / 4;
	cr_assert_eq(min_wmark_pages(dma), pages_min * dma->managed_pages / lowmem);
	cr_assert_eq(min_wmark_pages(dma32), pages_min * dma32->managed_pages / lowmem);
	cr_assert_eq(min_wmark_pages(dma32), 696);
	gap = MAX(min_wmark_pages(dma32) / 4, dma32->managed_pages * 10 / 10000);
	cr_assert_eq(low_wmark_pages(dma32), min_wmark_pages(dma32) + gap);
	cr_assert_eq(high_wmark_pages(dma32), low_wmark_pages(dma32) + gap);
	cr_assert_eq(promo_wmark_pages(dma32), high_wmark_pages(dma32) + gap);
	/* A small zone's gap is 0.1% of it when that beats min/4. */
	gap = MAX(min_wmark_pages(dma) / 4, dma->managed_pages * 10 / 10000);
	cr_assert_eq(low_wmark_pages(dma), min_wmark_pages(dma) + gap);
	for (int j = ZONE_DMA32; j < MAX_NR_ZONES; j++)
		cr_assert_eq(dma->lowmem_reserve[j], dma32->managed_pages / 256);
	cr_assert_eq(dma->lowmem_reserve[ZONE_DMA], 0);
	cr_assert_eq(dma32->lowmem_reserve[ZONE_NORMAL], 0, "nothing above DMA32 on this machine");
	cr_assert_eq(totalreserve_pages, dma32->managed_pages / 256 + high_wmark_pages(dma) +
					 high_wmark_pages(dma32));
	/* Per-cpu lists: a quarter of a thousandth, rounded to 2^n - 1; high = low watermark. */
	cr_assert_eq(dma32->per_cpu_pageset[0].batch, 31);
	cr_assert_eq(dma32->per_cpu_pageset[0].high, (int)low_wmark_pages(dma32));
	cr_assert_eq(dma->per_cpu_pageset[0].batch, 1);
	cr_assert_eq(dma->per_cpu_pageset[0].high, MAX((int)low_wmark_pages(dma), 4));
}

Test(buddy, min_free_kbytes_is_clamped)
{
	static const u64 tiny[][2] = { { MB(16), MB(18) } }; /* 512 KiB left after the memmap */

	boot_machine(tiny, 1, NULL);
	cr_assert_eq(Z(ZONE_DMA32)->managed_pages, 128);
	cr_assert_eq(min_free_kbytes, 128, "sqrt(512 * 16) = 90, raised to the floor");
}

/*
 * Down to the watermarks on the 16 MiB machine: GFP_KERNEL stops at min, and so does
 * GFP_NOWAIT (it cannot sleep, but has no reserve rights); __GFP_HIGH may use half of
 * min; GFP_ATOMIC, which cannot sleep either, a quarter of what is left on top.  The
 * per-cpu batch is 1, so every allocation takes exactly one page off the buddy lists
 * and the counts land on the marks exactly.
 */
Test(buddy, only_atomic_requests_dip_below_min)
{
	struct zone *z;
	unsigned long min, high_floor, atomic_floor;
	LIST_HEAD(taken);

	boot_16m();
	z = Z(ZONE_DMA32);
	min = min_wmark_pages(z);
	high_floor = min - min / 2;
	atomic_floor = high_floor - high_floor / 4;
	cr_assert_eq(min, 121);
	take_all(GFP_KERNEL, &taken, NULL);
	cr_assert_eq(zone_page_state(z, NR_FREE_PAGES), min);
	cr_assert_null(alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0));
	cr_assert_gt(take_all(GFP_KERNEL | __GFP_HIGH, &taken, NULL), 0);
	cr_assert_eq(zone_page_state(z, NR_FREE_PAGES), high_floor);
	cr_assert_gt(take_all(GFP_ATOMIC, &taken, NULL), 0);
	cr_assert_eq(zone_page_state(z, NR_FREE_PAGES), atomic_floor);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
	give_back(&taken);
	expect_dma32_free(BOOT_16M_FREE);
}

/* The higher the order, the more of the free pages must be in blocks that big. */
Test(buddy, watermark_needs_a_free_block_of_the_order)
{
	boot_16m();
	cr_assert(zone_watermark_ok(Z(ZONE_DMA32), 10, 0, ZONE_DMA32, 0));
	for (int i = 0; i < 3; i++)
		alloc_pages(GFP_HIGHUSER_MOVABLE, 10);
	cr_assert_not(zone_watermark_ok(Z(ZONE_DMA32), 10, 0, ZONE_DMA32, 0), "640 pages free, no order 10");
	cr_assert(zone_watermark_ok(Z(ZONE_DMA32), 9, 0, ZONE_DMA32, 0));
}

static const char *printed(const char *fmt, ...)
{
	static char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

Test(buddy, failure_is_reported_like_linux)
{
	struct zone *z;
	LIST_HEAD(taken);

	boot_16m();
	z = Z(ZONE_DMA32);
	take_all(GFP_KERNEL, &taken, NULL);
	host_printk_reset();
	cr_assert_null(alloc_pages(GFP_KERNEL, 0));
	cr_assert(strstr(host_printk_buf,
			 printed("swapper/0: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), "
				 "nodemask=(null)\nMem-Info:\nactive_anon:0 inactive_anon:0 isolated_anon:0\n"
				 " active_file:0 inactive_file:0 isolated_file:0\n"
				 " unevictable:0 dirty:0 writeback:0\n"
				 " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
				 " mapped:0 shmem:0 pagetables:%lu\n"
				 " sec_pagetables:0 bounce:0\n"
				 " kernel_misc_reclaimable:0\n"
				 " free:%lu free_pcp:0 free_cma:0\n"
				 "Node 0 active_anon:0kB inactive_anon:0kB active_file:0kB inactive_file:0kB "
				 "unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:0kB "
				 "writeback:0kB shmem:0kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB "
				 "kernel_stack:%lukB pagetables:%lukB sec_pagetables:0kB "
				 "all_unreclaimable? no Balloon:0kB\n",
				 global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B),
				 global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B),
				 global_node_page_state(NR_PAGETABLE), min_wmark_pages(z),
				 global_node_page_state(NR_KERNEL_STACK_KB),
				 global_node_page_state(NR_PAGETABLE) * 4)), "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf,
			 printed("\nDMA32 free:%lukB boost:0kB min:%lukB low:%lukB high:%lukB "
				 "reserved_highatomic:0KB free_highatomic:0KB active_anon:0kB "
				 "inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB "
				 "writepending:0kB zspages:0kB present:16384kB managed:14848kB mlocked:0kB "
				 "bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB\n"
				 "lowmem_reserve[]: 0 0 0 0 0\nDMA32: ",
				 min_wmark_pages(z) * 4, min_wmark_pages(z) * 4, low_wmark_pages(z) * 4,
				 high_wmark_pages(z) * 4)), "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf,
			 printed("= %lukB\nNode 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 "
				 "hugepages_size=2048kB\n0 total pagecache pages\n0 pages in swap cache\n"
				 "Free swap  = 0kB\nTotal swap = 0kB\n4096 pages RAM\n"
				 "0 pages HighMem/MovableOnly\n384 pages reserved\n",
				 min_wmark_pages(z) * 4)), "%s", host_printk_buf);
	host_printk_reset();
	cr_assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	cr_assert_str_eq(host_printk_buf, "", "__GFP_NOWARN keeps quiet");
	give_back(&taken);
}

Test(buddy, order_above_max_warns_once_and_fails)
{
	boot_16m();
	host_printk_reset();
	cr_assert_null(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1));
	cr_assert(strstr(host_printk_buf, "WARNING: CPU: 0 PID: 0 at mm/page_alloc.c:"), "%s",
		  host_printk_buf);
	cr_assert(strstr(host_printk_buf, "order:11 mode:0xcc0: order above MAX_PAGE_ORDER\n"));
	host_printk_reset();
	cr_assert_null(alloc_pages(GFP_KERNEL, 12));
	cr_assert_str_eq(host_printk_buf, "", "WARN_ON_ONCE: once");
	cr_assert_null(alloc_pages(GFP_KERNEL | __GFP_MOVABLE | __GFP_RECLAIMABLE, 0),
		       "both mobility bits: invalid");
}

/* ---- per-cpu lists --------------------------------------------------------------------- */

Test(buddy, per_cpu_lists_refill_by_batch_and_drain_at_high)
{
	static struct page *pages[1000];
	struct per_cpu_pages *pcp;
	struct zone *z;
	unsigned long free_before;

	boot_machine(qemu_512m, 2, NULL);
	z = Z(ZONE_DMA32);
	pcp = &z->per_cpu_pageset[0];
	free_before = zone_page_state(z, NR_FREE_PAGES);
	pages[0] = alloc_pages(GFP_KERNEL, 0);
	cr_assert_eq(pcp->count, 30, "a batch of 31 came over, one went out");
	cr_assert_eq(zone_page_state(z, NR_FREE_PAGES), free_before - 31);
	for (int i = 1; i < 1000; i++)
		pages[i] = alloc_pages(GFP_KERNEL, 0);
	for (int i = 0; i < 1000; i++) {
		__free_pages(pages[i], 0);
		cr_assert_lt(pcp->count, pcp->high, "a full list gives a batch back");
	}
	cr_assert_geq(pcp->count, pcp->high - pcp->batch);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
	drain_all_pages(NULL);
	cr_assert_eq(pcp->count, 0);
	cr_assert_eq(zone_page_state(z, NR_FREE_PAGES), free_before);
}

Test(buddy, order_3_uses_the_per_cpu_lists_too)
{
	struct per_cpu_pages *pcp;
	struct page *p;

	boot_machine(qemu_512m, 2, NULL);
	pcp = &Z(ZONE_DMA32)->per_cpu_pageset[0];
	p = alloc_pages(GFP_KERNEL, 3);
	cr_assert_eq(pcp->count, 8 * (MAX(31 >> 3, 2) - 1), "a batch of max(31 >> 3, 2) blocks");
	__free_pages(p, 3);
	cr_assert_eq(pcp->count, 8 * MAX(31 >> 3, 2));
	cr_assert_eq(alloc_pages(GFP_KERNEL, 3), p, "last in, first out");
}

/* ---- migrate types --------------------------------------------------------------------- */

static unsigned long blocks_of_type(int mt)
{
	unsigned long n = 0;

	for (unsigned long pfn = 0x1000; pfn < 0x2000; pfn += pageblock_nr_pages)
		n += get_pageblock_migratetype(pfn_to_page(pfn)) == mt;
	return n;
}

Test(buddy, pageblocks_boot_movable)
{
	boot_16m();
	cr_assert_eq(blocks_of_type(MIGRATE_MOVABLE), 8);
	cr_assert(strstr(show(pagetypeinfo_show),
			 "Node 0, zone    DMA32            0            8            0            0            0 \n"),
		  "%s", show(pagetypeinfo_show));
}

/*
 * An unmovable request finds no unmovable block: it steals the largest movable block,
 * order 10, and with it both of its pageblocks; the split leaves unmovable blocks of
 * orders 0-9 behind.  A reclaimable request prefers to steal from Unmovable, but only
 * Movable has a block of the largest order: it takes the next order-10 block whole.
 */
Test(buddy, unmovable_request_steals_whole_pageblocks)
{
	struct page *u, *r, *m;

	boot_16m();
	u = alloc_pages(GFP_KERNEL, 0);
	cr_assert_eq(page_to_pfn(u), 0x1000);
	cr_assert_eq(get_pageblock_migratetype(u), MIGRATE_UNMOVABLE);
	cr_assert_eq(get_pageblock_migratetype(pfn_to_page(0x1200)), MIGRATE_UNMOVABLE);
	cr_assert_eq(blocks_of_type(MIGRATE_UNMOVABLE), 2);
	for (int o = 0; o < 10; o++)
		cr_assert(!free_area_empty(&Z(ZONE_DMA32)->free_area[o], MIGRATE_UNMOVABLE),
			  "the split left an unmovable block of order %d", o);
	r = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	cr_assert_eq(page_to_pfn(r), 0x1400);
	cr_assert_eq(blocks_of_type(MIGRATE_RECLAIMABLE), 2);
	m = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	cr_assert_eq(get_pageblock_migratetype(m), MIGRATE_MOVABLE, "movable has its own blocks");
	cr_assert_eq(blocks_of_type(MIGRATE_MOVABLE), 4);
	cr_assert(strstr(show(pagetypeinfo_show),
			 "Node 0, zone    DMA32            2            4            2            0            0 \n"),
		  "%s", show(pagetypeinfo_show));
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

/*
 * A movable request that must steal a small block takes just that block, and the
 * pageblock stays Unmovable.  Set-up, watermarks off: the three order-10 blocks and the
 * order-9 one go to unmovable requests, the order-7 one to a movable request, then the
 * unmovable pieces of the order-9 block are taken until one order-2 block is left.
 */
Test(buddy, movable_request_steals_a_small_block_alone)
{
	static const unsigned int carve[] = { 8, 7, 6, 5, 4, 3 };
	struct zone *z;
	struct page *m;

	boot_16m();
	z = Z(ZONE_DMA32);
	no_watermarks();
	for (int i = 0; i < 3; i++)
		cr_assert_not_null(alloc_pages(GFP_KERNEL, 10));
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_HIGHUSER_MOVABLE, 7)), 0x1e00);
	cr_assert_eq(page_to_pfn(alloc_pages(GFP_KERNEL, 2)), 0x1c00, "steals the order-9 block");
	for (size_t i = 0; i < ARRAY_SIZE(carve); i++)
		cr_assert_not_null(alloc_pages(GFP_KERNEL, carve[i]), "order %u", carve[i]);
	cr_assert_eq(zone_page_state(z, NR_FREE_PAGES), 4, "one order-2 block left: %s",
		     show(buddyinfo_show));
	cr_assert(!free_area_empty(&z->free_area[2], MIGRATE_UNMOVABLE));
	m = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	cr_assert_eq(page_to_pfn(m), 0x1c04);
	cr_assert_eq(get_pageblock_migratetype(m), MIGRATE_UNMOVABLE, "the pageblock kept its type");
	cr_assert(!free_area_empty(&z->free_area[0], MIGRATE_MOVABLE), "the rest went movable");
	cr_assert(!free_area_empty(&z->free_area[1], MIGRATE_MOVABLE));
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

/* ---- bad pages -------------------------------------------------------------------------- */

Test(buddy, double_free_is_reported_and_the_lists_survive)
{
	struct page *big, *small;
	unsigned long free_pages;

	boot_16m();
	big = alloc_pages(GFP_HIGHUSER_MOVABLE, 5);
	small = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	__free_pages(big, 5);
	__free_pages(small, 0);
	free_pages = free_and_pcp_pages();
	host_printk_reset();
	__free_pages(big, 5); /* on a buddy list by now */
	cr_assert(strstr(host_printk_buf, printed("BUG: Bad page state in process swapper/0  pfn:%05lx\n",
						  page_to_pfn(big))), "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf,
			 "page dumped because: _refcount already 0 when freed (a double free?)\n"));
	__free_pages(small, 0); /* on the per-cpu list */
	cr_assert(strstr(host_printk_buf, "free, on a per-cpu list of the page allocator"), "%s",
		  host_printk_buf);
	cr_assert_eq(nr_bad_pages, 2);
	cr_assert_eq(free_and_pcp_pages(), free_pages);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
	drain_all_pages(NULL);
	expect_dma32_free(BOOT_16M_FREE);
}

Test(buddy, freeing_a_reserved_or_slab_page_is_refused)
{
	struct page *p;

	boot_16m();
	p = pfn_to_page(0x1f00); /* the memmap */
	cr_assert(PageReserved(p));
	host_printk_reset();
	__free_pages(p, 0);
	cr_assert(strstr(host_printk_buf, "pfn:01f00\n"), "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf, "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set\n"));
	p = alloc_pages(GFP_KERNEL, 0);
	SetPageSlab(p);
	__free_pages(p, 0);
	cr_assert_eq(nr_bad_pages, 2);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

Test(buddy, mapcount_left_behind_is_reported)
{
	struct page *p;

	boot_16m();
	p = alloc_pages(GFP_KERNEL, 0);
	p->_mapcount = 0; /* still mapped once */
	host_printk_reset();
	__free_pages(p, 0);
	cr_assert(strstr(host_printk_buf, "page dumped because: nonzero mapcount\n"), "%s",
		  host_printk_buf);
}

/* A free page whose struct page was scribbled on is caught when handed out, and skipped. */
Test(buddy, corrupted_free_page_is_caught_at_allocation)
{
	struct page *victim, *p;

	boot_16m();
	victim = pfn_to_page(0x1000); /* head of the first free order-10 block */
	cr_assert(PageBuddy(victim));
	victim->_refcount = 1;
	host_printk_reset();
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 10);
	cr_assert_not_null(p);
	cr_assert_eq(page_to_pfn(p), 0x1400, "the bad block was dropped, the next one given");
	cr_assert(strstr(host_printk_buf, "pfn:01000\n") &&
		  strstr(host_printk_buf, "page dumped because: nonzero _refcount\n"),
		  "%s", host_printk_buf);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

/* With check_pages_enabled every page of a block is checked: a tail still in use. */
Test(buddy, tail_pages_are_checked_when_enabled)
{
	struct page *p;

	boot_16m();
	check_pages_enabled = true;
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	p[3]._refcount = 1; /* someone took a reference to a tail page */
	host_printk_reset();
	__free_pages(p, 4);
	cr_assert(strstr(host_printk_buf, printed("pfn:%05lx\n", page_to_pfn(p) + 3)), "%s",
		  host_printk_buf);
	cr_assert_eq(nr_bad_pages, 1);
	cr_assert_eq(zone_page_state(Z(ZONE_DMA32), NR_FREE_PAGES), 3712 - 16, "the block stays out");
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

/*
 * A frame freed with an order its block does not have: the block would start off its
 * alignment and run past the zone (and, at the top of RAM, past the memmap, where reading
 * a tail's struct page faults).  One report for the head, nothing touched, no oops.
 *
 *   pfn 0x1e80        0x1f01                    0x2000 (zone end)      0x2301
 *        [ memmap (reserved) ...                 ]  no RAM ...            ]
 *                       <----------- "order 10" from 0x1f01 ------------->
 */
Test(buddy, freeing_with_an_order_the_block_lacks_is_one_report)
{
	unsigned long free_pages;

	boot_machine(ram_16m, 1, "page_poison=1");
	free_pages = free_and_pcp_pages();
	host_printk_reset();
	__free_pages(pfn_to_page(0x1f01), 10);
	cr_assert(strstr(host_printk_buf, "BUG: Bad page state in process swapper/0  pfn:01f01\n"), "%s",
		  host_printk_buf);
	cr_assert(strstr(host_printk_buf, "page dumped because: freed with an order its block lacks "
					  "(unaligned, or past the zone's end)\n"), "%s", host_printk_buf);
	cr_assert_eq(nr_bad_pages, 1, "one report, not one per page");
	cr_assert_eq(free_and_pcp_pages(), free_pages);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

/* ---- poisoning --------------------------------------------------------------------------- */

Test(buddy, page_poison_on_the_command_line_poisons_free_memory)
{
	u8 *mem;

	boot_machine(ram_16m, 1, "console=ttyS0 page_poison=1");
	cr_assert(page_poisoning_enabled && check_pages_enabled);
	cr_assert(strstr(host_printk_buf, "mem auto-init: page poisoning on (page_poison=1)\n"));
	mem = page_address(pfn_to_page(0x1234));
	cr_assert_eq(mem[0], PAGE_POISON);
	cr_assert_eq(mem[PAGE_SIZE - 1], PAGE_POISON);
	cr_assert(PagePoisoned(pfn_to_page(0x1234)));
}

Test(buddy, write_after_free_is_reported_at_the_next_allocation)
{
	struct page *p;
	u8 *mem;

	boot_machine(ram_16m, 1, "page_poison=1");
	p = alloc_pages(GFP_KERNEL, 0);
	mem = page_address(p);
	cr_assert_eq(mem[100], PAGE_POISON, "handed out still poisoned: no __GFP_ZERO");
	__free_pages(p, 0);
	memcpy(mem + 16, "AAAA", 4);
	host_printk_reset();
	cr_assert_eq(alloc_pages(GFP_KERNEL, 0), p);
	cr_assert(strstr(host_printk_buf, "pagealloc: memory corruption\n"), "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf, ": 41 41 41 41"), "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf, "page dumped because: pagealloc: corrupted page details\n"));
	cr_assert_eq(nr_poison_errors, 1);
	cr_assert_not(PagePoisoned(p));
}

Test(buddy, one_flipped_bit_is_called_a_single_bit_error)
{
	struct page *p;

	boot_machine(ram_16m, 1, "page_poison=1");
	p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0);
	((u8 *)page_address(p))[7] ^= 0x04;
	host_printk_reset();
	alloc_pages(GFP_KERNEL, 0);
	cr_assert(strstr(host_printk_buf, "pagealloc: single bit error\n"), "%s", host_printk_buf);
}

/* ---- fragmentation index ----------------------------------------------------------------- */

/*
 * Free every other page of a 4 MiB block and nothing else: 512 single free pages.  For
 * an order-1 request the index is 1 - (1 + 512/2) / 512 = 0.499, for order 10
 * 1 - (1 + 512/1024) / 512 = 0.998 (almost all fragmentation); order 0 can be served: -1.
 */
Test(buddy, fragmentation_index_follows_linux)
{
	static struct page *pages[1024];
	struct zone *z;

	boot_16m();
	z = Z(ZONE_DMA32);
	no_watermarks();
	alloc_pages(GFP_HIGHUSER_MOVABLE, 10);
	alloc_pages(GFP_HIGHUSER_MOVABLE, 10);
	alloc_pages(GFP_HIGHUSER_MOVABLE, 9);
	alloc_pages(GFP_HIGHUSER_MOVABLE, 7);
	for (int i = 0; i < 1024; i++)
		cr_assert_not_null(pages[i] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0));
	for (int i = 0; i < 1024; i += 2)
		__free_pages(pages[i], 0);
	drain_all_pages(NULL);
	cr_assert_eq(nr_free(ZONE_DMA32, 0), 512, "%s", show(buddyinfo_show));
	cr_assert_eq(fragmentation_index(z, 0), -1000);
	cr_assert_eq(fragmentation_index(z, 1), 1000 - (1000 + 512 * 1000 / 2) / 512);
	cr_assert_eq(fragmentation_index(z, 10), 1000 - (1000 + 512 * 1000 / 1024) / 512);
	cr_assert(strstr(show(extfrag_show), "Node 0, zone    DMA32 -1.000  0.499  0.749 "),
		  "%s", show(extfrag_show));
}

/* ---- names and views ------------------------------------------------------------------------ */

Test(buddy, gfp_flags_print_as_linux_names)
{
	char buf[128];
	gfp_t g;

	format_gfp_flags(buf, sizeof(buf), GFP_KERNEL);
	cr_assert_str_eq(buf, "GFP_KERNEL");
	format_gfp_flags(buf, sizeof(buf), GFP_KERNEL | GFP_DMA);
	cr_assert_str_eq(buf, "GFP_KERNEL|GFP_DMA");
	format_gfp_flags(buf, sizeof(buf), GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN);
	cr_assert_str_eq(buf, "GFP_ATOMIC|__GFP_NOWARN|__GFP_ZERO");
	format_gfp_flags(buf, sizeof(buf), GFP_HIGHUSER_MOVABLE);
	cr_assert_str_eq(buf, "GFP_HIGHUSER_MOVABLE");
	format_gfp_flags(buf, sizeof(buf), 0x200);
	cr_assert_str_eq(buf, "0x200");
	cr_assert_eq(gfp_flag_parse("dma32", &g), 0);
	cr_assert_eq(g, GFP_DMA32);
	cr_assert_eq(gfp_flag_parse("GFP_ATOMIC", &g), 0);
	cr_assert_eq(g, GFP_ATOMIC);
	cr_assert_eq(gfp_flag_parse("__gfp_zero", &g), 0);
	cr_assert_eq(g, __GFP_ZERO);
	cr_assert_neq(gfp_flag_parse("bogus", &g), 0);
}

Test(buddy, proc_views_have_linux_layouts)
{
	const char *zi, *mi;
	unsigned long free_kb, avail_kb;
	struct zone *dma32;

	boot_machine(qemu_512m, 2, NULL);
	dma32 = Z(ZONE_DMA32);
	zi = show(zoneinfo_show);
	cr_assert(strstr(zi, printed("Node 0, zone    DMA32\n  pages free     %lu\n        boost    0\n"
				     "        min      %lu\n        low      %lu\n",
				     dma32->managed_pages, min_wmark_pages(dma32), low_wmark_pages(dma32))),
		  "%s", zi);
	cr_assert(strstr(zi, printed("        protection: (0, %lu, %lu, %lu, %lu)\n      nr_free_pages 3998\n"
				     "      nr_free_pages_blocks 3584\n",
				     dma32->managed_pages / 256, dma32->managed_pages / 256,
				     dma32->managed_pages / 256, dma32->managed_pages / 256)), "%s", zi);
	cr_assert(strstr(zi, "      nr_free_cma  0\n  pagesets\n    cpu: 0\n              count:    0\n"), "%s", zi);
	cr_assert(strstr(zi, "              batch:    31\n"), "%s", zi);
	cr_assert(strstr(zi, "  node_unreclaimable:  0\n  start_pfn:           4096\n"), "%s", zi);
	cr_assert(strstr(zi, "Node 0, zone   Normal\n  pages free     0\n"), "%s", zi);
	mi = show(meminfo_show);
	cr_assert_eq(sscanf(mi, "MemTotal:         517620 kB\nMemFree:          %lu kB\n"
				"MemAvailable:     %lu kB\n", &free_kb, &avail_kb), 2, "%s", mi);
	cr_assert_eq(free_kb, 517620);
	cr_assert_eq(avail_kb, free_kb - totalreserve_pages * 4);
	cr_assert(strstr(show(pagetypeinfo_show),
			 "Page block order: 9\nPages per block:  512\n\n"
			 "Free pages count per migrate type at order       0      1      2      3"),
		  "%s", show(pagetypeinfo_show));
	alloc_pages(GFP_KERNEL | GFP_DMA, 2);
	cr_assert(strstr(show(vmstat_show), "pgalloc_dma 4\npgalloc_dma32 0\npgalloc_normal 0\n"
					     "pgalloc_movable 0\nallocstall_dma 0\n"), "%s", show(vmstat_show));
	cr_assert(strstr(show(vmstat_show), "\npgfree 129405\npgactivate 0\n"), "%s", show(vmstat_show));
	cr_assert(strstr(show(buddyinfo_show), "Node 0, zone      DMA "), "%s", show(buddyinfo_show));
}
