// SPDX-License-Identifier: MIT
/*
 * kmap: temporary kernel mappings for HighMem pages (the 32-bit layout, zones=x86_32).
 *
 * The persistent window has LAST_PKMAP slots, each one page at PKMAP_ADDR(slot):
 *
 *   PKMAP_BASE                                     + 2 MiB: kmap_local slots
 *   [ slot 0 | slot 1 | ... | slot 511 ]           [ 0 | 1 | ... | 15 ]
 *
 * What the window promises, as Linux's: a page has at most one slot, however many hold
 * it; when its last holder lets go it stays mapped (it lingers), so that kmapping it
 * again costs nothing; a slot goes to another page only once nobody holds it and its
 * old entry is cleared, and clearing waits until no slot is free, to flush as seldom as
 * possible.  pkmap_count[] is the per-slot state that keeps these promises; a slot at 0
 * maps nothing, any other count means it maps pkmap_page[slot] (highmem_page_address()
 * relies on that).  kmap_local_page() uses a small per-CPU stack of slots instead: no
 * counts, no sharing, released in reverse order.
 * No interrupt handler maps pages, so the tables need no locking; one that did would
 * need local_irq_save() around the updates, as Linux's kmap_lock does.
 */
#include "kernel/printk.h"
#include "lib/cmdline.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"

enum zone_layout zone_layout = ZONES_X86_64;
unsigned long max_low_pfn;

/*
 * The top of a 32-bit kernel's gigabyte, as Linux 6.18 lays it out for an i386 build with
 * PAE and HighMem (arch/x86/include/asm/pgtable_32_areas.h, fixmap.h), top down:
 *
 *   0xfffff000  FIXADDR_TOP; the last page stays unmapped
 *   0xffbfe000  the fixmap, X86_32_FIXMAP_PAGES pages         (FIXADDR_TOT_START)
 *   0xffa00000  the CPU entry areas and the read-only IDT page (CPU_ENTRY_AREA_BASE)
 *   0xff800000  the LDT remap, one PMD                         (LDT_BASE_ADDR)
 *   0xff600000  the pkmap window, LAST_PKMAP pages in one PMD  (PKMAP_BASE)
 *   0xff5fe000  VMALLOC_END, two guard pages below the window
 *        ...    vmalloc, then VMALLOC_OFFSET's 8 MiB gap, then lowmem's end (MAXMEM)
 *   0xc0000000  PAGE_OFFSET: the direct map of RAM from 0
 *
 * Each area starts on a PMD (2 MiB with PAE) boundary below the one above it, one page
 * apart at least, so the sizes below only matter as far as the rounding goes.  Assumed,
 * for a typical config: NR_CPUS 8 (the 32-bit SMP default) and Intel CPU support, so a CPU
 * entry area is 43 pages (GDT, entry stack, double-fault stack, two guard pages, a 5-page
 * TSS with its I/O bitmaps, the debug store and its 32 pages of PEBS/BTS buffers); a
 * fixmap of 1025 pages (fewer than 512 permanent slots - the APICs, 16 kmap_local slots
 * per CPU, PCI MMCONFIG - padded to 512, then early_ioremap's 512 and the WP test page).
 * NR_CPUS from 1 to 11 and any fixmap below 2 MiB give the same limit, 0x375fe000, which
 * 6.x i386 logs show as "885MB LOWMEM available." (Linux before 4.19 had no LDT remap, and
 * before 4.15 no CPU entry areas: their logs say 887-891 MiB.)
 */
#define X86_32_PAGE_OFFSET 0xc0000000ULL
#define X86_32_PMD_MASK (~(u64)(SZ_2M - 1))
#define X86_32_FIXADDR_TOP 0xfffff000ULL
#define X86_32_FIXMAP_PAGES 1025
#define X86_32_NR_CPUS 8
#define X86_32_CEA_PAGES (X86_32_NR_CPUS * 43 + 1) /* + the read-only IDT page */
#define X86_32_FIXADDR_START (X86_32_FIXADDR_TOP - X86_32_FIXMAP_PAGES * PAGE_SIZE)
#define X86_32_CEA_BASE ((X86_32_FIXADDR_START - X86_32_CEA_PAGES * PAGE_SIZE) & X86_32_PMD_MASK)
#define X86_32_LDT_BASE ((X86_32_CEA_BASE - PAGE_SIZE) & X86_32_PMD_MASK)
#define X86_32_PKMAP_BASE ((X86_32_LDT_BASE - PAGE_SIZE) & X86_32_PMD_MASK)
#define X86_32_VMALLOC_END (X86_32_PKMAP_BASE - 2 * PAGE_SIZE)
_Static_assert(X86_32_VMALLOC_END == 0xff5fe000ULL, "the layout drawn above");

/* The vmalloc area's guard gap; Linux's default __VMALLOC_RESERVE counts it in. */
#define VMALLOC_OFFSET (8 * SZ_1M)
#define DEFAULT_VMALLOC_RESERVE (128 * SZ_1M)
/* Keep at least 64 MiB of lowmem, as there must be room for the kernel itself. */
#define MAX_VMALLOC_RESERVE (X86_32_VMALLOC_END - X86_32_PAGE_OFFSET - 64 * SZ_1M)
static u64 vmalloc_reserve = DEFAULT_VMALLOC_RESERVE;

static int pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];
static unsigned int last_pkmap_nr;

static struct page *kmap_local_stack[KM_MAX_IDX];
static unsigned int kmap_local_idx;

int parse_zones(const char *val)
{
	if (val && !strcmp(val, "x86_32"))
		zone_layout = ZONES_X86_32;
	else if (val && !strcmp(val, "x86_64"))
		zone_layout = ZONES_X86_64;
	else
		return -EINVAL;
	return 0;
}

int parse_vmalloc(const char *val)
{
	char *end;
	u64 v;

	if (!val || !*val)
		return -EINVAL;
	/* The size asked for is the area's; the gap comes on top, as in Linux. */
	v = memparse(val, &end) + VMALLOC_OFFSET;
	/* MAX_VMALLOC_RESERVE keeps 64 MiB of lowmem: room for the kernel itself. */
	if (*end || v < SZ_1M + VMALLOC_OFFSET || v > MAX_VMALLOC_RESERVE) {
		pr_warn("vmalloc=%s ignored: must be between 1M and %lluM\n", val,
			(MAX_VMALLOC_RESERVE - VMALLOC_OFFSET) >> 20);
		return -EINVAL;
	}
	vmalloc_reserve = v;
	return 0;
}

void zone_layout_init(const char *cmdline)
{
	char buf[32];

	if (cmdline_find_option(cmdline, "zones", buf, sizeof(buf)) >= 0)
		parse_zones(buf);
	if (cmdline_find_option(cmdline, "vmalloc", buf, sizeof(buf)) > 0)
		parse_vmalloc(buf);
}

phys_addr_t lowmem_limit(void)
{
	return zone_layout == ZONES_X86_32 ?
		X86_32_VMALLOC_END - X86_32_PAGE_OFFSET - vmalloc_reserve : ~0ULL;
}

/*
 * x86-64's vmalloc area with 4-level paging: 32 TiB from 0xffffc90000000000 (Linux's
 * VMALLOC_SIZE_TB), ptdump's "vmalloc() Area".  Its VMALLOC_END is the last byte, so the
 * total is one byte short of 32 TiB, as Linux 6.18's meminfo shows (34359738367 kB).
 */
#define X86_64_VMALLOC_START 0xffffc90000000000ULL
#define X86_64_VMALLOC_END (X86_64_VMALLOC_START + (32ULL << 40) - 1)

u64 vmalloc_total(void)
{
	u64 high_memory;

	if (zone_layout != ZONES_X86_32)
		return X86_64_VMALLOC_END - X86_64_VMALLOC_START;
	/* i386: from the end of the direct map plus the 8 MiB guard gap up to VMALLOC_END */
	high_memory = X86_32_PAGE_OFFSET + ((u64)max_low_pfn << PAGE_SHIFT);
	return X86_32_VMALLOC_END - (high_memory + VMALLOC_OFFSET);
}

void *highmem_page_address(const struct page *page)
{
	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		if (pkmap_count[i] && pkmap_page[i] == page)
			return (void *)PKMAP_ADDR(i);
	for (unsigned int i = 0; i < kmap_local_idx; i++)
		if (kmap_local_stack[i] == page)
			return (void *)(KMAP_LOCAL_BASE + ((u64)i << PAGE_SHIFT));
	return NULL;
}

int pkmap_slot(unsigned int nr, struct page **page)
{
	*page = nr < LAST_PKMAP && pkmap_count[nr] ? pkmap_page[nr] : NULL;
	return nr < LAST_PKMAP ? pkmap_count[nr] : 0;
}

unsigned int pkmap_last_nr(void)
{
	return last_pkmap_nr;
}

/* Unmap every slot that is mapped but held by nobody. */
static void flush_all_zero_pkmaps(void)
{
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		pkmap_page[i] = NULL;
		arch_kmap_clear(PKMAP_ADDR(i));
	}
}

static int find_free_slot(void)
{
	for (int sweep = 0; sweep < 2; sweep++) {
		for (unsigned int n = 0; n < LAST_PKMAP; n++) {
			unsigned int i = (last_pkmap_nr + n) % LAST_PKMAP;

			if (!pkmap_count[i]) {
				last_pkmap_nr = (i + 1) % LAST_PKMAP;
				return i;
			}
		}
		flush_all_zero_pkmaps();
	}
	return -1;
}

void *kmap(struct page *page)
{
	void *addr;
	int slot;

	if (!PageHighMem(page))
		return page_address(page);
	addr = highmem_page_address(page);
	if (addr && PKMAP_NR(addr) < LAST_PKMAP) {
		pkmap_count[PKMAP_NR(addr)]++;
	} else if ((slot = find_free_slot()) >= 0) {
		pkmap_page[slot] = page;
		pkmap_count[slot] = 2; /* mapped (1) and held by this caller (1) */
		arch_kmap_set(PKMAP_ADDR(slot), page_to_pfn(page));
		addr = (void *)PKMAP_ADDR(slot);
	} else {
		addr = NULL;
	}
	if (!addr)
		pr_warn("kmap: all %d pkmap slots are held; cannot map pfn %#lx\n", LAST_PKMAP,
			page_to_pfn(page));
	return addr;
}

void kunmap(struct page *page)
{
	void *addr;

	if (!PageHighMem(page))
		return;
	addr = highmem_page_address(page);
	if (!addr || PKMAP_NR(addr) >= LAST_PKMAP || pkmap_count[PKMAP_NR(addr)] < 2)
		pr_err("kunmap: pfn %#lx is not kmapped\n", page_to_pfn(page));
	else
		pkmap_count[PKMAP_NR(addr)]--; /* at 1 the mapping lingers until reused */
}

void *kmap_local_page(struct page *page)
{
	u64 addr;

	if (!PageHighMem(page))
		return page_address(page);
	if (kmap_local_idx == KM_MAX_IDX) {
		pr_warn("kmap_local_page: all %d slots in use\n", KM_MAX_IDX);
		return NULL;
	}
	addr = KMAP_LOCAL_BASE + ((u64)kmap_local_idx << PAGE_SHIFT);
	kmap_local_stack[kmap_local_idx++] = page;
	arch_kmap_set(addr, page_to_pfn(page));
	return (void *)addr;
}

void kunmap_local(const void *addr)
{
	u64 top;

	if ((u64)addr < KMAP_LOCAL_BASE || (u64)addr >= KMAP_LOCAL_BASE + KM_MAX_IDX * PAGE_SIZE)
		return; /* a lowmem page's direct-map address: nothing was mapped */
	top = KMAP_LOCAL_BASE + ((u64)(kmap_local_idx - 1) << PAGE_SHIFT);
	if (!kmap_local_idx || ALIGN_DOWN((u64)addr, (u64)PAGE_SIZE) != top) {
		pr_err("kunmap_local: %p is not the most recent kmap_local mapping\n", addr);
	} else {
		kmap_local_stack[--kmap_local_idx] = NULL;
		arch_kmap_clear(top);
	}
}

unsigned long totalhigh_pages(void)
{
	return NODE_DATA(0)->node_zones[ZONE_HIGHMEM].managed_pages;
}

unsigned long nr_free_highpages(void)
{
	const struct zone *z = &NODE_DATA(0)->node_zones[ZONE_HIGHMEM];
	unsigned long n = 0;

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		n += z->free_area[o].nr_free << o;
	return n;
}

void highmem_print_info(void)
{
	const struct zone *hz = &NODE_DATA(0)->node_zones[ZONE_HIGHMEM];

	if (zone_layout != ZONES_X86_32)
		return;
	/* Linux 32-bit prints both from the pfn ranges, in whole MiB, at KERN_NOTICE. */
	pr_notice("%luMB HIGHMEM available.\n", hz->spanned_pages >> (20 - PAGE_SHIFT));
	pr_notice("%luMB LOWMEM available.\n", max_low_pfn >> (20 - PAGE_SHIFT));
}
