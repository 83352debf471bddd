/* SPDX-License-Identifier: MIT */
/*
 * HighMem: RAM the kernel does not keep mapped (the 32-bit layout, zones=x86_32).
 *
 * On 32-bit x86 the kernel has 1 GiB of virtual address space (3G/1G split).  The top of
 * it holds the fixmap, the CPU entry areas, the LDT and the kmap window, and below them
 * the vmalloc reserve (128 MiB), so at most MAXMEM, 885 MiB and a bit in Linux 6.18, of
 * RAM fits in the permanent direct map ("lowmem"); the rest is HighMem and is reached
 * through a temporary mapping:
 *
 *   kmap(page)             a persistent slot in the pkmap window, counted, may be held
 *                          across other work; kunmap(page) gives it back
 *   kmap_local_page(page)  a per-CPU stack slot, for short use; kunmap_local(addr)
 *                          releases it, in reverse order of mapping
 *
 * pagelab runs on x86-64, where HighMem does not exist, and builds the 32-bit layout on
 * request so students can see it: ZONE_HIGHMEM above the lowmem limit, no direct map for
 * those frames, and both kinds of kmap.
 */
#ifndef PAGELAB_MM_HIGHMEM_H
#define PAGELAB_MM_HIGHMEM_H

#include "mm/mm.h"

#define LAST_PKMAP 512   /* persistent slots: one page table, as 32-bit PAE Linux */
#define KM_MAX_IDX 16    /* kmap_local slots per CPU, as Linux */

enum zone_layout {
	ZONES_X86_64, /* DMA, DMA32, Normal: the default */
	ZONES_X86_32, /* DMA, Normal up to the lowmem limit, HighMem above */
};

extern enum zone_layout zone_layout;
extern unsigned long max_low_pfn; /* one past the last frame of the direct map */

/*
 * parse_zones, parse_vmalloc - the handlers of zones= (x86_32, or x86_64: the default)
 * and vmalloc=<size> in kernel/params.c's table.  Return 0, or -EINVAL with the layout
 * unchanged.  The lowmem limit is Linux 6.18's MAXMEM for an i386 PAE build: VMALLOC_END
 * (below the fixmap, CPU entry areas, LDT and kmap window) - PAGE_OFFSET - the vmalloc
 * reserve, 128 MiB or <size> + the 8 MiB guard gap; 0x375fe000 by default.  The boot runs
 * them from parse_early_param(), before memblock allocates anything.
 */
int parse_zones(const char *val);
int parse_vmalloc(const char *val);

/*
 * zone_layout_init - zones= and vmalloc= from @cmdline through the two handlers, without
 * the table: for the host tests, which set a layout without a whole boot.
 */
void zone_layout_init(const char *cmdline);

/* lowmem_limit - bytes of RAM the direct map may cover in the current layout. */
phys_addr_t lowmem_limit(void);

/*
 * vmalloc_total - bytes of the vmalloc area in the current layout (meminfo's
 * VmallocTotal): x86-64's 32 TiB, or what an i386 kernel leaves between the direct map's
 * end and VMALLOC_END.  pagelab has no vmalloc() yet, so nothing in it is used.
 */
u64 vmalloc_total(void);

static inline bool PageHighMem(const struct page *p)
{
	return page_zonenum(p) == ZONE_HIGHMEM;
}

/*
 * kmap - map @page into the pkmap window and return its address (lowmem pages: their
 * direct-map address).  Mapping the same page twice returns the same address and counts
 * twice.  Returns NULL, with a warning, when all LAST_PKMAP slots are in use (Linux
 * would sleep until one is freed; pagelab has no scheduler).
 */
void *kmap(struct page *page);

/* kunmap - drop one kmap() reference; the slot is reused once no one holds it. */
void kunmap(struct page *page);

/* kmap_local_page - map @page in the next per-CPU slot.  NULL when all are in use. */
void *kmap_local_page(struct page *page);

/* kunmap_local - unmap the most recent kmap_local_page() mapping (@addr must be it). */
void kunmap_local(const void *addr);

/*
 * highmem_page_address - where a HighMem page is mapped: its kmap() slot, else its
 * kmap_local_page() slot (not a pkmap slot: PKMAP_NR() >= LAST_PKMAP), else NULL.
 */
void *highmem_page_address(const struct page *page);

/*
 * For `highmem pkmap`, which shows the window as Linux names it: pkmap_slot() gives slot
 * @nr's pkmap_count[] and, unless that is 0, the page it maps; pkmap_last_nr() gives
 * last_pkmap_nr.  Only reads: what the counts mean is kmap()'s business.
 */
int pkmap_slot(unsigned int nr, struct page **page);
unsigned int pkmap_last_nr(void);

/* Totals for meminfo's HighTotal/HighFree and the boot log. */
unsigned long totalhigh_pages(void);
unsigned long nr_free_highpages(void);

/* highmem_print_info - "NNNMB HIGHMEM available." / "NNNMB LOWMEM available." */
void highmem_print_info(void);

/* Arch hooks (kernel/arch/x86_64/init_64.c; tests/host/ on the host). */
#define PKMAP_BASE 0xffffe90000000000ULL /* an unused hole in Linux's x86-64 map */
#define KMAP_LOCAL_BASE (PKMAP_BASE + SZ_2M)
#define PKMAP_ADDR(nr) (PKMAP_BASE + ((u64)(nr) << PAGE_SHIFT))
#define PKMAP_NR(addr) (((u64)(addr) - PKMAP_BASE) >> PAGE_SHIFT)
void arch_kmap_set(u64 vaddr, unsigned long pfn); /* map one page, flush its TLB entry */
void arch_kmap_clear(u64 vaddr);                  /* unmap one page, flush its TLB entry */

#endif
