/*
 * CPU exceptions: print an oops in Linux's layout, then stop.
 *
 * There are no processes to kill yet, so every exception is fatal, as an oops in
 * interrupt context is in Linux ("Kernel panic - not syncing: Fatal exception").  The
 * point is that a bug shows itself on the console - which vector, where, with which
 * registers - instead of a triple fault that silently resets the machine.
 */
#include "arch/cpu.h"
#include "arch/ptrace.h"
#include "kernel/printk.h"

/* Linux's wording for each vector, so an oops reads like the kernel's own. */
static const char *const exception_names[32] = {
	[0] = "divide error",
	[1] = "debug",
	[2] = "nmi",
	[3] = "int3",
	[4] = "overflow",
	[5] = "bounds",
	[6] = "invalid opcode",
	[7] = "device not available",
	[8] = "double fault",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS",
	[11] = "segment not present",
	[12] = "stack segment",
	[13] = "general protection fault",
	[14] = "page fault",
	[16] = "coprocessor error",
	[17] = "alignment check",
	[18] = "machine check",
	[19] = "SIMD exception",
	[20] = "virtualization exception",
	[21] = "control protection fault",
};

#define PF_PROT 0x1
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_INSTR 0x10

static void show_page_fault(const struct pt_regs *regs, u64 cr2)
{
	u64 err = regs->error_code;

	printk(KERN_ALERT "BUG: unable to handle page fault for address: %016llx\n", cr2);
	printk(KERN_ALERT "#PF: %s %s in %s mode\n", (err & PF_USER) ? "user" : "supervisor",
	       (err & PF_INSTR) ? "instruction fetch" : (err & PF_WRITE) ? "write access"
								 : "read access",
	       (err & PF_USER) ? "user" : "kernel");
	printk(KERN_ALERT "#PF: error_code(0x%04llx) - %s\n", err,
	       (err & PF_PROT) ? "permissions violation" : "not-present page");
}

static void show_regs(const struct pt_regs *r)
{
	printk("RIP: %04llx:%016llx\n", r->cs, r->rip);
	printk("RSP: %04llx:%016llx EFLAGS: %08llx\n", r->ss, r->rsp, r->rflags);
	printk("RAX: %016llx RBX: %016llx RCX: %016llx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016llx RSI: %016llx RDI: %016llx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016llx R08: %016llx R09: %016llx\n", r->rbp, r->r8, r->r9);
	printk("R10: %016llx R11: %016llx R12: %016llx\n", r->r10, r->r11, r->r12);
	printk("R13: %016llx R14: %016llx R15: %016llx\n", r->r13, r->r14, r->r15);
	printk("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

/* Called from entry.S with the saved registers; does not return. */
void do_exception(struct pt_regs *regs);
void do_exception(struct pt_regs *regs)
{
	static int oops_count;
	const char *name = regs->vector < 32 ? exception_names[regs->vector] : NULL;

	if (oops_count++) /* a fault while reporting a fault: say the least possible */
		panic("exception %llu while printing an oops", regs->vector);
	if (regs->vector == 14)
		show_page_fault(regs, read_cr2());
	printk(KERN_ALERT "Oops: %s: %04llx [#%d]\n", name ? name : "reserved vector",
	       regs->error_code, oops_count);
	printk("CPU: 0 PID: 0 Comm: pagelab\n");
	show_regs(regs);
	panic("Fatal exception");
}
