/* SPDX-License-Identifier: MIT */
/*
 * The secondary CPUs' first code (Linux's arch/x86/realmode idea, pagelab's code).
 *
 * A STARTUP IPI starts a CPU in real mode at CS:IP = (page >> 4):0, so this blob is
 * copied to a page below 1 MiB that reserve_real_mode() kept aside (smpboot.c) and its
 * header is filled in there.  It runs from wherever it was copied: 16-bit code addresses
 * the page through CS and DS, 32-bit and 64-bit code through %esi, which holds the
 * page's physical address from the first instructions on.
 *
 *   real mode, CS = page >> 4      lgdt (this blob's GDT), CR0.PE
 *     -> ljmpl to 32-bit code      segments flat; CR4 (PAE ...) and CR3 (tr_cr3: an
 *                                  identity map of the low 2 MiB + the kernel's upper half),
 *                                  EFER (LME, NXE as the boot CPU has them), CR0.PG
 *     -> ljmpl to 64-bit code      load the kernel's entry address and jump there:
 *                                  secondary_startup_64 (head.S), at its high address
 *
 * Everything the boot CPU fills in is in the header at the end (tr_*): it sits at a fixed
 * offset from trampoline_start, which smpboot.c computes from these symbols.
 */
#define TR(x) ((x) - trampoline_start)

	.section .rodata.trampoline, "a"
	.balign 16
	.globl trampoline_start
	.code16
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	xor	%esi, %esi
	mov	%ax, %si
	shl	$4, %esi		/* the page's physical address, kept to the end */
	lgdtl	TR(tr_gdt_desc)
	mov	%cr0, %eax
	or	$1, %eax		/* PE */
	mov	%eax, %cr0
	ljmpl	*TR(tr_pm_jump)		/* far pointer filled in: page + TR(pm_entry), 0x08 */

	.code32
pm_entry:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	TR(tr_cr4)(%esi), %eax
	mov	%eax, %cr4
	mov	TR(tr_cr3)(%esi), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx	/* EFER */
	mov	TR(tr_efer)(%esi), %eax
	mov	TR(tr_efer)+4(%esi), %edx
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax	/* PG | PE: long mode becomes active */
	mov	%eax, %cr0
	ljmpl	*TR(tr_lm_jump)(%esi)	/* page + TR(lm_entry), 0x18 */

	.code64
lm_entry:
	mov	%esi, %esi		/* the upper half is undefined after the switch */
	mov	TR(tr_entry)(%rsi), %rax
	jmp	*%rax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code, flat */
	.quad	0x00cf92000000ffff	/* 0x10: data, flat */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_end:

	/* The header: filled in by setup_trampoline() in the low page's copy. */
	.balign 8
	.globl tr_gdt_desc, tr_pm_jump, tr_lm_jump, tr_cr3, tr_cr4, tr_efer, tr_entry
tr_gdt_desc:
	.word	tr_gdt_end - tr_gdt - 1
	.long	0			/* page + TR(tr_gdt) */
	.word	0
tr_pm_jump:
	.long	0			/* page + TR(pm_entry) */
	.word	0x08
	.word	0
tr_lm_jump:
	.long	0			/* page + TR(lm_entry) */
	.word	0x18
	.word	0
tr_cr3:	.quad	0
tr_cr4:	.quad	0
tr_efer: .quad	0
tr_entry: .quad	0			/* secondary_startup_64 */
	.globl trampoline_end
trampoline_end:
	.globl tr_gdt, pm_entry, lm_entry
