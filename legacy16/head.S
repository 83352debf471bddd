/*
 * Stage 2 entry: the MBR jumps here, 0000:8000, with the boot drive in %dl.
 * Set up flat real-mode segments and a stack below the MBR, clear .bss, call C.
 */
	.code16
	.section .head.text, "ax"
	.globl _start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	/* gcc's -m16 code addresses the stack through %esp: its upper half must be 0. */
	movl	$0x7c00, %esp
	ljmp	$0, $1f
1:	sti
	cld

	movw	$__bss_start, %di
	movw	$__bss_end, %cx
	subw	%di, %cx
	xorb	%al, %al
	rep stosb

	movzbl	%dl, %eax		/* stage2_main(drive): first argument in %eax (regparm) */
	calll	stage2_main
2:	cli
	hlt
	jmp	2b
