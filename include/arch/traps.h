/* SPDX-License-Identifier: MIT */
/*
 * What happens after a CPU exception (kernel/arch/x86_64/traps.c): an oops in Linux's
 * layout, with a symbolized backtrace, and then either a panic or - if someone set a
 * resume point - a jump back to it.
 */
#ifndef PAGELAB_ARCH_TRAPS_H
#define PAGELAB_ARCH_TRAPS_H

#include "arch/setjmp.h"
#include "types.h"

/*
 * oops_resume - where do_exception() continues after an oops, or NULL to panic: a
 * per-CPU variable (kernel/percpu.h), since each CPU that runs a shell command (the
 * boot CPU's prompt, another CPU's `on`) resumes on its own stack.  The shell points it
 * at its prompt while a command runs.  do_exception() ignores it (and
 * panics) for a fault in an interrupt handler, a double fault, or a fault while an oops
 * is being printed, and clears it before jumping so a second fault cannot loop.
 */
extern struct jmp_buf *oops_resume; /* per-CPU: this_cpu_read/write */

/*
 * show_call_trace - print "Call Trace:" and one "func+0x12/0x40" line per frame,
 * walking the frame-pointer chain from @rbp (the kernel is built with
 * -fno-omit-frame-pointer).  Text addresses between @rsp and the first frame come
 * first, marked "? " (a frameless leaf function's caller, or stale values), as Linux
 * marks unreliable entries.  Stops at a NULL or implausible frame pointer.
 */
void show_call_trace(u64 rsp, u64 rbp);

/*
 * set_task_stack - the stack this CPU runs on is [@lo, @hi): where show_call_trace()
 * believes frame pointers.  The boot CPU's is head.S's; smpboot.c sets each other CPU's.
 */
void set_task_stack(u64 lo, u64 hi);

#endif
