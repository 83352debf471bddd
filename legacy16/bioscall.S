/* SPDX-License-Identifier: MIT */
/*
 * The glove box: every BIOS call in stage 2 goes through intcall().
 *
 *   void intcall(u8 vector, const struct biosregs *in, struct biosregs *out);
 *                    %al                    %edx                   %ecx   (regparm(3))
 *
 * Everything the BIOS may do to us is contained here:
 *   - it gets exactly the registers in *in (a copy on our stack is popal'ed), so no
 *     stale value from C leaks into a call;
 *   - everything it returns - all general registers, segments, flags (CF!) - is
 *     copied to *out, so C never has to know which registers a call clobbers;
 *   - our callee-saved registers and segments are restored afterwards;
 *   - some BIOSes (SeaBIOS among them) switch to 32-bit mode internally, and coming back
 *     leaves the data segments with 64 KiB limits: unreal mode is set up again before
 *     returning, so C pointers above 1 MiB keep working.
 *
 * INT takes its vector as an immediate, so the instruction is patched with the vector
 * before each call; the near jump after the patch makes even a 386 refetch it.
 */
	.code16
	.text
	.globl intcall
	.type intcall, @function
intcall:
	pushal
	pushw	%ds
	pushw	%es
	pushw	%fs
	pushw	%gs
	pushl	%ecx			/* out, for after the call */
	movb	%al, int_insn + 1
	jmp	1f
1:
	/* Copy *in (44 bytes: 8 registers, 4 segments, eflags) onto the stack... */
	subw	$44, %sp
	movw	%dx, %si
	movw	%sp, %di
	movw	$11, %cx
	rep movsl
	/* ...and load it, in the order it was laid out. */
	popal
	popw	%gs
	popw	%fs
	popw	%es
	popw	%ds
	popfl
int_insn:
	int	$0x00			/* the vector byte is overwritten above */

	/* Save what the BIOS returned, in the same layout. */
	pushfl
	pushw	%ds
	pushw	%es
	pushw	%fs
	pushw	%gs
	pushal
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movl	44(%esp), %edi		/* out */
	testl	%edi, %edi
	jz	2f
	movw	%sp, %si
	movw	$11, %cx
	rep movsl
2:	addw	$48, %sp		/* the results and the saved out pointer */
	popw	%gs
	popw	%fs
	popw	%es
	popw	%ds
	popal
	jmp	enter_unreal		/* tail call: it returns to our caller */
	.size intcall, . - intcall
