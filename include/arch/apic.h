/* SPDX-License-Identifier: MIT */
/*
 * The local APIC: one per CPU, reached as MMIO (xAPIC, at the MADT's address, mapped
 * uncached) or as MSRs (x2APIC, when the firmware left the CPU in that mode).  It gives
 * each CPU its own timer and lets CPUs interrupt each other (IPIs).  The 8259 PIC stays
 * the boot CPU's source of device interrupts: its output reaches the CPU through LINT0,
 * programmed as ExtINT ("virtual wire"), so the keyboard, COM1 and the PIT work as before.
 *
 *   vector  name (Linux's)                 what
 *   0xec    LOCAL_TIMER_VECTOR             the APIC timer, HZ per CPU (LOC in `cpus`)
 *   0xfb    CALL_FUNCTION_SINGLE_VECTOR    work queued by smp_call_function_*() (CAL)
 *   0xfd    RESCHEDULE_VECTOR              a kick: wake the target from hlt, nothing more
 *   0xfe    ERROR_APIC_VECTOR              the APIC's error interrupt
 *   0xff    SPURIOUS_APIC_VECTOR           an interrupt withdrawn before it was taken
 */
#ifndef PAGELAB_ARCH_APIC_H
#define PAGELAB_ARCH_APIC_H

#include "kernel/percpu.h"
#include "types.h"

#define LOCAL_TIMER_VECTOR 0xec
#define CALL_FUNCTION_SINGLE_VECTOR 0xfb
#define RESCHEDULE_VECTOR 0xfd
#define ERROR_APIC_VECTOR 0xfe
#define SPURIOUS_APIC_VECTOR 0xff

/* The per-CPU interrupt counts `cpus` prints, with the names of Linux's irq_cpustat_t. */
typedef struct {
	unsigned int apic_timer_irqs;  /* LOC: local timer interrupts */
	unsigned int irq_call_count;   /* CAL: function call interrupts */
	unsigned int irq_tlb_count;    /* TLB: TLB shootdowns received */
	unsigned int irq_resched_count; /* RES: kicks */
	unsigned int irq_spurious_count; /* SPU */
} irq_cpustat_t;

DECLARE_PER_CPU(irq_cpustat_t, irq_stat);

/* x2apic_mode - the boot CPU found its APIC in x2APIC mode (MSR access). */
extern bool x2apic_mode;

/* cpuid_to_apicid - each possible CPU's APIC id (filled from the MADT; -1u = unknown). */
extern u32 cpuid_to_apicid[];

/*
 * apic_bsp_setup - on the boot CPU, after init_IRQ() and time_init(): map the xAPIC (or
 * use x2APIC), enable it with the spurious vector, keep the PIC reachable through LINT0
 * (ExtINT) and NMIs through LINT1, calibrate the APIC timer against the TSC and start it
 * at HZ.  @lapic_phys is the MADT's (or the MSR's) register address.
 */
void apic_bsp_setup(phys_addr_t lapic_phys);

/* apic_ap_setup - the same on a secondary CPU: LINT0/1 masked, the calibrated timer. */
void apic_ap_setup(void);

/* read_apic_id - this CPU's APIC id (8 bits in xAPIC mode, 32 in x2APIC mode). */
u32 read_apic_id(void);

/* apic_send_IPI - send fixed-delivery @vector to the CPU with APIC id @apicid. */
void apic_send_IPI(u32 apicid, unsigned int vector);

/*
 * apic_wakeup_secondary_cpu - INIT, then two STARTUP IPIs with the SDM's delays (10 ms,
 * 200 us), to the CPU with APIC id @apicid, which starts in real mode at @start_eip
 * (page aligned, below 1 MiB).  Returns 0, or -EIO if the APIC says a send failed.
 */
int apic_wakeup_secondary_cpu(u32 apicid, unsigned long start_eip);

/* apic_eoi - end of interrupt: the APIC may deliver the next one of this priority. */
void apic_eoi(void);

/* udelay - spin @us microseconds on the TSC. */
void udelay(unsigned long us);

/* arch_send_call_function_single_ipi - interrupt @cpu with CALL_FUNCTION_SINGLE_VECTOR. */
void arch_send_call_function_single_ipi(unsigned int cpu);

/* arch_smp_kick - wake @cpu from hlt (RESCHEDULE_VECTOR); it does nothing else. */
void arch_smp_kick(unsigned int cpu);

#endif
