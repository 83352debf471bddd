/* SPDX-License-Identifier: MIT */
/*
 * x86-64 four-level page tables, with Linux's names for the levels and bits.
 *
 *   virtual address:  [ 47..39 | 38..30 | 29..21 | 20..12 | 11..0  ]
 *                        PGD      PUD      PMD      PTE     offset
 *                      (PML4)   (PDPT)    (PD)     (PT)
 *
 * A PUD entry with _PAGE_PSE maps 1 GiB, a PMD entry with _PAGE_PSE 2 MiB.  Bit 7 means
 * PSE only there: in a PTE it is the PAT bit, which a large entry keeps in bit 12 instead
 * (its address starts at bit 21 or 30, so bit 12 is free).
 */
#ifndef PAGELAB_ARCH_PGTABLE_H
#define PAGELAB_ARCH_PGTABLE_H

#include "types.h"

#define _PAGE_PRESENT 0x001ULL
#define _PAGE_RW 0x002ULL
#define _PAGE_USER 0x004ULL
#define _PAGE_PWT 0x008ULL
#define _PAGE_PCD 0x010ULL
#define _PAGE_ACCESSED 0x020ULL
#define _PAGE_DIRTY 0x040ULL
#define _PAGE_PSE 0x080ULL       /* PUD and PMD entries: a large page */
#define _PAGE_PAT 0x080ULL       /* PTEs: the same bit picks a PAT memory type */
#define _PAGE_PAT_LARGE 0x1000ULL /* large PUD and PMD entries: their PAT bit */
#define _PAGE_GLOBAL 0x100ULL
#define _PAGE_NX (1ULL << 63)
#define PTE_PFN_MASK 0x000ffffffffff000ULL

/* Protections for what the kernel maps (Linux's PAGE_KERNEL family). */
#define PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_EXEC (_PAGE_PRESENT | _PAGE_GLOBAL)
#define PAGE_KERNEL_NOCACHE (PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)

#define PGDIR_SHIFT 39
#define PUD_SHIFT 30
#define PMD_SHIFT 21
#define PTRS_PER_TABLE 512

enum pg_level { PG_LEVEL_PGD, PG_LEVEL_PUD, PG_LEVEL_PMD, PG_LEVEL_PTE, PG_LEVEL_NUM };

/* Shift of the address bits each level indexes, and the size one entry maps. */
static inline unsigned int pg_level_shift(int level) { return PGDIR_SHIFT - 9 * level; }
static inline unsigned int pg_index(u64 va, int level) { return (va >> pg_level_shift(level)) & 511; }

/*
 * Four levels translate 48 bits, so the CPU accepts only addresses whose bits 63..48 are
 * copies of bit 47 (canonical ones); any other raises #GP before a table is read.
 */
#define __VIRTUAL_MASK_SHIFT 47

/* __canonical_address - @vaddr with bit @vaddr_bits - 1 copied into every bit above it. */
static inline u64 __canonical_address(u64 vaddr, u8 vaddr_bits)
{
	return (u64)((s64)(vaddr << (64 - vaddr_bits)) >> (64 - vaddr_bits));
}

/* __is_canonical_address - whether @vaddr is canonical for @vaddr_bits-bit addresses. */
static inline bool __is_canonical_address(u64 vaddr, u8 vaddr_bits)
{
	return __canonical_address(vaddr, vaddr_bits) == vaddr;
}

/*
 * init_mem_mapping - build the kernel's own page tables from memblock and switch to
 * them: the kernel image with per-section permissions, the direct map of every RAM
 * range (largest pages alignment allows), the first MiB, and ioremap()ed windows.
 * The loader's tables are freed.  Needs memblock; runs before any struct page exists.
 */
void init_mem_mapping(void);

/*
 * ioremap - make device memory at [@phys, @phys + @size) reachable, uncached, and
 * return its address.  pagelab maps it at __va(phys), where the loader's map had it, so
 * drivers set up before init_mem_mapping() keep working (Linux uses the vmalloc area).
 * Returns NULL if the window cannot be mapped.
 */
void *ioremap(phys_addr_t phys, u64 size);

/*
 * ioremap_fixmap - ioremap() whose page tables come from a few pages in the kernel image
 * rather than the page allocator, as Linux's fixmap tables do (used for the local APIC,
 * so that mapping it changes no memory count).  Falls back to ioremap()'s own tables once
 * those pages are used up, or when the kernel image is outside the direct map.
 */
void *ioremap_fixmap(phys_addr_t phys, u64 size);

/* One step of a page-table walk, for `vtop`. */
struct pt_walk_step {
	int level;
	unsigned int index;
	u64 entry;
};

/*
 * pt_walk - translate @va through the live page tables, recording each level visited in
 * @steps (at most PG_LEVEL_NUM).  Returns the levels visited; *@phys is the physical
 * address, or ~0 if @va is not mapped; *@access is what the MMU lets an access to @va
 * do, in _PAGE_RW, _PAGE_USER and _PAGE_NX (0 if @va is not mapped).
 */
int pt_walk(u64 va, struct pt_walk_step *steps, phys_addr_t *phys, u64 *access);

/*
 * set_memory_ro, set_memory_rw - take the write right away from the @numpages pages of
 * the direct map from @addr, or give it back, as Linux's do: a large page the range
 * covers only in part is split first, keeping its memory type, so no page outside the
 * range changes; one it covers whole is changed as it is; no stale TLB entry survives.
 * Returns 0; -EINVAL for an address not page-aligned, a count below 1, or a page that is
 * not mapped (the pages before it stay changed, as in Linux, which warns about the
 * first two and skips holes instead); or -EOPNOTSUPP (pagelab has none yet: lab 4's
 * challenge).
 */
int set_memory_ro(unsigned long addr, int numpages);
int set_memory_rw(unsigned long addr, int numpages);

struct seq_file;
/* ptdump_show - the kernel's mappings as ranges, like Linux's debugfs page_tables/kernel. */
void ptdump_show(struct seq_file *m);

/*
 * vtop_show - walk @va through the live tables, print each level and the result.  A
 * non-canonical @va is reported as such, with no walk: the CPU would fault on it.
 */
void vtop_show(struct seq_file *m, u64 va);

/* Direct-map pages by size, for meminfo's DirectMap4k/2M/1G. */
extern unsigned long direct_pages_count[PG_LEVEL_NUM];

/* Whether the direct map may use 1 GiB pages (CPUID pdpe1gb), Linux's direct_gbpages. */
bool direct_gbpages_enabled(void);

/* arch_report_meminfo - meminfo's last lines, DirectMap4k/2M (and 1G), as Linux's. */
void arch_report_meminfo(struct seq_file *m);

#endif
