/* SPDX-License-Identifier: MIT */
/* Early x86-64 CPU setup called from start_kernel(); each must run once, in this order. */
#ifndef PAGELAB_ARCH_SETUP_H
#define PAGELAB_ARCH_SETUP_H

#include "types.h"

/* Kernel segment selectors, the same numbers as Linux's so oops lines read alike. */
#define __KERNEL_CS 0x10
#define __KERNEL_DS 0x18
#define GDT_TSS_SEL 0x20

/* gdt_init - load the kernel's GDT and TSS (with the double-fault stack). */
void gdt_init(void);

/*
 * cpu_load_gdt - load CPU @cpu's own GDT and TSS (per-CPU), with @ist1_top as the top of
 * its double-fault stack, then point GS at its per-CPU area.  Runs on that CPU.
 */
void cpu_load_gdt(unsigned int cpu, u64 ist1_top);

/* idt_init - install handlers for the 32 CPU exceptions; each prints an oops. */
void idt_init(void);

/* idt_load - load the (shared) IDT on this CPU: the secondary CPUs' half of idt_init. */
void idt_load(void);

/*
 * tsc_init - measure the TSC frequency against the PIT (channel 2, 10 ms windows until
 * they bound it within 500 ppm, at most 8; include/arch/tsc.h for the rest of the story).
 * Returns the frequency in kHz; on failure (no PIT) assumes 1 GHz, which
 * tsc_print_calibration() reports.
 */
u64 tsc_init(void);

extern u64 boot_tsc; /* TSC at kernel entry, read by head.S */
extern u64 tsc_khz;

/* Nanoseconds since kernel entry (Linux's local_clock()); 0 before tsc_init(). */
u64 local_clock(void);

#endif
