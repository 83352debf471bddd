/* SPDX-License-Identifier: MIT */
/*
 * Stage 2 entry: the MBR jumps here, 0000:8000, with the boot drive in %dl, once it
 * has seen the magic word below.
 * Set up flat real-mode segments and a stack below the MBR, clear .bss, call C.
 */
#include "real_mode.h"

	.code16
	.section .head.text, "ax"
	.globl _start
_start:
	jmp	1f			/* short: 2 bytes, so the magic is at STAGE2_MAGIC_OFFSET */
	.long	STAGE2_MAGIC
1:	flat_real_mode_start

	movw	$__bss_start, %di
	movw	$__bss_end, %cx
	subw	%di, %cx
	xorb	%al, %al
	rep stosb

	movzbl	%dl, %eax		/* stage2_main(drive): first argument in %eax (regparm) */
	calll	stage2_main
	halt_forever
