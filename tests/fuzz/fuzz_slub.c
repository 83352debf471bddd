// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: SLUB and kmalloc (mm/slub.c, mm/slab_common.c) driven by a stream
 * of cache and object operations, checked after every step.
 *
 * The machine boots once, on the first input: 63 MiB of RAM and the kmalloc caches, as
 * start_kernel() sets them up (tests/host/include/host/buddy_machine.h).
 *
 * Input: records of 4 bytes until the input ends:
 *
 *   u8 op   u8 a   u16 b
 *
 *   op % 8 == 0   create cache a % 4 (destroying the one there, its objects freed
 *                 first): object size b % 2048 + 1, align 0 or 1 << (a >> 2) % 12,
 *                 flags from op's high bits: HWCACHE_ALIGN, RED_ZONE, POISON,
 *                 STORE_USER, CONSISTENCY_CHECKS
 *   op % 8 == 1   kmem_cache_alloc() from cache a % 4 into object slot b % 64
 *   op % 8 == 2   kmalloc(b % 10000, gfp a) into object slot a % 64 (above 8 KiB:
 *                 pages straight from the buddy allocator; 0: ZERO_SIZE_PTR)
 *   op % 8 == 3   free object slot a % 64 (kmem_cache_free() or kfree())
 *   op % 8 == 4   krealloc() object slot a % 64 (a kmalloc one) to b % 10000 bytes
 *   op % 8 == 5   kmem_cache_shrink() cache a % 4
 *   op % 8 == 6   destroy cache a % 4, its objects freed first
 *   op % 8 == 7   kzalloc(b % 10000) or kmem_cache_zalloc() (a & 1) into slot a / 2 % 64
 *
 * op & 0x80 also validates, after the step, the harness's caches and the kmalloc cache
 * the step used (kmem_cache_validate()).  Validating flushes a cache's per-cpu slab, so
 * doing it after every step would leave the fast paths untested: the input decides.
 *
 * Every object the harness holds is filled with its own byte pattern when allocated
 * (krealloc: its old bytes are checked to have moved with it).  Checked after every step:
 *
 *   - every held object still holds its pattern at both ends (where a neighbour's
 *     overrun or an overlapping allocation lands), and in full before it is freed: no
 *     allocation overlaps a live object, nothing the allocator does writes into one
 *   - objects are aligned (a cache's alignment; kmalloc: 8 bytes, and power-of-two
 *     sizes to their size), ksize() covers what was asked, zalloc memory is zero
 *   - SLUB never reported a bug (slab_bug_count()) nor the page allocator a bad page
 *
 * and at the end of every input, every cache validated, everything freed, the harness's
 * caches destroyed, and the page allocator's free lists sound (check_zone_free_lists()).
 */
#include "fuzz.h"
#include "host/buddy_machine.h"
#include "mm/slub_def.h"

#define CACHES 4
#define OBJS 64
#define KMALLOC_TRY 10000

static const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC, GFP_KERNEL | __GFP_RECLAIMABLE,
			      GFP_KERNEL | GFP_DMA };
static const slab_flags_t flag_bits[] = { SLAB_HWCACHE_ALIGN, SLAB_RED_ZONE, SLAB_POISON,
					  SLAB_STORE_USER, SLAB_CONSISTENCY_CHECKS };

static struct kmem_cache *caches[CACHES];
static unsigned int cache_align[CACHES];

static struct obj {
	u8 *p;
	size_t size;
	int cache; /* -1: kmalloc */
	gfp_t gfp;
	u8 tag;
} objs[OBJS];

static u8 next_tag;
static bool booted;
static struct kmem_cache *last_kmalloc; /* the kmalloc cache the last step used */

static u8 pattern(u8 tag, size_t i)
{
	return (u8)(tag * 31 + i * 7 + 1);
}

static void fill(struct obj *o)
{
	o->tag = ++next_tag;
	for (size_t i = 0; i < o->size; i++)
		o->p[i] = pattern(o->tag, i);
}

static void check_pattern(const struct obj *o, size_t n, const char *when)
{
	for (size_t i = 0; i < n; i++)
		fuzz_check(o->p[i] == pattern(o->tag, i), "%s: byte %zu of a %zu-byte object changed",
			   when, i, o->size);
}

/* The first and last 16 bytes: where an overlapping neighbour shows first. */
static void check_ends(const struct obj *o)
{
	size_t n = MIN(o->size, 16UL);

	check_pattern(o, n, "after a step");
	for (size_t i = o->size - n; i < o->size; i++)
		fuzz_check(o->p[i] == pattern(o->tag, i), "after a step: byte %zu of a %zu-byte "
			   "object changed", i, o->size);
}

static void validate(struct kmem_cache *s)
{
	if (s)
		fuzz_check(!kmem_cache_validate(s), "kmem_cache_validate(%s) found problems",
			   kmem_cache_name(s));
}

static struct kmem_cache *kmalloc_cache_of(size_t size, gfp_t gfp)
{
	return size && size <= KMALLOC_MAX_CACHE_SIZE ? kmalloc_slab(size, gfp) : NULL;
}

static void free_obj(struct obj *o)
{
	check_pattern(o, o->size, "before the free");
	if (o->cache >= 0)
		kmem_cache_free(caches[o->cache], o->p);
	else
		kfree(o->p);
	o->p = NULL;
}

static void destroy(int c)
{
	for (int i = 0; i < OBJS; i++)
		if (objs[i].p && objs[i].cache == c)
			free_obj(&objs[i]);
	kmem_cache_destroy(caches[c]);
	caches[c] = NULL;
}

static void check_new(struct obj *o, size_t align, bool zeroed)
{
	fuzz_check(!((uintptr_t)o->p & (align - 1)), "a %zu-byte object at %p is not %zu-aligned",
		   o->size, o->p, align);
	if (o->cache < 0 && o->size)
		fuzz_check(ksize(o->p) >= o->size, "ksize %zu < %zu asked", ksize(o->p), o->size);
	for (size_t i = 0; zeroed && i < o->size; i++)
		fuzz_check(!o->p[i], "byte %zu of a zeroed %zu-byte object is %#x", i, o->size, o->p[i]);
	fill(o);
}

/* kmalloc's promise: 8 bytes, and a power-of-two size is aligned to itself. */
static size_t kmalloc_align(size_t size)
{
	if (size && !(size & (size - 1)) && size <= KMALLOC_MAX_CACHE_SIZE)
		return MAX(size, 8UL);
	return 8;
}

static void do_kmalloc(struct obj *o, size_t size, gfp_t gfp, bool zero)
{
	void *p = zero ? kzalloc(size, gfp) : kmalloc(size, gfp);

	if (!p)
		return;
	if (!size) {
		fuzz_check(p == ZERO_SIZE_PTR, "kmalloc(0) is not ZERO_SIZE_PTR");
		return;
	}
	*o = (struct obj){ .p = p, .size = size, .cache = -1, .gfp = gfp };
	check_new(o, kmalloc_align(size), zero);
	last_kmalloc = kmalloc_cache_of(size, gfp);
}

static void do_cache_alloc(struct obj *o, int c, gfp_t gfp, bool zero)
{
	void *p;

	if (!caches[c])
		return;
	p = zero ? kmem_cache_zalloc(caches[c], gfp) : kmem_cache_alloc(caches[c], gfp);
	if (!p)
		return;
	*o = (struct obj){ .p = p, .size = kmem_cache_size(caches[c]), .cache = c, .gfp = gfp };
	check_new(o, cache_align[c], zero);
}

static void do_krealloc(struct obj *o, size_t size)
{
	size_t keep = MIN(o->size, size);
	u8 *p;

	if (!o->p || o->cache >= 0)
		return;
	p = krealloc(o->p, size, o->gfp);
	if (!size) {
		fuzz_check(p == ZERO_SIZE_PTR, "krealloc(p, 0) is not ZERO_SIZE_PTR");
		o->p = NULL;
		return;
	}
	if (!p) {
		check_pattern(o, o->size, "after a failed krealloc");
		return;
	}
	o->p = p;
	check_pattern(o, keep, "after krealloc");
	o->size = size;
	fill(o);
	last_kmalloc = kmalloc_cache_of(size, o->gfp);
}

static void create(int c, u8 op, u8 a, u16 b)
{
	static const char *const names[CACHES] = { "fuzz-0", "fuzz-1", "fuzz-2", "fuzz-3" };
	unsigned int align = a & 1 ? 0 : 1U << ((a >> 2) % 12);
	slab_flags_t flags = 0;

	destroy(c);
	for (unsigned int i = 0; i < ARRAY_SIZE(flag_bits); i++)
		if (op & (8 << i))
			flags |= flag_bits[i];
	caches[c] = kmem_cache_create(names[c], b % 2048 + 1, align, flags, NULL);
	cache_align[c] = flags & SLAB_HWCACHE_ALIGN ? 8 : align ? align : 8;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_input in = fuzz_input(data, size);
	const char *why;

	if (!booted) {
		boot_machine_with_slab(ram_64m, 1, NULL);
		booted = true;
	}
	host_printk_reset();
	while (fuzz_left(&in)) {
		u8 op = fuzz_u8(&in), a = fuzz_u8(&in);
		u16 b = fuzz_u16(&in);
		struct obj *o = &objs[a % OBJS];

		switch (op % 8) {
		case 0:
			create(a % CACHES, op, a, b);
			break;
		case 1:
			o = &objs[b % OBJS];
			if (!o->p)
				do_cache_alloc(o, a % CACHES, gfps[op / 8 % 4], false);
			break;
		case 2:
			if (!o->p)
				do_kmalloc(o, b % KMALLOC_TRY, gfps[op / 8 % 4], false);
			break;
		case 3:
			if (o->p)
				free_obj(o);
			break;
		case 4:
			do_krealloc(o, b % KMALLOC_TRY);
			break;
		case 5:
			if (caches[a % CACHES])
				kmem_cache_shrink(caches[a % CACHES]);
			break;
		case 6:
			destroy(a % CACHES);
			break;
		case 7:
			o = &objs[a / 2 % OBJS];
			if (o->p)
				break;
			if (a & 1)
				do_cache_alloc(o, b % CACHES, gfps[op / 8 % 4], true);
			else
				do_kmalloc(o, b % KMALLOC_TRY, gfps[op / 8 % 4], true);
			break;
		}
		for (int i = 0; i < OBJS; i++)
			if (objs[i].p)
				check_ends(&objs[i]);
		if (op & 0x80) {
			for (int c = 0; c < CACHES; c++)
				validate(caches[c]);
			validate(last_kmalloc);
		}
		last_kmalloc = NULL;
		fuzz_check(!slab_bug_count(), "SLUB reported a bug:\n%s", host_printk_buf);
		fuzz_check(!nr_bad_pages, "a bad page was reported:\n%s", host_printk_buf);
	}
	for (int c = 0; c < CACHES; c++)
		validate(caches[c]);
	for (int c = 0; c < CACHES; c++)
		destroy(c);
	for (int i = 0; i < OBJS; i++)
		if (objs[i].p)
			free_obj(&objs[i]);
	fuzz_check(!slab_bug_count(), "SLUB reported a bug:\n%s", host_printk_buf);
	why = free_lists_broken();
	fuzz_check(!why, "%s", why);
	return 0;
}
