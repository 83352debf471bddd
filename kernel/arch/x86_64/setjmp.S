/* SPDX-License-Identifier: MIT */
/*
 * kernel_setjmp / kernel_longjmp (include/arch/setjmp.h).  struct jmp_buf, by offset:
 *   0 rbx   8 rbp   16 r12   24 r13   32 r14   40 r15   48 rsp   56 rip
 */
	.text
	.globl kernel_setjmp
	.type kernel_setjmp, @function
kernel_setjmp:
	mov	%rbx, 0(%rdi)
	mov	%rbp, 8(%rdi)
	mov	%r12, 16(%rdi)
	mov	%r13, 24(%rdi)
	mov	%r14, 32(%rdi)
	mov	%r15, 40(%rdi)
	lea	8(%rsp), %rax		/* the caller's %rsp after our return */
	mov	%rax, 48(%rdi)
	mov	(%rsp), %rax		/* our return address */
	mov	%rax, 56(%rdi)
	xor	%eax, %eax
	ret
	.size kernel_setjmp, . - kernel_setjmp

	.globl kernel_longjmp
	.type kernel_longjmp, @function
kernel_longjmp:
	mov	%esi, %eax
	test	%eax, %eax		/* setjmp must not seem to return 0 the second time */
	jnz	1f
	inc	%eax
1:	mov	0(%rdi), %rbx
	mov	8(%rdi), %rbp
	mov	16(%rdi), %r12
	mov	24(%rdi), %r13
	mov	32(%rdi), %r14
	mov	40(%rdi), %r15
	mov	48(%rdi), %rsp
	jmp	*56(%rdi)
	.size kernel_longjmp, . - kernel_longjmp
