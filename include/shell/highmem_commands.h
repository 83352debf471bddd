/* The `highmem` command (shell/highmem_commands.c): the 32-bit layout, kmap, live. */
#ifndef PAGELAB_SHELL_HIGHMEM_COMMANDS_H
#define PAGELAB_SHELL_HIGHMEM_COMMANDS_H

struct seq_file;

extern const char *const highmem_subcommands[];

int cmd_highmem(struct seq_file *m, int argc, char **argv);

#endif
