/* SPDX-License-Identifier: MIT */
/*
 * Leaving real mode: twice, in two different ways.
 *
 * enter_unreal() goes to protected mode just long enough to load the data segment
 * registers from a flat 4 GiB descriptor, then comes straight back.  The CPU keeps the
 * 4 GiB limit in its hidden segment cache, so real-mode code - and the BIOS - keep
 * working, while C pointers reach all of memory ("unreal mode").  That lets stage 2
 * copy the kernel above 1 MiB without a trip through protected mode per block.
 *
 * go_long_mode() leaves for good, in the steps the CPU requires:
 *   1. interrupts off (the real-mode IVT means nothing from here on);
 *   2. load the GDT and set CR0.PE: 32-bit protected mode, after a far jump;
 *   3. CR4.PAE, CR3 = our PML4, EFER.LME, then CR0.PG: long mode, in 32-bit
 *      compatibility mode until ...
 *   4. ... a far jump to a 64-bit code segment; then enter the kernel with boot_info's
 *      physical address in %rdi, as the UEFI loader does.
 */
#define CR0_PE 0x00000001
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18

	.code16
	.text
	.globl enter_unreal
	.type enter_unreal, @function
enter_unreal:
	pushfl
	pushl	%eax
	pushw	%bx
	cli
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orb	$CR0_PE, %al
	movl	%eax, %cr0
	jmp	1f			/* serialise: now in protected mode (CS still real) */
1:	movw	$SEL_DATA, %bx
	movw	%bx, %ds
	movw	%bx, %es
	movw	%bx, %fs
	movw	%bx, %gs
	andb	$~CR0_PE, %al
	movl	%eax, %cr0
	jmp	2f			/* back in real mode; the 4 GiB limits stay cached */
2:	xorw	%bx, %bx
	movw	%bx, %ds
	movw	%bx, %es
	movw	%bx, %fs
	movw	%bx, %gs
	popw	%bx
	popl	%eax
	popfl				/* restores IF as the caller had it */
	retl
	.size enter_unreal, . - enter_unreal

	.globl go_long_mode
	.type go_long_mode, @function
go_long_mode:
	cli
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $pm32

	.code32
pm32:
	movw	$SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	lm_cr3, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	/* Fetch the 64-bit values while 32-bit addressing is still simple. */
	movl	lm_entry, %ebx
	movl	lm_entry + 4, %ecx
	movl	lm_boot_info, %esi
	ljmpl	$SEL_CODE64, $lm64

	.code64
lm64:
	/* Upper register halves are undefined after the mode switch: 32-bit moves clear them. */
	movl	%ebx, %eax
	movl	%ecx, %ecx
	shlq	$32, %rcx
	orq	%rcx, %rax
	movl	%esi, %edi		/* boot_info's physical address, for the kernel */
	movl	$0x7c00, %esp		/* any identity-mapped stack: the kernel sets its own */
	jmpq	*%rax
	.size go_long_mode, . - go_long_mode

	.data
	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code, base 0, limit 4 GiB */
	.quad	0x00cf92000000ffff	/* 0x10: data, base 0, limit 4 GiB */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code (L=1) */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.globl lm_cr3, lm_entry, lm_boot_info
	.balign 8
lm_entry:	.quad 0
lm_boot_info:	.quad 0
lm_cr3:		.long 0
