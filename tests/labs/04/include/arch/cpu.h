/* SPDX-License-Identifier: MIT */
/*
 * Lab 4's host stand-in for include/arch/cpu.h, so kernel/arch/x86_64/init_64.c can be
 * compiled into tests/labs/04/host.c: CR3 is a variable the test sets (the page tables
 * it points to live in the host's physical-memory arena), and the instructions that only
 * ring 0 may run do nothing.  The guard is the real header's, so only one is ever seen.
 */
#ifndef PAGELAB_ARCH_CPU_H
#define PAGELAB_ARCH_CPU_H

#include <stdlib.h>

#include "types.h"

extern u64 lab04_cr3; /* what the MMU would walk from: physical address | flag bits */
extern int lab04_global_flushes; /* CR4 writes with PGE clear: what flushes global entries */

#define X86_CR0_WP (1UL << 16)
#define X86_CR4_PGE (1UL << 7)

static inline void cli(void) {}
static inline void sti(void) {}
static inline void hlt(void) {}
static inline void cpu_relax(void) {}
static inline u64 rdtsc(void) { return 0; }
static inline void cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	(void)leaf;
	*eax = *ebx = *ecx = *edx = 0;
}
static inline u32 cpuid_eax(u32 leaf) { (void)leaf; return 0; }
static inline u32 cpuid_ecx(u32 leaf) { (void)leaf; return 0; }
static inline u32 cpuid_edx(u32 leaf) { (void)leaf; return 0; }
static inline u64 read_cr0(void) { return 0; }
static inline u64 read_cr2(void) { return 0; }
static inline u64 read_cr3(void) { return lab04_cr3; }
static inline u64 read_cr4(void) { return X86_CR4_PGE; }
static inline void write_cr0(u64 v) { (void)v; }
static inline void write_cr3(u64 v) { lab04_cr3 = v; }
static inline void write_cr4(u64 v) { lab04_global_flushes += !(v & X86_CR4_PGE); }
static inline u64 rdmsr(u32 msr) { (void)msr; return 0; }
static inline void wrmsr(u32 msr, u64 v) { (void)msr, (void)v; }
static inline __noreturn void halt_forever(void) { abort(); }

#endif
