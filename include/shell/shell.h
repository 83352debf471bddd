/* SPDX-License-Identifier: MIT */
/*
 * The shell: a line editor on the console, a table of commands, and the loop between.
 * A command receives its words like main() does and writes through a seq_file, so the
 * same function prints to the console in the kernel and into a buffer in host tests.
 *
 *   console_read_char() --> le_feed() (shell/line_edit.c) --> shell_execute()
 *        (sleeps in hlt)     editing, history, Tab              word split, argument
 *                                                                count check, then the
 *                                                                row's sub-command, show
 *                                                                or fn
 */
#ifndef PAGELAB_SHELL_SHELL_H
#define PAGELAB_SHELL_SHELL_H

#include "shell/line_edit.h"
#include "types.h"

struct seq_file;

#define SHELL_PROMPT "pagelab> "
#define SHELL_LINE_MAX LE_LINE_MAX
#define SHELL_MAX_ARGS 16

/*
 * One word after a command's name and the function it runs, e.g. { "demo", mempool_demo }.
 * A command's sub-commands are an array of these ending in { NULL }.  The function gets
 * the whole line: argv[0] is the command, argv[1] the sub-command.
 */
struct shell_subcommand {
	const char *name;
	int (*fn)(struct seq_file *m, int argc, char **argv);
};

/*
 * One command: a row of the table in shell/commands.c, written with designated
 * initializers; a field left out is 0 or NULL.  docs/shell.md shows how a row is written.
 *
 * What runs, once the argument count is checked (shell_execute):
 *   argv[1] names one of .subcommands      that sub-command's fn
 *   argv[1] names none, and .what is set   nothing: "<name>: unknown <what> '<word>'
 *                                          (expected a, b or c)" and the result 1
 *   no argv[1], and .show is set           show(m), and the result 0
 *   otherwise                              fn(m, argc, argv)
 * A view - a /proc-style file that prints and cannot fail - is just .show: no wrapper.
 */
struct shell_command {
	const char *name;
	const char *args;        /* usage after the name, e.g. "[command]"; NULL if none */
	const char *description; /* one line, for `help` */
	const char *examples;    /* for `help <name>`: lines separated by '\n' */
	int min_args, max_args;  /* words after the name it needs and accepts (default 0) */
	void (*show)(struct seq_file *m);
	int (*fn)(struct seq_file *m, int argc, char **argv); /* 0 on success, else non-zero */
	const struct shell_subcommand *subcommands; /* also what Tab offers after the name */
	const char *what;        /* what a sub-command is called, in errors: "view", "fault" */
	bool complete_commands;  /* Tab after the name offers command names (help) */
};

extern const struct shell_command shell_commands[];
extern const size_t nr_shell_commands;

/* The shell's history, for the `history` command. */
extern struct le_history shell_history;

/* shell_print_usage - print "usage: <name> <args>" for @cmd (just the name if it has no args). */
void shell_print_usage(struct seq_file *m, const struct shell_command *cmd);

/* shell_find_command - the command called @name, or NULL. */
const struct shell_command *shell_find_command(const char *name);

/*
 * shell_execute - split @line into words (modifying it) and run the command.
 * Returns the command's result: 0 on success; non-zero after printing an error (unknown
 * command or sub-command, too many or too few arguments, or the command's own failure).
 * Blank lines return 0.
 */
int shell_execute(struct seq_file *m, char *line);

/*
 * shell_run_line - shell_execute() @line with this CPU's oops resume point armed: a
 * command that oopses returns here with a message.  What the prompt runs, and `on`.
 */
void shell_run_line(struct seq_file *m, char *line);

/*
 * shell_candidates - Tab completion for the line editor: command names for the first
 * word, then the names of the command's sub-commands (or command names after `help`).
 */
void shell_candidates(int argc, char **argv, void (*add)(void *ctx, const char *w), void *ctx);

/* shell_run - print the prompt, read lines from the console, run them.  Never returns. */
__noreturn void shell_run(void);

#endif
