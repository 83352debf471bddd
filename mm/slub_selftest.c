// SPDX-License-Identifier: MIT
/*
 * `selftest slub`: the object allocator checked from inside the running kernel, on the
 * real page allocator (KTAP output, kernel/selftest.c).
 *
 * Every case creates the caches it needs and destroys them, so SLUB is left as it was
 * found.  The debugging cases break an object on purpose: the report appears on the
 * console between the KTAP lines, and the case checks that exactly one was printed and
 * that the damage was repaired, so the cache can still be destroyed cleanly.  Damage that
 * SLUB answers by isolating a slab (which could never be destroyed) is provoked only in
 * `slubtest` and the host tests; here the same checks run through validation.
 *
 * The host tests (tests/unit/test_slub.c) check the same behaviour with exact numbers.
 */
#include "kernel/selftest.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/slub_def.h"

#define DEBUG_ALL SLAB_DEBUG_FLAGS

static struct kmem_cache *cache_of(const void *p)
{
	return virt_to_head_page(p)->slab_cache;
}

static void cache_of_caches_is_an_object_of_itself(struct selftest *t)
{
	ST_EXPECT(t, cache_of(kmem_cache) == kmem_cache);
	ST_EXPECT(t, kmem_cache_find("kmem_cache_node") != NULL);
	ST_EXPECT(t, cache_of(kmem_cache_find("kmem_cache_node")) == kmem_cache);
}

static void kmalloc_picks_linux_size_classes(struct selftest *t)
{
	static const struct { unsigned int size; const char *cache; } c[] = {
		{ 1, "kmalloc-8" },     { 24, "kmalloc-32" },   { 65, "kmalloc-96" },
		{ 100, "kmalloc-128" }, { 129, "kmalloc-192" }, { 193, "kmalloc-256" },
		{ 1000, "kmalloc-1k" }, { 8192, "kmalloc-8k" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
		void *p = __kmalloc(c[i].size, GFP_KERNEL);

		ST_ASSERT(t, p != NULL);
		if (strcmp(kmem_cache_name(cache_of(p)), c[i].cache))
			selftest_fail(t, __FILE__, __LINE__, "kmalloc(%u) came from %s, not %s",
				      c[i].size, kmem_cache_name(cache_of(p)), c[i].cache);
		kfree(p);
	}
	ST_EXPECT(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
}

static void dma_kmalloc_comes_from_zone_dma(struct selftest *t)
{
	void *p = kmalloc(100, GFP_KERNEL | __GFP_DMA);

	ST_ASSERT(t, p != NULL);
	ST_EXPECT(t, !strcmp(kmem_cache_name(cache_of(p)), "dma-kmalloc-128"));
	ST_EXPECT_EQ(t, page_zonenum(virt_to_page(p)), ZONE_DMA);
	kfree(p);
}

static void large_kmalloc_uses_whole_pages(struct selftest *t)
{
	unsigned long before, during, after;
	void *p;

	slab_meminfo(NULL, &before);
	p = kmalloc(20000, GFP_KERNEL);
	ST_ASSERT(t, p != NULL);
	slab_meminfo(NULL, &during);
	ST_EXPECT_EQ(t, ksize(p), 32768);
	ST_EXPECT_EQ(t, during - before, 8);
	kfree(p);
	slab_meminfo(NULL, &after);
	ST_EXPECT_EQ(t, after, before);
}

static int ctor_calls;
static void ctor(void *p)
{
	ctor_calls++;
	memset(p, 0x42, 32);
}

static void objects_come_back_lifo_and_ctor_runs_per_slab(struct selftest *t)
{
	struct kmem_cache *s = kmem_cache_create("selftest-lifo", 32, 0, 0, ctor);
	u8 *p, *q;

	ST_ASSERT(t, s != NULL);
	ctor_calls = 0;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ST_EXPECT_EQ(t, ctor_calls, oo_objects(s->oo));
	ST_EXPECT_EQ(t, p[31], 0x42);
	kmem_cache_free(s, p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	ST_EXPECT(t, p == q);
	ST_EXPECT_EQ(t, ctor_calls, oo_objects(s->oo));
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("selftest-lifo") == NULL);
}

/*
 * With slub_sheaves=all, every kmalloc cache shrunk, so that slab pages count only what
 * is in use: a cache's sheaves are kmalloc objects, whose slabs the kmalloc caches keep
 * after the sheaves are freed.  Twice: a kmalloc cache's own sheaves belong to another
 * kmalloc cache, which the first pass may have shrunk already.  Without sheaves on the
 * kmalloc caches nothing is shrunk: the test touches no kmalloc cache then, and
 * shrinking them would make the next user of kmalloc pay for new slabs (a test of the
 * memory before and after a `selftest` run would see it).
 */
static void shrink_kmalloc_caches(void)
{
	if (kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(8)]->cpu_sheaves)
		kmalloc_caches_shrink();
}

static void destroy_gives_every_page_back(struct selftest *t)
{
	static void *objs[600];
	struct kmem_cache *s;
	unsigned long before, during, after;

	shrink_kmalloc_caches();
	slab_meminfo(NULL, &before);
	s = kmem_cache_create("selftest-pages", 700, 0, 0, NULL);
	ST_ASSERT(t, s != NULL);
	for (int i = 0; i < 600; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slab_meminfo(NULL, &during);
	ST_EXPECT(t, during - before >= 600 * 700 / PAGE_SIZE);
	for (int i = 0; i < 600; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	shrink_kmalloc_caches(); /* what the cache and its sheaves were: kmalloc objects */
	slab_meminfo(NULL, &after);
	ST_EXPECT_EQ(t, after, before);
}

/*
 * A cache with sheaves of 8 (Linux 6.18): frees go to this CPU's main sheaf and come
 * back last-in first-out from it, with no slab touched; past 16 frees (main and spare
 * full) a full sheaf goes to the barn; a shrink gives every object back and leaves no
 * sheaf behind.  Interrupts stay on: another CPU's cross-call cannot move this CPU's
 * sheaves, and nothing else on this CPU allocates from a private cache.
 */
static void sheaves_serve_this_cpu_and_trade_with_the_barn(struct selftest *t)
{
	struct kmem_cache_args args = { .sheaf_capacity = 8 };
	struct kmem_cache *s = __kmem_cache_create_args("selftest-sheaves", 96, &args, 0);
	struct sheaves_count c;
	static void *objs[40];
	void *p;

	ST_ASSERT(t, s != NULL);
	if (s->flags & SLAB_DEBUG_FLAGS) { /* slub_debug= on it: no sheaves to check */
		ST_EXPECT(t, s->cpu_sheaves == NULL && s->sheaf_capacity == 0);
		kmem_cache_destroy(s);
		return;
	}
	ST_EXPECT_EQ(t, s->sheaf_capacity, 8);
	for (int i = 0; i < 40; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		ST_ASSERT(t, objs[i] != NULL);
	}
	slab_sheaves_count(s, &c);
	ST_EXPECT(t, c.cpu_objects < 8); /* refilled 8 at a time, mostly handed out */
	for (int i = 0; i < 40; i++)
		kmem_cache_free(s, objs[i]);
	slab_sheaves_count(s, &c);
	/* 40 frees: main and spare full (16), the other 24 in 3 full sheaves in the barn */
	ST_EXPECT_EQ(t, c.cpu_objects, 16UL);
	ST_EXPECT_EQ(t, c.barn_objects, 24UL);
	ST_EXPECT_EQ(t, c.barn_full, 3U);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ST_EXPECT(t, p == objs[39]); /* the last one freed, from the top of main */
	kmem_cache_free(s, p);
	kmem_cache_shrink(s);
	slab_sheaves_count(s, &c);
	ST_EXPECT_EQ(t, c.cpu_objects + c.barn_objects, 0UL);
	ST_EXPECT_EQ(t, c.barn_full + c.barn_empty, 0U);
	ST_EXPECT_EQ(t, s->node[0]->nr_slabs, 0UL); /* every slab went back */
	kmem_cache_destroy(s);
}

/*
 * A 64-byte cache called @name with every debugging check on, and its first object in
 * *@p.  Returns the cache; NULL (nothing left behind) if either could not be had.
 */
static struct kmem_cache *debug_cache_with_object(const char *name, u8 **p)
{
	struct kmem_cache *s = kmem_cache_create(name, 64, 0, DEBUG_ALL, NULL);

	*p = s ? kmem_cache_alloc(s, GFP_KERNEL) : NULL;
	if (s && !*p) {
		kmem_cache_destroy(s);
		s = NULL;
	}
	return s;
}

static void red_zone_overwrite_is_reported_and_repaired(struct selftest *t)
{
	unsigned long bugs = slab_bug_count();
	u8 *p;
	struct kmem_cache *s = debug_cache_with_object("selftest-redzone", &p);

	ST_ASSERT(t, s != NULL);
	p[64] = 0x12;
	kmem_cache_free(s, p); /* reported, repaired, not freed */
	ST_EXPECT_EQ(t, slab_bug_count() - bugs, 1);
	ST_EXPECT_EQ(t, p[64], SLUB_RED_ACTIVE);
	kmem_cache_free(s, p);
	ST_EXPECT_EQ(t, slab_bug_count() - bugs, 1);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("selftest-redzone") == NULL);
}

static void write_after_free_is_found_by_validation(struct selftest *t)
{
	unsigned long bugs = slab_bug_count();
	u8 *p;
	struct kmem_cache *s = debug_cache_with_object("selftest-poison", &p);

	ST_ASSERT(t, s != NULL);
	ST_EXPECT_EQ(t, p[0], POISON_FREE);
	kmem_cache_free(s, p);
	p[8] = 0x12;
	ST_EXPECT_EQ(t, kmem_cache_validate(s), 1);
	ST_EXPECT_EQ(t, slab_bug_count() - bugs, 1);
	ST_EXPECT_EQ(t, kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
}

static void corrupted_free_pointer_is_cut(struct selftest *t)
{
	u8 *p, *last;
	struct kmem_cache *s = debug_cache_with_object("selftest-freeptr", &p);

	ST_ASSERT(t, s != NULL);
	/* A new slab's freelist runs in address order; the last object's link is NULL. */
	last = p + (oo_objects(s->oo) - 1) * s->size;
	*(unsigned long *)(last + s->offset) = 0x1234; /* garbage once decoded */
	ST_EXPECT(t, kmem_cache_validate(s) >= 1);
	ST_EXPECT_EQ(t, kmem_cache_validate(s), 0); /* the chain was cut where it ended anyway */
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("selftest-freeptr") == NULL);
}

static void kmalloc_red_zone_starts_at_the_requested_size(struct selftest *t)
{
	struct kmem_cache *s = kmem_cache_create("selftest-kmalloc", 32, 0, DEBUG_ALL | SLAB_KMALLOC,
						 NULL);
	unsigned long bugs = slab_bug_count();
	u8 *p;

	ST_ASSERT(t, s != NULL);
	p = kmalloc_trace(s, GFP_KERNEL, 18);
	ST_EXPECT_EQ(t, p[18], SLUB_RED_ACTIVE);
	ST_EXPECT_EQ(t, p[31], SLUB_RED_ACTIVE);
	p[20] = 0;
	kfree(p);
	ST_EXPECT_EQ(t, slab_bug_count() - bugs, 1);
	kfree(p);
	kmem_cache_destroy(s);
}

static void double_free_is_caught(struct selftest *t)
{
	struct kmem_cache *dbg = kmem_cache_create("selftest-df", 64, 0, DEBUG_ALL, NULL);
	struct kmem_cache *plain = kmem_cache_create("selftest-df-plain", 64, 0, 0, NULL);
	unsigned long bugs = slab_bug_count();
	void *p, *q;

	ST_ASSERT(t, dbg && plain);
	p = kmem_cache_alloc(dbg, GFP_KERNEL);
	kmem_cache_free(dbg, p);
	kmem_cache_free(dbg, p); /* "Object already free" */
	p = kmem_cache_alloc(plain, GFP_KERNEL);
	kmem_cache_free(plain, p);
	kmem_cache_free(plain, p); /* the hardened freelist: "freed onto itself" */
	ST_EXPECT_EQ(t, slab_bug_count() - bugs, 2);
	ST_EXPECT(t, kmem_cache_alloc(plain, GFP_KERNEL) == p);
	q = kmem_cache_alloc(plain, GFP_KERNEL);
	ST_EXPECT(t, q != p); /* p was on the freelist once, not twice */
	kmem_cache_free(plain, q);
	kmem_cache_free(plain, p);
	kmem_cache_destroy(dbg);
	kmem_cache_destroy(plain);
	ST_EXPECT(t, !kmem_cache_find("selftest-df") && !kmem_cache_find("selftest-df-plain"));
}

static void destroy_with_live_objects_keeps_the_cache(struct selftest *t)
{
	struct kmem_cache *s = kmem_cache_create("selftest-destroy", 64, 0, SLAB_STORE_USER, NULL);
	unsigned long bugs = slab_bug_count();
	void *p;

	ST_ASSERT(t, s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_destroy(s); /* "Objects remaining ..." and the cache stays */
	ST_EXPECT_EQ(t, slab_bug_count() - bugs, 1);
	ST_EXPECT(t, kmem_cache_find("selftest-destroy") == s);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("selftest-destroy") == NULL);
}

static void krealloc_keeps_contents_and_zeroes_growth(struct selftest *t)
{
	u8 *p = kzalloc(40, GFP_KERNEL), *q;

	ST_ASSERT(t, p != NULL);
	memset(p, 0x77, 40);
	q = krealloc(p, 60, GFP_KERNEL | __GFP_ZERO);
	ST_EXPECT(t, q == p);
	ST_EXPECT_EQ(t, q[39], 0x77);
	ST_EXPECT_EQ(t, q[59], 0);
	p = krealloc(q, 500, GFP_KERNEL | __GFP_ZERO);
	ST_ASSERT(t, p != NULL);
	ST_EXPECT(t, !strcmp(kmem_cache_name(cache_of(p)), "kmalloc-512"));
	ST_EXPECT_EQ(t, p[0], 0x77);
	ST_EXPECT_EQ(t, p[39], 0x77);
	ST_EXPECT_EQ(t, p[40], 0);
	ST_EXPECT_EQ(t, p[499], 0);
	kfree(p);
}

static const struct selftest_case slub_cases[] = {
	SELFTEST_CASE(cache_of_caches_is_an_object_of_itself),
	SELFTEST_CASE(kmalloc_picks_linux_size_classes),
	SELFTEST_CASE(dma_kmalloc_comes_from_zone_dma),
	SELFTEST_CASE(large_kmalloc_uses_whole_pages),
	SELFTEST_CASE(objects_come_back_lifo_and_ctor_runs_per_slab),
	SELFTEST_CASE(destroy_gives_every_page_back),
	SELFTEST_CASE(sheaves_serve_this_cpu_and_trade_with_the_barn),
	SELFTEST_CASE(red_zone_overwrite_is_reported_and_repaired),
	SELFTEST_CASE(write_after_free_is_found_by_validation),
	SELFTEST_CASE(corrupted_free_pointer_is_cut),
	SELFTEST_CASE(kmalloc_red_zone_starts_at_the_requested_size),
	SELFTEST_CASE(double_free_is_caught),
	SELFTEST_CASE(destroy_with_live_objects_keeps_the_cache),
	SELFTEST_CASE(krealloc_keeps_contents_and_zeroes_growth),
};

DEFINE_SELFTEST_SUITE(slub, slub_cases);
