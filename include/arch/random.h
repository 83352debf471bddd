/* SPDX-License-Identifier: MIT */
/*
 * Random numbers for hardening values (SLUB's freelist XOR key), the x86 way: RDRAND
 * when the CPU has it (CPUID.1:ECX bit 30), else the TSC run through a mixing function.
 * Neither is a cryptographic random pool - Linux seeds get_random_long() from many
 * sources - but both make the value differ from boot to boot, which is what a student
 * needs to see.  The host tests have their own header with fixed values
 * (tests/host/include/arch/random.h), so their output is reproducible.
 */
#ifndef PAGELAB_ARCH_RANDOM_H
#define PAGELAB_ARCH_RANDOM_H

#include "arch/cpu.h"
#include "types.h"

static inline bool cpu_has_rdrand(void)
{
	return cpuid_ecx(1) & (1U << 30);
}

/* rdrand_long - one RDRAND value; false if the CPU's generator had none ready (CF=0). */
static inline bool rdrand_long(unsigned long *v)
{
	bool ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

/* splitmix64's finaliser: every input bit affects every output bit. */
static inline unsigned long mix64(unsigned long x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9UL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* get_random_long - a value that differs between boots and between calls. */
static inline unsigned long get_random_long(void)
{
	static unsigned long counter;
	unsigned long v;

	if (cpu_has_rdrand())
		for (int tries = 0; tries < 10; tries++) /* Intel's advice: retry ten times */
			if (rdrand_long(&v))
				return v;
	return mix64(rdtsc() + ++counter * 0x9e3779b97f4a7c15UL);
}

#endif
