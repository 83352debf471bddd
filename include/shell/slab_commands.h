/*
 * The shell's SLUB commands (shell/slab_commands.c): the /proc views of the object
 * allocator, experiments with kmalloc and private caches, and slubtest, which breaks
 * things on purpose so the slub_debug reports can be seen.
 */
#ifndef PAGELAB_SHELL_SLAB_COMMANDS_H
#define PAGELAB_SHELL_SLAB_COMMANDS_H

struct seq_file;

int cmd_slabinfo(struct seq_file *m, int argc, char **argv);
int cmd_slabtop(struct seq_file *m, int argc, char **argv);
int cmd_kmalloc(struct seq_file *m, int argc, char **argv);
int cmd_kfree(struct seq_file *m, int argc, char **argv);
int cmd_cache(struct seq_file *m, int argc, char **argv);
int cmd_slubtest(struct seq_file *m, int argc, char **argv);

/* What Tab offers after `cache` and `slubtest`. */
extern const char *const cache_subcommands[];
extern const char *const slubtest_kinds[];

#endif
