/*
 * The shell's memory-model commands (shell/mm_commands.c): each prints one of the
 * /proc- or debugfs-style views that mm/ and the x86 code provide.
 */
#ifndef PAGELAB_SHELL_MM_COMMANDS_H
#define PAGELAB_SHELL_MM_COMMANDS_H

struct seq_file;

int cmd_zoneinfo(struct seq_file *m, int argc, char **argv);
int cmd_buddyinfo(struct seq_file *m, int argc, char **argv);
int cmd_page(struct seq_file *m, int argc, char **argv);
int cmd_vtop(struct seq_file *m, int argc, char **argv);
int cmd_ptdump(struct seq_file *m, int argc, char **argv);
int cmd_iomem(struct seq_file *m, int argc, char **argv);

#endif
