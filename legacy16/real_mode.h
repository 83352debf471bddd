/* SPDX-License-Identifier: MIT */
/*
 * The real-mode start both of our boot stages share (mbr.S and head.S include this).
 *
 * The BIOS jumps to the MBR with only CS:IP known, and the MBR jumps to stage 2 the same
 * way, so each stage begins by making every segment 0 (a C pointer, or a label, is then
 * a physical address below 64 KiB) and putting the stack just below 0x7c00.
 */
#ifndef PAGELAB_LEGACY16_REAL_MODE_H
#define PAGELAB_LEGACY16_REAL_MODE_H

#define STACK_TOP 0x7c00 /* grows down from the MBR */

/*
 * Stage 2 begins with a 2-byte jump over this word, which the MBR checks before it jumps
 * there: a zeroed or foreign stage 2 gets a message instead of a silent hang (issue 18).
 */
#define STAGE2_MAGIC 0x32534c50 /* "PLS2" */
#define STAGE2_MAGIC_OFFSET 2

.macro flat_real_mode_start
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	/* gcc's -m16 code addresses the stack through %esp: its upper half must be 0. */
	movl	$STACK_TOP, %esp
	ljmp	$0, $1f			/* some BIOSes enter at 07C0:0000: make CS 0 */
1:	sti
	cld
.endm

/* Stop for good: interrupts off, so nothing wakes the CPU up again. */
.macro halt_forever
2:	cli
	hlt
	jmp	2b
.endm

#endif
