/* SPDX-License-Identifier: MIT */
/*
 * The object allocator's interface: caches of same-sized objects (kmem_cache_*) and the
 * general-purpose kmalloc family on top of them.  The allocator is SLUB (mm/slub.c);
 * the parts every slab allocator shares - the cache list, the kmalloc size classes,
 * krealloc, /proc/slabinfo - are in mm/slab_common.c, as in Linux.
 *
 *   kmalloc(100, GFP_KERNEL)
 *     size class: 100 -> kmalloc-128          (kmalloc_slab: a table for <= 192, then fls)
 *     kmem_cache_alloc(kmalloc-128)           (per-cpu freelist pop, mm/slub.c)
 *   kmalloc(20000, GFP_KERNEL)
 *     > KMALLOC_MAX_CACHE_SIZE (8 KiB)        -> alloc_pages(order 3), straight from buddy
 *
 * Valid after kmem_cache_init() (start_kernel, right after mm_core_init()).  Callers:
 * anything that needs objects smaller than a page.  Process context only: no interrupt
 * handler allocates (see the lock-order note in mm/slub.c).
 *
 * Flag values and names are Linux 6.x's (include/linux/slab.h), so a report or a
 * `slabinfo` line reads as on Linux.
 */
#ifndef PAGELAB_MM_SLAB_H
#define PAGELAB_MM_SLAB_H

#include "mm/gfp.h"
#include "types.h"

typedef unsigned int slab_flags_t;

/* Debugging (slub_debug= letters in brackets; see docs/mm/slub.md). */
#define SLAB_CONSISTENCY_CHECKS 0x00000100U /* [F] check the slab and freelist on every op */
#define SLAB_RED_ZONE 0x00000400U           /* [Z] guard bytes around every object */
#define SLAB_POISON 0x00000800U             /* [P] fill free objects with 0x6b ... 0xa5 */
#define SLAB_KMALLOC 0x00001000U            /* a kmalloc cache: remembers requested sizes */
#define SLAB_HWCACHE_ALIGN 0x00002000U      /* align objects on cache lines */
#define SLAB_CACHE_DMA 0x00004000U          /* slabs come from ZONE_DMA */
#define SLAB_CACHE_DMA32 0x00008000U        /* slabs come from ZONE_DMA32 */
#define SLAB_STORE_USER 0x00010000U         /* [U] record who allocated and freed */
#define SLAB_RECLAIM_ACCOUNT 0x00020000U    /* objects can be freed on demand: SReclaimable */
#define SLAB_PANIC 0x00040000U              /* panic if kmem_cache_create() fails */

/* What plain "slub_debug" switches on: F Z P U. */
#define SLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* Poison and red-zone bytes (include/linux/poison.h). */
#define POISON_INUSE 0x5a       /* padding, and a new slab before its objects are set up */
#define POISON_FREE 0x6b        /* a free object's bytes */
#define POISON_END 0xa5         /* the last byte of a poisoned object */
#define SLUB_RED_INACTIVE 0xbb  /* red zone of a free object */
#define SLUB_RED_ACTIVE 0xcc    /* red zone of an allocated object */

/*
 * kmalloc(0) returns ZERO_SIZE_PTR: not NULL (the allocation "succeeded"), but any
 * access faults, since nothing is mapped at address 16.  kfree() accepts it.
 */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/*
 * The kmalloc size classes: 8 .. 8192 in powers of two, plus 96 and 192, which Linux
 * adds because 65-96 and 129-192 byte requests are common and a power of two would
 * waste up to half of the object (65 bytes in 128); with them, at most a third of it.  A
 * cache's index is the log2 of its size; 96 and 192 take the unused indexes 1 and 2.
 *
 *   index  1   2    3  4   5   6   7    8    9    10  11  12  13
 *   size   96  192  8  16  32  64  128  256  512  1k  2k  4k  8k
 */
#define KMALLOC_MIN_SIZE 8
#define KMALLOC_SHIFT_LOW 3
#define KMALLOC_SHIFT_HIGH 13 /* PAGE_SHIFT + 1: the largest class is two pages */
#define KMALLOC_MAX_CACHE_SIZE (1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE (PAGE_SIZE << MAX_PAGE_ORDER) /* larger requests fail */

enum kmalloc_cache_type {
	KMALLOC_NORMAL, /* "kmalloc-64" */
	KMALLOC_DMA,    /* "dma-kmalloc-64": slabs from ZONE_DMA, for __GFP_DMA requests */
	NR_KMALLOC_TYPES
};

struct kmem_cache;
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/* kmalloc_type - which family of kmalloc caches serves @flags. */
static inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	return (flags & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_NORMAL;
}

/*
 * kmalloc_index - the size class of a request of @size bytes (0 for 0 bytes; -1 for
 * sizes above KMALLOC_MAX_CACHE_SIZE, which the page allocator serves).  For a constant
 * @size the compiler must be able to fold it to a number, so that kmalloc() becomes a
 * direct call on the right cache, as in Linux (__kmalloc_index()).
 */
static inline int kmalloc_index(size_t size)
{
	if (!size)
		return 0;
	if (size <= KMALLOC_MIN_SIZE)
		return KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	if (size <= 16)
		return 4;
	if (size <= 32)
		return 5;
	if (size <= 64)
		return 6;
	if (size <= 128)
		return 7;
	if (size <= 256)
		return 8;
	if (size <= 512)
		return 9;
	if (size <= 1024)
		return 10;
	if (size <= 2048)
		return 11;
	if (size <= 4096)
		return 12;
	if (size <= 8192)
		return 13;
	return -1;
}

/* kmalloc_size - the object size of size class @index (the inverse of kmalloc_index). */
static inline unsigned int kmalloc_size(int index)
{
	return index == 1 ? 96 : index == 2 ? 192 : index >= 3 ? 1U << index : 0;
}

/*
 * kmem_cache_create - a cache of @size-byte objects aligned to @align (0: pointer size;
 * SLAB_HWCACHE_ALIGN: a cache line), named @name (copied) as `slabinfo` shows it.
 * @ctor, if set, runs on every object when its slab is created - not on every
 * allocation: objects are expected to be freed in their constructed state.
 * slub_debug= options that name this cache are added to @flags.  Returns the cache, or
 * NULL (out of memory, bad size, name already in use); SLAB_PANIC panics instead.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));

/*
 * What a cache's creator may ask for besides size and flags (Linux 6.12+'s struct
 * kmem_cache_args; pagelab has the fields it uses).  @sheaf_capacity, from Linux 6.18:
 * give the cache per-CPU sheaves of that many objects (0: none, unless slub_sheaves=all
 * gives it Linux 7.0's default); a debugging cache never has them.
 */
struct kmem_cache_args {
	unsigned int align;
	void (*ctor)(void *);
	unsigned int sheaf_capacity;
};
/* The largest sheaf_capacity: a sheaf is one kmalloc object of at most 8 KiB. */
#define SHEAF_CAPACITY_MAX 1020

/*
 * __kmem_cache_create_args - kmem_cache_create() with @args (NULL: all defaults), as
 * Linux's kmem_cache_create(name, size, args, flags) form ends up calling.
 */
struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int size,
					    struct kmem_cache_args *args, slab_flags_t flags);

/*
 * kmem_cache_destroy - free every slab of @s and the cache itself.  If objects are still
 * allocated, prints Linux's "Objects remaining in <name> on __kmem_cache_shutdown()"
 * report listing them, then "Slab cache still has objects" and keeps the cache (and
 * those slabs) alive, as Linux does.  NULL is ignored.
 */
void kmem_cache_destroy(struct kmem_cache *s);

/*
 * kmem_cache_shrink - give every empty slab of @s back to the page allocator, beyond
 * what min_partial would keep.  Returns 0.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/*
 * kmalloc_caches_shrink - kmem_cache_shrink() on every kmalloc cache (pagelab's, for the
 * checks that compare memory before and after a run: stress, bench, the self-tests).
 * When the kmalloc caches have sheaves (slub_sheaves=all), twice: their sheaves are
 * objects of other kmalloc caches, which the first pass may have shrunk already.
 */
void kmalloc_caches_shrink(void);

/*
 * kmem_cache_alloc - one object of @s, or NULL (no memory, or debugging found the slab
 * corrupt and no other slab could be had).  __GFP_ZERO in @flags zeroes it; zone
 * modifiers in @flags are ignored (the cache's flags choose the zone).
 */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);

/* kmem_cache_zalloc - kmem_cache_alloc(), zeroed. */
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

/*
 * kmem_cache_free - return @x to @s.  With debugging, a pointer that is not an object
 * of @s, or an object already free, is reported and not freed.  NULL is ignored.
 */
void kmem_cache_free(struct kmem_cache *s, void *x);

/*
 * __kmalloc - kmalloc() for sizes the compiler does not know: picks the size class at
 * run time.  kmalloc_large - more than KMALLOC_MAX_CACHE_SIZE: whole pages from the
 * buddy allocator (the struct page remembers the order for kfree).
 * kmalloc_trace - an object of kmalloc cache @s for a request of @size bytes, so that
 * with slub_debug=ZU the bytes between @size and the object size are a red zone.
 */
void *__kmalloc(size_t size, gfp_t flags);
void *kmalloc_large(size_t size, gfp_t flags);
void *kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size);

/*
 * kmalloc - @size bytes, at least 8-byte aligned (power-of-two classes are aligned to
 * their size), or NULL.  kmalloc(0) returns ZERO_SIZE_PTR.  For a constant @size the
 * class is chosen at compile time.
 */
static inline void *kmalloc(size_t size, gfp_t flags)
{
	if (__builtin_constant_p(size) && size) {
		int index = kmalloc_index(size);

		if (index < 0)
			return kmalloc_large(size, flags);
		return kmalloc_trace(kmalloc_caches[kmalloc_type(flags)][index], flags, size);
	}
	return __kmalloc(size, flags);
}

/* kzalloc - kmalloc(), zeroed. */
static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/* kmalloc_array / kcalloc - @n objects of @size bytes (kcalloc: zeroed); NULL if n * size overflows. */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, flags);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

/*
 * krealloc - resize @p to @new_size bytes, keeping the contents up to the smaller size.
 * Stays in place when the object is big enough, else allocates, copies and frees.
 * With __GFP_ZERO (used consistently from the first allocation on) the bytes beyond the
 * old size read as zero.  krealloc(NULL, n) is kmalloc(n); krealloc(p, 0) frees @p and
 * returns ZERO_SIZE_PTR.  On failure returns NULL and @p is untouched.
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags);

/*
 * kfree - free memory from kmalloc() and friends (slab object or large allocation);
 * NULL and ZERO_SIZE_PTR are ignored.  A pointer that is neither is reported.
 */
void kfree(const void *x);

/* ksize - how many bytes of @p the caller may use: the object size of its class. */
size_t ksize(const void *p);

/* kstrdup - a kmalloc'ed copy of @s (NULL if @s is NULL or memory is short). */
char *kstrdup(const char *s, gfp_t flags);

/*
 * kmem_cache_init - bootstrap SLUB: the cache of kmem_cache_node and the cache of
 * kmem_cache are built from static structures, then moved into objects of themselves;
 * then the kmalloc caches.  Parses slub_debug= from the command line.  Once, after
 * mm_core_init().
 */
void kmem_cache_init(void);

/*
 * Introspection, for the shell and the self-tests (mm/slab_common.c).
 */
struct seq_file;

/* slabinfo_show - /proc/slabinfo, version 2.1, exactly Linux's layout. */
void slabinfo_show(struct seq_file *m);

/* slabtop_show - slabtop's one-screen summary and table, the @max_lines largest caches. */
void slabtop_show(struct seq_file *m, unsigned int max_lines);

/*
 * slab_meminfo - pages held by slab caches (and large kmallocs), split as /proc/meminfo's
 * SReclaimable (caches created with SLAB_RECLAIM_ACCOUNT) and SUnreclaim.  Slab: is the
 * sum.  Either pointer may be NULL.
 */
void slab_meminfo(unsigned long *reclaimable, unsigned long *unreclaimable);

/* kmem_cache_find - the cache called @name, or NULL. */
struct kmem_cache *kmem_cache_find(const char *name);

/* kmem_cache_name / kmem_cache_size - a cache's name and object size (what was asked for). */
const char *kmem_cache_name(const struct kmem_cache *s);
unsigned int kmem_cache_size(const struct kmem_cache *s);

/*
 * kmem_cache_validate - check every slab and object of @s as Linux's
 * /sys/kernel/slab/<name>/validate does, reporting and repairing what is broken.
 * Returns the number of problems found.  Needs a debugging cache for the object checks.
 */
int kmem_cache_validate(struct kmem_cache *s);

/* kmem_cache_debug_flags - the slub_debug letters active on @s ("FZPU", "" if none) into @buf. */
void kmem_cache_debug_flags(const struct kmem_cache *s, char *buf, size_t size);

/* slab_bug_count - debugging reports printed since boot ("BUG <cache>" lines). */
unsigned long slab_bug_count(void);

#endif
