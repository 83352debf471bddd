// SPDX-License-Identifier: MIT
/*
 * Lab 9's host checks: lowmem_limit() (mm/highmem.c) and zone_sizes_init() (mm/mm_init.c)
 * decide where the direct map ends and where HighMem begins; kmap() and kunmap()
 * (mm/highmem.c) hand out the counted slots of the persistent kmap window.  memblock is
 * given a machine's RAM, then the real boot code runs on it.  Each test is one graded
 * check (docs/labs/09-highmem.md).
 *
 * On the host no page tables change: arch_kmap_set() and arch_kmap_clear() only record
 * the last address and frame they were given (tests/host/kmap.c).
 */
#include <criterion/criterion.h>

#include "arch/memory_setup.h"
#include "host/printk_capture.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/memblock.h"
#include "mm/mm.h"

#define MB(x) ((u64)(x) << 20)
#define GB(x) ((u64)(x) << 30)

extern u64 host_kmap_last_set, host_kmap_last_clear;
extern unsigned long host_kmap_last_pfn;

/* A PC's RAM up to @ram_end (the first MiB as the BIOS leaves it), booted with @cmdline. */
static void boot(u64 ram_end, const char *cmdline)
{
	memblock_set_current_limit(host_phys_arena_size);
	memblock_add(0x1000, 0x9e000);
	memblock_add(MB(1), MIN(ram_end, GB(3)) - MB(1));
	if (ram_end > GB(3)) /* above the PCI hole, as QEMU puts it */
		memblock_add(GB(4), ram_end - GB(3));
	zone_layout_init(cmdline);
	host_printk_reset();
	mm_init_after_paging(); /* as start_kernel: memmap, zones, zonelists, then the buddy */
}

static struct zone *zone(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

/* [first, end) of zone @t as free_area_init() set it up; {0, 0} if empty. */
static void assert_zone(enum zone_type t, unsigned long first, unsigned long end)
{
	struct zone *z = zone(t);

	if (first == end) {
		cr_assert_eq(z->spanned_pages, 0, "zone %s should be empty, spans pfn %#lx-%#lx",
			     z->name, z->zone_start_pfn, zone_end_pfn(z));
		return;
	}
	cr_assert(z->zone_start_pfn == first && zone_end_pfn(z) == end,
		  "zone %s spans pfn %#lx-%#lx, should be %#lx-%#lx", z->name, z->zone_start_pfn,
		  zone_end_pfn(z), first, end);
}

/* ---- lowmem_limit / zone_sizes_init ----------------------------------------------------- */

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab09, .timeout = 5);

/*
 * Linux 6.18's i386 PAE MAXMEM: VMALLOC_END - PAGE_OFFSET - the vmalloc reserve.
 *
 *  0xC0000000                  + 0x375fe000    + 8M gap   0xFF5FE000  pkmap, LDT, CPU
 *  | direct map ("lowmem")     | vmalloc area (120M)      |           entry areas, fixmap
 *                              <------ 128 MiB reserve --->
 */
#define MAXMEM 0x375fe000ULL
#define VMALLOC_END_MINUS_PAGE_OFFSET 0x3f5fe000ULL

Test(lab09, the_lowmem_limit_is_maxmem)
{
	zone_layout_init("zones=x86_32");
	cr_assert_eq(lowmem_limit(), MAXMEM, "%#llx", (unsigned long long)lowmem_limit());
	zone_layout_init("zones=x86_32 vmalloc=256M");
	cr_assert_eq(lowmem_limit(), VMALLOC_END_MINUS_PAGE_OFFSET - MB(256) - MB(8),
		     "vmalloc=256M (+ the 8 MiB gap): %#llx", (unsigned long long)lowmem_limit());
}

Test(lab09, the_default_layout_has_no_lowmem_limit)
{
	zone_layout_init("zones=x86_32 vmalloc=200M");
	cr_assert_eq(lowmem_limit(), VMALLOC_END_MINUS_PAGE_OFFSET - MB(208),
		     "zones=x86_32 vmalloc=200M: %#llx", (unsigned long long)lowmem_limit());
	zone_layout = ZONES_X86_64; /* as a boot without zones=x86_32 */
	cr_assert_geq(lowmem_limit(), GB(1) << 20, "x86-64 has room for all RAM: %#llx",
		      (unsigned long long)lowmem_limit());
}

/*
 * 2 GiB, zones=x86_32:
 * | DMA 0-16M | Normal 16M-0x375fe000         | HighMem 0x375fe000-2G                |
 */
Test(lab09, ram_above_maxmem_is_highmem)
{
	boot(GB(2), "zones=x86_32");
	cr_assert_eq(max_low_pfn, 0x375fe, "max_low_pfn %#lx", max_low_pfn);
	assert_zone(ZONE_DMA, 1, 0x1000);
	assert_zone(ZONE_DMA32, 0, 0);
	assert_zone(ZONE_NORMAL, 0x1000, 0x375fe);
	assert_zone(ZONE_HIGHMEM, 0x375fe, 0x80000);
}

Test(lab09, vmalloc_256m_moves_highmem_down)
{
	boot(GB(2), "zones=x86_32 vmalloc=256M");
	cr_assert_eq(max_low_pfn, 0x2edfe, "max_low_pfn %#lx", max_low_pfn);
	assert_zone(ZONE_NORMAL, 0x1000, 0x2edfe);
	assert_zone(ZONE_HIGHMEM, 0x2edfe, 0x80000);
}

/* 512 MiB, zones=x86_32: all of it fits in the direct map; lowmem ends with the RAM. */
Test(lab09, ram_below_maxmem_is_all_lowmem)
{
	boot(MB(512) - 0x21000, "zones=x86_32");
	cr_assert_eq(max_low_pfn, 0x1ffdf, "max_low_pfn %#lx: lowmem ends where RAM does",
		     max_low_pfn);
	assert_zone(ZONE_DMA, 1, 0x1000);
	assert_zone(ZONE_NORMAL, 0x1000, 0x1ffdf);
	assert_zone(ZONE_HIGHMEM, 0, 0);
}

/* 5 GiB, default layout: | DMA | DMA32 up to 4G (the PCI hole inside) | Normal 4G-6G | */
Test(lab09, the_default_layout_has_dma32_and_no_highmem)
{
	boot(GB(5), "");
	cr_assert_eq(max_low_pfn, 0x180000, "max_low_pfn %#lx: all RAM is lowmem", max_low_pfn);
	assert_zone(ZONE_DMA, 1, 0x1000);
	assert_zone(ZONE_DMA32, 0x1000, 0x100000);
	assert_zone(ZONE_NORMAL, 0x100000, 0x180000);
	assert_zone(ZONE_HIGHMEM, 0, 0);
}

/* ---- kmap / kunmap ------------------------------------------------------------------------ */

static struct page *pages[3 * LAST_PKMAP];

static void take_highmem(unsigned int n)
{
	boot(GB(2), "zones=x86_32");
	for (unsigned int i = 0; i < n; i++) {
		pages[i] = alloc_pages(GFP_HIGHUSER, 0);
		cr_assert(pages[i] && PageHighMem(pages[i]), "need HighMem pages to kmap");
	}
}

static bool in_window(const void *addr)
{
	return (u64)addr >= PKMAP_BASE && (u64)addr < PKMAP_ADDR(LAST_PKMAP) &&
	       !((u64)addr & (PAGE_SIZE - 1));
}

Test(lab09, kmap_of_a_lowmem_page_is_its_address)
{
	struct page *p;

	boot(GB(2), "zones=x86_32");
	p = alloc_pages(GFP_KERNEL, 0);
	host_kmap_last_set = 0;
	cr_assert_eq(kmap(p), lowmem_page_address(p));
	cr_assert_eq(host_kmap_last_set, 0, "a lowmem page needs no slot");
	kunmap(p);
	cr_assert_eq(host_kmap_last_clear, 0);
}

Test(lab09, kmap_maps_a_highmem_page_in_a_slot)
{
	void *addr;

	take_highmem(1);
	cr_assert_null(page_address(pages[0]), "not mapped yet");
	addr = kmap(pages[0]);
	cr_assert(in_window(addr), "kmap gave %p", addr);
	cr_assert_eq(host_kmap_last_set, (u64)addr, "the slot's page table entry is written");
	cr_assert_eq(host_kmap_last_pfn, page_to_pfn(pages[0]), "with the page's frame");
	cr_assert_eq(page_address(pages[0]), addr);
}

Test(lab09, two_held_pages_get_two_slots)
{
	void *a, *b;

	take_highmem(2);
	a = kmap(pages[0]);
	b = kmap(pages[1]);
	cr_assert(in_window(a) && in_window(b) && a != b, "kmap gave %p and %p", a, b);
}

/* Mapped twice, unmapped twice: one slot, counted; a third kunmap is an error. */
Test(lab09, the_same_page_twice_is_one_slot_counted_twice)
{
	void *a;

	take_highmem(1);
	a = kmap(pages[0]);
	host_kmap_last_set = 0;
	cr_assert_eq(kmap(pages[0]), a);
	cr_assert_eq(host_kmap_last_set, 0, "already mapped: no page table to change");
	kunmap(pages[0]);
	cr_assert_eq(page_address(pages[0]), a, "still held once");
	kunmap(pages[0]);
	cr_assert_null(strstr(host_printk_buf, "is not kmapped"), "%s", host_printk_buf);
	kunmap(pages[0]);
	cr_assert(strstr(host_printk_buf, "is not kmapped"), "a third kunmap must say so");
}

/* After kunmap the mapping lingers: mapping the page again reuses it as it is. */
Test(lab09, a_lingering_mapping_is_reused)
{
	void *a;

	take_highmem(1);
	a = kmap(pages[0]);
	kunmap(pages[0]);
	host_kmap_last_set = 0;
	cr_assert_eq(kmap(pages[0]), a);
	cr_assert_eq(host_kmap_last_set, 0, "the lingering entry is reused, not rewritten");
}

/* highmem_page_address() also finds a kmap_local_page() address: that is no pkmap slot. */
Test(lab09, a_kmap_local_address_is_not_a_slot)
{
	void *local, *addr;

	take_highmem(1);
	local = kmap_local_page(pages[0]);
	kunmap(pages[0]);
	cr_assert(strstr(host_printk_buf, "is not kmapped"),
		  "kunmap of a page only kmap_local_page() mapped must say so: %s", host_printk_buf);
	host_printk_reset();
	addr = kmap(pages[0]);
	cr_assert(in_window(addr) && addr != local,
		  "kmap of a page kmap_local_page() mapped at %p gave %p: it needs a slot", local, addr);
	kunmap(pages[0]);
	cr_assert_null(strstr(host_printk_buf, "is not kmapped"), "%s", host_printk_buf);
	kunmap_local(local);
}

Test(lab09, kunmap_gives_the_slot_back)
{
	take_highmem(3 * LAST_PKMAP);
	for (unsigned int i = 0; i < 3 * LAST_PKMAP; i++) {
		void *addr = kmap(pages[i]);

		cr_assert(in_window(addr), "kmap number %u, after %u kunmaps, gave %p", i + 1, i, addr);
		kunmap(pages[i]);
	}
}

Test(lab09, a_held_slot_is_never_given_away)
{
	void *held;

	take_highmem(2 * LAST_PKMAP + 2);
	held = kmap(pages[0]);
	for (unsigned int i = 1; i < 2 * LAST_PKMAP + 2; i++) {
		void *addr = kmap(pages[i]);

		cr_assert(in_window(addr) && addr != held, "kmap of page %u gave %p; page 0 holds %p",
			  i, addr, held);
		cr_assert_neq(host_kmap_last_clear, (u64)held, "the held slot was unmapped");
		kunmap(pages[i]);
	}
	cr_assert_eq(page_address(pages[0]), held);
}

Test(lab09, a_full_window_gives_null_then_recovers)
{
	take_highmem(LAST_PKMAP + 1);
	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		cr_assert(in_window(kmap(pages[i])), "kmap number %u of %d", i + 1, LAST_PKMAP);
	cr_assert_null(kmap(pages[LAST_PKMAP]), "every slot is held");
	cr_assert(strstr(host_printk_buf, "all 512 pkmap slots are held"), "%s", host_printk_buf);
	kunmap(pages[3]);
	cr_assert(in_window(kmap(pages[LAST_PKMAP])), "one kunmap makes room");
	cr_assert_null(page_address(pages[3]), "its slot went to the new page");
}

/*
 * When no slot is free, the sweep unmaps every lingering slot (count 1) and no held one:
 *
 *   before:  slots 0-4 lingering, 5-9 held, 10-511 lingering     kmap(page 512)
 *   after:   5-9 still held, every other page unmapped but the new one
 */
Test(lab09, the_sweep_unmaps_every_lingering_slot_and_no_held_one)
{
	void *held[10], *addr;
	unsigned int mapped = 0;

	take_highmem(LAST_PKMAP + 1);
	for (unsigned int i = 0; i < 10; i++)
		held[i] = kmap(pages[i]);
	for (unsigned int i = 10; i < LAST_PKMAP; i++) {
		cr_assert(in_window(kmap(pages[i])), "kmap number %u", i + 1);
		kunmap(pages[i]);
	}
	for (unsigned int i = 0; i < 5; i++)
		kunmap(pages[i]);
	host_kmap_last_clear = 0;
	addr = kmap(pages[LAST_PKMAP]);
	cr_assert(in_window(addr), "no free slot, but lingering ones: the sweep makes room (%p)",
		  addr);
	cr_assert(in_window((void *)host_kmap_last_clear), "the sweep cleared no page table entry");
	for (unsigned int i = 5; i < 10; i++)
		cr_assert_eq(page_address(pages[i]), held[i], "held page %u lost its mapping", i);
	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		if (i < 5 || i >= 10)
			mapped += page_address(pages[i]) != NULL;
	cr_assert_eq(mapped, 0, "%u lingering mappings survived the sweep", mapped);
	cr_assert_eq(page_address(pages[LAST_PKMAP]), addr);
}

/*
 * The search goes round the window: slots at its start freed by a sweep are found even
 * when every slot from the last one given to the end of the window is held.
 *
 *   slots 0-9: lingering after their second round      slots 10-511: held
 *   kmap(new page) -> sweep -> a slot among 0-9
 */
Test(lab09, the_search_wraps_round_the_window)
{
	take_highmem(LAST_PKMAP + 11);
	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		cr_assert(in_window(kmap(pages[i])), "kmap number %u", i + 1);
	for (unsigned int i = 0; i < 10; i++)
		kunmap(pages[i]);
	for (unsigned int i = LAST_PKMAP; i < LAST_PKMAP + 10; i++)
		cr_assert(in_window(kmap(pages[i])), "kmap of page %u, with 10 slots lingering", i);
	for (unsigned int i = LAST_PKMAP; i < LAST_PKMAP + 10; i++)
		kunmap(pages[i]);
	cr_assert(in_window(kmap(pages[LAST_PKMAP + 10])), "10 slots linger at the start of the "
		  "window, the rest are held: the search must come round to them");
}
