/* SPDX-License-Identifier: MIT */
/*
 * The shell's own commands (shell/builtins.c): the ones about the shell itself rather
 * than the kernel or memory.  shell/commands.c lists them in the command table with the
 * others.
 */
#ifndef PAGELAB_SHELL_BUILTINS_H
#define PAGELAB_SHELL_BUILTINS_H

#include "shell/shell.h"

struct seq_file;

int cmd_help(struct seq_file *m, int argc, char **argv);    /* help [command] */
int cmd_echo(struct seq_file *m, int argc, char **argv);    /* echo [word ...] */
int cmd_history(struct seq_file *m, int argc, char **argv); /* history [count] */
void clear_show(struct seq_file *m);                        /* clear */

extern const struct shell_subcommand history_subcommands[]; /* history -c */

#endif
