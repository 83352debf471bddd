// SPDX-License-Identifier: MIT
/*
 * KTAP self-tests for mempool (`selftest mempool`): the reserve semantics against an
 * allocator the test switches off, on the running kernel.
 */
#include "kernel/selftest.h"
#include "mm/mempool.h"

#define SLOTS 16

static struct {
	bool failing;
	bool out[SLOTS];
	int allocated, freed;
} fake;
static char slots[SLOTS];

static void *fake_alloc(gfp_t gfp, void *data)
{
	(void)gfp, (void)data;
	for (int i = 0; !fake.failing && i < SLOTS; i++)
		if (!fake.out[i]) {
			fake.out[i] = true;
			fake.allocated++;
			return &slots[i];
		}
	return NULL;
}

static void fake_free(void *element, void *data)
{
	(void)data;
	fake.out[(char *)element - slots] = false;
	fake.freed++;
}

static mempool_t *fresh_pool(int min_nr)
{
	for (int i = 0; i < SLOTS; i++)
		fake.out[i] = false;
	fake.failing = false;
	fake.allocated = fake.freed = 0;
	return mempool_create(min_nr, fake_alloc, fake_free, NULL);
}

static void reserve_is_used_only_when_the_allocator_fails(struct selftest *t)
{
	mempool_t *pool = fresh_pool(2);

	ST_ASSERT(t, pool);
	void *a = mempool_alloc(pool, GFP_ATOMIC);
	ST_EXPECT_EQ(t, pool->curr_nr, 2);
	fake.failing = true;
	void *b = mempool_alloc(pool, GFP_ATOMIC), *c = mempool_alloc(pool, GFP_ATOMIC);
	ST_EXPECT(t, b && c && b != c);
	ST_EXPECT_EQ(t, pool->curr_nr, 0);
	ST_EXPECT(t, mempool_alloc(pool, GFP_ATOMIC) == NULL);
	fake.failing = false;
	mempool_free(a, pool);
	mempool_free(b, pool);
	mempool_free(c, pool);
	mempool_destroy(pool);
	ST_EXPECT_EQ(t, fake.allocated, fake.freed);
}

static void free_refills_the_reserve_first(struct selftest *t)
{
	mempool_t *pool = fresh_pool(1);

	ST_ASSERT(t, pool);
	fake.failing = true;
	void *a = mempool_alloc(pool, GFP_ATOMIC);
	fake.failing = false;
	void *b = mempool_alloc(pool, GFP_ATOMIC);
	mempool_free(b, pool);
	ST_EXPECT_EQ(t, pool->curr_nr, 1);
	ST_EXPECT_EQ(t, fake.freed, 0);
	mempool_free(a, pool);
	ST_EXPECT_EQ(t, fake.freed, 1);
	mempool_destroy(pool);
}

static void resize_grows_and_shrinks(struct selftest *t)
{
	mempool_t *pool = fresh_pool(2);

	ST_ASSERT(t, pool);
	ST_EXPECT_EQ(t, mempool_resize(pool, 5), 0);
	ST_EXPECT_EQ(t, pool->curr_nr, 5);
	ST_EXPECT_EQ(t, mempool_resize(pool, 1), 0);
	ST_EXPECT_EQ(t, pool->curr_nr, 1);
	mempool_destroy(pool);
	ST_EXPECT_EQ(t, fake.allocated, fake.freed);
}

static void real_page_pool_serves_pages(struct selftest *t)
{
	mempool_t *pool = mempool_create_page_pool(2, 0);
	struct page *p;

	ST_ASSERT(t, pool);
	p = mempool_alloc(pool, GFP_KERNEL);
	ST_EXPECT(t, p != NULL);
	mempool_free(p, pool);
	ST_EXPECT_EQ(t, pool->curr_nr, 2);
	mempool_destroy(pool);
}

static const struct selftest_case mempool_cases[] = {
	SELFTEST_CASE(reserve_is_used_only_when_the_allocator_fails),
	SELFTEST_CASE(free_refills_the_reserve_first),
	SELFTEST_CASE(resize_grows_and_shrinks),
	SELFTEST_CASE(real_page_pool_serves_pages),
};

DEFINE_SELFTEST_SUITE(mempool, mempool_cases);
