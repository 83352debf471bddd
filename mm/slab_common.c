// SPDX-License-Identifier: MIT
/*
 * What every slab allocator shares, as in Linux's mm/slab_common.c: the list of caches,
 * kmem_cache_create/destroy around the allocator's own set-up, the kmalloc size classes
 * and their caches, krealloc, and the /proc views (slabinfo, slabtop's numbers, the
 * Slab lines of meminfo).
 *
 * Valid from kmem_cache_init() on (mm/slub.c calls create_kmalloc_caches() at its end).
 * Callers: every kmalloc user; the shell's slabinfo, slabtop, cache and kmalloc commands.
 *
 * Locking: slab_mutex guards slab_caches - creating and destroying a cache, and every
 * walk of the list (slabinfo, slabtop, kmem_cache_find) - as Linux's does.  Linux's is a
 * mutex, since a creator may sleep; pagelab never sleeps, so here it is a spinlock with
 * the same name and job, taken with interrupts on (a destroy's flush_all() waits for
 * the other CPUs' answers, and they must be able to give them while they spin).  The
 * views count a cache's node lists under its n->list_lock, inside slab_mutex (mm/slub.c
 * has the order), and read the CPUs' parts without it, as Linux does.
 *
 * Choosing a kmalloc cache at run time (kmalloc_slab):
 *
 *   size 1..192:   kmalloc_size_index[(size - 1) / 8]   8-byte steps, so 65..96 -> 96
 *   size 193..8k:  fls(size - 1)                        the next power of two
 *
 *   size  1-8  9-16  17-32  33-64  65-96  97-128  129-192  193-256 ... 4097-8192
 *   cache  8    16    32     64     96     128     192      256          8k
 */
#include "kernel/kallsyms.h"
#include "kernel/printk.h"
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/sort.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/vmstat.h"

LIST_HEAD(slab_caches);
DEFINE_SPINLOCK(slab_mutex);

struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/* The cache index for sizes up to 192, by (size - 1) / 8. */
const u8 kmalloc_size_index[24] = {
	3, 4, 5, 5,             /*   8  16  24  32 */
	6, 6, 6, 6,             /*  40  48  56  64 */
	1, 1, 1, 1,             /*  72  80  88  96 */
	7, 7, 7, 7,             /* 104 112 120 128 */
	2, 2, 2, 2, 2, 2, 2, 2, /* 136 ... 192 */
};

/* Linux's names: "-1k", not "-1024". */
static const char *const kmalloc_names[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1] = {
	[KMALLOC_NORMAL] = { NULL, "kmalloc-96", "kmalloc-192", "kmalloc-8", "kmalloc-16",
			     "kmalloc-32", "kmalloc-64", "kmalloc-128", "kmalloc-256", "kmalloc-512",
			     "kmalloc-1k", "kmalloc-2k", "kmalloc-4k", "kmalloc-8k" },
	[KMALLOC_DMA] = { NULL, "dma-kmalloc-96", "dma-kmalloc-192", "dma-kmalloc-8",
			  "dma-kmalloc-16", "dma-kmalloc-32", "dma-kmalloc-64", "dma-kmalloc-128",
			  "dma-kmalloc-256", "dma-kmalloc-512", "dma-kmalloc-1k", "dma-kmalloc-2k",
			  "dma-kmalloc-4k", "dma-kmalloc-8k" },
};

static void new_kmalloc_cache(int index, enum kmalloc_cache_type type)
{
	struct kmem_cache *s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
	slab_flags_t flags = SLAB_KMALLOC | (type == KMALLOC_DMA ? SLAB_CACHE_DMA : 0);

	if (!s)
		panic("Out of memory when creating slab %s", kmalloc_names[type][index]);
	create_boot_cache(s, kmalloc_names[type][index], kmalloc_size(index), flags);
	list_add(&s->list, &slab_caches);
	kmalloc_caches[type][index] = s;
}

/*
 * create_kmalloc_caches - every size class of every type, in Linux 6.18's order
 * (mm/slab_common.c there): per type, first the two classes that are not powers of two,
 * 96 and 192, then 8, 16, ... 8k; the types in enum kmalloc_cache_type's order, normal
 * before dma.  slab_caches is newest first, so slabinfo shows, as 6.18's does,
 *
 *   dma-kmalloc-8k ... dma-kmalloc-8, dma-kmalloc-192, dma-kmalloc-96,
 *   kmalloc-8k ... kmalloc-8, kmalloc-192, kmalloc-96
 *
 * (Older Linux made 96 right after 64 and 192 after 128, and so did pagelab.)
 */
void create_kmalloc_caches(void)
{
	for (int type = 0; type < NR_KMALLOC_TYPES; type++) {
		new_kmalloc_cache(1, type);
		new_kmalloc_cache(2, type);
		for (int i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; i++)
			new_kmalloc_cache(i, type);
	}
}

/* ---- caches ---------------------------------------------------------------------------- */

/* The cache called @name; slab_mutex held. */
static struct kmem_cache *find_cache_locked(const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *s;

	spin_lock(&slab_mutex);
	s = find_cache_locked(name);
	spin_unlock(&slab_mutex);
	return s;
}

const char *kmem_cache_name(const struct kmem_cache *s) { return s->name; }
unsigned int kmem_cache_size(const struct kmem_cache *s) { return s->object_size; }

char *kstrdup(const char *s, gfp_t flags)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = kmalloc(len, flags);
	if (p)
		memcpy(p, s, len);
	return p;
}

static int create_cache(const char *name, unsigned int size, unsigned int align,
			const struct kmem_cache_args *args, slab_flags_t flags,
			struct kmem_cache **out)
{
	struct kmem_cache *s;
	int err;

	if (!name || !*name || !size || size > KMALLOC_MAX_SIZE || (align & (align - 1)))
		return -EINVAL;
	if (find_cache_locked(name)) /* Linux allows twins; a shell user is better told */
		return -EEXIST;
	s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->name = kstrdup(name, GFP_KERNEL);
	s->object_size = s->size = size;
	s->align = align;
	s->ctor = args->ctor;
	s->sheaf_capacity = args->sheaf_capacity;
	s->refcount = 1;
	err = s->name ? __kmem_cache_create(s, flags) : -ENOMEM;
	if (err) {
		kfree(s->name);
		kmem_cache_free(kmem_cache, s);
		return err;
	}
	list_add(&s->list, &slab_caches);
	*out = s;
	return 0;
}

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int size,
					    struct kmem_cache_args *args, slab_flags_t flags)
{
	struct kmem_cache_args defaults = { 0 };
	struct kmem_cache *s = NULL;
	unsigned int align;
	int err;

	if (!args)
		args = &defaults;
	/* Callers choose only these; the debug flags come from slub_debug= as well. */
	flags &= SLAB_DEBUG_FLAGS | SLAB_KMALLOC | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA |
		 SLAB_CACHE_DMA32 | SLAB_RECLAIM_ACCOUNT | SLAB_PANIC;
	/* Objects are at least pointer-aligned; SLAB_HWCACHE_ALIGN rounds up to a line. */
	align = MAX(args->align, (unsigned int)sizeof(void *));
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = 64;

		while (size <= ralign / 2)
			ralign /= 2;
		align = MAX(align, ralign);
	}
	spin_lock(&slab_mutex);
	err = args->sheaf_capacity > SHEAF_CAPACITY_MAX ? -EINVAL :
	      create_cache(name, size, align, args, flags, &s);
	spin_unlock(&slab_mutex);
	if (err) {
		if (flags & SLAB_PANIC)
			panic("kmem_cache_create: Failed to create slab '%s'. Error %d", name, err);
		pr_warn("kmem_cache_create(%s) failed with error %d\n", name ? name : "(null)", err);
		return NULL;
	}
	return s;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache_args args = { .align = align, .ctor = ctor };

	return __kmem_cache_create_args(name, size, &args, flags);
}

void kmalloc_caches_shrink(void)
{
	bool sheaves = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(8)]->cpu_sheaves;

	for (int pass = 0; pass < (sheaves ? 2 : 1); pass++)
		for (int type = 0; type < NR_KMALLOC_TYPES; type++)
			for (int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
				if (kmalloc_caches[type][i])
					kmem_cache_shrink(kmalloc_caches[type][i]);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long caller = _RET_IP_;
	char sym[KSYM_SYMBOL_LEN];

	if (!s)
		return;
	spin_lock(&slab_mutex);
	if (--s->refcount) { /* boot caches start at -1 and never get here */
		spin_unlock(&slab_mutex);
		return;
	}
	if (__kmem_cache_shutdown(s)) {
		/* Linux's WARN(): the cache and its live objects stay. */
		sprint_symbol(sym, sizeof(sym), caller);
		pr_warn("------------[ cut here ]------------\n");
		pr_warn("kmem_cache_destroy %s: Slab cache still has objects when called from %s\n",
			s->name, sym);
		pr_warn("WARNING: CPU: %u PID: 0 at mm/slab_common.c kmem_cache_destroy\n",
			smp_processor_id());
		pr_warn("---[ end trace 0000000000000000 ]---\n");
		s->refcount = 1; /* so that a later destroy, after the frees, can succeed */
		spin_unlock(&slab_mutex);
		return;
	}
	list_del(&s->list);
	spin_unlock(&slab_mutex);
	__kmem_cache_release(s);
	kfree(s->name);
	kmem_cache_free(kmem_cache, s);
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	struct page *head;
	size_t ks, old;
	void *ret;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, flags);
	head = virt_to_head_page(p);
	if (PageSlab(head)) {
		struct kmem_cache *s = head->slab_cache;

		ks = __ksize_slab(s);
		old = kmalloc_orig_size(s, p);
		if (new_size <= ks) {
			kmalloc_resize(s, (void *)p, new_size, flags);
			return (void *)p;
		}
		old = MIN(old, ks);
	} else {
		old = ks = ksize(p);
		if (new_size <= ks)
			return (void *)p;
	}
	ret = kmalloc(new_size, flags);
	if (!ret)
		return NULL;
	memcpy(ret, p, MIN(old, new_size));
	kfree(p);
	return ret;
}

/* ---- /proc/slabinfo, slabtop, meminfo ---------------------------------------------------- */

void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;

	for (int node = 0; node < MAX_NUMNODES; node++) {
		struct kmem_cache_node *n = s->node[node];
		unsigned long flags;
		struct page *slab;

		spin_lock_irqsave(&n->list_lock, flags); /* as Linux's count_partial() */
		nr_slabs += n->nr_slabs;
		nr_objs += n->total_objects;
		/*
		 * Only partial slabs count as having free objects: the objects on a CPU's
		 * freelist show as active, as in Linux's /proc/slabinfo.
		 */
		list_for_each_entry(slab, &n->partial, lru)
			nr_free += slab->objects - slab->inuse;
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

/*
 * One of Linux's CONFIG_SLUB_STATS files for the sheaves, "name:total C<cpu>=n ...", if
 * @s has sheaves (a cache without them has nothing to count).
 */
static void show_sheaf_stat(struct seq_file *m, struct kmem_cache *s, enum sheaf_stat_item item)
{
	static const char *const names[NR_SHEAF_STAT_ITEMS] = {
		[ALLOC_PCS] = "alloc_cpu_sheaf", [FREE_PCS] = "free_cpu_sheaf",
		[SHEAF_FLUSH] = "sheaf_flush",   [SHEAF_REFILL] = "sheaf_refill",
		[SHEAF_ALLOC] = "sheaf_alloc",   [SHEAF_FREE] = "sheaf_free",
		[BARN_GET] = "barn_get",         [BARN_GET_FAIL] = "barn_get_fail",
		[BARN_PUT] = "barn_put",         [BARN_PUT_FAIL] = "barn_put_fail",
		[SHEAF_SWAP] = "sheaf_swap",
	};
	unsigned long sum = 0;
	unsigned int cpu;

	if (!s->cpu_sheaves)
		return;
	for_each_online_cpu(cpu)
		sum += READ_ONCE(s->cpu_sheaves[cpu].stat[item]);
	seq_printf(m, "%s:%lu", names[item], sum);
	for_each_online_cpu(cpu) {
		unsigned int n = READ_ONCE(s->cpu_sheaves[cpu].stat[item]);

		if (n)
			seq_printf(m, " C%u=%u", cpu, n);
	}
	seq_puts(m, "\n");
}

/*
 * The numbers behind Linux's show_slab_objects(): slabs and objects counted from the node
 * lists, the CPU slabs from the per-CPU slots.  pagelab is built as Linux without
 * CONFIG_NUMA, so no " N0=..." per-node part follows a total.
 */
void slab_sysfs_show(struct seq_file *m, struct kmem_cache *s)
{
	unsigned long partial = 0, inuse_partial = 0, cpu_slabs = 0, cpu_partial_slabs = 0;
	struct slabinfo si;
	unsigned int cpu;

	get_slabinfo(s, &si); /* slabs and objects, counted as /proc/slabinfo counts them */
	for (int node = 0; node < MAX_NUMNODES; node++) {
		struct kmem_cache_node *n = s->node[node];
		unsigned long flags;
		struct page *slab;

		spin_lock_irqsave(&n->list_lock, flags);
		partial += n->nr_partial;
		list_for_each_entry(slab, &n->partial, lru)
			inuse_partial += slab->inuse;
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	for_each_online_cpu(cpu) {
		const struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		if (c->partial)
			cpu_partial_slabs += c->nr_partial;
		/*
		 * Linux's cpu_slabs skips a CPU without an active slab, its partial list too
		 * (a shrink, then a free to a full slab, shows it): counted the same way.
		 */
		if (c->slab)
			cpu_slabs += 1 + (c->partial ? c->nr_partial : 0);
	}
	/* In `grep . *`'s order: the file names sorted. */
	show_sheaf_stat(m, s, ALLOC_PCS);
	show_sheaf_stat(m, s, BARN_GET);
	show_sheaf_stat(m, s, BARN_GET_FAIL);
	show_sheaf_stat(m, s, BARN_PUT);
	show_sheaf_stat(m, s, BARN_PUT_FAIL);
	seq_printf(m, "cpu_partial:%u\n", s->cpu_partial);
	seq_printf(m, "cpu_slabs:%lu\n", cpu_slabs);
	show_sheaf_stat(m, s, FREE_PCS);
	seq_printf(m, "min_partial:%lu\n", s->min_partial);
	seq_printf(m, "object_size:%u\n", s->object_size);
	/* objects counts a CPU's free objects as in use, as slabinfo's active_objs does. */
	seq_printf(m, "objects:%lu\n", si.active_objs);
	seq_printf(m, "objects_partial:%lu\n", inuse_partial);
	seq_printf(m, "objs_per_slab:%u\n", oo_objects(s->oo));
	seq_printf(m, "order:%u\n", oo_order(s->oo));
	seq_printf(m, "partial:%lu\n", partial);
	show_sheaf_stat(m, s, SHEAF_ALLOC);
	/* Linux 6.18 added this file for every cache; 0 if the cache has no sheaves. */
	seq_printf(m, "sheaf_capacity:%u\n", s->sheaf_capacity);
	show_sheaf_stat(m, s, SHEAF_FLUSH);
	show_sheaf_stat(m, s, SHEAF_FREE);
	show_sheaf_stat(m, s, SHEAF_REFILL);
	show_sheaf_stat(m, s, SHEAF_SWAP);
	seq_printf(m, "slab_size:%u\n", s->size);
	seq_printf(m, "slabs:%lu\n", si.num_slabs);
	/*
	 * Linux (5.16+) counts the CPU partial list in slabs and prints an object count it
	 * does not know: half of every such slab, the same guess slub_set_cpu_partial()
	 * sizes the list by.  Then " C<cpu>=objects(slabs)" for each CPU with a list.
	 */
	seq_printf(m, "slabs_cpu_partial:%lu(%lu)", cpu_partial_slabs * oo_objects(s->oo) / 2,
		   cpu_partial_slabs);
	for_each_online_cpu(cpu) {
		const struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		if (c->partial)
			seq_printf(m, " C%u=%u(%u)", cpu, c->nr_partial * oo_objects(s->oo) / 2,
				   c->nr_partial);
	}
	seq_puts(m, "\n");
	seq_printf(m, "total_objects:%lu\n", si.num_objs);
}

void slabinfo_show(struct seq_file *m)
{
	struct kmem_cache *s;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		    " : tunables <limit> <batchcount> <sharedfactor>"
		    " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	spin_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo si;

		get_slabinfo(s, &si);
		/* SLUB has no tunables and no shared arrays: those columns are 0. */
		seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
			   s->name, si.active_objs, si.num_objs, s->size, si.objects_per_slab,
			   1 << si.cache_order, 0, 0, 0, si.active_slabs, si.num_slabs, 0UL);
	}
	spin_unlock(&slab_mutex);
}

/* "12.34K": @bytes in KiB with two decimals, without floating point. */
static void print_kib(struct seq_file *m, const char *fmt_width, unsigned long long bytes)
{
	unsigned long long hundredths = (bytes * 100 + 512) / 1024;
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu.%02lluK", hundredths / 100, hundredths % 100);
	seq_printf(m, fmt_width, buf);
}

/* "(95.1%)" with one decimal. */
static void print_percent(struct seq_file *m, unsigned long long part, unsigned long long whole)
{
	unsigned long long tenths = whole ? (part * 1000 + whole / 2) / whole : 0;

	seq_printf(m, " (%llu.%llu%%)\n", tenths / 10, tenths % 10);
}

struct slabtop_row {
	struct kmem_cache *s;
	struct slabinfo si;
	unsigned long long cache_bytes;
	unsigned int pos; /* place in slab_caches: equal sizes keep the list's order */
};

/* slabtop -s c: the largest cache first. */
static int cmp_slabtop_rows(const void *a, const void *b)
{
	const struct slabtop_row *x = a, *y = b;

	if (x->cache_bytes != y->cache_bytes)
		return x->cache_bytes > y->cache_bytes ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void slabtop_show(struct seq_file *m, unsigned int max_lines)
{
	static struct slabtop_row rows[128]; /* static: used under slab_mutex only */
	unsigned long long active_objs = 0, objs = 0, active_bytes = 0, bytes = 0;
	unsigned long slabs = 0, active_caches = 0, min_size = ~0UL, max_size = 0, sum_size = 0;
	unsigned int n = 0;
	struct kmem_cache *s;

	spin_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabtop_row *r;

		if (n == ARRAY_SIZE(rows))
			break;
		r = &rows[n];
		r->pos = n++;
		r->s = s;
		get_slabinfo(s, &r->si);
		r->cache_bytes = (unsigned long long)r->si.num_slabs * (PAGE_SIZE << r->si.cache_order);
		active_objs += r->si.active_objs;
		objs += r->si.num_objs;
		active_bytes += (unsigned long long)r->si.active_objs * s->size;
		bytes += (unsigned long long)r->si.num_objs * s->size;
		slabs += r->si.num_slabs;
		active_caches += r->si.active_objs != 0;
		min_size = MIN(min_size, (unsigned long)s->size);
		max_size = MAX(max_size, (unsigned long)s->size);
		sum_size += s->size;
	}
	sort(rows, n, sizeof(rows[0]), cmp_slabtop_rows, NULL);
	seq_printf(m, " Active / Total Objects (%% used)    : %llu / %llu", active_objs, objs);
	print_percent(m, active_objs, objs);
	seq_printf(m, " Active / Total Slabs (%% used)      : %lu / %lu", slabs, slabs);
	print_percent(m, slabs, slabs);
	seq_printf(m, " Active / Total Caches (%% used)     : %lu / %u", active_caches, n);
	print_percent(m, active_caches, n);
	seq_puts(m, " Active / Total Size (% used)       : ");
	print_kib(m, "%s", active_bytes);
	seq_puts(m, " / ");
	print_kib(m, "%s", bytes);
	print_percent(m, active_bytes, bytes);
	seq_puts(m, " Minimum / Average / Maximum Object : ");
	print_kib(m, "%s", n ? min_size : 0);
	seq_puts(m, " / ");
	print_kib(m, "%s", n ? sum_size / n : 0);
	seq_puts(m, " / ");
	print_kib(m, "%s", max_size);
	seq_puts(m, "\n\n  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n");
	for (unsigned int i = 0; i < n && i < max_lines; i++) {
		struct slabtop_row *r = &rows[i];
		unsigned long use = r->si.num_objs ? r->si.active_objs * 100 / r->si.num_objs : 0;

		seq_printf(m, "%6lu %6lu %3lu%% ", r->si.num_objs, r->si.active_objs, use);
		print_kib(m, "%8s", r->s->size);
		seq_printf(m, " %6lu %8u %9lluK %s\n", r->si.num_slabs, r->si.objects_per_slab,
			   r->cache_bytes / 1024, r->s->name);
	}
	spin_unlock(&slab_mutex); /* the rows point into the caches until here */
}

void slab_meminfo(unsigned long *reclaimable, unsigned long *unreclaimable)
{
	refresh_vm_stats(); /* every CPU's diffs in */
	if (reclaimable)
		*reclaimable = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B);
	if (unreclaimable)
		*unreclaimable = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
}
