/* SPDX-License-Identifier: MIT */
/* The `highmem` command (shell/highmem_commands.c): the 32-bit layout, kmap, live. */
#ifndef PAGELAB_SHELL_HIGHMEM_COMMANDS_H
#define PAGELAB_SHELL_HIGHMEM_COMMANDS_H

#include "shell/shell.h"

struct seq_file;

/* highmem_show - `highmem`: the layout, the HighMem zone and the kmap windows. */
void highmem_show(struct seq_file *m);

extern const struct shell_subcommand highmem_subcommands[]; /* demo|touch|kmap|kunmap|pkmap */

#endif
