/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for include/arch/smp.h: the CPU number is a per-thread variable, so a
 * test plays several CPUs either from one thread (set host_cpu_id between steps) or
 * from one pthread per CPU.  tests/host/smp.c defines it and the masks.
 */
#ifndef PAGELAB_HOST_ARCH_SMP_H
#define PAGELAB_HOST_ARCH_SMP_H

extern _Thread_local unsigned int host_cpu_id;

static inline unsigned int raw_smp_processor_id(void) { return host_cpu_id; }

#endif
