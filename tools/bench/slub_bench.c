// SPDX-License-Identifier: MIT
/*
 * One allocation benchmark, compiled once per allocator (see the Makefile's bench-slub):
 *
 *   -DALLOC_SLUB      pagelab's kmalloc/kfree: the host build of mm/slub.c on the real
 *                     buddy allocator, optimised and without sanitizers
 *   -DALLOC_GLIBC     malloc/free from glibc
 *   -DALLOC_JEMALLOC  malloc/free with -ljemalloc (Debian's jemalloc has no prefix)
 *   -DALLOC_MIMALLOC  mi_malloc/mi_free
 *   -DALLOC_TCMALLOC  tc_malloc/tc_free (gperftools)
 *   -DALLOC_NULL      no allocator at all: the harness's own cost, to subtract
 *
 * usage: slub_bench-<alloc> <pattern> <pairs> [time|waste]
 *
 *   pair     a 64-byte allocation and its free, <pairs> times
 *   batch    1000 64-byte allocations, then 1000 frees; <pairs> / 1000 rounds
 *   random   1000 live objects of 8..512 bytes (uniform); each step frees a random
 *            one and allocates a random size in its place
 *
 * "time" prints nanoseconds per pair (best of five runs); "waste" prints the bytes the
 * allocator handed out per byte asked for, over the random pattern.  Without either, the
 * run is for callgrind: tools/bench/slub_bench.py runs it at two lengths and takes the
 * difference, so set-up (booting SLUB's machine, the allocators' start-up) cancels out.
 * The random sizes and slots come from a fixed-seed generator, the same for everyone,
 * computed before the timed loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(ALLOC_SLUB)
#include "arch/memory_setup.h"
#include "kernel/setup.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/slab.h"
#define NAME "pagelab SLUB"
#define ALLOC64() kmalloc(64, GFP_KERNEL) /* a constant size: the class is chosen at build time */
#define ALLOC(n) __kmalloc(n, GFP_KERNEL)
#define FREE(p) kfree(p)
#define USABLE(p) ksize(p)
static void setup(void)
{
	/* A kernel command line from the environment: slub_sheaves=all for the sheaves row. */
	const char *cmdline = getenv("PAGELAB_CMDLINE");

	boot_command_line = cmdline ? cmdline : "";
	memblock_set_current_limit(host_phys_arena_size);
	memblock_add(1UL << 20, 255UL << 20); /* a 256 MiB machine */
	mm_init_after_paging();
	kmem_cache_init();
}
#elif defined(ALLOC_MIMALLOC)
#include <mimalloc.h>
#define NAME "mimalloc"
#define ALLOC64() mi_malloc(64)
#define ALLOC(n) mi_malloc(n)
#define FREE(p) mi_free(p)
#define USABLE(p) mi_usable_size(p)
static void setup(void) {}
#elif defined(ALLOC_TCMALLOC)
#include <gperftools/tcmalloc.h>
#define NAME "tcmalloc"
#define ALLOC64() tc_malloc(64)
#define ALLOC(n) tc_malloc(n)
#define FREE(p) tc_free(p)
#define USABLE(p) tc_malloc_size(p)
static void setup(void) {}
#elif defined(ALLOC_NULL)
static char null_buf[1024];
#define NAME "(harness only)"
#define ALLOC64() ((void *)null_buf)
#define ALLOC(n) ((void)(n), (void *)null_buf)
#define FREE(p) ((void)(p))
#define USABLE(p) 0
static void setup(void) {}
#elif defined(ALLOC_GLIBC) || defined(ALLOC_JEMALLOC) /* jemalloc: linked with -ljemalloc */
#include <malloc.h>
#define NAME "malloc"
#define ALLOC64() malloc(64)
#define ALLOC(n) malloc(n)
#define FREE(p) free(p)
#define USABLE(p) malloc_usable_size(p)
static void setup(void) {}
#else
#error "build with one of -DALLOC_SLUB, _GLIBC, _JEMALLOC, _MIMALLOC, _TCMALLOC or _NULL"
#endif

#define LIVE 1000
#define BATCH 1000
#define RANDOM_STEPS 65536 /* precomputed sizes and slots, a power of two */

/* Keep the compiler from proving a pointer unused. */
#define escape(p) __asm__ volatile("" : : "r"(p) : "memory")

static void *live[LIVE > BATCH ? LIVE : BATCH];
static unsigned short rnd_slot[RANDOM_STEPS];
static unsigned short rnd_size[RANDOM_STEPS];

static void make_random(void)
{
	unsigned long long x = 0x9e3779b97f4a7c15ULL;

	for (int i = 0; i < RANDOM_STEPS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		rnd_slot[i] = (unsigned short)(x % LIVE);
		rnd_size[i] = (unsigned short)(8 + (x >> 32) % 505);
	}
}

static void run_pair(long pairs)
{
	for (long i = 0; i < pairs; i++) {
		void *p = ALLOC64();

		escape(p);
		FREE(p);
	}
}

static void run_batch(long pairs)
{
	for (long r = 0; r < pairs / BATCH; r++) {
		for (int i = 0; i < BATCH; i++) {
			live[i] = ALLOC64();
			escape(live[i]);
		}
		for (int i = 0; i < BATCH; i++)
			FREE(live[i]);
	}
}

static void fill_random(void)
{
	for (int i = 0; i < LIVE; i++)
		live[i] = ALLOC(rnd_size[(RANDOM_STEPS - 1 - i)]);
}

static void run_random(long pairs)
{
	for (long i = 0; i < pairs; i++) {
		unsigned int k = (unsigned int)i & (RANDOM_STEPS - 1);
		unsigned int j = rnd_slot[k];

		FREE(live[j]);
		live[j] = ALLOC(rnd_size[k]);
		escape(live[j]);
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	void (*run)(long) = NULL;
	long pairs;

	if (argc < 3) {
		fprintf(stderr, "usage: %s pair|batch|random <pairs> [time|waste]\n", argv[0]);
		return 2;
	}
	pairs = atol(argv[2]);
	if (!strcmp(argv[1], "pair"))
		run = run_pair;
	else if (!strcmp(argv[1], "batch"))
		run = run_batch;
	else if (!strcmp(argv[1], "random"))
		run = run_random;
	if (!run || pairs <= 0) {
		fprintf(stderr, "%s: unknown pattern or count\n", argv[0]);
		return 2;
	}
	setup();
	make_random();
	if (run == run_random)
		fill_random();
	if (argc > 3 && !strcmp(argv[3], "waste")) {
		unsigned long long asked = 0, given = 0;

		for (long i = 0; i < pairs; i++) {
			unsigned int k = (unsigned int)i & (RANDOM_STEPS - 1);
			unsigned int j = rnd_slot[k];

			FREE(live[j]);
			live[j] = ALLOC(rnd_size[k]);
			asked += rnd_size[k];
			given += USABLE(live[j]);
		}
		printf("%s waste %.4f\n", NAME, asked ? (double)given / asked : 0.0);
		return 0;
	}
	if (argc > 3 && !strcmp(argv[3], "time")) {
		double best = 1e300;

		run(pairs / 10); /* warm up: slabs, caches, page faults */
		for (int rep = 0; rep < 5; rep++) {
			double t0 = now_ns();

			run(pairs);
			t0 = now_ns() - t0;
			best = t0 < best ? t0 : best;
		}
		printf("%s %s ns/pair %.3f\n", NAME, argv[1], best / pairs);
		return 0;
	}
	run(pairs);
	return 0;
}
