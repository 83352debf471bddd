// SPDX-License-Identifier: MIT
/*
 * From memblock to the physical memory model: zones, struct pages, and the hand-over of
 * free memory to the buddy allocator.
 *
 * Boot order (start_kernel -> mm_init_after_paging(): paging_init(), then mm_core_init()):
 *
 *   sparse_init()          vmemmap[] backed for every section with RAM     (sparse.c)
 *   free_area_init()       zone spans from the zone limits and memblock,
 *                          "Zone ranges:" ... "On node 0, zone DMA: N pages in
 *                          unavailable ranges", every struct page initialised
 *   memblock_free_all()    free ranges -> buddy allocator, reserved -> PG_reserved
 *   mem_init_print_info()  "Memory: xK/yK available (...)"
 *   (then the allocator's own set-up, include/mm/page_alloc.h: watermarks, pcp sizes)
 *
 * The arithmetic is Linux's (mm/mm_init.c, 6.x): a zone spans from its lower limit (or
 * the first RAM frame) to its upper limit, clipped to the node; present = spanned minus
 * the holes between memblock ranges; managed = what memblock_free_all() frees into it.
 */
#include "kernel/printk.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"

pg_data_t node_data[MAX_NUMNODES];
unsigned long max_pfn;
unsigned long totalram_pages;

const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA",         [ZONE_DMA32] = "DMA32",     [ZONE_NORMAL] = "Normal",
	[ZONE_HIGHMEM] = "HighMem", [ZONE_MOVABLE] = "Movable",
};

const char *const pageflag_names[__NR_PAGEFLAGS] = {
	[PG_locked] = "locked",   [PG_referenced] = "referenced", [PG_dirty] = "dirty",
	[PG_reserved] = "reserved", [PG_slab] = "slab",         [PG_head] = "head",
	[PG_buddy] = "buddy",     [PG_poisoned] = "poisoned",
};

static unsigned long zone_lowest_pfn[MAX_NR_ZONES], zone_highest_pfn[MAX_NR_ZONES];

/*
 * Deferred struct page initialisation (Linux's CONFIG_DEFERRED_STRUCT_PAGE_INIT, which
 * distribution kernels enable; read in Linux 6.18's mm/mm_init.c).  With it, boot
 * initialises the struct pages of every zone below the node's top zone, and of the top
 * zone only the first section's worth (up to the next section boundary); from
 * first_deferred_pfn on the struct pages stay untouched, memblock_free_all() does not
 * free those frames, and kernel threads finish the job late in boot.  The cost of boot
 * then no longer grows with the RAM: that was the point.
 *
 * pagelab's kernel leaves it off, as it has no such late step: its largest machine
 * (512 GiB, what the loaders map) initialises every struct page at boot.  tools/mmsim
 * turns it on for large maps, whose memmap the host could not afford (2 TiB of RAM has
 * 24 GiB of struct pages); it stops at the end of boot, so nothing is left undone that
 * anyone would look at.
 */
bool deferred_struct_pages;
static unsigned long first_deferred_pfn = ~0UL;

/* Is @pfn's struct page initialised by now? */
static bool early_page_initialised(unsigned long pfn)
{
	return pfn < first_deferred_pfn;
}

/*
 * Linux's defer_init(): true once @pfn, in the zone that ends at @zone_end, lies past
 * what boot initialises.  Zones below the node's top zone are always initialised whole
 * (allocations limited to DMA or DMA32 cannot wait); the top zone stops at the first
 * section boundary after PAGES_PER_SECTION pages.
 */
static bool defer_init(unsigned long pfn, unsigned long zone_end)
{
	static unsigned long nr_initialised;
	pg_data_t *pgdat = NODE_DATA(0);

	if (!deferred_struct_pages || zone_end < pgdat->node_start_pfn + pgdat->node_spanned_pages)
		return false;
	if (first_deferred_pfn != ~0UL)
		return true;
	if (++nr_initialised > PAGES_PER_SECTION && !(pfn & (PAGES_PER_SECTION - 1))) {
		first_deferred_pfn = pfn;
		return true;
	}
	return false;
}

/*
 * __next_mem_pfn_range - the first memory region from @r on that holds at least one
 * whole frame, with those frames in [*@start, *@end); NULL after the last region.
 */
static struct memblock_region *__next_mem_pfn_range(struct memblock_region *r,
						     unsigned long *start, unsigned long *end)
{
	for (; r < memblock.memory.regions + memblock.memory.cnt; r++) {
		*start = PFN_UP(r->base);
		*end = PFN_DOWN(r->base + r->size);
		if (*start < *end)
			return r;
	}
	return NULL;
}

/* Every memblock memory region as whole frames [start, end); regions smaller are skipped. */
#define for_each_mem_pfn_range(r, start, end)                                 \
	for (r = __next_mem_pfn_range(memblock.memory.regions, &(start), &(end)); r; \
	     r = __next_mem_pfn_range(r + 1, &(start), &(end)))

/* Frames in [start, end) that no memblock memory range covers. */
static unsigned long absent_pages_in_range(unsigned long start, unsigned long end)
{
	unsigned long present = 0, s, e;
	struct memblock_region *r;

	for_each_mem_pfn_range(r, s, e)
		present += clamp(e, start, end) - clamp(s, start, end);
	return (end - start) - present;
}

static void print_zone_ranges(void)
{
	pr_info("Zone ranges:\n");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		/* Each layout prints the zones its Linux has: no HighMem on x86-64, no DMA32 on
		 * x86-32.  Movable is shown per node below. */
		if (i == ZONE_MOVABLE || (i == ZONE_HIGHMEM && zone_layout != ZONES_X86_32) ||
		    (i == ZONE_DMA32 && zone_layout == ZONES_X86_32))
			continue;
		if (zone_lowest_pfn[i] == zone_highest_pfn[i])
			pr_info("  %-8s empty\n", zone_names[i]);
		else
			pr_info("  %-8s [mem %#018llx-%#018llx]\n", zone_names[i],
				PFN_PHYS(zone_lowest_pfn[i]), PFN_PHYS(zone_highest_pfn[i]) - 1);
	}
	pr_info("Movable zone start for each node\n");
	pr_info("Early memory node ranges\n");
}

static void init_zone(pg_data_t *pgdat, enum zone_type i, unsigned long node_start,
		      unsigned long node_end)
{
	struct zone *z = &pgdat->node_zones[i];
	unsigned long start = clamp(zone_lowest_pfn[i], node_start, node_end);
	unsigned long end = clamp(zone_highest_pfn[i], node_start, node_end);

	z->name = zone_names[i];
	z->zone_pgdat = pgdat;
	z->zone_start_pfn = start;
	z->spanned_pages = end - start;
	z->present_pages = z->spanned_pages - absent_pages_in_range(start, end);
	z->managed_pages = 0;
	spin_lock_init(&z->lock);
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&z->free_area[o].free_list[mt]);
		z->free_area[o].nr_free = 0;
	}
	z->vm_stat[NR_FREE_PAGES] = 0;
	zone_pcp_init(z); /* per-cpu lists, empty until setup_per_cpu_pageset() sizes them */
	pgdat->node_present_pages += z->present_pages;
}

static void __init_single_page(unsigned long pfn, enum zone_type zone, int nid)
{
	struct page *p = pfn_to_page(pfn);

	p->flags = 0;
	set_page_links(p, zone, nid);
	set_page_count(p, 1); /* allocated until memblock_free_all() says otherwise */
	p->_mapcount = -1;
	p->private = 0;
	p->freelist = NULL;
	INIT_LIST_HEAD(&p->lru);
}

/* Whether any whole frame of memblock memory lies in section @sec. */
static bool section_has_ram(unsigned long sec)
{
	unsigned long first = section_nr_to_pfn(sec), end = section_nr_to_pfn(sec + 1), s, e;
	struct memblock_region *r;

	for_each_mem_pfn_range(r, s, e)
		if (s < end && e > first)
			return true;
	return false;
}

/*
 * pfn_valid() is lab 3's, and may be a stub that says no everywhere, or wrong.  A
 * section holding RAM always has a memmap (its RAM frames' struct pages were just
 * initialised), and the buddy allocator reads every struct page of a pageblock it
 * steals from and of a buddy it merges with, hole frames included (move_freepages(),
 * page_is_buddy()).  Left uninitialised, those hold whatever the
 * firmware left in the memory the memmap came from, and a stray PG_buddy there sends
 * __rmqueue_fallback() through garbage list pointers on some firmware layouts but not
 * others.  So such a frame is initialised whatever pfn_valid() says, and the kernel says
 * once that pfn_valid() is wrong.
 */
static bool memmap_backed(unsigned long pfn, unsigned long *ram_sec)
{
	static bool warned;
	unsigned long sec = pfn_to_section_nr(pfn);

	if (sec == *ram_sec || pfn_valid(pfn))
		return true;
	if (!section_has_ram(sec))
		return false;
	if (!warned) {
		pr_warn("memmap_init: pfn_valid(%#lx) is false, but section %lu holds RAM and has "
			"a memmap: initialising its struct pages anyway\n", pfn, sec);
		warned = true;
	}
	*ram_sec = sec;
	return true;
}

/*
 * Frames in a hole that still have a struct page (the hole shares a section with RAM)
 * are initialised as reserved, so nothing ever mistakes them for memory.  Linux prints
 * how many there were per zone; so do we.
 *
 * The i386 layout (zones=x86_32) stands for a FLATMEM kernel, whose memmap is one array
 * with a struct page for every frame up to its end: Linux 6.18's pfn_valid() is then
 * true in every hole, a whole 128 MiB of one included, and all of it is counted.
 * pagelab's memmap stays sparse, so such a section has no struct page to initialise:
 * its frames are counted as FLATMEM counts them, and nothing is written.
 */
static void init_unavailable_range(unsigned long spfn, unsigned long epfn, enum zone_type zone,
				   int nid)
{
	unsigned long count = 0, ram_sec = ~0UL;

	for (unsigned long pfn = spfn; pfn < epfn; pfn++) {
		if (!memmap_backed(pfn, &ram_sec)) {
			unsigned long next = section_nr_to_pfn(pfn_to_section_nr(pfn) + 1);

			if (zone_layout == ZONES_X86_32)
				count += MIN(next, epfn) - pfn;
			pfn = next - 1;
			continue;
		}
		__init_single_page(pfn, zone, nid);
		SetPageReserved(pfn_to_page(pfn));
		count++;
	}
	if (count)
		pr_info("On node %d, zone %s: %lu pages in unavailable ranges\n", nid,
			zone_names[zone], count);
}

/* Initialise the struct pages of one memblock range inside one zone, and the hole before it. */
static void memmap_init_zone_range(struct zone *z, enum zone_type zid, unsigned long start,
				   unsigned long end, unsigned long *hole_pfn)
{
	start = clamp(start, z->zone_start_pfn, zone_end_pfn(z));
	end = clamp(end, z->zone_start_pfn, zone_end_pfn(z));
	if (start >= end)
		return;
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (defer_init(pfn, zone_end_pfn(z)))
			break;
		__init_single_page(pfn, zid, 0);
	}
	if (*hole_pfn < start)
		init_unavailable_range(*hole_pfn, start, zid, 0);
	*hole_pfn = end;
}

static void memmap_init(pg_data_t *pgdat)
{
	unsigned long hole_pfn = 0, start, end = 0, last_end = 0;
	enum zone_type last_zone = ZONE_DMA;
	struct memblock_region *r;

	for_each_mem_pfn_range(r, start, end) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &pgdat->node_zones[i];

			if (!populated_zone(z))
				continue;
			memmap_init_zone_range(z, i, start, end, &hole_pfn);
			last_zone = i;
		}
		last_end = end;
	}
	/*
	 * The memmap goes on past the last RAM frame, and those struct pages belong to the top
	 * zone.  x86-64 is SPARSEMEM: to the end of the 128 MiB section.  An i386 kernel
	 * without NUMA is FLATMEM, whose memmap Linux 6.15 and later (6.18 too) round up to a
	 * MAX_PAGE_ORDER block; before 6.15 there was no such tail.
	 */
	if (zone_layout == ZONES_X86_32)
		end = ALIGN_UP(last_end, MAX_ORDER_NR_PAGES);
	else
		end = section_nr_to_pfn(pfn_to_section_nr(last_end + PAGES_PER_SECTION - 1));
	if (hole_pfn < end)
		init_unavailable_range(hole_pfn, end, last_zone, 0);
}

static void free_area_init_node(pg_data_t *pgdat, unsigned long node_start, unsigned long node_end)
{
	pgdat->node_id = 0;
	pgdat->node_start_pfn = node_start;
	pgdat->node_spanned_pages = node_end - node_start;
	pgdat->node_present_pages = 0;
	pr_info("Initmem setup node 0 [mem %#018llx-%#018llx]\n", PFN_PHYS(node_start),
		PFN_PHYS(node_end) - 1);
	for (int i = 0; i < MAX_NR_ZONES; i++)
		init_zone(pgdat, i, node_start, node_end);
}

void free_area_init(const unsigned long *max_zone_pfn)
{
	unsigned long start_pfn = ~0UL, end_pfn = 0, s, e;
	struct memblock_region *r;

	for_each_mem_pfn_range(r, s, e) {
		start_pfn = MIN(start_pfn, s);
		end_pfn = MAX(end_pfn, e);
	}
	if (!end_pfn)
		panic("free_area_init: memblock has no memory");

	/* Each zone begins where the one below ends; the first begins at the first RAM frame. */
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long lo = i == 0 ? start_pfn : zone_highest_pfn[i - 1];

		if (i == ZONE_MOVABLE) {
			zone_lowest_pfn[i] = zone_highest_pfn[i] = 0;
			continue;
		}
		zone_lowest_pfn[i] = lo;
		zone_highest_pfn[i] = MAX(max_zone_pfn[i], lo);
	}
	print_zone_ranges();
	for_each_mem_pfn_range(r, s, e)
		pr_info("  node %3d: [mem %#018llx-%#018llx]\n", 0, PFN_PHYS(s), PFN_PHYS(e) - 1);
	free_area_init_node(NODE_DATA(0), start_pfn, end_pfn); /* the node is memblock's */
	memmap_init(NODE_DATA(0));
}

/*
 * Linux's zone_sizes_init() (arch/x86/mm/init.c): sets max_low_pfn, the end of lowmem,
 * and hands free_area_init() the frame where each zone of the current layout ends.  No
 * zone but HighMem reaches past the direct map, since the kernel needs an address for
 * every page it keeps for itself; the boot log's "Zone ranges:" show the result (a
 * 512 MiB machine's DMA32 ends where its RAM does, one with only 14 MiB has no DMA32).
 * The zones end at max_pfn, which setup_arch_memory() took from the E820 table (host
 * tests that fill memblock by hand leave it 0: memblock's end stands in).  On x86-64
 * Linux max_low_pfn has become max_pfn by the time this runs.  It lives here,
 * not in arch code, so the host simulator (tools/mmsim) runs exactly the same code.
 */
void zone_sizes_init(void)
{
	unsigned long end_pfn = max_pfn ? max_pfn : PFN_DOWN(memblock_end_of_DRAM());
	unsigned long max_zone_pfns[MAX_NR_ZONES] = { 0 };

	max_low_pfn = MIN(end_pfn, PFN_DOWN(lowmem_limit()));
	max_zone_pfns[ZONE_DMA] = MIN(PFN_DOWN(16 * SZ_1M), max_low_pfn);
	if (zone_layout == ZONES_X86_32) {
		/* 32-bit: no DMA32; Normal is the direct-mapped lowmem; HighMem the rest. */
		max_zone_pfns[ZONE_DMA32] = max_zone_pfns[ZONE_DMA];
		max_zone_pfns[ZONE_NORMAL] = max_low_pfn;
	} else {
		max_zone_pfns[ZONE_DMA32] = MIN(PFN_DOWN(SZ_4G), max_low_pfn);
		max_zone_pfns[ZONE_NORMAL] = max_low_pfn;
	}
	max_zone_pfns[ZONE_HIGHMEM] = end_pfn;
	free_area_init(max_zone_pfns);
}

/*
 * Free [start, end) in the largest naturally aligned blocks that fit.  Frames whose
 * struct page is deferred are left to the late initialisation, as Linux's
 * memblock_free_pages() leaves them; they count as freed all the same (Linux adds them to
 * totalram_pages here, and to the zone's managed pages when it frees them late).
 */
static unsigned long free_pages_memory(unsigned long start, unsigned long end)
{
	unsigned long freed = 0, deferred = 0;

	if (end > first_deferred_pfn) {
		deferred = end - MAX(start, first_deferred_pfn);
		end = MAX(start, first_deferred_pfn);
		totalram_pages += deferred;
	}
	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;

		while (order && ((start & ((1UL << order) - 1)) || start + (1UL << order) > end))
			order--;
		__free_pages_core(pfn_to_page(start), order);
		freed += 1UL << order;
		start += 1UL << order;
	}
	return freed + deferred;
}

/* Free ranges may still straddle zone boundaries: free each zone's part separately. */
static unsigned long free_range_by_zone(unsigned long start, unsigned long end)
{
	unsigned long freed = 0;
	struct zone *z;

	for_each_zone(z) {
		unsigned long s = clamp(start, z->zone_start_pfn, zone_end_pfn(z));
		unsigned long e = clamp(end, z->zone_start_pfn, zone_end_pfn(z));

		if (s < e)
			freed += free_pages_memory(s, e);
	}
	return freed;
}

/* The zone that spans @pfn, or the top one if none does (a hole past the last zone). */
static enum zone_type zone_of_pfn(unsigned long pfn)
{
	enum zone_type zid;

	for (zid = 0; zid < MAX_NR_ZONES - 1; zid++)
		if (zone_spans_pfn(&NODE_DATA(0)->node_zones[zid], pfn))
			break;
	return zid;
}

/*
 * Linux keeps this in mm/memblock.c; it lives here beside the rest of the hand-over.
 * Reserved regions are marked first, so nothing reserved is ever freed by accident; a
 * reserved frame whose struct page was deferred is initialised now (Linux 6.18's
 * reserve_bootmem_region()), so every reserved page is PG_reserved after boot.
 */
unsigned long memblock_free_all(void)
{
	phys_addr_t start, end;
	unsigned long freed = 0;
	u64 i;

	for_each_reserved_mem_range(i, &start, &end)
		for (unsigned long pfn = PFN_DOWN(start); pfn < PFN_UP(end); pfn++) {
			if (!pfn_valid(pfn))
				continue;
			if (!early_page_initialised(pfn))
				__init_single_page(pfn, zone_of_pfn(pfn), 0);
			SetPageReserved(pfn_to_page(pfn));
		}

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, NULL)
		freed += free_range_by_zone(PFN_UP(start), PFN_DOWN(end));
	return freed;
}

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

void mem_init_print_info(void)
{
	unsigned long physpages = NODE_DATA(0)->node_present_pages;
	unsigned long code = __text_end - __text_start, ro = __rodata_end - __rodata_start;
	unsigned long data = __bss_start - __rwdata_start, bss = __bss_end - __bss_start;

	/* pagelab has no __init sections to free after boot, and no CMA.  Linux built with
	 * CONFIG_HIGHMEM adds the HighMem total: so does the 32-bit layout. */
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK init, %luK bss, %luK reserved, %luK cma-reserved",
		K(nr_free_pages()), K(physpages), code >> 10, data >> 10, ro >> 10, 0UL, bss >> 10,
		K(physpages - totalram_pages), 0UL);
	if (zone_layout == ZONES_X86_32)
		pr_cont(", %luK highmem", K(totalhigh_pages()));
	pr_cont(")\n");
}

void mm_core_init(void)
{
	build_all_zonelists(NULL);          /* "Built 1 zonelists, mobility grouping on ..." */
	mem_debugging_and_hardening_init(); /* page_poison=1 */
	memblock_free_all();
	after_bootmem = true;               /* page tables come from the buddy allocator now */
	mem_init_print_info();
	highmem_print_info();               /* zones=x86_32: "NNNMB HIGHMEM available." */
	setup_per_cpu_pageset();            /* per-cpu lists get their batch and high */
	init_per_zone_wmark_min();          /* min_free_kbytes -> watermarks, lowmem_reserve */
}
