/* SPDX-License-Identifier: MIT */
/*
 * Time: the periodic tick, uptime and idle time.
 *
 * Two clocks, as in Linux.  `jiffies` counts timer interrupts (HZ per second) and is
 * what "wake me in a while" code uses.  Wall-clock-like readings - printk stamps,
 * `uptime` - come from local_clock() (arch/setup.h): the TSC, calibrated against the
 * PIT at boot and counted from kernel entry, which is finer than a tick and keeps
 * counting while interrupts are off.
 */
#ifndef PAGELAB_KERNEL_TIME_H
#define PAGELAB_KERNEL_TIME_H

#include "types.h"

#define HZ 100 /* ticks per second; Linux's default for servers is 250, 100 is plenty here */

extern volatile u64 jiffies;

/*
 * call_on_next_tick - have the next timer interrupt call @fn(@data), once.  @fn runs in
 * interrupt context: interrupts off, on the interrupted code's stack, so it must be short
 * and must neither sleep nor wait for another interrupt.  One call can be pending at a
 * time.  Returns 0, or -EBUSY (and changes nothing) if another call is still pending.
 * Ticks arrive only after time_init() and once interrupts are enabled.  (Linux has no
 * such call: code that must run from interrupt context queues an irq_work or arms a
 * timer.  One slot is all the shell's `crash irq` needs.)
 */
int call_on_next_tick(void (*fn)(void *data), void *data);

/*
 * time_init - program PIT channel 0 to interrupt HZ times a second and install the
 * tick handler.  Needs init_IRQ() first; ticks arrive once interrupts are enabled.
 */
void time_init(void);

/*
 * cpu_idle - sleep until the next interrupt and count the time slept as idle.  Call
 * with interrupts disabled, after checking that there is nothing to do (see safe_halt
 * in arch/irq.h for why); returns with interrupts enabled, after the handler ran.
 */
void cpu_idle(void);

/*
 * local_timer_tick - each CPU's local APIC timer interrupt calls it, HZ times a second.
 * cpu_idle_work - what a CPU does in its idle loop before it sleeps (the once-a-second
 * fold of its vm counter diffs); any context, interrupts on or off.
 */
void local_timer_tick(void);
void cpu_idle_work(void);

/* idle_time_ns - nanoseconds spent in cpu_idle() since boot (the second /proc/uptime field). */
u64 idle_time_ns(void);

#endif
