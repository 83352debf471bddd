// SPDX-License-Identifier: MIT
/*
 * Lab 3's host checks: sparse_init() and populate_range() (mm/sparse.c) decide which
 * 128 MiB sections get struct pages, and pfn_valid() answers from that section map;
 * absent_pages_in_range() (mm/mm_init.c) decides how many pages of a zone are present.
 * memblock is given a machine's RAM, then the real boot code runs on it.  Each test is
 * one graded check (docs/labs/03-struct-page-and-zones.md).
 *
 * Pictures show physical memory in 128 MiB sections:  [RAM]  [....] (no RAM)
 */
#include <criterion/criterion.h>

#include "arch/memory_setup.h"
#include "host/printk_capture.h"
#include "mm/memblock.h"
#include "mm/mm.h"

#define MB(x) ((u64)(x) << 20)
#define GB(x) ((u64)(x) << 30)
#define SECTION_BYTES (PAGES_PER_SECTION * PAGE_SIZE)
#define MEMMAP_PAGES_PER_SECTION (PAGES_PER_SECTION * sizeof(struct page) / PAGE_SIZE)

static void add_ram(const u64 (*ram)[2], int n)
{
	memblock_set_current_limit(host_phys_arena_size);
	for (int i = 0; i < n; i++)
		memblock_add(ram[i][0], ram[i][1] - ram[i][0]);
	host_printk_reset();
}

static unsigned long sections_with_memmap(u64 up_to)
{
	unsigned long n = 0;

	for (unsigned long pfn = 0; pfn < PFN_DOWN(up_to); pfn += PAGES_PER_SECTION)
		n += pfn_valid(pfn);
	return n;
}

/* The memmap is taken from memblock: its reservations tell how many sections got one. */
static unsigned long memmap_sections_allocated(void)
{
	return (memblock_reserved_size() >> PAGE_SHIFT) / MEMMAP_PAGES_PER_SECTION;
}

/* ---- sparse_init / populate_range ------------------------------------------------------- */

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab03, .timeout = 5);

/*
 * [RAM] [....] ... [....] [RAM]      128 MiB at 0, 128 MiB at 64 GiB
 * two sections of memmap, not 513
 */
Test(lab03, only_sections_with_ram_get_struct_pages)
{
	static const u64 ram[][2] = { { 0, MB(128) }, { GB(64), GB(64) + MB(128) } };

	add_ram(ram, 2);
	sparse_init();
	cr_assert_eq(sections_with_memmap(GB(65)), 2);
	cr_assert(pfn_valid(0) && pfn_valid(PFN_DOWN(MB(128)) - 1));
	cr_assert(pfn_valid(PFN_DOWN(GB(64))) && pfn_valid(PFN_DOWN(GB(64) + MB(128)) - 1));
	cr_assert_not(pfn_valid(PFN_DOWN(MB(128))), "the section after the first has no RAM");
	cr_assert_not(pfn_valid(PFN_DOWN(GB(32))));
	cr_assert_eq(memmap_sections_allocated(), 2);
}

/*
 * [RA|RAM] [RAM] [....] ... [RAM]    [0, 64M) and [64M + 4K, 200M) share section 0;
 *                                     [1G, 1G + 64M) is section 8
 * section 0 gets one memmap, not two
 */
Test(lab03, a_section_shared_by_two_ranges_gets_one_memmap)
{
	static const u64 ram[][2] = { { 0, MB(64) }, { MB(64) + 0x1000, MB(200) },
				      { GB(1), GB(1) + MB(64) } };

	add_ram(ram, 3);
	sparse_init();
	cr_assert_eq(sections_with_memmap(GB(2)), 3);
	cr_assert(pfn_valid(PFN_DOWN(MB(130))) && pfn_valid(PFN_DOWN(GB(1))));
	cr_assert_eq(memmap_sections_allocated(), 3, "%lu sections' worth of memmap allocated",
		     memmap_sections_allocated());
}

/*
 * [RAM] [....] [....] [....] [RAM]   RAM ending exactly on a section boundary:
 *                                     128 MiB at 0 and at 512 MiB
 */
Test(lab03, ram_ending_on_a_section_boundary_takes_no_extra_section)
{
	static const u64 ram[][2] = { { 0, MB(128) }, { MB(512), MB(640) } };

	add_ram(ram, 2);
	sparse_init();
	cr_assert_eq(sections_with_memmap(GB(1)), 2);
	cr_assert_not(pfn_valid(PFN_DOWN(MB(128))));
	cr_assert_not(pfn_valid(PFN_DOWN(MB(640))));
	cr_assert_eq(memmap_sections_allocated(), 2);
}

/* q35 with 8 GiB: RAM 0-2G and 4G-10G.  16 + 48 sections; the PCI hole costs nothing. */
Test(lab03, the_pci_hole_costs_no_memmap)
{
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { MB(1), 0x7ffdf000 },
				      { GB(4), GB(10) } };

	add_ram(ram, 3);
	sparse_init();
	cr_assert_eq(sections_with_memmap(GB(10)), 64);
	cr_assert_not(pfn_valid(PFN_DOWN(GB(3))));
	cr_assert_eq(memmap_sections_allocated(), 64);
}

/* The boot log says what it cost, as the kernel prints it. */
Test(lab03, sparse_init_reports_the_sections)
{
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { MB(1), 0x1ffdf000 } };

	add_ram(ram, 2);
	sparse_init();
	cr_assert(strstr(host_printk_buf,
			 "sparse: 4 sections of 128 MiB present, memmap 6144 KiB (48 bytes per page)\n"),
		  "the boot log says:\n%s", host_printk_buf);
}

/* ---- pfn_valid: has this frame a struct page that may be looked at? -------------------- */

/* QEMU q35 with 512 MiB, as SeaBIOS reports it: four sections, 0-3. */
static const u64 qemu_512m[][2] = { { 0x1000, 0x9f000 }, { MB(1), 0x1ffdf000 } };

/*
 * [.RA RAM] [RAM] [RAM] [RAM..]       frame 0 (the BIOS's), the hole 636K-1M and the
 *                                      frames after the end of RAM are not RAM, but
 *                                      share sections 0 and 3 with it
 */
Test(lab03, holes_sharing_a_section_with_ram_have_struct_pages)
{
	add_ram(qemu_512m, 2);
	sparse_init();
	cr_assert(pfn_valid(0), "frame 0 shares section 0 with RAM");
	for (unsigned long pfn = 0x9f; pfn < 0x100; pfn++)
		cr_assert(pfn_valid(pfn), "pfn %#lx: in the hole at 636K-1M, in section 0", pfn);
	for (unsigned long pfn = 0x1ffdf; pfn < 0x20000; pfn++)
		cr_assert(pfn_valid(pfn), "pfn %#lx: after the end of RAM, in section 3", pfn);
}

/*
 * [....] [....] [.RAM.] [....] ... [RAM] [....] ...    RAM [256M + 20K, 300M) and
 *                                                       [1G, 1G + 128M)
 * below, between and above the RAM's sections, no frame has a struct page
 */
Test(lab03, sections_without_ram_have_no_struct_pages)
{
	static const u64 ram[][2] = { { MB(256) + 0x5000, MB(300) }, { GB(1), GB(1) + MB(128) } };
	static const u64 none[] = { 0, MB(256) - 1, MB(384), GB(1) - 1, GB(1) + MB(128),
				    GB(64), GB(1024) };

	add_ram(ram, 2);
	sparse_init();
	cr_assert(pfn_valid(PFN_DOWN(MB(300)) - 1) && pfn_valid(PFN_DOWN(GB(1))));
	for (unsigned i = 0; i < ARRAY_SIZE(none); i++)
		cr_assert_not(pfn_valid(PFN_DOWN(none[i])), "pfn %#lx has no RAM in its section",
			      (unsigned long)PFN_DOWN(none[i]));
}

/*
 * [.RA RAM] [RAM] [RAM] [RAM..] ... [RAM] | beyond     RAM in the last section the map
 *                                         64 TiB      describes (MAX_PHYSMEM_BITS)
 * Any pfn may be asked about (`page` passes what the user typed): past the map there is
 * nothing, and nothing may be read for it.  AddressSanitizer reports a read outside it.
 */
Test(lab03, pfns_beyond_the_section_map_have_none)
{
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { MB(1), 0x1ffdf000 },
				      { (1ULL << MAX_PHYSMEM_BITS) - SECTION_BYTES, 1ULL << MAX_PHYSMEM_BITS } };
	const unsigned long last = section_nr_to_pfn(NR_MEM_SECTIONS) - 1;
	const unsigned long beyond[] = { section_nr_to_pfn(NR_MEM_SECTIONS),
					  section_nr_to_pfn(NR_MEM_SECTIONS) + PAGES_PER_SECTION - 1,
					  section_nr_to_pfn(NR_MEM_SECTIONS + 64), 1UL << 52,
					  ~0UL >> PAGE_SHIFT, ~0UL };

	add_ram(ram, 3);
	sparse_init();
	cr_assert(pfn_valid(last), "pfn %#lx, the last frame of the last section, has RAM", last);
	for (unsigned i = 0; i < ARRAY_SIZE(beyond); i++)
		cr_assert_not(pfn_valid(beyond[i]), "pfn %#lx", beyond[i]);
}

/* ---- absent_pages_in_range: present = spanned - holes ------------------------------------ */

static struct zone *zone(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

static void boot(const u64 (*ram)[2], int n)
{
	add_ram(ram, n);
	paging_init();
}

static unsigned long ram_pages(const u64 (*ram)[2], int n)
{
	unsigned long pages = 0;

	for (int i = 0; i < n; i++)
		pages += PFN_DOWN(ram[i][1]) - PFN_UP(ram[i][0]);
	return pages;
}

/* QEMU q35 with 512 MiB: the DMA zone spans 4095 pages, 97 of them a hole (636K-1M). */
Test(lab03, qemu_512m_dma_zone_has_a_hole)
{
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { MB(1), 0x1ffdf000 } };

	boot(ram, 2);
	cr_assert_eq(zone(ZONE_DMA)->spanned_pages, 4095);
	cr_assert_eq(zone(ZONE_DMA)->present_pages, 3998);
	cr_assert_eq(zone(ZONE_DMA32)->present_pages, 0x1ffdf - 4096);
	cr_assert_eq(NODE_DATA(0)->node_present_pages, ram_pages(ram, 2));
}

/*
 * RAM [1M, 15M) and [17M, 100M), [200M, 300M): DMA and DMA32 each lose what is not RAM,
 * the holes at the zone boundary (15M-17M) split between them.
 */
Test(lab03, holes_are_counted_in_the_zone_they_fall_in)
{
	static const u64 ram[][2] = { { MB(1), MB(15) }, { MB(17), MB(100) }, { MB(200), MB(300) } };

	boot(ram, 3);
	cr_assert_eq(zone(ZONE_DMA)->zone_start_pfn, PFN_DOWN(MB(1)));
	cr_assert_eq(zone(ZONE_DMA)->spanned_pages, PFN_DOWN(MB(15)));
	cr_assert_eq(zone(ZONE_DMA)->present_pages, PFN_DOWN(MB(14)));
	cr_assert_eq(zone(ZONE_DMA32)->spanned_pages, PFN_DOWN(MB(300) - MB(16)));
	cr_assert_eq(zone(ZONE_DMA32)->present_pages, PFN_DOWN(MB(83) + MB(100)));
}

/* q35 with 3 GiB: DMA32 spans up to 4 GiB, but RAM stops at 2 GiB; Normal is all RAM. */
Test(lab03, the_pci_hole_is_spanned_but_not_present)
{
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { MB(1), 0x7ffdf000 },
				      { GB(4), GB(5) } };

	boot(ram, 3);
	cr_assert_eq(zone(ZONE_DMA32)->spanned_pages, PFN_DOWN(GB(4)) - 4096);
	cr_assert_eq(zone(ZONE_DMA32)->present_pages, 0x7ffdf - 4096);
	cr_assert_eq(zone(ZONE_NORMAL)->zone_start_pfn, PFN_DOWN(GB(4)));
	cr_assert_eq(zone(ZONE_NORMAL)->present_pages, PFN_DOWN(GB(1)));
}

/* However the RAM is cut up, the zones' present pages add up to all of it. */
Test(lab03, present_pages_add_up_to_the_ram)
{
	static const u64 ram[][2] = { { 0x1000, 0x9f000 }, { MB(1), MB(12) }, { MB(13), MB(17) },
				      { MB(18), MB(700) }, { GB(1), GB(2) }, { GB(4), GB(4) + MB(3) } };
	unsigned long present = 0;

	boot(ram, 6);
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		cr_assert_leq(zone(t)->present_pages, zone(t)->spanned_pages, "zone %d", t);
		present += zone(t)->present_pages;
	}
	cr_assert_eq(present, ram_pages(ram, 6));
	cr_assert_eq(NODE_DATA(0)->node_present_pages, ram_pages(ram, 6));
}
