// SPDX-License-Identifier: MIT
/*
 * The shell's own commands, about the shell rather than the kernel: help, history,
 * echo, clear.  `history` prints bash's numbered list; the others have no Linux file to
 * follow.  Their rows are in the table in shell/commands.c.
 */
#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/args.h"
#include "shell/builtins.h"
#include "shell/shell.h"

/* Usage, description and examples; a command without examples gets its bare name. */
static void print_help(struct seq_file *m, const struct shell_command *c)
{
	shell_print_usage(m, c);
	seq_printf(m, "  %s\nexamples:\n", c->description);
	if (!c->examples) {
		seq_printf(m, "  %s\n", c->min_args ? "(none yet)" : c->name);
		return;
	}
	for (const char *p = c->examples; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		seq_printf(m, "  %.*s\n", (int)n, p);
		p += n + (nl != NULL);
	}
}

int cmd_help(struct seq_file *m, int argc, char **argv)
{
	const struct shell_command *c;

	if (argc == 1) {
		for (size_t i = 0; i < nr_shell_commands; i++)
			seq_printf(m, "  %-10s %s\n", shell_commands[i].name,
				   shell_commands[i].description);
		seq_puts(m, "'help <command>' shows its usage and examples.  Keys: Tab completes,\n"
			    "Up/Down recall history, Ctrl-A/E/K/U/W/L edit as in bash.\n");
		return 0;
	}
	c = shell_find_command(argv[1]);
	if (!c) {
		seq_printf(m, "help: no such command '%s' (type 'help' for the list)\n", argv[1]);
		return 1;
	}
	print_help(m, c);
	return 0;
}

void clear_show(struct seq_file *m)
{
	seq_puts(m, "\x1b[H\x1b[2J"); /* what clear(1) sends to a VT100-like terminal */
}

int cmd_echo(struct seq_file *m, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		seq_printf(m, "%s%s", argv[i], i + 1 < argc ? " " : "");
	seq_putc(m, '\n');
	return 0;
}

/* `history [count]`; `history -c` is a sub-command. */
int cmd_history(struct seq_file *m, int argc, char **argv)
{
	u64 n = 0;

	if (argc > 1 && arg_u64_range(m, "history", "count", argv[1], 1, LE_HISTORY_MAX, &n))
		return 1;
	le_history_show(&shell_history, m, n);
	return 0;
}

static int history_clear(struct seq_file *m, int argc, char **argv)
{
	(void)m, (void)argc, (void)argv;
	le_history_clear(&shell_history);
	return 0;
}

const struct shell_subcommand history_subcommands[] = {
	{ "-c", history_clear },
	{ NULL },
};
