/* SPDX-License-Identifier: MIT */
/*
 * The shell's SLUB commands (shell/slab_commands.c): experiments with kmalloc and
 * private caches, the slabtop view, and slubtest, which breaks things on purpose so the
 * slub_debug reports can be seen.  `slabinfo` is a row that shows slabinfo_show
 * (include/mm/slab.h).
 */
#ifndef PAGELAB_SHELL_SLAB_COMMANDS_H
#define PAGELAB_SHELL_SLAB_COMMANDS_H

#include "shell/shell.h"

struct seq_file;

int cmd_slabtop(struct seq_file *m, int argc, char **argv); /* slabtop [lines] */
int cmd_kmalloc(struct seq_file *m, int argc, char **argv); /* kmalloc [size] [zero] [dma] */
int cmd_kfree(struct seq_file *m, int argc, char **argv);   /* kfree <addr> */
int cmd_slab(struct seq_file *m, int argc, char **argv);    /* slab <cache> */

extern const struct shell_subcommand cache_subcommands[];    /* cache create|alloc|... <name> */
extern const struct shell_subcommand slubtest_subcommands[]; /* slubtest <experiment> */

#endif
