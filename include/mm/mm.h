/* SPDX-License-Identifier: MIT */
/*
 * The everyday mm interface: page <-> frame number <-> address conversions, and the
 * boot-time entry points that build the physical memory model.
 *
 *   pfn_to_page(pfn)   &vmemmap[pfn]            page_to_pfn(page)   page - vmemmap
 *   page_address(page) __va(pfn << PAGE_SHIFT)  virt_to_page(addr)  pfn_to_page(__pa(addr) >> 12)
 */
#ifndef PAGELAB_MM_MM_H
#define PAGELAB_MM_MM_H

#include "arch/memory.h"
#include "mm/mm_types.h"
#include "mm/mmzone.h"
#include "mm/page-flags.h"

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)

static inline struct page *pfn_to_page(unsigned long pfn) { return vmemmap + pfn; }
static inline unsigned long page_to_pfn(const struct page *p) { return (unsigned long)(p - vmemmap); }
void *highmem_page_address(const struct page *page);

static inline void *lowmem_page_address(const struct page *p) { return __va(PFN_PHYS(page_to_pfn(p))); }
static inline struct page *virt_to_page(const void *addr) { return pfn_to_page(PFN_DOWN(__pa(addr))); }

static inline struct zone *page_zone(const struct page *p)
{
	return &NODE_DATA(page_to_nid(p))->node_zones[page_zonenum(p)];
}

/* page_pgdat - the node @p belongs to, whose counters it counts in. */
static inline pg_data_t *page_pgdat(const struct page *p)
{
	return NODE_DATA(page_to_nid(p));
}

/* A HighMem page has an address only while it is kmapped (mm/highmem.c); else NULL. */
static inline void *page_address(const struct page *p)
{
	if (page_zonenum(p) == ZONE_HIGHMEM)
		return highmem_page_address(p);
	return lowmem_page_address(p);
}

static inline int page_ref_count(const struct page *p) { return p->_refcount; }
static inline void set_page_count(struct page *p, int v) { p->_refcount = v; }
/* put_page_testzero - drop a reference; true if it was the last (atomic: any CPU may drop one). */
static inline bool put_page_testzero(struct page *p)
{
	return __atomic_sub_fetch(&p->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

extern unsigned long max_pfn;        /* one past the highest RAM frame, from the E820 table */
extern unsigned long totalram_pages; /* pages handed to the buddy allocator */
extern bool after_bootmem;           /* memblock is done; the buddy allocator serves */
/* Defer the top zone's struct pages past its first section (mm/mm_init.c); off in the kernel. */
extern bool deferred_struct_pages;

/*
 * vmemmap_populate - back vmemmap[start_pfn .. start_pfn + nr_pages) with memory, not
 * zeroed (arch code: page tables in the kernel, nothing on the host).  0 or -ENOMEM.
 */
int vmemmap_populate(unsigned long start_pfn, unsigned long nr_pages);

/* sparse_init - give every section that holds RAM its piece of vmemmap[] (memblock). */
void sparse_init(void);

/*
 * free_area_init - size the zones from memblock and @max_zone_pfn (the first frame
 * above each zone), print Linux's "Zone ranges:" block, initialise every struct page.
 */
void free_area_init(const unsigned long *max_zone_pfn);

/* zone_sizes_init - the x86 zone limits from memblock's end of RAM, then free_area_init(). */
void zone_sizes_init(void);

/*
 * memblock_free_all - hand every page memblock has not reserved to the buddy allocator,
 * mark the reserved ones PG_reserved.  Returns the pages freed.  memblock's allocation
 * functions must not be used afterwards.
 */
unsigned long memblock_free_all(void);

/* mem_init_print_info - the "Memory: xK/yK available (...)" line. */
void mem_init_print_info(void);

/*
 * mm_core_init - memblock_free_all() and the "Memory:" line, wrapped in the page
 * allocator's set-up (include/mm/page_alloc.h).  memblock is done after.
 */
void mm_core_init(void);

/* The kernel image's sections, from the linker script. */
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __rwdata_start[], __bss_start[], __bss_end[], __kernel_start[], __kernel_end[];

#endif
