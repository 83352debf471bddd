/*
 * The shell's own commands (shell/builtins.c): the ones about the shell and the
 * console rather than about memory.  shell/commands.c lists them in the command table
 * with the others.
 */
#ifndef PAGELAB_SHELL_BUILTINS_H
#define PAGELAB_SHELL_BUILTINS_H

struct seq_file;

int cmd_help(struct seq_file *m, int argc, char **argv);    /* help [command] */
int cmd_clear(struct seq_file *m, int argc, char **argv);   /* clear */
int cmd_echo(struct seq_file *m, int argc, char **argv);    /* echo [word ...] */
int cmd_history(struct seq_file *m, int argc, char **argv); /* history [count|-c] */
int cmd_uptime(struct seq_file *m, int argc, char **argv);  /* uptime [-p] */
int cmd_cmdline(struct seq_file *m, int argc, char **argv); /* cmdline */
int cmd_dmesg(struct seq_file *m, int argc, char **argv);   /* dmesg */
int cmd_crash(struct seq_file *m, int argc, char **argv);   /* crash [pf|ud|gp|irq] */

extern const char *const crash_kinds[]; /* for Tab completion */

#endif
