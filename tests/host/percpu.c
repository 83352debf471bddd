// SPDX-License-Identifier: MIT
/*
 * The host tests' per-CPU areas: before main(), every one of NR_CPUS CPUs gets a copy of
 * the host_percpu section (CPU 0 keeps the section itself, as in the kernel), so code
 * using DEFINE_PER_CPU and this_cpu_*() runs per host_cpu_id, from one thread or many.
 */
#include <stdlib.h>

#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "lib/string.h"

DEFINE_PER_CPU(unsigned long, this_cpu_off);
DEFINE_PER_CPU(unsigned int, cpu_number);
unsigned long __per_cpu_offset[NR_CPUS];

extern char __start_host_percpu[], __stop_host_percpu[];
/* The copies, by pointer too: an offset alone would look like a leak to LeakSanitizer. */
static char *host_pcpu_areas[NR_CPUS];

__attribute__((constructor)) static void host_setup_per_cpu_areas(void)
{
	size_t size = (size_t)(__stop_host_percpu - __start_host_percpu);

	for (unsigned int cpu = 1; cpu < NR_CPUS; cpu++) {
		char *area = aligned_alloc(64, ALIGN_UP(size, 64));

		if (!area)
			abort();
		host_pcpu_areas[cpu] = area;
		memcpy(area, __start_host_percpu, size);
		__per_cpu_offset[cpu] = (unsigned long)(area - __start_host_percpu);
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		per_cpu(this_cpu_off, cpu) = __per_cpu_offset[cpu];
		per_cpu(cpu_number, cpu) = cpu;
	}
}

void setup_per_cpu_areas(void)
{
}

unsigned long pcpu_nr_pages(void)
{
	return 0; /* the host copies are malloc'ed, not taken from the simulated RAM */
}
