// SPDX-License-Identifier: MIT
/*
 * `stress --cpus N [ops] [seed]`: the random workload of `stress` on N CPUs at once,
 * pages, kmalloc objects and objects of a cache of its own, with frees crossing CPUs,
 * then a conservation check.
 *
 *   CPU 0 (the shell)        CPU 1 ... N-1 (posted to their idle loops, as `on` does)
 *   snapshot: drain, shrink  |
 *   post the workers  ---->  stress_worker()   each CPU: its own slots, and the shared
 *   stress_worker()          |                 handoff slots, where an item one CPU
 *   wait for all      <----  done              allocated is taken and freed by another
 *   free the handoff slots, drain, shrink, snapshot again, compare, check invariants
 *
 * Every item carries a tag written into its memory when it is allocated (the CPU and a
 * serial number).  A tag that changed while the item was held means the allocator gave
 * the same memory to someone else too: the item is counted "handed out twice" and not
 * freed (a second free would corrupt what the race left), so the kernel lives on to
 * report it.  The conservation check compares, after draining the per-cpu lists and
 * shrinking the caches as Linux's drain_all_pages() and kmem_cache_shrink() do: free
 * pages per zone, buddyinfo, the per-cpu page count, and the objects and slabs of every
 * cache used; then the buddy allocator's invariants (mm/page_alloc_check.c) and SLUB's
 * validation of those caches.
 *
 * Ctrl-C: every worker checks signal_pending() between two operations, when all its
 * items are in its slots or the handoff slots, so the cleanup frees everything as usual.
 */
#include "arch/setup.h"
#include "arch/smpboot.h"
#include "kernel/signal.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "lib/atomic.h"
#include "lib/prandom.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/debug_race.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/vmstat.h"
#include "shell/args.h"
#include "shell/smp_commands.h"
#include "shell/stress_commands.h"

#define STRESS_CPU_SLOTS 128
#define STRESS_HANDOFF 32
#define STRESS_CACHE_SIZE 200
#define STRESS_SHEAF_CAPACITY 8
#define STRESS_MAX_ORDER 6       /* keeps N CPUs x 128 slots well inside a small guest */
#define STRESS_GRACE_NS 3000000000ULL
#define STRESS_STUCK_NS 5000000000ULL
#define STRESS_TAG_MAGIC 0x5354524553530000ULL /* "STRESS" */

enum stress_kind { ITEM_NONE, ITEM_PAGES, ITEM_KMALLOC, ITEM_CACHE };

struct stress_item {
	void *p;         /* struct page * for ITEM_PAGES, the object otherwise */
	u64 tag;         /* what was written into its first 8 bytes (0: nothing, HighMem) */
	unsigned int size; /* order for pages, bytes for kmalloc */
	u8 kind;
	u8 cpu;          /* the CPU that allocated it */
};

struct stress_cpu {
	unsigned long ops, done;
	u64 seed, serial;
	unsigned long pages, kmallocs, objects, failed, frees, remote_frees, handoffs, twice;
	char first_twice[96];
	struct stress_item slots[STRESS_CPU_SLOTS];
};

static struct stress_cpu stress_cpus[NR_CPUS];

static struct {
	spinlock_t lock; /* the harness's own lock, never skipped */
	struct stress_item item;
} handoff[STRESS_HANDOFF];

static struct kmem_cache *stress_cache;
static unsigned long race_start; /* debug_race_collisions() when the run began */

/*
 * With debug_race= on, stop after RACE_STOP collisions (two CPUs inside the unlocked
 * path at once): by then some have done damage the check can see, and going on would
 * soon break a list beyond what the check can walk.
 */
#define RACE_STOP 1000
static bool race_seen(void)
{
	return debug_race && debug_race_collisions() - race_start >= RACE_STOP;
}

/* kmalloc sizes: mostly under 512 bytes, some up to two pages, a few large (pages). */
static unsigned int random_size(u64 r)
{
	unsigned int pct = r % 100;

	if (pct < 75)
		return 8 + (r >> 8) % 505;
	if (pct < 97)
		return 513 + (r >> 8) % (KMALLOC_MAX_CACHE_SIZE - 512);
	return KMALLOC_MAX_CACHE_SIZE + 1 + (r >> 8) % (3 * KMALLOC_MAX_CACHE_SIZE);
}

static u64 *item_tag_slot(const struct stress_item *it)
{
	if (it->kind != ITEM_PAGES)
		return it->p;
	return PageHighMem((struct page *)it->p) ? NULL : page_address(it->p);
}

static bool stress_alloc(struct stress_cpu *sc, unsigned int cpu, u64 r, struct stress_item *it)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE,
				      GFP_KERNEL | __GFP_RECLAIMABLE };
	unsigned int pct = (r >> 32) % 100;
	u64 *tag;

	it->cpu = (u8)cpu;
	if (pct < 40) {
		it->kind = ITEM_PAGES;
		it->size = random_order(r >> 8, STRESS_MAX_ORDER);
		it->p = alloc_pages(gfps[(r >> 48) % 3] | __GFP_NOWARN, it->size);
		sc->pages++;
	} else if (pct < 75) {
		it->kind = ITEM_KMALLOC;
		it->size = random_size(r >> 8);
		it->p = __kmalloc(it->size, GFP_KERNEL | __GFP_NOWARN);
		sc->kmallocs++;
	} else {
		it->kind = ITEM_CACHE;
		it->size = STRESS_CACHE_SIZE;
		it->p = kmem_cache_alloc(stress_cache, GFP_KERNEL | __GFP_NOWARN);
		sc->objects++;
	}
	if (!it->p) {
		sc->failed++;
		it->kind = ITEM_NONE;
		return false;
	}
	tag = item_tag_slot(it);
	it->tag = tag ? STRESS_TAG_MAGIC ^ ((u64)cpu << 40) ^ ++sc->serial : 0;
	if (tag)
		WRITE_ONCE(*tag, it->tag);
	return true;
}

/*
 * Free @it (on whichever CPU runs this), unless its tag changed: then the memory was
 * handed to someone else as well, and freeing it again would make the damage worse.
 */
static void stress_free(struct stress_cpu *sc, unsigned int cpu, struct stress_item *it)
{
	u64 *tag = item_tag_slot(it);

	if (tag && READ_ONCE(*tag) != it->tag) {
		if (!sc->twice++)
			snprintf(sc->first_twice, sizeof(sc->first_twice),
				 "%s %p from CPU%u: tag %#llx, expected %#llx",
				 it->kind == ITEM_PAGES ? "page" : "object", it->p, it->cpu,
				 (unsigned long long)READ_ONCE(*tag), (unsigned long long)it->tag);
		it->kind = ITEM_NONE;
		return;
	}
	if (it->kind == ITEM_PAGES)
		__free_pages(it->p, it->size);
	else if (it->kind == ITEM_KMALLOC)
		kfree(it->p);
	else
		kmem_cache_free(stress_cache, it->p);
	sc->frees++;
	sc->remote_frees += it->cpu != cpu;
	it->kind = ITEM_NONE;
}

/* Put @it in a handoff slot and free what another CPU left there. */
static void stress_handoff(struct stress_cpu *sc, unsigned int cpu, u64 r, struct stress_item *it)
{
	unsigned int k = (r >> 24) % STRESS_HANDOFF;
	struct stress_item old;
	unsigned long flags;

	spin_lock_irqsave(&handoff[k].lock, flags);
	old = handoff[k].item;
	handoff[k].item = *it;
	spin_unlock_irqrestore(&handoff[k].lock, flags);
	it->kind = ITEM_NONE;
	sc->handoffs++;
	if (old.kind != ITEM_NONE)
		stress_free(sc, cpu, &old);
}

static void stress_worker(void *arg)
{
	struct stress_cpu *sc = arg;
	unsigned int cpu = smp_processor_id();
	u64 x = ((sc->seed << 8) + cpu + 1) * 0x9e3779b97f4a7c15ULL | 1; /* a stream per CPU */

	for (sc->done = 0; sc->done < sc->ops && !signal_pending() && !race_seen(); sc->done++) {
		u64 r = xorshift64(&x);
		struct stress_item *it = &sc->slots[r % STRESS_CPU_SLOTS];

		if (r % 509 == 0) /* now and then, as an allocator under pressure does */
			drain_all_pages(NULL);
		if (it->kind == ITEM_NONE)
			stress_alloc(sc, cpu, r, it);
		else if ((r >> 20) % 4 == 0)
			stress_handoff(sc, cpu, r, it);
		else
			stress_free(sc, cpu, it);
	}
	for (int i = 0; i < STRESS_CPU_SLOTS; i++)
		if (sc->slots[i].kind != ITEM_NONE)
			stress_free(sc, cpu, &sc->slots[i]);
}

/* ---- the conservation check ------------------------------------------------------------ */

#define STRESS_MAX_CACHES (2 * (KMALLOC_SHIFT_HIGH + 1) + 1)

struct stress_snapshot {
	unsigned long free[MAX_NR_ZONES], pcp, objs, slabs;
	unsigned long slab_reports; /* SLUB's "BUG <cache>" reports so far (slab_bug_count) */
	unsigned long cache_objs[STRESS_MAX_CACHES], cache_slabs[STRESS_MAX_CACHES];
	char buddyinfo[1024];
};

/*
 * The caches the workload uses: its own first, then every kmalloc cache - shrinking a
 * cache with sheaves frees sheaves, which are kmalloc objects.
 */
static unsigned int stress_caches(struct kmem_cache **caches)
{
	unsigned int n = 0;

	caches[n++] = stress_cache;
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
			if (kmalloc_caches[t][i])
				caches[n++] = kmalloc_caches[t][i];
	return n;
}

/* Everything back where a count can see it: slabs flushed and emptied, pcp lists drained. */
static void stress_settle(struct kmem_cache **caches, unsigned int n)
{
	/* Its own cache first: freeing its sheaves frees kmalloc objects. */
	for (unsigned int i = 0; i < n; i++)
		if (!(caches[i]->flags & SLAB_KMALLOC))
			kmem_cache_shrink(caches[i]);
	kmalloc_caches_shrink();
	drain_all_pages(NULL);
	refresh_vm_stats();
}

static void stress_snapshot(struct stress_snapshot *s, struct kmem_cache **caches, unsigned int n)
{
	struct seq_file buf;
	struct zone *zone;

	memset(s, 0, sizeof(*s));
	stress_settle(caches, n);
	for_each_populated_zone(zone) {
		s->free[zone_idx(zone)] = zone_page_state_snapshot(zone, NR_FREE_PAGES);
		s->pcp += zone_pcp_count(zone);
	}
	for (unsigned int i = 0; i < n; i++) {
		struct slabinfo si;

		get_slabinfo(caches[i], &si);
		s->cache_objs[i] = si.active_objs;
		s->cache_slabs[i] = si.num_slabs;
		s->objs += si.active_objs;
		s->slabs += si.num_slabs;
	}
	seq_buf_init(&buf, s->buddyinfo, sizeof(s->buddyinfo));
	buddyinfo_show(&buf);
	s->slab_reports = slab_bug_count();
}

/* Compare and check; returns the number of failed checks. */
static unsigned int stress_check(struct seq_file *m, const struct stress_snapshot *a,
				 const struct stress_snapshot *b, struct kmem_cache **caches,
				 unsigned int n)
{
	unsigned int bad = 0;
	unsigned long errors, slab_errors = 0;
	struct zone *zone;
	char why[160];

	seq_puts(m, "conservation (per-cpu lists drained, caches shrunk, as before the run):\n");
	for_each_populated_zone(zone) {
		char what[32];

		snprintf(what, sizeof(what), "free pages %s", zone->name);
		bad += shell_report_count(m, what, a->free[zone_idx(zone)], b->free[zone_idx(zone)]);
	}
	bad += shell_report_count(m, "per-cpu pages", a->pcp, b->pcp);
	bad += shell_report_count(m, "slab objects in use", a->objs, b->objs);
	bad += shell_report_count(m, "slabs", a->slabs, b->slabs);
	for (unsigned int i = 0; i < n; i++)
		if (a->cache_objs[i] != b->cache_objs[i] || a->cache_slabs[i] != b->cache_slabs[i])
			seq_printf(m, "    %s: objects %lu -> %lu, slabs %lu -> %lu\n", caches[i]->name,
				   a->cache_objs[i], b->cache_objs[i], a->cache_slabs[i],
				   b->cache_slabs[i]);
	if (strcmp(a->buddyinfo, b->buddyinfo)) {
		seq_printf(m, "  buddyinfo              differs:\nbefore:\n%safter:\n%s", a->buddyinfo,
			   b->buddyinfo);
		bad++;
	} else {
		seq_puts(m, "  buddyinfo              identical\n");
	}
	errors = check_all_free_lists(why, sizeof(why));
	if (errors) {
		seq_printf(m, "  free-list invariants   %lu violation%s, first: %s\n", errors,
			   errors == 1 ? "" : "s", why);
		bad++;
	} else {
		seq_puts(m, "  free-list invariants   ok\n");
	}
	for (unsigned int i = 0; i < n; i++)
		slab_errors += kmem_cache_validate(caches[i]);
	if (slab_errors) {
		seq_printf(m, "  slab validation        %lu error%s (reports above)\n", slab_errors,
			   slab_errors == 1 ? "" : "s");
		bad++;
	} else {
		seq_printf(m, "  slab validation        ok (%u caches)\n", n);
	}
	/* Any report since the run began: a double free caught, a barn whose counts lie... */
	errors = slab_bug_count() - a->slab_reports;
	if (errors) {
		seq_printf(m, "  SLUB reports           %lu since the run began (above)\n", errors);
		bad++;
	} else {
		seq_puts(m, "  SLUB reports           none\n");
	}
	return bad;
}

static unsigned int stress_check_here(struct seq_file *m, const struct stress_snapshot *a,
				      struct stress_snapshot *b, struct kmem_cache **caches,
				      unsigned int n)
{
	stress_snapshot(b, caches, n);
	return stress_check(m, a, b, caches, n);
}

struct stress_check_work {
	struct seq_file *m;
	const struct stress_snapshot *a;
	struct stress_snapshot *b;
	struct kmem_cache **caches;
	unsigned int n, bad;
};

static void stress_check_fn(void *arg)
{
	struct stress_check_work *w = arg;

	w->bad = stress_check_here(w->m, w->a, w->b, w->caches, w->n);
}

#define STRESS_CHECK_STUCK (~0U)
#define STRESS_CHECK_NS 10000000000ULL

/*
 * With a lock left out, the check walks lists the race may have broken into a loop: it
 * runs on a worker CPU, and this one gives up on it after STRESS_CHECK_NS, so the report
 * still reaches the prompt.  Returns the failed checks, or STRESS_CHECK_STUCK.
 */
static unsigned int stress_check_elsewhere(struct seq_file *m, const struct stress_snapshot *a,
					   struct stress_snapshot *b, struct kmem_cache **caches,
					   unsigned int n, unsigned long mask)
{
	static struct stress_check_work w;
	unsigned int cpu = __builtin_ctzl(mask);
	u64 t0 = local_clock();

	w = (struct stress_check_work){ .m = m, .a = a, .b = b, .caches = caches, .n = n };
	if (smp_post_idle_work(cpu, stress_check_fn, &w))
		return stress_check_here(m, a, b, caches, n);
	while (!smp_idle_work_done(cpu)) {
		smp_run_idle_work();
		if (local_clock() - t0 > STRESS_CHECK_NS) {
			seq_printf(m, "\nstress: the check on CPU%u has not finished in 10 s: it is "
				      "stuck in a list the race broke\nstress: conservation check "
				      "FAILED: debug_race=%s\n", cpu, debug_race_name());
			return STRESS_CHECK_STUCK;
		}
		cpu_relax();
	}
	return w.bad;
}

/* ---- running it ------------------------------------------------------------------------ */

enum stress_wait { WAIT_DONE, WAIT_CTRL_C, WAIT_STUCK };

/*
 * Wait until every CPU in @mask has finished its posted work, running any posted here.
 * A CPU whose operation count has not moved for STRESS_STUCK_NS is stuck inside the
 * allocator (with debug_race=, on a list the race broke, interrupts off): it will never
 * answer, so waiting for it, or for a flush that needs it, would hang this CPU too.
 */
static enum stress_wait stress_wait(struct seq_file *m, unsigned long mask)
{
	unsigned long last[NR_CPUS] = { 0 };
	u64 moved[NR_CPUS], ctrl_c_at = 0;
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		moved[cpu] = local_clock();
	for (;;) {
		bool all = true;

		for_each_cpu(cpu, mask) {
			unsigned long done = READ_ONCE(stress_cpus[cpu].done);

			if (smp_idle_work_done(cpu))
				continue;
			all = false;
			if (done != last[cpu]) {
				last[cpu] = done;
				moved[cpu] = local_clock();
			} else if (local_clock() - moved[cpu] > STRESS_STUCK_NS) {
				seq_printf(m, "stress: CPU%u has made no progress for 5 s after %lu "
					      "operations: stuck inside the allocator\n", cpu, done);
				return WAIT_STUCK;
			}
		}
		if (all)
			return WAIT_DONE;
		smp_run_idle_work();
		if (signal_pending() && !ctrl_c_at)
			ctrl_c_at = local_clock();
		if (ctrl_c_at && local_clock() - ctrl_c_at > STRESS_GRACE_NS) {
			seq_puts(m, "stress: a CPU has not stopped 3 s after Ctrl-C; not checking\n");
			return WAIT_CTRL_C;
		}
		cpu_relax();
	}
}

static int parse_args(struct seq_file *m, int argc, char **argv, u64 *ncpus, u64 *ops, u64 *seed)
{
	if (argc < 3) {
		seq_puts(m, "stress: --cpus needs a CPU count (stress --cpus N [ops] [seed])\n");
		return -1;
	}
	if (shell_parse_cpus(m, "stress", argv[2], ncpus))
		return -1;
	if ((argc > 3 && arg_u64_range(m, "stress", "operation count", argv[3], 1, 100000000, ops)) ||
	    (argc > 4 && arg_u64(m, "stress", "seed", argv[4], seed)))
		return -1;
	return 0;
}

static void print_counts(struct seq_file *m, unsigned long mask)
{
	unsigned long t[9] = { 0 };
	unsigned int cpu;

	seq_puts(m, "CPU        ops    pages  kmalloc    cache   failed    frees   remote  handoff  twice\n");
	for_each_cpu(cpu, mask) {
		const struct stress_cpu *sc = &stress_cpus[cpu];
		unsigned long v[9] = { sc->done, sc->pages, sc->kmallocs, sc->objects, sc->failed,
				       sc->frees, sc->remote_frees, sc->handoffs, sc->twice };

		seq_printf(m, "%3u", cpu);
		for (int i = 0; i < 9; i++) {
			seq_printf(m, i == 8 ? " %6lu" : " %8lu", v[i]);
			t[i] += v[i];
		}
		seq_putc(m, '\n');
	}
	seq_puts(m, "all");
	for (int i = 0; i < 9; i++)
		seq_printf(m, i == 8 ? " %6lu" : " %8lu", t[i]);
	seq_puts(m, "\n(remote: frees of an item another CPU allocated; handoff: items left for "
		    "another CPU to free;\n twice: items whose memory was handed out again while held)\n");
}

static void print_race(struct seq_file *m)
{
	unsigned long n = debug_race_collisions() - race_start;

	if (debug_race)
		seq_printf(m, "race: %lu time%s a CPU entered a path that skips %s while another "
			      "was inside it (the run stops at %d)\n", n, n == 1 ? "" : "s",
			   debug_race_lock_name(), RACE_STOP);
}

int cmd_stress_cpus(struct seq_file *m, int argc, char **argv)
{
	static struct stress_snapshot before, after;
	static struct kmem_cache *caches[STRESS_MAX_CACHES];
	unsigned int n, cpu, bad, me = smp_processor_id();
	struct stress_cpu *self = &stress_cpus[me];
	unsigned long mask, twice = 0;
	u64 ncpus, ops = 20000, seed = 1, t0, ns;
	enum stress_wait waited;
	bool watch;

	if (parse_args(m, argc, argv, &ncpus, &ops, &seed))
		return 1;
	if (!stress_cache) {
		/* Linux 6.18's per-CPU sheaves, small so that the CPUs trade at the barn often. */
		struct kmem_cache_args args = { .sheaf_capacity = STRESS_SHEAF_CAPACITY };

		stress_cache = __kmem_cache_create_args("stress_cache", STRESS_CACHE_SIZE, &args, 0);
	}
	if (!stress_cache) {
		seq_puts(m, "stress: cannot create stress_cache\n");
		return 1;
	}
	mask = shell_pick_cpus(m, "stress", (unsigned int)ncpus);
	if (!mask)
		return 1;
	/*
	 * With a lock left out, the CPU that would report could be the one a broken list
	 * traps: it only watches, and the others run the workload.
	 */
	watch = debug_race && ncpus > 1;
	if (debug_race)
		seq_printf(m, "stress: debug_race=%s: %s is not taken; expect this run to fail\n",
			   debug_race_name(), debug_race_lock_name());
	if (watch) {
		mask &= ~(1UL << me);
		seq_printf(m, "stress: CPU%u watches; the workload runs on the other %u\n", me,
			   cpumask_weight_word(mask));
	}
	n = stress_caches(caches);
	for (int k = 0; k < STRESS_HANDOFF; k++) {
		spin_lock_init(&handoff[k].lock);
		handoff[k].item.kind = ITEM_NONE;
	}
	memset(self, 0, sizeof(*self));
	for_each_cpu(cpu, mask) {
		memset(&stress_cpus[cpu], 0, sizeof(stress_cpus[cpu]));
		stress_cpus[cpu].ops = ops;
		stress_cpus[cpu].seed = seed;
	}
	stress_snapshot(&before, caches, n);
	race_start = debug_race_collisions();
	t0 = local_clock();
	for_each_cpu(cpu, mask) {
		if (cpu != me && smp_post_idle_work(cpu, stress_worker, &stress_cpus[cpu])) {
			seq_printf(m, "stress: cannot post to CPU%u\n", cpu);
			mask &= ~(1UL << cpu);
		}
	}
	if (!watch)
		stress_worker(self);
	waited = stress_wait(m, mask & ~(1UL << me));
	ns = MAX(local_clock() - t0, 1);
	if (waited == WAIT_CTRL_C)
		return 130;
	if (waited == WAIT_STUCK) {
		print_race(m);
		/* Draining and flushing need every CPU's answer: no check can run now. */
		seq_printf(m, "stress: conservation check FAILED: debug_race=%s: a CPU is stuck, so "
			      "nothing can be counted (the shell still answers; a command that needs "
			      "every CPU will not)\n", debug_race ? debug_race_name() : "off");
		return 1;
	}
	for (int k = 0; k < STRESS_HANDOFF; k++)
		if (handoff[k].item.kind != ITEM_NONE)
			stress_free(self, me, &handoff[k].item);
	if (signal_pending())
		seq_puts(m, "stress: interrupted\n");
	seq_printf(m, "stress: %u CPUs, %llu operations each (seed %llu) in %llu.%03llu ms\n",
		   cpumask_weight_word(mask), ops, seed, ns / 1000000, ns / 1000 % 1000);
	print_counts(m, mask);
	print_race(m);
	for_each_cpu(cpu, mask) {
		if (stress_cpus[cpu].twice && !twice)
			seq_printf(m, "first handed out twice, seen on CPU%u: %s\n", cpu,
				   stress_cpus[cpu].first_twice);
		twice += stress_cpus[cpu].twice;
	}
	bad = watch ? stress_check_elsewhere(m, &before, &after, caches, n, mask)
		    : stress_check_here(m, &before, &after, caches, n);
	if (bad == STRESS_CHECK_STUCK)
		return 1;
	if (twice) {
		seq_printf(m, "  handed out twice       %lu (kept, not freed)\n", twice);
		bad++;
	}
	if (bad)
		seq_printf(m, "stress: conservation check FAILED (%u check%s)%s%s\n", bad,
			   bad == 1 ? "" : "s", debug_race ? ": debug_race=" : "",
			   debug_race ? debug_race_name() : "");
	else
		seq_puts(m, "stress: conservation check passed\n");
	if (signal_pending())
		return 130;
	return bad ? 1 : 0;
}
