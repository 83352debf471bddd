/* SPDX-License-Identifier: MIT */
/* The `selftest` command (shell/selftest_commands.c): the in-kernel self-tests, KTAP. */
#ifndef PAGELAB_SHELL_SELFTEST_COMMANDS_H
#define PAGELAB_SHELL_SELFTEST_COMMANDS_H

struct seq_file;

/*
 * cmd_selftest - `selftest` runs every suite, `selftest buddy` one, `selftest buddy.x`
 * one case.  Returns 0 if every test passed, 1 if one failed or no suite has the name.
 */
int cmd_selftest(struct seq_file *m, int argc, char **argv);

#endif
