/* SPDX-License-Identifier: MIT */
/*
 * Exception and interrupt entry stubs.
 *
 * The CPU pushes an error code for some vectors and not for others; each stub evens
 * that out (pushing a 0 where the CPU did not) and pushes its vector number, so the
 * common path always sees one struct pt_regs (include/arch/ptrace.h):
 *
 *   high  ss, rsp, rflags, cs, rip     <- pushed by the CPU
 *         error code                   <- CPU, or our 0
 *         vector                       <- stub
 *   low   rdi ... r15                  <- common path, %rsp then points at pt_regs
 *
 * Exceptions (vectors 0-31) go to do_exception() in traps.c, hardware interrupts
 * (0x20-0x2f, from the PIC) to do_irq() in irq.c.  Both are reached through interrupt
 * gates, so they run with interrupts disabled; iretq restores the interrupted RFLAGS.
 */

/* Save the general registers below the vector, as struct pt_regs lays them out. */
.macro SAVE_REGS
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro RESTORE_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	add	$16, %rsp		/* vector and error code */
.endm

/*
 * Call \handler(struct pt_regs *) on a 16-byte aligned stack, as the ABI promises at a
 * call.  %rbp is pointed at a fake frame (the interrupted %rbp and %rip, both already
 * on the stack in pt_regs) so a frame-pointer backtrace from inside the handler walks
 * on into the interrupted code.
 */
.macro CALL_HANDLER handler
	SAVE_REGS
	mov	%rsp, %rdi
	mov	%rsp, %rbx
	and	$-16, %rsp
	pushq	136(%rbx)		/* pt_regs.rip: the fake frame's return address */
	pushq	32(%rbx)		/* pt_regs.rbp: the interrupted frame */
	mov	%rsp, %rbp
	call	\handler
	mov	%rbx, %rsp
	RESTORE_REGS
	iretq
.endm

	.text
.macro exc_stub vector
	.balign 16
exc_\vector:
	.if !((\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30))
	pushq	$0
	.endif
	pushq	$\vector
	jmp	exception_common
.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc_stub \v
	.endr

/* IRQ n arrives at vector 0x20 + n (see init_IRQ). */
.macro irq_stub irq
	.balign 16
irq_\irq:
	pushq	$0
	pushq	$(0x20 + \irq)
	jmp	irq_common
.endm

	.irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	irq_stub \i
	.endr

/* The local APIC's own vectors (include/arch/apic.h), all to do_apic_irq() in apic.c. */
.macro apic_stub vector
	.balign 16
apic_\vector:
	pushq	$0
	pushq	$\vector
	jmp	apic_common
.endm

	.irp v, 0xec,0xfb,0xfd,0xfe,0xff
	apic_stub \v
	.endr

	.type apic_common, @function
apic_common:
	CALL_HANDLER do_apic_irq
	.size apic_common, . - apic_common

	.type exception_common, @function
exception_common:
	CALL_HANDLER do_exception
	.size exception_common, . - exception_common

	.type irq_common, @function
irq_common:
	CALL_HANDLER do_irq
	.size irq_common, . - irq_common

	/* The tables idt.c and irq.c read: the address of each stub, in vector order. */
	.section .rodata
	.balign 8
	.globl exception_stubs
exception_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad exc_\v
	.endr
	.globl irq_stubs
irq_stubs:
	.irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.quad irq_\i
	.endr
	.globl apic_stubs
apic_stubs:
	.irp v, 0xec,0xfb,0xfd,0xfe,0xff
	.quad apic_\v
	.endr
