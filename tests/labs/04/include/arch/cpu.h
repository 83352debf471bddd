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

static inline void cli(void) {}
static inline void sti(void) {}
static inline void hlt(void) {}
static inline void cpu_relax(void) {}
static inline u64 rdtsc(void) { return 0; }
static inline u64 read_cr0(void) { return 0; }
static inline u64 read_cr2(void) { return 0; }
static inline u64 read_cr3(void) { return lab04_cr3; }
static inline u64 read_cr4(void) { return 0; }
static inline void write_cr3(u64 v) { lab04_cr3 = v; }
static inline u64 rdmsr(u32 msr) { (void)msr; return 0; }
static inline void wrmsr(u32 msr, u64 v) { (void)msr, (void)v; }
static inline __noreturn void halt_forever(void) { abort(); }

#endif
