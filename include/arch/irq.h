/* SPDX-License-Identifier: MIT */
/*
 * Hardware interrupts: the legacy 8259 PIC pair, the vectors it raises, and the
 * interrupt flag.
 *
 *   device          ISA line   PIC pin      vector   handler
 *   PIT channel 0   IRQ 0      master 0     0x20     timer_interrupt (kernel/arch/x86_64/time.c)
 *   keyboard 8042   IRQ 1      master 1     0x21     kbd_interrupt (kernel/arch/x86_64/keyboard.c)
 *   (cascade)       IRQ 2      master 2     -        the slave PIC's output
 *   COM1 16550      IRQ 4      master 4     0x24     serial_interrupt (kernel/arch/x86_64/serial.c)
 *   ...             IRQ 8-15   slave 0-7    0x28-2f  (masked)
 *
 * Vectors 0-31 belong to CPU exceptions, so the PICs are reprogrammed to start at 0x20
 * (Linux uses the same base, ISA_IRQ_VECTOR(0) = 0x30 nowadays, 0x20 historically).
 * Handlers run with interrupts disabled (the IDT uses interrupt gates) and never nest.
 */
#ifndef PAGELAB_ARCH_IRQ_H
#define PAGELAB_ARCH_IRQ_H

#include "arch/cpu.h"
#include "types.h"

#define NR_IRQS 16
#define IRQ0_VECTOR 0x20 /* the vector of IRQ 0; IRQ n arrives at IRQ0_VECTOR + n */

#define IRQ_TIMER 0
#define IRQ_KEYBOARD 1
#define IRQ_CASCADE 2
#define IRQ_COM1 4

typedef void (*irq_handler_t)(unsigned int irq);

/*
 * init_IRQ - remap both PICs to vectors 0x20-0x2f, mask every line but the cascade, and
 * point the IDT's vectors 0x20-0x2f at the entry stubs.  Interrupts stay disabled
 * (the CPU's IF flag); call local_irq_enable() once the handlers are in place.
 */
void init_IRQ(void);

/*
 * request_irq - run @handler for every interrupt on ISA line @irq and unmask the line.
 * One handler per line (no sharing).  Returns 0, or -EINVAL for a bad line, -EBUSY if
 * the line already has a handler.
 */
int request_irq(unsigned int irq, irq_handler_t handler);

/* irq_enter, irq_exit - bracket an interrupt handler, for in_interrupt() (per CPU). */
void irq_enter(void);
void irq_exit(void);

/* in_interrupt - whether this CPU is running an interrupt handler right now. */
bool in_interrupt(void);

/* Statistics for `irqs` style output: how many interrupts line @irq has delivered. */
u64 irq_count(unsigned int irq);
u64 irq_spurious_count(void);

/* Linux's names for cli() and sti() (arch/cpu.h), used where the reason is the IRQ state. */
static __always_inline void local_irq_disable(void) { cli(); }
static __always_inline void local_irq_enable(void) { sti(); }

/* local_irq_save - disable interrupts and return the old RFLAGS, for _restore. */
static inline unsigned long local_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & 0x200) /* IF */
		local_irq_enable();
}

static inline bool irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return !(flags & 0x200);
}

/*
 * safe_halt - enable interrupts and halt until one arrives, with no window between:
 * `sti` takes effect only after the instruction that follows it, so an interrupt that
 * is already pending is delivered *after* `hlt` has started and wakes it.  A plain
 * "sti; <check>; hlt" could take the interrupt before hlt and then sleep through the
 * event it was waiting for.  Call with interrupts disabled, after checking the wait
 * condition; returns with interrupts enabled.
 */
static inline void safe_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

#endif
