// SPDX-License-Identifier: MIT
/*
 * The physical memory model on the host: memblock is given a machine's RAM, then the
 * real sparse_init(), free_area_init() and memblock_free_all() run on it.  Expected
 * numbers are what Linux computes from the same map (mm/mm_init.c, 6.x); the first map
 * is QEMU's q35 with 512 MiB under SeaBIOS, whose Linux boot log reads:
 *
 *   On node 0, zone DMA: 1 pages in unavailable ranges
 *   On node 0, zone DMA: 97 pages in unavailable ranges
 *   On node 0, zone DMA32: 33 pages in unavailable ranges
 */
#include <criterion/criterion.h>

#include "arch/memory_setup.h"
#include "host/printk_capture.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mm.h"

/* What paging_init() does, on a memblock holding @ram (and @reserve reserved). */
static void set_up(const u64 (*ram)[2], int n, u64 reserve_start, u64 reserve_size)
{
	memblock_set_current_limit(host_phys_arena_size);
	for (int i = 0; i < n; i++)
		memblock_add(ram[i][0], ram[i][1] - ram[i][0]);
	if (reserve_size)
		memblock_reserve(reserve_start, reserve_size);
	host_printk_reset();
	paging_init();
}

static struct zone *zone(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

static const u64 qemu_512m[][2] = { { 0x1000, 0x9f000 }, { 0x100000, 0x1ffdf000 } };

Test(memory_model, qemu_512m_zone_spans_match_linux)
{
	set_up(qemu_512m, 2, 0, 0);
	cr_assert_eq(zone(ZONE_DMA)->zone_start_pfn, 1);
	cr_assert_eq(zone(ZONE_DMA)->spanned_pages, 4095);
	cr_assert_eq(zone(ZONE_DMA)->present_pages, 3998);
	cr_assert_eq(zone(ZONE_DMA32)->zone_start_pfn, 4096);
	cr_assert_eq(zone(ZONE_DMA32)->spanned_pages, 0x1ffdf - 4096);
	cr_assert_eq(zone(ZONE_DMA32)->present_pages, 0x1ffdf - 4096);
	cr_assert_eq(zone(ZONE_NORMAL)->spanned_pages, 0);
	cr_assert_eq(NODE_DATA(0)->node_present_pages, 3998 + 0x1ffdf - 4096);
}

Test(memory_model, qemu_512m_boot_log_lines_match_linux)
{
	set_up(qemu_512m, 2, 0, 0);
	cr_assert(strstr(host_printk_buf, "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n"),
		  "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf, "  DMA32    [mem 0x0000000001000000-0x000000001ffdefff]\n"));
	cr_assert(strstr(host_printk_buf, "  Normal   empty\n"));
	cr_assert(strstr(host_printk_buf, "  node   0: [mem 0x0000000000100000-0x000000001ffdefff]\n"));
	cr_assert(strstr(host_printk_buf, "Initmem setup node 0 [mem 0x0000000000001000-0x000000001ffdefff]\n"));
	cr_assert(strstr(host_printk_buf,
			 "On node 0, zone DMA: 1 pages in unavailable ranges\n"
			 "On node 0, zone DMA: 97 pages in unavailable ranges\n"
			 "On node 0, zone DMA32: 33 pages in unavailable ranges\n"), "%s", host_printk_buf);
}

/* Pages memblock holds back: the test's reservation and the memmap sparse_init() took. */
static unsigned long reserved_pages(void)
{
	return memblock_reserved_size() >> PAGE_SHIFT;
}

Test(memory_model, every_free_page_reaches_the_buddy_allocator)
{
	/* Reserve 2 MiB for a "kernel" at 2 MiB: everything else must be freed. */
	set_up(qemu_512m, 2, 0x200000, 0x200000);
	unsigned long reserved = reserved_pages();
	unsigned long freed = memblock_free_all();
	unsigned long present = NODE_DATA(0)->node_present_pages;

	cr_assert_eq(reserved, 512 + 4 * 384, "2 MiB, and 4 sections of 48-byte struct pages");
	cr_assert_eq(freed, present - reserved);
	cr_assert_eq(nr_free_pages(), freed);
	cr_assert_eq(zone(ZONE_DMA)->managed_pages + zone(ZONE_DMA32)->managed_pages, freed);
	cr_assert(PageReserved(pfn_to_page(0x200)), "the reserved range is marked");
	cr_assert(PageReserved(pfn_to_page(0)), "the hole at page 0 is marked");
	cr_assert_not(PageReserved(pfn_to_page(0x400)));
}

Test(memory_model, ram_above_4g_goes_to_normal_and_the_pci_hole_costs_no_memmap)
{
	/* q35 with 8 GiB: 2 GiB below the PCI hole, 6 GiB above 4 GiB. */
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { 0x100000, 0x7ffdf000 },
				      { 0x100000000ULL, 0x280000000ULL } };

	set_up(ram, 3, 0, 0);
	cr_assert_eq(zone(ZONE_DMA32)->spanned_pages, 0x100000 - 4096);
	cr_assert_eq(zone(ZONE_DMA32)->present_pages, 0x7ffdf - 4096);
	cr_assert_eq(zone(ZONE_NORMAL)->zone_start_pfn, 0x100000);
	cr_assert_eq(zone(ZONE_NORMAL)->present_pages, 0x180000);
	cr_assert(pfn_valid(0x7ffdf), "the section with the end of low RAM has a memmap");
	cr_assert_not(pfn_valid(0x90000), "the 2-4 GiB hole has none");
	cr_assert_not(pfn_valid(0xfffff));
	cr_assert(strstr(host_printk_buf, "  Normal   [mem 0x0000000100000000-0x000000027fffffff]\n"));
	/* Linux labels the hole before a range with the zone of the range. */
	cr_assert(strstr(host_printk_buf, "On node 0, zone Normal: 33 pages in unavailable ranges\n"),
		  "%s", host_printk_buf);
}

Test(memory_model, ram_only_below_16m_leaves_dma32_and_normal_empty)
{
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { 0x100000, 0xe00000 } };

	set_up(ram, 2, 0, 0);
	cr_assert_eq(zone(ZONE_DMA)->present_pages, 0x9e + 0xd00);
	cr_assert_not(populated_zone(zone(ZONE_DMA32)));
	cr_assert_not(populated_zone(zone(ZONE_NORMAL)));
	cr_assert(strstr(host_printk_buf, "  DMA      [mem 0x0000000000001000-0x0000000000dfffff]\n"));
	cr_assert(strstr(host_printk_buf, "  DMA32    empty\n"), "%s", host_printk_buf);
}

Test(memory_model, no_ram_below_16m_leaves_dma_empty)
{
	static const u64 ram[][2] = { { 0x1000000, 0x40000000 } };

	set_up(ram, 1, 0, 0);
	cr_assert_not(populated_zone(zone(ZONE_DMA)));
	cr_assert_eq(zone(ZONE_DMA32)->zone_start_pfn, 0x1000);
	cr_assert_eq(zone(ZONE_DMA32)->present_pages, 0x40000 - 0x1000);
	cr_assert_eq(memblock_free_all(), 0x40000 - 0x1000 - reserved_pages());
}

Test(memory_model, memmap_follows_present_ram_not_the_highest_address)
{
	/* 128 MiB at 0 and 128 MiB at 64 GiB: two sections of memmap, not 513. */
	static const u64 ram[][2] = { { 0x0, 0x8000000 }, { 0x1000000000ULL, 0x1008000000ULL } };
	unsigned long sections = 0;

	set_up(ram, 2, 0, 0);
	for (unsigned long pfn = 0; pfn < 0x1008000; pfn += PAGES_PER_SECTION)
		sections += pfn_valid(pfn);
	cr_assert_eq(sections, 2);
}

Test(memory_model, buddy_allocator_splits_and_merges_back)
{
	set_up(qemu_512m, 2, 0, 0);
	mm_core_init(); /* the zonelists too, as start_kernel does */
	unsigned long before = nr_free_pages();
	struct page *a = alloc_pages(GFP_KERNEL, 0), *b = alloc_pages(GFP_DMA, 3);

	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_eq(page_zonenum(b), ZONE_DMA);
	cr_assert_eq(page_zonenum(a), ZONE_DMA32, "Normal is empty: falls back to DMA32");
	drain_all_pages(NULL); /* the per-cpu lists took a batch: count only what was handed out */
	cr_assert_eq(nr_free_pages(), before - 9);
	cr_assert_eq(page_to_pfn(b) % 8, 0, "an order-3 block is naturally aligned");
	__free_pages(a, 0);
	__free_pages(b, 3);
	drain_all_pages(NULL);
	cr_assert_eq(nr_free_pages(), before);
	cr_assert_null(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1));
}
