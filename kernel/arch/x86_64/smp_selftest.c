// SPDX-License-Identifier: MIT
/*
 * `selftest smp`: per-CPU data and cross-CPU calls, on whichever CPU runs it (`on 2
 * selftest smp` runs it on CPU 2).  Quick: a few IPIs per online CPU.
 */
#include "arch/apic.h"
#include "arch/irq.h"
#include "arch/tlbflush.h"
#include "kernel/percpu.h"
#include "kernel/selftest.h"
#include "kernel/smp.h"
#include "lib/errno.h"

static DEFINE_PER_CPU(unsigned long, st_counter);
static DEFINE_PER_CPU(u32, st_word) = 7;

static void cpu_number_matches_the_apic(struct selftest *t)
{
	unsigned int cpu = smp_processor_id();

	ST_EXPECT(t, cpu_online(cpu));
	ST_EXPECT_EQ(t, per_cpu(cpu_number, cpu), cpu);
	ST_EXPECT_EQ(t, this_cpu_read(this_cpu_off), per_cpu_offset(cpu));
	if (x2apic_mode || cpuid_to_apicid[cpu] < 0xff)
		ST_EXPECT_EQ(t, read_apic_id(), cpuid_to_apicid[cpu]);
}

static void this_cpu_ops_touch_only_this_cpu(struct selftest *t)
{
	unsigned int cpu = smp_processor_id(), other;
	unsigned long before[NR_CPUS];

	for_each_online_cpu(other)
		before[other] = per_cpu(st_counter, other);
	this_cpu_add(st_counter, 5);
	this_cpu_inc(st_counter);
	ST_EXPECT_EQ(t, this_cpu_read(st_counter), before[cpu] + 6);
	ST_EXPECT_EQ(t, *this_cpu_ptr(&st_counter), before[cpu] + 6);
	for_each_online_cpu(other)
		if (other != cpu)
			ST_EXPECT_EQ(t, per_cpu(st_counter, other), before[other]);
	ST_EXPECT_EQ(t, this_cpu_cmpxchg(st_word, 7u, 9u), 7u); /* every copy starts at 7 */
	ST_EXPECT_EQ(t, this_cpu_cmpxchg(st_word, 7u, 11u), 9u); /* fails: leaves 9 */
	ST_EXPECT_EQ(t, this_cpu_read(st_word), 9u);
	this_cpu_write(st_word, 7u);
}

static void record_cpu(void *arg)
{
	unsigned long *seen = arg;

	__atomic_or_fetch(seen, 1UL << smp_processor_id(), __ATOMIC_RELAXED);
	this_cpu_inc(st_counter);
}

static void calls_reach_every_online_cpu(struct selftest *t)
{
	unsigned long seen = 0, online = __atomic_load_n(&__cpu_online_mask, __ATOMIC_ACQUIRE);
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		unsigned long one = 0;

		ST_EXPECT_EQ(t, smp_call_function_single(cpu, record_cpu, &one, 1), 0);
		ST_EXPECT_EQ(t, one, 1UL << cpu);
	}
	on_each_cpu(record_cpu, &seen, 1);
	ST_EXPECT_EQ(t, seen, online);
	seen = 0;
	smp_call_function_many(~0UL, record_cpu, &seen, true);
	ST_EXPECT_EQ(t, seen, online & ~(1UL << smp_processor_id()));
	ST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS - 1, record_cpu, &seen, 1),
		     cpu_online(NR_CPUS - 1) ? 0 : -ENXIO);
}

static void tlb_flush_reaches_the_others(struct selftest *t)
{
	unsigned int cpu, self = smp_processor_id();
	unsigned int before[NR_CPUS];

	for_each_online_cpu(cpu)
		before[cpu] = per_cpu(irq_stat, cpu).irq_tlb_count;
	flush_tlb_all();
	for_each_online_cpu(cpu)
		ST_EXPECT_EQ(t, per_cpu(irq_stat, cpu).irq_tlb_count, before[cpu] + (cpu != self));
}

static void the_apic_timer_ticks(struct selftest *t)
{
	unsigned int before = this_cpu_read(irq_stat.apic_timer_irqs);
	unsigned long flags = local_irq_save();

	local_irq_enable();
	/* Other interrupts wake hlt too (the PIT on CPU 0): up to 50 wake-ups, 0.25 s. */
	for (int i = 0; i < 50 && this_cpu_read(irq_stat.apic_timer_irqs) == before; i++)
		__asm__ volatile("hlt");
	local_irq_restore(flags);
	if (!(flags & 0x200))
		local_irq_disable();
	ST_EXPECT(t, this_cpu_read(irq_stat.apic_timer_irqs) > before);
}

static const struct selftest_case smp_cases[] = {
	SELFTEST_CASE(cpu_number_matches_the_apic),
	SELFTEST_CASE(this_cpu_ops_touch_only_this_cpu),
	SELFTEST_CASE(calls_reach_every_online_cpu),
	SELFTEST_CASE(tlb_flush_reaches_the_others),
	SELFTEST_CASE(the_apic_timer_ticks),
};

DEFINE_SELFTEST_SUITE(smp, smp_cases);
