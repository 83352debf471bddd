/* SPDX-License-Identifier: MIT */
/*
 * `stress --cpus N [ops] [seed]` (shell/stress_commands.c): `stress`'s random workload on N
 * CPUs at once, with frees crossing CPUs, ending in a conservation check.  cmd_stress()
 * (shell/buddy_commands.c) hands the command line over when it starts with --cpus.
 * Returns 0 if the check passed, 1 if it failed or the arguments are wrong, 130 after
 * Ctrl-C.
 */
#ifndef PAGELAB_SHELL_STRESS_COMMANDS_H
#define PAGELAB_SHELL_STRESS_COMMANDS_H

struct seq_file;

int cmd_stress_cpus(struct seq_file *m, int argc, char **argv);

#endif
