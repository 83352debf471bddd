// SPDX-License-Identifier: MIT
/*
 * Lab 7's host checks: slab_alloc(), ___slab_alloc(), slab_free(), __slab_free() and
 * deactivate_slab() (mm/slub.c) keep the per-cpu freelist and the partial lists.
 * The real SLUB runs on the real buddy allocator of a 64 MiB machine, booted afresh for
 * every test.  Each test is one graded check (docs/labs/07-slub.md).
 *
 * The freelist tests read the CPU's freelist themselves: a free object holds the address
 * of the next one at s->offset, stored as  next ^ s->random ^ bswap64(where it is stored).
 *
 *   c->freelist --> [obj 1] --> [obj 2] --> ... --> [obj n-1] --> NULL
 *   c->slab     --> the slab those objects belong to (frozen: this CPU owns it)
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "host/printk_capture.h"
#include "kernel/setup.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/slub_def.h"

#include "freelist.h"

/* 1-64 MiB of RAM, then the boot's memory set-up and SLUB, as start_kernel does. */
static void boot(void)
{
	boot_machine_with_slab(ram_64m, 1, NULL);
}

/* One Criterion run grades every test: one that never ends fails alone, after 10 s. */
TestSuite(lab07, .timeout = 5);

/* ---- the per-cpu freelist ----------------------------------------------------------- */

static struct kmem_cache_cpu *cpu(struct kmem_cache *s)
{
	return &s->cpu_slab[0];
}

/* A plain cache of 100-byte objects: a stride of 104, 39 objects in a one-page slab. */
static struct kmem_cache *new_cache(void)
{
	struct kmem_cache *s = kmem_cache_create("lab7", 100, 0, 0, NULL);

	cr_assert_not_null(s);
	cr_assert_eq(s->size, 104);
	cr_assert_eq(oo_objects(s->oo), 39);
	cr_assert_eq(oo_order(s->oo), 0);
	return s;
}

/* The allocation that just returned @p came from the CPU's active slab. */
static struct page *assert_cpu_slab(struct kmem_cache *s, void *p)
{
	struct page *slab = virt_to_head_page(p);

	cr_assert_eq(cpu(s)->slab, slab, "the object did not come from the CPU's slab "
		     "(c->slab = %p, the object's slab %p)", (void *)cpu(s)->slab, (void *)slab);
	cr_assert(slab->frozen, "the CPU's slab is frozen");
	return slab;
}

/*
 * A new cache's first allocation: the CPU takes a whole new slab.  The slab itself keeps
 * no free object (they are all the CPU's now) and counts all 39 as in use; the CPU's
 * freelist holds the other 38, in address order.
 *
 *   slab:  [p][1][2][3] ... [38]          c->freelist --> 1 --> 2 --> ... --> 38 --> NULL
 */
Test(lab07, the_first_allocation_gives_the_cpu_a_whole_slab)
{
	struct kmem_cache *s;
	struct page *slab;
	char *p, *q;

	boot();
	s = new_cache();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	slab = assert_cpu_slab(s, p);
	cr_assert_eq(p, page_address(slab), "the first object is at the start of the slab");
	cr_assert_null(slab->freelist, "the slab's objects all went to the CPU");
	cr_assert_eq(slab->inuse, slab->objects, "a frozen slab counts every object as in use");
	q = cpu(s)->freelist;
	for (int i = 1; i < 39; i++) {
		cr_assert_eq(q, p + i * 104, "object %d of the CPU's freelist is %p, not %p", i,
			     (void *)q, (void *)(p + i * 104));
		q = next_free(s, q);
	}
	cr_assert_null(q, "the CPU's freelist ends after 38 objects");
}

/* Each allocation takes the head of the CPU's freelist; the head moves to the next. */
Test(lab07, an_allocation_pops_the_cpu_freelist)
{
	struct kmem_cache *s;
	void *p, *head, *next;

	boot();
	s = new_cache();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_cpu_slab(s, p);
	for (int i = 0; i < 10; i++) {
		head = cpu(s)->freelist;
		next = next_free(s, head);
		p = kmem_cache_alloc(s, GFP_KERNEL);
		cr_assert_eq(p, head, "allocation %d returned %p; the head of the freelist was %p",
			     i + 2, p, head);
		cr_assert_eq(cpu(s)->freelist, next, "after allocation %d the freelist still "
			     "starts at %p", i + 2, cpu(s)->freelist);
	}
	cr_assert_eq(freelist_length(s, cpu(s)->freelist, 39), 28);
}

/*
 * Freeing an object of the CPU's slab pushes it on the CPU's freelist: it links to the
 * old head and becomes the head.  The slab's counters do not move (the CPU owns it).
 *
 *   free(b):  c->freelist --> b --> [old head] --> ...
 *   free(a):  c->freelist --> a --> b --> [old head] --> ...
 */
Test(lab07, a_free_is_pushed_on_the_cpu_freelist)
{
	struct kmem_cache *s;
	struct page *slab;
	void *a, *b, *c, *head;

	boot();
	s = new_cache();
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	slab = assert_cpu_slab(s, c);
	head = cpu(s)->freelist;
	kmem_cache_free(s, b);
	cr_assert_eq(cpu(s)->freelist, b, "the freed object heads the CPU's freelist");
	cr_assert_eq(next_free(s, b), head, "and links to the old head");
	kmem_cache_free(s, a);
	cr_assert_eq(cpu(s)->freelist, a);
	cr_assert_eq(next_free(s, a), b);
	cr_assert_null(slab->freelist, "the slab's own freelist is not touched");
	cr_assert_eq(slab->inuse, slab->objects, "nor its counters");
	cr_assert_eq(freelist_length(s, cpu(s)->freelist, 39), 38);
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), a, "last in, first out");
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), b);
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), head);
}

/*
 * An object of another slab is not the CPU's to keep: it goes back on its own slab's
 * freelist (the slow path), and the CPU's freelist does not change.
 */
Test(lab07, a_free_to_another_slab_goes_to_that_slab)
{
	struct kmem_cache *s;
	struct page *first, *second;
	void *objs[40], *head;

	boot();
	s = new_cache();
	for (int i = 0; i < 40; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	first = virt_to_head_page(objs[0]);
	second = assert_cpu_slab(s, objs[39]);
	cr_assert_neq(first, second, "39 objects filled the first slab");
	head = cpu(s)->freelist;
	kmem_cache_free(s, objs[5]);
	cr_assert_eq(cpu(s)->freelist, head, "the CPU's freelist is for its own slab only");
	cr_assert_eq(first->freelist, objs[5], "the object is back on its own slab");
	cr_assert_eq(first->inuse, 38);
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), head);
}

/*
 * Freeing the object that already heads the freelist would link it to itself, and hand
 * it out twice.  The hardened freelist refuses it with a report, and the kernel goes on.
 */
Test(lab07, a_double_free_is_refused)
{
	struct kmem_cache *s;
	void *p, *q, *head;

	boot();
	s = new_cache();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_cpu_slab(s, p);
	head = cpu(s)->freelist;
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	cr_assert_eq(slab_bug_count(), 1, "the second free is reported:\n%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf, "freed onto itself (double free or corruption)"), "%s",
		  host_printk_buf);
	cr_assert_eq(cpu(s)->freelist, p);
	cr_assert_eq(next_free(s, p), head, "p is on the freelist once, before the old head");
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(q, head, "p is not handed out twice");
}

/*
 * The same mistake in a slab that is not the CPU's: freed twice, the object would head
 * its slab's freelist pointing at itself.  Refused the same way, wherever the slab is.
 */
Test(lab07, a_double_free_into_another_slab_is_refused)
{
	struct kmem_cache *s;
	struct page *first;
	void *objs[40];

	boot();
	s = new_cache();
	for (int i = 0; i < 40; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	first = virt_to_head_page(objs[0]);
	cr_assert_neq(first, cpu(s)->slab, "39 objects filled the first slab");
	kmem_cache_free(s, objs[5]);
	kmem_cache_free(s, objs[5]);
	cr_assert_eq(slab_bug_count(), 1, "the second free is reported:\n%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf, "freed onto itself (double free or corruption)"), "%s",
		  host_printk_buf);
	cr_assert_eq(first->freelist, objs[5]);
	cr_assert_neq(next_free(s, objs[5]), objs[5], "the object is not linked to itself");
	cr_assert_eq(first->inuse, 38, "counted free once");
}

/* kzalloc and kmem_cache_zalloc zero the object, also when it comes off the freelist. */
Test(lab07, a_zeroed_allocation_is_zeroed_on_the_fast_path_too)
{
	struct kmem_cache *s;
	u8 *p, *q;
	void *next;

	boot();
	s = new_cache();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_cpu_slab(s, p);
	memset(p, 0xee, 100);
	kmem_cache_free(s, p);
	next = next_free(s, p);
	q = kmem_cache_zalloc(s, GFP_KERNEL);
	cr_assert_eq(q, p, "the object just freed comes back");
	for (int i = 0; i < 100; i++)
		cr_assert_eq(q[i], 0, "byte %d of a zeroed allocation is %#x", i, q[i]);
	cr_assert_eq(cpu(s)->freelist, next, "and the freelist moved on");
}

/*
 * When the CPU lets go of its slab (kmem_cache_shrink flushes it), every object on the
 * CPU's freelist goes back on the slab's freelist, and the slab counts only the objects
 * really in use.  Once those are freed, shrink gives the page back.
 */
Test(lab07, letting_go_of_the_slab_gives_back_every_free_object)
{
	struct kmem_cache *s;
	struct page *slab;
	unsigned long before, after;
	void *p[5];

	boot();
	s = new_cache();
	slab_meminfo(NULL, &before); /* after creation: the cache's name took a kmalloc slab */
	for (int i = 0; i < 5; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slab = assert_cpu_slab(s, p[0]);
	kmem_cache_free(s, p[1]);
	kmem_cache_free(s, p[3]);
	kmem_cache_shrink(s);
	cr_assert_null(cpu(s)->slab, "shrink flushes the CPU's slab");
	cr_assert_null(cpu(s)->freelist);
	cr_assert_not(slab->frozen, "the slab is no longer the CPU's");
	cr_assert_eq(slab->inuse, 3, "3 objects are in use, the slab counts %u", slab->inuse);
	cr_assert_eq(freelist_length(s, slab->freelist, 39), 36, "36 objects free on the slab, "
		     "found %u", freelist_length(s, slab->freelist, 39));
	cr_assert(on_freelist(s, slab->freelist, p[1], 39) && on_freelist(s, slab->freelist, p[3], 39));
	cr_assert_not(on_freelist(s, slab->freelist, p[0], 39) ||
		      on_freelist(s, slab->freelist, p[2], 39) ||
		      on_freelist(s, slab->freelist, p[4], 39), "an object in use is on the freelist");
	cr_assert_eq(s->node[0]->nr_partial, 1, "a slab with free objects is on the partial list");
	kmem_cache_free(s, p[0]);
	kmem_cache_free(s, p[2]);
	kmem_cache_free(s, p[4]);
	kmem_cache_shrink(s);
	cr_assert_eq(s->node[0]->nr_slabs, 0, "the empty slab went back to the page allocator");
	slab_meminfo(NULL, &after);
	cr_assert_eq(after, before, "every slab page is back");
	kmem_cache_destroy(s);
	cr_assert_null(kmem_cache_find("lab7"));
	cr_assert_eq(slab_bug_count(), 0, "%s", host_printk_buf);
}

/* Many objects, freed and allocated in a scrambled order: nothing lost, nothing twice. */
Test(lab07, objects_are_never_lost_or_handed_out_twice)
{
	static u8 *live[300];
	unsigned long before, after, seed = 7;
	struct kmem_cache *s;

	boot();
	s = new_cache();
	slab_meminfo(NULL, &before);
	live[0] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_cpu_slab(s, live[0]);
	memset(live[0], 0, 100);
	for (int round = 0; round < 6000; round++) {
		int i = (int)((seed = seed * 6364136223846793005UL + 1442695040888963407UL) >> 33) % 300;

		if (live[i]) {
			for (int k = 0; k < 100; k++)
				cr_assert_eq(live[i][k], (u8)i, "object %d was overwritten", i);
			kmem_cache_free(s, live[i]);
			live[i] = NULL;
		} else {
			live[i] = kmem_cache_alloc(s, GFP_KERNEL);
			cr_assert_not_null(live[i]);
			memset(live[i], i, 100);
		}
		if (round % 1000 == 999)
			kmem_cache_shrink(s);
	}
	for (int i = 0; i < 300; i++)
		kmem_cache_free(s, live[i]);
	kmem_cache_shrink(s);
	slab_meminfo(NULL, &after);
	cr_assert_eq(after, before, "%lu slab pages left after freeing everything", after - before);
	kmem_cache_destroy(s);
	cr_assert_null(kmem_cache_find("lab7"), "every object came back: the cache is gone");
	cr_assert_eq(slab_bug_count(), 0, "%s", host_printk_buf);
}

/* ---- the slow paths: where the CPU's next slab comes from, where a freed object goes -- */

/* Allocate @n objects of @s into @objs, every one of them checked. */
static void alloc_n(struct kmem_cache *s, void **objs, int n)
{
	for (int i = 0; i < n; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		cr_assert_not_null(objs[i], "allocation %d failed", i + 1);
	}
}

/*
 * The 40th allocation finds the CPU's freelist empty and its slab full: the CPU lets go
 * of that slab (full: on no list, every object counted in use) and takes a new one.
 */
Test(lab07, a_full_cpu_slab_is_let_go_for_a_new_one)
{
	struct kmem_cache *s;
	struct page *first, *second;
	void *objs[40];

	boot();
	s = new_cache();
	alloc_n(s, objs, 40);
	first = virt_to_head_page(objs[0]);
	second = assert_cpu_slab(s, objs[39]);
	cr_assert_neq(first, second, "39 objects fill one slab; the 40th comes from another");
	cr_assert_not(first->frozen, "the full slab is no longer the CPU's");
	cr_assert_eq(first->inuse, 39, "the full slab counts %u objects in use", first->inuse);
	cr_assert_null(first->freelist, "the full slab has no free object");
	cr_assert_eq(s->node[0]->nr_partial, 0, "a full slab is on no partial list");
	cr_assert_null(cpu(s)->partial, "nor on the CPU's");
	cr_assert_eq(s->node[0]->nr_slabs, 2, "%lu slabs for 40 objects", s->node[0]->nr_slabs);
	cr_assert_eq(second->inuse, 39);
	cr_assert_eq(freelist_length(s, cpu(s)->freelist, 39), 38);
}

/*
 * A slab that was full and gets an object back waits on the CPU's partial list, frozen,
 * so that later frees to it are a plain push and the CPU finds it again before asking
 * the node or the buddy allocator.  When the CPU's own slab runs out, it takes that one.
 */
Test(lab07, a_slab_that_was_full_is_reused_before_a_new_one)
{
	struct kmem_cache *s;
	struct page *first, *second;
	void *objs[40], *more[38], *p;

	boot();
	s = new_cache();
	alloc_n(s, objs, 40);
	first = virt_to_head_page(objs[0]);
	second = assert_cpu_slab(s, objs[39]);
	kmem_cache_free(s, objs[5]);
	kmem_cache_free(s, objs[7]);
	cr_assert_eq(first->inuse, 37, "two objects freed to a full slab: %u in use", first->inuse);
	cr_assert(on_freelist(s, first->freelist, objs[5], 39) &&
		  on_freelist(s, first->freelist, objs[7], 39), "they are on their slab's freelist");
	cr_assert_eq(cpu(s)->partial, first, "the slab waits on the CPU's partial list");
	cr_assert(first->frozen, "frozen: the CPU keeps it");
	cr_assert_eq(s->node[0]->nr_partial, 0, "not on the node's list");
	alloc_n(s, more, 38); /* the rest of the CPU's slab */
	cr_assert_eq(cpu(s)->slab, second);
	cr_assert_null(cpu(s)->freelist);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert(p == objs[5] || p == objs[7], "the CPU's slab is full: the next object comes "
		  "from the slab on its partial list, not %p", p);
	cr_assert_eq(cpu(s)->slab, first, "that slab is now the CPU's");
	cr_assert(first->frozen && first->inuse == 39 && !first->freelist,
		  "frozen, all its objects the CPU's (frozen %u, inuse %u)", first->frozen, first->inuse);
	cr_assert_null(cpu(s)->partial, "it left the CPU's partial list");
	cr_assert_eq(s->node[0]->nr_slabs, 2, "no new slab: %lu slabs", s->node[0]->nr_slabs);
	cr_assert_not(second->frozen, "the full slab was let go");
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), p == objs[5] ? objs[7] : objs[5]);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_neq(virt_to_head_page(p), first, "both slabs are full again");
	cr_assert_neq(virt_to_head_page(p), second);
	cr_assert_eq(s->node[0]->nr_slabs, 3, "so the next object needs a new slab");
}

/* A slab on the node's partial list (put there by a shrink) is taken before a new slab. */
Test(lab07, a_slab_on_the_node_partial_list_is_reused_before_a_new_one)
{
	struct kmem_cache *s;
	struct page *slab;
	void *objs[3], *p;

	boot();
	s = new_cache();
	alloc_n(s, objs, 3);
	slab = assert_cpu_slab(s, objs[0]);
	kmem_cache_shrink(s);
	cr_assert_eq(s->node[0]->nr_partial, 1, "the shrink put the slab on the node's list");
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(virt_to_head_page(p), slab, "the allocation did not use the partial slab");
	assert_cpu_slab(s, p);
	cr_assert_eq(s->node[0]->nr_partial, 0, "the slab left the node's list");
	cr_assert_eq(s->node[0]->nr_slabs, 1, "no new slab");
	cr_assert_eq(slab->inuse, 39, "a frozen slab counts every object in use");
	cr_assert_eq(freelist_length(s, cpu(s)->freelist, 39), 35, "the CPU holds the other 35 "
		     "free objects");
}

/*
 * Another CPU frees to a slab it does not own by pushing on that slab's own freelist,
 * even when the slab is this CPU's active one.  Here the test plays that CPU: this
 * CPU's freelist moves to the slab, as 38 remote frees would leave it.  The CPU's next
 * refill must take those objects, keep its slab, and need no other.
 */
Test(lab07, objects_freed_to_the_cpu_slab_from_outside_are_taken_first)
{
	struct kmem_cache *s;
	struct page *slab;
	void *objs[40], *p, *head;

	boot();
	s = new_cache();
	alloc_n(s, objs, 40); /* a second slab, and a first one to fall back on... */
	kmem_cache_free(s, objs[0]); /* ...on the CPU's partial list */
	slab = assert_cpu_slab(s, objs[39]);
	head = cpu(s)->freelist;
	slab->freelist = head;
	slab->inuse -= freelist_length(s, head, 39);
	cpu(s)->freelist = NULL;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(p, head, "the refill did not take the active slab's own free objects");
	cr_assert_eq(cpu(s)->slab, slab, "the CPU keeps its slab");
	cr_assert(slab->frozen && slab->inuse == 39 && !slab->freelist,
		  "frozen, every object the CPU's (frozen %u, inuse %u)", slab->frozen, slab->inuse);
	cr_assert_eq(freelist_length(s, cpu(s)->freelist, 39), 37);
	cr_assert_not_null(cpu(s)->partial, "the partial slab is still there for later");
}

/*
 * An empty slab goes back to the buddy allocator only while its node keeps at least
 * min_partial (here 5) slabs on the partial list: a node that keeps a few empty-able
 * slabs does not return pages it will need again in a moment.
 */
Test(lab07, an_empty_slab_is_freed_only_beyond_min_partial)
{
	static void *objs[7 * 39];
	struct kmem_cache *s;
	unsigned long slabs;

	boot();
	s = new_cache();
	cr_assert_eq(s->min_partial, 5);
	alloc_n(s, objs, 7 * 39); /* seven full slabs */
	for (int k = 0; k < 6; k++) /* one free object in each of the first six */
		kmem_cache_free(s, objs[k * 39]);
	kmem_cache_shrink(s);
	cr_assert_eq(s->node[0]->nr_partial, 6, "six partial slabs after the shrink");
	cr_assert_eq(s->node[0]->nr_slabs, 7);
	for (int k = 0; k < 3; k++) {
		slabs = s->node[0]->nr_slabs;
		for (int i = 1; i < 39; i++)
			kmem_cache_free(s, objs[k * 39 + i]);
		if (k < 2)
			cr_assert_eq(s->node[0]->nr_slabs, slabs - 1, "slab %d emptied with %lu "
				     "partial slabs on the node: it goes back to the buddy allocator",
				     k + 1, s->node[0]->nr_partial + 1);
		else
			cr_assert_eq(s->node[0]->nr_slabs, slabs, "slab 3 emptied with only 4 "
				     "partial slabs on the node: it stays, below min_partial");
	}
	cr_assert_eq(s->node[0]->nr_partial, 4);
	cr_assert_eq(slab_bug_count(), 0, "%s", host_printk_buf);
}

/*
 * A cache being debugged never gives the CPU a slab: every object goes through the
 * checks, one at a time, from a slab on the node's list - and a double free is caught
 * by the checks before it reaches any freelist.
 */
Test(lab07, a_debugging_cache_takes_one_object_at_a_time_through_the_checks)
{
	struct kmem_cache *s;
	struct page *slab;
	void *p, *q;

	boot();
	s = kmem_cache_create("lab7-debug", 100, 0, SLAB_DEBUG_FLAGS, NULL);
	cr_assert_not_null(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert(p && q);
	slab = virt_to_head_page(p);
	cr_assert_null(cpu(s)->slab, "a debugging cache gave the CPU a slab");
	cr_assert_null(cpu(s)->freelist);
	cr_assert_not(slab->frozen);
	cr_assert_eq(slab->inuse, 2, "two objects in use, the slab counts %u", slab->inuse);
	cr_assert_eq(s->node[0]->nr_partial, 1, "the slab is on the node's partial list");
	kmem_cache_free(s, q);
	cr_assert_eq(slab->inuse, 1);
	cr_assert_eq(slab->freelist, q, "the object is back on its slab");
	cr_assert_eq(slab_bug_count(), 0, "%s", host_printk_buf);
	kmem_cache_free(s, q);
	cr_assert_eq(slab_bug_count(), 1, "the second free of q is reported");
	cr_assert(strstr(host_printk_buf, "Object already free"), "%s", host_printk_buf);
	cr_assert_eq(slab->inuse, 1, "and dropped: %u in use", slab->inuse);
	kmem_cache_free(s, p);
	cr_assert_eq(slab->inuse, 0);
	kmem_cache_destroy(s);
	cr_assert_null(kmem_cache_find("lab7-debug"), "every object came back: the cache is gone");
}
