/* SPDX-License-Identifier: MIT */
/*
 * kallsyms: the kernel's own symbol table, so an oops can say "cmd_crash+0x1a/0x60"
 * instead of a bare address.
 *
 * The table is generated at build time from the linked kernel, the way Linux's
 * scripts/kallsyms does it, in two link passes (see the Makefile and tools/kallsyms.py):
 *
 *   pass 1: objects + an empty table  --> kernel.tmp.elf --nm--> kallsyms.S
 *   pass 2: objects + kallsyms.o      --> kernel.elf
 *
 * The table lives at the end of .rodata, after all of .text, so adding it cannot move a
 * function; the Makefile checks that both passes agree on every text symbol.  We chose
 * a linked-in table over reading the ELF's own .symtab at run time because the loaders
 * copy only the PT_LOAD segments: .symtab is not in memory when the kernel runs.
 */
#ifndef PAGELAB_KERNEL_KALLSYMS_H
#define PAGELAB_KERNEL_KALLSYMS_H

#include "types.h"

#define KSYM_NAME_LEN 128
#define KSYM_SYMBOL_LEN (KSYM_NAME_LEN + 40) /* name + "+0x.../0x..." */

/* The generated table (tools/kallsyms.py): sorted by address, text symbols only. */
extern const u64 kallsyms_num;
extern const u64 kallsyms_addresses[];
extern const u32 kallsyms_sizes[];
extern const u32 kallsyms_offsets[]; /* into kallsyms_names */
extern const char kallsyms_names[];

/*
 * kallsyms_lookup - the function containing @addr: its name, with its size and
 * @addr's offset into it (either pointer may be NULL).  Returns NULL if @addr is in
 * no known function.
 */
const char *kallsyms_lookup(u64 addr, u64 *size, u64 *offset);

/*
 * sprint_symbol - write "name+0xoff/0xsize" for @addr into @buf (@size bytes, at least
 * KSYM_SYMBOL_LEN is enough), or the bare address "0x..." if it is in no function.
 * Returns the length written.
 */
int sprint_symbol(char *buf, size_t size, u64 addr);

/*
 * sprint_backtrace - like sprint_symbol, for a return address: looks up @addr - 1, so a
 * call that is the last instruction of a function (a noreturn call) is still shown in
 * that function rather than the next, and prints the offset of @addr itself.
 */
int sprint_backtrace(char *buf, size_t size, u64 addr);

#endif
