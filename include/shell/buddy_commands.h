/* SPDX-License-Identifier: MIT */
/*
 * The shell's page-allocator commands (shell/buddy_commands.c): experiments that
 * allocate and free real memory, and /proc/meminfo.  The allocator's other views
 * (buddyinfo, pagetypeinfo, vmstat, extfrag) are rows that show mm/vmstat.c's functions.
 */
#ifndef PAGELAB_SHELL_BUDDY_COMMANDS_H
#define PAGELAB_SHELL_BUDDY_COMMANDS_H

struct seq_file;

int cmd_alloc(struct seq_file *m, int argc, char **argv);  /* alloc <order> [flags] */
int cmd_free(struct seq_file *m, int argc, char **argv);   /* free <handle|0xpfn> [order] */
int cmd_drain(struct seq_file *m, int argc, char **argv);  /* drain: per-cpu lists back */
int cmd_stress(struct seq_file *m, int argc, char **argv); /* stress [ops] [seed] */
void held_show(struct seq_file *m);         /* held: the blocks `alloc` gave the shell */
void meminfo_proc_show(struct seq_file *m); /* meminfo: /proc/meminfo, DirectMap included */

#endif
