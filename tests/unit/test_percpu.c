// SPDX-License-Identifier: MIT
/*
 * The host stand-in for per-CPU data (tests/host/include/arch/percpu.h): each CPU
 * number (host_cpu_id, per thread) sees its own copy, per_cpu() reaches any, and the
 * same code the kernel runs on %gs works here per thread.
 */
#include <pthread.h>

#include <criterion/criterion.h>

#include "kernel/percpu.h"
#include "kernel/smp.h"

static DEFINE_PER_CPU(unsigned long, counter);
static DEFINE_PER_CPU(int, initialised) = 42;

Test(percpu, each_cpu_has_its_own_copy)
{
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		host_cpu_id = cpu;
		cr_assert_eq(this_cpu_read(initialised), 42, "every copy starts from the template");
		this_cpu_add(counter, cpu + 1);
		this_cpu_inc(counter);
		cr_assert_eq(smp_processor_id(), cpu);
		cr_assert_eq(this_cpu_read(cpu_number), cpu);
	}
	for (unsigned int cpu = 0; cpu < 4; cpu++)
		cr_assert_eq(per_cpu(counter, cpu), cpu + 2);
	host_cpu_id = 2;
	cr_assert_eq(this_cpu_ptr(&counter), per_cpu_ptr(&counter, 2));
	cr_assert_eq(this_cpu_cmpxchg(initialised, 42, 7), 42);
	cr_assert_eq(this_cpu_cmpxchg(initialised, 42, 8), 7);
	cr_assert_eq(per_cpu(initialised, 2), 7);
	cr_assert_eq(per_cpu(initialised, 1), 42);
	host_cpu_id = 0;
}

static void *thread_main(void *arg)
{
	host_cpu_id = (unsigned int)(uintptr_t)arg;
	for (int i = 0; i < 100000; i++)
		this_cpu_inc(counter);
	return NULL;
}

Test(percpu, one_thread_per_cpu_needs_no_lock)
{
	pthread_t t[4];

	for (uintptr_t i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, thread_main, (void *)(i + 4)), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (unsigned int cpu = 4; cpu < 8; cpu++)
		cr_assert_eq(per_cpu(counter, cpu), 100000);
}
