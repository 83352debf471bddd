// SPDX-License-Identifier: MIT
/*
 * The CPU masks (include/kernel/smp.h): which CPUs may exist (possible) and which run
 * (online), and their setters.  The kernel and the host tests build this same file: the
 * bring-up (kernel/arch/x86_64/smpboot.c) marks the MADT's CPUs possible and each CPU
 * online as it starts; a host test makes a CPU online in one call to play it.
 *
 * Set once at boot and never cleared in the kernel (no CPU goes offline), so readers
 * need no lock; the online mask is changed atomically because CPUs mark themselves
 * while others read it.
 */
#include "kernel/smp.h"

unsigned long __cpu_online_mask = 1; /* the boot CPU, CPU 0 */
unsigned long __cpu_possible_mask = 1;
unsigned int nr_cpu_ids = 1;
unsigned int nr_cpus_limit = NR_CPUS;
unsigned long smpboot_silent_mask;
unsigned long __cpu_panicked_mask;

void set_cpu_possible(unsigned int cpu, bool possible)
{
	if (possible) {
		__cpu_possible_mask |= 1UL << cpu;
		if (cpu >= nr_cpu_ids)
			nr_cpu_ids = cpu + 1;
	} else {
		__cpu_possible_mask &= ~(1UL << cpu);
	}
}

void set_cpu_online(unsigned int cpu, bool online)
{
	if (!online) {
		__atomic_and_fetch(&__cpu_online_mask, ~(1UL << cpu), __ATOMIC_RELEASE);
		return;
	}
	/* Never taken in the kernel, where the MADT made the CPU possible first. */
	if (!cpu_possible(cpu))
		set_cpu_possible(cpu, true);
	__atomic_or_fetch(&__cpu_online_mask, 1UL << cpu, __ATOMIC_RELEASE);
}
