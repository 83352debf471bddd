// SPDX-License-Identifier: MIT
/*
 * The memory manager on several CPUs, on the host.  A host test's CPU number is a
 * per-thread variable (tests/host/include/arch/smp.h), so a test plays several CPUs
 * either from one thread - set host_cpu_id, then call - or from one pthread per CPU.
 *
 *   suite pcp      each CPU's per-cpu lists are its own; drains reach all of them;
 *                  a held pcp lock sends allocations and frees to the buddy lists
 *   suite vmstat   counter diffs per CPU, folded exactly past the threshold; snapshots
 *                  and the /proc views see them; zoneinfo has a block per CPU
 *   suite stress   4 pthreads, one per CPU, allocating and freeing at random (pages;
 *                  kmalloc, objects also freed by another CPU than their allocator's;
 *                  counters); every page, object and counter comes back
 *
 * The host's interrupt flag (tests/host/include/arch/irq.h) is one global for all the
 * threads, so what local_irq_save() returns in one thread may reflect another's.  Nothing
 * the threads run decides anything by it; run_threads() clears it once they are done.
 *
 * CPUs are made online with page_alloc_cpu_online() first, as the bring-up code does,
 * then set_cpu_online() (which also grows nr_cpu_ids on the host).
 */
#include <criterion/criterion.h>
#include <pthread.h>

#include "host/buddy_machine.h"
#include "kernel/smp.h"
#include "mm/slub_def.h"

/* Bring CPUs 1 .. @n-1 up the way the bring-up code will. */
static void cpus_up(unsigned int n)
{
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		page_alloc_cpu_online(cpu);
		set_cpu_online(cpu, true);
		vmstat_cpu_online(cpu);
	}
}

static struct per_cpu_pages *pcp_of(enum zone_type z, unsigned int cpu)
{
	return &Z(z)->per_cpu_pageset[cpu];
}

/* The 512 MiB q35 machine: DMA32's batch is 31, so lists keep what is freed to them. */
static void boot_4cpus(void)
{
	boot_machine(qemu_512m, 2, NULL);
	cpus_up(4);
	host_cpu_id = 0;
}

TestSuite(pcp, .init = boot_4cpus);

Test(pcp, high_is_shared_among_the_online_cpus)
{
	struct zone *z = Z(ZONE_DMA32);
	int batch = pcp_of(ZONE_DMA32, 0)->batch;
	int expect = MAX((int)(low_wmark_pages(z) / 4), batch << 2);

	/* CPU 3 came up while 3 were online: 3 + the newcomer share the low watermark. */
	for (unsigned int cpu = 0; cpu < 4; cpu++)
		cr_assert_eq(pcp_of(ZONE_DMA32, cpu)->high, expect, "cpu %u: high %d, expected %d",
			     cpu, pcp_of(ZONE_DMA32, cpu)->high, expect);
}

Test(pcp, each_cpu_frees_onto_its_own_lists)
{
	struct page *p[4];

	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		host_cpu_id = cpu;
		p[cpu] = alloc_pages(GFP_KERNEL, 0);
		cr_assert_not_null(p[cpu]);
	}
	/* Each CPU's first allocation refilled its own list with a batch, less the page. */
	for (unsigned int cpu = 0; cpu < 4; cpu++)
		cr_assert_eq(pcp_of(ZONE_DMA32, cpu)->count, pcp_of(ZONE_DMA32, cpu)->batch - 1,
			     "cpu %u holds %d", cpu, pcp_of(ZONE_DMA32, cpu)->count);
	/* CPU 2 frees all four: its list grows by four, the others stay. */
	host_cpu_id = 2;
	for (unsigned int i = 0; i < 4; i++)
		__free_pages(p[i], 0);
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		int batch = pcp_of(ZONE_DMA32, cpu)->batch;

		cr_assert_eq(pcp_of(ZONE_DMA32, cpu)->count, cpu == 2 ? batch + 3 : batch - 1,
			     "cpu %u holds %d", cpu, pcp_of(ZONE_DMA32, cpu)->count);
	}
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

Test(pcp, drain_all_pages_empties_every_cpus_lists)
{
	unsigned long before = nr_free_pages();

	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		host_cpu_id = cpu;
		for (unsigned int order = 0; order <= PAGE_ALLOC_COSTLY_ORDER; order++)
			__free_pages(alloc_pages(GFP_KERNEL, order), order);
		cr_assert_gt(pcp_of(ZONE_DMA32, cpu)->count, 0);
	}
	cr_assert_lt(nr_free_pages(), before);
	host_cpu_id = 1; /* any CPU drains them all, no cross-call */
	drain_all_pages(NULL);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cr_assert_eq(pcp_of(ZONE_DMA32, cpu)->count, 0, "cpu %u still holds %d", cpu,
			     pcp_of(ZONE_DMA32, cpu)->count);
	cr_assert_eq(zone_pcp_count(Z(ZONE_DMA32)), 0);
	cr_assert_eq(nr_free_pages(), before);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

Test(pcp, drain_local_pages_empties_only_this_cpus_lists)
{
	for (unsigned int cpu = 0; cpu < 2; cpu++) {
		host_cpu_id = cpu;
		__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
	}
	host_cpu_id = 1;
	drain_local_pages(Z(ZONE_DMA32));
	cr_assert_eq(pcp_of(ZONE_DMA32, 1)->count, 0);
	cr_assert_gt(pcp_of(ZONE_DMA32, 0)->count, 0);
}

Test(pcp, a_held_pcp_lock_sends_the_cpu_to_the_buddy_lists)
{
	struct per_cpu_pages *pcp = pcp_of(ZONE_DMA32, 0);
	unsigned long free_before;
	struct page *page;

	/* As if CPU 0 were interrupted inside its own list, or another CPU drained it. */
	host_cpu_id = 0;
	spin_lock(&pcp->lock);
	free_before = nr_free_pages();
	page = alloc_pages(GFP_KERNEL, 0);
	cr_assert_not_null(page);
	cr_assert_eq(pcp->count, 0, "the list was not refilled");
	cr_assert_eq(nr_free_pages(), free_before - 1, "one page straight from the buddy lists");
	__free_pages(page, 0);
	cr_assert_eq(pcp->count, 0, "the free went past the list");
	cr_assert_eq(nr_free_pages(), free_before);
	spin_unlock(&pcp->lock);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

Test(pcp, page_alloc_cpu_dead_gives_the_cpus_pages_back)
{
	unsigned long before = nr_free_pages();

	host_cpu_id = 3;
	__free_pages(alloc_pages(GFP_KERNEL, 1), 1);
	cr_assert_gt(pcp_of(ZONE_DMA32, 3)->count, 0);
	host_cpu_id = 0;
	set_cpu_online(3, false);
	page_alloc_cpu_dead(3);
	cr_assert_eq(pcp_of(ZONE_DMA32, 3)->count, 0);
	cr_assert_eq(nr_free_pages(), before);
}

/* ---- vmstat: per-CPU diffs ---------------------------------------------------------- */

TestSuite(vmstat, .init = boot_4cpus);

/* Linux 6.18's calculate_normal_threshold() for @z with @cpus online. */
static int expected_threshold(const struct zone *z, unsigned int cpus)
{
	unsigned long mem = z->managed_pages >> 15;
	int fls_cpus = 0, fls_mem = 0;

	while (cpus >> fls_cpus)
		fls_cpus++;
	while (mem >> fls_mem)
		fls_mem++;
	return MIN(2 * fls_cpus * (1 + fls_mem), 125);
}

Test(vmstat, thresholds_follow_the_online_cpus)
{
	struct zone *z;

	for_each_populated_zone(z)
		for (unsigned int cpu = 0; cpu < 4; cpu++) {
			cr_assert_eq(z->per_cpu_zonestats[cpu].stat_threshold, expected_threshold(z, 4),
				     "%s cpu %u: %d", z->name, cpu, z->per_cpu_zonestats[cpu].stat_threshold);
			cr_assert_geq(NODE_DATA(0)->per_cpu_nodestats[cpu].stat_threshold,
				      z->per_cpu_zonestats[cpu].stat_threshold, "a node's is its largest zone's");
		}
	/* One CPU fewer: the thresholds shrink back (2 * fls(3) == 2 * fls(2) == 4). */
	set_cpu_online(3, false);
	page_alloc_cpu_dead(3);
	for_each_populated_zone(z)
		cr_assert_eq(z->per_cpu_zonestats[0].stat_threshold, expected_threshold(z, 3));
}

Test(vmstat, a_zone_diff_folds_exactly_past_the_threshold)
{
	struct zone *z = Z(ZONE_DMA32);
	int t;

	host_cpu_id = 1;
	refresh_vm_stats();
	t = z->per_cpu_zonestats[1].stat_threshold;
	cr_assert_gt(t, 1);
	for (int i = 0; i < t; i++)
		mod_zone_page_state(z, NR_ZONE_ACTIVE_ANON, 1);
	cr_assert_eq(zone_page_state(z, NR_ZONE_ACTIVE_ANON), 0, "%d changes stay in the CPU's diff", t);
	cr_assert_eq(zone_page_state_snapshot(z, NR_ZONE_ACTIVE_ANON), (unsigned long)t);
	cr_assert_eq(z->per_cpu_zonestats[1].vm_stat_diff[NR_ZONE_ACTIVE_ANON], t);
	mod_zone_page_state(z, NR_ZONE_ACTIVE_ANON, 1);
	cr_assert_eq(zone_page_state(z, NR_ZONE_ACTIVE_ANON), (unsigned long)t + 1, "one more folds them all");
	cr_assert_eq(z->per_cpu_zonestats[1].vm_stat_diff[NR_ZONE_ACTIVE_ANON], 0);
	/* Downwards the same, from another CPU: its diff goes to -t, then folds. */
	host_cpu_id = 2;
	for (int i = 0; i < t; i++)
		mod_zone_page_state(z, NR_ZONE_ACTIVE_ANON, -1);
	cr_assert_eq(zone_page_state(z, NR_ZONE_ACTIVE_ANON), (unsigned long)t + 1);
	cr_assert_eq(zone_page_state_snapshot(z, NR_ZONE_ACTIVE_ANON), 1);
	mod_zone_page_state(z, NR_ZONE_ACTIVE_ANON, -1);
	cr_assert_eq(zone_page_state(z, NR_ZONE_ACTIVE_ANON), 0);
	cr_assert_eq(zone_page_state_snapshot(z, NR_ZONE_ACTIVE_ANON), 0);
}

Test(vmstat, a_large_change_folds_at_once)
{
	struct zone *z = Z(ZONE_DMA32);

	host_cpu_id = 3;
	mod_zone_page_state(z, NR_MLOCK, 200);
	cr_assert_eq(zone_page_state(z, NR_MLOCK), 200);
	cr_assert_eq(z->per_cpu_zonestats[3].vm_stat_diff[NR_MLOCK], 0);
}

Test(vmstat, node_byte_items_are_kept_in_pages)
{
	pg_data_t *pgdat = NODE_DATA(0);
	unsigned long before;

	refresh_vm_stats();
	before = node_page_state_pages(pgdat, NR_SLAB_RECLAIMABLE_B);
	host_cpu_id = 1;
	mod_node_page_state(pgdat, NR_SLAB_RECLAIMABLE_B, 3 * PAGE_SIZE);
	cr_assert_eq(pgdat->per_cpu_nodestats[1].vm_node_stat_diff[NR_SLAB_RECLAIMABLE_B], 3);
	cr_assert_eq(node_page_state_pages(pgdat, NR_SLAB_RECLAIMABLE_B), before, "not folded yet");
	host_cpu_id = 0;
	refresh_cpu_vm_stats(true); /* CPU 0's diffs only: CPU 1's stay */
	cr_assert_eq(node_page_state_pages(pgdat, NR_SLAB_RECLAIMABLE_B), before);
	refresh_vm_stats(); /* every CPU, by cross-call */
	cr_assert_eq(node_page_state_pages(pgdat, NR_SLAB_RECLAIMABLE_B), before + 3);
	cr_assert_eq(pgdat->per_cpu_nodestats[1].vm_node_stat_diff[NR_SLAB_RECLAIMABLE_B], 0);
}

Test(vmstat, the_views_fold_every_cpu_first)
{
	pg_data_t *pgdat = NODE_DATA(0);

	host_cpu_id = 2;
	mod_node_page_state(pgdat, NR_PAGETABLE, 2);
	host_cpu_id = 0;
	cr_assert_not_null(strstr(show(vmstat_show), "nr_page_table_pages 2\n"), "%s", show(vmstat_show));
	cr_assert_eq(pgdat->per_cpu_nodestats[2].vm_node_stat_diff[NR_PAGETABLE], 0);
}

Test(vmstat, a_dead_cpus_diffs_and_events_are_kept)
{
	pg_data_t *pgdat = NODE_DATA(0);
	unsigned long events, stack;

	refresh_vm_stats();
	stack = node_page_state(pgdat, NR_KERNEL_STACK_KB);
	host_cpu_id = 3;
	mod_node_page_state(pgdat, NR_KERNEL_STACK_KB, 4);
	count_vm_events(PGFAULT, 5);
	host_cpu_id = 0;
	events = all_vm_events(PGFAULT);
	set_cpu_online(3, false);
	cr_assert_eq(all_vm_events(PGFAULT), events - 5, "an offline CPU's events are not summed");
	page_alloc_cpu_dead(3);
	cr_assert_eq(node_page_state(pgdat, NR_KERNEL_STACK_KB), stack + 4);
	cr_assert_eq(all_vm_events(PGFAULT), events, "CPU 3's events now count on CPU 0");
}

/* zoneinfo: one "cpu:" block, with its threshold, per online CPU, per populated zone. */
Test(vmstat, zoneinfo_has_a_pageset_per_online_cpu)
{
	const char *info = show(zoneinfo_show), *p;
	unsigned int blocks = 0, thresholds = 0, zones = 0;
	struct zone *z;

	for_each_populated_zone(z)
		zones++;
	for (p = info; (p = strstr(p, "\n    cpu: ")); p++)
		blocks++;
	for (p = info; (p = strstr(p, "\n  vm stats threshold: ")); p++)
		thresholds++;
	cr_assert_eq(blocks, 4 * zones, "%u cpu blocks for %u zones\n%s", blocks, zones, info);
	cr_assert_eq(thresholds, 4 * zones);
	cr_assert_not_null(strstr(info, "\n    cpu: 3\n"));
	set_cpu_online(2, false);
	page_alloc_cpu_dead(2);
	info = show(zoneinfo_show);
	cr_assert_null(strstr(info, "\n    cpu: 2\n"), "an offline CPU has no block");
}

/* ---- several pthreads, one per CPU -------------------------------------------------- */

#define STRESS_CPUS 4
#define STRESS_OPS 100000
#define STRESS_HELD 64

struct stress {
	unsigned int cpu;
	unsigned long seed;
	unsigned long allocs, failures;
};

static unsigned long next_random(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random allocations and frees of orders 0-4 (so both the per-cpu lists and the buddy
 * lists are hit), each page stamped with its owner and checked on free. */
static void *page_stress(void *arg)
{
	struct stress *st = arg;
	struct page *held[STRESS_HELD] = { 0 };
	unsigned int order[STRESS_HELD] = { 0 };

	host_cpu_id = st->cpu;
	for (unsigned long i = 0; i < STRESS_OPS; i++) {
		unsigned long r = next_random(&st->seed);
		unsigned int slot = r % STRESS_HELD;

		if (held[slot]) {
			cr_assert_eq(*(unsigned long *)page_address(held[slot]), (unsigned long)slot + st->cpu * 1000,
				     "cpu %u: page of slot %u overwritten", st->cpu, slot);
			__free_pages(held[slot], order[slot]);
			held[slot] = NULL;
			continue;
		}
		order[slot] = (r >> 8) % 5;
		held[slot] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order[slot]);
		if (!held[slot]) {
			st->failures++;
			continue;
		}
		st->allocs++;
		*(unsigned long *)page_address(held[slot]) = slot + st->cpu * 1000;
	}
	for (unsigned int slot = 0; slot < STRESS_HELD; slot++)
		if (held[slot])
			__free_pages(held[slot], order[slot]);
	return NULL;
}

static void run_threads(void *(*fn)(void *), struct stress *st)
{
	pthread_t t[STRESS_CPUS];

	for (unsigned int cpu = 0; cpu < STRESS_CPUS; cpu++) {
		st[cpu].cpu = cpu;
		st[cpu].seed = 0x9e3779b97f4a7c15UL * (cpu + 1);
		cr_assert_eq(pthread_create(&t[cpu], NULL, fn, &st[cpu]), 0);
	}
	for (unsigned int cpu = 0; cpu < STRESS_CPUS; cpu++)
		pthread_join(t[cpu], NULL);
	/*
	 * The threads shared one interrupt flag and may have left it set (one thread's
	 * local_irq_restore() can undo another's save): as the flag stands for this thread's
	 * CPU only, put it back, or refresh_vm_stats() would think interrupts are off and
	 * fold this CPU's diffs only.
	 */
	local_irq_enable();
}

/* Each CPU adds and takes away at random; what it adds in all is known. */
static void *counter_stress(void *arg)
{
	struct stress *st = arg;
	pg_data_t *pgdat = NODE_DATA(0);

	host_cpu_id = st->cpu;
	for (unsigned long i = 0; i < STRESS_OPS; i++) {
		long d = (long)(next_random(&st->seed) % 7) - 3;

		mod_node_page_state(pgdat, NR_PAGETABLE, d);
		mod_zone_page_state(Z(ZONE_DMA32), NR_ZONE_ACTIVE_FILE, d);
		st->allocs += (unsigned long)d; /* the net change, modulo 2^64 */
		if (i % 1000 == 0)
			refresh_cpu_vm_stats(true); /* the periodic fold, racing the others */
	}
	return NULL;
}

/* Objects on their way from one CPU to another: CPU n frees what lands in box[n]. */
#define BOX_SIZE 256
static struct {
	pthread_mutex_t lock;
	void *obj[BOX_SIZE];
	unsigned int n;
} box[STRESS_CPUS];

/* An object's first word: who allocated it and its size, checked when freed. */
static unsigned long stamp(unsigned int cpu, size_t size)
{
	return 0x5a5a000000000000UL | ((unsigned long)cpu << 32) | size;
}

static void check_and_kfree(void *p)
{
	unsigned long w = *(unsigned long *)p;

	cr_assert_eq(w >> 48, 0x5a5aUL, "object %p overwritten: %#lx", p, w);
	cr_assert_geq(ksize(p), w & 0xffffffffUL, "object %p: ksize below its request", p);
	kfree(p);
}

static void *kmalloc_stress(void *arg)
{
	struct stress *st = arg;
	void *held[STRESS_HELD] = { 0 };

	host_cpu_id = st->cpu;
	for (unsigned long i = 0; i < STRESS_OPS; i++) {
		unsigned long r = next_random(&st->seed);
		unsigned int slot = r % STRESS_HELD;
		unsigned int to = (st->cpu + 1) % STRESS_CPUS;

		if (held[slot]) {
			if ((r >> 40) % 4 == 0) { /* a quarter go to the next CPU to free */
				pthread_mutex_lock(&box[to].lock);
				if (box[to].n < BOX_SIZE) {
					box[to].obj[box[to].n++] = held[slot];
					held[slot] = NULL;
				}
				pthread_mutex_unlock(&box[to].lock);
			}
			if (held[slot])
				check_and_kfree(held[slot]);
			held[slot] = NULL;
		} else {
			/* 8 bytes .. 10000: every kmalloc class, and large ones past 8 KiB */
			size_t size = 8 + (r >> 8) % ((r >> 20) % 8 ? 1024 : 10000);

			held[slot] = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
			if (!held[slot]) {
				st->failures++;
				continue;
			}
			st->allocs++;
			*(unsigned long *)held[slot] = stamp(st->cpu, size);
		}
		if (i % 16 == 0) { /* free what others sent this CPU */
			pthread_mutex_lock(&box[st->cpu].lock);
			while (box[st->cpu].n)
				check_and_kfree(box[st->cpu].obj[--box[st->cpu].n]);
			pthread_mutex_unlock(&box[st->cpu].lock);
		}
	}
	for (unsigned int slot = 0; slot < STRESS_HELD; slot++)
		if (held[slot])
			check_and_kfree(held[slot]);
	return NULL;
}

/* Every cache flushed and shrunk, every list drained: what is left is what is in use. */
static unsigned long settled_free_pages(void)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		kmem_cache_shrink(s);
	drain_all_pages(NULL);
	return nr_free_pages();
}

static unsigned long slab_pages(void)
{
	unsigned long reclaimable, unreclaimable;

	slab_meminfo(&reclaimable, &unreclaimable);
	return reclaimable + unreclaimable;
}

static void boot_4cpus_with_slab(void)
{
	boot_machine_with_slab(qemu_512m, 2, NULL);
	cpus_up(4);
	host_cpu_id = 0;
	for (unsigned int cpu = 0; cpu < STRESS_CPUS; cpu++) {
		pthread_mutex_init(&box[cpu].lock, NULL);
		box[cpu].n = 0;
	}
}

Test(stress, four_cpus_kmallocing_give_every_object_back, .init = boot_4cpus_with_slab)
{
	struct stress st[STRESS_CPUS] = { 0 };
	unsigned long free_before, slab_before, objs_before = 0, objs_after = 0;
	struct kmem_cache *s;
	struct slabinfo si;

	free_before = settled_free_pages();
	slab_before = slab_pages();
	list_for_each_entry(s, &slab_caches, list) {
		get_slabinfo(s, &si);
		objs_before += si.active_objs;
	}
	run_threads(kmalloc_stress, st);
	host_cpu_id = 0;
	for (unsigned int cpu = 0; cpu < STRESS_CPUS; cpu++) {
		cr_assert_gt(st[cpu].allocs, STRESS_OPS / 4, "cpu %u: %lu allocations", cpu, st[cpu].allocs);
		cr_assert_eq(st[cpu].failures, 0);
		while (box[cpu].n) /* sent after the last look */
			check_and_kfree(box[cpu].obj[--box[cpu].n]);
	}
	list_for_each_entry(s, &slab_caches, list) {
		cr_assert_eq(kmem_cache_validate(s), 0, "%s", s->name);
		get_slabinfo(s, &si);
		objs_after += si.active_objs;
	}
	cr_assert_eq(settled_free_pages(), free_before, "%lu free, %lu before", nr_free_pages(), free_before);
	cr_assert_eq(slab_pages(), slab_before, "slab pages %lu, before %lu", slab_pages(), slab_before);
	cr_assert_eq(objs_after, objs_before, "objects in use: %lu, before %lu", objs_after, objs_before);
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
}

TestSuite(stress, .init = boot_4cpus, .timeout = 300);

Test(stress, four_cpus_counting_lose_nothing)
{
	struct stress st[STRESS_CPUS] = { 0 };
	unsigned long net = 0;
	long pagetable, active;

	refresh_vm_stats();
	pagetable = (long)node_page_state(NODE_DATA(0), NR_PAGETABLE) + 1000000;
	active = (long)zone_page_state(Z(ZONE_DMA32), NR_ZONE_ACTIVE_FILE) + 1000000;
	/* Start far from 0, so no counter dips below it and reads as 0 meanwhile. */
	mod_node_page_state(NODE_DATA(0), NR_PAGETABLE, 1000000);
	mod_zone_page_state(Z(ZONE_DMA32), NR_ZONE_ACTIVE_FILE, 1000000);
	run_threads(counter_stress, st);
	for (unsigned int cpu = 0; cpu < STRESS_CPUS; cpu++)
		net += st[cpu].allocs;
	host_cpu_id = 0;
	cr_assert_eq(zone_page_state_snapshot(Z(ZONE_DMA32), NR_ZONE_ACTIVE_FILE),
		     (unsigned long)(active + (long)net), "the snapshot sums the diffs left");
	refresh_vm_stats();
	cr_assert_eq(node_page_state(NODE_DATA(0), NR_PAGETABLE), (unsigned long)(pagetable + (long)net));
	cr_assert_eq(zone_page_state(Z(ZONE_DMA32), NR_ZONE_ACTIVE_FILE), (unsigned long)(active + (long)net));
}

Test(stress, four_cpus_allocating_pages_give_every_page_back)
{
	struct stress st[STRESS_CPUS] = { 0 };
	unsigned long free_before, events_before = all_vm_events(PGFREE);

	drain_all_pages(NULL);
	free_before = nr_free_pages();
	run_threads(page_stress, st);
	for (unsigned int cpu = 0; cpu < STRESS_CPUS; cpu++) {
		cr_assert_gt(st[cpu].allocs, STRESS_OPS / 4, "cpu %u: %lu allocations", cpu, st[cpu].allocs);
		cr_assert_eq(st[cpu].failures, 0);
	}
	cr_assert_null(free_lists_broken(), "%s", free_lists_broken());
	drain_all_pages(NULL);
	cr_assert_eq(nr_free_pages(), free_before, "%lu free, %lu before", nr_free_pages(), free_before);
	cr_assert_gt(all_vm_events(PGFREE), events_before);
}
