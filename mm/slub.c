// SPDX-License-Identifier: MIT
/*
 * SLUB: the object allocator.  It cuts slabs - blocks of 2^order pages from the buddy
 * allocator - into objects of one size and hands them out one at a time, as Linux's
 * mm/slub.c (6.x) does.  mm/slab_common.c builds kmalloc and /proc/slabinfo on it.
 *
 * Valid from kmem_cache_init() (start_kernel, right after mm_core_init()) on.  Callers:
 * kmalloc and kmem_cache_* users, process context only.
 *
 * ---- Where things are ------------------------------------------------------------------
 *
 *   struct kmem_cache            (include/mm/slub_def.h)
 *     cpu_sheaves[cpu].main  --> [obj obj obj . .]                 only with sheaves
 *     cpu_sheaves[cpu].barn  --> the node's full and empty sheaves
 *     cpu_slab[cpu].freelist --> obj --> obj --> obj --> NULL     this CPU's objects
 *     cpu_slab[cpu].slab     --> struct page of the active slab (frozen)
 *     node[0]->partial       --> slab <-> slab                     some objects free
 *     node[0]->full          --> slab                              none free
 *
 *   a slab's metadata is in the struct page of its first page:
 *     slab_cache  the cache            freelist  free objects not owned by a CPU
 *     inuse       objects handed out   objects   objects in the slab
 *     frozen      1 while some CPU allocates from it (it is on no list then)
 *
 * ---- One object (slub_debug=FZPU; without debugging only the object itself) ----------
 *
 *   s->size bytes per object, objects back to back from the slab's first byte:
 *
 *   | left red zone | object            | right red zone | free ptr | track    | track    | orig | pad |
 *   | red_left_pad  | object_size       |  up to inuse   | (P or    | alloc    | free     | size |     |
 *   | 0xbb / 0xcc   | 6b 6b .. 6b a5    |  0xbb / 0xcc   |  ctor)   | (U)      | (U)      |(U,km)| 5a  |
 *                   ^ the pointer callers get
 *
 *   Red zones hold 0xbb while the object is free and 0xcc while it is allocated; a
 *   poisoned free object is 0x6b with a last byte of 0xa5, padding is 0x5a.  The free
 *   pointer - the link to the next free object - lives in the middle of the object when
 *   nothing else may be there (Linux moved it off offset 0 so that a small overflow from
 *   the previous object cannot reach it), after the object when the object's bytes must
 *   survive being free (poison, constructor).  kmalloc caches with Z and U also record
 *   the size that was asked for, and the bytes between it and the object size are a
 *   red zone too ("kmalloc Redzone").
 *
 *   Hardening: the stored free pointer is ptr ^ s->random ^ bswap(address where it is
 *   stored), so an overwrite with a plain address decodes to garbage, and one object's
 *   encoded pointer is useless at another address.  Freeing the object that already
 *   heads the freelist (the simplest double free) is caught on every free.
 *
 * ---- The paths -------------------------------------------------------------------------
 *
 *   slab_alloc (fast): an object from this CPU's freelist, the common case, inlined
 *     ___slab_alloc (slow): the CPU's freelist is empty; free objects from the cheapest
 *              place that has some (the active slab, the CPU's partial list, the node's,
 *              a new slab), whose slab then becomes the CPU's active one, frozen
 *   slab_free (fast): an object of the CPU's active slab, the common case, inlined
 *     __slab_free (slow): any other object; its slab moves to the list its new state
 *              calls for (a slab that was full is found again by the next allocations,
 *              an empty one may go back to the buddy allocator)
 *   Debugging caches skip both fast paths: every allocation and free takes one object
 *   from or to a slab on the node lists, with the checks (alloc/free_debug_processing).
 *
 *   A cache with sheaves (Linux 6.18: its creator asked; slub_sheaves=all: every cache
 *   that can) puts one more layer in front: alloc_from_pcs / free_to_pcs pop and push
 *   object pointers in the CPU's main sheaf, trade sheaves with the spare and the
 *   node's barn when it runs empty or full, and refill from / flush to the layer above
 *   (slab_alloc, slab_free) sheaf_capacity objects at a time ("per-CPU sheaves" below).
 *
 * ---- Locking ---------------------------------------------------------------------------
 *
 *   slab_mutex                 (mm/slab_common.c; a spinlock, interrupts on) slab_caches:
 *                              creating, destroying, walking the caches
 *     cpu_sheaves[cpu].lock    local_trylock, interrupts off: that CPU's main and spare
 *                              sheaves.  Held across a refill, a flush and a sheaf's
 *                              kmalloc/kfree, so everything below nests inside it, and
 *                              so may another cache's sheaves lock (tried: a nested use
 *                              of the same lock fails and takes the slab path)
 *       barn->lock             spin_lock: the node's full and empty sheaves; nothing is
 *                              taken under it
 *       cpu_slab[cpu]          interrupts off on that CPU; no other CPU touches it
 *                              (flush_all() asks each CPU to flush its own, on_each_cpu)
 *         n->list_lock         spin_lock with interrupts already off: the node lists, and
 *                              the freelist, inuse and frozen of every slab that is not
 *                              reached through a CPU's own cpu_slab
 *           zone and pcp locks (mm/page_alloc.c) when a slab is made or given back
 *
 *   Linux's order is slab_mutex -> node->list_lock -> slab_lock, with the per-cpu fast
 *   path lockless (cmpxchg on freelist + tid) and a slab's freelist and counters changed
 *   by cmpxchg too, so another CPU can free into a frozen slab without a lock.  pagelab
 *   keeps lab 7's code free of atomics instead: the fast paths (slab_alloc, slab_free)
 *   run with interrupts off - their callers turn them off - and touch only this CPU's
 *   cpu_slab; the slow paths (___slab_alloc, __slab_free) and deactivate_slab run under
 *   n->list_lock, taken by their callers, so a slab shared between CPUs changes under
 *   that one lock.  One node: one list_lock per cache.
  */
#include "arch/random.h"
#include "kernel/kallsyms.h"
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "lib/cmdline.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/debug_race.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/vmstat.h"

enum slab_state slab_state;
struct kmem_cache *kmem_cache;
static struct kmem_cache *kmem_cache_node;

static unsigned long nr_slab_bugs; /* reports printed: "BUG <cache> ..." */

#define SLUB_MAX_ORDER 3      /* PAGE_ALLOC_COSTLY_ORDER: Linux's slub_max_order */
#define MIN_PARTIAL 5
#define MAX_PARTIAL 10
#define CACHE_LINE_SIZE 64
#define DEBUG_FLAGS (SLAB_DEBUG_FLAGS)

static inline unsigned int fls_long(unsigned long x) { return x ? 64 - __builtin_clzl(x) : 0; }

static inline unsigned int get_order(unsigned long size)
{
	return size <= PAGE_SIZE ? 0 : fls_long((size - 1) >> PAGE_SHIFT);
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s, int node)
{
	return s->node[node];
}

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & DEBUG_FLAGS;
}

static inline void *slab_address(const struct page *slab) { return page_address(slab); }

static inline unsigned long slab_size(const struct page *slab)
{
	return PAGE_SIZE << compound_order(slab);
}

/* ---- free pointers -------------------------------------------------------------------- */

/* Encode or decode (the same XOR) a free pointer stored at @ptr_addr. */
static __always_inline void *freelist_ptr(const struct kmem_cache *s, void *ptr, unsigned long ptr_addr)
{
	return (void *)((unsigned long)ptr ^ s->random ^ __builtin_bswap64(ptr_addr));
}

static __always_inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	unsigned long addr = (unsigned long)object + s->offset;

	return freelist_ptr(s, *(void **)addr, addr);
}

static __always_inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	unsigned long addr = (unsigned long)object + s->offset;

	*(void **)addr = freelist_ptr(s, fp, addr);
}

/* Objects of a slab start after the first left red zone. */
static inline void *fixup_red_left(const struct kmem_cache *s, void *p)
{
	return (char *)p + ((s->flags & SLAB_RED_ZONE) ? s->red_left_pad : 0);
}

static inline void *restore_red_left(const struct kmem_cache *s, void *p)
{
	return (char *)p - ((s->flags & SLAB_RED_ZONE) ? s->red_left_pad : 0);
}

#define for_each_object(p, s, addr, objects)                                                  \
	for (p = fixup_red_left(s, addr); (char *)p < (char *)(addr) + (objects) * (s)->size;  \
	     p = (char *)p + (s)->size)

static inline unsigned int obj_to_index(const struct kmem_cache *s, const struct page *slab,
					const void *p)
{
	return ((const char *)restore_red_left(s, (void *)p) - (char *)slab_address(slab)) / s->size;
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (PAGE_SIZE << order) / size;
}

static inline struct kmem_cache_order_objects oo_make(unsigned int order, unsigned int size)
{
	return (struct kmem_cache_order_objects){ (order << OO_SHIFT) + order_objects(order, size) };
}

/* Is @object (the user pointer) one of @slab's objects, or NULL?  */
static bool check_valid_pointer(const struct kmem_cache *s, const struct page *slab, void *object)
{
	char *base = slab_address(slab);
	char *p;

	if (!object)
		return true;
	p = restore_red_left(s, object);
	return p >= base && p < base + slab->objects * s->size && (p - base) % s->size == 0;
}

/* ---- debugging: layout helpers ----------------------------------------------------------- */

struct track {
	unsigned long addr; /* the caller of alloc or free */
	unsigned int cpu;
	int pid;
	unsigned long when; /* jiffies */
};

enum track_item { TRACK_ALLOC, TRACK_FREE };

static inline bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

/* Where the metadata after the object (and after an outside free pointer) begins. */
static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	return freeptr_outside_object(s) ? s->inuse + sizeof(void *) : s->inuse;
}

static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}

static inline unsigned int size_from_object(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RED_ZONE) ? s->size - s->red_left_pad : s->size;
}

static struct track *get_track(const struct kmem_cache *s, void *object, enum track_item alloc)
{
	return (struct track *)((char *)object + get_info_end(s)) + alloc;
}

static void set_track(const struct kmem_cache *s, void *object, enum track_item alloc,
		      unsigned long addr)
{
	struct track *t = get_track(s, object, alloc);

	t->addr = addr;
	t->cpu = smp_processor_id();
	t->pid = 0; /* everything runs as swapper/0 */
	t->when = jiffies;
}

static void init_tracking(const struct kmem_cache *s, void *object)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
}

static unsigned int *orig_size_slot(const struct kmem_cache *s, void *object)
{
	return (unsigned int *)((char *)object + get_info_end(s) + 2 * sizeof(struct track));
}

static void set_orig_size(const struct kmem_cache *s, void *object, unsigned int size)
{
	if (slub_debug_orig_size(s))
		*orig_size_slot(s, object) = size;
}

static unsigned int get_orig_size(const struct kmem_cache *s, void *object)
{
	return slub_debug_orig_size(s) ? *orig_size_slot(s, object) : s->object_size;
}

/* Fill the red zones and poison the object (Linux's init_object). */
static void init_object(const struct kmem_cache *s, void *object, u8 val)
{
	u8 *p = object;
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		/* A kmalloc object red-zones what lies beyond the requested size. */
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, object);
	}
	if (s->flags & __OBJECT_POISON) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

/* ---- debugging: reports, in Linux's format ---------------------------------------------- */

static bool slab_tainted; /* Linux adds TAINT_BAD_PAGE ('B') after the first report */

static const char *print_tainted(void)
{
	/* Linux prints one column per taint flag (19 in 6.x): 'G' first, 'B' is the 6th. */
	return slab_tainted ? "Tainted: G    B             " : "Not tainted";
}

static void add_taint_bad_page(void)
{
	slab_tainted = true;
}

static void slab_bug(const struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);
static void slab_bug(const struct kmem_cache *s, const char *fmt, ...)
{
	va_list ap;
	struct va_format vaf = { .fmt = fmt, .va = &ap };

	va_start(ap, fmt);
	nr_slab_bugs++;
	pr_err("=============================================================================\n");
	pr_err("BUG %s (%s): %pV\n", s->name, print_tainted(), &vaf);
	pr_err("-----------------------------------------------------------------------------\n\n");
	va_end(ap);
}

static void slab_fix(const struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);
static void slab_fix(const struct kmem_cache *s, const char *fmt, ...)
{
	va_list ap;
	struct va_format vaf = { .fmt = fmt, .va = &ap };

	va_start(ap, fmt);
	pr_err("FIX %s: %pV\n", s->name, &vaf);
	va_end(ap);
}

/*
 * print_section - a hex dump as Linux's print_hex_dump(DUMP_PREFIX_ADDRESS, 16, 1, ascii):
 * "Object   ffff888001234000: 6b 6b ... 6b  kkkkkkkkkkkkkkkk".  Linux hashes the address
 * unless booted with no_hash_pointers; pagelab always prints it.
 */
static void print_section(const char *text, const u8 *addr, unsigned int length)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned int off = 0; off < length; off += 16) {
		unsigned int n = MIN(16U, length - off);
		char line[16 * 3 + 2 + 16 + 1];
		int pos = 0;

		for (unsigned int i = 0; i < n; i++) {
			line[pos++] = hex[addr[off + i] >> 4];
			line[pos++] = hex[addr[off + i] & 15];
			line[pos++] = ' ';
		}
		while (pos < 16 * 3 + 1) /* the ASCII column starts at 49 */
			line[pos++] = ' ';
		for (unsigned int i = 0; i < n; i++) {
			u8 c = addr[off + i];

			line[pos++] = c >= 0x20 && c < 0x7f ? c : '.';
		}
		line[pos] = '\0';
		pr_err("%s%016lx: %s\n", text, (unsigned long)(addr + off), line);
	}
}

static void print_track(const char *what, const struct track *t, unsigned long now)
{
	char sym[KSYM_SYMBOL_LEN];

	if (!t->addr)
		return;
	sprint_symbol(sym, sizeof(sym), t->addr);
	pr_err("%s in %s age=%lu cpu=%u pid=%d\n", what, sym, now - t->when, t->cpu, t->pid);
}

static void print_tracking(const struct kmem_cache *s, void *object)
{
	unsigned long now = jiffies;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(s, object, TRACK_ALLOC), now);
	print_track("Freed", get_track(s, object, TRACK_FREE), now);
}

/* The page flags as Linux's %pGp: "0x...(slab|head|node=0|zone=1)". */
static void format_page_flags(char *buf, size_t size, const struct page *page)
{
	int pos = snprintf(buf, size, "0x%lx(", page->flags);

	for (int f = 0; f < __NR_PAGEFLAGS && pos < (int)size; f++)
		if (test_page_flag(page, f))
			pos += snprintf(buf + pos, size - pos, "%s|", pageflag_names[f]);
	if (pos < (int)size)
		snprintf(buf + pos, size - pos, "node=%d|zone=%u)", page_to_nid(page), page_zonenum(page));
}

static void print_slab_info(const struct page *slab)
{
	char flags[96];

	format_page_flags(flags, sizeof(flags), slab);
	pr_err("Slab 0x%016lx objects=%u used=%u fp=0x%016lx flags=%s\n", (unsigned long)slab,
	       slab->objects, slab->inuse, (unsigned long)slab->freelist, flags);
}

static void print_trailer(const struct kmem_cache *s, const struct page *slab, u8 *p)
{
	u8 *addr = slab_address(slab);
	unsigned int off;

	print_tracking(s, p);
	print_slab_info(slab);
	pr_err("Object 0x%016lx @offset=%lu fp=0x%016lx\n\n", (unsigned long)p,
	       (unsigned long)(p - addr), (unsigned long)get_freepointer(s, p));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		print_section("Bytes b4 ", p - 16, 16);
	print_section("Object   ", p, MIN(s->object_size, (unsigned int)PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p + s->object_size, s->inuse - s->object_size);
	off = get_info_end(s);
	if (s->flags & SLAB_STORE_USER)
		off += 2 * sizeof(struct track);
	if (slub_debug_orig_size(s))
		off += sizeof(unsigned int);
	if (off != size_from_object(s)) /* the filler starts after the metadata */
		print_section("Padding  ", p + off, size_from_object(s) - off);
	/* Linux's dump_stack() follows here; pagelab's backtrace needs the trap frame. */
}

static void object_err(const struct kmem_cache *s, const struct page *slab, u8 *object,
		       const char *reason)
{
	slab_bug(s, "%s", reason);
	print_trailer(s, slab, object);
	add_taint_bad_page();
}

static void slab_err(const struct kmem_cache *s, const struct page *slab, const char *fmt, ...)
	__printf(3, 4);
static void slab_err(const struct kmem_cache *s, const struct page *slab, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	slab_bug(s, "%s", buf);
	print_slab_info(slab);
	add_taint_bad_page();
}

static u8 *memchr_inv(u8 *start, u8 value, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		if (start[i] != value)
			return start + i;
	return NULL;
}

static void restore_bytes(const struct kmem_cache *s, const char *what, u8 value, u8 *from, u8 *to)
{
	slab_fix(s, "Restoring %s 0x%016lx-0x%016lx=0x%x", what, (unsigned long)from,
		 (unsigned long)to - 1, value);
	memset(from, value, to - from);
}

/*
 * check_bytes_and_report - are @bytes at @start all @value?  If not: the report (which
 * bytes, the object, its tracking) and the bytes put back, so the next check of this
 * object does not report the same damage again.  Returns 1 if intact.
 */
static int check_bytes_and_report(const struct kmem_cache *s, const struct page *slab, u8 *object,
				  const char *what, u8 *start, u8 value, unsigned int bytes)
{
	u8 *addr = slab_address(slab);
	u8 *fault = memchr_inv(start, value, bytes);
	u8 *end = start + bytes;

	if (!fault)
		return 1;
	while (end > fault && end[-1] == value)
		end--;
	slab_bug(s, "%s overwritten", what);
	pr_err("0x%016lx-0x%016lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
	       (unsigned long)fault, (unsigned long)end - 1, (unsigned long)(fault - addr), fault[0],
	       value);
	print_trailer(s, slab, object);
	add_taint_bad_page();
	restore_bytes(s, what, value, fault, end);
	return 0;
}

/* The filler between the metadata and the next object: POISON_INUSE. */
static int check_pad_bytes(const struct kmem_cache *s, const struct page *slab, u8 *p)
{
	unsigned int off = get_info_end(s);

	if (s->flags & SLAB_STORE_USER)
		off += 2 * sizeof(struct track);
	if (slub_debug_orig_size(s))
		off += sizeof(unsigned int);
	if (size_from_object(s) == off)
		return 1;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
				      size_from_object(s) - off);
}

/* The bytes after the last object of a slab: POISON_INUSE. */
static int slab_pad_check(const struct kmem_cache *s, const struct page *slab)
{
	u8 *start = slab_address(slab);
	unsigned long length = slab_size(slab);
	unsigned long remainder = length % s->size;
	u8 *end = start + length, *pad = end - remainder, *fault;

	if (!(s->flags & SLAB_POISON) || !remainder)
		return 1;
	fault = memchr_inv(pad, POISON_INUSE, remainder);
	if (!fault)
		return 1;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_err(s, slab, "Padding overwritten. 0x%016lx-0x%016lx @offset=%lu", (unsigned long)fault,
		 (unsigned long)end - 1, (unsigned long)(fault - start));
	print_section("Padding ", pad, remainder);
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
	return 0;
}

/*
 * check_object - the red zones, the poison, the padding and the free pointer of one
 * object, expected in state @val (SLUB_RED_ACTIVE: allocated, SLUB_RED_INACTIVE: free).
 * Returns 1 if all is well; damage is reported and repaired.
 */
static int check_object(const struct kmem_cache *s, const struct page *slab, void *object, u8 val)
{
	u8 *p = object, *endobject = p + s->object_size;
	int ret = 1;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, object, "Left Redzone", p - s->red_left_pad, val,
					    s->red_left_pad))
			ret = 0;
		if (!check_bytes_and_report(s, slab, object, "Right Redzone", endobject, val,
					    s->inuse - s->object_size))
			ret = 0;
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(s, object);

			if (s->object_size > orig_size &&
			    !check_bytes_and_report(s, slab, object, "kmalloc Redzone", p + orig_size,
						    val, s->object_size - orig_size))
				ret = 0;
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes_and_report(s, slab, p, "Alignment padding", endobject, POISON_INUSE,
					    s->inuse - s->object_size))
			ret = 0;
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
						    s->object_size - 1))
				ret = 0;
			if (!check_bytes_and_report(s, slab, p, "End Poison", p + s->object_size - 1,
						    POISON_END, 1))
				ret = 0;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = 0;
	}
	/* An allocated object may use the bytes of a free pointer stored inside it. */
	if ((freeptr_outside_object(s) || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_err(s, slab, p, "Freepointer corrupt");
		/* No choice but to cut the chain here: the free objects after it are lost. */
		set_freepointer(s, p, NULL);
		ret = 0;
	}
	return ret;
}

/* check_slab - is @slab a slab page with believable counters? */
static int check_slab(const struct kmem_cache *s, struct page *slab)
{
	unsigned int maxobj;

	if (!PageSlab(slab)) {
		slab_err(s, slab, "Not a valid slab page");
		return 0;
	}
	maxobj = order_objects(compound_order(slab), s->size);
	if (slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return 0;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", slab->inuse, slab->objects);
		return 0;
	}
	return 1;
}

/*
 * on_freelist - is @search on @slab's freelist?  Walks it, checking every link; a bad
 * link is reported and the chain cut there.  Also checks the counters against what the
 * walk found, and fixes them.  With @search NULL: true if the freelist is intact.
 */
static int on_freelist(const struct kmem_cache *s, struct page *slab, void *search)
{
	void *fp = slab->freelist, *object = NULL;
	unsigned int nr = 0, max_objects;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return 1;
		if (!check_valid_pointer(s, slab, fp)) {
			if (object) {
				object_err(s, slab, object, "Freechain corrupt");
				set_freepointer(s, object, NULL);
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab->freelist = NULL;
				slab->inuse = slab->objects;
				slab_fix(s, "Freelist cleared");
				return 0;
			}
			break;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}
	max_objects = MIN(order_objects(compound_order(slab), s->size), (unsigned int)MAX_OBJS_PER_PAGE);
	if (slab->objects != max_objects) {
		slab_err(s, slab, "Wrong number of objects. Found %u but should be %u", slab->objects,
			 max_objects);
		slab->objects = max_objects;
		slab_fix(s, "Number of objects adjusted");
	}
	if (slab->inuse != slab->objects - nr) {
		slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u", slab->inuse,
			 slab->objects - nr);
		slab->inuse = slab->objects - nr;
		slab_fix(s, "Object count adjusted");
	}
	return search == NULL;
}

/* A new object of a debugging cache: checks, then tracking, red zones and poison. */
static bool alloc_debug_processing(const struct kmem_cache *s, struct page *slab, void *object,
				   unsigned int orig_size, unsigned long addr)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto bad;
		if (!check_valid_pointer(s, slab, object)) {
			object_err(s, slab, object, "Freelist Pointer check fails");
			goto bad;
		}
		if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
			goto bad;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_ALLOC, addr);
	set_orig_size(s, object, orig_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
bad:
	/*
	 * Whatever is wrong here may be wrong with the other free objects too: take them all
	 * out of use.  The slab is isolated - never allocated from again - and the kernel
	 * goes on with another one.
	 */
	slab_fix(s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	return false;
}

/* A freed object of a debugging cache: checks, then tracking and poison.  false: keep it. */
static bool free_debug_processing(const struct kmem_cache *s, struct page *slab, void *object,
				  unsigned long addr)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto fail;
		if (!check_valid_pointer(s, slab, object)) {
			slab_err(s, slab, "Invalid object pointer 0x%016lx", (unsigned long)object);
			goto fail;
		}
		if (on_freelist(s, slab, object)) {
			object_err(s, slab, object, "Object already free");
			goto fail;
		}
		if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
			goto fail;
		if (s != slab->slab_cache) {
			slab_err(s, slab, "Attempt to free object(0x%016lx) outside of slab",
				 (unsigned long)object);
			goto fail;
		}
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, addr);
	init_object(s, object, SLUB_RED_INACTIVE);
	return true;
fail:
	slab_fix(s, "Object at 0x%016lx not freed", (unsigned long)object);
	return false;
}

/*
 * The hardened-freelist check that runs without debugging too: freeing the object that
 * heads the freelist would make it point to itself.  Linux BUG()s (an oops); pagelab
 * reports it the slub_debug way, drops the free and goes on.
 */
static void freed_onto_itself(const struct kmem_cache *s, void *object)
{
	slab_bug(s, "Object 0x%016lx freed onto itself (double free or corruption)",
		 (unsigned long)object);
	add_taint_bad_page();
	slab_fix(s, "Object at 0x%016lx not freed", (unsigned long)object);
}

/* ---- slub_debug= ------------------------------------------------------------------------ */

/*
 * The option, kept as given: blocks separated by ';', each "<letters>[,<cache>,...]".
 * A block without cache names applies to every cache; a cache name may end in '*'
 * ("kmalloc-*").  Empty letters mean F Z P U, '-' means none.
 */
static char slub_debug_option[128];
static bool slub_debug_given;

static slab_flags_t parse_debug_letters(const char *s, const char *end)
{
	slab_flags_t flags = 0;

	if (s == end)
		return DEBUG_FLAGS;
	for (; s < end; s++) {
		switch (*s | 0x20) {
		case 'f': flags |= SLAB_CONSISTENCY_CHECKS; break;
		case 'z': flags |= SLAB_RED_ZONE; break;
		case 'p': flags |= SLAB_POISON; break;
		case 'u': flags |= SLAB_STORE_USER; break;
		case '-': return 0;
		default: pr_err("slub_debug option '%c' unknown. skipped\n", *s);
		}
	}
	return flags;
}

static const char *find_char(const char *s, const char *end, char c)
{
	while (s < end && *s != c)
		s++;
	return s;
}

static bool name_matches(const char *pattern, size_t len, const char *name)
{
	if (len && pattern[len - 1] == '*')
		return !strncmp(pattern, name, len - 1);
	return strlen(name) == len && !strncmp(pattern, name, len);
}

slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	slab_flags_t global = 0;
	const char *block = slub_debug_option;

	if (!slub_debug_given)
		return flags;
	if (!*block)
		return flags | DEBUG_FLAGS; /* plain "slub_debug" */
	while (*block) {
		const char *end = find_char(block, block + strlen(block), ';');
		const char *comma = find_char(block, end, ',');

		if (comma == end) {
			global = parse_debug_letters(block, end);
		} else {
			for (const char *n = comma + 1; n < end;) {
				const char *ne = find_char(n, end, ',');

				if (name_matches(n, ne - n, name))
					return flags | parse_debug_letters(block, comma);
				n = ne + 1;
			}
		}
		block = *end ? end + 1 : end;
	}
	return flags | global;
}

void setup_slub_debug(void)
{
	slub_debug_given = false; /* tests/fuzz parses many command lines in one process */
	slub_debug_option[0] = '\0';
	int len = cmdline_find_option(boot_command_line, "slub_debug", slub_debug_option,
				      sizeof(slub_debug_option));

	if (len < 0) /* Linux 6.9 renamed it slab_debug and kept the old name */
		len = cmdline_find_option(boot_command_line, "slab_debug", slub_debug_option,
					  sizeof(slub_debug_option));
	if (len >= 0) {
		slub_debug_given = true;
	} else if (cmdline_find_option_bool(boot_command_line, "slub_debug") ||
		   cmdline_find_option_bool(boot_command_line, "slab_debug")) {
		slub_debug_given = true;
		slub_debug_option[0] = '\0';
	}
}

void kmem_cache_debug_flags(const struct kmem_cache *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s", s->flags & SLAB_CONSISTENCY_CHECKS ? "F" : "",
		 s->flags & SLAB_RED_ZONE ? "Z" : "", s->flags & SLAB_POISON ? "P" : "",
		 s->flags & SLAB_STORE_USER ? "U" : "");
}

unsigned long slab_bug_count(void)
{
	return nr_slab_bugs;
}

/* ---- slabs: getting them from the buddy allocator and giving them back ------------------- */

static void inc_slabs_node(struct kmem_cache *s, struct page *slab)
{
	struct kmem_cache_node *n = get_node(s, page_to_nid(slab));

	n->nr_slabs++;
	n->total_objects += slab->objects;
}

static void dec_slabs_node(struct kmem_cache *s, struct page *slab)
{
	struct kmem_cache_node *n = get_node(s, page_to_nid(slab));

	n->nr_slabs--;
	n->total_objects -= slab->objects;
}

/* The node counter a cache's slabs count in (Linux's cache_vmstat_idx). */
static enum node_stat_item cache_vmstat_idx(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
}

/*
 * Mark a block of 2^@order pages as one unit: PG_head on the first page, the order in the
 * second, and every other page pointing back at the first (compound_head()).
 */
static void prep_compound(struct page *head, unsigned int order)
{
	if (!order)
		return;
	SetPageHead(head);
	head[1].private = order;
	for (unsigned long i = 1; i < (1UL << order); i++) /* compound_head() reads it */
		WRITE_ONCE(head[i].lru.next, (struct list_head *)((unsigned long)head + 1));
}

/* Undo prep_compound(), so the buddy allocator gets plain pages back. */
static void clear_compound(struct page *head, unsigned int order)
{
	if (!order)
		return;
	ClearPageHead(head);
	head[1].private = 0;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		WRITE_ONCE(head[i].lru.next, NULL);
		head[i].lru.prev = NULL;
	}
}

static void setup_object(struct kmem_cache *s, void *object)
{
	if (s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)) {
		init_object(s, object, SLUB_RED_INACTIVE);
		init_tracking(s, object);
	}
	if (s->ctor)
		s->ctor(object);
}

/*
 * allocate_slab - a new slab for @s: pages from the buddy allocator (the preferred order,
 * else the minimum), every object set up and chained on slab->freelist.  The slab is on
 * no list, not frozen, inuse 0; it is counted in its node.  NULL if no memory.
 */
static struct page *allocate_slab(struct kmem_cache *s, gfp_t flags)
{
	struct kmem_cache_order_objects oo = s->oo;
	gfp_t gfp = (flags & ~(__GFP_ZERO | __GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM)) | s->allocflags;
	struct page *slab;
	void *start, *p, *prev = NULL;

	/* Let the higher order fail quietly: the minimum order is the real attempt. */
	slab = alloc_pages(oo_order(oo) > oo_order(s->min) ? gfp | __GFP_NOWARN : gfp, oo_order(oo));
	if (!slab && oo_order(oo) > oo_order(s->min)) {
		oo = s->min;
		slab = alloc_pages(gfp, oo_order(oo));
	}
	if (!slab)
		return NULL;
	prep_compound(slab, oo_order(oo));
	slab->objects = oo_objects(oo);
	slab->inuse = 0;
	slab->frozen = 0;
	slab->slab_cache = s;
	SetPageSlab(slab);
	mod_node_page_state(page_pgdat(slab), cache_vmstat_idx(s), PAGE_SIZE << oo_order(oo));

	start = slab_address(slab);
	if (s->flags & SLAB_POISON) /* so padding and unused bytes read as 0x5a */
		memset(start, POISON_INUSE, slab_size(slab));
	slab->freelist = fixup_red_left(s, start);
	for_each_object(p, s, start, slab->objects) {
		setup_object(s, p);
		if (prev)
			set_freepointer(s, prev, p);
		prev = p;
	}
	set_freepointer(s, prev, NULL);
	return slab;
}

static void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_node *n = get_node(s, 0);

	if (gfp & __GFP_NOWARN)
		return;
	pr_warn("SLUB: Unable to allocate memory on node -1, gfp=%#x\n", gfp);
	pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		s->name, s->object_size, s->size, oo_order(s->oo), oo_order(s->min));
	if (n)
		pr_warn("  node 0: slabs: %lu, objs: %lu\n", n->nr_slabs, n->total_objects);
}

static struct page *new_slab(struct kmem_cache *s, gfp_t flags)
{
	struct page *slab = allocate_slab(s, flags);

	if (slab)
		inc_slabs_node(s, slab);
	else
		slab_out_of_memory(s, flags);
	return slab;
}

/* __free_slab - the pages back to the buddy allocator, cleaned of every slab mark. */
static void __free_slab(struct kmem_cache *s, struct page *slab)
{
	unsigned int order = compound_order(slab);

	mod_node_page_state(page_pgdat(slab), cache_vmstat_idx(s), -(long)(PAGE_SIZE << order));
	clear_compound(slab, order);
	ClearPageSlab(slab);
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->_mapcount = -1; /* the counters shared this word; the buddy checks it */
	__free_pages(slab, order);
}

static void discard_slab(struct kmem_cache *s, struct page *slab)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		void *p;

		slab_pad_check(s, slab);
		for_each_object(p, s, slab_address(slab), slab->objects)
			check_object(s, slab, p, SLUB_RED_INACTIVE);
	}
	dec_slabs_node(s, slab);
	__free_slab(s, slab);
}

/* ---- the node lists ------------------------------------------------------------------------ */

static void add_partial(struct kmem_cache_node *n, struct page *slab)
{
	n->nr_partial++;
	list_add_tail(&slab->lru, &n->partial);
}

static void remove_partial(struct kmem_cache_node *n, struct page *slab)
{
	list_del(&slab->lru);
	n->nr_partial--;
}

/*
 * Full slabs are listed only in debugging caches, as in Linux: validation and the
 * destroy report can then find every object, and other caches save two list operations
 * each time a slab fills up and gets an object back.
 */
static void add_full(struct kmem_cache *s, struct kmem_cache_node *n, struct page *slab)
{
	if (kmem_cache_debug(s))
		list_add(&slab->lru, &n->full);
}

static void remove_full(struct kmem_cache *s, struct page *slab)
{
	if (kmem_cache_debug(s))
		list_del(&slab->lru);
}

/* Put an unfrozen slab where its state says: partial, full, or back to the buddy allocator. */
static void place_slab(struct kmem_cache *s, struct kmem_cache_node *n, struct page *slab)
{
	if (!slab->inuse && n->nr_partial >= s->min_partial)
		discard_slab(s, slab);
	else if (slab->freelist)
		add_partial(n, slab);
	else
		add_full(s, n, slab);
}

/*
 * deactivate_slab - Linux's deactivate_slab(): the CPU lets go of its active slab, and of
 * @freelist, the slab's objects still on the CPU's freelist.  Afterwards they are the
 * slab's again, its inuse tells the truth, and it is unfrozen and where its state says
 * (a list, or back to the buddy allocator).
 */
static void deactivate_slab(struct kmem_cache *s, struct page *slab, void *freelist)
{
	struct kmem_cache_node *n = get_node(s, page_to_nid(slab));

	while (freelist) {
		void *next = get_freepointer(s, freelist);

		set_freepointer(s, freelist, slab->freelist);
		slab->freelist = freelist;
		slab->inuse--;
		freelist = next;
	}
	slab->frozen = 0;
	place_slab(s, n, slab);
}

/*
 * The per-cpu partial list (Linux's CONFIG_SLUB_CPU_PARTIAL): slabs that were full and
 * got an object back go here, frozen, instead of onto the node list - so later frees
 * to them are a plain push, and the next allocations find them without the node list.
 * A stack linked through lru.prev (lru.next must keep bit 0 clear: compound_head()).
 */
static inline struct page *next_partial(const struct page *slab)
{
	return (struct page *)slab->lru.prev;
}

/* unfreeze_partials - the CPU's partial slabs go to the node lists (empty ones may be freed). */
static void unfreeze_partials(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n = get_node(s, 0);

	while (c->partial) {
		struct page *slab = c->partial;

		c->partial = next_partial(slab);
		slab->frozen = 0;
		place_slab(s, n, slab);
	}
	c->nr_partial = 0;
}

static void put_cpu_partial(struct kmem_cache *s, struct page *slab)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];

	if (c->nr_partial >= s->cpu_partial_slabs)
		unfreeze_partials(s, c);
	slab->frozen = 1;
	slab->lru.prev = (struct list_head *)c->partial;
	WRITE_ONCE(slab->lru.next, NULL); /* compound_head() reads it without a lock */
	c->partial = slab;
	c->nr_partial++;
}

/*
 * flush_cpu_slab - CPU @cpu's sheaves and slabs go back to the node lists.  Interrupts
 * off, and @cpu is this CPU: cpu_slab and the sheaves are their owner's.
 */
static void pcs_flush_cpu(struct kmem_cache *s, unsigned int cpu);
static void barn_shrink(struct kmem_cache *s, struct node_barn *barn);

static void flush_cpu_slab(struct kmem_cache *s, unsigned int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	struct kmem_cache_node *n = get_node(s, 0);

	if (s->cpu_sheaves) /* first: the sheaves' objects may go to the CPU slab */
		pcs_flush_cpu(s, cpu);
	spin_lock(&n->list_lock);
	if (c->slab)
		deactivate_slab(s, c->slab, c->freelist);
	c->slab = NULL;
	c->freelist = NULL;
	unfreeze_partials(s, c);
	spin_unlock(&n->list_lock);
}

static void flush_cpu_slab_fn(void *info)
{
	flush_cpu_slab(info, smp_processor_id());
}

/*
 * flush_all - the barn's sheaves go back to the slabs, then every online CPU flushes its
 * own sheaves and slabs of @s, by cross-call (Linux 6.18 queues a work item on each CPU
 * that has some; either way the owner does it).  The barn first: a slab that its objects
 * make partial again may land on this CPU's partial list, which the flush then empties.
 * Not with interrupts off, nor holding a list_lock the CPUs need.
 */
static void flush_all(struct kmem_cache *s)
{
	if (s->cpu_sheaves)
		barn_shrink(s, s->cpu_sheaves[0].barn);
	on_each_cpu(flush_cpu_slab_fn, s, 1);
}

/* ---- allocation --------------------------------------------------------------------------- */

/* A debugging cache: one object from a partial slab or a new one, fully checked. */
static void *alloc_single(struct kmem_cache *s, gfp_t flags, unsigned int orig_size,
			  unsigned long addr)
{
	struct kmem_cache_node *n = get_node(s, 0);
	struct page *slab, *tmp;
	void *object;

	for_each_slab_safe(slab, tmp, &n->partial) {
		object = slab->freelist;
		slab->freelist = get_freepointer(s, object);
		slab->inuse++;
		if (!alloc_debug_processing(s, slab, object, orig_size, addr)) {
			remove_partial(n, slab); /* isolated: marked full, on the full list */
			add_full(s, n, slab);
			continue;
		}
		if (slab->inuse == slab->objects) {
			remove_partial(n, slab);
			add_full(s, n, slab);
		}
		return object;
	}
	slab = new_slab(s, flags);
	if (!slab)
		return NULL;
	object = slab->freelist;
	slab->freelist = get_freepointer(s, object);
	slab->inuse = 1;
	if (!alloc_debug_processing(s, slab, object, orig_size, addr)) {
		add_full(s, n, slab); /* a new slab cannot be corrupt; keep the lists right anyway */
		return NULL;
	}
	if (slab->inuse == slab->objects)
		add_full(s, n, slab);
	else
		add_partial(n, slab);
	return object;
}

/*
 * ___slab_alloc - Linux's ___slab_alloc(), the slow path: the CPU's freelist is empty.
 * Returns one free object of @s, or NULL without memory; afterwards the CPU's active slab
 * is frozen with the rest of its free objects on the CPU's freelist, so the next
 * allocations take the fast path again.
 */
static void *___slab_alloc(struct kmem_cache *s, gfp_t flags, struct kmem_cache_cpu *c,
			   unsigned int orig_size, unsigned long addr)
{
	struct kmem_cache_node *n = get_node(s, 0);
	struct page *slab = c->slab;
	void *freelist;

	if (kmem_cache_debug(s))
		return alloc_single(s, flags, orig_size, addr);
	if (slab) {
		/* Objects freed to the frozen slab by someone else (another CPU, later). */
		freelist = slab->freelist;
		if (freelist)
			goto load;
		deactivate_slab(s, slab, NULL); /* full */
		c->slab = NULL;
	}
	if (c->partial) { /* already frozen, with objects on slab->freelist */
		slab = c->partial;
		c->partial = next_partial(slab);
		c->nr_partial--;
	} else if (!list_empty(&n->partial)) {
		slab = list_first_entry(&n->partial, struct page, lru);
		remove_partial(n, slab);
	} else {
		slab = new_slab(s, flags);
		if (!slab)
			return NULL;
	}
	c->slab = slab;
	freelist = slab->freelist;
load:
	/* Freeze: every free object now belongs to the CPU, so the slab counts as all used. */
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	c->freelist = get_freepointer(s, freelist);
	return freelist;
}

/*
 * The allocation slow path and the zeroing, out of line so that the fast path below
 * needs no stack frame: a freelist pop is a dozen instructions.
 */
static noinline void *slab_alloc_slow(struct kmem_cache *s, gfp_t flags, unsigned int orig_size,
				       unsigned long addr)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];
	void *object = c->freelist;

	if (!object) {
		struct kmem_cache_node *n = get_node(s, 0);

		if (race_unlocked(DEBUG_RACE_LIST_LOCK)) { /* the teaching switch */
			debug_race_enter(&n->list_lock);
			object = ___slab_alloc(s, flags, c, orig_size, addr);
			debug_race_exit(&n->list_lock);
		} else {
			spin_lock(&n->list_lock); /* interrupts are off: slab_alloc's callers */
			object = ___slab_alloc(s, flags, c, orig_size, addr);
			spin_unlock(&n->list_lock);
		}
	} else
		c->freelist = get_freepointer(s, object);
	if ((flags & __GFP_ZERO) && object)
		memset(object, 0, slub_debug_orig_size(s) ? orig_size : s->object_size);
	return object;
}

/*
 * slab_alloc - the allocation fast path (Linux's slab_alloc_node() without its slow
 * path): runs on every allocation, so it serves the common case only and leaves every
 * other case, and __GFP_ZERO, to slab_alloc_slow(); that keeps it small enough to inline.
 */
static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t flags, unsigned int orig_size,
				      unsigned long addr)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];
	void *object = c->freelist;

	if (unlikely(!object || (flags & __GFP_ZERO)))
		return slab_alloc_slow(s, flags, orig_size, addr);
	c->freelist = get_freepointer(s, object);
	return object;
}

static void *alloc_from_pcs(struct kmem_cache *s, gfp_t flags);
static bool free_to_pcs(struct kmem_cache *s, void *x);

/*
 * slab_alloc_irqoff - an allocation with interrupts off, as every allocation runs: the
 * CPU's cpu_slab must not change under it (an interrupt handler allocating from the same
 * cache would pop the same object).  Linux's fast path needs no such thing (a cmpxchg
 * on freelist and tid); lab 7's is plain loads and stores.  A cache with sheaves
 * (Linux 6.18) tries its CPU's main sheaf first, and the CPU slab only when that fails.
 */
static noinline void *slab_alloc_sheaves(struct kmem_cache *s, gfp_t flags,
					  unsigned int orig_size, unsigned long addr)
{
	unsigned long irqflags = local_irq_save();
	void *object = alloc_from_pcs(s, flags);

	if (object && (flags & __GFP_ZERO))
		memset(object, 0, s->object_size); /* sheaves: never a debugging cache */
	if (!object)
		object = slab_alloc(s, flags, orig_size, addr);
	local_irq_restore(irqflags);
	return object;
}

/* The sheaves out of line, so that the per-CPU slab's fast path keeps needing no frame. */
static __always_inline void *slab_alloc_irqoff(struct kmem_cache *s, gfp_t flags,
					       unsigned int orig_size, unsigned long addr)
{
	unsigned long irqflags;
	void *object;

	if (unlikely(s->cpu_sheaves))
		return slab_alloc_sheaves(s, flags, orig_size, addr);
	irqflags = local_irq_save();
	object = slab_alloc(s, flags, orig_size, addr);
	local_irq_restore(irqflags);
	return object;
}

void *__kmem_cache_alloc(struct kmem_cache *s, gfp_t flags, size_t orig_size, unsigned long caller)
{
	return slab_alloc_irqoff(s, flags, orig_size, caller);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return slab_alloc_irqoff(s, flags, s->object_size, _RET_IP_);
}

void *kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size)
{
	return slab_alloc_irqoff(s, flags, size, _RET_IP_);
}

/* __kmalloc - here rather than in slab_common.c so that the freelist pop is inlined. */
void *__kmalloc(size_t size, gfp_t flags)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE)) /* 0, or too large */
		return size ? kmalloc_large(size, flags) : ZERO_SIZE_PTR;
	return slab_alloc_irqoff(kmalloc_slab(size, flags), flags, size, _RET_IP_);
}

/* ---- freeing ------------------------------------------------------------------------------- */

/* __slab_free - the slow path: @x belongs to a slab that is not this CPU's active one. */
static void __slab_free(struct kmem_cache *s, struct page *slab, void *x, unsigned long addr)
{
	struct kmem_cache_node *n;
	void *prior;

	if (kmem_cache_debug(s) && !free_debug_processing(s, slab, x, addr))
		return;
	prior = slab->freelist; /* after the checks: they may have cut a corrupt freelist */
	if (x == prior) {
		freed_onto_itself(s, x);
		return;
	}
	set_freepointer(s, x, prior);
	slab->freelist = x;
	slab->inuse--;
	if (slab->frozen) /* a CPU's partial (or another CPU's active) slab: nothing to move */
		return;
	if (!prior && s->cpu_partial_slabs) { /* it was full: keep it at hand, frozen */
		remove_full(s, slab);
		put_cpu_partial(s, slab);
		return;
	}
	n = get_node(s, page_to_nid(slab));
	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		if (prior)
			remove_partial(n, slab);
		else
			remove_full(s, slab);
		discard_slab(s, slab);
		return;
	}
	if (!prior) { /* it was full: now it has a free object */
		remove_full(s, slab);
		add_partial(n, slab);
	}
}

/* Not the CPU's active slab, or a double free: out of line, like the allocation slow path. */
static noinline void slab_free_slow(struct kmem_cache *s, struct page *slab, void *x,
				    unsigned long addr)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];

	if (slab == c->slab && x == c->freelist) {
		freed_onto_itself(s, x);
	} else {
		struct kmem_cache_node *n = get_node(s, page_to_nid(slab));

		if (race_unlocked(DEBUG_RACE_LIST_LOCK)) { /* the teaching switch */
			debug_race_enter(&n->list_lock);
			__slab_free(s, slab, x, addr);
			debug_race_exit(&n->list_lock);
		} else {
			spin_lock(&n->list_lock); /* interrupts are off: slab_free's callers */
			__slab_free(s, slab, x, addr);
			spin_unlock(&n->list_lock);
		}
	}
}

/*
 * slab_free - the free fast path (Linux's do_slab_free()): runs on every free, so it
 * handles only what needs no list or slab counter, and leaves the rest, double frees
 * included, to slab_free_slow().
 */
static __always_inline void slab_free(struct kmem_cache *s, struct page *slab, void *x,
				    unsigned long addr)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];
	void *head = c->freelist;

	if (unlikely(slab != c->slab || x == head)) {
		slab_free_slow(s, slab, x, addr);
		return;
	}
	set_freepointer(s, x, head);
	c->freelist = x;
}

/*
 * slab_free_irqoff - a free with interrupts off, as every free runs (see
 * slab_alloc_irqoff); into the CPU's main sheaf if the cache has sheaves.
 */
static noinline void slab_free_sheaves(struct kmem_cache *s, struct page *slab, void *x,
				       unsigned long addr)
{
	unsigned long irqflags = local_irq_save();

	if (!free_to_pcs(s, x))
		slab_free(s, slab, x, addr);
	local_irq_restore(irqflags);
}

static __always_inline void slab_free_irqoff(struct kmem_cache *s, struct page *slab, void *x,
					     unsigned long addr)
{
	unsigned long irqflags;

	if (unlikely(s->cpu_sheaves)) {
		slab_free_sheaves(s, slab, x, addr);
		return;
	}
	irqflags = local_irq_save();
	slab_free(s, slab, x, addr);
	local_irq_restore(irqflags);
}

void __kmem_cache_free(struct kmem_cache *s, void *x, unsigned long caller)
{
	slab_free_irqoff(s, virt_to_head_page(x), x, caller);
}

/*
 * The slab of @x if it belongs to @s.  Like Linux with CONFIG_SLAB_FREELIST_HARDENED,
 * a pointer from another cache is reported (and freed to its own cache, as Linux does);
 * a pointer that is in no slab is reported and not freed.
 */
static struct page *cache_from_obj(struct kmem_cache **s, void *x)
{
	struct page *slab = virt_to_head_page(x);

	if (!PageSlab(slab)) {
		pr_err("kmem_cache_free: Object 0x%016lx is not a Slab page!\n", (unsigned long)x);
		return NULL;
	}
	if (slab->slab_cache != *s) {
		pr_err("kmem_cache_free: Wrong slab cache. %s but object is from %s\n", (*s)->name,
		       slab->slab_cache->name);
		print_tracking(slab->slab_cache, x);
		*s = slab->slab_cache;
	}
	return slab;
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *slab;

	if (!x)
		return;
	slab = cache_from_obj(&s, x);
	if (slab)
		slab_free_irqoff(s, slab, x, _RET_IP_);
}

/* ---- per-CPU sheaves and the barn (Linux 6.18) ----------------------------------------- */

/*
 * A cache with sheaves serves allocations and frees from its CPU's main sheaf (a pop, a
 * push), under the CPU's local_trylock and with interrupts off (slab_alloc_irqoff).  When
 * main runs empty or full, the CPU swaps it with the spare, trades it at the node's barn,
 * and last refills it from, or flushes it to, the slabs below, sheaf_capacity objects at
 * a time.
 *
 * Everything happens inside the CPU's sheaves lock, the refill and the flush included,
 * and so do the kmalloc and kfree of a sheaf.  Linux 6.18 lets go of the local lock for
 * those and re-checks after; pagelab can keep it because every path runs with interrupts
 * off, so nothing else on this CPU can come in - except itself: a sheaf is a kmalloc
 * object, and with slub_sheaves=all allocating one may enter the sheaves of a kmalloc
 * cache, maybe the very cache whose lock this CPU holds.  That inner call's trylock
 * fails and it uses the CPU slab instead, as an allocation from an interrupt that came
 * in on a sheaves user does in Linux.
 *
 * Invariants (outside the lock): pcs->main is never NULL; if it is &bootstrap_sheaf, the
 * spare is NULL; a spare is a real sheaf, empty or with objects; the barn's lists hold
 * at most MAX_FULL_SHEAVES full and MAX_EMPTY_SHEAVES empty sheaves.
 */

/* The CONFIG_SLUB_STATS counters: written by their CPU only, read by `slab <cache>`. */
static inline void sheaf_stat(struct slub_percpu_sheaves *pcs, enum sheaf_stat_item item,
			      unsigned int n)
{
	WRITE_ONCE(pcs->stat[item], pcs->stat[item] + n);
}

static inline void swap_main_spare(struct slub_percpu_sheaves *pcs)
{
	struct slab_sheaf *main = pcs->main;

	pcs->main = pcs->spare;
	pcs->spare = main;
}

/*
 * A CPU's main sheaf before its first use, and - pagelab's choice - again after a flush:
 * empty and with room for nothing, so that both fast paths fall into their slow paths,
 * which then get a real sheaf.  So a shrunk cache holds no sheaf at all, and a CPU that
 * never uses a cache costs it none.  Linux 7.0 has the same object for the caches that
 * have no sheaves (its fast paths then need no test); a flush in Linux keeps main.
 * Shared by every cache and CPU, so never written: not flushed, not a spare, not on a
 * barn list, not freed.
 */
static struct slab_sheaf bootstrap_sheaf;

static inline struct slub_percpu_sheaves *this_cpu_sheaves(struct kmem_cache *s)
{
	return &s->cpu_sheaves[smp_processor_id()];
}

/* An empty sheaf for @s from kmalloc, or NULL; counted on @pcs if given. */
static struct slab_sheaf *alloc_empty_sheaf(struct kmem_cache *s, struct slub_percpu_sheaves *pcs)
{
	struct slab_sheaf *sheaf = kmalloc(sizeof(*sheaf) + s->sheaf_capacity * sizeof(void *),
					   GFP_NOWAIT | __GFP_NOWARN);

	if (!sheaf)
		return NULL;
	sheaf->cache = s;
	sheaf->size = 0;
	sheaf->capacity = s->sheaf_capacity;
	INIT_LIST_HEAD(&sheaf->barn_list);
	if (pcs)
		sheaf_stat(pcs, SHEAF_ALLOC, 1);
	return sheaf;
}

/*
 * kfree_sheaf - kfree() of a sheaf, past the sheaves of its kmalloc cache: straight to
 * the slab, so that freeing one cache's sheaves never fills another's (or, for a kmalloc
 * cache, its own again) and a shrink leaves nothing behind in a sheaf.
 */
static void kfree_sheaf(struct slab_sheaf *sheaf)
{
	struct page *slab;
	unsigned long flags;

	if (!sheaf || sheaf == &bootstrap_sheaf)
		return;
	slab = virt_to_head_page(sheaf);
	flags = local_irq_save();
	slab_free(slab->slab_cache, slab, sheaf, _RET_IP_);
	local_irq_restore(flags);
}

static void free_empty_sheaf(struct slub_percpu_sheaves *pcs, struct slab_sheaf *sheaf)
{
	if (pcs)
		sheaf_stat(pcs, SHEAF_FREE, 1);
	kfree_sheaf(sheaf);
}

/* A sheaf from one of @barn's lists, or NULL if that list is empty. */
static struct slab_sheaf *barn_get(struct node_barn *barn, bool full)
{
	struct list_head *list = full ? &barn->sheaves_full : &barn->sheaves_empty;
	struct slab_sheaf *sheaf = NULL;

	spin_lock(&barn->lock);
	if (!list_empty(list)) {
		sheaf = list_first_entry(list, struct slab_sheaf, barn_list);
		list_del(&sheaf->barn_list);
		if (full) /* nr_full is read without the lock: barn_full_of_full() */
			WRITE_ONCE(barn->nr_full, barn->nr_full - 1);
		else
			barn->nr_empty--;
	}
	spin_unlock(&barn->lock);
	return sheaf;
}

/* Leave @sheaf (full, or empty) in @barn; false if the barn already holds its maximum. */
static bool barn_put(struct node_barn *barn, struct slab_sheaf *sheaf, bool full)
{
	bool ok;

	spin_lock(&barn->lock);
	if (full) {
		ok = barn->nr_full < MAX_FULL_SHEAVES;
		if (ok) {
			list_add(&sheaf->barn_list, &barn->sheaves_full);
			WRITE_ONCE(barn->nr_full, barn->nr_full + 1);
		}
	} else {
		ok = barn->nr_empty < MAX_EMPTY_SHEAVES;
		if (ok) {
			list_add(&sheaf->barn_list, &barn->sheaves_empty);
			barn->nr_empty++;
		}
	}
	spin_unlock(&barn->lock);
	return ok;
}

/* Whether the barn holds its maximum of full sheaves: a look, no promise. */
static bool barn_full_of_full(struct node_barn *barn)
{
	return READ_ONCE(barn->nr_full) >= MAX_FULL_SHEAVES;
}

/*
 * refill_sheaf - fill @sheaf from the slabs (through the CPU slab, as 6.18's bulk
 * allocation does) up to its capacity.  Returns the objects added: fewer, even 0, only
 * without memory.
 */
static unsigned int refill_sheaf(struct kmem_cache *s, struct slub_percpu_sheaves *pcs,
				 struct slab_sheaf *sheaf, gfp_t flags)
{
	unsigned int before = sheaf->size;

	flags &= ~__GFP_ZERO;
	while (sheaf->size < sheaf->capacity) {
		void *object = slab_alloc(s, flags, s->object_size, _RET_IP_);

		if (!object)
			break;
		sheaf->objects[sheaf->size++] = object;
	}
	sheaf_stat(pcs, SHEAF_REFILL, sheaf->size - before);
	return sheaf->size - before;
}

/*
 * sheaf_flush - every object of @sheaf back to its slab, through this CPU's slab
 * (slab_free() takes the slow path for any object of another slab, whoever allocated
 * it).  Counted on @pcs; interrupts off.
 */
static void sheaf_flush(struct kmem_cache *s, struct slub_percpu_sheaves *pcs,
			struct slab_sheaf *sheaf)
{
	if (!sheaf->size)
		return; /* the bootstrap sheaf among others: never written */
	for (unsigned int i = 0; i < sheaf->size; i++) {
		void *x = sheaf->objects[i];

		slab_free(s, virt_to_head_page(x), x, _RET_IP_);
	}
	sheaf_stat(pcs, SHEAF_FLUSH, sheaf->size);
	sheaf->size = 0;
}

/*
 * Main is empty: make main a sheaf with objects - the spare if it has some; else a full
 * one from the barn (main, if real, becomes the spare or goes to the barn's empty list);
 * else, if the caller may wait (__GFP_DIRECT_RECLAIM, as Linux 6.18 asks), a refill from
 * the slabs.  False otherwise: the caller takes its one object from the CPU slab.
 */
static bool pcs_replace_empty_main(struct kmem_cache *s, struct slub_percpu_sheaves *pcs,
				   gfp_t flags)
{
	bool bootstrap = pcs->main == &bootstrap_sheaf;
	struct slab_sheaf *sheaf;

	if (pcs->spare && pcs->spare->size) {
		swap_main_spare(pcs);
		sheaf_stat(pcs, SHEAF_SWAP, 1);
		return true;
	}
	sheaf = barn_get(pcs->barn, true);
	if (sheaf) {
		sheaf_stat(pcs, BARN_GET, 1);
		if (!bootstrap && !pcs->spare)
			pcs->spare = pcs->main;
		else if (!bootstrap && !barn_put(pcs->barn, pcs->main, false))
			free_empty_sheaf(pcs, pcs->main);
		pcs->main = sheaf;
		return true;
	}
	sheaf_stat(pcs, BARN_GET_FAIL, 1);
	if (!(flags & __GFP_DIRECT_RECLAIM))
		return false; /* no refill of a whole sheaf for a caller that cannot wait */
	if (bootstrap) {
		sheaf = barn_get(pcs->barn, false);
		if (!sheaf)
			sheaf = alloc_empty_sheaf(s, pcs);
		if (!sheaf)
			return false;
		pcs->main = sheaf;
	}
	return refill_sheaf(s, pcs, pcs->main, flags) > 0;
}

/*
 * Main has no room: make main a sheaf with room - the spare if it has some; else an
 * empty one from the barn or kmalloc, the full main going to the spare slot or to the
 * barn.  If the barn already holds its maximum of full sheaves, the spare is flushed to
 * the slabs and becomes main (Linux 6.18's order).  False only if main is the bootstrap
 * sheaf and no empty sheaf can be had: the caller frees to the CPU slab then.
 */
static bool pcs_replace_full_main(struct kmem_cache *s, struct slub_percpu_sheaves *pcs)
{
	struct slab_sheaf *empty;

	if (pcs->spare && pcs->spare->size < pcs->spare->capacity) {
		swap_main_spare(pcs);
		sheaf_stat(pcs, SHEAF_SWAP, 1);
		return true;
	}
	if (pcs->spare && barn_full_of_full(pcs->barn)) {
		sheaf_stat(pcs, BARN_PUT_FAIL, 1);
		sheaf_flush(s, pcs, pcs->spare);
		swap_main_spare(pcs);
		return true;
	}
	empty = barn_get(pcs->barn, false);
	if (!empty)
		empty = alloc_empty_sheaf(s, pcs);
	if (!empty) {
		if (pcs->main == &bootstrap_sheaf)
			return false;
		sheaf_flush(s, pcs, pcs->main); /* no sheaf to be had: main goes back */
		return true;
	}
	if (pcs->main == &bootstrap_sheaf) {
		; /* nothing to keep */
	} else if (!pcs->spare) {
		pcs->spare = pcs->main;
	} else if (barn_put(pcs->barn, pcs->main, true)) {
		sheaf_stat(pcs, BARN_PUT, 1);
	} else { /* another CPU filled the barn meanwhile */
		sheaf_stat(pcs, BARN_PUT_FAIL, 1);
		sheaf_flush(s, pcs, pcs->main);
		if (!barn_put(pcs->barn, empty, false))
			free_empty_sheaf(pcs, empty);
		return true;
	}
	pcs->main = empty;
	return true;
}

/*
 * alloc_from_pcs - Linux's alloc_from_pcs(): an object from this CPU's main sheaf, or
 * NULL - this CPU is already inside its sheaves, the caller cannot wait for a refill, or
 * there is no memory - and the caller uses the CPU slab.  Interrupts are off.
 */
static void *alloc_from_pcs(struct kmem_cache *s, gfp_t flags)
{
	struct slub_percpu_sheaves *pcs = this_cpu_sheaves(s);
	void *object = NULL;

	if (unlikely(!local_trylock(&pcs->lock)))
		return NULL;
	if (likely(pcs->main->size) || pcs_replace_empty_main(s, pcs, flags)) {
		object = pcs->main->objects[--pcs->main->size];
		sheaf_stat(pcs, ALLOC_PCS, 1);
	}
	local_unlock(&pcs->lock);
	return object;
}

/*
 * free_to_pcs - Linux's free_to_pcs(): @x into this CPU's main sheaf.  False if this CPU
 * is already inside its sheaves, or no sheaf with room can be had (the caller then frees
 * to the CPU slab).  Freeing the object freed last, still on top of main, is the double
 * free every free catches (as the CPU slab's freelist head check does): reported and
 * dropped.  Interrupts are off.
 */
static bool free_to_pcs(struct kmem_cache *s, void *x)
{
	struct slub_percpu_sheaves *pcs = this_cpu_sheaves(s);
	struct slab_sheaf *main;

	if (unlikely(!local_trylock(&pcs->lock)))
		return false;
	main = pcs->main;
	if (unlikely(main->size && main->objects[main->size - 1] == x)) {
		freed_onto_itself(s, x);
	} else {
		if (unlikely(main->size == main->capacity)) {
			if (!pcs_replace_full_main(s, pcs)) {
				local_unlock(&pcs->lock);
				return false;
			}
			main = pcs->main;
		}
		main->objects[main->size++] = x;
		sheaf_stat(pcs, FREE_PCS, 1);
	}
	local_unlock(&pcs->lock);
	return true;
}

/*
 * pcs_flush_cpu - this CPU's sheaves of @s give their objects back to the slabs and are
 * freed; main is the bootstrap sheaf again.  Interrupts off (flush_all's cross-call).
 */
static void pcs_flush_cpu(struct kmem_cache *s, unsigned int cpu)
{
	struct slub_percpu_sheaves *pcs = &s->cpu_sheaves[cpu];

	if (!local_trylock(&pcs->lock))
		return; /* cannot happen: a cross-call waits for interrupts on */
	if (pcs->main != &bootstrap_sheaf) {
		sheaf_flush(s, pcs, pcs->main);
		free_empty_sheaf(pcs, pcs->main);
		pcs->main = &bootstrap_sheaf;
	}
	if (pcs->spare) {
		sheaf_flush(s, pcs, pcs->spare);
		free_empty_sheaf(pcs, pcs->spare);
		pcs->spare = NULL;
	}
	local_unlock(&pcs->lock);
}

/*
 * barn_shrink - the barn's full sheaves back to the slabs and every sheaf of the barn
 * freed (Linux's barn_shrink(), on kmem_cache_shrink and destroy); counted on this CPU.
 * A barn whose counts disagree with its lists, or that holds a sheaf that is not what
 * its list says (or is another cache's), was changed without its lock: pagelab reports
 * it (Linux does not look), so that a shrink - `stress`'s among others - is also a check.
 */
static void barn_shrink(struct kmem_cache *s, struct node_barn *barn)
{
	unsigned int nr_full, nr_empty, listed_full = 0, listed_empty = 0, wrong = 0;
	struct slab_sheaf *sheaf, *tmp;
	unsigned long flags;
	LIST_HEAD(full);
	LIST_HEAD(empty);

	spin_lock_irqsave(&barn->lock, flags);
	nr_full = barn->nr_full;
	nr_empty = barn->nr_empty;
	list_splice_init(&barn->sheaves_full, &full);
	list_splice_init(&barn->sheaves_empty, &empty);
	WRITE_ONCE(barn->nr_full, 0);
	barn->nr_empty = 0;
	spin_unlock_irqrestore(&barn->lock, flags);

	flags = local_irq_save();
	list_for_each_entry_safe(sheaf, tmp, &full, barn_list) {
		listed_full++;
		wrong += sheaf->size != sheaf->capacity || sheaf->cache != s;
		sheaf_flush(s, this_cpu_sheaves(s), sheaf);
		free_empty_sheaf(this_cpu_sheaves(s), sheaf);
	}
	list_for_each_entry_safe(sheaf, tmp, &empty, barn_list) {
		listed_empty++;
		wrong += sheaf->size != 0 || sheaf->cache != s;
		sheaf_flush(s, this_cpu_sheaves(s), sheaf); /* objects in an "empty" one: not lost */
		free_empty_sheaf(this_cpu_sheaves(s), sheaf);
	}
	local_irq_restore(flags);
	if (listed_full != nr_full || listed_empty != nr_empty || wrong)
		slab_bug(s, "barn lists %u full and %u empty sheaves but counts %u and %u; %u "
			 "sheaves not what their list says", listed_full, listed_empty, nr_full,
			 nr_empty, wrong);
}

/*
 * calculate_sheaf_capacity - Linux 7.0's default for a cache that did not ask: about as
 * many objects as the per-cpu partial list held (two sheaves per CPU, so half of
 * cpu_partial), rounded up so that a sheaf fills its kmalloc size class exactly.
 */
static unsigned int calculate_sheaf_capacity(const struct kmem_cache *s)
{
	unsigned int capacity = s->size >= PAGE_SIZE ? 4 : s->size >= 1024 ? 12 :
				s->size >= 256 ? 26 : 60;
	size_t bytes = sizeof(struct slab_sheaf) + capacity * sizeof(void *);
	int index = kmalloc_index(bytes);

	return (kmalloc_size(index) - sizeof(struct slab_sheaf)) / sizeof(void *);
}

/* slub_sheaves=all: every cache that can gets sheaves (pagelab's switch for Linux 7.0's rule). */
static bool slub_sheaves_all;

static void free_percpu_sheaves(struct kmem_cache *s)
{
	struct node_barn *barn;

	if (!s->cpu_sheaves)
		return;
	barn = s->cpu_sheaves[0].barn;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct slub_percpu_sheaves *pcs = &s->cpu_sheaves[cpu];

		kfree_sheaf(pcs->main); /* empty: the cache was shut down (or never used) */
		kfree_sheaf(pcs->spare);
	}
	if (barn)
		barn_shrink(s, barn);
	kfree(barn);
	kfree(s->cpu_sheaves);
	s->cpu_sheaves = NULL;
}

/*
 * init_percpu_sheaves - the per-CPU sheaf slots of @s, each CPU's main the bootstrap
 * sheaf until its first use, and the node's barn (kmalloc objects: only once kmalloc
 * works).  0 or -ENOMEM.
 */
static int init_percpu_sheaves(struct kmem_cache *s)
{
	struct node_barn *barn = kmalloc(sizeof(*barn), GFP_KERNEL);
	struct slub_percpu_sheaves *cpu_sheaves = kcalloc(NR_CPUS, sizeof(*cpu_sheaves), GFP_KERNEL);

	if (!barn || !cpu_sheaves) {
		kfree(barn);
		kfree(cpu_sheaves);
		return -ENOMEM;
	}
	spin_lock_init(&barn->lock);
	INIT_LIST_HEAD(&barn->sheaves_full);
	INIT_LIST_HEAD(&barn->sheaves_empty);
	barn->nr_full = barn->nr_empty = 0;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		cpu_sheaves[cpu].barn = barn;
		cpu_sheaves[cpu].main = &bootstrap_sheaf;
		local_trylock_init(&cpu_sheaves[cpu].lock);
	}
	smp_store_release(&s->cpu_sheaves, cpu_sheaves); /* last: the fast paths test it */
	return 0;
}

/* setup_slub_sheaves - read slub_sheaves= (all: Linux 7.0's caches; anything else: 6.18's). */
static void setup_slub_sheaves(void)
{
	char value[16];

	slub_sheaves_all = false;
	if (cmdline_find_option(boot_command_line, "slub_sheaves", value, sizeof(value)) < 0)
		return;
	slub_sheaves_all = !strcmp(value, "all");
	if (!slub_sheaves_all)
		pr_warn("slub_sheaves=%s: only 'all' is known; sheaves only where asked for\n",
			value);
}

/*
 * bootstrap_kmalloc_sheaves - with slub_sheaves=all, the kmalloc caches get their sheaves
 * once kmalloc works, since sheaves and barns are kmalloc objects (Linux 7.0 bootstraps
 * its kmalloc caches' sheaves the same way, after they all exist).
 */
static void bootstrap_kmalloc_sheaves(void)
{
	struct kmem_cache *s;

	if (!slub_sheaves_all)
		return;
	spin_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		if (s == kmem_cache || s == kmem_cache_node || kmem_cache_debug(s) || s->cpu_sheaves)
			continue;
		s->sheaf_capacity = calculate_sheaf_capacity(s);
		if (init_percpu_sheaves(s))
			s->sheaf_capacity = 0;
	}
	spin_unlock(&slab_mutex);
}

struct slab_cpu_view_arg {
	struct kmem_cache *s;
	struct slab_cpu_view *view;
};

static void fill_cpu_view(void *info)
{
	struct slab_cpu_view_arg *arg = info;
	struct kmem_cache *s = arg->s;
	struct slab_cpu_view *v = &arg->view[smp_processor_id()];
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];

	v->online = true;
	v->slab = c->slab != NULL;
	v->free = 0;
	for (void *p = c->freelist; p && v->free < MAX_OBJS_PER_PAGE; p = get_freepointer(s, p))
		v->free++;
	v->nr_partial = c->partial ? c->nr_partial : 0;
	if (s->cpu_sheaves) {
		struct slub_percpu_sheaves *pcs = this_cpu_sheaves(s);

		v->main = pcs->main->size;
		v->spare = pcs->spare ? pcs->spare->size : 0;
	}
}

void slab_cpu_view(struct kmem_cache *s, struct slab_cpu_view view[NR_CPUS])
{
	struct slab_cpu_view_arg arg = { .s = s, .view = view };

	memset(view, 0, NR_CPUS * sizeof(*view));
	on_each_cpu(fill_cpu_view, &arg, 1);
}

struct sheaves_count_arg {
	struct kmem_cache *s;
	atomic_long_t objects;
};

/* On each CPU, by cross-call: never inside its sheaves, which run with interrupts off. */
static void count_cpu_sheaves(void *info)
{
	struct sheaves_count_arg *arg = info;
	struct slub_percpu_sheaves *pcs = this_cpu_sheaves(arg->s);

	atomic_long_add(pcs->main->size + (pcs->spare ? pcs->spare->size : 0), &arg->objects);
}

/*
 * slab_sheaves_count - what @s's sheaves hold: objects in the CPUs' sheaves (each CPU
 * counts its own, by cross-call, since only it may look at them), and the barn's full
 * and empty sheaves.  Interrupts on.  A snapshot: other CPUs go on.
 */
void slab_sheaves_count(struct kmem_cache *s, struct sheaves_count *c)
{
	struct sheaves_count_arg arg = { .s = s, .objects = ATOMIC_LONG_INIT(0) };
	struct node_barn *barn;
	struct slab_sheaf *sheaf;
	unsigned long flags;

	memset(c, 0, sizeof(*c));
	if (!s->cpu_sheaves)
		return;
	on_each_cpu(count_cpu_sheaves, &arg, 1);
	c->cpu_objects = atomic_long_read(&arg.objects);
	barn = s->cpu_sheaves[0].barn;
	spin_lock_irqsave(&barn->lock, flags);
	c->barn_full = barn->nr_full;
	c->barn_empty = barn->nr_empty;
	list_for_each_entry(sheaf, &barn->sheaves_full, barn_list)
		c->barn_objects += sheaf->size;
	spin_unlock_irqrestore(&barn->lock, flags);
}

/* ---- kmalloc: large allocations and kfree ------------------------------------------------ */

void *kmalloc_large(size_t size, gfp_t flags)
{
	unsigned int order = get_order(size);
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		if (!(flags & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is more than KMALLOC_MAX_SIZE (%lu)\n", size,
				(unsigned long)KMALLOC_MAX_SIZE);
		return NULL;
	}
	page = alloc_pages(flags, order);
	if (!page)
		return NULL;
	prep_compound(page, order); /* order >= 1 here: kfree finds the order in page[1] */
	/* Linux counts these as slab memory too */
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B, PAGE_SIZE << order);
	return page_address(page);
}

static noinline void free_large_kmalloc(struct page *head, const void *object)
{
	unsigned int order = compound_order(head);

	if (!PageHead(head) || object != page_address(head)) {
		pr_err("kfree: 0x%016lx is neither a slab object nor a large kmalloc\n",
		       (unsigned long)object);
		return;
	}
	mod_node_page_state(page_pgdat(head), NR_SLAB_UNRECLAIMABLE_B, -(long)(PAGE_SIZE << order));
	clear_compound(head, order);
	__free_pages(head, order);
}

void kfree(const void *x)
{
	struct page *slab;

	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	slab = virt_to_head_page(x);
	if (unlikely(!PageSlab(slab))) {
		free_large_kmalloc(slab, x);
		return;
	}
	slab_free_irqoff(slab->slab_cache, slab, (void *)x, _RET_IP_);
}

size_t __ksize_slab(const struct kmem_cache *s)
{
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size; /* the rest of the stride is checked */
	if (s->flags & SLAB_STORE_USER)
		return s->inuse;
	return s->size;
}

size_t ksize(const void *p)
{
	struct page *head;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	head = virt_to_head_page(p);
	if (!PageSlab(head))
		return PAGE_SIZE << compound_order(head);
	return __ksize_slab(head->slab_cache);
}

unsigned int kmalloc_orig_size(struct kmem_cache *s, const void *x)
{
	return get_orig_size(s, (void *)x);
}

void kmalloc_resize(struct kmem_cache *s, void *x, size_t new_size, gfp_t flags)
{
	unsigned int old_size = get_orig_size(s, x);
	u8 *p = x;

	if (!slub_debug_orig_size(s)) {
		/*
		 * The old size is not known: zero the whole spare part now, so that growing
		 * later reads zeros (Linux's rule: __GFP_ZERO on every krealloc of a buffer).
		 */
		if (flags & __GFP_ZERO)
			memset(p + new_size, 0, __ksize_slab(s) - new_size);
		return;
	}
	if (new_size > old_size && (flags & __GFP_ZERO))
		memset(p + old_size, 0, new_size - old_size);
	if (new_size < old_size && (s->flags & SLAB_RED_ZONE))
		memset(p + new_size, SLUB_RED_ACTIVE, old_size - new_size); /* the red zone grows */
	set_orig_size(s, x, new_size);
}

/* ---- creating and destroying caches ---------------------------------------------------- */

/*
 * calc_slab_order - the smallest order at which @min_objects objects of @size fit and the
 * unused tail is at most 1/@fract_leftover of the slab (Linux's calc_slab_order).
 */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_objects,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = get_order((unsigned long)min_objects * size); order <= max_order; order++) {
		unsigned int slab_bytes = PAGE_SIZE << order;

		if (slab_bytes % size <= slab_bytes / fract_leftover)
			break;
	}
	return order;
}

/*
 * calculate_order - Linux's search: at least min_objects = 4 * (fls(nr_cpus) + 1) objects
 * per slab, wasting at most 1/16 of it, then 1/8, then 1/4; fewer objects if that needs
 * more than order 3; a single object at the last resort.
 *
 * nr_cpus as in Linux 6.18's calculate_order(): the present CPUs, or nr_cpu_ids when
 * that says 1 (some machines mark CPUs present only as they come up).  pagelab has no
 * present mask apart from the possible one, so num_possible_cpus() stands for it.
 */
static int calculate_order(unsigned int size)
{
	unsigned int nr_cpus = num_possible_cpus() > 1 ? num_possible_cpus() : nr_cpu_ids;
	unsigned int min_objects = 4 * (fls_long(nr_cpus) + 1);
	unsigned int max_objects = order_objects(SLUB_MAX_ORDER, size);
	unsigned int order;

	min_objects = MIN(min_objects, max_objects);
	while (min_objects > 1) {
		for (unsigned int fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order(size, min_objects, SLUB_MAX_ORDER, fraction);
			if (order <= SLUB_MAX_ORDER)
				return order;
		}
		min_objects--;
	}
	order = calc_slab_order(size, 1, SLUB_MAX_ORDER, 1);
	if (order <= SLUB_MAX_ORDER)
		return order;
	order = calc_slab_order(size, 1, MAX_PAGE_ORDER, 1);
	return order <= MAX_PAGE_ORDER ? (int)order : -EINVAL;
}

/* calculate_sizes - the object layout (see the top of this file) and the slab order. */
static int calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = ALIGN_UP(s->object_size, sizeof(void *));
	int order;

	if ((flags & SLAB_POISON) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	/* A right red zone of at least one word, even when the size is already aligned. */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	if (slub_debug_orig_size(s) || (flags & SLAB_POISON) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) && s->object_size < sizeof(void *))) {
		/* The object's bytes must survive being free: the pointer goes after it. */
		s->offset = size;
		size += sizeof(void *);
	} else {
		/* In the middle, out of reach of small overflows from the previous object. */
		s->offset = ALIGN_DOWN(s->object_size / 2, sizeof(void *));
	}
	if (flags & SLAB_STORE_USER) {
		size += 2 * sizeof(struct track);
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
	}
	if (flags & SLAB_RED_ZONE) {
		/* Padding so that an underflow of this object hits a red zone, not metadata. */
		size += sizeof(void *);
		s->red_left_pad = ALIGN_UP(sizeof(void *), s->align);
		size += s->red_left_pad;
	}
	size = ALIGN_UP(size, s->align);
	s->size = size;
	order = calculate_order(size);
	if (order < 0)
		return order;
	s->allocflags = 0;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= __GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		s->allocflags |= __GFP_DMA32;
	s->oo = oo_make(order, size);
	s->min = oo_make(get_order(size), size);
	return oo_objects(s->oo) ? 0 : -EINVAL;
}

static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	spin_lock_init(&n->list_lock);
	n->nr_partial = 0;
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
	n->nr_slabs = 0;
	n->total_objects = 0;
}

/*
 * early_kmem_cache_node_alloc - the chicken and egg of the bootstrap: the cache of
 * kmem_cache_node needs a kmem_cache_node before it can allocate one.  So take a slab
 * straight from the buddy allocator and carve the first object out by hand.
 */
static void early_kmem_cache_node_alloc(int node)
{
	struct page *slab = allocate_slab(kmem_cache_node, GFP_KERNEL);
	struct kmem_cache_node *n;

	if (!slab)
		panic("early_kmem_cache_node_alloc: no memory for the first slab");
	n = slab->freelist;
	slab->freelist = get_freepointer(kmem_cache_node, n);
	slab->inuse = 1;
	if (kmem_cache_debug(kmem_cache_node)) {
		init_object(kmem_cache_node, n, SLUB_RED_ACTIVE);
		init_tracking(kmem_cache_node, n);
	}
	kmem_cache_node->node[node] = n;
	init_kmem_cache_node(n);
	inc_slabs_node(kmem_cache_node, slab);
	add_partial(n, slab);
}

static int init_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < MAX_NUMNODES; node++) {
		struct kmem_cache_node *n;

		if (slab_state == DOWN) {
			early_kmem_cache_node_alloc(node);
			continue;
		}
		n = kmem_cache_alloc(kmem_cache_node, GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		init_kmem_cache_node(n);
		s->node[node] = n;
	}
	return 0;
}

/*
 * The caches' per-CPU parts.  Linux takes them from its per-CPU allocator
 * (alloc_percpu()); pagelab keeps a pool of NR_CPUS-slot rows here and gives each cache
 * one, so that struct kmem_cache - whose size /proc/slabinfo shows - does not grow with
 * NR_CPUS.  Rows are taken and given back only when a cache is created or destroyed.
 */
#define SLUB_CPU_SLAB_ROWS 128
static struct kmem_cache_cpu cpu_slab_pool[SLUB_CPU_SLAB_ROWS][NR_CPUS];
static bool cpu_slab_row_used[SLUB_CPU_SLAB_ROWS];
static DEFINE_SPINLOCK(cpu_slab_pool_lock);

/* alloc_kmem_cache_cpus - a zeroed row of per-CPU parts for @s: 0, or -ENOMEM if none is left. */
static int alloc_kmem_cache_cpus(struct kmem_cache *s)
{
	unsigned long flags;

	spin_lock_irqsave(&cpu_slab_pool_lock, flags);
	for (int i = 0; i < SLUB_CPU_SLAB_ROWS; i++) {
		if (!cpu_slab_row_used[i]) {
			cpu_slab_row_used[i] = true;
			s->cpu_slab = cpu_slab_pool[i];
			break;
		}
	}
	spin_unlock_irqrestore(&cpu_slab_pool_lock, flags);
	if (!s->cpu_slab)
		return -ENOMEM;
	memset(s->cpu_slab, 0, sizeof(cpu_slab_pool[0]));
	return 0;
}

static void free_kmem_cache_cpus(struct kmem_cache *s)
{
	unsigned long flags;

	if (!s->cpu_slab)
		return;
	spin_lock_irqsave(&cpu_slab_pool_lock, flags);
	cpu_slab_row_used[(s->cpu_slab - cpu_slab_pool[0]) / NR_CPUS] = false;
	spin_unlock_irqrestore(&cpu_slab_pool_lock, flags);
	s->cpu_slab = NULL;
}

void __kmem_cache_release(struct kmem_cache *s)
{
	free_percpu_sheaves(s);
	free_kmem_cache_cpus(s);
	for (int node = 0; node < MAX_NUMNODES; node++) {
		if (s->node[node])
			kmem_cache_free(kmem_cache_node, s->node[node]);
		s->node[node] = NULL;
	}
}

/* set_min_partial - how many empty-able slabs a node keeps: log2(size) / 2, within 5..10. */
static void set_min_partial(struct kmem_cache *s)
{
	unsigned long min = fls_long(s->size) / 2;

	s->min_partial = clamp(min, (unsigned long)MIN_PARTIAL, (unsigned long)MAX_PARTIAL);
}

/*
 * set_cpu_partial - Linux's sizing: keep about twice as many objects on the per-cpu
 * partial list as a size class would want (120 small objects, 6 of a page or more).
 * Debugging caches have none: every object goes through the node lists and the checks.
 */
static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects = s->size >= PAGE_SIZE ? 6 : s->size >= 1024 ? 24 :
				  s->size >= 256 ? 52 : 120;

	s->cpu_partial = kmem_cache_debug(s) ? 0 : nr_objects;
	s->cpu_partial_slabs = (s->cpu_partial * 2 + oo_objects(s->oo) - 1) / oo_objects(s->oo);
}

int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	int err;

	s->flags = kmem_cache_flags(flags, s->name);
	s->random = get_random_long();
	err = calculate_sizes(s);
	if (err)
		return err;
	set_min_partial(s);
	set_cpu_partial(s);
	s->cpu_slab = NULL;
	s->cpu_sheaves = NULL;
	/*
	 * Sheaves (Linux 6.18): if the creator asked, or with slub_sheaves=all (7.0's
	 * default size); never for a debugging cache, whose every object must pass the
	 * checks, nor before kmalloc works (the boot caches: sheaves are kmalloc objects).
	 */
	if (kmem_cache_debug(s) || slab_state < UP)
		s->sheaf_capacity = 0;
	else if (!s->sheaf_capacity && slub_sheaves_all)
		s->sheaf_capacity = calculate_sheaf_capacity(s);
	err = alloc_kmem_cache_cpus(s);
	if (!err)
		err = init_kmem_cache_nodes(s);
	if (!err && s->sheaf_capacity)
		err = init_percpu_sheaves(s);
	if (err)
		__kmem_cache_release(s);
	return err;
}

/* The objects of @slab that are not free, reported as Linux's list_slab_objects(). */
static void list_slab_objects(struct kmem_cache *s, struct page *slab)
{
	static unsigned long free_map[(MAX_OBJS_PER_PAGE + 63) / 64];
	char *addr = slab_address(slab);
	void *p;

	slab_err(s, slab, "Objects remaining in %s on __kmem_cache_shutdown()", s->name);
	memset(free_map, 0, sizeof(free_map));
	for (p = slab->freelist; p && check_valid_pointer(s, slab, p); p = get_freepointer(s, p)) {
		unsigned int i = obj_to_index(s, slab, p);

		if (free_map[i / 64] & (1UL << (i % 64)))
			break; /* a loop in a corrupted freelist */
		free_map[i / 64] |= 1UL << (i % 64);
	}
	for_each_object(p, s, addr, slab->objects) {
		unsigned int i = obj_to_index(s, slab, p);

		if (!(free_map[i / 64] & (1UL << (i % 64)))) {
			pr_err("Object 0x%016lx @offset=%lu\n", (unsigned long)p,
			       (unsigned long)((char *)p - addr));
			print_tracking(s, p);
		}
	}
}

static void free_partial(struct kmem_cache *s, struct kmem_cache_node *n)
{
	struct page *slab, *tmp;

	for_each_slab_safe(slab, tmp, &n->partial) {
		if (!slab->inuse) {
			remove_partial(n, slab);
			discard_slab(s, slab);
		} else {
			list_slab_objects(s, slab);
		}
	}
	list_for_each_entry(slab, &n->full, lru)
		list_slab_objects(s, slab);
}

int __kmem_cache_shutdown(struct kmem_cache *s)
{
	int busy = 0;

	flush_all(s);
	for (int node = 0; node < MAX_NUMNODES; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		unsigned long flags;

		spin_lock_irqsave(&n->list_lock, flags);
		free_partial(s, n);
		if (n->nr_partial || n->nr_slabs)
			busy = 1;
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	return busy;
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	flush_all(s);
	for (int node = 0; node < MAX_NUMNODES; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *slab, *tmp;
		unsigned long flags;

		spin_lock_irqsave(&n->list_lock, flags);
		for_each_slab_safe(slab, tmp, &n->partial) {
			if (!slab->inuse) {
				remove_partial(n, slab);
				discard_slab(s, slab);
			}
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	return 0;
}

/* ---- validation (Linux's /sys/kernel/slab/<cache>/validate) ---------------------------- */

static int validate_slab(struct kmem_cache *s, struct page *slab)
{
	static unsigned long free_map[(MAX_OBJS_PER_PAGE + 63) / 64];
	unsigned long before = nr_slab_bugs;
	void *p;

	if (!check_slab(s, slab) || !on_freelist(s, slab, NULL))
		return nr_slab_bugs - before;
	memset(free_map, 0, sizeof(free_map));
	for (p = slab->freelist; p; p = get_freepointer(s, p)) {
		unsigned int i = obj_to_index(s, slab, p);

		free_map[i / 64] |= 1UL << (i % 64);
	}
	for_each_object(p, s, slab_address(slab), slab->objects) {
		unsigned int i = obj_to_index(s, slab, p);
		bool is_free = free_map[i / 64] & (1UL << (i % 64));

		if (kmem_cache_debug(s))
			check_object(s, slab, p, is_free ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE);
	}
	slab_pad_check(s, slab);
	return nr_slab_bugs - before;
}

int kmem_cache_validate(struct kmem_cache *s)
{
	int errors = 0;

	flush_all(s);
	for (int node = 0; node < MAX_NUMNODES; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *slab;
		unsigned long count = 0, flags;

		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry(slab, &n->partial, lru) {
			errors += validate_slab(s, slab);
			count++;
		}
		if (count != n->nr_partial) {
			pr_err("SLUB %s: %lu partial slabs counted but counter=%lu\n", s->name, count,
			       n->nr_partial);
			errors++;
		}
		list_for_each_entry(slab, &n->full, lru)
			errors += validate_slab(s, slab);
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	return errors;
}

/* ---- bootstrap ---------------------------------------------------------------------------- */

static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = CACHE_LINE_SIZE;

		while (size <= ralign / 2)
			ralign /= 2;
		align = MAX(align, ralign);
	}
	align = MAX(align, (unsigned int)sizeof(unsigned long long));
	return ALIGN_UP(align, sizeof(void *));
}

/*
 * create_boot_cache - set up @s, a cache the kernel itself needs (the two bootstrap
 * caches, the kmalloc caches).  They are never destroyed (refcount -1); failure panics.
 */
void create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		       slab_flags_t flags)
{
	unsigned int align = sizeof(unsigned long long);

	/* kmalloc caches of a power-of-two size are aligned to it, as Linux promises. */
	if (size && !(size & (size - 1)))
		align = MAX(align, size);
	s->name = name;
	s->size = s->object_size = size;
	s->align = calculate_alignment(flags, align, size);
	s->refcount = -1;
	if (__kmem_cache_create(s, flags))
		panic("Creation of kmalloc slab %s size=%u failed", name, size);
}

/*
 * bootstrap - move a statically allocated boot cache into an object of kmem_cache, and
 * point every slab it already has at the new copy.
 */
static struct kmem_cache *bootstrap(struct kmem_cache *static_cache)
{
	struct kmem_cache *s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
	unsigned long irqflags;
	struct page *p;

	if (!s)
		panic("bootstrap: no memory for %s", static_cache->name);
	memcpy(s, static_cache, sizeof(*s));
	irqflags = local_irq_save();
	flush_cpu_slab(s, smp_processor_id()); /* the active slab joins the node lists */
	local_irq_restore(irqflags);
	for (int node = 0; node < MAX_NUMNODES; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		list_for_each_entry(p, &n->partial, lru)
			p->slab_cache = s;
		list_for_each_entry(p, &n->full, lru)
			p->slab_cache = s;
	}
	list_add(&s->list, &slab_caches);
	return s;
}

void kmem_cache_init(void)
{
	static struct kmem_cache boot_kmem_cache, boot_kmem_cache_node;

	setup_slub_debug();
	setup_slub_sheaves();
	kmem_cache_node = &boot_kmem_cache_node;
	kmem_cache = &boot_kmem_cache;
	create_boot_cache(kmem_cache_node, "kmem_cache_node", sizeof(struct kmem_cache_node),
			  SLAB_HWCACHE_ALIGN);
	slab_state = PARTIAL; /* kmem_cache_node objects can be allocated now */
	create_boot_cache(kmem_cache, "kmem_cache", sizeof(struct kmem_cache), SLAB_HWCACHE_ALIGN);
	kmem_cache = bootstrap(&boot_kmem_cache);
	kmem_cache_node = bootstrap(&boot_kmem_cache_node);
	create_kmalloc_caches();
	slab_state = UP;
	bootstrap_kmalloc_sheaves();
	/* CPUs= is nr_cpu_ids, as Linux 6.18's kmem_cache_init() prints it. */
	pr_info("SLUB: HWalign=%d, Order=0-%d, MinObjects=0, CPUs=%u, Nodes=%d\n", CACHE_LINE_SIZE,
		SLUB_MAX_ORDER, nr_cpu_ids, MAX_NUMNODES);
}
