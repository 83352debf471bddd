/*
 * The shell's loop and its line editor.
 *
 * Input arrives one byte at a time from the console (serial today).  Terminals differ
 * in what Enter sends - CR, LF or CR LF - so CR and LF both end a line and an LF right
 * after a CR is dropped.  Backspace arrives as BS or DEL.  Escape sequences (arrow keys)
 * are swallowed whole until history and cursor movement exist, so they never end up as
 * garbage in a command.  A line longer than the buffer is refused, not cut.
 */
#include "arch/cpu.h"
#include "kernel/console.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/shell.h"

#define CTRL(c) ((c) & 0x1f)

static const struct shell_command *find_command(const char *name)
{
	for (size_t i = 0; i < nr_shell_commands; i++)
		if (!strcmp(shell_commands[i].name, name))
			return &shell_commands[i];
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

int shell_execute(struct seq_file *m, char *line)
{
	char *argv[SHELL_MAX_ARGS + 1];
	const struct shell_command *cmd;
	int argc = split_words(line, argv);

	if (argc < 0) {
		seq_printf(m, "pagelab: too many words (at most %d)\n", SHELL_MAX_ARGS);
		return 1;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	cmd = find_command(argv[0]);
	if (!cmd) {
		seq_printf(m, "pagelab: %s: command not found (type 'help' for the list)\n",
			   argv[0]);
		return 127;
	}
	if (argc - 1 > cmd->max_args) {
		seq_printf(m, "%s: unexpected argument '%s'\nusage: %s %s\n", cmd->name,
			   argv[cmd->max_args + 1], cmd->name, cmd->args);
		return 2;
	}
	return cmd->fn(m, argc, argv);
}

/* Block (politely) until the console has a byte for us. */
static int wait_for_byte(void)
{
	int c;

	while ((c = console_getc()) < 0)
		cpu_relax();
	return c;
}

static void swallow_escape_sequence(void)
{
	int c = wait_for_byte();

	if (c != '[' && c != 'O')
		return;
	/* CSI: parameter bytes, then one final byte in 0x40..0x7e. */
	do
		c = wait_for_byte();
	while (c < 0x40 || c > 0x7e);
}

/*
 * Read one line into @buf.  Returns its length, or -1 if it was cancelled (Ctrl-C) or
 * too long - in both cases the user has been told and gets a fresh prompt.
 */
static int read_line(struct seq_file *m, char *buf, size_t size)
{
	static bool last_was_cr;
	size_t len = 0;
	bool overflow = false;

	for (;;) {
		int c = wait_for_byte();

		if (c == '\n' && last_was_cr) {
			last_was_cr = false;
			continue;
		}
		last_was_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			seq_puts(m, "\n");
			buf[len] = 0;
			if (!overflow)
				return len;
			seq_printf(m, "pagelab: line too long (at most %zu characters); ignored\n",
				   size - 1);
			return -1;
		} else if (c == '\b' || c == 0x7f) {
			if (len && !overflow) {
				len--;
				seq_puts(m, "\b \b");
			}
		} else if (c == CTRL('C')) {
			seq_puts(m, "^C\n");
			return -1;
		} else if (c == 0x1b) {
			swallow_escape_sequence();
		} else if (c >= ' ' && c < 0x7f) {
			if (len + 1 < size) {
				buf[len++] = c;
				seq_putc(m, c);
			} else {
				overflow = true;
			}
		}
	}
}

void shell_run(void)
{
	struct seq_file *m = console_seq();
	char line[SHELL_LINE_MAX];

	for (;;) {
		seq_puts(m, SHELL_PROMPT);
		if (read_line(m, line, sizeof(line)) >= 0)
			shell_execute(m, line);
	}
}
