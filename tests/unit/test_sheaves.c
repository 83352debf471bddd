// SPDX-License-Identifier: MIT
/*
 * SLUB's per-CPU sheaves and the barn (Linux 6.18; mm/slub.c, "per-CPU sheaves") on the
 * host: the real mm/ code on a 64 MiB machine, one CPU unless a test plays several
 * (tests/host/include/arch/smp.h's per-thread CPU id).  What a sheaf holds is checked
 * with slab_sheaves_count(), what the slabs hold with the node's counters, and every
 * test ends with a shrink that must leave neither a sheaf nor a slab behind.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "host/printk_capture.h"
#include "kernel/selftest.h"
#include "lib/seq_file.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/vmstat.h"

static void boot(const char *cmdline)
{
	boot_machine_with_slab(ram_64m, 1, cmdline);
}

static struct kmem_cache *sheaved(const char *name, unsigned int size, unsigned int capacity)
{
	struct kmem_cache_args args = { .sheaf_capacity = capacity };
	struct kmem_cache *s = __kmem_cache_create_args(name, size, &args, 0);

	cr_assert_not_null(s);
	return s;
}

static struct sheaves_count count(struct kmem_cache *s)
{
	struct sheaves_count c;

	slab_sheaves_count(s, &c);
	return c;
}

Test(sheaves, only_caches_that_ask_have_them_by_default)
{
	boot(NULL);
	cr_assert_null(kmalloc_caches[KMALLOC_NORMAL][6]->cpu_sheaves, "kmalloc-64: 6.18 gives none");
	struct kmem_cache *s = sheaved("t-sheaves", 100, 16);
	struct kmem_cache *plain = kmem_cache_create("t-plain", 100, 0, 0, NULL);

	cr_assert_not_null(s->cpu_sheaves);
	cr_assert_eq(s->sheaf_capacity, 16);
	cr_assert_null(plain->cpu_sheaves);
	cr_assert_eq(plain->sheaf_capacity, 0);
	cr_assert_null(__kmem_cache_create_args("t-huge", 100,
		&(struct kmem_cache_args){ .sheaf_capacity = SHEAF_CAPACITY_MAX + 1 }, 0));
	kmem_cache_destroy(s);
	kmem_cache_destroy(plain);
}

Test(sheaves, slub_sheaves_all_gives_linux_7_0_capacities)
{
	boot("slub_sheaves=all");
	/* 60 / 26 / 12 / 4 by size, rounded up to fill a kmalloc size class */
	cr_assert_eq(kmalloc_caches[KMALLOC_NORMAL][6]->sheaf_capacity, 60);   /* 64: 512 B */
	cr_assert_eq(kmalloc_caches[KMALLOC_NORMAL][8]->sheaf_capacity, 28);   /* 256: 256 B */
	cr_assert_eq(kmalloc_caches[KMALLOC_NORMAL][10]->sheaf_capacity, 12);  /* 1k: 128 B */
	cr_assert_eq(kmalloc_caches[KMALLOC_NORMAL][12]->sheaf_capacity, 4);   /* 4k: 64 B */
	cr_assert_null(kmem_cache->cpu_sheaves, "the boot caches have none");
	struct kmem_cache *s = kmem_cache_create("t-all", 100, 0, 0, NULL);

	cr_assert_eq(s->sheaf_capacity, 60);
	kmem_cache_destroy(s);
}

Test(sheaves, a_debugging_cache_never_has_sheaves)
{
	boot("slub_debug=FZ,t-debug slub_sheaves=all");
	struct kmem_cache *s = sheaved("t-debug", 64, 8);

	cr_assert_null(s->cpu_sheaves);
	cr_assert_eq(s->sheaf_capacity, 0);
	kmem_cache_destroy(s);
}

Test(sheaves, main_spare_then_barn_then_slabs)
{
	static void *objs[200];
	struct kmem_cache *s;
	struct sheaves_count c;

	boot(NULL);
	s = sheaved("t-barn", 64, 8);
	for (int i = 0; i < 200; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	c = count(s);
	cr_assert_eq(c.cpu_objects, 0, "200 = 25 refills of 8, all handed out");
	for (int i = 0; i < 200; i++)
		kmem_cache_free(s, objs[i]);
	c = count(s);
	/* main + spare 16, the barn's limit of 10 full sheaves 80, the rest flushed */
	cr_assert_eq(c.cpu_objects, 16);
	cr_assert_eq(c.barn_full, MAX_FULL_SHEAVES);
	cr_assert_eq(c.barn_objects, 8 * MAX_FULL_SHEAVES);
	cr_assert_eq(s->cpu_sheaves[0].stat[BARN_PUT_FAIL], 200 / 8 - 2 - MAX_FULL_SHEAVES);
	/* the barn's full sheaves come back before any slab is touched */
	for (int i = 0; i < 16 + 8; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(s->cpu_sheaves[0].stat[BARN_GET], 1);
	c = count(s);
	cr_assert_eq(c.barn_full, MAX_FULL_SHEAVES - 1);
	for (int i = 0; i < 16 + 8; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s);
	c = count(s);
	cr_assert_eq(c.cpu_objects + c.barn_objects + c.barn_full + c.barn_empty, 0);
	cr_assert_eq(s->node[0]->nr_slabs, 0, "every slab back to the buddy allocator");
	kmem_cache_destroy(s);
}

Test(sheaves, lifo_zeroing_and_double_free)
{
	struct kmem_cache *s;
	u8 *p, *q;

	boot(NULL);
	s = sheaved("t-lifo", 64, 8);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 0xab, 64);
	kmem_cache_free(s, p);
	q = kmem_cache_zalloc(s, GFP_KERNEL);
	cr_assert_eq(q, p, "the object freed last comes back first");
	for (int i = 0; i < 64; i++)
		cr_assert_eq(q[i], 0, "__GFP_ZERO from a sheaf");
	kmem_cache_free(s, q);
	host_printk_reset();
	kmem_cache_free(s, q);
	cr_assert(strstr(host_printk_buf, "freed onto itself"), "%s", host_printk_buf);
	cr_assert_eq(count(s).cpu_objects, 8, "the second free was dropped: main stays full");
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), q);
	cr_assert_neq(kmem_cache_alloc(s, GFP_KERNEL), q, "handed out once only");
}

Test(sheaves, destroy_returns_every_page)
{
	static void *objs[600];
	unsigned long before, after;
	struct kmem_cache *s;

	boot("slub_sheaves=all");
	kmalloc_caches_shrink();
	slab_meminfo(NULL, &before);
	s = kmem_cache_create("t-pages", 700, 0, 0, NULL);
	for (int i = 0; i < 600; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 600; i++)
		kmem_cache_free(s, objs[i]);
	host_printk_reset();
	kmem_cache_destroy(s);
	cr_assert_null(strstr(host_printk_buf, "still has objects"), "%s", host_printk_buf);
	kmalloc_caches_shrink();
	slab_meminfo(NULL, &after);
	cr_assert_eq(after, before, "slab pages: %lu before, %lu after", before, after);
}

Test(sheaves, the_slub_selftests_pass_with_every_cache_sheaved)
{
	static char out[1 << 16];
	struct seq_file m;

	boot("slub_sheaves=all");
	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(selftest_run(&m, "slub"), 0, "%s", out);
	cr_assert_null(strstr(out, "not ok"), "%s", out);
}

Test(sheaves, a_caller_that_cannot_wait_gets_no_refill)
{
	struct kmem_cache *s;
	void *p, *q;

	boot(NULL);
	s = sheaved("t-atomic", 64, 60);
	p = kmem_cache_alloc(s, GFP_ATOMIC);
	cr_assert_not_null(p, "from the CPU slab");
	cr_assert_eq(s->cpu_sheaves[0].stat[SHEAF_REFILL], 0, "no sheaf of 60 for one GFP_ATOMIC");
	cr_assert_eq(s->cpu_sheaves[0].stat[ALLOC_PCS], 0);
	kmem_cache_free(s, p); /* into a new main sheaf: a free needs no refill */
	cr_assert_eq(kmem_cache_alloc(s, GFP_ATOMIC), p, "back from the sheaf, no refill needed");
	q = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(s->cpu_sheaves[0].stat[SHEAF_REFILL], 60, "a caller that may wait refills");
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

Test(sheaves, the_counters_balance_after_a_shrink)
{
	static void *objs[200];
	struct kmem_cache *s;
	unsigned int *st;

	boot(NULL);
	s = sheaved("t-stats", 64, 8);
	st = s->cpu_sheaves[0].stat;
	for (int i = 0; i < 200; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 200; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s);
	cr_assert_eq(st[SHEAF_ALLOC], st[SHEAF_FREE], "every sheaf allocated was freed: %u, %u",
		     st[SHEAF_ALLOC], st[SHEAF_FREE]);
	cr_assert_eq(st[SHEAF_REFILL] + st[FREE_PCS], st[SHEAF_FLUSH] + st[ALLOC_PCS],
		     "objects into sheaves (%u refilled, %u freed) = out (%u flushed, %u allocated)",
		     st[SHEAF_REFILL], st[FREE_PCS], st[SHEAF_FLUSH], st[ALLOC_PCS]);
	kmem_cache_destroy(s);
}

Test(sheaves, a_barn_whose_counts_lie_is_reported_at_the_shrink)
{
	static void *objs[24];
	struct kmem_cache *s;
	struct node_barn *barn;
	unsigned long reports;

	boot(NULL);
	s = sheaved("t-liar", 64, 4);
	for (int i = 0; i < 24; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 24; i++)
		kmem_cache_free(s, objs[i]);
	barn = s->cpu_sheaves[0].barn;
	cr_assert_eq(barn->nr_full, 4, "24 objects: main, spare and 4 full sheaves in the barn");
	barn->nr_full--; /* as a lost update of an unlocked barn would leave it */
	reports = slab_bug_count();
	host_printk_reset();
	kmem_cache_shrink(s);
	cr_assert_eq(slab_bug_count(), reports + 1);
	cr_assert(strstr(host_printk_buf, "barn lists 4 full and 0 empty sheaves but counts 3 and 0"),
		  "%s", host_printk_buf);
	cr_assert_eq(s->node[0]->nr_slabs, 0, "every object still went back");
	kmem_cache_destroy(s);
}
