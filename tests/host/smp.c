// SPDX-License-Identifier: MIT
/*
 * The host tests' CPUs: the per-thread CPU number, and cross-CPU calls that run the
 * function "on" the target by switching this thread's CPU number around the call.  The
 * masks are the kernel's own (kernel/cpumask.c): a test makes CPUs online with
 * set_cpu_online(), which makes them possible too (nr_cpu_ids follows the highest one).
 */
#include "kernel/smp.h"
#include "lib/errno.h"

_Thread_local unsigned int host_cpu_id;

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait)
{
	unsigned int self = host_cpu_id;

	(void)wait;
	if (!cpu_online(cpu))
		return -ENXIO;
	host_cpu_id = cpu;
	func(info);
	host_cpu_id = self;
	return 0;
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, func, info, wait);
}

void smp_call_function_many(unsigned long mask, smp_call_func_t func, void *info, bool wait)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		if (cpu != host_cpu_id)
			smp_call_function_single(cpu, func, info, wait);
}
