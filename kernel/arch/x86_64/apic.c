// SPDX-License-Identifier: MIT
/*
 * The local APIC (include/arch/apic.h): register access in either mode, the per-CPU
 * setup, the timer and its calibration, IPIs, and the interrupt handlers of the APIC's
 * own vectors.
 *
 * xAPIC registers are 16-byte apart MMIO words at the APIC base (0xfee00000 on PCs);
 * in x2APIC mode the same register at offset R is MSR 0x800 + R / 16, ICR is one 64-bit
 * MSR, and the APIC id is 32 bits wide.  Which one: IA32_APIC_BASE's EXTD bit, as the
 * firmware left it (QEMU's firmware leaves xAPIC unless there are CPUs with ids above
 * 254).  pagelab does not switch modes itself.
 *
 * The timer: periodic mode, divide by 16, a count calibrated once on the boot CPU by
 * letting it run down for 10 ms of TSC time; every CPU uses that count (one bus clock
 * for all, as on real boards).  The boot CPU keeps the PIT for jiffies, which nothing
 * else needs to change, and runs its APIC timer too, so that LOC counts the same on
 * every CPU.
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/memory.h"
#include "arch/pgtable.h"
#include "arch/ptrace.h"
#include "arch/setup.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "lib/errno.h"

#define MSR_IA32_APICBASE 0x1b
#define APICBASE_ENABLE (1ULL << 11)
#define APICBASE_X2APIC (1ULL << 10)
#define APICBASE_ADDR_MASK 0xfffff000ULL

#define APIC_ID 0x20
#define APIC_LVR 0x30
#define APIC_TASKPRI 0x80
#define APIC_EOI 0xb0
#define APIC_SPIV 0xf0
#define APIC_SPIV_ENABLE (1u << 8)
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define APIC_LVTT 0x320
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0

#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_TIMER_PERIODIC (1u << 17)
#define APIC_DM_FIXED 0x000
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_STARTUP 0x600
#define APIC_DM_EXTINT 0x700
#define APIC_ICR_BUSY (1u << 12)
#define APIC_INT_ASSERT (1u << 14)
#define APIC_INT_LEVELTRIG (1u << 15)
#define APIC_TDR_DIV_16 0x3

bool x2apic_mode;
u32 cpuid_to_apicid[NR_CPUS];
DEFINE_PER_CPU(irq_cpustat_t, irq_stat);

static volatile u32 *apic_mmio;
static u32 lapic_timer_period; /* timer counts per tick (1/HZ s) at divide 16 */

static u32 apic_read(u32 reg)
{
	if (x2apic_mode)
		return (u32)rdmsr(0x800 + (reg >> 4));
	return apic_mmio[reg / 4];
}

static void apic_write(u32 reg, u32 v)
{
	if (x2apic_mode)
		wrmsr(0x800 + (reg >> 4), v);
	else
		apic_mmio[reg / 4] = v;
}

u32 read_apic_id(void)
{
	u32 id = apic_read(APIC_ID);

	return x2apic_mode ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void udelay(unsigned long us)
{
	u64 start = rdtsc(), cycles = (u64)us * (tsc_khz ? tsc_khz : 1000000) / 1000;

	while (rdtsc() - start < cycles)
		cpu_relax();
}

/* Send one ICR command; xAPIC waits for the previous one to leave first. */
static int apic_icr_write(u32 low, u32 apicid)
{
	int i;

	if (x2apic_mode) {
		/* x2APIC has no busy bit: the write is the send, and it is not serialising. */
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(0x800 + (APIC_ICR >> 4), ((u64)apicid << 32) | low);
		return 0;
	}
	for (i = 0; i < 100000 && (apic_read(APIC_ICR) & APIC_ICR_BUSY); i++)
		cpu_relax();
	apic_write(APIC_ICR2, apicid << 24);
	apic_write(APIC_ICR, low);
	for (i = 0; i < 100000 && (apic_read(APIC_ICR) & APIC_ICR_BUSY); i++)
		cpu_relax();
	return (apic_read(APIC_ICR) & APIC_ICR_BUSY) ? -EIO : 0;
}

void apic_send_IPI(u32 apicid, unsigned int vector)
{
	unsigned long flags = local_irq_save(); /* ICR2 then ICR: not split by a handler's IPI */

	apic_icr_write(APIC_DM_FIXED | vector, apicid);
	local_irq_restore(flags);
}

void arch_send_call_function_single_ipi(unsigned int cpu)
{
	apic_send_IPI(cpuid_to_apicid[cpu], CALL_FUNCTION_SINGLE_VECTOR);
}

void arch_smp_kick(unsigned int cpu)
{
	apic_send_IPI(cpuid_to_apicid[cpu], RESCHEDULE_VECTOR);
}

int apic_wakeup_secondary_cpu(u32 apicid, unsigned long start_eip)
{
	int err;

	if (!x2apic_mode)
		apic_write(APIC_ESR, 0);
	/* INIT assert, then (xAPIC only) deassert, as the MP specification's sequence has it. */
	err = apic_icr_write(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT, apicid);
	if (!err && !x2apic_mode)
		err = apic_icr_write(APIC_INT_LEVELTRIG | APIC_DM_INIT, apicid);
	udelay(10000);
	for (int i = 0; i < 2 && !err; i++) {
		err = apic_icr_write(APIC_DM_STARTUP | (start_eip >> 12), apicid);
		udelay(200);
	}
	return err;
}

static void apic_start_timer(void)
{
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, lapic_timer_period);
}

/* Let the timer run down from its maximum for 10 ms of TSC time; scale to one tick. */
static void calibrate_APIC_clock(void)
{
	u32 left;

	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffffu);
	udelay(10000);
	left = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	lapic_timer_period = (u32)((0xffffffffu - left) * 100ULL / HZ);
	if (lapic_timer_period < 100)
		lapic_timer_period = 100; /* a nonsense reading must not flood the CPU */
	pr_info("APIC timer: %u counts per tick at divide 16, bus %llu kHz\n", lapic_timer_period,
		(u64)lapic_timer_period * 16 * HZ / 1000);
}

/* What every CPU does: enabled, spurious vector, no priority filter, errors reported. */
static void setup_local_APIC(bool bsp)
{
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);
	/* Virtual wire on the boot CPU only: the PIC's output must reach exactly one CPU. */
	apic_write(APIC_LVT0, bsp ? APIC_DM_EXTINT : APIC_LVT_MASKED | APIC_DM_EXTINT);
	apic_write(APIC_LVT1, bsp ? APIC_DM_NMI : APIC_LVT_MASKED | APIC_DM_NMI);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	if (!x2apic_mode) {
		apic_write(APIC_ESR, 0);
		apic_write(APIC_ESR, 0);
	}
	apic_eoi(); /* anything the firmware left in service */
}

extern const u64 apic_stubs[]; /* entry.S: 0xec, 0xfb, 0xfd, 0xfe, 0xff */
void idt_set_interrupt_gate(unsigned int vector, u64 handler); /* idt.c */

void apic_bsp_setup(phys_addr_t lapic_phys)
{
	static const unsigned int vectors[] = { LOCAL_TIMER_VECTOR, CALL_FUNCTION_SINGLE_VECTOR,
						RESCHEDULE_VECTOR, ERROR_APIC_VECTOR,
						SPURIOUS_APIC_VECTOR };
	u64 base = rdmsr(MSR_IA32_APICBASE);
	unsigned long flags;

	if (!(cpuid_edx(1) & (1u << 9))) {
		pr_warn("APIC: the CPU has no local APIC: one CPU, no APIC timer\n");
		return;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(vectors); i++)
		idt_set_interrupt_gate(vectors[i], apic_stubs[i]);
	x2apic_mode = (base & (APICBASE_ENABLE | APICBASE_X2APIC)) ==
		      (APICBASE_ENABLE | APICBASE_X2APIC);
	if (!x2apic_mode) {
		if (!lapic_phys)
			lapic_phys = base & APICBASE_ADDR_MASK;
		if (!(base & APICBASE_ENABLE))
			wrmsr(MSR_IA32_APICBASE, (base & ~APICBASE_ADDR_MASK) | lapic_phys |
						 APICBASE_ENABLE);
		apic_mmio = ioremap_fixmap(lapic_phys, PAGE_SIZE);
		if (!apic_mmio)
			panic("APIC: cannot map the local APIC at %#llx", (u64)lapic_phys);
	}
	flags = local_irq_save();
	setup_local_APIC(true);
	pr_info("APIC: %s mode, boot CPU APIC id %#x, version %#x%s\n",
		x2apic_mode ? "x2apic" : "xapic", read_apic_id(), apic_read(APIC_LVR) & 0xff,
		x2apic_mode ? "" : ", registers mapped uncached");
	calibrate_APIC_clock();
	apic_start_timer();
	local_irq_restore(flags);
}

void apic_ap_setup(void)
{
	if (!x2apic_mode && !apic_mmio)
		return;
	if (x2apic_mode) /* each CPU's mode is its own: follow the boot CPU's */
		wrmsr(MSR_IA32_APICBASE, rdmsr(MSR_IA32_APICBASE) | APICBASE_ENABLE | APICBASE_X2APIC);
	setup_local_APIC(false);
	apic_start_timer();
}

void flush_smp_call_function_queue(void); /* kernel/smp.c */

/* Called from entry.S for the APIC's vectors, interrupts disabled. */
void do_apic_irq(struct pt_regs *regs);
void do_apic_irq(struct pt_regs *regs)
{
	irq_enter();
	switch (regs->vector) {
	case LOCAL_TIMER_VECTOR:
		this_cpu_inc(irq_stat.apic_timer_irqs);
		local_timer_tick();
		apic_eoi();
		break;
	case CALL_FUNCTION_SINGLE_VECTOR:
		this_cpu_inc(irq_stat.irq_call_count);
		apic_eoi(); /* first: a call queued while the list runs sends a new IPI */
		flush_smp_call_function_queue();
		break;
	case RESCHEDULE_VECTOR:
		this_cpu_inc(irq_stat.irq_resched_count);
		apic_eoi();
		break;
	case ERROR_APIC_VECTOR:
		if (!x2apic_mode)
			apic_write(APIC_ESR, 0);
		apic_eoi();
		break;
	default: /* spurious: not in service, so no EOI */
		this_cpu_inc(irq_stat.irq_spurious_count);
		break;
	}
	irq_exit();
}
