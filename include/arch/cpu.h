/* SPDX-License-Identifier: MIT */
/*
 * Single CPU instructions that C cannot express, one inline function each, and the only
 * place they are written: the kernel, the UEFI loader and the 16-bit stage 2 all include
 * this header.  Stage 2 is built with -m16 (32-bit operands): cpuid and rdtsc work there
 * as they are, because their operands are 32-bit registers.  The control-register and
 * MSR helpers take 64-bit values and are for long mode only; an inline function that is
 * never called is never compiled, so their presence does not break the -m16 build.
 */
#ifndef PAGELAB_ARCH_CPU_H
#define PAGELAB_ARCH_CPU_H

#include "types.h"

/* Control-register bits the kernel sets itself (the loaders set PE, PG and PAE in asm). */
#define X86_CR0_WP (1UL << 16) /* supervisor writes honour read-only pages */
#define X86_CR4_PGE (1UL << 7) /* global pages survive a CR3 load */

static __always_inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static __always_inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static __always_inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static __always_inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

/* rdtsc - the time-stamp counter: cycles at a constant rate since reset. */
static __always_inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/*
 * cpuid - the four registers CPUID returns for @leaf (sub-leaf 0).  The caller must
 * know the leaf exists: leaf 0 and 0x80000000 report the highest standard / extended one.
 */
static __always_inline void cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	__asm__ volatile("cpuid" : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx)
			 : "a"(leaf), "c"(0));
}

/* cpuid_eax, cpuid_ecx, cpuid_edx - one register of cpuid(@leaf), as Linux has them. */
static __always_inline u32 cpuid_eax(u32 leaf)
{
	u32 a, b, c, d;

	cpuid(leaf, &a, &b, &c, &d);
	return a;
}

static __always_inline u32 cpuid_ecx(u32 leaf)
{
	u32 a, b, c, d;

	cpuid(leaf, &a, &b, &c, &d);
	return c;
}

static __always_inline u32 cpuid_edx(u32 leaf)
{
	u32 a, b, c, d;

	cpuid(leaf, &a, &b, &c, &d);
	return d;
}

#define DEFINE_READ_CR(n)                                                 \
	static __always_inline u64 read_cr##n(void)                       \
	{                                                                 \
		u64 v;                                                    \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));         \
		return v;                                                 \
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR

/* The "memory" clobber: a control-register write changes what memory accesses mean. */
static __always_inline void write_cr0(u64 v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static __always_inline void write_cr3(u64 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static __always_inline void write_cr4(u64 v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static __always_inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static __always_inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

/* Stop this CPU for good: interrupts off, then halt in a loop (an NMI may wake hlt). */
static __always_inline __noreturn void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
