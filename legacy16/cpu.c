// SPDX-License-Identifier: MIT
/* Can this CPU run the kernel?  It needs CPUID and, behind it, long mode. */
#include "arch/cpu.h"
#include "boot16.h"

static u32 read_eflags(void)
{
	u32 f;

	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static void write_eflags(u32 f)
{
	__asm__ volatile("pushl %0; popfl" : : "r"(f) : "cc");
}

void check_long_mode_cpu(void)
{
	u32 f = read_eflags();

	/* CPUID exists if the ID flag can be flipped (not on a 386 or early 486). */
	write_eflags(f ^ X86_EFLAGS_ID);
	if (!((read_eflags() ^ f) & X86_EFLAGS_ID))
		die("this CPU has no CPUID instruction, so no long mode");
	write_eflags(f);

	if (cpuid_eax(0x80000000) < 0x80000001)
		die("this CPU cannot run 64-bit code (no extended CPUID leaves)");
	if (!(cpuid_edx(0x80000001) & (1u << 29)))
		die("this CPU cannot run 64-bit code (no long mode)");
}
