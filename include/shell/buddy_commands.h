/*
 * The shell's page-allocator commands (shell/buddy_commands.c): experiments that
 * allocate and free real memory, and the /proc views of the allocator.
 */
#ifndef PAGELAB_SHELL_BUDDY_COMMANDS_H
#define PAGELAB_SHELL_BUDDY_COMMANDS_H

struct seq_file;

int cmd_alloc(struct seq_file *m, int argc, char **argv);        /* alloc <order> [flags] */
int cmd_free(struct seq_file *m, int argc, char **argv);         /* free <handle|0xpfn> [order] */
int cmd_held(struct seq_file *m, int argc, char **argv);         /* held */
int cmd_drain(struct seq_file *m, int argc, char **argv);        /* drain */
int cmd_stress(struct seq_file *m, int argc, char **argv);       /* stress [ops] [seed] */
int cmd_meminfo(struct seq_file *m, int argc, char **argv);      /* meminfo */
int cmd_pagetypeinfo(struct seq_file *m, int argc, char **argv); /* pagetypeinfo */
int cmd_vmstat(struct seq_file *m, int argc, char **argv);       /* vmstat */
int cmd_extfrag(struct seq_file *m, int argc, char **argv);      /* extfrag */
int cmd_selftest(struct seq_file *m, int argc, char **argv);     /* selftest [suite] */

#endif
