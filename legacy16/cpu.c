/* Can this CPU run the kernel?  It needs CPUID and, behind it, long mode. */
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

static void cpuid(u32 leaf, u32 *a, u32 *d)
{
	u32 b, c;

	__asm__ volatile("cpuid" : "=a"(*a), "=b"(b), "=c"(c), "=d"(*d) : "a"(leaf), "c"(0));
}

void check_long_mode_cpu(void)
{
	u32 f = read_eflags(), a, d;

	/* CPUID exists if the ID flag can be flipped (not on a 386 or early 486). */
	write_eflags(f ^ X86_EFLAGS_ID);
	if (!((read_eflags() ^ f) & X86_EFLAGS_ID))
		die("this CPU has no CPUID instruction, so no long mode");
	write_eflags(f);

	cpuid(0x80000000, &a, &d);
	if (a < 0x80000001)
		die("this CPU cannot run 64-bit code (no extended CPUID leaves)");
	cpuid(0x80000001, &a, &d);
	if (!(d & (1u << 29)))
		die("this CPU cannot run 64-bit code (no long mode)");
}
