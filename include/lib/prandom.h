/* SPDX-License-Identifier: MIT */
/*
 * Reproducible pseudo-random numbers for workloads (`stress`, `stress --cpus`): the same
 * seed gives the same run, so a failure can be replayed.  Not for anything that must be
 * unpredictable: that is arch/random.h.  (Linux's name for this kind is prandom.)
 */
#ifndef PAGELAB_LIB_PRANDOM_H
#define PAGELAB_LIB_PRANDOM_H

#include "types.h"

/*
 * xorshift64 - the next number of the stream in *@x (Marsaglia's xorshift, shifts 13, 7,
 * 17), which it advances.  *@x must not be 0: the stream would stay 0.
 */
static inline u64 xorshift64(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * random_order - a block order from the random number @r, at most @max_order (4 or
 * more): mostly small blocks, as real kernels ask for.  Order 0 half the time, 1-3 30 %,
 * 4-6 17 %, and 7 up to @max_order 3 % (orders 4-6 take that share when @max_order < 7).
 */
static inline unsigned int random_order(u64 r, unsigned int max_order)
{
	unsigned int pct = r % 100;
	unsigned int mid_top = max_order < 6 ? max_order : 6;

	if (pct < 50)
		return 0;
	if (pct < 80)
		return 1 + (r >> 8) % 3;
	if (pct < 97 || max_order < 7)
		return 4 + (r >> 8) % (mid_top - 3);
	return 7 + (r >> 8) % (max_order - 6);
}

#endif
