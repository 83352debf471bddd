/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for include/arch/irq.h: a test process has no interrupts to mask, and
 * cli/sti would fault in user mode.  The interrupt flag is a variable instead, so a
 * test can check that code under test leaves it as it found it, and an "interrupt
 * handler" is whatever the test calls (console_input(), say) between two steps.
 *
 * The flag is a weak definition in this header, as host_io is in arch/io.h: one copy
 * per test binary, however many files include it.  It is per thread (_Thread_local),
 * as the real flag is per CPU: a test whose threads play CPUs (the lock tests) has
 * each turn its own interrupts off and on.
 */
#ifndef PAGELAB_HOST_ARCH_IRQ_H
#define PAGELAB_HOST_ARCH_IRQ_H

#include "types.h"

__attribute__((weak)) _Thread_local bool host_irqs_disabled;

static inline void local_irq_disable(void) { host_irqs_disabled = true; }
static inline void local_irq_enable(void) { host_irqs_disabled = false; }
static inline bool irqs_disabled(void) { return host_irqs_disabled; }

/* The IF bit of RFLAGS, as the real local_irq_save() returns it. */
static inline unsigned long local_irq_save(void)
{
	unsigned long flags = host_irqs_disabled ? 0 : 0x200;

	host_irqs_disabled = true;
	return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & 0x200)
		host_irqs_disabled = false;
}

#endif
