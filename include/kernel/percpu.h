/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables, with Linux's names (include/linux/percpu-defs.h).
 *
 * DEFINE_PER_CPU(type, name) puts one copy of @name in the per-CPU section.  That copy
 * is the boot CPU's; setup_per_cpu_areas() copies the whole section once for every other
 * possible CPU and records, per CPU, how far its copy lies from the section:
 *
 *     __per_cpu_offset[cpu] = (address of cpu's copy) - (address of the section)
 *
 * so CPU n's instance of any variable is at &var + __per_cpu_offset[n] (per_cpu_ptr).
 * Each copy starts as the section was when it was made: the initialisers, plus what the
 * boot CPU had written by then (only its GDT and TSS, which each CPU then loads anew).
 * The running CPU finds its own copy through a segment base instead of a table look-up
 * (arch/percpu.h: %gs on x86-64), which makes this_cpu_read/write/add/inc/cmpxchg one
 * instruction each: an interrupt can come before it or after it, never in the middle,
 * so they need no interrupt disabling against a handler on the same CPU.
 *
 * What they do NOT give: atomicity against other CPUs.  per_cpu(var, other) from one CPU
 * races with other's this_cpu_add(var); reading another CPU's counter for a statistic is
 * fine (a stale but whole value), updating it is not.
 */
#ifndef PAGELAB_KERNEL_PERCPU_H
#define PAGELAB_KERNEL_PERCPU_H

#include "arch/percpu.h"
#include "types.h"

/* DEFINE_PER_CPU - a per-CPU variable; DECLARE_PER_CPU - its declaration for a header. */
#define DEFINE_PER_CPU(type, name) __attribute__((section(PER_CPU_SECTION))) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

/* __per_cpu_offset - each possible CPU's distance from the section (0 for the boot CPU). */
extern unsigned long __per_cpu_offset[];
#define per_cpu_offset(cpu) (__per_cpu_offset[(cpu)])

/* per_cpu_ptr - CPU @cpu's copy of the per-CPU object @ptr points at (&var, never a copy). */
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + per_cpu_offset(cpu)))

/* per_cpu - CPU @cpu's instance of @var, as an lvalue. */
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))

/* this_cpu_ptr - the running CPU's copy of the per-CPU object @ptr points at. */
#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((unsigned long)(ptr) + this_cpu_read(this_cpu_off)))

/* this_cpu_inc, this_cpu_dec - this_cpu_add() of 1 and -1. */
#define this_cpu_inc(var) this_cpu_add(var, 1)
#define this_cpu_dec(var) this_cpu_add(var, -1)

/*
 * setup_per_cpu_areas - give every possible CPU but the boot CPU a copy of the per-CPU
 * section, from memblock, and fill __per_cpu_offset[] and each copy's this_cpu_off and
 * cpu_number.  Call once, after the possible CPUs are known and before memblock hands
 * its memory to the buddy allocator.
 */
void setup_per_cpu_areas(void);

/* pcpu_nr_pages - pages the per-CPU copies take (meminfo's Percpu:, in pages). */
unsigned long pcpu_nr_pages(void);

#endif
