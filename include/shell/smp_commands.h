/* SPDX-License-Identifier: MIT */
/* The CPU commands (shell/smp_commands.c): `cpus` and `on <cpu> <command...>`. */
#ifndef PAGELAB_SHELL_SMP_COMMANDS_H
#define PAGELAB_SHELL_SMP_COMMANDS_H

struct seq_file;

/* cpus_show - online CPUs, APIC ids, and /proc/interrupts' LOC/RES/CAL/TLB/SPU rows. */
void cpus_show(struct seq_file *m);

/* cmd_on - `on <cpu> <command...>`: run the command on that CPU; 1 for a bad CPU. */
int cmd_on(struct seq_file *m, int argc, char **argv);

#endif
