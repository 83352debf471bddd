/* SPDX-License-Identifier: MIT */
/*
 * CPUs, as far as per-CPU data structures need to know.
 *
 * Data that Linux keeps per CPU is either a per-CPU variable (kernel/percpu.h:
 * DEFINE_PER_CPU, this_cpu_read ...) or an array indexed by smp_processor_id().  There
 * is no preemption and no migration between CPUs, so "the current CPU" cannot change
 * under a caller.  The CPUs are found in the ACPI MADT and started at boot
 * (kernel/arch/x86_64/smpboot.c, docs/mm/smp.md); none goes offline afterwards.
 *
 * Which CPU count to use where (Linux's names, include/linux/cpumask.h):
 *   NR_CPUS            the most CPUs the kernel is built for: array sizes only
 *   nr_cpu_ids         one more than the highest possible CPU number: loop bounds, and
 *                      what Linux sizes by when it means "this machine's CPUs"
 *   num_online_cpus()  the CPUs running right now (thresholds that follow hotplug)
 *
 * The CPU number comes from arch/smp.h: the kernel's reads its per-CPU area, the host
 * tests' is a per-thread variable a test sets to play several CPUs.
 */
#ifndef PAGELAB_KERNEL_SMP_H
#define PAGELAB_KERNEL_SMP_H

#include "arch/smp.h"
#include "types.h"

#define NR_CPUS 16

/* One bit per CPU: NR_CPUS stays within a word, so a mask is a word. */
_Static_assert(NR_CPUS <= 64, "cpu masks are one unsigned long");

extern unsigned long __cpu_online_mask;
extern unsigned long __cpu_possible_mask;
extern unsigned int nr_cpu_ids;

/* smp_processor_id - the number of the CPU running the caller. */
static inline unsigned int smp_processor_id(void) { return raw_smp_processor_id(); }

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && (__atomic_load_n(&__cpu_online_mask, __ATOMIC_RELAXED) >> cpu) & 1;
}

/*
 * __cpu_panicked_mask - CPUs halted by panic() (kernel/printk.c), with whatever locks they
 * held.  Linux stops every CPU on a panic; pagelab lets the others, and the shell, go
 * on, so a CPU about to wait for a lock can tell that its holder will never let go.
 */
extern unsigned long __cpu_panicked_mask;

static inline bool cpu_panicked(unsigned int cpu)
{
	return cpu < NR_CPUS && (__atomic_load_n(&__cpu_panicked_mask, __ATOMIC_RELAXED) >> cpu) & 1;
}

static inline bool cpu_possible(unsigned int cpu) { return cpu < NR_CPUS && (__cpu_possible_mask >> cpu) & 1; }

/*
 * The bits set in a mask.  Not __builtin_popcountl(): without -mpopcnt GCC calls libgcc's
 * __popcountdi2, which the kernel does not link.
 */
static inline unsigned int cpumask_weight_word(unsigned long mask)
{
	unsigned int n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight_word(__atomic_load_n(&__cpu_online_mask, __ATOMIC_RELAXED));
}

static inline unsigned int num_possible_cpus(void) { return cpumask_weight_word(__cpu_possible_mask); }

/*
 * set_cpu_online - mark @cpu as running (or gone), and possible if it was not (which
 * only a host test relies on); the bring-up code's to call.  kernel/cpumask.c.
 */
void set_cpu_online(unsigned int cpu, bool online);

/* set_cpu_possible - mark @cpu as one that exists or may come (the MADT's CPUs). */
void set_cpu_possible(unsigned int cpu, bool possible);

/*
 * nr_cpus_limit - the nr_cpus= boot option: at most this many CPUs are made possible
 * (default NR_CPUS).  Read by the bring-up code, set by kernel/params.c.
 */
extern unsigned int nr_cpus_limit;

/* smpboot_silent_mask - CPUs smp_init() sends no IPI (smpboot_silent=, for tests). */
extern unsigned long smpboot_silent_mask;

#define for_each_possible_cpu(cpu)                      \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)       \
		if (!cpu_possible(cpu)) {               \
		} else
#define for_each_cpu(cpu, mask)                         \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)       \
		if (!(((mask) >> (cpu)) & 1)) {         \
		} else
#define for_each_online_cpu(cpu)                        \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)       \
		if (!cpu_online(cpu)) {                 \
		} else

typedef void (*smp_call_func_t)(void *info);

/*
 * smp_call_function_single - run @func(@info) on CPU @cpu with interrupts off there;
 * with @wait, return only once it has finished.  Returns 0, or -ENXIO if @cpu is not
 * online.  Must not be called with interrupts disabled (the target may be waiting for
 * this CPU) unless @cpu is this CPU.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait);

/*
 * smp_call_function_many - run @func(@info) on every online CPU in @mask (one bit per
 * CPU) except this one, with interrupts off there; with @wait, return only when all
 * have finished.  Same rule as smp_call_function_single() about interrupts.
 */
void smp_call_function_many(unsigned long mask, smp_call_func_t func, void *info, bool wait);

/*
 * on_each_cpu - run @func(@info) on every online CPU, this one included, with
 * interrupts off on each while it runs; with @wait, return only when all have finished.
 */
void on_each_cpu(smp_call_func_t func, void *info, int wait);

#endif
