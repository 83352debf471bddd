// SPDX-License-Identifier: MIT
/*
 * Cross-CPU function calls (Linux's kernel/smp.c idea, pagelab's code); the CPU masks they
 * go by are kernel/cpumask.c's.
 *
 * Each CPU has a queue of call_single_data records (a singly linked list whose head is
 * per-CPU).  A caller pushes a record onto the target's queue with one compare-and-swap
 * and, if the queue was empty, interrupts the target (CALL_FUNCTION_SINGLE_VECTOR); the
 * target's handler takes the whole list with one exchange and runs every record.  A
 * record is "locked" (CSD_FLAG_LOCK) from the push until its function has returned, which
 * is what a waiting caller spins on and what a reuse of a per-CPU record waits for.
 *
 *   caller CPU                         target CPU
 *   csd.flags = LOCK; push(queue[t]) -> IPI -> flush_smp_call_function_queue():
 *   (wait: spin while flags & LOCK)           list = xchg(queue[t], NULL)
 *                                             for each: func(info); flags = 0
 *
 * Records of a waiting call live on the caller's stack; records of a call that does not
 * wait are this CPU's per-CPU ones, one per target (cfd_data).
 */
#include "kernel/smp.h"
#include "arch/apic.h"
#include "arch/irq.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "lib/errno.h"

#define CSD_FLAG_LOCK 0x01

struct call_single_data {
	struct call_single_data *next;
	smp_call_func_t func;
	void *info;
	unsigned int flags;
};

static struct call_single_data *call_single_queue[NR_CPUS];
DEFINE_PER_CPU(struct call_single_data[NR_CPUS], cfd_data);

static void csd_lock_wait(struct call_single_data *csd)
{
	while (__atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_FLAG_LOCK)
		cpu_relax();
}

/* Push @csd onto @cpu's queue; interrupt @cpu only if it was empty (it will see all). */
static void csd_queue(unsigned int cpu, struct call_single_data *csd)
{
	struct call_single_data *head = __atomic_load_n(&call_single_queue[cpu], __ATOMIC_RELAXED);

	do {
		csd->next = head;
	} while (!__atomic_compare_exchange_n(&call_single_queue[cpu], &head, csd, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (!head)
		arch_send_call_function_single_ipi(cpu);
}

/*
 * A cross-call from a CPU with interrupts off can deadlock: the target may be waiting
 * for this CPU's answer to a call of its own.  Linux warns once; so does pagelab.
 */
static void warn_if_irqs_disabled(smp_call_func_t func)
{
	static bool warned;

	if (irqs_disabled() && num_online_cpus() > 1 && !warned) {
		warned = true;
		pr_warn("smp: cross-CPU call of %pS with interrupts disabled: may deadlock\n", func);
	}
}

static void csd_prepare(struct call_single_data *csd, smp_call_func_t func, void *info)
{
	warn_if_irqs_disabled(func);
	csd->func = func;
	csd->info = info;
	__atomic_store_n(&csd->flags, CSD_FLAG_LOCK, __ATOMIC_RELAXED);
}

/*
 * flush_smp_call_function_queue - run everything queued for this CPU.  Called by the
 * IPI handler (interrupts off); a record pushed meanwhile comes with its own IPI.
 */
void flush_smp_call_function_queue(void);
void flush_smp_call_function_queue(void)
{
	unsigned int cpu = smp_processor_id();
	struct call_single_data *csd = __atomic_exchange_n(&call_single_queue[cpu], NULL,
							    __ATOMIC_ACQUIRE);

	while (csd) {
		struct call_single_data *next = csd->next; /* csd may be gone once unlocked */

		csd->func(csd->info);
		__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
		csd = next;
	}
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, int wait)
{
	struct call_single_data stack_csd, *csd;
	unsigned long flags;

	if (!cpu_online(cpu))
		return -ENXIO;
	if (cpu == smp_processor_id()) {
		flags = local_irq_save();
		func(info);
		local_irq_restore(flags);
		return 0;
	}
	if (wait) {
		csd = &stack_csd;
	} else {
		csd = &this_cpu_ptr(&cfd_data)[0][cpu];
		csd_lock_wait(csd); /* its previous call has finished with it */
	}
	csd_prepare(csd, func, info);
	csd_queue(cpu, csd);
	if (wait)
		csd_lock_wait(csd);
	return 0;
}

void smp_call_function_many(unsigned long mask, smp_call_func_t func, void *info, bool wait)
{
	struct call_single_data *cfd = this_cpu_ptr(&cfd_data)[0];
	unsigned int self = smp_processor_id(), cpu;

	mask &= __atomic_load_n(&__cpu_online_mask, __ATOMIC_ACQUIRE) & ~(1UL << self);
	for_each_cpu(cpu, mask) {
		csd_lock_wait(&cfd[cpu]);
		csd_prepare(&cfd[cpu], func, info);
		csd_queue(cpu, &cfd[cpu]);
	}
	if (!wait)
		return;
	for_each_cpu(cpu, mask)
		csd_lock_wait(&cfd[cpu]);
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	unsigned long flags;

	smp_call_function_many(~0UL, func, info, false);
	flags = local_irq_save();
	func(info);
	local_irq_restore(flags);
	if (wait) {
		struct call_single_data *cfd = this_cpu_ptr(&cfd_data)[0];
		unsigned int cpu;

		for_each_online_cpu(cpu)
			csd_lock_wait(&cfd[cpu]);
	}
}
