/* SPDX-License-Identifier: MIT */
/*
 * CPUs, as far as per-CPU data structures need to know.
 *
 * Data that Linux keeps per CPU (the page allocator's per-cpu page lists, the event
 * counters) is kept as an array indexed by CPU number and reached through
 * smp_processor_id().  There is no preemption and no migration between CPUs, so "the
 * current CPU" cannot change under a caller.
 *
 * Until the application processors are brought up this is the uniprocessor version:
 * one CPU online, and a cross-call is a local call with interrupts off.
 */
#ifndef PAGELAB_KERNEL_SMP_H
#define PAGELAB_KERNEL_SMP_H

#include "arch/irq.h"
#include "types.h"

#define NR_CPUS 1

/* smp_processor_id - the number of the CPU running the caller. */
static inline unsigned int smp_processor_id(void) { return 0; }

static inline unsigned int num_online_cpus(void) { return 1; }
static inline bool cpu_online(unsigned int cpu) { return cpu == 0; }

#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)

typedef void (*smp_call_func_t)(void *info);

/*
 * on_each_cpu - run @func(@info) on every online CPU, this one included, with
 * interrupts off on each while it runs; with @wait, return only when all have finished.
 */
static inline void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	unsigned long flags = local_irq_save();

	(void)wait;
	func(info);
	local_irq_restore(flags);
}

#endif
