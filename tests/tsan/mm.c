// SPDX-License-Identifier: MIT
/*
 * The memory manager on four CPUs under ThreadSanitizer (`make check-tsan`): the real
 * mm/ code - the buddy allocator with its per-cpu lists, SLUB with and without sheaves,
 * kmalloc, vmstat - on a 64 MiB host machine, four pthreads playing CPUs 0-3
 * (tests/host/smp.c's per-thread CPU id, per-thread interrupt flag).  Each thread runs a
 * random mix of alloc_pages, kmalloc and kmem_cache_alloc and frees, a quarter of them
 * through shared handoff slots so that another CPU frees what this one allocated - the
 * remote frees that n->list_lock, zone->lock and the barn's lock exist for.
 *
 * Two things must hold.  TSan reports no data race (exit status 66 otherwise, see the
 * Makefile): every shared word is touched under a lock or with an atomic.  And nothing
 * is lost or duplicated: every object is stamped with its owner while held and checked
 * on free, and after the threads are joined and the caches shrunk, the free pages and
 * the slab counts are what they were before.
 *
 * usage: mm [all | zone-race]
 *   all        boot with slub_sheaves=all: every kmalloc cache sheaved too
 *   zone-race  boot with debug_race=zone (mm/debug_race.c: the buddy lists of orders
 *              above 3 without zone->lock): TSan must report, or this program could not
 *              fail (the Makefile expects exit status 66 from this run)
 *
 * A plain program printing TAP, like tests/tsan/locking.c, and for the same reason.
 * Only this process's threads run kernel code during the run; the cross-calls the host
 * stand-ins make (flush_all, drain_all_pages) run the callee on the caller's thread,
 * so they come after the join, as in a real kernel they would be answered by the CPUs.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/cpu.h"
#include "host/buddy_machine.h"
#include "kernel/smp.h"
#include "lib/atomic.h"
#include "tap.h"
#include "mm/slub_def.h"

#define THREADS 4
#define ROUNDS 20000 /* per thread */
#define SLOTS 64     /* items a thread holds at most */
#define HANDOFFS 16  /* shared slots */


enum kind { NONE, PAGES, KMALLOC, SHEAVED, PLAIN };

struct item {
	enum kind kind;
	unsigned int size; /* order for pages, bytes for kmalloc */
	void *p;
	long stamp;        /* what the holder wrote into the first word */
};

static struct kmem_cache *sheaved, *plain;
static struct item handoff[HANDOFFS];
static atomic_t handoff_busy[HANDOFFS]; /* 0 free, 1 being written or read, 2 holds an item */
static atomic_t bad_stamps, failures;

static u64 next_random(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void *address_of(const struct item *it)
{
	return it->kind == PAGES ? page_address((struct page *)it->p) : it->p;
}

static bool take(struct item *it, u64 *rng, long stamp)
{
	u64 r = next_random(rng);

	it->kind = (enum kind)(1 + r % 4);
	switch (it->kind) {
	case PAGES:
		it->size = (r >> 8) % 6; /* above 3: the buddy lists themselves, not the pcp lists */
		it->p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, it->size);
		break;
	case KMALLOC:
		it->size = 8 + (r >> 8) % 1024;
		it->p = kmalloc(it->size, GFP_KERNEL | __GFP_NOWARN);
		break;
	case SHEAVED:
		it->p = kmem_cache_alloc(sheaved, GFP_KERNEL | __GFP_NOWARN);
		break;
	default:
		it->p = kmem_cache_alloc(plain, GFP_KERNEL | __GFP_NOWARN);
		break;
	}
	if (!it->p) {
		atomic_inc(&failures);
		it->kind = NONE;
		return false;
	}
	it->stamp = stamp;
	*(long *)address_of(it) = stamp; /* a second owner of the same memory would overwrite it */
	return true;
}

static void give_back(struct item *it)
{
	if (*(long *)address_of(it) != it->stamp)
		atomic_inc(&bad_stamps);
	switch (it->kind) {
	case PAGES:
		__free_pages((struct page *)it->p, it->size);
		break;
	case KMALLOC:
		kfree(it->p);
		break;
	case SHEAVED:
		kmem_cache_free(sheaved, it->p);
		break;
	case PLAIN:
		kmem_cache_free(plain, it->p);
		break;
	case NONE:
		break;
	}
	it->kind = NONE;
}

/* Leave @it in a free handoff slot for any CPU; false if all are taken. */
static bool hand_off(struct item *it, u64 *rng)
{
	unsigned int i = next_random(rng) % HANDOFFS;

	if (atomic_cmpxchg(&handoff_busy[i], 0, 1) != 0)
		return false;
	handoff[i] = *it;
	smp_store_release(&handoff_busy[i].counter, 2); /* the item, then the flag */
	it->kind = NONE;
	return true;
}

/* Free whatever another CPU left in a random handoff slot. */
static void pick_up(u64 *rng)
{
	unsigned int i = next_random(rng) % HANDOFFS;
	struct item it;

	if (atomic_cmpxchg(&handoff_busy[i], 2, 1) != 2)
		return;
	it = handoff[i];
	smp_store_release(&handoff_busy[i].counter, 0);
	give_back(&it);
}

static atomic_t start_line;

static void *cpu_main(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	static _Thread_local struct item held[SLOTS];
	u64 rng = 0x9e3779b97f4a7c15ULL * (cpu + 1);

	host_cpu_id = cpu;
	atomic_inc(&start_line);
	while (atomic_read(&start_line) < THREADS)
		cpu_relax();
	for (long round = 0; round < ROUNDS; round++) {
		struct item *it = &held[next_random(&rng) % SLOTS];

		if (it->kind == NONE)
			take(it, &rng, (long)cpu << 32 | round);
		else if (next_random(&rng) % 4 || !hand_off(it, &rng))
			give_back(it);
		if (next_random(&rng) % 4 == 0)
			pick_up(&rng);
	}
	for (int i = 0; i < SLOTS; i++)
		if (held[i].kind != NONE)
			give_back(&held[i]);
	return NULL;
}

/* The two test caches, then every kmalloc cache (sheaves are kmalloc objects), shrunk. */
static void settle(void)
{
	kmem_cache_shrink(sheaved);
	kmem_cache_shrink(plain);
	kmalloc_caches_shrink();
	drain_all_pages(NULL);
}

int main(int argc, char **argv)
{
	bool all = argc > 1 && !strcmp(argv[1], "all"); /* the kernel's strcmp: fine */
	bool race = argc > 1 && !strcmp(argv[1], "zone-race");
	struct kmem_cache_args args = { .sheaf_capacity = 4 }; /* small: many barn trades */
	unsigned long free_before, free_after, slab_before, slab_after;
	pthread_t threads[THREADS];

	printf("TAP version 13\n1..5\n");
	boot_machine_with_slab(ram_64m, 1, all ? "slub_sheaves=all" : race ? "debug_race=zone" : NULL);
	for (unsigned int cpu = 1; cpu < THREADS; cpu++) {
		page_alloc_cpu_online(cpu);
		set_cpu_online(cpu, true);
		vmstat_cpu_online(cpu);
	}
	sheaved = __kmem_cache_create_args("tsan-sheaves", 64, &args, 0);
	plain = kmem_cache_create("tsan-plain", 200, 0, 0, NULL);
	if (!sheaved || !plain || !sheaved->cpu_sheaves) {
		printf("Bail out! no test caches\n");
		return 1;
	}
	settle();
	free_before = free_and_pcp_pages();
	slab_meminfo(NULL, &slab_before);

	atomic_set(&start_line, 0);
	for (unsigned long cpu = 0; cpu < THREADS; cpu++)
		if (pthread_create(&threads[cpu], NULL, cpu_main, (void *)cpu)) {
			perror("pthread_create");
			return 2;
		}
	for (int cpu = 0; cpu < THREADS; cpu++)
		pthread_join(threads[cpu], NULL);

	host_cpu_id = 0;
	for (int i = 0; i < HANDOFFS; i++)
		if (atomic_read(&handoff_busy[i]) == 2)
			give_back(&handoff[i]);
	if (race) { /* the damage is TSan's to report; the counts may be anything */
		printf("# debug_race=zone: %d stamps overwritten\n", atomic_read(&bad_stamps));
		return 0;
	}
	tap(!atomic_read(&bad_stamps), "%s: %d objects or pages owned twice (a stamp overwritten)",
	    all ? "slub_sheaves=all" : "6.18 sheaves", atomic_read(&bad_stamps));
	tap(!atomic_read(&failures), "no allocation failed (%d did)", atomic_read(&failures));
	tap(sheaved->cpu_sheaves[1].stat[BARN_PUT] + sheaved->cpu_sheaves[2].stat[BARN_GET] > 0,
	    "the barn was used (CPU 1 put %u, CPU 2 got %u)", sheaved->cpu_sheaves[1].stat[BARN_PUT],
	    sheaved->cpu_sheaves[2].stat[BARN_GET]);
	settle();
	free_after = free_and_pcp_pages();
	slab_meminfo(NULL, &slab_after);
	tap(free_after == free_before && slab_after == slab_before,
	    "free pages %lu -> %lu, slab pages %lu -> %lu", free_before, free_after, slab_before,
	    slab_after);
	tap(!free_lists_broken(), "free-list invariants: %s",
	    free_lists_broken() ? free_lists_broken() : "ok");
	return tap_failed ? 1 : 0;
}
