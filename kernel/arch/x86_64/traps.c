// SPDX-License-Identifier: MIT
/*
 * CPU exceptions: print an oops in Linux's layout, then resume at the shell's prompt or
 * stop.
 *
 * The point is that a bug shows itself on the console - which vector, where, with which
 * registers, through which calls - instead of a triple fault that silently resets the
 * machine.  There are no processes to kill, so what Linux does for a faulting task
 * (kill it, carry on) becomes: if the shell set a resume point (oops_resume) because a
 * command is running, jump back to it; the command is abandoned, the kernel goes on.
 * Everywhere else - an interrupt handler, boot code, the shell's own loop, a double
 * fault, a fault while printing an oops - the oops ends in a panic, as an oops in
 * interrupt context does in Linux ("Kernel panic - not syncing: Fatal exception in
 * interrupt").
 *
 *   RIP: 0010:cmd_crash+0x33/0xd0          <- where, symbolized (kernel/kallsyms.c)
 *   ...registers...
 *   Call Trace:
 *    <TASK>
 *    shell_execute+0xa5/0x130              <- return addresses from the rbp chain
 *    shell_run+0x9c/0x160
 *    </TASK>
 *   ---[ end trace 0000000000000000 ]---   <- only when the shell carries on
 */
#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/ptrace.h"
#include "arch/traps.h"
#include "kernel/kallsyms.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"

DEFINE_PER_CPU(struct jmp_buf *, oops_resume);
extern char init_stack[], init_stack_top[]; /* head.S: the boot CPU's stack */

/* The stack this CPU runs on, for the backtrace's sanity check (set_task_stack()). */
static DEFINE_PER_CPU(u64, task_stack_lo) = (u64)init_stack;
static DEFINE_PER_CPU(u64, task_stack_hi) = (u64)init_stack_top;

void set_task_stack(u64 lo, u64 hi)
{
	this_cpu_write(task_stack_lo, lo);
	this_cpu_write(task_stack_hi, hi);
}

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

/*
 * A frame pointer is believable if it lies on the kernel stack, 8-byte aligned, with
 * room for the saved rbp and return address above it.
 */
static bool frame_ok(u64 rbp)
{
	return rbp >= this_cpu_read(task_stack_lo) && rbp + 16 <= this_cpu_read(task_stack_hi) &&
	       !(rbp & 7);
}

static void print_entry(u64 addr, bool reliable)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_backtrace(sym, sizeof(sym), addr);
	printk(" %s%s\n", reliable ? "" : "? ", sym);
}

void show_call_trace(u64 rsp, u64 rbp)
{
	printk("Call Trace:\n");
	printk(" <TASK>\n");
	/*
	 * Below the first frame: a function that made no frame of its own (gcc gives leaf
	 * functions none) left its return address at the top of the stack.  Like Linux,
	 * print any text address found there, marked "?" as possibly stale.
	 */
	for (u64 p = rsp; frame_ok(p) && p < rbp && p < rsp + 64 * 8; p += 8)
		if (kallsyms_lookup(*(const u64 *)p - 1, NULL, NULL))
			print_entry(*(const u64 *)p, false);
	/*
	 * Then the frame chain: [rbp] = the caller's rbp, [rbp + 8] = the return address.
	 * It must go up the stack; 64 frames is far deeper than pagelab ever calls.
	 */
	for (int depth = 0; depth < 64 && frame_ok(rbp); depth++) {
		const u64 *frame = (const u64 *)rbp;

		if (!frame[1])
			break;
		print_entry(frame[1], true);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	printk(" </TASK>\n");
}

static void show_regs(const struct pt_regs *r)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, sizeof(sym), r->rip);
	printk("RIP: %04llx:%s\n", r->cs, sym);
	printk("RSP: %04llx:%016llx EFLAGS: %08llx\n", r->ss, r->rsp, r->rflags);
	printk("RAX: %016llx RBX: %016llx RCX: %016llx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016llx RSI: %016llx RDI: %016llx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016llx R08: %016llx R09: %016llx\n", r->rbp, r->r8, r->r9);
	printk("R10: %016llx R11: %016llx R12: %016llx\n", r->r10, r->r11, r->r12);
	printk("R13: %016llx R14: %016llx R15: %016llx\n", r->r13, r->r14, r->r15);
	printk("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

/*
 * Called from entry.S with the saved registers.  Returns only by jumping to
 * oops_resume; see the overview for when that is allowed.
 */
void do_exception(struct pt_regs *regs);
/* Per CPU: two CPUs may each be reporting their own oops; a fault inside one's report is its own. */
static DEFINE_PER_CPU(bool, reporting_oops);

void do_exception(struct pt_regs *regs)
{
	static int oops_count;
	int nr;
	const char *name = regs->vector < 32 ? exception_names[regs->vector] : NULL;
	bool in_irq = in_interrupt();
	struct jmp_buf *resume = this_cpu_read(oops_resume);

	if (this_cpu_read(reporting_oops)) /* a fault while reporting a fault: say the least possible */
		panic("exception %llu while printing an oops", regs->vector);
	this_cpu_write(reporting_oops, true);
	bust_spinlocks(1); /* the report prints even if the fault hit inside a console write */
	nr = __atomic_add_fetch(&oops_count, 1, __ATOMIC_RELAXED);
	if (regs->vector == 14)
		show_page_fault(regs, read_cr2());
	printk(KERN_ALERT "Oops: %s: %04llx [#%d]\n", name ? name : "reserved vector",
	       regs->error_code, nr);
	printk("CPU: %u PID: 0 Comm: %s\n", smp_processor_id(), resume && !in_irq ? "shell" : "pagelab");
	show_regs(regs);
	show_call_trace(regs->rsp, regs->rbp);

	if (!resume || in_irq || regs->vector == 8)
		panic(in_irq ? "Fatal exception in interrupt" : "Fatal exception");
	printk("---[ end trace %016llx ]---\n", 0ULL);
	this_cpu_write(oops_resume, NULL);
	this_cpu_write(reporting_oops, false);
	bust_spinlocks(0); /* frees console_lock if the fault left this CPU holding it */
	kernel_longjmp(resume, 1);
}
