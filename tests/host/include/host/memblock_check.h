/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the memblock host tests (tests/unit/test_memblock*.c).
 *
 *   EXPECT_REGIONS(memory, { MB(1), MB(2) }, { MB(8), MB(1) });
 *
 * checks that memblock.memory holds exactly those regions, in that order, and that its
 * total_size is their sum.  An empty list means "only the empty array's dummy region".
 * Each Criterion test runs in a fresh process, so every test starts from the static,
 * empty memblock the kernel starts from.
 */
#ifndef PAGELAB_HOST_MEMBLOCK_CHECK_H
#define PAGELAB_HOST_MEMBLOCK_CHECK_H

#include <criterion/criterion.h>

#include "mm/memblock.h"

#define KB(x) ((phys_addr_t)(x) << 10)
#define MB(x) ((phys_addr_t)(x) << 20)
#define GB(x) ((phys_addr_t)(x) << 30)

struct expect_region {
	phys_addr_t base, size;
};

static inline void expect_regions(const struct memblock_type *t, const struct expect_region *r,
				  unsigned long n)
{
	phys_addr_t total = 0;

	if (n == 0) {
		cr_assert_eq(t->cnt, 0, "%s: expected empty, cnt %lu", t->name, t->cnt);
		cr_assert_eq(t->regions[0].size, 0, "%s: expected empty", t->name);
		cr_assert_eq(t->total_size, 0, "%s: total_size of an empty array", t->name);
		return;
	}
	cr_assert_eq(t->cnt, n, "%s.cnt is %lu, expected %lu", t->name, t->cnt, n);
	for (unsigned long i = 0; i < n; i++) {
		cr_assert_eq(t->regions[i].base, r[i].base, "%s[%lu].base %#llx, expected %#llx",
			     t->name, i, t->regions[i].base, r[i].base);
		cr_assert_eq(t->regions[i].size, r[i].size, "%s[%lu].size %#llx, expected %#llx",
			     t->name, i, t->regions[i].size, r[i].size);
		total += r[i].size;
	}
	cr_assert_eq(t->total_size, total, "%s.total_size %#llx, expected %#llx", t->name,
		     t->total_size, total);
}

#define EXPECT_REGIONS(type, ...)                                                            \
	expect_regions(&memblock.type, (const struct expect_region[]){ { 0, 0 }, __VA_ARGS__ } + 1, \
		       sizeof((const struct expect_region[]){ { 0, 0 }, __VA_ARGS__ }) /               \
				       sizeof(struct expect_region) - 1)
#define EXPECT_EMPTY(type) expect_regions(&memblock.type, NULL, 0)

#endif
