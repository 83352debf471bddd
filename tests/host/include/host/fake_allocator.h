/* SPDX-License-Identifier: MIT */
/*
 * A fake element allocator for mempool tests (tests/unit/test_mempool.c,
 * tests/labs/08/host.c): a pool's pool->alloc/pool->free that the test can switch off,
 * or let serve only callers that may reclaim, so that every step's outcome is known.
 * It hands out distinct slots and remembers what it was asked:
 *
 *   pool = mempool_create(4, fake_alloc, fake_free, NULL);
 *   fake.mode = FAKE_FAILS;           now only the pool's reserve can serve
 *   fake.gfps[0], fake.last_gfp       the flags of the first and of the last call
 *
 * Include after <criterion/criterion.h>: a free of something never handed out fails
 * the test.
 */
#ifndef PAGELAB_HOST_FAKE_ALLOCATOR_H
#define PAGELAB_HOST_FAKE_ALLOCATOR_H
#include "lib/string.h"
#include "mm/gfp.h"

#define FAKE_SLOTS 64

enum fake_mode { FAKE_SERVES, FAKE_FAILS, FAKE_SERVES_ONLY_RECLAIMERS };

static struct {
	enum fake_mode mode;
	bool out[FAKE_SLOTS]; /* slot handed out (to the pool, or through it to a user) */
	int allocated, freed, calls;
	gfp_t last_gfp;
	gfp_t gfps[8]; /* the flags of the first calls since fake_reset_calls() */
} fake;
static char fake_slots[FAKE_SLOTS];

static inline void *fake_alloc(gfp_t gfp, void *data)
{
	(void)data;
	if (fake.calls < (int)ARRAY_SIZE(fake.gfps))
		fake.gfps[fake.calls] = gfp;
	fake.calls++;
	fake.last_gfp = gfp;
	if (fake.mode == FAKE_FAILS ||
	    (fake.mode == FAKE_SERVES_ONLY_RECLAIMERS && !(gfp & __GFP_DIRECT_RECLAIM)))
		return NULL;
	for (int i = 0; i < FAKE_SLOTS; i++) {
		if (!fake.out[i]) {
			fake.out[i] = true;
			fake.allocated++;
			return &fake_slots[i];
		}
	}
	return NULL;
}

static inline void fake_free(void *element, void *data)
{
	long i = (char *)element - fake_slots;

	(void)data;
	cr_assert(i >= 0 && i < FAKE_SLOTS && fake.out[i],
		  "pool->free() got %p, which the allocator does not have out", element);
	fake.out[i] = false;
	fake.freed++;
}

/* Forget the calls so far: fake.gfps[] records from the next one. */
static inline void fake_reset_calls(void)
{
	fake.calls = 0;
	memset(fake.gfps, 0, sizeof(fake.gfps));
}
#endif
