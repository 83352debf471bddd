// SPDX-License-Identifier: MIT
/*
 * `selftest lab7`: lab 7's checks inside the running kernel (docs/labs/07-slub.md).
 * Each case watches the per-cpu freelist of a cache of its own through slab_alloc(),
 * slab_free() and deactivate_slab(), decoding the free pointers itself.  Each case destroys its
 * cache, so SLUB is left as it was found (unless the code under test lost objects).
 */
#include "kernel/selftest.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/slub_def.h"

#include "freelist.h"

/* 100-byte objects: a stride of 104 bytes, 39 of them in a one-page slab. */
#define OBJ_SIZE 100

static struct kmem_cache_cpu *cpu_of(struct kmem_cache *s)
{
	return &s->cpu_slab[smp_processor_id()];
}

/* A new cache called @name; one left over by an earlier run is destroyed first. */
static struct kmem_cache *fresh_cache(struct selftest *t, const char *name)
{
	struct kmem_cache *s = kmem_cache_find(name);

	if (s)
		kmem_cache_destroy(s);
	if (kmem_cache_find(name)) {
		selftest_fail(t, __FILE__, __LINE__, "cache %s, left by an earlier run, still has "
			      "objects: reboot to run this again", name);
		return NULL;
	}
	return kmem_cache_create(name, OBJ_SIZE, 0, 0, NULL);
}

/* Did the allocation that returned @p come from the CPU's active, frozen slab? */
static bool from_cpu_slab(struct selftest *t, struct kmem_cache *s, void *p)
{
	struct page *slab = virt_to_head_page(p);

	if (cpu_of(s)->slab == slab && slab->frozen)
		return true;
	selftest_fail(t, __FILE__, __LINE__, "%s: the object %p did not come from the CPU's slab "
		      "(c->slab %p, the object's slab %p, frozen %u)", s->name, p,
		      (void *)cpu_of(s)->slab, (void *)slab, slab->frozen);
	return false;
}

/* ---- the per-cpu freelist --------------------------------------------------------------- */

static void the_cpu_takes_a_whole_slab(struct selftest *t)
{
	struct kmem_cache *s = fresh_cache(t, "lab7-cpu");
	struct page *slab;
	char *p, *q;

	ST_ASSERT(t, s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ST_ASSERT(t, p != NULL && from_cpu_slab(t, s, p));
	slab = virt_to_head_page(p);
	ST_EXPECT(t, p == page_address(slab));
	ST_EXPECT(t, slab->freelist == NULL);
	ST_EXPECT_EQ(t, slab->inuse, slab->objects);
	q = cpu_of(s)->freelist;
	for (unsigned int i = 1; i < slab->objects && q; i++) {
		if (q != p + i * s->size) {
			selftest_fail(t, __FILE__, __LINE__, "object %u of the CPU's freelist is %p, "
				      "not %p", i, (void *)q, (void *)(p + i * s->size));
			break;
		}
		q = next_free(s, q);
	}
	ST_EXPECT_EQ(t, freelist_length(s, cpu_of(s)->freelist, slab->objects), slab->objects - 1);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("lab7-cpu") == NULL);
}

static void free_and_alloc_are_lifo_on_the_cpu_freelist(struct selftest *t)
{
	struct kmem_cache *s = fresh_cache(t, "lab7-lifo");
	void *a, *b, *c, *a2, *b2, *head, *next;
	u8 *z;

	ST_ASSERT(t, s != NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	ST_ASSERT(t, a && b && c && from_cpu_slab(t, s, c));
	head = cpu_of(s)->freelist;
	kmem_cache_free(s, b);
	ST_EXPECT(t, cpu_of(s)->freelist == b);
	ST_EXPECT(t, next_free(s, b) == head);
	kmem_cache_free(s, a);
	ST_EXPECT(t, cpu_of(s)->freelist == a);
	ST_EXPECT(t, next_free(s, a) == b);
	a2 = kmem_cache_alloc(s, GFP_KERNEL);
	b2 = kmem_cache_alloc(s, GFP_KERNEL);
	ST_EXPECT(t, a2 == a); /* last in, first out */
	ST_EXPECT(t, b2 == b);
	/* A zeroed allocation takes the head too, and zeroes it. */
	memset(c, 0xee, OBJ_SIZE);
	kmem_cache_free(s, c);
	next = next_free(s, c);
	z = kmem_cache_zalloc(s, GFP_KERNEL);
	ST_EXPECT(t, z == c);
	ST_EXPECT(t, cpu_of(s)->freelist == next);
	for (int i = 0; z && i < OBJ_SIZE; i++)
		if (z[i]) {
			selftest_fail(t, __FILE__, __LINE__, "byte %d of a zeroed object is %#x", i, z[i]);
			break;
		}
	kmem_cache_free(s, a2);
	kmem_cache_free(s, b2);
	kmem_cache_free(s, z);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("lab7-lifo") == NULL);
}

static void a_double_free_is_refused(struct selftest *t)
{
	struct kmem_cache *s = fresh_cache(t, "lab7-double");
	unsigned long bugs = slab_bug_count();
	void *p, *q, *head;

	ST_ASSERT(t, s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ST_ASSERT(t, p != NULL && from_cpu_slab(t, s, p));
	head = cpu_of(s)->freelist;
	kmem_cache_free(s, p);
	kmem_cache_free(s, p); /* reported: "freed onto itself" */
	ST_EXPECT_EQ(t, slab_bug_count() - bugs, 1);
	ST_EXPECT(t, cpu_of(s)->freelist == p);
	ST_EXPECT(t, next_free(s, p) == head);
	ST_EXPECT(t, kmem_cache_alloc(s, GFP_KERNEL) == p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	ST_EXPECT(t, q != p);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("lab7-double") == NULL);
}

static void flushing_the_cpu_slab_gives_every_object_back(struct selftest *t)
{
	struct kmem_cache *s = fresh_cache(t, "lab7-flush");
	unsigned long before, after;
	struct page *slab;
	void *p[5];

	ST_ASSERT(t, s != NULL);
	slab_meminfo(NULL, &before);
	for (int i = 0; i < 5; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	ST_ASSERT(t, p[0] && p[4] && from_cpu_slab(t, s, p[4]));
	slab = virt_to_head_page(p[0]);
	kmem_cache_free(s, p[1]);
	kmem_cache_free(s, p[3]);
	kmem_cache_shrink(s); /* the CPU lets go of its slab */
	ST_EXPECT(t, cpu_of(s)->slab == NULL && cpu_of(s)->freelist == NULL);
	ST_EXPECT(t, !slab->frozen);
	ST_EXPECT_EQ(t, slab->inuse, 3);
	ST_EXPECT_EQ(t, freelist_length(s, slab->freelist, slab->objects), slab->objects - 3);
	ST_EXPECT(t, on_freelist(s, slab->freelist, p[1], slab->objects));
	ST_EXPECT(t, on_freelist(s, slab->freelist, p[3], slab->objects));
	ST_EXPECT(t, !on_freelist(s, slab->freelist, p[2], slab->objects));
	ST_EXPECT_EQ(t, s->node[0]->nr_partial, 1);
	kmem_cache_free(s, p[0]);
	kmem_cache_free(s, p[2]);
	kmem_cache_free(s, p[4]);
	kmem_cache_shrink(s);
	ST_EXPECT_EQ(t, s->node[0]->nr_slabs, 0);
	slab_meminfo(NULL, &after);
	ST_EXPECT_EQ(t, after, before);
	kmem_cache_destroy(s);
	ST_EXPECT(t, kmem_cache_find("lab7-flush") == NULL);
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(the_cpu_takes_a_whole_slab),
	SELFTEST_CASE(free_and_alloc_are_lifo_on_the_cpu_freelist),
	SELFTEST_CASE(a_double_free_is_refused),
	SELFTEST_CASE(flushing_the_cpu_slab_gives_every_object_back),
};

DEFINE_LAB_SELFTEST_SUITE(lab7, cases);
