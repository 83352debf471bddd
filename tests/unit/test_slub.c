// SPDX-License-Identifier: MIT
/*
 * SLUB on the host: the real mm/slub.c and mm/slab_common.c on the real buddy allocator,
 * which runs on a 64 MiB machine made of memblock + sparse_init + zone_sizes_init +
 * mm_core_init, as start_kernel does.  Each Criterion test is a fresh process, so every
 * test boots its own machine (and may choose its own slub_debug= command line).
 *
 * The debugging tests cover what Linux's lib/slub_kunit.c checks - in our own words:
 * a red zone overwrite, a write to a poisoned free object, a corrupted free pointer, the
 * kmalloc red zone between the requested and the object size - plus what pagelab
 * promises: destroy with a live object, krealloc, size classes, constructors, and every slab
 * page going back to the buddy allocator.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "host/printk_capture.h"
#include "kernel/selftest.h"
#include "kernel/setup.h"
#include "lib/seq_file.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/vmstat.h"

/* 1-64 MiB: ZONE_DMA (the first 16 MiB) and DMA32. */
static void boot(const char *cmdline)
{
	boot_machine_with_slab(ram_64m, 1, cmdline);
}

static const char *printed(void) { return host_printk_buf; }

static struct kmem_cache *cache_of(const void *p)
{
	return virt_to_head_page(p)->slab_cache;
}

static bool logged(const char *s) { return strstr(host_printk_buf, s) != NULL; }

/* ---- bootstrap and size classes ----------------------------------------------------- */

Test(slub, the_cache_of_caches_is_an_object_of_itself)
{
	boot(NULL);
	cr_assert_eq(cache_of(kmem_cache), kmem_cache, "kmem_cache lives in a slab of kmem_cache");
	cr_assert_str_eq(kmem_cache_name(kmem_cache), "kmem_cache");
	cr_assert_not_null(kmem_cache_find("kmem_cache_node"));
	cr_assert_eq(cache_of(kmem_cache_find("kmem_cache_node")), kmem_cache);
}

Test(slub, kmalloc_index_matches_linux_size_classes)
{
	static const struct { size_t size; int index; } t[] = {
		{ 1, 3 }, { 8, 3 }, { 9, 4 }, { 16, 4 }, { 17, 5 }, { 32, 5 }, { 33, 6 },
		{ 64, 6 }, { 65, 1 }, { 96, 1 }, { 97, 7 }, { 128, 7 }, { 129, 2 }, { 192, 2 },
		{ 193, 8 }, { 256, 8 }, { 257, 9 }, { 1024, 10 }, { 1025, 11 }, { 4096, 12 },
		{ 8192, 13 }, { 8193, -1 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		cr_expect_eq(kmalloc_index(t[i].size), t[i].index, "size %zu", t[i].size);
}

Test(slub, runtime_kmalloc_picks_the_same_cache_as_the_constant_path)
{
	static const struct { size_t size; const char *cache; } t[] = {
		{ 1, "kmalloc-8" },     { 24, "kmalloc-32" },  { 65, "kmalloc-96" },
		{ 100, "kmalloc-128" }, { 129, "kmalloc-192" }, { 193, "kmalloc-256" },
		{ 1000, "kmalloc-1k" }, { 2048, "kmalloc-2k" }, { 8192, "kmalloc-8k" },
	};

	boot(NULL);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		void *p = __kmalloc(t[i].size, GFP_KERNEL);

		cr_assert_not_null(p);
		cr_expect_str_eq(kmem_cache_name(cache_of(p)), t[i].cache, "size %zu", t[i].size);
		cr_expect_geq(ksize(p), t[i].size);
		kfree(p);
	}
	cr_assert_str_eq(kmem_cache_name(cache_of(kmalloc(100, GFP_KERNEL))), "kmalloc-128");
}

Test(slub, kmalloc_zero_returns_zero_size_ptr)
{
	boot(NULL);
	cr_assert_eq(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	cr_assert_eq(__kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	cr_assert_eq(ksize(ZERO_SIZE_PTR), 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	cr_assert_eq(slab_bug_count(), 0);
}

Test(slub, dma_requests_come_from_dma_caches_in_zone_dma)
{
	void *p;

	boot(NULL);
	p = kmalloc(100, GFP_KERNEL | __GFP_DMA);
	cr_assert_str_eq(kmem_cache_name(cache_of(p)), "dma-kmalloc-128");
	cr_assert_eq(page_zonenum(virt_to_page(p)), ZONE_DMA);
	kfree(p);
}

Test(slub, large_kmalloc_goes_to_the_page_allocator)
{
	unsigned long before, after;
	void *p;

	boot(NULL);
	slab_meminfo(NULL, &before);
	p = kmalloc(20000, GFP_KERNEL);
	cr_assert_not_null(p);
	cr_assert_not(PageSlab(virt_to_head_page(p)));
	cr_assert_eq(ksize(p), 32768);
	slab_meminfo(NULL, &after);
	cr_assert_eq(after - before, 8, "an order-3 block counts as slab memory");
	kfree(p);
	slab_meminfo(NULL, &after);
	cr_assert_eq(after, before);
	cr_assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
}

Test(slub, kzalloc_kcalloc_zero_and_kcalloc_checks_overflow)
{
	u8 *p;

	boot(NULL);
	p = kmalloc(64, GFP_KERNEL);
	memset(p, 0xee, 64);
	kfree(p);
	p = kzalloc(64, GFP_KERNEL); /* most likely the same object, dirty */
	for (int i = 0; i < 64; i++)
		cr_assert_eq(p[i], 0);
	kfree(p);
	p = kcalloc(10, 10, GFP_KERNEL);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(p[i], 0);
	kfree(p);
	cr_assert_null(kcalloc((size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL));
}

/* ---- caches ----------------------------------------------------------------------- */

static int ctor_calls;

static void count_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x42, 24);
}

Test(slub, ctor_runs_once_per_object_when_the_slab_is_made)
{
	struct kmem_cache *s;
	u8 *p, *q;

	boot(NULL);
	s = kmem_cache_create("ctor_test", 24, 0, 0, count_ctor);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(ctor_calls, oo_objects(s->oo), "every object of the new slab");
	cr_assert_eq(p[0], 0x42);
	kmem_cache_free(s, p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(ctor_calls, oo_objects(s->oo), "no constructor call on reuse");
	cr_assert_eq(q[23], 0x42, "the free pointer is kept outside constructed objects");
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
}

Test(slub, create_checks_arguments_and_names)
{
	boot(NULL);
	cr_assert_null(kmem_cache_create("", 8, 0, 0, NULL));
	cr_assert_null(kmem_cache_create("zero", 0, 0, 0, NULL));
	cr_assert_null(kmem_cache_create("kmalloc-64", 8, 0, 0, NULL), "name in use");
	cr_assert_null(kmem_cache_create("badalign", 8, 12, 0, NULL));
	cr_assert_not_null(kmem_cache_create("ok", 1, 0, 0, NULL));
}

Test(slub, alignment_is_honoured)
{
	struct kmem_cache *s;

	boot(NULL);
	s = kmem_cache_create("aligned", 100, 64, 0, NULL);
	for (int i = 0; i < 100; i++)
		cr_assert_eq((unsigned long)kmem_cache_alloc(s, GFP_KERNEL) % 64, 0);
	for (int i = 0; i < 20; i++)
		cr_assert_eq((unsigned long)kmalloc(128, GFP_KERNEL) % 128, 0, "power-of-two classes");
}

/* Remember every slab of @s so the test can look at the pages after they are freed. */
static int collect_slabs(struct kmem_cache *s, struct page **out, int max)
{
	struct kmem_cache_node *n = s->node[0];
	struct page *slab;
	int nr = 0;

	list_for_each_entry(slab, &n->partial, lru)
		if (nr < max)
			out[nr++] = slab;
	list_for_each_entry(slab, &n->full, lru)
		if (nr < max)
			out[nr++] = slab;
	return nr;
}

static void assert_back_in_buddy(struct page **slabs, int nr)
{
	for (int i = 0; i < nr; i++) {
		cr_assert_not(PageSlab(slabs[i]), "slab %d still PG_slab", i);
		cr_assert_not(PageHead(slabs[i]));
		cr_assert_eq(page_ref_count(slabs[i]), 0, "slab %d not freed", i);
		cr_assert_eq(slabs[i]->_mapcount, -1);
	}
}

Test(slub, destroy_returns_every_slab_page_to_the_buddy_allocator)
{
	static void *objs[2000];
	struct page *slabs[256];
	unsigned long before, during, after;
	struct kmem_cache *s;
	int nr;

	boot(NULL);
	s = kmem_cache_create("destroy_test", 700, 0, 0, NULL); /* order-1 slabs */
	slab_meminfo(NULL, &before); /* after creation: its name took a kmalloc-16 slab */
	cr_assert_eq(oo_order(s->oo), 1);
	for (int i = 0; i < 2000; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 2000; i += 2)
		kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s); /* the active slab joins the lists */
	nr = collect_slabs(s, slabs, 256);
	slab_meminfo(NULL, &during);
	cr_assert_eq(during - before, 2UL * nr, "%lu pages for %d slabs", during - before, nr);
	for (int i = 1; i < 2000; i += 2)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	cr_assert_null(kmem_cache_find("destroy_test"));
	slab_meminfo(NULL, &after);
	cr_assert_eq(after, before);
	assert_back_in_buddy(slabs, nr);
	cr_assert_eq(slab_bug_count(), 0, "%s", printed());
}

Test(slub, empty_slabs_beyond_min_partial_go_back_and_shrink_frees_the_rest)
{
	static void *objs[64 * 20];
	struct kmem_cache *s;
	struct slabinfo si;

	boot(NULL);
	s = kmem_cache_create("shrink_test", 64, 0, 0, NULL);
	for (int i = 0; i < 64 * 20; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	get_slabinfo(s, &si);
	cr_assert_eq(si.num_slabs, 20);
	for (int i = 0; i < 64 * 20; i++)
		kmem_cache_free(s, objs[i]);
	get_slabinfo(s, &si);
	cr_assert_leq(si.num_slabs, s->min_partial + s->cpu_partial_slabs + 1, "%lu slabs kept",
		      si.num_slabs);
	cr_assert_geq(si.num_slabs, s->min_partial, "min_partial empty slabs stay cached");
	kmem_cache_shrink(s);
	get_slabinfo(s, &si);
	cr_assert_eq(si.num_slabs, 0);
}

Test(slub, fast_path_reuses_the_last_freed_object)
{
	struct kmem_cache *s;
	void *p, *q;

	boot(NULL);
	s = kmem_cache_create("lifo", 32, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(p, q, "LIFO on the per-cpu freelist: cache-hot reuse");
}

Test(slub, free_pointer_is_stored_hardened)
{
	struct kmem_cache *s;
	void *p, *q;

	boot(NULL);
	s = kmem_cache_create("hardened", 64, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p); /* p's free pointer now leads to q */
	cr_assert_neq(*(void **)((char *)p + s->offset), q, "not the plain pointer");
	cr_assert_eq((unsigned long)*(void **)((char *)p + s->offset),
		     (unsigned long)q ^ s->random ^ __builtin_bswap64((unsigned long)p + s->offset));
	cr_assert_eq(s->offset, 32, "in the middle of the object, as Linux 5.7+");
}

Test(slub, random_kmalloc_kfree_keeps_objects_apart)
{
	static struct { u8 *p; size_t n; u8 fill; } live[500];
	unsigned long seed = 1;

	boot(NULL);
	for (int round = 0; round < 20000; round++) {
		int i = (seed = seed * 6364136223846793005UL + 1442695040888963407UL) >> 33;

		i %= 500;
		if (live[i].p) {
			for (size_t k = 0; k < live[i].n; k++)
				cr_assert_eq(live[i].p[k], live[i].fill, "object %d overwritten", i);
			kfree(live[i].p);
			live[i].p = NULL;
		} else {
			live[i].n = 1 + (seed >> 13) % 1500;
			live[i].fill = (u8)round;
			live[i].p = __kmalloc(live[i].n, GFP_KERNEL);
			cr_assert_not_null(live[i].p);
			memset(live[i].p, live[i].fill, live[i].n);
		}
	}
	cr_assert_eq(slab_bug_count(), 0);
}

Test(slub, slabinfo_has_linux_layout)
{
	char buf[8192];
	struct seq_file m;
	void *p;

	boot(NULL);
	p = kmalloc(100, GFP_KERNEL);
	seq_buf_init(&m, buf, sizeof(buf));
	slabinfo_show(&m);
	cr_assert(strstr(buf, "slabinfo - version: 2.1\n"
			      "# name            <active_objs> <num_objs> <objsize> <objperslab> "
			      "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
			      "<active_slabs> <num_slabs> <sharedavail>\n") == buf, "%s", buf);
	cr_assert(strstr(buf, "\nkmalloc-128           32     32    128   32    1 : tunables    0    0"
			      "    0 : slabdata      1      1      0\n"), "%s", buf);
	cr_assert(strstr(buf, "\nkmalloc-8k             0      0   8192    4    8 :"), "%s", buf);
	cr_assert(strstr(buf, "\nkmem_cache_node ") && strstr(buf, "\nkmem_cache "));
	cr_assert(strstr(buf, "kmalloc-8 ") < strstr(buf, "kmem_cache_node"), "newest first");
	kfree(p);
}

/* ---- debugging ------------------------------------------------------------------------ */

#define DEBUG_ALL (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

Test(slub, right_red_zone_overwrite_is_reported_and_repaired)
{
	struct kmem_cache *s;
	u8 *p;

	boot(NULL);
	s = kmem_cache_create("TestSlub_RZ_alloc", 64, 0, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[64] = 0x12;
	kmem_cache_free(s, p);
	cr_assert(logged("BUG TestSlub_RZ_alloc (Not tainted): Right Redzone overwritten\n"), "%s",
		  printed());
	cr_assert(logged("First byte 0x12 instead of 0xcc\n"));
	cr_assert(logged("FIX TestSlub_RZ_alloc: Restoring Right Redzone 0x"));
	cr_assert(logged("FIX TestSlub_RZ_alloc: Object at 0x"));
	cr_assert_eq(p[64], SLUB_RED_ACTIVE, "repaired");
	host_printk_reset();
	kmem_cache_free(s, p);
	cr_assert_eq(host_printk_buf[0], '\0', "the repaired object frees cleanly: %s", printed());
	kmem_cache_destroy(s);
	cr_assert_null(kmem_cache_find("TestSlub_RZ_alloc"));
}

Test(slub, left_red_zone_underflow_is_reported)
{
	struct kmem_cache *s;
	u8 *p;

	boot(NULL);
	s = kmem_cache_create("TestSlub_RZ_left", 64, 0, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[-1] = 0x34;
	cr_assert_eq(kmem_cache_validate(s), 1);
	cr_assert(logged("Left Redzone overwritten"), "%s", printed());
	cr_assert(logged("Redzone  "), "the red zone is dumped");
	cr_assert_eq(kmem_cache_validate(s), 0, "repaired");
}

Test(slub, write_to_a_poisoned_free_object_is_found_at_the_next_allocation)
{
	struct kmem_cache *s;
	u8 *p, *q;

	boot(NULL);
	s = kmem_cache_create("TestSlub_UAF", 64, 0, DEBUG_ALL, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(p[0], POISON_FREE, "objects stay poisoned when handed out, as in Linux");
	cr_assert_eq(p[63], POISON_END);
	kmem_cache_free(s, p);
	p[16] = 0x12;
	q = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert(logged("): Poison overwritten\n"), "%s", printed());
	cr_assert(logged("First byte 0x12 instead of 0x6b\n"));
	cr_assert(logged("Allocated in ") && logged("Freed in "), "owner tracking");
	cr_assert(logged("Object   "), "a hex dump of the object");
	cr_assert(logged("FIX TestSlub_UAF: Marking all objects used\n"));
	cr_assert_not_null(q);
	cr_assert_neq(virt_to_head_page(q), virt_to_head_page(p), "the damaged slab is isolated");
	cr_assert_eq(p[16], POISON_FREE, "restored");
}

Test(slub, write_after_free_found_by_validate)
{
	struct kmem_cache *s;
	u8 *p;

	boot(NULL);
	s = kmem_cache_create("TestSlub_validate", 64, 0, SLAB_POISON, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	p[10] = 0x12;
	cr_assert_eq(kmem_cache_validate(s), 1, "%s", printed());
	cr_assert(logged("Poison overwritten"));
	cr_assert_eq(kmem_cache_validate(s), 0);
}

Test(slub, corrupted_free_pointer_is_detected_and_the_chain_cut)
{
	struct kmem_cache *s;
	struct slabinfo si;
	void *p, *q, *r;

	boot(NULL);
	s = kmem_cache_create("TestSlub_next_ptr", 64, 0, SLAB_CONSISTENCY_CHECKS | SLAB_POISON, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);
	*(unsigned long *)((char *)p + s->offset) = 0x1234; /* garbage once decoded */
	cr_assert_geq(kmem_cache_validate(s), 2, "%s", printed());
	cr_assert(logged("): Freechain corrupt\n"));
	cr_assert(logged("): Wrong object count. Counter is "));
	cr_assert(logged("FIX TestSlub_next_ptr: Object count adjusted\n"));
	cr_assert_eq(kmem_cache_validate(s), 0, "repaired: %s", printed());
	get_slabinfo(s, &si);
	r = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(r, p, "the object before the cut is still usable");
	r = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_neq(r, q, "the objects after the cut are isolated");
}

Test(slub, corrupted_free_pointer_is_caught_when_allocated)
{
	struct kmem_cache *s;
	void *p, *q, *r;

	boot(NULL);
	s = kmem_cache_create("TestSlub_fp_alloc", 64, 0, SLAB_CONSISTENCY_CHECKS | SLAB_POISON, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);
	*(void **)((char *)p + s->offset) = q; /* a plain address: decodes to garbage */
	r = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert(logged("): Freepointer corrupt\n"), "%s", printed());
	cr_assert(logged("FIX TestSlub_fp_alloc: Marking all objects used\n"));
	cr_assert_not_null(r);
	cr_assert_neq(virt_to_head_page(r), virt_to_head_page(p));
}

Test(slub, kmalloc_red_zone_covers_bytes_past_the_requested_size)
{
	struct kmem_cache *s;
	u8 *p;

	boot(NULL);
	s = kmem_cache_create("TestSlub_RZ_kmalloc", 32, 0,
			      SLAB_KMALLOC | SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_STORE_USER,
			      NULL);
	p = kmalloc_trace(s, GFP_KERNEL, 18);
	for (int i = 18; i < 32; i++)
		cr_assert_eq(p[i], SLUB_RED_ACTIVE, "byte %d", i);
	p[18] = 0xab;
	kfree(p);
	cr_assert(logged("BUG TestSlub_RZ_kmalloc (Not tainted): kmalloc Redzone overwritten\n"), "%s",
		  printed());
	cr_assert(logged("First byte 0xab instead of 0xcc\n"));
	cr_assert(logged("FIX TestSlub_RZ_kmalloc: Restoring kmalloc Redzone 0x"));
}

Test(slub, slub_debug_on_the_command_line_applies_per_cache)
{
	char flags[8];

	boot("console=ttyS0 slub_debug=FZ,kmalloc-64 quiet");
	kmem_cache_debug_flags(kmem_cache_find("kmalloc-64"), flags, sizeof(flags));
	cr_assert_str_eq(flags, "FZ");
	kmem_cache_debug_flags(kmem_cache_find("kmalloc-128"), flags, sizeof(flags));
	cr_assert_str_eq(flags, "");
}

Test(slub, slub_debug_alone_means_fzpu_everywhere_and_globs_match)
{
	char flags[8];

	boot("slub_debug");
	kmem_cache_debug_flags(kmem_cache_find("kmalloc-8k"), flags, sizeof(flags));
	cr_assert_str_eq(flags, "FZPU");
}

Test(slub, slub_debug_glob_and_global_blocks)
{
	char flags[8];

	boot("slub_debug=U;P,dma-kmalloc-*");
	kmem_cache_debug_flags(kmem_cache_find("dma-kmalloc-96"), flags, sizeof(flags));
	cr_assert_str_eq(flags, "P");
	kmem_cache_debug_flags(kmem_cache_find("kmalloc-96"), flags, sizeof(flags));
	cr_assert_str_eq(flags, "U");
}

Test(slub, kmalloc_works_with_full_debugging_everywhere)
{
	boot("slub_debug");
	for (int i = 1; i < 3000; i += 7) {
		u8 *p = __kmalloc(i, GFP_KERNEL);

		memset(p, 0x5, i);
		kfree(p);
	}
	cr_assert_eq(slab_bug_count(), 0, "%s", printed());
}

Test(slub, destroy_with_a_live_object_is_reported_and_keeps_the_cache)
{
	struct kmem_cache *s;
	void *p;

	boot(NULL);
	s = kmem_cache_create("TestSlub_destroy", 64, 0, SLAB_STORE_USER, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_destroy(s);
	cr_assert(logged("BUG TestSlub_destroy (Not tainted): Objects remaining in TestSlub_destroy on "
			 "__kmem_cache_shutdown()\n"), "%s", printed());
	cr_assert(logged("Object 0x"));
	cr_assert(logged("kmem_cache_destroy TestSlub_destroy: Slab cache still has objects when "
			 "called from "));
	cr_assert_eq(kmem_cache_find("TestSlub_destroy"), s, "the cache stays");
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	cr_assert_null(kmem_cache_find("TestSlub_destroy"));
}

Test(slub, double_free_is_caught_with_and_without_debugging)
{
	struct kmem_cache *s;
	void *p;

	boot(NULL);
	s = kmem_cache_create("TestSlub_df", 64, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	cr_assert(logged("BUG TestSlub_df (Not tainted): Object already free\n"), "%s", printed());
	host_printk_reset();
	s = kmem_cache_create("TestSlub_df_plain", 64, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	cr_assert(logged("freed onto itself (double free or corruption)\n"), "%s", printed());
	cr_assert(logged("Tainted: G    B"), "taint after the first report");
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), p);
	cr_assert_neq(kmem_cache_alloc(s, GFP_KERNEL), p, "p is on the freelist once, not twice");
}

Test(slub, free_to_the_wrong_cache_is_reported)
{
	struct kmem_cache *a, *b;
	void *p;

	boot(NULL);
	a = kmem_cache_create("cache_a", 64, 0, 0, NULL);
	b = kmem_cache_create("cache_b", 64, 0, 0, NULL);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	kmem_cache_free(b, p);
	cr_assert(logged("kmem_cache_free: Wrong slab cache. cache_b but object is from cache_a\n"),
		  "%s", printed());
	cr_assert_eq(kmem_cache_alloc(a, GFP_KERNEL), p, "freed to its own cache");
}

/* ---- krealloc ------------------------------------------------------------------------- */

static void check_krealloc(void)
{
	u8 *p = kzalloc(40, GFP_KERNEL), *q;

	memset(p, 0x77, 40);
	q = krealloc(p, 60, GFP_KERNEL | __GFP_ZERO);
	cr_assert_eq(q, p, "60 bytes still fit kmalloc-64");
	for (int i = 0; i < 60; i++)
		cr_assert_eq(q[i], i < 40 ? 0x77 : 0, "in place, byte %d", i);
	p = krealloc(q, 500, GFP_KERNEL | __GFP_ZERO);
	cr_assert_neq(p, q);
	cr_assert_str_eq(kmem_cache_name(cache_of(p)), "kmalloc-512");
	for (int i = 0; i < 500; i++)
		cr_assert_eq(p[i], i < 40 ? 0x77 : 0, "moved, byte %d", i);
	q = krealloc(p, 20, GFP_KERNEL | __GFP_ZERO);
	cr_assert_eq(q, p, "shrinking stays in place");
	for (int i = 0; i < 20; i++)
		cr_assert_eq(q[i], 0x77);
	p = krealloc(q, 100, GFP_KERNEL | __GFP_ZERO);
	for (int i = 20; i < 100; i++)
		cr_assert_eq(p[i], 0, "regrown bytes read as zero, byte %d", i);
	cr_assert_eq(krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	p = krealloc(NULL, 30, GFP_KERNEL);
	cr_assert_str_eq(kmem_cache_name(cache_of(p)), "kmalloc-32");
	kfree(p);
}

Test(slub, krealloc_keeps_contents_and_zeroes_growth)
{
	boot(NULL);
	check_krealloc();
	cr_assert_eq(slab_bug_count(), 0);
}

Test(slub, krealloc_moves_the_kmalloc_red_zone)
{
	boot("slub_debug=FZPU,kmalloc-*");
	check_krealloc();
	cr_assert_eq(slab_bug_count(), 0, "%s", printed());
}

/* ---- the in-kernel suite, on the host ----------------------------------------------------- */

Test(slub, selftest_suite_passes_on_the_host)
{
	static char out[1 << 16];
	struct seq_file m;
	int failed;

	boot(NULL);
	seq_buf_init(&m, out, sizeof(out));
	failed = selftest_run(&m, "slub");
	cr_assert_eq(failed, 0, "%s", out);
	cr_assert(strstr(out, "    # Subtest: slub\n"), "%s", out);
	cr_assert(strstr(out, "\nok 1 slub\n"), "%s", out);
	cr_assert_null(strstr(out, "not ok"), "%s", out);
	cr_assert_null(strstr(out, "# SKIP"), "%s", out);
}

Test(slub, meminfo_counts_slab_pages_as_linux_does)
{
	char buf[2048];
	struct seq_file m;
	unsigned long slab, srec, sunrec, after;
	struct kmem_cache *r;

	boot(NULL);
	seq_buf_init(&m, buf, sizeof(buf));
	meminfo_show(&m);
	cr_assert_eq(sscanf(strstr(buf, "Slab:"), "Slab: %lu kB\nSReclaimable: %lu kB\nSUnreclaim: %lu kB",
			    &slab, &srec, &sunrec), 3, "%s", buf);
	cr_assert_eq(slab, srec + sunrec);
	cr_assert_gt(sunrec, 0, "the boot caches' slabs");
	r = kmem_cache_create("reclaimable", 64, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	kmem_cache_alloc(r, GFP_KERNEL);
	kmalloc(20000, GFP_KERNEL);
	seq_buf_init(&m, buf, sizeof(buf));
	meminfo_show(&m);
	cr_assert_eq(sscanf(strstr(buf, "SReclaimable:"), "SReclaimable: %lu kB", &after), 1);
	cr_assert_eq(after, srec + 4, "one reclaimable slab page");
	cr_assert_eq(sscanf(strstr(buf, "SUnreclaim:"), "SUnreclaim: %lu kB", &after), 1);
	cr_assert_geq(after, sunrec + 32, "a 32 KiB large kmalloc (and maybe a kmalloc-16 slab)");
}
