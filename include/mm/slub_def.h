/* SPDX-License-Identifier: MIT */
/*
 * SLUB's data structures (Linux: include/linux/slub_def.h and mm/slab.h).  Only mm/slub.c,
 * mm/slab_common.c and the tests look inside; everyone else uses include/mm/slab.h.
 *
 *   struct kmem_cache ----------------------------------------------------------+
 *   | cpu_sheaves[cpu]: main, spare -> struct slab_sheaf  in front, if it has any |
 *   |                   barn -> struct node_barn: full and empty sheaves per node |
 *   | cpu_slab[cpu]: freelist -> obj -> obj -> NULL      the fast path            |
 *   |                slab     -> struct page (frozen: owned by this CPU)          |
 *   |                partial  -> page -> page            frozen, next in line     |
 *   | node[nid] -> struct kmem_cache_node                                         |
 *   |                partial: page <-> page <-> page     some objects free        |
 *   |                full:    page <-> page              no object free           |
 *   +-----------------------------------------------------------------------------+
 *
 * A slab is 2^order contiguous pages from the buddy allocator.  Its metadata lives in
 * the struct page of its first page (mm_types.h): slab_cache, freelist, inuse, objects,
 * frozen, and lru for the node lists.  The other pages point back to the first (their
 * lru.next holds its address + 1, Linux's compound_head encoding), so any address
 * inside a slab leads to its metadata in a few instructions.
 */
#ifndef PAGELAB_MM_SLUB_DEF_H
#define PAGELAB_MM_SLUB_DEF_H

#include "kernel/local_lock.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "lib/list.h"
#include "mm/mm.h"
#include "mm/numa.h"
#include "mm/slab.h"

/*
 * The per-CPU part of a cache: the slab this CPU allocates from, and its freelist.
 * Linux allocates one per CPU with alloc_percpu() and keeps a __percpu pointer in the
 * cache, so struct kmem_cache is the same size however many CPUs there are.  pagelab
 * does the equivalent: s->cpu_slab points to NR_CPUS slots kept outside the cache
 * (mm/slub.c's pool), and CPU n's part is s->cpu_slab[n].
 */
struct kmem_cache_cpu {
	void *freelist;       /* next free object of @slab (hardened chain), NULL: slow path */
	struct page *slab;    /* the active slab, frozen; NULL if none */
	struct page *partial; /* frozen slabs with free objects, next ones to become active */
	unsigned int nr_partial; /* slabs on @partial */
};

/*
 * Linux 6.18's per-CPU sheaves.  A sheaf is an array of pointers to free objects; each
 * CPU has a main sheaf it allocates from and frees to (a pop or a push: no list, no
 * slab, no counter), and a spare.  When main runs empty or full it trades with the
 * spare, then with the node's barn - a stock of full and of empty sheaves shared by the
 * CPUs of the node - and only then goes to the slabs: a refill takes sheaf_capacity
 * objects from them at once, a flush gives a whole sheaf back.
 *
 *   CPU 0: main [o o o o . . . .]  spare [o o o o o o o o]    CPU 1: main [. . . .]
 *                 |  pop / push                                          |
 *   barn (node 0): full: [o o o o o o o o] [o o ...]   empty: [. . . .]  <-- trades
 *                 |  refill (sheaf_capacity objects) / flush (a whole sheaf)
 *   slabs: the CPU slab and the node lists above, as without sheaves
 *
 * In 6.18 a cache has sheaves only if its creator asks (struct kmem_cache_args's
 * sheaf_capacity), and they sit in front of the CPU slab, which refills and flushes
 * them; Linux 7.0 gave every cache sheaves and removed kmem_cache_cpu, refilling from
 * the node's partial slabs directly.  pagelab follows 6.18 and can act as 7.0 does for
 * which caches have them (slub_sheaves=all): docs/mm/slub.md.
 */
struct slab_sheaf {
	struct list_head barn_list; /* on the barn's full or empty list */
	struct kmem_cache *cache;   /* whose objects it holds (barn_shrink() checks it) */
	unsigned int size;          /* objects[0 .. size-1] are free objects of @cache */
	unsigned int capacity;      /* s->sheaf_capacity; 0 in the bootstrap sheaf */
	void *objects[];
};

/*
 * Events counted per CPU: Linux 6.18's CONFIG_SLUB_STATS counters of the sheaf paths,
 * with their file names, and sheaf_swap, pagelab's (an early version of the sheaves
 * patches counted it; 6.18 does not).
 */
enum sheaf_stat_item {
	ALLOC_PCS,     /* alloc_cpu_sheaf: an allocation served by the main sheaf */
	FREE_PCS,      /* free_cpu_sheaf: a free kept in the main sheaf */
	SHEAF_FLUSH,   /* sheaf_flush: objects given back from a sheaf to the slabs */
	SHEAF_REFILL,  /* sheaf_refill: objects taken from the slabs into a sheaf */
	SHEAF_ALLOC,   /* sheaf_alloc: empty sheaves allocated */
	SHEAF_FREE,    /* sheaf_free: empty sheaves freed */
	BARN_GET,      /* barn_get: a full sheaf taken from the barn */
	BARN_GET_FAIL, /* barn_get_fail: the barn had none */
	BARN_PUT,      /* barn_put: a full sheaf left in the barn */
	BARN_PUT_FAIL, /* barn_put_fail: the barn was full */
	SHEAF_SWAP,    /* sheaf_swap (pagelab's): main and spare swapped */
	NR_SHEAF_STAT_ITEMS
};

/* One CPU's sheaves of one cache (Linux: a __percpu struct slub_percpu_sheaves). */
struct slub_percpu_sheaves {
	local_trylock_t lock;     /* this CPU is using them: a nested use takes the slab path */
	struct slab_sheaf *main;  /* never NULL: &bootstrap_sheaf (empty, capacity 0) if none */
	struct slab_sheaf *spare; /* empty, full, or NULL */
	struct node_barn *barn;   /* this CPU's node's barn */
	unsigned int stat[NR_SHEAF_STAT_ITEMS];
};

/*
 * A node's stock of sheaves for one cache, at most MAX_FULL_SHEAVES full and
 * MAX_EMPTY_SHEAVES empty ones (Linux 6.18: 10 each); CPUs trade their sheaves here
 * under @lock instead of taking objects from slabs one by one under n->list_lock.
 */
#define MAX_FULL_SHEAVES 10
#define MAX_EMPTY_SHEAVES 10
struct node_barn {
	spinlock_t lock;
	struct list_head sheaves_full;
	struct list_head sheaves_empty;
	unsigned int nr_full;
	unsigned int nr_empty;
};

/*
 * Per-node lists.  Only the slow paths touch them, under list_lock (interrupts off),
 * which in pagelab also guards every slab's freelist, inuse and frozen once the slab is
 * not a CPU's own (mm/slub.c, "Locking").
 */
struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial; /* slabs with free objects, not frozen */
	struct list_head full;    /* slabs with no free object (pagelab tracks them always) */
	unsigned long nr_slabs;   /* every slab of this node, frozen ones included */
	unsigned long total_objects;
};

/* A slab's order and its object count, as Linux packs them (oo_order/oo_objects). */
struct kmem_cache_order_objects {
	unsigned int x;
};
#define OO_SHIFT 16
#define OO_MASK ((1U << OO_SHIFT) - 1)
#define MAX_OBJS_PER_PAGE 32767 /* page->objects is 15 bits */

static inline unsigned int oo_order(struct kmem_cache_order_objects x) { return x.x >> OO_SHIFT; }
static inline unsigned int oo_objects(struct kmem_cache_order_objects x) { return x.x & OO_MASK; }

/*
 * One cache.  The fields the fast path reads come first, in one cache line: the
 * per-CPU slots, the flags, the free pointer offset and its hardening value.
 */
struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab; /* NR_CPUS slots, CPU n's at [n] (Linux: __percpu) */
	/* NR_CPUS slots (CPU n's at [n]) if the cache has sheaves, else NULL */
	struct slub_percpu_sheaves *cpu_sheaves;
	unsigned int sheaf_capacity; /* objects per sheaf; 0: no sheaves */
	slab_flags_t flags;
	unsigned int offset;       /* free pointer offset inside an object */
	unsigned long random;      /* freelist hardening value, chosen at creation */
	unsigned int size;         /* object + metadata: the stride between objects */
	unsigned int object_size;  /* what the creator asked for */
	unsigned int inuse;        /* object + right red zone: where metadata starts */
	unsigned int align;
	unsigned int red_left_pad; /* left red zone in front of each object */
	struct kmem_cache_order_objects oo;  /* preferred slab order and objects */
	struct kmem_cache_order_objects min; /* fallback when that order is not available */
	gfp_t allocflags;          /* GFP bits every slab allocation adds (__GFP_DMA ...) */
	unsigned long min_partial; /* empty slabs kept on the partial list before freeing */
	unsigned int cpu_partial;  /* Linux's sizing knob, in objects (sysfs cpu_partial) */
	unsigned int cpu_partial_slabs; /* the per-cpu partial list's limit (0: none) */
	int refcount;
	void (*ctor)(void *);
	const char *name;
	struct list_head list;     /* on slab_caches */
	struct kmem_cache_node *node[MAX_NUMNODES];
};

/* Internal flag: objects are poisoned (SLAB_POISON without a constructor). */
#define __OBJECT_POISON 0x80000000U

/* Boot progress, as Linux's slab_state. */
enum slab_state { DOWN, PARTIAL, UP, FULL };
extern enum slab_state slab_state;

/* Every cache, newest last; slabinfo walks it, under slab_mutex (mm/slab_common.c). */
extern struct list_head slab_caches;
extern spinlock_t slab_mutex;
extern struct kmem_cache *kmem_cache; /* the cache of struct kmem_cache */

/* A slab's first page, from any page of it. */
static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = (unsigned long)READ_ONCE(page->lru.next); /* no lock held */

	return (struct page *)(head & 1 ? head - 1 : (unsigned long)page);
}

static inline struct page *virt_to_head_page(const void *x)
{
	return compound_head(virt_to_page(x));
}

/*
 * The order of the block a head page starts.  As in Linux's folios, it is kept in the
 * second page (the first one's private field is slab_cache); order 0 has no PG_head.
 */
static inline unsigned int compound_order(const struct page *head)
{
	return PageHead(head) ? (unsigned int)head[1].private : 0;
}

/* ---- inside mm/slub.c and mm/slab_common.c -------------------------------------- */

/* __kmem_cache_create - set up @s (name, sizes already filled in) for use: 0 or -ENOMEM. */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags);
/* __kmem_cache_shutdown - free all slabs; non-zero (after the report) if objects are live. */
int __kmem_cache_shutdown(struct kmem_cache *s);
/* __kmem_cache_release - free the per-node structures of a shut-down cache. */
void __kmem_cache_release(struct kmem_cache *s);
/* kmem_cache_flags - @flags plus what slub_debug= asks for the cache called @name. */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);
/* __kmem_cache_alloc - the allocation path with the caller's address and the requested size. */
void *__kmem_cache_alloc(struct kmem_cache *s, gfp_t flags, size_t orig_size, unsigned long caller);
void __kmem_cache_free(struct kmem_cache *s, void *x, unsigned long caller);
/* __kmem_obj_size - the size the caller of kmalloc may use (ksize) for a slab object. */
size_t __ksize_slab(const struct kmem_cache *s);
/* kmalloc_orig_size - the requested size recorded for @x (object size if not recorded). */
unsigned int kmalloc_orig_size(struct kmem_cache *s, const void *x);
/*
 * kmalloc_resize - krealloc in place (@new_size <= the object's usable size): record the
 * new requested size, move the kmalloc red zone, zero growth with __GFP_ZERO.
 */
void kmalloc_resize(struct kmem_cache *s, void *x, size_t new_size, gfp_t flags);
/* create_boot_cache - a cache the kernel needs (never destroyed); panics on failure. */
void create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		       slab_flags_t flags);
/* create_kmalloc_caches - every kmalloc size class, each type (mm/slab_common.c). */
void create_kmalloc_caches(void);

/* The kmalloc class index for sizes up to 192, by (size - 1) / 8 (mm/slab_common.c). */
extern const u8 kmalloc_size_index[24];

/* kmalloc_slab - the cache for a request of @size bytes (1 .. KMALLOC_MAX_CACHE_SIZE). */
static inline struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int index;

	if (size <= 192)
		index = kmalloc_size_index[(size - 1) / 8];
	else
		index = 64 - __builtin_clzl(size - 1); /* fls(size - 1): the next power of two */
	return kmalloc_caches[kmalloc_type(flags)][index];
}

/* What get_slabinfo() collects (Linux's struct slabinfo). */
struct slabinfo {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned int objects_per_slab;
	unsigned int cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);

struct seq_file;

/*
 * slab_sysfs_show - @s's files in Linux's /sys/kernel/slab/<cache>/ that pagelab can
 * fill truthfully, one "file:content" line each, as `grep . *` in that directory prints.
 */
void slab_sysfs_show(struct seq_file *m, struct kmem_cache *s);

/* What a cache's sheaves hold (slab_sheaves_count), for `cache info` and the checks. */
struct sheaves_count {
	unsigned long cpu_objects;  /* in the online CPUs' main and spare sheaves */
	unsigned long barn_objects; /* in the barn's full sheaves */
	unsigned int barn_full, barn_empty;
};
void slab_sheaves_count(struct kmem_cache *s, struct sheaves_count *c);

/* What one CPU holds of a cache (slab_cpu_view), for `cache info` on several CPUs. */
struct slab_cpu_view {
	bool online;
	bool slab;                /* an active slab */
	unsigned int free;        /* objects on the CPU's freelist */
	unsigned int nr_partial;  /* slabs on the CPU's partial list */
	unsigned int main, spare; /* objects in its main and spare sheaves (with sheaves) */
};
/*
 * slab_cpu_view - each online CPU's part of @s, read by that CPU itself (cross-call, so
 * never halfway through one of its own allocations).  Interrupts on.
 */
void slab_cpu_view(struct kmem_cache *s, struct slab_cpu_view view[NR_CPUS]);

/* Walk the slabs on a node list; @slab may be unlinked in the body. */
#define for_each_slab_safe(slab, tmp, head)                                                  \
	for (slab = list_entry((head)->next, struct page, lru),                              \
	    tmp = list_entry(slab->lru.next, struct page, lru);                               \
	     &slab->lru != (head); slab = tmp, tmp = list_entry(tmp->lru.next, struct page, lru))

#endif
