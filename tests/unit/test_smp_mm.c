// SPDX-License-Identifier: MIT
/*
 * The memory manager on several CPUs, on the host.  A host test's CPU number is a
 * per-thread variable (tests/host/include/arch/smp.h), so a test plays several CPUs
 * either from one thread - set host_cpu_id, then call - or from one pthread per CPU.
 *
 *   suite pcp      each CPU's per-cpu lists are its own; drains reach all of them;
 *                  a held pcp lock sends allocations and frees to the buddy lists
 *   suite stress   4 pthreads, one per CPU, allocating and freeing at random; every
 *                  page and counter comes back
 *
 * CPUs are made online with page_alloc_cpu_online() first, as the bring-up code does,
 * then set_cpu_online() (which also grows nr_cpu_ids on the host).
 */
#include <criterion/criterion.h>
#include <pthread.h>

#include "host/buddy_machine.h"
#include "kernel/smp.h"

/* Bring CPUs 1 .. @n-1 up the way the bring-up code will. */
static void cpus_up(unsigned int n)
{
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		page_alloc_cpu_online(cpu);
		set_cpu_online(cpu, true);
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
		cr_assert_eq(zone_pcp_count(Z(ZONE_DMA32)), 0, "cpu %u still holds %d", cpu,
			     pcp_of(ZONE_DMA32, cpu)->count);
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
}

TestSuite(stress, .init = boot_4cpus, .timeout = 300);

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
