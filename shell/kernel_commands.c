// SPDX-License-Identifier: MIT
/*
 * Commands about the kernel itself rather than memory: version, cmdline, uptime, crash,
 * reboot and poweroff (dmesg is a row of its own: log_buf_show, kernel/printk.c).
 * Output follows Linux's files: `version` prints /proc/version's line, `cmdline`
 * /proc/cmdline, `uptime` /proc/uptime.  Their rows are in the table in shell/commands.c.
 */
#include "arch/setup.h"
#include "kernel/reboot.h"
#include "kernel/setup.h"
#include "kernel/time.h"
#include "lib/seq_file.h"
#include "shell/kernel_commands.h"
#include "shell/shell.h"

void version_show(struct seq_file *m)
{
	seq_printf(m, "%s\n", pagelab_banner);
}

void cmdline_show(struct seq_file *m)
{
	seq_printf(m, "%s\n", boot_command_line);
}

/* Seconds and hundredths, as /proc/uptime prints them ("%lu.%02lu"). */
static void print_centiseconds(struct seq_file *m, u64 ns)
{
	u64 cs = ns / 10000000;

	seq_printf(m, "%llu.%02llu", cs / 100, cs % 100);
}

/* /proc/uptime: seconds since boot, then seconds all CPUs spent idle. */
int cmd_uptime(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	print_centiseconds(m, local_clock());
	seq_putc(m, ' ');
	print_centiseconds(m, idle_time_ns());
	seq_putc(m, '\n');
	return 0;
}

/* uptime(1) -p style, down to seconds, which matter on a fresh boot. */
static int uptime_pretty(struct seq_file *m, int argc, char **argv)
{
	u64 s = local_clock() / 1000000000;

	(void)argc, (void)argv;
	seq_printf(m, "up %llu hours, %llu minutes, %llu seconds\n", s / 3600, s / 60 % 60, s % 60);
	return 0;
}

const struct shell_subcommand uptime_subcommands[] = {
	{ "-p", uptime_pretty },
	{ NULL },
};

/*
 * Deliberate faults, to see what an oops looks like (Linux: echo c > /proc/sysrq-trigger).
 * pf, ud and gp fault in the command itself: the oops is printed and the shell goes on.
 * irq faults in the next timer interrupt: a fault in interrupt context panics.
 */
static int fault_missed(struct seq_file *m)
{
	seq_puts(m, "crash: the fault did not happen?\n");
	return 1;
}

/* `crash` and `crash pf`: nothing is mapped at Linux's VMALLOC_START (no vmalloc yet). */
int cmd_crash(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	*(volatile u64 *)0xffffc90000000000ULL = 0x2a;
	return fault_missed(m);
}

static int crash_ud(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	__asm__ volatile("ud2");
	return fault_missed(m);
}

static int crash_gp(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	*(volatile u64 *)0x8000000000000000ULL = 0; /* non-canonical address */
	return fault_missed(m);
}

/* Runs from the timer interrupt (call_on_next_tick): the same page fault as `crash pf`. */
static void crash_in_interrupt(void *data)
{
	(void)data;
	*(volatile u64 *)0xffffc90000000000ULL = 0x2a;
}

static int crash_irq(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (call_on_next_tick(crash_in_interrupt, NULL)) {
		seq_puts(m, "crash: the next timer tick is taken already\n");
		return 1;
	}
	seq_puts(m, "crash: the next timer interrupt will fault\n");
	for (;;) /* wait for it, without hlt: the point is a fault in the handler */
		;
}

const struct shell_subcommand crash_subcommands[] = {
	{ "pf", cmd_crash },
	{ "ud", crash_ud },
	{ "gp", crash_gp },
	{ "irq", crash_irq },
	{ NULL },
};

int cmd_reboot(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	seq_puts(m, "reboot: Restarting system\n");
	machine_restart(); /* tries every reset method; halts if none works */
}

int cmd_poweroff(struct seq_file *m, int argc, char **argv)
{
	int err;

	(void)argc, (void)argv;
	seq_puts(m, "reboot: Power down\n");
	err = machine_power_off();
	seq_printf(m, "poweroff: failed (error %d); the machine is still running\n", err);
	return 1;
}
