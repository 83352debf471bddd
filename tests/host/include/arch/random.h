/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for include/arch/random.h: fixed, reproducible "random" values, so a
 * host test sees the same freelist hardening keys (and the same report text) every run.
 * Each call returns the next value of a splitmix64 sequence from a fixed seed.
 */
#ifndef PAGELAB_HOST_ARCH_RANDOM_H
#define PAGELAB_HOST_ARCH_RANDOM_H

#include "types.h"

static inline unsigned long get_random_long(void)
{
	static unsigned long state = 0x5eed5eed5eed5eedUL;
	unsigned long x = (state += 0x9e3779b97f4a7c15UL);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

#endif
