/* The `mempool` command (shell/mempool_commands.c): pools, and a demo under pressure. */
#ifndef PAGELAB_SHELL_MEMPOOL_COMMANDS_H
#define PAGELAB_SHELL_MEMPOOL_COMMANDS_H

struct seq_file;

extern const char *const mempool_subcommands[];

int cmd_mempool(struct seq_file *m, int argc, char **argv);

#endif
