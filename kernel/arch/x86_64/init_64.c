// SPDX-License-Identifier: MIT
/*
 * The kernel's own page tables (Linux's arch/x86/mm/init_64.c).
 *
 * The loader entered the kernel with throw-away tables: identity plus direct map of the
 * first 4 GiB or more, everything writable and executable.  Once memblock knows the
 * RAM, init_mem_mapping() builds the real ones from memblock memory:
 *
 *   0xffff888000000000  direct map     every RAM range (and the first MiB), RW, NX,
 *   (PAGE_OFFSET)                      1 GiB / 2 MiB pages where aligned, 4 KiB at edges
 *   0xffffea0000000000  vmemmap        struct pages of present sections (mm/sparse.c)
 *   0xffffffff80000000  kernel image   text RX, rodata R+NX, data and bss RW+NX
 *
 * and nothing at low addresses: from here on a NULL pointer dereference faults.
 * Page-table pages come from memblock until memblock_free_all(), then from the page
 * allocator (after_bootmem, Linux's name for that moment).
 */
#include "arch/cpu.h"
#include "arch/memory.h"
#include "arch/pgtable.h"
#include "arch/tlbflush.h"
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

#define MSR_EFER 0xc0000080
#define EFER_NXE (1ULL << 11)
#define ISA_END_ADDRESS 0x100000ULL
#define MAX_EARLY_IOREMAP 8

unsigned long direct_pages_count[PG_LEVEL_NUM];
bool after_bootmem;

static u64 *kernel_pgd;
static u64 supported_pte_mask = ~0ULL; /* _PAGE_NX removed if the CPU lacks it */
static bool gbpages;
static struct { phys_addr_t start, end; } early_ioremaps[MAX_EARLY_IOREMAP];
static int nr_early_ioremaps;

static void probe_cpu_features(void)
{
	u32 d = cpuid_edx(0x80000001); /* the loaders checked that this leaf exists */

	if (!(d & (1u << 20))) /* no NX: pages cannot be marked non-executable */
		supported_pte_mask &= ~_PAGE_NX;
	gbpages = d & (1u << 26);
}

bool direct_gbpages_enabled(void)
{
	return gbpages;
}

/*
 * Page-table pages for ioremap_fixmap() (the local APIC's registers), from the kernel
 * image, as Linux's fixmap tables are: such a window costs no RAM, so meminfo, buddyinfo
 * and every allocation after it read the same with the APIC mapped as without (the labs
 * quote them).  Not counted in PageTables, as Linux does not count its static tables.
 */
#define NR_STATIC_IOREMAP_TABLES 4
static u64 static_ioremap_tables[NR_STATIC_IOREMAP_TABLES][PTRS_PER_TABLE] __attribute__((aligned(4096)));
static int nr_static_ioremap_tables;
static bool ioremap_from_static_tables;

/* A zeroed page for a page table: memblock during boot, the buddy allocator after. */
static u64 *alloc_table(void)
{
	u64 *t;

	if (ioremap_from_static_tables && nr_static_ioremap_tables < NR_STATIC_IOREMAP_TABLES)
		return static_ioremap_tables[nr_static_ioremap_tables++];
	t = after_bootmem ? (u64 *)get_zeroed_page(GFP_KERNEL) : memblock_alloc(PAGE_SIZE, PAGE_SIZE);

	if (!t)
		panic("alloc_table: out of memory for page tables");
	/* meminfo's PageTables: every page of the kernel's own tables (no process has any) */
	mod_node_page_state(NODE_DATA(0), NR_PAGETABLE, 1);
	return t;
}

static u64 *table_of(u64 entry)
{
	return __va(entry & PTE_PFN_MASK);
}

/* The table one level below @entry, created if missing.  NULL if a large page is there. */
static u64 *next_table(u64 *entry)
{
	if (!(*entry & _PAGE_PRESENT))
		*entry = __pa(alloc_table()) | _PAGE_PRESENT | _PAGE_RW;
	else if (*entry & _PAGE_PSE)
		return NULL;
	return table_of(*entry);
}

/* Can [va, va + size) use a page of @level for @pa? */
static bool fits(u64 va, phys_addr_t pa, u64 size, int level)
{
	u64 page = 1ULL << pg_level_shift(level);

	if (level == PG_LEVEL_PUD && !gbpages)
		return false;
	return !((va | pa) & (page - 1)) && size >= page;
}

/* How map_range() maps, named at each call site rather than passed as bare booleans. */
#define MAP_LARGE_PAGES 0x1  /* 1 GiB / 2 MiB pages wherever fits(); else 4 KiB pages only */
#define MAP_COUNT_DIRECT 0x2 /* count each page in direct_pages_count[] (DirectMap lines) */

/*
 * Map [va, va + size) to [pa, ...) with @prot, in the largest pages that fit if @flags
 * has MAP_LARGE_PAGES, in 4 KiB pages otherwise.  An entry already there for the same
 * address is replaced.  Returns 0, or -1 if a large page already covers part of the
 * range (no walk goes down through one).
 */
static int map_range(u64 *pgd, u64 va, phys_addr_t pa, u64 size, u64 prot, unsigned int flags)
{
	prot &= supported_pte_mask;
	while (size) {
		u64 *table = pgd;
		int level;

		for (level = PG_LEVEL_PGD; level < PG_LEVEL_PTE; level++) {
			u64 *e = &table[pg_index(va, level)];

			if ((flags & MAP_LARGE_PAGES) && level > PG_LEVEL_PGD &&
			    fits(va, pa, size, level)) {
				*e = pa | prot | _PAGE_PSE;
				break;
			}
			table = next_table(e);
			if (!table)
				return -1;
		}
		if (level == PG_LEVEL_PTE)
			table[pg_index(va, level)] = pa | prot;
		if (flags & MAP_COUNT_DIRECT)
			direct_pages_count[level]++;
		va += 1ULL << pg_level_shift(level);
		pa += 1ULL << pg_level_shift(level);
		size -= 1ULL << pg_level_shift(level);
	}
	return 0;
}

static void map_kernel_image(u64 *pgd)
{
	static const struct {
		char *start, *end;
		u64 prot;
	} parts[] = {
		{ __kernel_start, __rodata_start, PAGE_KERNEL_EXEC }, /* text */
		{ __rodata_start, __rwdata_start, PAGE_KERNEL_RO },
		{ __rwdata_start, __kernel_end, PAGE_KERNEL },           /* data and bss */
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(parts); i++)
		map_range(pgd, (u64)parts[i].start, __pa(parts[i].start),
			  parts[i].end - parts[i].start, parts[i].prot, 0);
}

static void map_direct(u64 *pgd, phys_addr_t start, phys_addr_t end, u64 prot)
{
	start = ALIGN_DOWN(start, (phys_addr_t)PAGE_SIZE);
	end = ALIGN_UP(end, (phys_addr_t)PAGE_SIZE);
	if (start < end)
		map_range(pgd, (u64)__va(start), start, end - start, prot,
			  MAP_LARGE_PAGES | MAP_COUNT_DIRECT);
}

/* Give the loader's page tables back: nothing points at them any more. */
static void free_loader_page_tables(void)
{
	for (u32 i = 0; i < boot_info->nr_loader_ranges; i++) {
		const struct boot_range *r = &boot_info->loader_ranges[i];

		if (r->kind == BOOT_RANGE_PAGE_TABLES)
			memblock_phys_free(r->start, r->size);
	}
}

/*
 * What the loader left for the kernel (boot_info, the command line, the firmware's map)
 * may lie anywhere in RAM - also above the lowmem limit of the 32-bit layout, where the
 * direct map stops, or in RAM that mem= or memmap= took out of memblock (OVMF puts it
 * near the top of RAM).  Those ranges stay mapped, as Linux keeps boot_params reachable.
 */
static void map_loader_data(u64 *pgd)
{
	for (u32 i = 0; i < boot_info->nr_loader_ranges; i++) {
		const struct boot_range *r = &boot_info->loader_ranges[i];

		if (r->kind != BOOT_RANGE_PAGE_TABLES &&
		    (r->start + r->size > lowmem_limit() ||
		     !memblock_is_region_memory(r->start, r->size)))
			map_direct(pgd, r->start, r->start + r->size, PAGE_KERNEL);
	}
}

void init_mem_mapping(void)
{
	struct memblock_region *r;

	probe_cpu_features();
	/* In the 32-bit layout only lowmem is direct-mapped, so memblock must stay below it. */
	memblock_set_current_limit(MIN(memblock_get_current_limit(), lowmem_limit()));
	kernel_pgd = alloc_table();
	map_kernel_image(kernel_pgd);
	/* The first MiB, as Linux: BIOS data, the EBDA, VGA text memory (0xb8000). */
	map_direct(kernel_pgd, 0, ISA_END_ADDRESS, PAGE_KERNEL);
	/*
	 * The rest of RAM from 1 MiB up, as Linux's init_range_memory_mapping() clamps it:
	 * mapping the first MiB's RAM again would count it twice in DirectMap4k.
	 */
	for_each_mem_region(r)
		map_direct(kernel_pgd, MAX(r->base, ISA_END_ADDRESS),
			   MIN(r->base + r->size, lowmem_limit()), PAGE_KERNEL);
	map_loader_data(kernel_pgd);
	for (int i = 0; i < nr_early_ioremaps; i++)
		map_direct(kernel_pgd, early_ioremaps[i].start, early_ioremaps[i].end,
			   PAGE_KERNEL_NOCACHE);

	if (supported_pte_mask & _PAGE_NX)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE); /* before any NX bit is live */
	write_cr0(read_cr0() | X86_CR0_WP);
	write_cr4(read_cr4() | X86_CR4_PGE);
	write_cr3(__pa(kernel_pgd));
	free_loader_page_tables();

	pr_info("x86/mm: kernel page tables live: DirectMap4k %lu kB, DirectMap2M %lu kB, "
		"DirectMap1G %lu kB%s\n", direct_pages_count[PG_LEVEL_PTE] * 4,
		direct_pages_count[PG_LEVEL_PMD] * 2048, direct_pages_count[PG_LEVEL_PUD] << 20,
		(supported_pte_mask & _PAGE_NX) ? "" : " (no NX: data is executable)");
}

/*
 * kmap's slots: one 4 KiB mapping each, page tables created on first use.  The flush is
 * kernel-wide: another CPU may still hold the slot's old translation.
 */
void arch_kmap_set(u64 vaddr, unsigned long pfn)
{
	map_range(kernel_pgd, vaddr, PFN_PHYS(pfn), PAGE_SIZE, PAGE_KERNEL, 0);
	flush_tlb_kernel_range(vaddr, vaddr + PAGE_SIZE);
}

void arch_kmap_clear(u64 vaddr)
{
	u64 *table = kernel_pgd;

	for (int level = PG_LEVEL_PGD; level < PG_LEVEL_PTE; level++) {
		u64 e = table[pg_index(vaddr, level)];

		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return;
		table = table_of(e);
	}
	table[pg_index(vaddr, PG_LEVEL_PTE)] = 0;
	flush_tlb_kernel_range(vaddr, vaddr + PAGE_SIZE);
}

void *ioremap(phys_addr_t phys, u64 size)
{
	phys_addr_t start = ALIGN_DOWN(phys, (phys_addr_t)PAGE_SIZE);
	phys_addr_t end = ALIGN_UP(phys + size, (phys_addr_t)PAGE_SIZE);
	int err;

	if (!size || end < start)
		return NULL;
	if (!kernel_pgd) {
		/* The loader's tables still map the first direct_map_end bytes. */
		if (end > boot_info->direct_map_end || nr_early_ioremaps == MAX_EARLY_IOREMAP)
			return NULL;
		early_ioremaps[nr_early_ioremaps].start = start;
		early_ioremaps[nr_early_ioremaps++].end = end;
		return __va(phys);
	}
	err = map_range(kernel_pgd, (u64)__va(start), start, end - start, PAGE_KERNEL_NOCACHE, 0);
	if (err)
		return NULL; /* inside a large RAM mapping: RAM is not device memory */
	flush_tlb_all();
	return __va(phys);
}

/*
 * Whether the direct map reaches the kernel image's static tables: init_mem_mapping()
 * maps memblock's RAM below lowmem_limit(), so that is what they must lie in.  Not with
 * mem= below the kernel, nor with zones=x86_32 and the kernel in HighMem.  Decided from
 * memblock rather than by walking the tables: pt_walk() is lab 4's, and a student's
 * walk must not be able to stop the boot.
 */
static bool static_tables_in_direct_map(void)
{
	phys_addr_t pa = __pa(static_ioremap_tables);

	for (int i = 0; i < NR_STATIC_IOREMAP_TABLES; i++, pa += PAGE_SIZE)
		if (pa + PAGE_SIZE > lowmem_limit() || !memblock_is_memory(pa) ||
		    !memblock_is_memory(pa + PAGE_SIZE - 1))
			return false;
	return true;
}

void *ioremap_fixmap(phys_addr_t phys, u64 size)
{
	void *p;

	ioremap_from_static_tables = static_tables_in_direct_map();
	p = ioremap(phys, size);
	ioremap_from_static_tables = false;
	return p;
}

/*
 * Back vmemmap[] for [start_pfn, start_pfn + nr_pages).  One memblock allocation per
 * call (a section's worth, 1.5 MiB with 48-byte pages), mapped with 4 KiB pages: a
 * section's memmap is 384 pages, so 2 MiB pages would waste a quarter of one.
 */
int vmemmap_populate(unsigned long start_pfn, unsigned long nr_pages)
{
	u64 start = ALIGN_DOWN((u64)pfn_to_page(start_pfn), (u64)PAGE_SIZE);
	u64 end = ALIGN_UP((u64)pfn_to_page(start_pfn + nr_pages), (u64)PAGE_SIZE);
	phys_addr_t pa = memblock_phys_alloc(end - start, PAGE_SIZE);

	/* Not zeroed: memmap_init() initialises every struct page of a present section. */
	if (!pa)
		return -1;
	memmap_boot_pages_add((end - start) >> PAGE_SHIFT); /* vmstat's nr_memmap_boot_pages */
	return map_range(kernel_pgd, start, pa, end - start, PAGE_KERNEL, 0);
}

int pt_walk(u64 va, struct pt_walk_step *steps, phys_addr_t *phys, u64 *access)
{
	u64 *table = __va(read_cr3() & PTE_PFN_MASK);
	u64 allowed = _PAGE_RW | _PAGE_USER, nx = 0;

	*phys = ~0ULL;
	*access = 0;
	for (int level = PG_LEVEL_PGD; level < PG_LEVEL_NUM; level++) {
		unsigned int idx = pg_index(va, level);
		u64 e = table[idx];

		steps[level] = (struct pt_walk_step){ level, idx, e };
		if (!(e & _PAGE_PRESENT))
			return level + 1;
		allowed &= e;
		nx |= e & _PAGE_NX;
		if (level == PG_LEVEL_PTE || (level > PG_LEVEL_PGD && (e & _PAGE_PSE))) {
			u64 mask = (1ULL << pg_level_shift(level)) - 1;

			*phys = ((e & PTE_PFN_MASK) & ~mask) | (va & mask);
			*access = allowed | nx;
			return level + 1;
		}
		table = table_of(e);
	}
	return PG_LEVEL_NUM;
}

/*
 * Lab 4's challenge (docs/labs/04-paging-and-the-direct-map.md): pagelab maps the direct
 * map with the attributes each range needs from the start, and changes none later, so it
 * has no set_memory_*() yet.  Until the challenge is done they refuse.
 */
int set_memory_ro(unsigned long addr, int numpages)
{
	(void)addr, (void)numpages;
	return -EOPNOTSUPP;
}

int set_memory_rw(unsigned long addr, int numpages)
{
	(void)addr, (void)numpages;
	return -EOPNOTSUPP;
}
