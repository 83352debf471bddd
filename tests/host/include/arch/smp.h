/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for include/arch/smp.h: the CPU number is a per-thread variable, so a
 * test plays several CPUs either from one thread (set host_cpu_id between steps) or
 * from one pthread per CPU.  tests/host/smp.c defines it (the masks are the kernel's,
 * kernel/cpumask.c); this_cpu_*() follow it (tests/host/include/arch/percpu.h).
 */
#ifndef PAGELAB_HOST_ARCH_SMP_H
#define PAGELAB_HOST_ARCH_SMP_H

#include "arch/percpu.h"

extern _Thread_local unsigned int host_cpu_id;
extern unsigned int cpu_number; /* per-CPU, as the kernel's (tests/host/percpu.c) */

static inline unsigned int raw_smp_processor_id(void) { return host_cpu_id; }

#endif
