// SPDX-License-Identifier: MIT
/*
 * The 32-bit layout (zones=x86_32) on the host: where the lowmem limit falls for maps
 * below, across and far above MAXMEM (Linux 6.18: 0x375fe000); kmap's slots running out
 * and being reused; and GFP_KERNEL never being handed a HighMem page.
 */
#include <criterion/criterion.h>

#include "arch/memory_setup.h"
#include "host/printk_capture.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/memblock.h"
#include "mm/mm.h"

extern u64 host_kmap_last_set, host_kmap_last_clear;

static void boot_32bit(u64 ram_end, const char *cmdline)
{
	memblock_set_current_limit(host_phys_arena_size);
	memblock_add(0x1000, 0x9e000);
	memblock_add(0x100000, ram_end - 0x100000);
	zone_layout_init(cmdline);
	host_printk_reset();
	mm_init_after_paging(); /* as start_kernel: memmap, zones, zonelists, then the buddy */
}

static struct zone *zone(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

Test(highmem, ram_below_maxmem_has_no_highmem)
{
	boot_32bit(512 * SZ_1M, "zones=x86_32");
	cr_assert_eq(max_low_pfn, PFN_DOWN(512 * SZ_1M));
	cr_assert_not(populated_zone(zone(ZONE_HIGHMEM)));
	cr_assert_not(populated_zone(zone(ZONE_DMA32)), "32-bit x86 has no DMA32");
	cr_assert(strstr(host_printk_buf, "  HighMem  empty\n"), "%s", host_printk_buf);
	cr_assert_null(strstr(host_printk_buf, "DMA32"));
}

/*
 * Linux 6.18's i386 PAE MAXMEM: VMALLOC_END 0xff5fe000 - PAGE_OFFSET 0xc0000000 - 128 MiB.
 *
 *   0          16M                     0x375fe000 (885 MiB + 2 MiB - 8 KiB)      2G
 *   | DMA      | Normal                 | HighMem                                 |
 */
Test(highmem, ram_across_maxmem_splits_normal_and_highmem)
{
	boot_32bit(2 * SZ_1G, "zones=x86_32");
	cr_assert_eq(max_low_pfn, 0x375fe, "MAXMEM = 0xff5fe000 - 0xc0000000 - 128 MiB");
	cr_assert_eq(zone_end_pfn(zone(ZONE_NORMAL)), 0x375fe);
	cr_assert_eq(zone(ZONE_HIGHMEM)->zone_start_pfn, 0x375fe);
	cr_assert_eq(zone(ZONE_HIGHMEM)->spanned_pages, 0x80000 - 0x375fe);
	cr_assert(strstr(host_printk_buf, "  Normal   [mem 0x0000000001000000-0x00000000375fdfff]\n"));
	cr_assert(strstr(host_printk_buf, "  HighMem  [mem 0x00000000375fe000-0x000000007fffffff]\n"));
	cr_assert(strstr(host_printk_buf, "885MB LOWMEM available.\n"), "%s", host_printk_buf);
}

/* FLATMEM (i386 without NUMA): the memmap tail is one 4 MiB block, not a 128 MiB section. */
Test(highmem, the_32bit_unavailable_tail_is_a_max_order_block)
{
	boot_32bit(2 * SZ_1G - 0x5000, "zones=x86_32");
	cr_assert(strstr(host_printk_buf, "zone HighMem: 5 pages in unavailable ranges\n"), "%s",
		  host_printk_buf);
}

Test(highmem, vmalloc_option_moves_the_lowmem_limit)
{
	/* As Linux: the area asked for, plus the 8 MiB guard gap. */
	boot_32bit(2 * SZ_1G, "zones=x86_32 vmalloc=256M");
	cr_assert_eq(max_low_pfn, PFN_DOWN(0x3f5fe000 - 264 * SZ_1M));
}

Test(highmem, ram_far_above_4g_is_all_highmem_above_maxmem)
{
	memblock_set_current_limit(host_phys_arena_size);
	memblock_add(0x100000, 0x7ff00000);
	memblock_add(0x100000000ULL, 0x200000000ULL); /* 8 GiB above 4 GiB */
	zone_layout_init("zones=x86_32");
	paging_init();
	cr_assert_eq(zone_end_pfn(zone(ZONE_HIGHMEM)), 0x300000);
	cr_assert_eq(zone(ZONE_HIGHMEM)->present_pages, 0x80000 - 0x375fe + 0x200000);
}

Test(highmem, default_layout_has_no_highmem)
{
	boot_32bit(2 * SZ_1G, "");
	cr_assert_eq(max_low_pfn, 0x80000);
	cr_assert_not(populated_zone(zone(ZONE_HIGHMEM)));
}

Test(highmem, gfp_kernel_never_gets_highmem)
{
	boot_32bit(2 * SZ_1G, "zones=x86_32");
	for (int i = 0; i < 2000; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		cr_assert_not_null(p);
		cr_assert_not(PageHighMem(p), "GFP_KERNEL got HighMem pfn %#lx", page_to_pfn(p));
	}
	cr_assert(PageHighMem(alloc_pages(GFP_HIGHUSER, 0)), "GFP_HIGHUSER prefers HighMem");
}

Test(highmem, kmap_slots_run_out_and_are_reused)
{
	static struct page *pages[LAST_PKMAP + 1];

	boot_32bit(2 * SZ_1G, "zones=x86_32");
	for (int i = 0; i <= LAST_PKMAP; i++)
		pages[i] = alloc_pages(GFP_HIGHUSER, 0);
	for (int i = 0; i < LAST_PKMAP; i++)
		cr_assert_not_null(kmap(pages[i]));
	cr_assert_null(kmap(pages[LAST_PKMAP]), "every slot is held");
	cr_assert(strstr(host_printk_buf, "all 512 pkmap slots are held"));

	kunmap(pages[7]); /* slot 7's mapping lingers until the window is full */
	cr_assert_eq(kmap(pages[7]), (void *)PKMAP_ADDR(7), "remapped without a new slot");
	kunmap(pages[7]);
	cr_assert_eq(kmap(pages[LAST_PKMAP]), (void *)PKMAP_ADDR(7), "the sweep frees slot 7");
	cr_assert_eq(host_kmap_last_clear, PKMAP_ADDR(7));
	cr_assert_eq(page_address(pages[LAST_PKMAP]), (void *)PKMAP_ADDR(7));
	cr_assert_null(page_address(pages[7]), "an unmapped HighMem page has no address");
}

Test(highmem, kmap_of_the_same_page_is_counted)
{
	boot_32bit(2 * SZ_1G, "zones=x86_32");
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);
	void *a = kmap(p), *b = kmap(p);

	cr_assert_eq(a, b);
	kunmap(p);
	cr_assert_eq(page_address(p), a, "still held once");
	kunmap(p);
	host_printk_reset();
	kunmap(p);
	cr_assert(strstr(host_printk_buf, "is not kmapped"), "a third kunmap is an error");
}

Test(highmem, kmap_local_is_a_stack)
{
	boot_32bit(2 * SZ_1G, "zones=x86_32");
	struct page *p = alloc_pages(GFP_HIGHUSER, 0), *q = alloc_pages(GFP_HIGHUSER, 0);
	void *a = kmap_local_page(p), *b = kmap_local_page(q);

	cr_assert_eq((u64)a, KMAP_LOCAL_BASE);
	cr_assert_eq((u64)b, KMAP_LOCAL_BASE + PAGE_SIZE);
	host_printk_reset();
	kunmap_local(a);
	cr_assert(strstr(host_printk_buf, "not the most recent"), "out of order is refused");
	kunmap_local(b);
	kunmap_local(a);
	cr_assert_eq(host_kmap_last_clear, KMAP_LOCAL_BASE);
}

Test(highmem, lowmem_pages_need_no_slot)
{
	boot_32bit(2 * SZ_1G, "zones=x86_32");
	struct page *p = alloc_pages(GFP_KERNEL, 0);

	cr_assert_eq(kmap(p), lowmem_page_address(p));
	cr_assert_eq(kmap_local_page(p), lowmem_page_address(p));
}
