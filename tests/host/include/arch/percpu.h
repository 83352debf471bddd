/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for include/arch/percpu.h: no segment register, so "this CPU" is the
 * thread's host_cpu_id (arch/smp.h) and this_cpu_*() go through per_cpu_ptr().  Each
 * possible CPU's copy of the section is made before main() (tests/host/percpu.c).
 * Not single instructions here: a test that shares one CPU number between threads is
 * wrong anyway, as it would be in the kernel.
 */
#ifndef PAGELAB_HOST_ARCH_PERCPU_H
#define PAGELAB_HOST_ARCH_PERCPU_H

#include "types.h"

#define PER_CPU_SECTION "host_percpu" /* a C name: the linker makes __start_/__stop_ */

extern _Thread_local unsigned int host_cpu_id;
extern unsigned long __per_cpu_offset[];
extern unsigned long this_cpu_off;

#define __host_this_cpu(var) (*(__typeof__(&(var)))((unsigned long)&(var) + __per_cpu_offset[host_cpu_id]))

#define this_cpu_read(var) (__host_this_cpu(var))
#define this_cpu_write(var, val) ((void)(__host_this_cpu(var) = (val)))
#define this_cpu_add(var, val) ((void)(__host_this_cpu(var) += (val)))
#define this_cpu_cmpxchg(var, old, new)                                       \
	({                                                                    \
		__typeof__(var) __pcpu_old = (old);                           \
		__atomic_compare_exchange_n(&__host_this_cpu(var), &__pcpu_old, (new), false, \
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);  \
		__pcpu_old;                                                   \
	})

#endif
