/* SPDX-License-Identifier: MIT */
/*
 * x86-64 per-CPU access through %gs (the generic half is include/kernel/percpu.h).
 *
 * Layout, as Linux since 6.15: per-CPU variables are linked at ordinary kernel addresses
 * in .data..percpu (before 6.15 the section was linked at address 0, so that the stack
 * protector's canary could sit at %gs:40; moving the canary to a plain global let that
 * go).  Each CPU's GS base holds its __per_cpu_offset[], so "%gs:var(%rip)" reaches
 * var + offset: the CPU's own copy, in one instruction.  The boot CPU's offset is 0: its
 * copy is the section itself (pagelab's choice, so a 1-CPU boot allocates nothing).
 */
#ifndef PAGELAB_ARCH_PERCPU_H
#define PAGELAB_ARCH_PERCPU_H

#include "types.h"

#define PER_CPU_SECTION ".data..percpu"
#define MSR_GS_BASE 0xc0000101

extern unsigned long this_cpu_off;   /* per-CPU: this CPU's __per_cpu_offset */

/*
 * One mov/add/cmpxchg with a %gs prefix, sized by the variable.  "m"(var) makes the
 * operand var(%rip), and the prefix adds the GS base to it.
 */
#define __pcpu_size_op(insn, var, val)                                                   \
	do {                                                                             \
		switch (sizeof(var)) {                                                   \
		case 1: __asm__ volatile(insn "b %1, %%gs:%0" : "+m"(var)                \
					 : "qi"((u8)(unsigned long)(val))); break;       \
		case 2: __asm__ volatile(insn "w %1, %%gs:%0" : "+m"(var)                \
					 : "ri"((u16)(unsigned long)(val))); break;      \
		case 4: __asm__ volatile(insn "l %1, %%gs:%0" : "+m"(var)                \
					 : "ri"((u32)(unsigned long)(val))); break;      \
		case 8: __asm__ volatile(insn "q %1, %%gs:%0" : "+m"(var)                \
					 : "re"((u64)(unsigned long)(val))); break;      \
		default: __pcpu_bad_size(); break;                                       \
		}                                                                        \
	} while (0)

void __pcpu_bad_size(void); /* never defined: a link error for an unsupported size */

/* this_cpu_read - the running CPU's instance of @var (an integer or pointer). */
#define this_cpu_read(var)                                                               \
	({                                                                               \
		__typeof__(var) __pcpu_v;                                                \
		__asm__ volatile("mov %%gs:%1, %0" : "=r"(__pcpu_v) : "m"(var));          \
		__pcpu_v;                                                                \
	})

/* this_cpu_write - set the running CPU's instance of @var to @val. */
#define this_cpu_write(var, val) __pcpu_size_op("mov", var, val)

/* this_cpu_add - add @val to the running CPU's instance of integer @var. */
#define this_cpu_add(var, val) __pcpu_size_op("add", var, val)

/*
 * this_cpu_cmpxchg - if the running CPU's @var is @old, make it @new; return what was
 * there.  No lock prefix: only this CPU writes its copy, and one instruction cannot be
 * split by an interrupt.
 */
#define this_cpu_cmpxchg(var, old, new)                                                  \
	({                                                                               \
		__typeof__(var) __pcpu_ret = (old);                                      \
		__asm__ volatile("cmpxchg %2, %%gs:%1"                                   \
				 : "+a"(__pcpu_ret), "+m"(var)                           \
				 : "r"((__typeof__(var))(new))                           \
				 : "memory", "cc");                                      \
		__pcpu_ret;                                                              \
	})

#endif
