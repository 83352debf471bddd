// SPDX-License-Identifier: MIT
/*
 * Lab 4's host checks: pt_walk() and map_range()/fits() from kernel/arch/x86_64/init_64.c,
 * compiled into this test (its static functions are then ours to call).  Page tables
 * live in the host's physical-memory arena, taken from memblock; CR3 is a variable
 * (tests/labs/04/include/arch/cpu.h).  Each test is one graded check
 * (docs/labs/04-paging-and-the-direct-map.md).
 *
 * The pt_walk tests build their tables by hand; the map_range tests read the tables back
 * with their own walker, so a bug in one exercise never fails the other's checks.
 *
 *   virtual address:  [ 47..39 | 38..30 | 29..21 | 20..12 | 11..0  ]
 *                        PGD      PUD      PMD      PTE     offset
 */
#include <criterion/criterion.h>

/* The kernel's own copies of these would clash with the host library's. */
#define after_bootmem lab04_after_bootmem
#define vmemmap_populate lab04_vmemmap_populate
#define arch_kmap_set lab04_arch_kmap_set
#define arch_kmap_clear lab04_arch_kmap_clear
#define ioremap lab04_ioremap
#include "../../../kernel/arch/x86_64/init_64.c"

#define MB(x) ((u64)(x) << 20)
#define GB(x) ((u64)(x) << 30)
#define TABLE (_PAGE_PRESENT | _PAGE_RW) /* what a walk needs to go down a level */

u64 lab04_cr3;
int lab04_global_flushes;

/*
 * The kernel-wide TLB flushes init_64.c calls (kernel/arch/x86_64/tlb.c: IPIs to every
 * CPU), as on one CPU: flush_tlb_all() toggles CR4.PGE like __flush_tlb_all(), which
 * lab04_global_flushes counts; single pages (invlpg) leave nothing to check.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	(void)start;
	(void)end;
}

void flush_tlb_all(void)
{
	u64 cr4 = read_cr4();

	write_cr4(cr4 & ~X86_CR4_PGE);
	write_cr4(cr4);
}

static void set_up(void)
{
	memblock_add(MB(16), MB(240));
	memblock_set_current_limit(host_phys_arena_size);
}

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab04, .init = set_up, .timeout = 5);

static u64 *new_table(void)
{
	u64 *t = memblock_alloc(PAGE_SIZE, PAGE_SIZE);

	cr_assert_not_null(t, "out of memory for page tables");
	return t;
}

/* ---- building tables by hand, for pt_walk ------------------------------------------- */

/* Make @va's entry at @level in the tables under @pgd be @entry, creating tables above. */
static void put(u64 *pgd, u64 va, int level, u64 entry)
{
	u64 *t = pgd;

	for (int l = 0; l < level; l++) {
		u64 *e = &t[(va >> (39 - 9 * l)) & 511];

		if (!(*e & _PAGE_PRESENT))
			*e = __pa(new_table()) | TABLE;
		t = __va(*e & PTE_PFN_MASK);
	}
	t[(va >> (39 - 9 * level)) & 511] = entry;
}

static u64 *live_tables(void)
{
	u64 *pgd = new_table();

	lab04_cr3 = __pa(pgd);
	return pgd;
}

static const u64 DIRECT = 0xffff888000000000ULL; /* PAGE_OFFSET: PGD index 273 */

/*
 * 0xffff888001234567 -> PGD[273] -> PUD[0] -> PMD[9] -> PTE[0x34] -> frame 0x5000 + 0x567
 */
Test(lab04, a_4k_page_takes_four_steps)
{
	u64 *pgd = live_tables(), va = DIRECT + 0x1234567, pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];

	put(pgd, va, PG_LEVEL_PTE, 0x5000 | PAGE_KERNEL);
	cr_assert_eq(pt_walk(va, steps, &pa, &access), 4, "four levels visited");
	cr_assert_eq(pa, 0x5567, "physical %#llx, expected 0x5567", pa);
	cr_assert_eq(steps[0].index, 273);
	cr_assert_eq(steps[1].index, 0);
	cr_assert_eq(steps[2].index, 9);
	cr_assert_eq(steps[3].index, 0x34);
	cr_assert_eq(steps[3].entry, 0x5000 | PAGE_KERNEL);
	for (int l = 0; l < 4; l++)
		cr_assert_eq(steps[l].level, l, "steps[%d].level", l);
}

/* A PMD entry with _PAGE_PSE maps 2 MiB: the low 21 bits of the address are the offset. */
Test(lab04, a_2m_page_stops_at_the_pmd)
{
	u64 *pgd = live_tables(), va = DIRECT + MB(18) + 0x12345, pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];

	put(pgd, va, PG_LEVEL_PMD, MB(100) | PAGE_KERNEL | _PAGE_PSE);
	cr_assert_eq(pt_walk(va, steps, &pa, &access), 3, "three levels visited");
	cr_assert_eq(pa, MB(100) + 0x12345, "physical %#llx", pa);
	cr_assert_eq(steps[2].entry, MB(100) | PAGE_KERNEL | _PAGE_PSE);
}

/* A PUD entry with _PAGE_PSE maps 1 GiB: the low 30 bits are the offset. */
Test(lab04, a_1g_page_stops_at_the_pud)
{
	u64 *pgd = live_tables(), va = DIRECT + GB(3) + 0x2345678, pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];

	put(pgd, va, PG_LEVEL_PUD, GB(5) | PAGE_KERNEL | _PAGE_PSE);
	cr_assert_eq(pt_walk(va, steps, &pa, &access), 2, "two levels visited");
	cr_assert_eq(pa, GB(5) + 0x2345678, "physical %#llx", pa);
	cr_assert_eq(steps[1].index, 3);
}

/* A walk stops at the first entry that is not present, at any level. */
Test(lab04, a_missing_entry_stops_the_walk_at_its_level)
{
	u64 *pgd = live_tables(), pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];
	u64 base = DIRECT + GB(1);

	memset(steps, 0xa5, sizeof(steps)); /* so an empty entry left unrecorded shows */

	put(pgd, base, PG_LEVEL_PTE, 0x7000 | PAGE_KERNEL);   /* tables down to base's PTE */
	cr_assert_eq(pt_walk(DIRECT + GB(600), steps, &pa, &access), 1); /* another PGD slot: empty */
	cr_assert_eq(pa, ~0ULL);
	cr_assert_eq(pt_walk(base + GB(1), steps, &pa, &access), 2);    /* PUD empty */
	cr_assert_eq(pa, ~0ULL);
	cr_assert_eq(pt_walk(base + MB(2), steps, &pa, &access), 3);    /* PMD empty */
	cr_assert_eq(pa, ~0ULL);
	cr_assert_eq(pt_walk(base + 0x1000, steps, &pa, &access), 4);   /* PTE empty */
	cr_assert_eq(pa, ~0ULL);
	cr_assert_eq(steps[3].entry, 0, "the empty entry is still recorded");
	cr_assert_eq(pt_walk(base + 0x10, steps, &pa, &access), 4);
	cr_assert_eq(pa, 0x7010);
}

/*
 * Entries carry flags above and below the frame: NX (bit 63), accessed, dirty, global,
 * and in a 2 MiB entry the PAT bit (12).  None of them is part of the address.
 */
Test(lab04, flag_bits_are_not_part_of_the_address)
{
	u64 *pgd = live_tables(), pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];
	u64 flags = _PAGE_NX | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_RW | _PAGE_PRESENT;

	put(pgd, DIRECT + 0x3000, PG_LEVEL_PTE, 0xabc000 | flags | (0x7ffULL << 52));
	cr_assert_eq(pt_walk(DIRECT + 0x3abc, steps, &pa, &access), 4);
	cr_assert_eq(pa, 0xabcabc, "physical %#llx", pa);
	put(pgd, DIRECT + MB(4), PG_LEVEL_PMD, MB(8) | flags | _PAGE_PSE | 0x1000 /* PAT */);
	cr_assert_eq(pt_walk(DIRECT + MB(4) + 0x1234, steps, &pa, &access), 3);
	cr_assert_eq(pa, MB(8) + 0x1234, "physical %#llx", pa);
}

/*
 * CR3's low 12 bits are flags, not address: PWT and PCD, or with CR4.PCIDE a 12-bit PCID.
 * The PGD is at CR3's frame whatever they hold.
 */
Test(lab04, the_walk_starts_at_cr3_frame)
{
	u64 *pgd = live_tables(), pa, access, frame = lab04_cr3;
	struct pt_walk_step steps[PG_LEVEL_NUM];

	put(pgd, 0xffffffff80000000ULL, PG_LEVEL_PTE, 0x200000 | PAGE_KERNEL_EXEC);
	lab04_cr3 = frame | _PAGE_PWT | _PAGE_PCD;
	cr_assert_eq(pt_walk(0xffffffff80000123ULL, steps, &pa, &access), 4);
	cr_assert_eq(pa, 0x200123);
	cr_assert_eq(steps[0].index, 511);
	cr_assert_eq(steps[1].index, 510);
	lab04_cr3 = frame | 0xabc; /* a PCID */
	cr_assert_eq(pt_walk(0xffffffff80000456ULL, steps, &pa, &access), 4, "with PCID 0xabc in CR3");
	cr_assert_eq(pa, 0x200456, "with PCID 0xabc in CR3: physical %#llx", pa);
}

/* Bit 7 of a PGD entry means nothing: only PUD and PMD entries can be large pages. */
Test(lab04, a_pgd_entry_is_never_a_large_page)
{
	u64 *pgd = live_tables(), va = DIRECT + 0x5000, pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];

	put(pgd, va, PG_LEVEL_PTE, 0x9000 | PAGE_KERNEL);
	pgd[273] |= _PAGE_PSE;
	cr_assert_eq(pt_walk(va + 0x42, steps, &pa, &access), 4);
	cr_assert_eq(pa, 0x9042, "physical %#llx", pa);
}

/* The entry for @va at @level under @pgd, which put() has made. */
static u64 *entry(u64 *pgd, u64 va, int level)
{
	u64 *t = pgd;

	for (int l = 0; l < level; l++)
		t = __va(t[(va >> (39 - 9 * l)) & 511] & PTE_PFN_MASK);
	return &t[(va >> (39 - 9 * level)) & 511];
}

#define ANYONE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER) /* an entry that forbids nothing */

/*
 * The MMU checks an access against every entry on the way down, not the last alone: a
 * write needs RW at every level, an access from user mode USER at every level.
 */
Test(lab04, a_right_needs_every_level)
{
	u64 *pgd = live_tables(), va = DIRECT + GB(2) + MB(6) + 0x5000, pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];

	put(pgd, va, PG_LEVEL_PTE, 0x8000 | ANYONE);
	for (int l = PG_LEVEL_PGD; l < PG_LEVEL_PTE; l++)
		*entry(pgd, va, l) |= ANYONE;
	cr_assert_eq(pt_walk(va, steps, &pa, &access), 4);
	cr_assert_eq(access, _PAGE_RW | _PAGE_USER, "every level allows all: access %#llx", access);
	*entry(pgd, va, PG_LEVEL_PMD) &= ~_PAGE_RW;
	pt_walk(va, steps, &pa, &access);
	cr_assert_eq(access, _PAGE_USER, "a read-only PMD entry: access %#llx", access);
	*entry(pgd, va, PG_LEVEL_PMD) |= _PAGE_RW;
	*entry(pgd, va, PG_LEVEL_PTE) &= ~_PAGE_RW;
	pt_walk(va, steps, &pa, &access);
	cr_assert_eq(access, _PAGE_USER, "a read-only PTE: access %#llx", access);
	*entry(pgd, va, PG_LEVEL_PTE) |= _PAGE_RW;
	*entry(pgd, va, PG_LEVEL_PGD) &= ~_PAGE_USER;
	pt_walk(va, steps, &pa, &access);
	cr_assert_eq(access, _PAGE_RW, "a kernel-only PGD entry: access %#llx", access);
	cr_assert_eq(pt_walk(va + MB(2), steps, &pa, &access), 3);
	cr_assert_eq(access, 0, "not mapped: access %#llx", access);
}

/* One NX bit anywhere on the way forbids running the page; a large page ends the way. */
Test(lab04, nx_at_any_level_forbids_running)
{
	u64 *pgd = live_tables(), va = DIRECT + GB(4) + 0x7000, big = DIRECT + GB(5) + MB(2);
	u64 pa, access;
	struct pt_walk_step steps[PG_LEVEL_NUM];

	put(pgd, va, PG_LEVEL_PTE, 0x8000 | _PAGE_PRESENT | _PAGE_RW);
	*entry(pgd, va, PG_LEVEL_PUD) |= _PAGE_NX;
	cr_assert_eq(pt_walk(va, steps, &pa, &access), 4);
	cr_assert_eq(access, _PAGE_RW | _PAGE_NX, "NX in the PUD entry: access %#llx", access);
	put(pgd, big, PG_LEVEL_PMD, MB(20) | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE);
	*entry(pgd, big, PG_LEVEL_PUD) &= ~_PAGE_RW;
	cr_assert_eq(pt_walk(big + 0x42, steps, &pa, &access), 3);
	cr_assert_eq(access, 0, "a 2 MiB page under a read-only PUD entry: access %#llx", access);
}

/* ---- map_range and fits ---------------------------------------------------------- */

/* The leaf entry mapping @va under @pgd, and its level in *@level; 0 if none. */
static u64 leaf(const u64 *pgd, u64 va, int *level)
{
	const u64 *t = pgd;

	for (int l = 0; l < 4; l++) {
		u64 e = t[(va >> (39 - 9 * l)) & 511];

		if (!(e & _PAGE_PRESENT))
			return 0;
		if (l == 3 || (l > 0 && (e & _PAGE_PSE))) {
			*level = l;
			return e;
		}
		t = __va(e & PTE_PFN_MASK);
	}
	return 0;
}

static const char *const level_names[] = { "PGD", "PUD", "PMD", "PTE" };

/* @va must be mapped to @pa by a page of @level with exactly @flags. */
static void expect_leaf(const u64 *pgd, u64 va, u64 pa, int level, u64 flags)
{
	int got_level = -1;
	u64 e = leaf(pgd, va, &got_level);

	cr_assert(e, "%#llx is not mapped", va);
	cr_assert_eq(got_level, level, "%#llx is mapped by a %s entry, expected %s", va,
		     level_names[got_level], level_names[level]);
	cr_assert_eq(e & PTE_PFN_MASK, pa, "%#llx is mapped to %#llx, expected %#llx", va,
		     e & PTE_PFN_MASK, pa);
	cr_assert_eq(e & ~PTE_PFN_MASK, flags, "%#llx: flags %#llx, expected %#llx", va,
		     e & ~PTE_PFN_MASK, flags);
}

static u64 *fresh(bool with_gbpages)
{
	gbpages = with_gbpages;
	supported_pte_mask = ~0ULL;
	memset(direct_pages_count, 0, sizeof(direct_pages_count));
	return new_table();
}

/* 2 MiB, aligned on both sides: one PMD entry with _PAGE_PSE. */
Test(lab04, an_aligned_2m_range_is_one_pmd_entry)
{
	u64 *pgd = fresh(false);

	cr_assert_eq(map_range(pgd, DIRECT + MB(32), MB(32), MB(2), PAGE_KERNEL,
			       MAP_LARGE_PAGES | MAP_COUNT_DIRECT), 0);
	expect_leaf(pgd, DIRECT + MB(32), MB(32), PG_LEVEL_PMD, PAGE_KERNEL | _PAGE_PSE);
	expect_leaf(pgd, DIRECT + MB(34) - 1, MB(32), PG_LEVEL_PMD, PAGE_KERNEL | _PAGE_PSE);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PMD], 1);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PTE], 0);
}

/*
 * [1M ........ 2M|=========== 2M page ===========|4M ... 4M+12K)
 *  256 4 KiB pages                                3 4 KiB pages
 */
Test(lab04, unaligned_edges_get_4k_pages)
{
	u64 *pgd = fresh(false);

	cr_assert_eq(map_range(pgd, DIRECT + MB(1), MB(1), MB(3) + 0x3000, PAGE_KERNEL,
			       MAP_LARGE_PAGES | MAP_COUNT_DIRECT), 0);
	expect_leaf(pgd, DIRECT + MB(1), MB(1), PG_LEVEL_PTE, PAGE_KERNEL);
	expect_leaf(pgd, DIRECT + MB(2) - 0x1000, MB(2) - 0x1000, PG_LEVEL_PTE, PAGE_KERNEL);
	expect_leaf(pgd, DIRECT + MB(3), MB(2), PG_LEVEL_PMD, PAGE_KERNEL | _PAGE_PSE);
	expect_leaf(pgd, DIRECT + MB(4) + 0x2000, MB(4) + 0x2000, PG_LEVEL_PTE, PAGE_KERNEL);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PTE], 256 + 3);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PMD], 1);
	int level;
	cr_assert_eq(leaf(pgd, DIRECT + MB(4) + 0x3000, &level), 0, "mapped past the end");
}

/* 1 GiB pages only if the CPU has them (CPUID pdpe1gb, the `gbpages` flag). */
Test(lab04, gigabyte_pages_only_when_the_cpu_has_them)
{
	u64 *pgd = fresh(true);

	cr_assert_eq(map_range(pgd, DIRECT + GB(1), GB(1), GB(1), PAGE_KERNEL,
			       MAP_LARGE_PAGES | MAP_COUNT_DIRECT), 0);
	expect_leaf(pgd, DIRECT + GB(1) + 0x12345678, GB(1), PG_LEVEL_PUD, PAGE_KERNEL | _PAGE_PSE);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PUD], 1);
	pgd = fresh(false);
	cr_assert_eq(map_range(pgd, DIRECT + GB(1), GB(1), GB(1), PAGE_KERNEL,
			       MAP_LARGE_PAGES | MAP_COUNT_DIRECT), 0);
	expect_leaf(pgd, DIRECT + GB(1) + 0x12345678, GB(1) + MB(290), PG_LEVEL_PMD,
		    PAGE_KERNEL | _PAGE_PSE);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PMD], 512);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PUD], 0);
}

/* A large page needs the virtual and the physical address aligned. */
Test(lab04, both_addresses_must_be_aligned)
{
	u64 *pgd = fresh(false);

	cr_assert_eq(map_range(pgd, 0xffffc90000000000ULL, MB(8) + 0x1000, MB(4), PAGE_KERNEL,
			       MAP_LARGE_PAGES), 0);
	expect_leaf(pgd, 0xffffc90000000000ULL + MB(2), MB(10) + 0x1000, PG_LEVEL_PTE, PAGE_KERNEL);
	cr_assert_eq(map_range(pgd, 0xffffc90000400000ULL, MB(12), MB(4), PAGE_KERNEL,
			       MAP_LARGE_PAGES), 0);
	expect_leaf(pgd, 0xffffc90000400000ULL + MB(2), MB(14), PG_LEVEL_PMD, PAGE_KERNEL | _PAGE_PSE);
}

/* large = false (the kernel image, ioremap, kmap) means 4 KiB pages even where 2 MiB fit. */
Test(lab04, small_pages_when_asked)
{
	u64 *pgd = fresh(true);

	cr_assert_eq(map_range(pgd, DIRECT + MB(64), MB(64), MB(2), PAGE_KERNEL_RO, 0), 0);
	expect_leaf(pgd, DIRECT + MB(65), MB(65), PG_LEVEL_PTE, PAGE_KERNEL_RO);
	cr_assert_eq(map_range(pgd, DIRECT + MB(66), MB(66), MB(2), PAGE_KERNEL_RO,
			       MAP_LARGE_PAGES), 0);
	expect_leaf(pgd, DIRECT + MB(67), MB(66), PG_LEVEL_PMD, PAGE_KERNEL_RO | _PAGE_PSE);
}

/* The protection lands in every leaf, minus what the CPU cannot do (no NX: no NX bit). */
Test(lab04, protections_land_in_every_leaf)
{
	u64 *pgd = fresh(false);

	supported_pte_mask = ~_PAGE_NX;
	cr_assert_eq(map_range(pgd, DIRECT + MB(96) - 0x1000, MB(96) - 0x1000, MB(2) + 0x1000,
			       PAGE_KERNEL_NOCACHE, MAP_LARGE_PAGES), 0);
	expect_leaf(pgd, DIRECT + MB(96) - 0x1000, MB(96) - 0x1000, PG_LEVEL_PTE,
		    PAGE_KERNEL_NOCACHE & ~_PAGE_NX);
	expect_leaf(pgd, DIRECT + MB(97), MB(96), PG_LEVEL_PMD,
		    (PAGE_KERNEL_NOCACHE & ~_PAGE_NX) | _PAGE_PSE);
}

/* A 4 KiB mapping cannot go where a large page is: map_range says so with -1. */
Test(lab04, a_large_page_in_the_way_is_an_error)
{
	u64 *pgd = fresh(false);

	cr_assert_eq(map_range(pgd, DIRECT + MB(128), MB(128), MB(2), PAGE_KERNEL,
			       MAP_LARGE_PAGES), 0);
	cr_assert_eq(map_range(pgd, DIRECT + MB(129), 0xfee00000, 0x1000, PAGE_KERNEL_NOCACHE, 0), -1);
	expect_leaf(pgd, DIRECT + MB(129), MB(128), PG_LEVEL_PMD, PAGE_KERNEL | _PAGE_PSE);
}

/* ---- the challenge: set_memory_ro() and set_memory_rw() ----------------------------- */

/*
 * A page inside a 2 MiB page, or at its very start: the large page becomes 512 4 KiB
 * entries for the same frames with the same protection, only the pages asked for lose
 * their write right, the DirectMap counts follow the split, the TLB's global entries are
 * flushed, and set_memory_rw() gives the right back.  A whole, aligned 2 MiB page stays
 * one entry; a range over the edge of two large pages splits both.
 */
Test(lab04, challenge_set_memory_ro_splits_only_what_it_must)
{
	u64 *pgd = fresh(false), ro = DIRECT + MB(34) + 5 * PAGE_SIZE;
	int flushes;

	lab04_cr3 = __pa(pgd);
	cr_assert_eq(map_range(pgd, DIRECT + MB(32), MB(32), MB(12), PAGE_KERNEL,
			       MAP_LARGE_PAGES | MAP_COUNT_DIRECT), 0);
	flushes = lab04_global_flushes;
	cr_assert_eq(set_memory_ro(ro, 1), 0, "set_memory_ro() of one page");
	cr_assert_gt(lab04_global_flushes, flushes, "no flush of the TLB's global entries");
	expect_leaf(pgd, ro, MB(34) + 5 * PAGE_SIZE, PG_LEVEL_PTE, PAGE_KERNEL & ~_PAGE_RW);
	expect_leaf(pgd, ro - PAGE_SIZE, MB(34) + 4 * PAGE_SIZE, PG_LEVEL_PTE, PAGE_KERNEL);
	expect_leaf(pgd, DIRECT + MB(36) - PAGE_SIZE, MB(36) - PAGE_SIZE, PG_LEVEL_PTE, PAGE_KERNEL);
	expect_leaf(pgd, DIRECT + MB(36), MB(36), PG_LEVEL_PMD, PAGE_KERNEL | _PAGE_PSE);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PMD], 5, "DirectMap2M after the split");
	cr_assert_eq(direct_pages_count[PG_LEVEL_PTE], 512, "DirectMap4k after the split");
	cr_assert_eq(set_memory_rw(ro, 1), 0, "set_memory_rw() of the same page");
	expect_leaf(pgd, ro, MB(34) + 5 * PAGE_SIZE, PG_LEVEL_PTE, PAGE_KERNEL);

	cr_assert_eq(set_memory_ro(DIRECT + MB(32), 1), 0, "the first page of a 2 MiB page");
	expect_leaf(pgd, DIRECT + MB(32), MB(32), PG_LEVEL_PTE, PAGE_KERNEL & ~_PAGE_RW);
	expect_leaf(pgd, DIRECT + MB(32) + PAGE_SIZE, MB(32) + PAGE_SIZE, PG_LEVEL_PTE, PAGE_KERNEL);

	cr_assert_eq(set_memory_ro(DIRECT + MB(36), 512), 0, "a whole 2 MiB page");
	expect_leaf(pgd, DIRECT + MB(37), MB(36), PG_LEVEL_PMD, (PAGE_KERNEL & ~_PAGE_RW) | _PAGE_PSE);

	cr_assert_eq(set_memory_ro(DIRECT + MB(40) - PAGE_SIZE, 2), 0, "over the edge of two");
	expect_leaf(pgd, DIRECT + MB(40) - PAGE_SIZE, MB(40) - PAGE_SIZE, PG_LEVEL_PTE,
		    PAGE_KERNEL & ~_PAGE_RW);
	expect_leaf(pgd, DIRECT + MB(40), MB(40), PG_LEVEL_PTE, PAGE_KERNEL & ~_PAGE_RW);
	expect_leaf(pgd, DIRECT + MB(40) + PAGE_SIZE, MB(40) + PAGE_SIZE, PG_LEVEL_PTE, PAGE_KERNEL);
	expect_leaf(pgd, DIRECT + MB(40) - 2 * PAGE_SIZE, MB(40) - 2 * PAGE_SIZE, PG_LEVEL_PTE,
		    PAGE_KERNEL);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PMD], 2, "DirectMap2M after four splits");
	cr_assert_eq(direct_pages_count[PG_LEVEL_PTE], 4 * 512, "DirectMap4k after four splits");
	cr_assert_eq(set_memory_ro(DIRECT + GB(100), 1), -EINVAL, "a page that is not mapped");
}

/*
 * A 1 GiB page splits into 2 MiB pages, and the one the range touches into 4 KiB pages;
 * the memory type (the PAT bit: bit 12 in a large entry, bit 7 in a 4 KiB one) survives
 * both steps.
 */
Test(lab04, challenge_a_1g_page_splits_down_to_the_page)
{
	u64 *pgd = fresh(true), ro = DIRECT + GB(1) + MB(7), prot = PAGE_KERNEL | _PAGE_PAT_LARGE;
	u64 small = (PAGE_KERNEL | _PAGE_PAT) & ~_PAGE_RW;

	lab04_cr3 = __pa(pgd);
	cr_assert_eq(map_range(pgd, DIRECT + GB(1), GB(1), GB(1), prot,
			       MAP_LARGE_PAGES | MAP_COUNT_DIRECT), 0);
	cr_assert_eq(set_memory_ro(ro, 1), 0);
	expect_leaf(pgd, ro, GB(1) + MB(7), PG_LEVEL_PTE, small);
	expect_leaf(pgd, ro + PAGE_SIZE, GB(1) + MB(7) + PAGE_SIZE, PG_LEVEL_PTE, small | _PAGE_RW);
	/* expect_leaf() takes bit 12 for an address bit: in a large entry it is PAT. */
	expect_leaf(pgd, DIRECT + GB(1) + MB(8), (GB(1) + MB(8)) | _PAGE_PAT_LARGE, PG_LEVEL_PMD,
		    PAGE_KERNEL | _PAGE_PSE);
	expect_leaf(pgd, DIRECT + GB(2) - PAGE_SIZE, (GB(2) - MB(2)) | _PAGE_PAT_LARGE,
		    PG_LEVEL_PMD, PAGE_KERNEL | _PAGE_PSE);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PUD], 0);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PMD], 511);
	cr_assert_eq(direct_pages_count[PG_LEVEL_PTE], 512);
}
