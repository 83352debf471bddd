// SPDX-License-Identifier: MIT
/*
 * The interrupt descriptor table: the 32 CPU exceptions, each pointing at a stub in
 * entry.S that saves the registers and calls do_exception() (traps.c), and the 16
 * PIC interrupts at 0x20-0x2f, which init_IRQ() (irq.c) installs the same way.
 * The double fault (vector 8) runs on its own stack (IST1, see gdt.c), so even a
 * kernel stack overflow ends in an oops on the console instead of a silent reset.
 */
#include "arch/setup.h"

#define NR_EXCEPTIONS 32
#define GATE_INTERRUPT 0x8e /* present, ring 0, 64-bit interrupt gate (IF cleared) */
#define IST_DOUBLE_FAULT 1

struct idt_entry {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

_Static_assert(sizeof(struct idt_entry) == 16, "64-bit gate descriptor");

static struct idt_entry idt[256] __attribute__((aligned(16)));
extern const u64 exception_stubs[NR_EXCEPTIONS];

static void set_gate(unsigned int vector, u64 handler, u8 ist)
{
	struct idt_entry *e = &idt[vector];

	e->offset_low = handler & 0xffff;
	e->selector = __KERNEL_CS;
	e->ist = ist;
	e->type_attr = GATE_INTERRUPT;
	e->offset_mid = (handler >> 16) & 0xffff;
	e->offset_high = handler >> 32;
}

/* idt_set_interrupt_gate - point @vector at @handler, on the current stack. */
void idt_set_interrupt_gate(unsigned int vector, u64 handler);
void idt_set_interrupt_gate(unsigned int vector, u64 handler)
{
	set_gate(vector, handler, 0);
}

void idt_load(void)
{
	struct __packed {
		u16 limit;
		u64 base;
	} p = { sizeof(idt) - 1, (u64)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

void idt_init(void)
{
	for (unsigned int v = 0; v < NR_EXCEPTIONS; v++)
		set_gate(v, exception_stubs[v], v == 8 ? IST_DOUBLE_FAULT : 0);
	idt_load();
}
