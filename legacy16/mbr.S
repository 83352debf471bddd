/* SPDX-License-Identifier: MIT */
/*
 * The MBR boot code: what SeaBIOS (or any PC BIOS) runs first.
 *
 * The BIOS loads sector 0 of the disk to 0000:7C00 and jumps there in real mode with
 * the boot drive number in %dl.  Only bytes 0-439 are ours: 440-509 hold the disk
 * signature and the partition table (written by sfdisk), 510-511 the 0x55AA mark.  The
 * linker script fails the build if this code outgrows its 440 bytes.
 *
 * Its one job: read stage 2 (STAGE2_SECTORS sectors from LBA 1, the gap before the
 * first partition) to 0000:8000 with the INT 13h extended read, check its magic word,
 * and jump to it with %dl still holding the drive.  Errors print a message and halt.
 */
#include "real_mode.h"

#define STAGE2_ADDR 0x8000
#define STAGE2_LBA 1
#define STAGE2_SECTORS 64 /* 32 KiB: stage2.ld makes sure stage 2 fits */

	.code16
	.section .text
	.globl _start
_start:
	flat_real_mode_start
	movb	%dl, boot_drive

	/* INT 13h AH=41h: are the LBA ("extended") disk calls there? */
	movb	$0x41, %ah
	movw	$0x55aa, %bx
	int	$0x13
	jc	no_lba
	cmpw	$0xaa55, %bx
	jne	no_lba

	/* INT 13h AH=42h: read using the disk address packet below. */
	movw	$dap, %si
	movb	$0x42, %ah
	movb	boot_drive, %dl
	int	$0x13
	jc	read_error
	cmpl	$STAGE2_MAGIC, STAGE2_ADDR + STAGE2_MAGIC_OFFSET
	jne	bad_stage2

	movb	boot_drive, %dl
	ljmp	$0, $STAGE2_ADDR

no_lba:
	movw	$msg_no_lba, %si
	jmp	fail
read_error:
	movw	$msg_read, %si
	jmp	fail
bad_stage2:
	movw	$msg_stage2, %si
fail:
	/*
	 * Print on COM1, which QEMU's -serial shows, and on the screen (INT 10h teletype)
	 * unless INT 10h points into the system BIOS: then it is SeaBIOS's serial console,
	 * which would print every character a second time (legacy16/console.c), or no video.
	 */
	lodsb
	testb	%al, %al
	jz	halt
	movw	$0x3f8, %dx
	outb	%al, %dx
	cmpw	$0xf000, 0x42		/* segment of interrupt vector 10h */
	jae	fail
	movb	$0x0e, %ah
	xorw	%bx, %bx
	int	$0x10
	jmp	fail
halt:
	halt_forever

	.balign 4
dap:	.byte	16, 0			/* packet size, reserved */
	.word	STAGE2_SECTORS
	.word	STAGE2_ADDR, 0		/* buffer offset, segment */
	.quad	STAGE2_LBA
boot_drive:
	.byte	0
msg_no_lba:
	.asciz	"pagelab MBR: BIOS has no INT 13h LBA extensions\r\n"
msg_read:
	.asciz	"pagelab MBR: cannot read stage 2 from disk\r\n"
msg_stage2:
	.asciz	"pagelab MBR: stage 2 on disk is missing or damaged\r\n"
#ifdef MBR_OVERSIZE_TEST
	.fill	MBR_OVERSIZE_TEST, 1, 0x90	/* `make check-mbr-limit`: prove the limit bites */
#endif
