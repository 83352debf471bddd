// SPDX-License-Identifier: MIT
/*
 * Experiments with the object allocator (mm/slub.c), and its /proc views.
 *
 *   slabinfo                      /proc/slabinfo, version 2.1
 *   slabtop                       the largest caches, as slabtop's first screen
 *   kmalloc 100                   an object from kmalloc-128; the shell keeps it
 *   kfree 0xffff888001234560      give it back
 *   cache create foo 100 16       a private cache; `cache info foo` shows its layout
 *   cache alloc foo 3             objects from it (cache free <addr|all>, shrink, validate,
 *                                 destroy)
 *   slab foo                      its lists and counts, as /sys/kernel/slab/foo/ has them
 *   slubtest redzone              break something on purpose and read the report
 *
 * The shell frees only what it handed out: an arbitrary address given to kfree would
 * corrupt a cache that is not being debugged, so `kfree` and `cache free` refuse
 * anything not in the shell's table.  The deliberate misuse lives in `slubtest`, which
 * runs every experiment in a debugging cache of its own, where SLUB catches it.
 *
 * `slabinfo` is a row of its own in shell/commands.c (slabinfo_show, mm/slub.c).  Runs in
 * the shell, with interrupts on; everything it calls is process-context code.
 */
#include "kernel/printk.h"
#include "lib/errno.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "shell/args.h"
#include "shell/shell.h"
#include "shell/slab_commands.h"

#define MAX_HELD 64

/* Objects the shell handed out: kmalloc (cache NULL) or `cache alloc`. */
static struct held_object {
	void *p;
	struct kmem_cache *cache;
	size_t size;
	gfp_t flags; /* kmalloc's: __GFP_DMA picks another family of caches */
} held[MAX_HELD];

static struct held_object *find_held(void *p)
{
	for (int i = 0; i < MAX_HELD; i++)
		if (held[i].p && held[i].p == p)
			return &held[i];
	return NULL;
}

static struct held_object *free_slot(struct seq_file *m, const char *cmd)
{
	struct held_object *h = find_held(NULL);

	for (int i = 0; !h && i < MAX_HELD; i++)
		if (!held[i].p)
			h = &held[i];
	if (!h)
		seq_printf(m, "%s: the shell already holds %d objects; free some first\n", cmd,
			   MAX_HELD);
	return h;
}

int cmd_slabtop(struct seq_file *m, int argc, char **argv)
{
	u64 lines = 15;

	if (argc > 1 && arg_u64_range(m, "slabtop", "line count", argv[1], 1, 128, &lines))
		return 1;
	slabtop_show(m, (unsigned int)lines);
	return 0;
}

/* The cache kmalloc would use for @size bytes with @flags, or NULL for page-sized requests. */
static struct kmem_cache *kmalloc_cache_for(size_t size, gfp_t flags)
{
	int index = kmalloc_index(size);

	return index > 0 ? kmalloc_caches[kmalloc_type(flags)][index] : NULL;
}

static void print_held(struct seq_file *m, const struct held_object *h)
{
	struct kmem_cache *s = h->cache ? h->cache : kmalloc_cache_for(h->size, h->flags);

	seq_printf(m, "  0x%016lx  %6zu bytes  %s\n", (unsigned long)h->p, h->size,
		   s ? kmem_cache_name(s) : "pages (kmalloc_large)");
}

/* `kmalloc <size> [zero] [dma]`, or `kmalloc` alone: list what the shell holds. */
int cmd_kmalloc(struct seq_file *m, int argc, char **argv)
{
	static const struct kmalloc_mode {
		const char *name;
		gfp_t flag;
	} modes[] = { { "zero", __GFP_ZERO }, { "dma", __GFP_DMA }, { NULL } };
	struct held_object *h;
	struct kmem_cache *s;
	gfp_t flags = GFP_KERNEL;
	u64 size;
	void *p;

	if (argc == 1) {
		for (int i = 0; i < MAX_HELD; i++)
			if (held[i].p)
				print_held(m, &held[i]);
		return 0;
	}
	if (arg_size(m, "kmalloc", "size", argv[1], &size))
		return 1;
	for (int i = 2; i < argc; i++) {
		const struct kmalloc_mode *mode = ARG_LOOKUP(m, "kmalloc", "flag", argv[i], modes);

		if (!mode)
			return 1;
		flags |= mode->flag;
	}
	h = free_slot(m, "kmalloc");
	if (!h)
		return 1;
	p = __kmalloc(size, flags);
	if (!p) {
		seq_printf(m, "kmalloc(%llu) failed (at most %lu bytes)\n", (unsigned long long)size,
			   (unsigned long)KMALLOC_MAX_SIZE);
		return 1;
	}
	if (p == ZERO_SIZE_PTR) {
		seq_puts(m, "kmalloc(0) = ZERO_SIZE_PTR (0x10): nothing to use, kfree accepts it\n");
		return 0;
	}
	s = kmalloc_cache_for(size, flags);
	*h = (struct held_object){ p, NULL, size, flags };
	seq_printf(m, "kmalloc(%llu) = 0x%016lx from %s (ksize %zu)\n", (unsigned long long)size,
		   (unsigned long)p, s ? kmem_cache_name(s) : "the page allocator", ksize(p));
	return 0;
}

static int parse_held(struct seq_file *m, const char *cmd, const char *arg, struct held_object **h)
{
	u64 addr;

	if (arg_u64(m, cmd, "address", arg, &addr))
		return -EINVAL;
	*h = find_held((void *)(uintptr_t)addr);
	if (!*h) {
		seq_printf(m, "%s: 0x%llx was not handed out by the shell (see `kmalloc` and "
			      "`cache alloc`); use `slubtest` to misuse memory safely\n", cmd,
			   (unsigned long long)addr);
		return -EINVAL;
	}
	return 0;
}

int cmd_kfree(struct seq_file *m, int argc, char **argv)
{
	struct held_object *h;

	(void)argc;
	if (parse_held(m, "kfree", argv[1], &h))
		return 1;
	if (h->cache) {
		seq_printf(m, "kfree: 0x%016lx is from cache %s: use `cache free %s <addr>`\n",
			   (unsigned long)h->p, kmem_cache_name(h->cache), kmem_cache_name(h->cache));
		return 1;
	}
	kfree(h->p);
	seq_printf(m, "kfree(0x%016lx): done\n", (unsigned long)h->p);
	h->p = NULL;
	return 0;
}

/* ---- cache ------------------------------------------------------------------------------ */

static void print_cache_info(struct seq_file *m, struct kmem_cache *s)
{
	struct slabinfo si;
	char debug[8];

	get_slabinfo(s, &si);
	kmem_cache_debug_flags(s, debug, sizeof(debug));
	seq_printf(m, "%s: object_size %u, size %u (stride), align %u, free pointer at +%u (%s)\n",
		   s->name, s->object_size, s->size, s->align, s->offset,
		   s->offset >= s->inuse ? "after the object" : "inside the object");
	seq_printf(m, "  inuse %u, red_left_pad %u, slab order %u (%u objects), min order %u, "
		      "min_partial %lu\n", s->inuse, s->red_left_pad, oo_order(s->oo),
		   oo_objects(s->oo), oo_order(s->min), s->min_partial);
	seq_printf(m, "  debug %s, ctor %s, freelist random 0x%016lx\n", debug[0] ? debug : "off",
		   s->ctor ? "yes" : "no", s->random);
	/* The CPU slab of the CPU running the command (`on <cpu> cache info` for another). */
	seq_printf(m, "  slabs %lu, objects %lu (active %lu), partial slabs %lu, cpu slab %s\n",
		   si.num_slabs, si.num_objs, si.active_objs, s->node[0]->nr_partial,
		   READ_ONCE(s->cpu_slab[smp_processor_id()].slab) ? "yes" : "none");
	if (s->cpu_sheaves) {
		struct sheaves_count c;

		slab_sheaves_count(s, &c);
		seq_printf(m, "  sheaves of %u: %lu objects in the CPUs' sheaves, barn %u full "
			      "(%lu objects) + %u empty\n", s->sheaf_capacity, c.cpu_objects,
			   c.barn_full, c.barn_objects, c.barn_empty);
	}
	if (num_online_cpus() > 1) { /* one line per CPU: what each holds of the cache */
		static struct slab_cpu_view view[NR_CPUS]; /* the shell runs one command at a time */
		unsigned int cpu;

		slab_cpu_view(s, view);
		for_each_online_cpu(cpu) {
			const struct slab_cpu_view *v = &view[cpu];

			seq_printf(m, "  CPU %u: ", cpu);
			if (v->slab)
				seq_printf(m, "cpu slab with %u objects on the freelist", v->free);
			else
				seq_puts(m, "no cpu slab");
			seq_printf(m, ", %u cpu partial slabs", v->nr_partial);
			if (s->cpu_sheaves)
				seq_printf(m, ", sheaves %u + %u objects", v->main, v->spare);
			seq_puts(m, "\n");
		}
	}
}

/*
 * The cache `cache <sub-command> <name>` names, or NULL after saying why there is none.
 * It is used after slab_mutex is dropped: only the shell destroys the caches it creates,
 * and the shell runs one command at a time (`on <cpu>` waits for the other CPU's output),
 * so none can go away under a command - as in Linux, where destroying a cache still in
 * use is its owner's bug, not something the cache list guards against.
 */
static struct kmem_cache *named_cache(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s;

	if (argc < 3) {
		seq_printf(m, "usage: cache %s <name> ...\n", argv[1]);
		return NULL;
	}
	s = kmem_cache_find(argv[2]);
	if (!s)
		seq_printf(m, "cache: no cache called '%s' (see slabinfo)\n", argv[2]);
	return s;
}

static int cache_create(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache_args args = { 0 };
	u64 size, align = 0, sheaves = 0;
	struct kmem_cache *s;

	/* A trailing sheaves=N asks for Linux 6.18's per-CPU sheaves of N objects. */
	if (argc > 4 && !strncmp(argv[argc - 1], "sheaves=", 8)) {
		if (arg_u64_range(m, "cache", "sheaves", argv[argc - 1] + 8, 1, SHEAF_CAPACITY_MAX,
				  &sheaves))
			return 1;
		argc--;
	}
	if (argc < 4 || argc > 5) {
		seq_puts(m, "usage: cache create <name> <size> [align] [sheaves=N]\n");
		return 1;
	}
	if (arg_size(m, "cache", "size", argv[3], &size) ||
	    (argc > 4 && arg_u64_range(m, "cache", "align", argv[4], 0, 4096, &align)))
		return 1;
	if (!size || size > KMALLOC_MAX_SIZE || (align & (align - 1))) {
		seq_puts(m, "cache: size must be 1 .. 4M, align 0 or a power of two\n");
		return 1;
	}
	if (kmem_cache_find(argv[2])) {
		seq_printf(m, "cache: '%s' exists already\n", argv[2]);
		return 1;
	}
	args.align = (unsigned int)align;
	args.sheaf_capacity = (unsigned int)sheaves;
	s = __kmem_cache_create_args(argv[2], (unsigned int)size, &args, 0);
	if (!s) {
		seq_puts(m, "cache: kmem_cache_create failed\n");
		return 1;
	}
	if (sheaves && !s->cpu_sheaves)
		seq_puts(m, "cache: a debugging cache has no sheaves: every object goes through "
			    "the checks\n");
	print_cache_info(m, s);
	return 0;
}

static int cache_alloc(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = named_cache(m, argc, argv);
	u64 count = 1;

	if (!s)
		return 1;
	if (argc > 3 && arg_u64_range(m, "cache", "count", argv[3], 1, MAX_HELD, &count))
		return 1;
	for (u64 i = 0; i < count; i++) {
		struct held_object *h = free_slot(m, "cache alloc");
		void *p;

		if (!h)
			return 1;
		p = kmem_cache_alloc(s, GFP_KERNEL);
		if (!p) {
			seq_printf(m, "kmem_cache_alloc(%s) failed\n", s->name);
			return 1;
		}
		*h = (struct held_object){ p, s, s->object_size, GFP_KERNEL };
		seq_printf(m, "kmem_cache_alloc(%s) = 0x%016lx\n", s->name, (unsigned long)p);
	}
	return 0;
}

static int cache_free(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = named_cache(m, argc, argv);
	struct held_object *h;

	if (!s)
		return 1;
	if (argc < 4) {
		seq_puts(m, "usage: cache free <name> <addr|all>\n");
		return 1;
	}
	if (!strcmp(argv[3], "all")) {
		/* Slot order: for a table that was empty, the order `cache alloc` gave them out. */
		int n = 0;

		for (h = held; h < held + MAX_HELD; h++) {
			if (h->p && h->cache == s) {
				kmem_cache_free(s, h->p);
				h->p = NULL;
				n++;
			}
		}
		seq_printf(m, "cache free %s all: %d object%s freed\n", s->name, n, n == 1 ? "" : "s");
		return 0;
	}
	if (parse_held(m, "cache free", argv[3], &h))
		return 1;
	if (h->cache != s) {
		seq_printf(m, "cache free: 0x%016lx is not from %s\n", (unsigned long)h->p, s->name);
		return 1;
	}
	kmem_cache_free(s, h->p);
	seq_printf(m, "kmem_cache_free(%s, 0x%016lx): done\n", s->name, (unsigned long)h->p);
	h->p = NULL;
	return 0;
}

/*
 * `slab <cache>`: what `grep . *` prints in Linux's /sys/kernel/slab/<cache>/, for the
 * files pagelab can fill truthfully.  Any cache, the kernel's own included: it only reads.
 */
int cmd_slab(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = kmem_cache_find(argv[1]);

	(void)argc;
	if (!s) {
		seq_printf(m, "slab: no cache called '%s' (see slabinfo)\n", argv[1]);
		return 1;
	}
	slab_sysfs_show(m, s);
	return 0;
}

/* Whether @s is still a cache: a kmem_cache_destroy() that succeeds frees it, name and all. */
static bool cache_is_listed(const struct kmem_cache *s)
{
	const struct kmem_cache *c;
	bool found = false;

	spin_lock(&slab_mutex);
	list_for_each_entry(c, &slab_caches, list)
		found |= c == s;
	spin_unlock(&slab_mutex);
	return found;
}

static void forget_test_cache(const struct kmem_cache *s); /* slubtest's record, below */

static int cache_destroy(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = named_cache(m, argc, argv);

	if (!s)
		return 1;
	if (s->refcount < 0) {
		seq_printf(m, "cache: %s belongs to the kernel and cannot be destroyed\n", s->name);
		return 1;
	}
	kmem_cache_destroy(s);
	if (cache_is_listed(s)) { /* s was not freed: it still had objects */
		seq_printf(m, "cache: %s still has objects; it stays\n", s->name);
		return 1;
	}
	for (int i = 0; i < MAX_HELD; i++)
		if (held[i].cache == s)
			held[i] = (struct held_object){ 0 };
	forget_test_cache(s);
	seq_puts(m, "cache: destroyed; every slab went back to the page allocator\n");
	return 0;
}

static int cache_shrink(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = named_cache(m, argc, argv);

	if (!s)
		return 1;
	kmem_cache_shrink(s);
	print_cache_info(m, s);
	return 0;
}

static int cache_info(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = named_cache(m, argc, argv);

	if (!s)
		return 1;
	print_cache_info(m, s);
	return 0;
}

static int cache_validate(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = named_cache(m, argc, argv);
	int errors;

	if (!s)
		return 1;
	errors = kmem_cache_validate(s);
	seq_printf(m, "cache validate %s: %d problem%s found\n", s->name, errors,
		   errors == 1 ? "" : "s");
	return errors != 0;
}

const struct shell_subcommand cache_subcommands[] = {
	{ "create", cache_create },
	{ "alloc", cache_alloc },
	{ "free", cache_free },
	{ "destroy", cache_destroy },
	{ "shrink", cache_shrink },
	{ "info", cache_info },
	{ "validate", cache_validate },
	{ NULL },
};

/* ---- slubtest: break things on purpose --------------------------------------------------- */

/*
 * The caches slubtest made and that still exist.  A name proves nothing: `cache create
 * slubtest-freelist 64` makes a cache without debugging, and an experiment run in it
 * would corrupt it unseen.  So an experiment reuses only a cache it finds here.
 */
static struct kmem_cache *test_caches[8];

static struct kmem_cache **test_cache_slot(const struct kmem_cache *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(test_caches); i++)
		if (test_caches[i] == s)
			return &test_caches[i];
	return NULL;
}

/* Drop @s from the record once it is freed: a new cache could get its address. */
static void forget_test_cache(const struct kmem_cache *s)
{
	struct kmem_cache **slot = test_cache_slot(s);

	if (slot)
		*slot = NULL;
}

/*
 * The experiment's own debugging cache called @name: the one an earlier run made, or a
 * new one.  NULL, after saying why, if the name belongs to a cache slubtest did not make.
 */
static struct kmem_cache *test_cache(struct seq_file *m, const char *name, slab_flags_t flags)
{
	struct kmem_cache *s = kmem_cache_find(name);
	struct kmem_cache **slot;

	if (s && test_cache_slot(s))
		return s;
	if (s) {
		seq_printf(m, "slubtest: %s was not made by slubtest, and an experiment misuses "
			      "only a cache of its own (`cache destroy %s` first)\n", name, name);
		return NULL;
	}
	slot = test_cache_slot(NULL);
	s = slot ? kmem_cache_create(name, 64, 0, flags, NULL) : NULL;
	if (!s) {
		seq_printf(m, "slubtest: cannot create cache %s\n", name);
		return NULL;
	}
	*slot = s;
	return s;
}

/* kmem_cache_destroy() for an experiment's cache, which keeps it if objects remain. */
static void destroy_test_cache(struct kmem_cache *s)
{
	kmem_cache_destroy(s);
	if (!cache_is_listed(s))
		forget_test_cache(s);
}

static void finish(struct seq_file *m, struct kmem_cache *s, unsigned long bugs_before)
{
	unsigned long reports = slab_bug_count() - bugs_before;

	seq_printf(m, "slubtest: %lu report%s from %s; the kernel goes on\n", reports,
		   reports == 1 ? "" : "s", s->name);
}

/* Write one byte past the 64-byte object: the right red zone catches it at kmem_cache_free. */
static int test_redzone(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = test_cache(m, "slubtest-redzone", SLAB_DEBUG_FLAGS);
	unsigned long before = slab_bug_count();
	u8 *p;

	(void)argc, (void)argv;
	if (!s || !(p = kmem_cache_alloc(s, GFP_KERNEL)))
		return 1;
	seq_printf(m, "slubtest: p = kmem_cache_alloc(%s) = 0x%016lx; p[64] = 0x78 (one byte "
		      "past the object); kmem_cache_free(p):\n", s->name, (unsigned long)p);
	p[64] = 0x78;
	kmem_cache_free(s, p);
	seq_puts(m, "slubtest: the red zone was restored, so a second kmem_cache_free(p) passes\n");
	kmem_cache_free(s, p);
	finish(m, s, before);
	destroy_test_cache(s);
	return 0;
}

/* kmalloc(40) from a 64-byte kmalloc cache: bytes 40..63 are red zone under slub_debug=ZU. */
static int test_kmalloc_redzone(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = test_cache(m, "slubtest-kmalloc", SLAB_DEBUG_FLAGS | SLAB_KMALLOC);
	unsigned long before = slab_bug_count();
	u8 *p;

	(void)argc, (void)argv;
	if (!s || !(p = kmalloc_trace(s, GFP_KERNEL, 40)))
		return 1;
	seq_printf(m, "slubtest: p = kmalloc(40) from %s = 0x%016lx; memset(p + 40, 'x', 8) "
		      "(inside the object, past the request); kfree(p):\n", s->name,
		   (unsigned long)p);
	memset(p + 40, 'x', 8);
	kfree(p);
	kfree(p); /* repaired: this one frees it */
	finish(m, s, before);
	destroy_test_cache(s);
	return 0;
}

/* Write into a freed object: the poison check finds it when the object is allocated again. */
static int test_use_after_free(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = test_cache(m, "slubtest-uaf", SLAB_DEBUG_FLAGS);
	unsigned long before = slab_bug_count();
	u8 *p, *q;

	(void)argc, (void)argv;
	if (!s || !(p = kmem_cache_alloc(s, GFP_KERNEL)))
		return 1;
	kmem_cache_free(s, p);
	seq_printf(m, "slubtest: p = kmem_cache_alloc(%s) = 0x%016lx; kmem_cache_free(p); "
		      "p[8..11] = \"oops\"; then allocate again:\n", s->name, (unsigned long)p);
	memcpy(p + 8, "oops", 4);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	seq_printf(m, "slubtest: the allocation got 0x%016lx from another slab; the damaged slab "
		      "stays isolated (all its objects marked used), so %s is kept: see slabinfo\n",
		   (unsigned long)q, s->name);
	kmem_cache_free(s, q);
	finish(m, s, before);
	return 0;
}

/* Free the same object twice: with F, the freelist walk finds it already there. */
static int test_double_free(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = test_cache(m, "slubtest-double-free", SLAB_DEBUG_FLAGS);
	unsigned long before = slab_bug_count();
	void *p;

	(void)argc, (void)argv;
	if (!s || !(p = kmem_cache_alloc(s, GFP_KERNEL)))
		return 1;
	seq_printf(m, "slubtest: p = kmem_cache_alloc(%s) = 0x%016lx; kmem_cache_free(p) twice:\n",
		   s->name, (unsigned long)p);
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	finish(m, s, before);
	destroy_test_cache(s);
	return 0;
}

/* Overwrite a free object's free pointer: the next allocation of it finds the bad link. */
static int test_freelist(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = test_cache(m, "slubtest-freelist", SLAB_DEBUG_FLAGS);
	unsigned long before = slab_bug_count();
	void *p, *q;

	(void)argc, (void)argv;
	if (!s || !(p = kmem_cache_alloc(s, GFP_KERNEL)))
		return 1;
	q = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);
	seq_printf(m, "slubtest: p = 0x%016lx and q = 0x%016lx freed, so p's free pointer (at "
		      "p+%u) leads to q; overwrite it with q's plain address, then allocate:\n",
		   (unsigned long)p, (unsigned long)q, s->offset);
	*(void **)((char *)p + s->offset) = q; /* not encoded: decodes to garbage */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	seq_printf(m, "slubtest: the allocation got 0x%016lx from a new slab; the damaged one stays "
		      "isolated, so %s is kept\n", (unsigned long)q, s->name);
	kmem_cache_free(s, q);
	finish(m, s, before);
	return 0;
}

/* Destroy a cache that still has an object: reported, and the cache survives. */
static int test_destroy_live(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = test_cache(m, "slubtest-destroy", SLAB_STORE_USER);
	unsigned long before = slab_bug_count();
	void *p;

	(void)argc, (void)argv;
	if (!s || !(p = kmem_cache_alloc(s, GFP_KERNEL)))
		return 1;
	seq_printf(m, "slubtest: p = kmem_cache_alloc(%s) = 0x%016lx; kmem_cache_destroy with p "
		      "still allocated:\n", s->name, (unsigned long)p);
	destroy_test_cache(s);
	finish(m, s, before);
	seq_puts(m, "slubtest: now kmem_cache_free(p) and kmem_cache_destroy again: ");
	kmem_cache_free(s, p);
	destroy_test_cache(s);
	seq_puts(m, cache_is_listed(s) ? "still there\n" : "gone\n");
	return 0;
}

/* A double free without slub_debug: the hardened freelist's "freed onto itself" check. */
static int test_hardened(struct seq_file *m, int argc, char **argv)
{
	struct kmem_cache *s = test_cache(m, "slubtest-hardened", 0);
	unsigned long before = slab_bug_count();
	void *p;

	(void)argc, (void)argv;
	if (!s || !(p = kmem_cache_alloc(s, GFP_KERNEL)))
		return 1;
	seq_printf(m, "slubtest: %s has no debugging; p = kmem_cache_alloc = 0x%016lx; "
		      "kmem_cache_free(p) twice:\n", s->name, (unsigned long)p);
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	finish(m, s, before);
	destroy_test_cache(s);
	return 0;
}

const struct shell_subcommand slubtest_subcommands[] = {
	{ "redzone", test_redzone },
	{ "kmalloc-redzone", test_kmalloc_redzone },
	{ "use-after-free", test_use_after_free },
	{ "double-free", test_double_free },
	{ "freelist", test_freelist },
	{ "destroy-live", test_destroy_live },
	{ "hardened", test_hardened },
	{ NULL },
};
