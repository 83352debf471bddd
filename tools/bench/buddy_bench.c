// SPDX-License-Identifier: MIT
/*
 * buddy_bench: the cost of one alloc_pages() + __free_pages() pair, for orders 0, 3 and 9,
 * measured on the host with the kernel's own mm/ code built -O2 without sanitizers.
 *
 *   order 0 and 3: served by the per-cpu lists (the steady state: the list is warm)
 *   order 9:       straight from the buddy lists: one split on the way out, one merge
 *                  on the way back
 *
 * The machine is QEMU's 512 MiB map, booted by the kernel's sequence (mm_core_init).
 *
 *   buddy_bench                 ns per pair, from the wall clock, many iterations
 *   buddy_bench --pairs N       run N pairs of each order and nothing else: for
 *                               valgrind --tool=callgrind --toggle-collect=bench_pair_o0
 *                               (tools/bench/buddy_bench.py divides the count by N)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "host/buddy_machine.h"

/* One pair each; noinline so callgrind can count exactly what runs inside. */
noinline void bench_pair_o0(void)
{
	__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
}

noinline void bench_pair_o3(void)
{
	__free_pages(alloc_pages(GFP_KERNEL, 3), 3);
}

noinline void bench_pair_o9(void)
{
	__free_pages(alloc_pages(GFP_KERNEL, 9), 9);
}

static void (*const pairs[])(void) = { bench_pair_o0, bench_pair_o3, bench_pair_o9 };
static const unsigned int orders[] = { 0, 3, 9 };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long pairs_only = argc == 3 && !libc_strcmp(argv[1], "--pairs") ? atol(argv[2]) : 0;

	boot_machine(qemu_512m, 2, NULL);
	for (int i = 0; i < 3; i++)
		pairs[i](); /* warm up: fill the per-cpu list, steal the pageblocks once */
	if (pairs_only) {
		for (int i = 0; i < 3; i++)
			for (long n = 0; n < pairs_only; n++)
				pairs[i]();
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		const long n = 5000000;
		double best = 1e30;

		for (int round = 0; round < 5; round++) { /* the best of five: least disturbed */
			double t0 = now_ns();

			for (long k = 0; k < n; k++)
				pairs[i]();
			best = MIN(best, (now_ns() - t0) / n);
		}
		printf("order %u: %.1f ns per alloc+free pair\n", orders[i], best);
	}
	return 0;
}
