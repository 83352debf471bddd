// SPDX-License-Identifier: MIT
/*
 * The kernel's GDT and TSS.
 *
 * In long mode segmentation is nearly gone: the code segment only says "64-bit, ring 0",
 * and data segments are ignored.  What still matters is the TSS, whose Interrupt Stack
 * Table gives the double-fault handler a known-good stack - without it, a kernel stack
 * overflow faults again while pushing the exception frame and the CPU resets (a triple
 * fault) with no message at all.
 *
 *   selector  entry
 *   0x00      null
 *   0x08      unused (Linux: 32-bit kernel code)
 *   0x10      kernel code, 64-bit        __KERNEL_CS
 *   0x18      kernel data                __KERNEL_DS
 *   0x20      TSS (16 bytes: two slots)
 *
 * Each CPU has its own GDT and TSS (per-CPU variables, as Linux's gdt_page and
 * cpu_tss_rw): a TSS descriptor is marked busy when loaded, and each CPU needs its own
 * double-fault stack.  The boot CPU's is a static array; a secondary CPU's comes from
 * its bring-up (smpboot.c).
 */
#include "arch/setup.h"
#include "kernel/percpu.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

_Static_assert(sizeof(struct tss) == 104, "hardware TSS layout");

#define IST_STACK_SIZE 8192
static u8 double_fault_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static DEFINE_PER_CPU(struct tss, cpu_tss_rw);

/* access: present, ring 0, code/data; flags: L (64-bit code) + 4 KiB granularity. */
static DEFINE_PER_CPU(u64[6], gdt_page) = {
	0,
	0,
	0x00af9a000000ffffULL, /* 0x10: code, execute/read, L=1 */
	0x00cf92000000ffffULL, /* 0x18: data, read/write */
	0, 0,                  /* 0x20: TSS, filled in below */
};

struct __packed descriptor_ptr {
	u16 limit;
	u64 base;
};

static void set_tss_descriptor(u64 *gdt, struct tss *tss)
{
	u64 base = (u64)tss, limit = sizeof(*tss) - 1;

	gdt[4] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[5] = base >> 32;
}

void gdt_init(void)
{
	cpu_load_gdt(0, (u64)double_fault_stack + IST_STACK_SIZE);
}

void load_percpu_segment(unsigned int cpu); /* setup_percpu.c */

void cpu_load_gdt(unsigned int cpu, u64 ist1_top)
{
	u64 *gdt = per_cpu(gdt_page, cpu);
	struct tss *tss = &per_cpu(cpu_tss_rw, cpu);
	struct descriptor_ptr p = { sizeof(gdt_page) - 1, (u64)gdt };

	tss->ist[0] = ist1_top;              /* IST1 */
	tss->iomap_base = sizeof(*tss);      /* no I/O bitmap */
	set_tss_descriptor(gdt, tss);

	/* Reload CS with a far return, the data segments with plain moves, then the TSS. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %w2, %%ds\n\t"
			 "mov %w2, %%es\n\t"
			 "mov %w2, %%ss\n\t"
			 "mov %w3, %%fs\n\t"
			 "mov %w3, %%gs\n\t"
			 "ltr %w4"
			 :
			 : "m"(p), "i"(__KERNEL_CS), "r"(__KERNEL_DS), "r"(0), "r"(GDT_TSS_SEL)
			 : "rax", "memory");
	load_percpu_segment(cpu); /* after the %gs load, which may have cleared the base */
}
