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
 *
 * Locking (Linux's):
 *   kmap_lock      pkmap_count[], pkmap_page[], last_pkmap_nr: taken by kmap() and
 *                  kunmap() around their whole work, the sweep included (Linux's
 *                  kmap_high() and kunmap_high()).  A plain spin_lock: no interrupt
 *                  handler kmaps (Linux's x86 takes it the same way).
 *   kmap_local     each CPU's own stack of slots at its own addresses: no lock, and the
 *                  TLB entries to flush are that CPU's only.
 * highmem_page_address() reads without it (kmap() calls it holding the lock; other
 * callers get a report, not a decision); pkmap_slot() takes it.  TLB: arch_kmap_clear() flushes a slot as the sweep unmaps it, and
 * arch_kmap_set() the slot it maps, so a slot is never reused with a stale entry; once
 * the arch's flushes reach every CPU, so does that.  Linux instead unmaps the whole
 * sweep and flushes the window once on all CPUs (flush_tlb_kernel_range()).
 */
#include "kernel/printk.h"
#include "kernel/spinlock.h"
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

static DEFINE_SPINLOCK(kmap_lock);
static int pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];
static unsigned int last_pkmap_nr;

/* Each CPU's kmap_local slots: KM_MAX_IDX pages at kmap_local_base(cpu). */
static struct {
	struct page *stack[KM_MAX_IDX];
	unsigned int idx;
} kmap_local[NR_CPUS];

static u64 kmap_local_base(unsigned int cpu)
{
	return KMAP_LOCAL_BASE + ((u64)cpu * KM_MAX_IDX << PAGE_SHIFT);
}
_Static_assert(NR_CPUS * KM_MAX_IDX * PAGE_SIZE <= SZ_2M, "kmap_local fits its 2 MiB");

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
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		for (unsigned int i = 0; i < kmap_local[cpu].idx; i++)
			if (kmap_local[cpu].stack[i] == page)
				return (void *)(kmap_local_base(cpu) + ((u64)i << PAGE_SHIFT));
	return NULL;
}

int pkmap_slot(unsigned int nr, struct page **page)
{
	int count;

	spin_lock(&kmap_lock); /* the count and the page of one moment */
	*page = nr < LAST_PKMAP && pkmap_count[nr] ? pkmap_page[nr] : NULL;
	count = nr < LAST_PKMAP ? pkmap_count[nr] : 0;
	spin_unlock(&kmap_lock);
	return count;
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
	spin_lock(&kmap_lock);
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
	spin_unlock(&kmap_lock);
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
	spin_lock(&kmap_lock);
	addr = highmem_page_address(page);
	if (!addr || PKMAP_NR(addr) >= LAST_PKMAP || pkmap_count[PKMAP_NR(addr)] < 2)
		addr = NULL;
	else
		pkmap_count[PKMAP_NR(addr)]--; /* at 1 the mapping lingers until reused */
	spin_unlock(&kmap_lock);
	if (!addr)
		pr_err("kunmap: pfn %#lx is not kmapped\n", page_to_pfn(page));
}

/*
 * kmap_local: this CPU's stack, with interrupts off while it changes, so an interrupt
 * handler mapping in between cannot take the same slot.  (Linux keeps the stack per
 * task and remaps it on a context switch; pagelab has no tasks.)
 */
void *kmap_local_page(struct page *page)
{
	unsigned long flags;
	unsigned int cpu;
	u64 addr = 0;

	if (!PageHighMem(page))
		return page_address(page);
	flags = local_irq_save();
	cpu = smp_processor_id();
	if (kmap_local[cpu].idx < KM_MAX_IDX) {
		addr = kmap_local_base(cpu) + ((u64)kmap_local[cpu].idx << PAGE_SHIFT);
		kmap_local[cpu].stack[kmap_local[cpu].idx++] = page;
		arch_kmap_set(addr, page_to_pfn(page));
	}
	local_irq_restore(flags);
	if (!addr)
		pr_warn("kmap_local_page: all %d slots in use\n", KM_MAX_IDX);
	return (void *)addr;
}

void kunmap_local(const void *addr)
{
	unsigned long flags = local_irq_save();
	unsigned int cpu = smp_processor_id();
	u64 base = kmap_local_base(cpu), top = base + ((u64)kmap_local[cpu].idx - 1) * PAGE_SIZE;
	bool wrong = false;

	if ((u64)addr < KMAP_LOCAL_BASE || (u64)addr >= KMAP_LOCAL_BASE + SZ_2M) {
		/* a lowmem page's direct-map address: nothing was mapped */
	} else if (!kmap_local[cpu].idx || ALIGN_DOWN((u64)addr, (u64)PAGE_SIZE) != top) {
		wrong = true;
	} else {
		kmap_local[cpu].stack[--kmap_local[cpu].idx] = NULL;
		arch_kmap_clear(top);
	}
	local_irq_restore(flags);
	if (wrong)
		pr_err("kunmap_local: %p is not the most recent kmap_local mapping\n", addr);
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
