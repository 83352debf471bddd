// SPDX-License-Identifier: MIT
/*
 * The shell's loop: read a line with the line editor (shell/line_edit.c), split it into
 * words, check the argument count against the command's row (shell/commands.c), and run
 * what the row names: a sub-command, the view (.show) or the command's function (.fn).
 *
 * Input arrives one byte at a time from the console - serial and keyboard alike, both
 * by interrupt - and while there is none the CPU sleeps in `hlt` (console_read_char).
 *
 * A command that faults does not take the kernel down: before running it the shell
 * records a resume point (kernel_setjmp) and publishes it in oops_resume; after the
 * oops, do_exception() jumps back here and the prompt returns.  What cannot be trusted
 * afterwards is whatever the command was in the middle of changing: a half-updated
 * data structure (a memblock array being inserted into, a list being relinked), a
 * device it was programming.  The shell itself, printk and the consoles are fine: the
 * command only used them through calls that had finished (an oops inside printk would
 * be a nested fault, which panics instead).  Interrupts were disabled by the exception
 * gate and are enabled again here.
 *
 * Ctrl-C while a command runs (include/kernel/signal.h): a long command stops at its
 * next safe point when signal_pending() says so, and returns; the shell then forgets
 * the signal (flush_signals), so the next command starts without it.
 */
#include "arch/irq.h"
#include "arch/setjmp.h"
#include "arch/traps.h"
#include "kernel/console.h"
#include "kernel/percpu.h"
#include "kernel/signal.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/args.h"
#include "shell/shell.h"

struct le_history shell_history;

const struct shell_command *shell_find_command(const char *name)
{
	for (size_t i = 0; i < nr_shell_commands; i++)
		if (!strcmp(shell_commands[i].name, name))
			return &shell_commands[i];
	return NULL;
}

void shell_print_usage(struct seq_file *m, const struct shell_command *cmd)
{
	seq_printf(m, "usage: %s%s%s\n", cmd->name, cmd->args ? " " : "",
		   cmd->args ? cmd->args : "");
}

/* The sub-command of @cmd called @word, or NULL (also when @cmd has none). */
static const struct shell_subcommand *find_subcommand(const struct shell_command *cmd,
						      const char *word)
{
	for (const struct shell_subcommand *sub = cmd->subcommands; sub && sub->name; sub++)
		if (!strcmp(sub->name, word))
			return sub;
	return NULL;
}

static int split_words(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		if (argc == SHELL_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

/* Whether the row's min_args and max_args allow @argc words; if not, say so with usage. */
static bool arg_count_ok(struct seq_file *m, const struct shell_command *cmd, int argc,
			 char **argv)
{
	if (argc - 1 > cmd->max_args)
		seq_printf(m, "%s: unexpected argument '%s'\n", cmd->name, argv[cmd->max_args + 1]);
	else if (argc - 1 < cmd->min_args)
		seq_printf(m, "%s: missing argument (expected %s)\n", cmd->name, cmd->args);
	else
		return true;
	shell_print_usage(m, cmd);
	return false;
}

int shell_execute(struct seq_file *m, char *line)
{
	char *argv[SHELL_MAX_ARGS + 1];
	const struct shell_command *cmd;
	const struct shell_subcommand *sub;
	int argc = split_words(line, argv);

	if (argc < 0) {
		seq_printf(m, "pagelab: too many words (at most %d)\n", SHELL_MAX_ARGS);
		return 1;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	cmd = shell_find_command(argv[0]);
	if (!cmd) {
		seq_printf(m, "pagelab: %s: command not found (type 'help' for the list)\n",
			   argv[0]);
		return 127;
	}
	if (!arg_count_ok(m, cmd, argc, argv))
		return 2;
	/* The order of the rules in include/shell/shell.h. */
	if (argc > 1 && cmd->what) {
		sub = ARG_LOOKUP(m, cmd->name, cmd->what, argv[1], cmd->subcommands);
		return sub ? sub->fn(m, argc, argv) : 1;
	}
	sub = argc > 1 ? find_subcommand(cmd, argv[1]) : NULL;
	if (sub)
		return sub->fn(m, argc, argv);
	if (argc == 1 && cmd->show) {
		cmd->show(m);
		return 0;
	}
	if (!cmd->fn) { /* a row with only sub-commands, and no .min_args = 1 */
		shell_print_usage(m, cmd);
		return 2;
	}
	return cmd->fn(m, argc, argv);
}

void shell_candidates(int argc, char **argv, void (*add)(void *ctx, const char *w), void *ctx)
{
	const struct shell_command *cmd = argc ? shell_find_command(argv[0]) : NULL;

	if (argc == 0 || (argc == 1 && cmd && cmd->complete_commands)) {
		for (size_t i = 0; i < nr_shell_commands; i++)
			add(ctx, shell_commands[i].name);
		return;
	}
	if (argc == 1 && cmd && cmd->subcommands)
		for (const struct shell_subcommand *sub = cmd->subcommands; sub->name; sub++)
			add(ctx, sub->name);
}

/* Each CPU's resume point: `on` runs a line on another CPU, on that CPU's stack. */
static DEFINE_PER_CPU(struct jmp_buf, shell_resume);

/*
 * Run one line with a resume point armed.  After an oops we come back out of
 * kernel_setjmp a second time, returning 1; only static data is used after that.
 */
void shell_run_line(struct seq_file *m, char *line)
{
	struct jmp_buf *resume = this_cpu_ptr(&shell_resume);

	if (kernel_setjmp(resume)) {
		local_irq_enable(); /* the exception gate turned them off */
		flush_signals();
		seq_puts(m, "pagelab: the command oopsed; back at the prompt (see above)\n");
		return;
	}
	this_cpu_write(oops_resume, resume);
	shell_execute(m, line);
	this_cpu_write(oops_resume, NULL);
	flush_signals();
}

void shell_run(void)
{
	static struct line_editor le;
	struct seq_file *m = console_seq();

	le_init(&le, SHELL_PROMPT, m, &shell_history, shell_candidates);
	for (;;) {
		enum le_result r;

		le_begin(&le);
		do
			r = le_feed(&le, console_read_char());
		while (r == LE_CONTINUE);
		if (r != LE_DONE)
			continue;
		le_history_add(&shell_history, le.buf);
		shell_run_line(m, le.buf);
	}
}
