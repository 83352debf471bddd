// SPDX-License-Identifier: MIT
/*
 * The periodic tick from PIT channel 0, a one-shot call from the next tick, and the idle
 * loop's accounting.
 *
 * The PIT divides its 1.193182 MHz input by a 16-bit count; mode 2 ("rate generator")
 * reloads the count by itself, so one programming gives an endless stream of IRQ 0s.
 * 1193182 / 100 = 11932 gives 99.998 Hz, close enough for jiffies (nothing that tells
 * time uses jiffies: see kernel/time.h).
 */
#include "arch/cpu.h"
#include "arch/io.h"
#include "arch/irq.h"
#include "arch/setup.h"
#include "arch/tsc.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "lib/errno.h"
#include "mm/vmstat.h"

#define PIT_CH0 0x40
#define PIT_MODE 0x43
#define PIT_MODE_CH0_RATE 0x34 /* channel 0, lo/hi byte, mode 2, binary */

volatile u64 jiffies;
static u64 idle_tsc; /* TSC cycles spent halted in cpu_idle() */

/*
 * The one pending call_on_next_tick().  Only the tick handler clears it, and with one
 * CPU, call_on_next_tick() keeps the handler out by disabling interrupts.
 */
static struct {
	void (*fn)(void *data);
	void *data;
} next_tick;

static void timer_interrupt(unsigned int irq)
{
	void (*fn)(void *data) = next_tick.fn;

	(void)irq;
	jiffies++;
	if (fn) {
		next_tick.fn = NULL; /* first, so that @fn may ask for the tick after */
		fn(next_tick.data);
	}
}

int call_on_next_tick(void (*fn)(void *data), void *data)
{
	unsigned long flags = local_irq_save();
	int err = next_tick.fn ? -EBUSY : 0;

	if (!err) {
		next_tick.data = data;
		next_tick.fn = fn;
	}
	local_irq_restore(flags);
	return err;
}

void time_init(void)
{
	u32 latch = (PIT_TICK_RATE + HZ / 2) / HZ;

	outb(PIT_MODE_CH0_RATE, PIT_MODE);
	outb(latch & 0xff, PIT_CH0);
	outb(latch >> 8, PIT_CH0);
	if (request_irq(IRQ_TIMER, timer_interrupt))
		panic("time_init: IRQ 0 is taken");
	pr_info("clocksource: PIT tick at %u Hz (latch %u), TSC for time\n", HZ, latch);
}

/* Local APIC timer ticks since this CPU last folded its vm counters. */
static DEFINE_PER_CPU(unsigned int, vmstat_ticks);

void local_timer_tick(void)
{
	this_cpu_inc(vmstat_ticks);
}

void cpu_idle_work(void)
{
	/*
	 * Linux's vmstat_update: once a second (sysctl_stat_interval) each CPU folds its
	 * counter diffs, from a workqueue, so never inside the interrupted update of a
	 * diff.  pagelab has no workqueues; the idle loop is the process context every
	 * CPU reaches.  A tick lost between the read and the reset only delays a fold.
	 */
	if (this_cpu_read(vmstat_ticks) >= HZ) {
		this_cpu_write(vmstat_ticks, 0);
		refresh_cpu_vm_stats(true);
	}
}

void cpu_idle(void)
{
	u64 t0;

	cpu_idle_work();
	t0 = rdtsc();

	safe_halt();
	/*
	 * An interrupt handler ran between the two reads; its few microseconds count as
	 * idle too, which is what Linux's idle accounting does at tick granularity anyway.
	 */
	local_irq_disable();
	idle_tsc += rdtsc() - t0;
	local_irq_enable();
}

u64 idle_time_ns(void)
{
	return tsc_cycles_to_ns(idle_tsc, tsc_khz);
}
