/* SPDX-License-Identifier: MIT */
/*
 * The CPU commands (shell/smp_commands.c): `cpus` and `on <cpu> <command...>`; and what
 * the commands that run on several CPUs at once share (`stress --cpus`, `bench`).
 */
#ifndef PAGELAB_SHELL_SMP_COMMANDS_H
#define PAGELAB_SHELL_SMP_COMMANDS_H

#include "types.h"

struct seq_file;

/* cpus_show - online CPUs, APIC ids, and /proc/interrupts' LOC/RES/CAL/TLB/SPU rows. */
void cpus_show(struct seq_file *m);

/* cmd_on - `on <cpu> <command...>`: run the command on that CPU; 1 for a bad CPU. */
int cmd_on(struct seq_file *m, int argc, char **argv);

/*
 * shell_pick_cpus - the CPUs a command that runs on @n CPUs at once uses: this one and
 * the next @n - 1 online ones, as a mask.  Returns 0, after saying so with @who's name,
 * if one of them is still running an earlier command (`on`, `stress --cpus`, `bench`).
 * The caller has checked that @n is at most num_online_cpus().
 */
unsigned long shell_pick_cpus(struct seq_file *m, const char *who, unsigned int n);

/*
 * shell_parse_cpus - @arg as the N of `--cpus N` into *@n: a decimal count from 1 to the
 * online CPUs.  Returns 0, or -1 after saying why in @who's name.
 */
int shell_parse_cpus(struct seq_file *m, const char *who, const char *arg, u64 *n);

/*
 * shell_report_count - one row of a conservation check (`stress --cpus`, `bench`):
 * "  <what>  before N  after N  ok", or MISSING / EXTRA and by how many.  Returns 1 if
 * the two differ, else 0, so that the rows' results add up to the failed checks.
 */
unsigned int shell_report_count(struct seq_file *m, const char *what, unsigned long before,
				unsigned long after);

#endif
