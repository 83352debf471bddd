// SPDX-License-Identifier: MIT
/*
 * Lab 10's host checks: alloc_from_pcs(), free_to_pcs(), pcs_replace_empty_main(),
 * pcs_replace_full_main() and barn_get() (mm/slub.c, "per-CPU sheaves"),
 * built from the kernel's own source on a 64 MiB machine.  One thread plays the CPUs
 * one after the other (host_cpu_id) where a count must be exact; the last check runs
 * four threads as four CPUs at once.  Each test is one graded check
 * (docs/labs/10-sheaves-and-smp.md).
 *
 *   alloc: main -> spare -> a full sheaf from the barn -> refill (callers that may wait)
 *   free:  main -> spare -> an empty sheaf (barn, else kmalloc); full main to the barn
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <unistd.h>

#include "host/buddy_machine.h"
#include "host/printk_capture.h"
#include "kernel/smp.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/vmstat.h"

#define CPUS 4

static void boot(void)
{
	boot_machine_with_slab(ram_64m, 1, NULL);
	for (unsigned int cpu = 1; cpu < CPUS; cpu++) {
		page_alloc_cpu_online(cpu);
		set_cpu_online(cpu, true);
		vmstat_cpu_online(cpu);
	}
	host_cpu_id = 0;
}

/* A cache of 64-byte objects whose sheaves hold @capacity. */
static struct kmem_cache *cache(unsigned int capacity)
{
	struct kmem_cache_args args = { .sheaf_capacity = capacity };
	struct kmem_cache *s = __kmem_cache_create_args("lab10", 64, &args, 0);

	cr_assert_not_null(s);
	cr_assert_not_null(s->cpu_sheaves);
	return s;
}

static unsigned int pcs_stat(struct kmem_cache *s, unsigned int cpu, enum sheaf_stat_item item)
{
	return s->cpu_sheaves[cpu].stat[item];
}

static struct sheaves_count sheaves(struct kmem_cache *s)
{
	struct sheaves_count c;

	slab_sheaves_count(s, &c);
	return c;
}

/* The end of every test: after a shrink no sheaf and no slab is left, and no page lost. */
static void shrink_to_nothing(struct kmem_cache *s)
{
	struct sheaves_count c;

	kmem_cache_shrink(s);
	c = sheaves(s);
	cr_assert_eq(c.cpu_objects + c.barn_objects + c.barn_full + c.barn_empty, 0,
		     "after a shrink: %u objects in CPU sheaves, barn %u full + %u empty",
		     c.cpu_objects, c.barn_full, c.barn_empty);
	cr_assert_eq(s->node[0]->nr_slabs, 0, "after a shrink, %lu slabs are left",
		     s->node[0]->nr_slabs);
	kmem_cache_destroy(s);
}

Test(lab10, an_allocation_pops_this_cpus_main_sheaf)
{
	struct kmem_cache *s;
	void *objs[8];

	boot();
	s = cache(8);
	objs[0] = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_not_null(objs[0]);
	cr_assert_eq(pcs_stat(s, 0, ALLOC_PCS), 1, "the object comes from a sheaf");
	cr_assert_eq(pcs_stat(s, 0, SHEAF_REFILL), 8, "main is filled whole, once");
	cr_assert_eq(sheaves(s).cpu_objects, 7);
	for (int i = 1; i < 8; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(pcs_stat(s, 0, ALLOC_PCS), 8);
	cr_assert_eq(pcs_stat(s, 0, SHEAF_REFILL), 8, "7 more objects need no refill");
	for (int i = 0; i < 8; i++)
		kmem_cache_free(s, objs[i]);
	cr_assert_eq(pcs_stat(s, 0, FREE_PCS), 8, "every free goes to a sheaf");
	cr_assert_eq(sheaves(s).cpu_objects, 8);
	shrink_to_nothing(s);
}

Test(lab10, the_object_freed_last_comes_back_first)
{
	struct kmem_cache *s;
	u8 *p, *q, *r;

	boot();
	s = cache(8);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	memset(q, 0x5a, 64);
	kmem_cache_free(s, p);
	kmem_cache_free(s, q);
	cr_assert_eq(pcs_stat(s, 0, FREE_PCS), 2, "both frees go onto main");
	r = kmem_cache_zalloc(s, GFP_KERNEL);
	cr_assert_eq(r, q, "a sheaf is a stack: the last object in is the first out");
	for (int i = 0; i < 64; i++)
		cr_assert_eq(r[i], 0, "__GFP_ZERO: byte %d is 0x%x", i, r[i]);
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), p);
	cr_assert_eq(pcs_stat(s, 0, ALLOC_PCS), 4, "every allocation pops main");
	kmem_cache_free(s, p);
	kmem_cache_free(s, r);
	shrink_to_nothing(s);
}

Test(lab10, a_double_free_onto_main_is_reported_and_dropped)
{
	struct kmem_cache *s;
	void *p;

	boot();
	s = cache(8);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	host_printk_reset();
	kmem_cache_free(s, p);
	cr_assert(strstr(host_printk_buf, "freed onto itself"), "no report:\n%s", host_printk_buf);
	cr_assert_eq(sheaves(s).cpu_objects, 8, "the second free must not be pushed");
	cr_assert_eq(kmem_cache_alloc(s, GFP_KERNEL), p);
	cr_assert_neq(kmem_cache_alloc(s, GFP_KERNEL), p, "handed out twice");
	kmem_cache_shrink(s);
	kmem_cache_destroy(s); /* one object is still out: the cache stays, as Linux's */
}

Test(lab10, a_cpu_already_inside_its_sheaves_uses_the_cpu_slab)
{
	struct kmem_cache *s;
	void *p;

	boot();
	s = cache(8);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	cr_assert(local_trylock(&s->cpu_sheaves[0].lock)); /* as if interrupted inside */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_not_null(p, "the CPU slab serves when the sheaves are busy");
	cr_assert_eq(pcs_stat(s, 0, ALLOC_PCS), 1, "a busy sheaf must not be touched");
	kmem_cache_free(s, p);
	cr_assert_eq(pcs_stat(s, 0, FREE_PCS), 1, "a busy sheaf must not be touched");
	local_unlock(&s->cpu_sheaves[0].lock);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(pcs_stat(s, 0, ALLOC_PCS), 2, "the lock must be free again after each call");
	kmem_cache_free(s, p);
	cr_assert_eq(pcs_stat(s, 0, FREE_PCS), 2, "the lock must be free again after each call");
	shrink_to_nothing(s);
}

Test(lab10, a_caller_that_cannot_wait_gets_one_object_not_a_refill)
{
	static void *objs[12];
	struct kmem_cache *s;
	void *p;

	boot();
	s = cache(30);
	p = kmem_cache_alloc(s, GFP_NOWAIT);
	cr_assert_not_null(p);
	cr_assert_eq(pcs_stat(s, 0, SHEAF_REFILL), 0, "30 objects taken for one GFP_NOWAIT caller");
	kmem_cache_free(s, p);
	cr_assert_eq(pcs_stat(s, 0, FREE_PCS), 1, "a free needs no refill: into a sheaf");
	cr_assert_eq(kmem_cache_alloc(s, GFP_ATOMIC), p, "a sheaf with objects serves anyone");
	cr_assert_eq(pcs_stat(s, 0, ALLOC_PCS), 1, "a sheaf with objects serves anyone");
	kmem_cache_free(s, p);
	shrink_to_nothing(s);

	/* Only the refill is for callers that may wait: the spare and the barn serve anyone. */
	s = cache(4);
	for (int i = 0; i < 12; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 12; i++) /* main and spare full, one full sheaf in the barn */
		kmem_cache_free(s, objs[i]);
	for (int i = 0; i < 12; i++)
		objs[i] = kmem_cache_alloc(s, GFP_ATOMIC);
	cr_assert_eq(pcs_stat(s, 0, SHEAF_SWAP), 1, "GFP_ATOMIC: the spare with objects serves");
	cr_assert_eq(pcs_stat(s, 0, BARN_GET), 1, "GFP_ATOMIC: the barn's full sheaf serves");
	cr_assert_eq(pcs_stat(s, 0, ALLOC_PCS), 24, "all 12 from sheaves, none from the CPU slab");
	for (int i = 0; i < 12; i++)
		kmem_cache_free(s, objs[i]);
	shrink_to_nothing(s);
}

Test(lab10, a_full_main_trades_with_the_spare_then_the_barn)
{
	static void *objs[12];
	struct kmem_cache *s;
	struct sheaves_count c;

	boot();
	s = cache(4);
	for (int i = 0; i < 12; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 12; i++)
		kmem_cache_free(s, objs[i]);
	c = sheaves(s);
	/* main and spare full after 8 frees; the next fills a new main, the full one goes
	 * to the barn */
	cr_assert_eq(c.cpu_objects, 8, "main + spare");
	cr_assert_eq(c.barn_full, 1);
	cr_assert_eq(pcs_stat(s, 0, BARN_PUT), 1);
	cr_assert_eq(pcs_stat(s, 0, SHEAF_FLUSH), 0, "nothing went back to a slab");
	for (int i = 0; i < 8; i++) /* main, then the spare swapped in: both empty */
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(pcs_stat(s, 0, SHEAF_SWAP), 1, "an empty main swaps with a spare with objects");
	for (int i = 0; i < 8; i++) /* main full: the empty spare has room */
		kmem_cache_free(s, objs[i]);
	cr_assert_eq(pcs_stat(s, 0, SHEAF_SWAP), 2, "a full main swaps with a spare with room");
	cr_assert_eq(pcs_stat(s, 0, BARN_PUT), 1, "no trade at the barn while the spare has room");
	cr_assert_eq(sheaves(s).barn_full, 1);
	shrink_to_nothing(s);
}

Test(lab10, an_empty_main_takes_a_full_sheaf_from_the_barn_before_any_slab)
{
	static void *objs[16];
	struct kmem_cache *s;
	unsigned int refills;

	boot();
	s = cache(4);
	for (int i = 0; i < 16; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	host_cpu_id = 1; /* CPU 1 frees what CPU 0 took: into CPU 1's sheaves and its barn */
	for (int i = 0; i < 16; i++)
		kmem_cache_free(s, objs[i]);
	cr_assert_eq(pcs_stat(s, 1, FREE_PCS), 16, "a remote free is a push like any other");
	cr_assert_eq(sheaves(s).barn_full, 2);
	host_cpu_id = 2; /* a third CPU takes the barn's two full sheaves */
	refills = pcs_stat(s, 0, SHEAF_REFILL) + pcs_stat(s, 2, SHEAF_REFILL);
	for (int i = 0; i < 8; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(pcs_stat(s, 2, BARN_GET), 2, "two full sheaves from the barn");
	cr_assert_eq(pcs_stat(s, 0, SHEAF_REFILL) + pcs_stat(s, 2, SHEAF_REFILL), refills,
		     "no slab touched while the barn had full sheaves");
	cr_assert_eq(sheaves(s).barn_empty, 0, "the emptied main is kept as the spare");
	cr_assert_not_null(s->cpu_sheaves[2].spare, "the emptied main is kept as the spare");
	for (int i = 0; i < 8; i++)
		kmem_cache_free(s, objs[i]);
	host_cpu_id = 0;
	shrink_to_nothing(s);
}

Test(lab10, the_barn_holds_at_most_ten_full_sheaves)
{
	static void *objs[120];
	struct kmem_cache *s;
	struct sheaves_count c;

	boot();
	s = cache(4);
	for (int i = 0; i < 120; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 120; i++)
		kmem_cache_free(s, objs[i]);
	c = sheaves(s);
	cr_assert_eq(c.barn_full, MAX_FULL_SHEAVES);
	cr_assert_eq(c.cpu_objects + c.barn_objects, 4 * (2 + MAX_FULL_SHEAVES),
		     "main, spare and ten full sheaves: the rest went back to the slabs");
	cr_assert_eq(pcs_stat(s, 0, SHEAF_FLUSH), 120 - 4 * (2 + MAX_FULL_SHEAVES));
	shrink_to_nothing(s);
}

Test(lab10, every_sheaf_made_is_freed_and_every_object_counted)
{
	static void *objs[300];
	struct kmem_cache *s;
	unsigned int st[NR_SHEAF_STAT_ITEMS] = { 0 };

	boot();
	s = cache(5);
	for (int round = 0; round < 3; round++) {
		host_cpu_id = round % CPUS;
		for (int i = 0; i < 300; i++)
			objs[i] = kmem_cache_alloc(s, i % 3 ? GFP_KERNEL : GFP_ATOMIC);
		host_cpu_id = (round + 1) % CPUS;
		for (int i = 299; i >= 0; i--)
			kmem_cache_free(s, objs[i]);
	}
	host_cpu_id = 0;
	kmem_cache_shrink(s);
	for (int cpu = 0; cpu < CPUS; cpu++)
		for (int i = 0; i < NR_SHEAF_STAT_ITEMS; i++)
			st[i] += pcs_stat(s, cpu, i);
	cr_assert_eq(st[FREE_PCS], 900, "every free goes into a sheaf: %u of 900", st[FREE_PCS]);
	cr_assert_gt(st[ALLOC_PCS], 600, "the GFP_KERNEL allocations come from sheaves: %u",
		     st[ALLOC_PCS]);
	cr_assert_eq(st[SHEAF_ALLOC], st[SHEAF_FREE], "sheaves made %u, freed %u",
		     st[SHEAF_ALLOC], st[SHEAF_FREE]);
	cr_assert_eq(st[SHEAF_REFILL] + st[FREE_PCS], st[SHEAF_FLUSH] + st[ALLOC_PCS],
		     "into sheaves: %u refilled + %u freed; out: %u flushed + %u allocated",
		     st[SHEAF_REFILL], st[FREE_PCS], st[SHEAF_FLUSH], st[ALLOC_PCS]);
	shrink_to_nothing(s);
}

/*
 * Four threads as four CPUs, each taking and freeing in bursts that cross the barn, all
 * started together and stopped together after a while: time, not a count, so that on a
 * busy machine too the threads overlap long enough for a race to show.
 */
#define RUN_MS 1500
#define BURST 11

static struct kmem_cache *shared;
static int twice, started, stop;

static unsigned int list_count(struct list_head *head)
{
	unsigned int n = 0;

	for (struct list_head *p = head->next; p != head && n <= 1000; p = p->next)
		n++;
	return n;
}

static long tag(unsigned long cpu, long round, int i)
{
	return (long)cpu << 40 | round << 8 | i;
}

static void *cpu_main(void *arg)
{
	unsigned long cpu = (unsigned long)arg;
	long *objs[BURST];

	host_cpu_id = (unsigned int)cpu;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < CPUS)
		;
	for (long round = 0; !__atomic_load_n(&stop, __ATOMIC_RELAXED); round++) {
		for (int i = 0; i < BURST; i++) {
			objs[i] = kmem_cache_alloc(shared, GFP_KERNEL);
			if (objs[i]) /* a tag only this CPU writes, now */
				__atomic_store_n(objs[i], tag(cpu, round, i), __ATOMIC_RELAXED);
		}
		for (int i = 0; i < BURST; i++) {
			if (!objs[i] || __atomic_load_n(objs[i], __ATOMIC_RELAXED) != tag(cpu, round, i)) {
				__atomic_add_fetch(&twice, 1, __ATOMIC_RELAXED);
				continue; /* not freed a second time */
			}
			kmem_cache_free(shared, objs[i]);
		}
	}
	return NULL;
}

Test(lab10, four_cpus_at_once_lose_nothing_and_share_nothing)
{
	pthread_t threads[CPUS];
	struct sheaves_count c;
	struct node_barn *barn;
	unsigned int traded = 0;
	bool over = false;

	boot();
	shared = cache(1);
	barn = shared->cpu_sheaves[0].barn;
	for (unsigned long cpu = 0; cpu < CPUS; cpu++)
		cr_assert_eq(pthread_create(&threads[cpu], NULL, cpu_main, (void *)cpu), 0);
	for (int ms = 0; ms < RUN_MS; ms++) { /* watch the barn's counts while they run */
		usleep(1000);
		over |= READ_ONCE(barn->nr_full) > MAX_FULL_SHEAVES ||
			READ_ONCE(barn->nr_empty) > MAX_EMPTY_SHEAVES;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int cpu = 0; cpu < CPUS; cpu++)
		pthread_join(threads[cpu], NULL);
	host_cpu_id = 0;
	cr_assert_eq(twice, 0, "%d objects were missing or held by two CPUs at once", twice);
	cr_assert(!over, "the barn held more than %u full or %u empty sheaves at some point",
		  MAX_FULL_SHEAVES, MAX_EMPTY_SHEAVES);
	for (int cpu = 0; cpu < CPUS; cpu++)
		traded += pcs_stat(shared, cpu, BARN_GET) + pcs_stat(shared, cpu, BARN_PUT);
	cr_assert_gt(traded, 0, "the CPUs never traded a sheaf at the barn");
	c = sheaves(shared);
	cr_assert_eq(list_count(&barn->sheaves_full), barn->nr_full,
		     "the barn counts %u full sheaves and lists %u", barn->nr_full,
		     list_count(&barn->sheaves_full));
	cr_assert_eq(list_count(&barn->sheaves_empty), barn->nr_empty,
		     "the barn counts %u empty sheaves and lists %u", barn->nr_empty,
		     list_count(&barn->sheaves_empty));
	cr_assert_leq(c.barn_full, MAX_FULL_SHEAVES);
	cr_assert_leq(c.barn_empty, MAX_EMPTY_SHEAVES);
	shrink_to_nothing(shared);
}
