// SPDX-License-Identifier: MIT
/*
 * Finding the CPUs and starting them (Linux's arch/x86/kernel/smpboot.c and
 * topology.c, in pagelab's own code; docs/mm/smp.md tells the whole story).
 *
 *   prefill_possible_map()  after acpi_init(): the MADT's CPUs -> possible mask, APIC ids
 *   setup_per_cpu_areas()   (setup_percpu.c) one per-CPU area per possible CPU
 *   smp_init()              once interrupts work: the trampoline page is filled in, then
 *                           for each present CPU: stacks, INIT-SIPI-SIPI, wait until it
 *                           says it is online (or a timeout: reported and skipped)
 *   start_secondary()       on the new CPU: its GDT/TSS and GS base, the kernel's page
 *                           tables, the IDT, its local APIC and timer, online, idle
 *
 * CPUs are started one at a time: the trampoline and smpboot_stack are shared.
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/memory.h"
#include "arch/memory_setup.h"
#include "arch/pgtable.h"
#include "arch/setup.h"
#include "arch/traps.h"
#include "firmware/acpi.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"

#define MSR_EFER 0xc0000080
#define EFER_LMA (1ULL << 10)
#define THREAD_SIZE_ORDER 2      /* 16 KiB kernel stacks, as the boot CPU's */
#define IST_ORDER 1              /* 8 KiB double-fault stacks */
#define AP_CALLIN_TIMEOUT_MS 5000

/* Read by secondary_startup_64 (head.S) and start_secondary(): one CPU at a time. */
u64 smpboot_stack;
static u64 smpboot_ist;
static unsigned int smpboot_cpu;
static u64 smpboot_cr0, smpboot_cr3;
static phys_addr_t lapic_phys;
static unsigned long cpu_present_mask = 1;

extern const char trampoline_start[], trampoline_end[], tr_gdt[], pm_entry[], lm_entry[];
extern char tr_gdt_desc[], tr_pm_jump[], tr_lm_jump[], tr_cr3[], tr_cr4[], tr_efer[], tr_entry[];
extern char secondary_startup_64[];

/* The boot CPU's APIC id, from CPUID (leaf 0xb's 32 bits when x2APIC is on). */
static u32 boot_cpu_apic_id(void)
{
	if ((rdmsr(0x1b) & (3ULL << 10)) == (3ULL << 10) && cpuid_eax(0) >= 0xb)
		return cpuid_edx(0xb);
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

void prefill_possible_map(void)
{
	static struct acpi_madt_info info; /* 800 bytes: not on the boot stack */
	unsigned int limit = MIN(nr_cpus_limit, (unsigned int)NR_CPUS);
	u32 boot_id = boot_cpu_apic_id();

	cpuid_to_apicid[0] = boot_id;
	if (!acpi_madt()) {
		pr_info("smpboot: no MADT: only the boot CPU\n");
		return;
	}
	pr_info("ACPI: Using ACPI (MADT) for SMP configuration information\n");
	if (acpi_madt_parse(acpi_madt(), boot_id, limit, &info)) {
		pr_err("smpboot: malformed MADT: only the boot CPU\n");
		return;
	}
	lapic_phys = info.lapic_addr;
	for (unsigned int i = 0; i < info.nr_cpus; i++) {
		set_cpu_possible(i, true);
		cpuid_to_apicid[i] = info.cpu[i].apic_id;
		if (info.cpu[i].present)
			cpu_present_mask |= 1UL << i;
	}
	pr_info("CPU topo: Allowing %u present CPUs plus %u hotplug CPUs\n", info.nr_present,
		info.nr_hotplug);
	if (info.nr_rejected) {
		pr_info("CPU topo: Rejected CPUs %u\n", info.nr_rejected);
		pr_warn("smpboot: %u CPUs beyond the limit of %u (NR_CPUS=%u, nr_cpus=%u) stay off\n",
			info.nr_rejected, limit, NR_CPUS, nr_cpus_limit);
	}
}

phys_addr_t smp_lapic_phys(void)
{
	return lapic_phys;
}

/*
 * Fill the low page's copy of the trampoline: its code, the addresses that depend on
 * where it is, and page tables that map both the low 2 MiB (where it runs when paging
 * comes on) and the kernel's upper half (where it jumps).
 */
static void setup_trampoline(phys_addr_t base)
{
	u8 *page = __va(base);
	u64 *pgd = __va(base + PAGE_SIZE), *pud = __va(base + 2 * PAGE_SIZE);
	u64 *pmd = __va(base + 3 * PAGE_SIZE), *kernel_pgd = __va(read_cr3() & PTE_PFN_MASK);
	size_t size = trampoline_end - trampoline_start;

#define TR_FIELD(sym, type) (*(type *)(page + ((sym) - trampoline_start)))
	memcpy(page, trampoline_start, size);
	memcpy((u8 *)page + (tr_gdt_desc - trampoline_start) + 2,
	       &(u32){ (u32)base + (u32)(tr_gdt - trampoline_start) }, 4);
	TR_FIELD(tr_pm_jump, u32) = (u32)base + (u32)(pm_entry - trampoline_start);
	TR_FIELD(tr_lm_jump, u32) = (u32)base + (u32)(lm_entry - trampoline_start);
	TR_FIELD(tr_cr3, u64) = base + PAGE_SIZE;
	TR_FIELD(tr_cr4, u64) = read_cr4();
	TR_FIELD(tr_efer, u64) = rdmsr(MSR_EFER) & ~EFER_LMA;
	TR_FIELD(tr_entry, u64) = (u64)secondary_startup_64;
#undef TR_FIELD

	memset(pgd, 0, 3 * PAGE_SIZE);
	memcpy(pgd + 256, kernel_pgd + 256, 256 * sizeof(u64)); /* the kernel's half */
	pgd[0] = (base + 2 * PAGE_SIZE) | _PAGE_PRESENT | _PAGE_RW;
	pud[0] = (base + 3 * PAGE_SIZE) | _PAGE_PRESENT | _PAGE_RW;
	pmd[0] = _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;          /* 0-2 MiB, executable */
	smpboot_cr0 = read_cr0();
	smpboot_cr3 = read_cr3();
}

/* ---- the secondary CPU's side ---- */

struct idle_work {
	void (*fn)(void *arg);
	void *arg;
	bool busy; /* posted and not finished: the slot cannot be reused */
};

static struct idle_work idle_works[NR_CPUS];
static DEFINE_PER_CPU(struct idle_work *, idle_work);

int smp_post_idle_work(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct idle_work *w;

	if (cpu >= NR_CPUS || !cpu_online(cpu) || cpu == smp_processor_id())
		return -ENXIO;
	w = &idle_works[cpu];
	if (__atomic_load_n(&w->busy, __ATOMIC_ACQUIRE))
		return -EBUSY;
	w->fn = fn;
	w->arg = arg;
	w->busy = true;
	__atomic_store_n(per_cpu_ptr(&idle_work, cpu), w, __ATOMIC_RELEASE);
	arch_smp_kick(cpu);
	return 0;
}

bool smp_idle_work_done(unsigned int cpu)
{
	return cpu >= NR_CPUS || !__atomic_load_n(&idle_works[cpu].busy, __ATOMIC_ACQUIRE);
}

bool smp_run_idle_work(void)
{
	struct idle_work *w = __atomic_exchange_n(this_cpu_ptr(&idle_work), NULL, __ATOMIC_ACQUIRE);
	unsigned long flags;

	if (!w)
		return false;
	flags = local_irq_save();
	local_irq_enable();
	w->fn(w->arg);
	__atomic_store_n(&w->busy, false, __ATOMIC_RELEASE);
	local_irq_restore(flags);
	if (!(flags & 0x200))
		local_irq_disable();
	return true;
}

/*
 * A secondary CPU's life after bring-up: sleep in hlt with interrupts on (IPIs and its
 * timer wake it), and run what smp_post_idle_work() left for it, with interrupts on.
 * The check and the hlt are one step with interrupts off (safe_halt), so a kick that
 * comes in between still wakes the hlt.
 */
static __noreturn void cpu_idle_loop(void)
{
	for (;;) {
		cpu_idle_work();
		local_irq_disable();
		if (!this_cpu_read(idle_work)) {
			safe_halt();
			continue;
		}
		smp_run_idle_work();
	}
}

void start_secondary(void);
__noreturn void start_secondary(void)
{
	unsigned int cpu = smpboot_cpu;

	write_cr0(smpboot_cr0);          /* caches on (CD/NW off), WP, as the boot CPU */
	cpu_load_gdt(cpu, smpboot_ist);  /* own GDT/TSS, then GS: this_cpu_*() work */
	write_cr3(smpboot_cr3);          /* the kernel's tables: the low identity map goes */
	idt_load();
	set_task_stack(smpboot_stack - (PAGE_SIZE << THREAD_SIZE_ORDER), smpboot_stack);
	apic_ap_setup();                 /* its local APIC and timer */
	set_cpu_online(cpu, true);       /* what the boot CPU waits for */
	cpu_idle_loop();
}

/* ---- the boot CPU's side ---- */

static int do_boot_cpu(unsigned int cpu)
{
	unsigned long stack = __get_free_pages(GFP_KERNEL, THREAD_SIZE_ORDER);
	unsigned long ist = __get_free_pages(GFP_KERNEL, IST_ORDER);
	u64 start;

	if (!stack || !ist) {
		if (stack)
			free_pages(stack, THREAD_SIZE_ORDER);
		if (ist)
			free_pages(ist, IST_ORDER);
		return -ENOMEM;
	}
	smpboot_stack = stack + (PAGE_SIZE << THREAD_SIZE_ORDER);
	smpboot_ist = ist + (PAGE_SIZE << IST_ORDER);
	smpboot_cpu = cpu;
	/* Linux's CPU hotplug callbacks of mm: the per-cpu lists' high shares one more CPU. */
	page_alloc_cpu_online(cpu);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (smpboot_silent_mask >> cpu & 1) {
		/*
		 * smpboot_silent=N (pagelab's test switch; Linux has none): no IPI at all, so
		 * the CPU stays where reset left it and never answers, as a dead one would.
		 * QEMU cannot keep a vCPU silent; this tests the timeout below and a present
		 * CPU that is not online, which nothing may wait for.
		 */
	} else if (apic_wakeup_secondary_cpu(cpuid_to_apicid[cpu], real_mode_trampoline)) {
		page_alloc_cpu_dead(cpu);
		return -EIO; /* stacks kept: the CPU may still wake up and use them */
	}
	start = rdtsc();
	while (!cpu_online(cpu)) {
		if (rdtsc() - start > (u64)AP_CALLIN_TIMEOUT_MS * tsc_khz) {
			page_alloc_cpu_dead(cpu); /* its lists are empty: high goes back */
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	vmstat_cpu_online(cpu); /* stat thresholds for the new count of CPUs */
	/* meminfo's KernelStack counts each CPU's stack, as the boot CPU's (main.c). */
	mod_node_page_state(NODE_DATA(0), NR_KERNEL_STACK_KB, (PAGE_SIZE << THREAD_SIZE_ORDER) / 1024);
	return 0;
}

static unsigned int num_digits(unsigned int n)
{
	unsigned int d = 1;

	while (n >= 10)
		n /= 10, d++;
	return d;
}

void smp_init(void)
{
	unsigned int cpu, width = num_digits(num_possible_cpus()) + 1;
	bool announced = false;
	u64 bogomips;

	apic_bsp_setup(lapic_phys);
	pr_info("smp: Bringing up secondary CPUs ...\n");
	if (cpu_present_mask & ~1UL) {
		if (!real_mode_trampoline)
			pr_warn("smpboot: no trampoline page below 1 MiB: the other CPUs stay off\n");
		else
			setup_trampoline(real_mode_trampoline);
	}
	for_each_possible_cpu(cpu) {
		int err;

		if (cpu == 0 || !(cpu_present_mask >> cpu & 1) || !real_mode_trampoline)
			continue;
		if (!announced) {
			pr_info("smpboot: x86: Booting SMP configuration:\n");
			pr_info(".... node  #0, CPUs:  %*s", width + 1, " ");
			announced = true;
		}
		pr_cont("%*s#%u", (int)(width - num_digits(cpu)), " ", cpu);
		err = do_boot_cpu(cpu);
		if (err) {
			pr_cont("\n");
			pr_err("smpboot: CPU%u (APIC id %#x) did not come up (%s): skipped\n", cpu,
			       cpuid_to_apicid[cpu], err == -ETIMEDOUT ? "no answer within 5 s" :
			       err == -ENOMEM ? "no memory for its stacks" : "IPI not sent");
			announced = false;
		}
	}
	if (announced)
		pr_cont("\n");
	pr_info("smp: Brought up 1 node, %u CPU%s\n", num_online_cpus(),
		num_online_cpus() > 1 ? "s" : "");
	bogomips = tsc_khz / 5 * num_online_cpus(); /* in 1/100ths: 2 x MHz per CPU */
	pr_info("smpboot: Total of %u processors activated (%llu.%02llu BogoMIPS)\n",
		num_online_cpus(), bogomips / 100, bogomips % 100);
}
