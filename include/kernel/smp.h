/* SPDX-License-Identifier: MIT */
/*
 * CPUs, as far as per-CPU data structures need to know.
 *
 * pagelab runs on one CPU.  Data that Linux keeps per CPU (the page allocator's per-cpu
 * page lists, the event counters) is still kept as an array indexed by CPU number and
 * reached through smp_processor_id(), so a second CPU is one more array slot rather
 * than a redesign.  There is no preemption and no migration between CPUs, so "the
 * current CPU" cannot change under a caller.
 */
#ifndef PAGELAB_KERNEL_SMP_H
#define PAGELAB_KERNEL_SMP_H

#define NR_CPUS 1

/* smp_processor_id - the number of the CPU running the caller. */
static inline unsigned int smp_processor_id(void) { return 0; }

#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)

#endif
