// SPDX-License-Identifier: MIT
/*
 * The host tests' CPUs: kernel/smp.c's masks, and cross-CPU calls that run the function
 * "on" the target by switching this thread's CPU number around the call.  A test makes
 * CPUs online with set_cpu_online() (nr_cpu_ids follows the highest one).
 */
#include "kernel/smp.h"
#include "lib/errno.h"

_Thread_local unsigned int host_cpu_id;
unsigned long __cpu_online_mask = 1;
unsigned long __cpu_possible_mask = 1;
unsigned int nr_cpu_ids = 1;

void set_cpu_online(unsigned int cpu, bool online)
{
	if (online) {
		__atomic_or_fetch(&__cpu_online_mask, 1UL << cpu, __ATOMIC_RELEASE);
		__cpu_possible_mask |= 1UL << cpu;
		if (cpu >= nr_cpu_ids)
			nr_cpu_ids = cpu + 1;
	} else {
		__atomic_and_fetch(&__cpu_online_mask, ~(1UL << cpu), __ATOMIC_RELEASE);
	}
}

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
