/* SPDX-License-Identifier: MIT */
/*
 * The architecture's half of include/kernel/smp.h: how a CPU finds its own number (a
 * per-CPU variable, read through %gs: arch/percpu.h), and the x86 bring-up and IPI
 * entry points the generic code calls (kernel/arch/x86_64/smpboot.c, apic.c).
 */
#ifndef PAGELAB_ARCH_SMP_H
#define PAGELAB_ARCH_SMP_H

#include "arch/percpu.h"

extern unsigned int cpu_number; /* per-CPU: this CPU's number */

static inline unsigned int raw_smp_processor_id(void) { return this_cpu_read(cpu_number); }

#endif
