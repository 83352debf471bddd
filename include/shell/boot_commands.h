/* SPDX-License-Identifier: MIT */
/*
 * The shell's boot commands (shell/boot_commands.c): what the firmware and the loader
 * handed over, and the boot-time memory built from it.  `memblock` alone needs no
 * function here: its row shows memblock_debugfs_show (include/mm/memblock.h).
 */
#ifndef PAGELAB_SHELL_BOOT_COMMANDS_H
#define PAGELAB_SHELL_BOOT_COMMANDS_H

#include "shell/shell.h"

struct seq_file;

void bootinfo_show(struct seq_file *m); /* bootinfo: struct boot_info, field by field */
void memmap_show(struct seq_file *m);   /* memmap: the EFI descriptors or the BIOS E820 list */
void e820_show(struct seq_file *m);     /* e820: the kernel's sanitised table */

extern const struct shell_subcommand e820_subcommands[];     /* e820 firmware */
extern const struct shell_subcommand memblock_subcommands[]; /* memblock memory|reserved|dump */

#endif
