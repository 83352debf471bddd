/*
 * The shell: a line editor on the console, a table of commands, and the loop between.
 * A command receives its words like main() does and writes through a seq_file, so the
 * same function prints to the console in the kernel and into a buffer in host tests.
 *
 *   console_read_char() --> le_feed() (shell/line_edit.c) --> shell_execute()
 *        (sleeps in hlt)     editing, history, Tab              word split, argument
 *                                                                count check, cmd->fn
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
 * One command.  The first five fields are positional in the table (shell/commands.c);
 * the rest are optional and named: { "memmap", "", "...", 0, cmd_memmap, .examples = ... }.
 */
struct shell_command {
	const char *name;
	const char *args;        /* usage after the name, e.g. "[command]"; "" if none */
	const char *description; /* one line, for `help` */
	int max_args;            /* words after the name the command accepts */
	int (*fn)(struct seq_file *m, int argc, char **argv);
	int min_args;            /* words after the name the command needs (default 0) */
	const char *examples;    /* for `help <name>`: lines separated by '\n' */
	const char *const *subcommands; /* what Tab offers after the name, NULL-terminated */
	bool complete_commands;  /* Tab after the name offers command names (help) */
};

extern const struct shell_command shell_commands[];
extern const size_t nr_shell_commands;

/* The shell's history, for the `history` command. */
extern struct le_history shell_history;

/* shell_print_usage - print "usage: <name> <args>" for @cmd. */
void shell_print_usage(struct seq_file *m, const struct shell_command *cmd);

/* shell_find_command - the command called @name, or NULL. */
const struct shell_command *shell_find_command(const char *name);

/*
 * shell_execute - split @line into words (modifying it) and run the command.
 * Returns the command's result: 0 on success; non-zero after printing an error (unknown
 * command, too many or too few arguments, or the command's own failure).  Blank lines
 * return 0.
 */
int shell_execute(struct seq_file *m, char *line);

/*
 * shell_candidates - Tab completion for the line editor: command names for the first
 * word, then the command's sub-commands (or command names after `help`).
 */
void shell_candidates(int argc, char **argv, void (*add)(void *ctx, const char *w), void *ctx);

/* shell_run - print the prompt, read lines from the console, run them.  Never returns. */
__noreturn void shell_run(void);

#endif
