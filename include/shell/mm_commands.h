/* SPDX-License-Identifier: MIT */
/*
 * The shell's memory-model commands (shell/mm_commands.c) that take an argument; the
 * views (zoneinfo, ptdump, iomem) are rows that show mm's and the x86 code's own
 * functions.
 */
#ifndef PAGELAB_SHELL_MM_COMMANDS_H
#define PAGELAB_SHELL_MM_COMMANDS_H

struct seq_file;

int cmd_page(struct seq_file *m, int argc, char **argv); /* page <pfn>: dump_page */
int cmd_vtop(struct seq_file *m, int argc, char **argv); /* vtop <vaddr>: the page-table walk */

#endif
