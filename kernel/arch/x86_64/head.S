/* SPDX-License-Identifier: MIT */
/*
 * Kernel entry.  The loader jumps here in long mode, interrupts off, on its own stack,
 * with the physical address of struct boot_info in %rdi (boot/boot_info.h).
 *
 * Before any C runs we note the time (printk's timestamps count from here) and move to
 * the kernel's own stack: the loader's stack is in memory the kernel will reuse.
 */
	.section .head.text, "ax"
	.globl _start
	.type _start, @function
_start:
	cli
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, boot_tsc(%rip)

	lea	init_stack_top(%rip), %rsp
	xor	%ebp, %ebp		/* ends the frame-pointer chain for backtraces */
	cld
	call	start_kernel		/* %rdi still holds boot_info's physical address */
1:	cli
	hlt
	jmp	1b
	.size _start, . - _start

	.bss
	.balign 16
	.globl init_stack
init_stack:
	.skip 16384
	.globl init_stack_top
init_stack_top:

/*
 * Where a secondary CPU enters the kernel, from the trampoline (trampoline_64.S): long
 * mode on the trampoline's page tables, at this high address, interrupts off.  The boot
 * CPU has put the new CPU's stack top in smpboot_stack; start_secondary() loads the
 * CPU's own GDT and the kernel's page tables.
 */
	.text
	.globl secondary_startup_64
	.type secondary_startup_64, @function
secondary_startup_64:
	mov	smpboot_stack(%rip), %rsp
	xor	%ebp, %ebp
	cld
	call	start_secondary		/* never returns */
1:	cli
	hlt
	jmp	1b
	.size secondary_startup_64, . - secondary_startup_64
