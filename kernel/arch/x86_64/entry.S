/*
 * Exception entry stubs.
 *
 * The CPU pushes an error code for some vectors and not for others; each stub evens
 * that out (pushing a 0 where the CPU did not) and pushes its vector number, so the
 * common path always sees one struct pt_regs (include/arch/ptrace.h):
 *
 *   high  ss, rsp, rflags, cs, rip     <- pushed by the CPU
 *         error code                   <- CPU, or our 0
 *         vector                       <- stub
 *   low   rdi ... r15                  <- common path, %rsp then points at pt_regs
 */

	.text
.macro stub vector
	.balign 16
exc_\vector:
	.if !((\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30))
	pushq	$0
	.endif
	pushq	$\vector
	jmp	exception_common
.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub \v
	.endr

exception_common:
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
	mov	%rsp, %rdi
	/* The C handler wants a 16-byte aligned stack, as the ABI promises at a call. */
	mov	%rsp, %rbx
	and	$-16, %rsp
	call	do_exception
	mov	%rbx, %rsp
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
	iretq

	/* The table idt_init() reads: the address of each stub, in vector order. */
	.section .rodata
	.balign 8
	.globl exception_stubs
exception_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad exc_\v
	.endr
