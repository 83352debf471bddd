// SPDX-License-Identifier: MIT
/*
 * The CPU masks, and cross-CPU calls for as long as only the boot CPU runs: a call to
 * "another CPU" is a call on this one, with interrupts off as an IPI handler would have
 * them.
 */
#include "kernel/smp.h"
#include "arch/irq.h"
#include "lib/errno.h"

unsigned long __cpu_online_mask = 1;   /* the boot CPU, CPU 0 */
unsigned long __cpu_possible_mask = 1;
unsigned int nr_cpu_ids = 1;

void set_cpu_online(unsigned int cpu, bool online)
{
	if (online)
		__atomic_or_fetch(&__cpu_online_mask, 1UL << cpu, __ATOMIC_RELEASE);
	else
		__atomic_and_fetch(&__cpu_online_mask, ~(1UL << cpu), __ATOMIC_RELEASE);
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait)
{
	unsigned long flags;

	(void)wait;
	if (!cpu_online(cpu))
		return -ENXIO;
	flags = local_irq_save();
	func(info);
	local_irq_restore(flags);
	return 0;
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	smp_call_function_single(smp_processor_id(), func, info, wait);
}
