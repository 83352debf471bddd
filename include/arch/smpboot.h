/* SPDX-License-Identifier: MIT */
/*
 * Bringing up the other CPUs (kernel/arch/x86_64/smpboot.c; docs/mm/smp.md).  In
 * start_kernel()'s order:
 *   prefill_possible_map()   after acpi_init(): the MADT's CPUs become the possible ones
 *                            (at most NR_CPUS and nr_cpus=), with their APIC ids
 *   setup_per_cpu_areas()    kernel/percpu.h
 *   smp_init()               after init_IRQ()/time_init(), interrupts still off: the
 *                            boot CPU's local APIC and timer, then every present CPU
 *                            started through the trampoline, with Linux's boot lines
 */
#ifndef PAGELAB_ARCH_SMPBOOT_H
#define PAGELAB_ARCH_SMPBOOT_H

#include "types.h"

void prefill_possible_map(void);
void smp_init(void);

/*
 * smp_post_idle_work - have @cpu's idle loop call @fn(@arg), with interrupts on, outside
 * any interrupt handler (so @fn may take as long as it likes and print), and wake @cpu.
 * Returns 0; -ENXIO if @cpu is not an online CPU other than this one; -EBUSY if the work
 * posted to @cpu before has not finished.  Poll smp_idle_work_done() for the end.
 */
int smp_post_idle_work(unsigned int cpu, void (*fn)(void *arg), void *arg);

/*
 * smp_run_idle_work - run the work posted to this CPU, if any, with interrupts on; what
 * the idle loop does, and what a CPU waiting for another one's work does meanwhile (so
 * that `on 1 on 0 ...` does not wait for itself).  Returns whether there was work.
 */
bool smp_run_idle_work(void);

/* smp_idle_work_done - whether the work last posted to @cpu has finished (or none was). */
bool smp_idle_work_done(unsigned int cpu);

#endif
