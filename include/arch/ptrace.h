/* SPDX-License-Identifier: MIT */
/*
 * The registers of an interrupted context, as the exception entry code saves them
 * (kernel/arch/x86_64/entry.S).  The order is the stack's: the CPU pushed the last
 * five fields, the entry stub the rest.  Oops messages print this.
 */
#ifndef PAGELAB_ARCH_PTRACE_H
#define PAGELAB_ARCH_PTRACE_H

#include "types.h"

struct pt_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	u64 vector;     /* pushed by our stub */
	u64 error_code; /* pushed by the CPU, or a 0 from the stub for vectors without one */
	u64 rip, cs, rflags, rsp, ss; /* the CPU's interrupt frame */
};

_Static_assert(sizeof(struct pt_regs) == 22 * 8, "entry.S depends on this layout");

#endif
