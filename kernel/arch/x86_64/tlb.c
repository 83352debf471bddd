// SPDX-License-Identifier: MIT
/* TLB flushes, local and kernel-wide (include/arch/tlbflush.h). */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/memory.h"
#include "arch/tlbflush.h"
#include "kernel/smp.h"

#define TLB_SINGLE_PAGE_FLUSH_CEILING 33

struct flush_tlb_info {
	unsigned long start, end; /* end == 0: everything */
	unsigned int initiator;
};

void __flush_tlb_all(void)
{
	u64 cr4 = read_cr4();

	write_cr4(cr4 & ~X86_CR4_PGE);
	write_cr4(cr4);
}

void __flush_tlb_one_kernel(unsigned long addr)
{
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

static void flush_tlb_func(void *arg)
{
	const struct flush_tlb_info *info = arg;

	if (smp_processor_id() != info->initiator)
		this_cpu_inc(irq_stat.irq_tlb_count);
	if (!info->end || (info->end - info->start) >> PAGE_SHIFT > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		__flush_tlb_all();
		return;
	}
	for (unsigned long a = info->start; a < info->end; a += PAGE_SIZE)
		__flush_tlb_one_kernel(a);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_tlb_info info = { start & ~(PAGE_SIZE - 1), end, smp_processor_id() };

	if (end && end <= start)
		return;
	on_each_cpu(flush_tlb_func, &info, 1);
}

void flush_tlb_all(void)
{
	flush_tlb_kernel_range(0, 0);
}
