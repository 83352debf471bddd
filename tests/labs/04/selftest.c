// SPDX-License-Identifier: MIT
/*
 * `selftest lab4`: lab 4's checks inside the running kernel, on the live page tables
 * (docs/labs/04-paging-and-the-direct-map.md).  The first cases ask pt_walk() about
 * addresses whose answer is known from memblock and phys_base; the last one reads the
 * tables with its own walk, so it judges map_range() even when pt_walk() is wrong.
 */
#include "arch/cpu.h"
#include "arch/memory.h"
#include "arch/pgtable.h"
#include "kernel/selftest.h"
#include "mm/memblock.h"
#include "mm/mm.h"

#define DATA (_PAGE_RW | _PAGE_NX) /* the direct map and the kernel's data */

/*
 * pt_walk(@va) must find @pa, in a walk whose steps match the address's indices, with
 * the access @rights (_PAGE_RW, _PAGE_USER, and _PAGE_NX where the CPU has it).
 */
static void expect_walk(struct selftest *t, u64 va, phys_addr_t pa, u64 rights)
{
	struct pt_walk_step steps[PG_LEVEL_NUM];
	phys_addr_t got = 0;
	u64 access = ~0ULL;
	int n = pt_walk(va, steps, &got, &access);

	if (n >= 1 && n <= PG_LEVEL_NUM && !(steps[n - 1].entry & _PAGE_NX))
		rights &= ~_PAGE_NX; /* a CPU without NX: the kernel set it nowhere */
	if (got != pa || n < 2 || n > PG_LEVEL_NUM) {
		selftest_fail(t, __FILE__, __LINE__, "pt_walk(%#llx) = %d levels, physical %#llx; "
			      "expected %#llx", va, n, got, pa);
		return;
	}
	if (access != rights)
		selftest_fail(t, __FILE__, __LINE__, "pt_walk(%#llx): access %#llx, expected %#llx",
			      va, access, rights);
	for (int l = 0; l < n; l++)
		if (steps[l].level != l || steps[l].index != pg_index(va, l))
			selftest_fail(t, __FILE__, __LINE__, "pt_walk(%#llx): step %d is level %d "
				      "index %u, expected level %d index %u", va, l, steps[l].level,
				      steps[l].index, l, pg_index(va, l));
}

/* The first, a middle and the last byte of every RAM region, through the direct map. */
static void walk_finds_the_direct_map(struct selftest *t)
{
	struct memblock_region *r;

	for_each_mem_region(r) {
		phys_addr_t end = r->base + r->size;

		expect_walk(t, (u64)__va(r->base), r->base, DATA);
		expect_walk(t, (u64)__va(r->base + r->size / 2 + 0x123),
			    r->base + r->size / 2 + 0x123, DATA);
		expect_walk(t, (u64)__va(end - 1), end - 1, DATA);
	}
}

static void walk_finds_the_kernel_image(struct selftest *t)
{
	static const char rodata_probe[] = "lab4";
	static int data_probe = 4;

	expect_walk(t, KERNEL_VIRT_BASE, phys_base, 0); /* text: read and run, no writes */
	expect_walk(t, (u64)rodata_probe, phys_base + ((u64)rodata_probe - KERNEL_VIRT_BASE),
		    _PAGE_NX);
	expect_walk(t, (u64)&data_probe, phys_base + ((u64)&data_probe - KERNEL_VIRT_BASE), DATA);
}

/* Unmapped addresses say so: ~0, after as many levels as it took to find the hole. */
static void walk_stops_at_holes(struct selftest *t)
{
	struct pt_walk_step steps[PG_LEVEL_NUM];
	phys_addr_t pa = 0;
	u64 access = ~0ULL;
	int n;

	n = pt_walk(0, steps, &pa, &access);
	ST_EXPECT(t, pa == ~0ULL && access == 0 && n >= 1 && !(steps[n - 1].entry & _PAGE_PRESENT));
	access = ~0ULL;
	n = pt_walk(PAGE_OFFSET + (1ULL << 40), steps, &pa, &access);
	ST_EXPECT(t, pa == ~0ULL && access == 0 && n >= 1 && !(steps[n - 1].entry & _PAGE_PRESENT));
	expect_walk(t, (u64)__va(0x100000), 0x100000, DATA); /* and a mapped one still is */
}

/* The level of the leaf entry mapping @va in the live tables (our own walk), or -1. */
static int leaf_level(u64 va)
{
	const u64 *table = __va(read_cr3() & PTE_PFN_MASK);

	for (int l = PG_LEVEL_PGD; l < PG_LEVEL_NUM; l++) {
		u64 e = table[pg_index(va, l)];

		if (!(e & _PAGE_PRESENT))
			return -1;
		if (l == PG_LEVEL_PTE || (l > PG_LEVEL_PGD && (e & _PAGE_PSE)))
			return l;
		table = __va(e & PTE_PFN_MASK);
	}
	return -1;
}

/* Every 2 MiB of RAM that is 2 MiB aligned is mapped by one large entry, not 512 small. */
static void direct_map_uses_large_pages(struct selftest *t)
{
	struct memblock_region *r;
	unsigned long large = 0;

	for_each_mem_region(r) {
		for (phys_addr_t pa = ALIGN_UP(r->base, (phys_addr_t)SZ_2M);
		     pa + SZ_2M <= r->base + r->size; pa += SZ_2M) {
			int level = leaf_level((u64)__va(pa));

			if (level != PG_LEVEL_PMD && level != PG_LEVEL_PUD) {
				selftest_fail(t, __FILE__, __LINE__, "physical %#llx: 2 MiB of aligned "
					      "RAM mapped by a level-%d entry, not a large page", pa, level);
				return;
			}
			large++;
		}
	}
	ST_EXPECT(t, large > 0);
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(walk_finds_the_direct_map),
	SELFTEST_CASE(walk_finds_the_kernel_image),
	SELFTEST_CASE(walk_stops_at_holes),
	SELFTEST_CASE(direct_map_uses_large_pages),
};

DEFINE_LAB_SELFTEST_SUITE(lab4, cases);
