/* SPDX-License-Identifier: MIT */
/*
 * The shell's commands about the kernel itself (shell/kernel_commands.c): its version,
 * command line and uptime, deliberate faults, and switching the machine off.
 */
#ifndef PAGELAB_SHELL_KERNEL_COMMANDS_H
#define PAGELAB_SHELL_KERNEL_COMMANDS_H

#include "shell/shell.h"

struct seq_file;

void version_show(struct seq_file *m);                       /* version */
void cmdline_show(struct seq_file *m);                       /* cmdline */
int cmd_uptime(struct seq_file *m, int argc, char **argv);   /* uptime */
int cmd_crash(struct seq_file *m, int argc, char **argv);    /* crash, crash pf */
int cmd_reboot(struct seq_file *m, int argc, char **argv);   /* never returns */
int cmd_poweroff(struct seq_file *m, int argc, char **argv);

extern const struct shell_subcommand uptime_subcommands[];   /* uptime -p */
extern const struct shell_subcommand crash_subcommands[];    /* crash pf|ud|gp|irq */

#endif
