// SPDX-License-Identifier: MIT
/*
 * Hardware interrupts through the 8259 PIC pair.
 *
 * Why the PIC and not the I/O APIC: pagelab needs three ISA devices (PIT, keyboard,
 * COM1).  Every PC QEMU models (pc and q35) still has the two 8259s with those devices
 * wired to them, and programming them takes a dozen port writes.  The I/O APIC route
 * needs the MADT's I/O APICs and interrupt source overrides (on PCs the PIT's IRQ 0
 * arrives on GSI 2).  With several CPUs the PIC's output still reaches the boot CPU, as
 * ExtINT on its local APIC's LINT0 (apic.c); the local APICs carry the timers and IPIs.
 *
 *          +-----------+  INTR   +-----+
 *   IRQ0 ->| master    |-------->| CPU |   vector = 0x20 + pin on the master
 *   IRQ1 ->| 0x20/0x21 |         +-----+
 *   IRQ2 <-|-----------+--+
 *   ...    +-----------+  |  cascade
 *          +-----------+  |
 *   IRQ8 ->| slave     |--+         vector = 0x28 + pin on the slave
 *   ...    | 0xa0/0xa1 |
 *          +-----------+
 *
 * Spurious interrupts: when a line drops before the CPU acknowledges it, the PIC
 * reports its lowest-priority pin (7 on either chip).  Such an IRQ 7 or 15 is
 * recognised by its in-service bit being clear; it gets no EOI from the chip that did
 * not raise it (the master still needs one for a spurious IRQ 15, through the cascade).
 */
#include "arch/io.h"
#include "arch/irq.h"
#include "arch/ptrace.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "lib/errno.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT 0x11 /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086 0x01
#define OCW3_READ_ISR 0x0b
#define PIC_EOI 0x20

static irq_handler_t irq_handlers[NR_IRQS];
static u64 irq_counts[NR_IRQS];
static u64 spurious_count;
static u16 irq_mask = 0xffff & ~(1u << IRQ_CASCADE); /* bit set = line masked */
static DEFINE_PER_CPU(int, irq_depth); /* per CPU: a handler runs on one CPU only */

extern const u64 irq_stubs[NR_IRQS]; /* entry.S */
void idt_set_interrupt_gate(unsigned int vector, u64 handler); /* idt.c */

static void pic_write_mask(void)
{
	outb(irq_mask & 0xff, PIC1_DATA);
	outb(irq_mask >> 8, PIC2_DATA);
}

/* An extra port write gives the old chips time between commands (io_delay in Linux). */
static void io_delay(void)
{
	outb(0, 0x80);
}

void init_IRQ(void)
{
	static const u8 icw[2][4] = {
		/* port,  ICW2 (vector base),   ICW3 (cascade wiring),        ICW4 */
		{ PIC1_CMD, IRQ0_VECTOR, 1u << IRQ_CASCADE, ICW4_8086 },
		{ PIC2_CMD, IRQ0_VECTOR + 8, IRQ_CASCADE, ICW4_8086 },
	};

	for (int i = 0; i < 2; i++) {
		u16 cmd = icw[i][0];

		outb(ICW1_INIT, cmd), io_delay();
		outb(icw[i][1], cmd + 1), io_delay();
		outb(icw[i][2], cmd + 1), io_delay();
		outb(icw[i][3], cmd + 1), io_delay();
	}
	pic_write_mask();
	for (unsigned int irq = 0; irq < NR_IRQS; irq++)
		idt_set_interrupt_gate(IRQ0_VECTOR + irq, irq_stubs[irq]);
}

int request_irq(unsigned int irq, irq_handler_t handler)
{
	unsigned long flags;

	if (irq >= NR_IRQS || irq == IRQ_CASCADE || !handler)
		return -EINVAL;
	if (irq_handlers[irq])
		return -EBUSY;
	flags = local_irq_save();
	irq_handlers[irq] = handler;
	irq_mask &= ~(1u << irq);
	pic_write_mask();
	local_irq_restore(flags);
	return 0;
}

void irq_enter(void)
{
	this_cpu_inc(irq_depth);
}

void irq_exit(void)
{
	this_cpu_dec(irq_depth);
}

bool in_interrupt(void)
{
	return this_cpu_read(irq_depth) > 0;
}

u64 irq_count(unsigned int irq)
{
	return irq < NR_IRQS ? irq_counts[irq] : 0;
}

u64 irq_spurious_count(void)
{
	return spurious_count;
}

static bool pic_in_service(u16 cmd_port, unsigned int pin)
{
	outb(OCW3_READ_ISR, cmd_port);
	return inb(cmd_port) & (1u << pin);
}

/* Spurious IRQ 7 / 15: see the overview.  Returns true if @irq was one. */
static bool irq_is_spurious(unsigned int irq)
{
	if (irq == 7 && !pic_in_service(PIC1_CMD, 7))
		return true;
	if (irq == 15 && !pic_in_service(PIC2_CMD, 7)) {
		outb(PIC_EOI, PIC1_CMD); /* the master did see an interrupt on the cascade */
		return true;
	}
	return false;
}

static void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC_EOI, PIC2_CMD);
	outb(PIC_EOI, PIC1_CMD);
}

/* Called from entry.S for vectors 0x20-0x2f, interrupts disabled. */
void do_irq(struct pt_regs *regs);
void do_irq(struct pt_regs *regs)
{
	unsigned int irq = regs->vector - IRQ0_VECTOR;

	if (irq >= NR_IRQS || irq_is_spurious(irq)) {
		spurious_count++;
		return;
	}
	irq_enter();
	irq_counts[irq]++;
	if (irq_handlers[irq])
		irq_handlers[irq](irq);
	/*
	 * EOI after the handler: the PIC then holds back this line and lower-priority
	 * ones until we are done, though with interrupt gates nothing could nest anyway.
	 */
	pic_eoi(irq);
	irq_exit();
}
