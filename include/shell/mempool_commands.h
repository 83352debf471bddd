/* SPDX-License-Identifier: MIT */
/* The `mempool` command (shell/mempool_commands.c): pools, and a demo under pressure. */
#ifndef PAGELAB_SHELL_MEMPOOL_COMMANDS_H
#define PAGELAB_SHELL_MEMPOOL_COMMANDS_H

#include "shell/shell.h"

struct seq_file;

/* mempool_show - `mempool`: each pool's element size, min_nr, reserve and counters. */
void mempool_show(struct seq_file *m);

extern const struct shell_subcommand mempool_subcommands[]; /* mempool demo */

#endif
