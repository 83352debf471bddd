/*
 * The shell: a line editor on the console, a table of commands, and the loop between.
 * A command receives its words like main() does and writes through a seq_file, so the
 * same function prints to the console in the kernel and into a buffer in host tests.
 */
#ifndef PAGELAB_SHELL_SHELL_H
#define PAGELAB_SHELL_SHELL_H

#include "types.h"

struct seq_file;

#define SHELL_PROMPT "pagelab> "
#define SHELL_LINE_MAX 256
#define SHELL_MAX_ARGS 16

struct shell_command {
	const char *name;
	const char *args;        /* usage after the name, e.g. "[command]"; "" if none */
	const char *description; /* one line, for `help` */
	int max_args;            /* words after the name the command accepts */
	int (*fn)(struct seq_file *m, int argc, char **argv);
};

extern const struct shell_command shell_commands[];
extern const size_t nr_shell_commands;

/*
 * shell_execute - split @line into words (modifying it) and run the command.
 * Returns the command's result: 0 on success; non-zero after printing an error (unknown
 * command, too many arguments, or the command's own failure).  Blank lines return 0.
 */
int shell_execute(struct seq_file *m, char *line);

/* shell_run - print the prompt, read lines from the console, run them.  Never returns. */
__noreturn void shell_run(void);

#endif
