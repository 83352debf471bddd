/* SPDX-License-Identifier: MIT */
/*
 * `bench [--cpus N] [ops]` (shell/bench_commands.c): alloc+free throughput of the page
 * allocator (orders 0 and 3) and kmalloc (a 64-byte pair, a batch of 1000) on N CPUs at
 * once, per CPU and in total, then a check that every page and object came back.
 * Returns 0, 1 for bad arguments or a failed check, 130 after Ctrl-C.
 */
#ifndef PAGELAB_SHELL_BENCH_COMMANDS_H
#define PAGELAB_SHELL_BENCH_COMMANDS_H

struct seq_file;

int cmd_bench(struct seq_file *m, int argc, char **argv);

#endif
