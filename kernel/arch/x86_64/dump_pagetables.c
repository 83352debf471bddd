// SPDX-License-Identifier: MIT
/*
 * Looking at the live page tables: `ptdump` (the kernel's mappings as ranges, laid out
 * like Linux's /sys/kernel/debug/page_tables/kernel) and `vtop` (one address, walked
 * level by level the way the MMU does).
 *
 * ptdump visits every entry, merging neighbours that have the same protection at the
 * same level into one line, and prints a heading when the walk enters one of the areas
 * of the kernel's address space.  As in Linux, what is not mapped gets a line too, with
 * no flags: the level names where the walk found the hole.
 */
#include "arch/cpu.h"
#include "arch/memory.h"
#include "arch/pgtable.h"
#include "lib/seq_file.h"

static const char *const level_name[PG_LEVEL_NUM] = { "pgd", "pud", "pmd", "pte" };

static const struct {
	u64 start;
	const char *name;
} markers[] = {
	{ 0, "User Space" },
	{ 0xffff800000000000ULL, "Kernel Space" },
	{ PAGE_OFFSET_BASE, "Low Kernel Mapping" },
	{ 0xffffc90000000000ULL, "vmalloc() Area" },
	{ 0xffffe90000000000ULL, "Persistent kmap() Area" }, /* pagelab's: see mm/highmem.h */
	{ VMEMMAP_START, "Vmemmap" },
	{ KERNEL_VIRT_BASE, "High Kernel Mapping" },
};

#define PROT_BITS (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT | _PAGE_PCD | _PAGE_PSE | \
		   _PAGE_GLOBAL | _PAGE_NX)

struct ptdump_state {
	struct seq_file *m;
	u64 start;     /* of the range being accumulated */
	u64 prot;      /* its protection bits, 0 if not mapped */
	int level;     /* its level, -1 before the first entry */
	unsigned int marker;
};

/* Linux's columns: USR RW PWT PCD PSE PAT GLB NX, blank where a bit is clear. */
static void print_prot(struct seq_file *m, u64 prot, int level)
{
	bool large = level == PG_LEVEL_PUD || level == PG_LEVEL_PMD;

	if (!(prot & _PAGE_PRESENT)) {
		seq_printf(m, "%30s%s\n", "", level_name[level]);
		return;
	}
	/* Bit 7 is PSE in a PUD or PMD entry, but PAT in a PTE; a large entry's PAT is bit 12. */
	seq_printf(m, "%s%s%s%s%s%s%s%s%s\n", (prot & _PAGE_USER) ? "USR " : "    ",
		   (prot & _PAGE_RW) ? "RW " : "ro ", (prot & _PAGE_PWT) ? "PWT " : "    ",
		   (prot & _PAGE_PCD) ? "PCD " : "    ",
		   (large && (prot & _PAGE_PSE)) ? "PSE " : "    ",
		   (large ? (prot & _PAGE_PAT_LARGE) : (level == PG_LEVEL_PTE && (prot & _PAGE_PAT)))
			   ? "PAT " : "    ",
		   (prot & _PAGE_GLOBAL) ? "GLB " : "    ", (prot & _PAGE_NX) ? "NX " : "x  ",
		   level_name[level]);
}

/* Close the range accumulated so far at @addr (0: the top of the address space). */
static void flush_range(struct ptdump_state *st, u64 addr)
{
	static const char units[] = "BKMGTPE";
	u64 size = addr - st->start;
	const char *unit = units;

	if (st->level < 0)
		return;
	while (!(size & 1023) && unit[1])
		size >>= 10, unit++;
	seq_printf(st->m, "0x%016llx-0x%016llx   %9llu%c ", st->start, addr, size, *unit);
	print_prot(st->m, st->prot, st->level);
}

/* Account for the entry at @addr, mapped with @prot at @level (prot 0: not mapped). */
static void note_page(struct ptdump_state *st, u64 addr, u64 prot, int level)
{
	bool new_area = st->marker + 1 < ARRAY_SIZE(markers) && addr >= markers[st->marker + 1].start;

	if (prot != st->prot || level != st->level || new_area) {
		flush_range(st, addr);
		while (st->marker + 1 < ARRAY_SIZE(markers) && addr >= markers[st->marker + 1].start)
			seq_printf(st->m, "---[ %s ]---\n", markers[++st->marker].name);
		st->start = addr;
		st->prot = prot;
		st->level = level;
	}
}

static void walk(struct ptdump_state *st, const u64 *table, int level, u64 base)
{
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		u64 e = table[i], addr = base + ((u64)i << pg_level_shift(level));
		bool leaf = level == PG_LEVEL_PTE || (level > PG_LEVEL_PGD && (e & _PAGE_PSE));

		addr = __canonical_address(addr, __VIRTUAL_MASK_SHIFT + 1);
		if (!(e & _PAGE_PRESENT))
			note_page(st, addr, 0, level);
		else if (leaf)
			note_page(st, addr, e & (PROT_BITS | (level < PG_LEVEL_PTE ? _PAGE_PAT_LARGE : 0)),
				  level);
		else
			walk(st, __va(e & PTE_PFN_MASK), level + 1, addr);
	}
}

void ptdump_show(struct seq_file *m)
{
	struct ptdump_state st = { .m = m, .level = -1 };

	seq_printf(m, "---[ %s ]---\n", markers[0].name);
	walk(&st, __va(read_cr3() & PTE_PFN_MASK), PG_LEVEL_PGD, 0);
	flush_range(&st, 0); /* the last range ends at the top: 2^64, printed as 0, as Linux does */
}

static void print_entry_flags(struct seq_file *m, u64 e, int level)
{
	if (!(e & _PAGE_PRESENT)) {
		seq_puts(m, " not present\n");
		return;
	}
	seq_printf(m, " present %s%s%s%s%s%s%s%s\n", (e & _PAGE_RW) ? "rw" : "ro",
		   (e & _PAGE_USER) ? " user" : "", (e & _PAGE_PCD) ? " uncached" : "",
		   (e & _PAGE_ACCESSED) ? " accessed" : "", (e & _PAGE_DIRTY) ? " dirty" : "",
		   (level > PG_LEVEL_PGD && level < PG_LEVEL_PTE && (e & _PAGE_PSE)) ? " large" : "",
		   (e & _PAGE_GLOBAL) ? " global" : "", (e & _PAGE_NX) ? " nx" : " exec");
}

void vtop_show(struct seq_file *m, u64 va)
{
	static const char *const names[PG_LEVEL_NUM] = { "PGD", "PUD", "PMD", "PTE" };
	struct pt_walk_step steps[PG_LEVEL_NUM];
	phys_addr_t pa;
	u64 offset, access;
	int n;

	/*
	 * The index bits of such an address do select entries, so a walk would "find" the
	 * mapping of its canonical twin: the CPU never gets that far.
	 */
	if (!__is_canonical_address(va, __VIRTUAL_MASK_SHIFT + 1)) {
		seq_printf(m, "virtual %#llx: non-canonical (bits 63-48 must be copies of bit 47)\n"
			      "  no walk: any access raises #GP before the MMU reads a table\n"
			      "  with bit 47 copied up it would be %#llx\n",
			   va, __canonical_address(va, __VIRTUAL_MASK_SHIFT + 1));
		return;
	}
	n = pt_walk(va, steps, &pa, &access);
	seq_printf(m, "virtual %#llx: CR3 %#llx\n", va, read_cr3() & PTE_PFN_MASK);
	for (int i = 0; i < n; i++) {
		seq_printf(m, "  %s[%3u] = %#018llx", names[i], steps[i].index, steps[i].entry);
		print_entry_flags(m, steps[i].entry, i);
	}
	if (pa == ~0ULL) {
		seq_puts(m, "  not mapped\n");
		return;
	}
	/*
	 * The last level's page size splits the address into the page and the offset in
	 * it.  The page is named by its first frame, so that frame * 4096 + offset is the
	 * physical address for a 2 MiB or 1 GiB page too.
	 */
	offset = va & ((1ULL << pg_level_shift(n - 1)) - 1);
	seq_printf(m, "  %s page: frame %#llx + offset %#llx = physical %#llx\n",
		   n == 4 ? "4K" : n == 3 ? "2M" : "1G", (pa - offset) >> PAGE_SHIFT, offset, pa);
	/* What every level together allows, as Linux's ptdump computes for its W+X check. */
	seq_printf(m, "  access: %s %s %s\n", (access & _PAGE_USER) ? "user" : "kernel",
		   (access & _PAGE_RW) ? "rw" : "ro", (access & _PAGE_NX) ? "nx" : "exec");
}

void arch_report_meminfo(struct seq_file *m)
{
	seq_printf(m, "DirectMap4k:    %8lu kB\n", direct_pages_count[PG_LEVEL_PTE] << 2);
	seq_printf(m, "DirectMap2M:    %8lu kB\n", direct_pages_count[PG_LEVEL_PMD] << 11);
	if (direct_gbpages_enabled()) /* Linux prints this line only when it may use 1 GiB pages */
		seq_printf(m, "DirectMap1G:    %8lu kB\n", direct_pages_count[PG_LEVEL_PUD] << 20);
}
