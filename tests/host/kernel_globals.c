// SPDX-License-Identifier: MIT
/*
 * Globals the kernel gets from kernel/main.c and the linker script, for host builds of
 * mm/ code that reads them.  The host has no kernel image: all the section symbols sit
 * at one address, so every section size comes out as 0 (as the simulator's "Memory:"
 * line then says).  (__bss_start is pl___bss_start here: see rename_libc.h.)
 */
#include "kernel/setup.h"
#include "mm/mm.h"

const struct boot_info *boot_info;
const char *boot_command_line = "";
u64 phys_base;
bool after_bootmem;

__asm__(".data\n"
	".globl __kernel_start, __text_start, __text_end, __rodata_start, __rodata_end\n"
	".globl __rwdata_start, pl___bss_start, __bss_end, __kernel_end\n"
	"__kernel_start: __text_start: __text_end: __rodata_start: __rodata_end:\n"
	"__rwdata_start: pl___bss_start: __bss_end: __kernel_end:\n"
	".quad 0\n"
	".text\n");
