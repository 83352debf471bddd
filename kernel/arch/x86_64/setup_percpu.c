// SPDX-License-Identifier: MIT
/*
 * The per-CPU areas (include/kernel/percpu.h), x86-64 style: one copy of .data..percpu
 * per possible CPU but the boot CPU, from memblock, and each CPU's GS base pointing at
 * its offset.  Linux allocates the first chunk for every CPU, the boot CPU included, and
 * counts it in meminfo's Percpu:; pagelab's boot CPU keeps the linked section (offset 0),
 * so that a 1-CPU boot reserves no memory for it and its memory numbers do not move.
 */
#include "arch/cpu.h"
#include "arch/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "lib/string.h"
#include "mm/memblock.h"

DEFINE_PER_CPU(unsigned long, this_cpu_off);
DEFINE_PER_CPU(unsigned int, cpu_number);
unsigned long __per_cpu_offset[NR_CPUS];

extern char __per_cpu_start[], __per_cpu_end[]; /* kernel.ld */
static unsigned long pcpu_pages;

unsigned long pcpu_nr_pages(void)
{
	return pcpu_pages;
}

void setup_per_cpu_areas(void)
{
	size_t size = ALIGN_UP((size_t)(__per_cpu_end - __per_cpu_start), (size_t)PAGE_SIZE);
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		char *area;

		if (cpu == 0)
			continue;
		area = memblock_alloc(size, PAGE_SIZE);
		if (!area)
			panic("setup_per_cpu_areas: no memory for CPU %u's %zu bytes", cpu, size);
		memcpy(area, __per_cpu_start, __per_cpu_end - __per_cpu_start);
		__per_cpu_offset[cpu] = (unsigned long)(area - __per_cpu_start);
		pcpu_pages += size / PAGE_SIZE;
	}
	for_each_possible_cpu(cpu) {
		per_cpu(this_cpu_off, cpu) = __per_cpu_offset[cpu];
		per_cpu(cpu_number, cpu) = cpu;
	}
	pr_info("percpu: Embedded %zu pages/cpu, %u CPUs, boot CPU in the kernel image\n",
		size / PAGE_SIZE, num_possible_cpus());
}

/* load_percpu_segment - point this CPU's GS base at its area (after any %gs load). */
void load_percpu_segment(unsigned int cpu);
void load_percpu_segment(unsigned int cpu)
{
	wrmsr(MSR_GS_BASE, __per_cpu_offset[cpu]);
}
