/* SPDX-License-Identifier: MIT */
/*
 * A kernel setjmp/longjmp: the shell's way back to its prompt after an oops in a
 * command (see do_exception in kernel/arch/x86_64/traps.c and shell/shell.c).
 *
 * kernel_setjmp saves the registers the System V ABI says a call preserves (rbx, rbp,
 * r12-r15), the stack pointer and the return address, and returns 0.  kernel_longjmp
 * restores them, so that kernel_setjmp appears to return a second time, with @val.
 * Locals of the caller that changed after setjmp are indeterminate then (the C rule):
 * keep anything needed after the jump in static storage or declare it volatile.
 */
#ifndef PAGELAB_ARCH_SETJMP_H
#define PAGELAB_ARCH_SETJMP_H

#include "types.h"

struct jmp_buf {
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

int kernel_setjmp(struct jmp_buf *jb) __attribute__((returns_twice));
__noreturn void kernel_longjmp(struct jmp_buf *jb, int val);

#endif
