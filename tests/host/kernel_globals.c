/*
 * Globals the kernel gets from kernel/main.c and the linker script, for host builds of
 * mm/ code that reads them.  The kernel image symbols are tiny arrays: the host has no
 * kernel image, so its section sizes come out as 0 in "Memory:" lines.
 */
#include "kernel/setup.h"
#include "mm/mm.h"

const struct boot_info *boot_info;
const char *boot_command_line = "";
u64 phys_base;

char __kernel_start[1], __text_start[1], __text_end[1], __rodata_start[1], __rodata_end[1];
char __rwdata_start[1], __bss_start[1], __bss_end[1], __kernel_end[1];
