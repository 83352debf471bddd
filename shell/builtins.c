/*
 * The shell's own commands: help, clear, echo, history, uptime, cmdline, dmesg, crash.
 * Output formats follow Linux where Linux has one: `uptime` prints /proc/uptime,
 * `cmdline` /proc/cmdline, `dmesg` the log with its "[    0.123456] " stamps, `history`
 * bash's numbered list.
 */
#include "arch/irq.h"
#include "arch/setup.h"
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "kernel/time.h"
#include "lib/errno.h"
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

int cmd_clear(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	seq_puts(m, "\x1b[H\x1b[2J"); /* what clear(1) sends to a VT100-like terminal */
	return 0;
}

int cmd_echo(struct seq_file *m, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		seq_printf(m, "%s%s", argv[i], i + 1 < argc ? " " : "");
	seq_putc(m, '\n');
	return 0;
}

int cmd_history(struct seq_file *m, int argc, char **argv)
{
	u64 n = 0;

	if (argc > 1 && !strcmp(argv[1], "-c")) {
		le_history_clear(&shell_history);
		return 0;
	}
	if (argc > 1 && arg_u64_range(m, "history", "count", argv[1], 1, LE_HISTORY_MAX, &n))
		return 1;
	le_history_show(&shell_history, m, n);
	return 0;
}

/* Seconds and hundredths, as /proc/uptime prints them ("%lu.%02lu"). */
static void print_centiseconds(struct seq_file *m, u64 ns)
{
	u64 cs = ns / 10000000;

	seq_printf(m, "%llu.%02llu", cs / 100, cs % 100);
}

int cmd_uptime(struct seq_file *m, int argc, char **argv)
{
	u64 now = local_clock();

	if (argc > 1 && !strcmp(argv[1], "-p")) {
		u64 s = now / 1000000000;

		/* uptime(1) -p style, down to seconds, which matter on a fresh boot */
		seq_printf(m, "up %llu hours, %llu minutes, %llu seconds\n", s / 3600, s / 60 % 60,
			   s % 60);
		return 0;
	}
	if (argc > 1) {
		seq_printf(m, "uptime: unknown option '%s' (expected -p)\n", argv[1]);
		return 1;
	}
	/* /proc/uptime: seconds since boot, then seconds all CPUs spent idle. */
	print_centiseconds(m, now);
	seq_putc(m, ' ');
	print_centiseconds(m, idle_time_ns());
	seq_putc(m, '\n');
	return 0;
}

int cmd_cmdline(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	seq_printf(m, "%s\n", boot_command_line);
	return 0;
}

int cmd_dmesg(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	log_buf_show(m);
	return 0;
}

const char *const crash_kinds[] = { "pf", "ud", "gp", "irq", NULL };

/*
 * Deliberate faults, to see what an oops looks like (Linux: echo c > /proc/sysrq-trigger).
 * pf, ud and gp fault in the command itself: the oops is printed and the shell goes on.
 * irq makes the next timer interrupt fault: a fault in interrupt context panics.
 */
int cmd_crash(struct seq_file *m, int argc, char **argv)
{
	int kind = argc > 1 ? arg_choice(m, "crash", "fault", argv[1], crash_kinds) : 0;

	switch (kind) {
	case 0:
		/* Nothing is mapped at Linux's VMALLOC_START (vmalloc does not exist yet). */
		*(volatile u64 *)0xffffc90000000000ULL = 0x2a;
		break;
	case 1:
		__asm__ volatile("ud2");
		break;
	case 2:
		*(volatile u64 *)0x8000000000000000ULL = 0; /* non-canonical address */
		break;
	case 3:
		seq_puts(m, "crash: the next timer interrupt will fault\n");
		timer_crash_next_tick = true;
		for (;;) /* wait for it, without hlt: the point is a fault in the handler */
			;
	default:
		return 1;
	}
	seq_puts(m, "crash: the fault did not happen?\n");
	return 1;
}
