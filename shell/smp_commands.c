// SPDX-License-Identifier: MIT
/*
 * `cpus`: the CPUs and their interrupt counts; `on <cpu> <command...>`: run a shell
 * command on another CPU.
 *
 * `on` does not run the command in an interrupt handler: it posts the line to the
 * target's idle loop (smp_post_idle_work) and kicks it with an IPI; the target runs it
 * like the prompt does, with its own oops resume point, and prints to the caller's
 * output.  The caller sleeps in hlt until it is done, running any work posted to itself
 * meanwhile.  Ctrl-C reaches the command (signal_pending() is global); if it has not
 * stopped 3 seconds later the caller gives up waiting and the target finishes alone.
 *
 * Also what `stress --cpus N` and `bench --cpus N` share: reading N, and picking the
 * CPUs (this one and the next N - 1 online ones that are free).
 */
#include "arch/apic.h"
#include "arch/irq.h"
#include "arch/setup.h"
#include "arch/smpboot.h"
#include "kernel/signal.h"
#include "kernel/smp.h"
#include "lib/kstrtox.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/debug_race.h"
#include "shell/shell.h"
#include "shell/smp_commands.h"

#define ON_LINE_MAX 256
#define ON_CTRL_C_GRACE_NS 3000000000ULL

/* /proc/interrupts' per-CPU rows: "%*s: " with a width of 3, "%10u " per online CPU. */
static void irq_row(struct seq_file *m, const char *name, size_t field, const char *what)
{
	unsigned int cpu;

	seq_printf(m, "%3s: ", name);
	for_each_online_cpu(cpu) {
		const irq_cpustat_t *st = &per_cpu(irq_stat, cpu);

		seq_printf(m, "%10u ", *(const unsigned int *)((const char *)st + field));
	}
	seq_printf(m, "  %s\n", what);
}

void cpus_show(struct seq_file *m)
{
	unsigned int cpu;

	seq_printf(m, "%u of %u possible CPUs online (NR_CPUS %u), local APIC in %s mode\n",
		   num_online_cpus(), num_possible_cpus(), NR_CPUS, x2apic_mode ? "x2APIC" : "xAPIC");
	seq_puts(m, "CPU  APIC id  state\n");
	for_each_possible_cpu(cpu)
		seq_printf(m, "%3u  %7u  %s%s\n", cpu, cpuid_to_apicid[cpu],
			   cpu_online(cpu) ? "online" : "offline",
			   cpu == smp_processor_id() ? " (this one)" : "");
	seq_printf(m, "%*s", 3 + 8, "");
	for_each_online_cpu(cpu)
		seq_printf(m, "CPU%-8u", cpu);
	seq_putc(m, '\n');
	irq_row(m, "LOC", offsetof(irq_cpustat_t, apic_timer_irqs), "Local timer interrupts");
	irq_row(m, "RES", offsetof(irq_cpustat_t, irq_resched_count), "Rescheduling interrupts");
	irq_row(m, "CAL", offsetof(irq_cpustat_t, irq_call_count), "Function call interrupts");
	irq_row(m, "TLB", offsetof(irq_cpustat_t, irq_tlb_count), "TLB shootdowns");
	irq_row(m, "SPU", offsetof(irq_cpustat_t, irq_spurious_count), "Spurious interrupts");
	if (debug_race)
		seq_printf(m, "UNSAFE: debug_race=%s: %s is not taken (pagelab's teaching switch, "
			      "docs/mm/smp.md)\n", debug_race_name(), debug_race_lock_name());
}

struct on_work {
	struct seq_file *m;
	char line[ON_LINE_MAX];
};

static struct on_work on_works[NR_CPUS];

static void on_run(void *arg)
{
	struct on_work *w = arg;

	shell_run_line(w->m, w->line);
}

/* Join argv[first..argc-1] with single spaces into @buf; false if it does not fit. */
static bool join_words(char *buf, size_t size, int argc, char **argv, int first)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = first; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + 2 > size)
			return false;
		if (len)
			buf[len++] = ' ';
		memcpy(buf + len, argv[i], n + 1);
		len += n;
	}
	return true;
}

/* The CPUs in @mask as Linux prints a CPU list (%*pbl, /sys/devices/system/cpu/online): 0-1,3. */
static void seq_cpulist(struct seq_file *m, unsigned long mask)
{
	const char *sep = "";

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned int last = cpu;

		if (!(mask >> cpu & 1))
			continue;
		while (last + 1 < NR_CPUS && (mask >> (last + 1) & 1))
			last++;
		seq_printf(m, last > cpu ? "%s%u-%u" : "%s%u", sep, cpu, last);
		sep = ",";
		cpu = last;
	}
}

int cmd_on(struct seq_file *m, int argc, char **argv)
{
	unsigned long long n;
	unsigned int cpu;
	u64 ctrl_c_at = 0;
	char line[ON_LINE_MAX];
	int err;

	if (kstrtoull(argv[1], 0, &n) || n >= NR_CPUS || !cpu_online((unsigned int)n)) {
		seq_printf(m, "on: '%s' is not an online CPU (%u online: ", argv[1], num_online_cpus());
		seq_cpulist(m, __atomic_load_n(&__cpu_online_mask, __ATOMIC_RELAXED));
		seq_puts(m, "; see cpus)\n");
		return 1;
	}
	cpu = (unsigned int)n;
	if (!join_words(line, sizeof(line), argc, argv, 2)) {
		seq_printf(m, "on: the command is longer than %d characters\n", ON_LINE_MAX - 1);
		return 1;
	}
	if (cpu == smp_processor_id())
		return shell_execute(m, line); /* already here: no need to ask anyone */
	if (!smp_idle_work_done(cpu)) {
		seq_printf(m, "on: CPU%u is still running an earlier command\n", cpu);
		return 1;
	}
	on_works[cpu].m = m;
	memcpy(on_works[cpu].line, line, sizeof(line));
	err = smp_post_idle_work(cpu, on_run, &on_works[cpu]);
	if (err) {
		seq_printf(m, "on: cannot post to CPU%u (error %d)\n", cpu, err);
		return 1;
	}
	while (!smp_idle_work_done(cpu)) {
		smp_run_idle_work();
		if (signal_pending() && !ctrl_c_at)
			ctrl_c_at = local_clock();
		if (ctrl_c_at && local_clock() - ctrl_c_at > ON_CTRL_C_GRACE_NS) {
			seq_printf(m, "on: CPU%u has not stopped 3 s after Ctrl-C; it finishes on its own\n",
				   cpu);
			return 130;
		}
		local_irq_disable();
		if (smp_idle_work_done(cpu))
			local_irq_enable();
		else
			safe_halt(); /* a tick (10 ms) or an IPI wakes it */
	}
	return signal_pending() ? 130 : 0;
}

unsigned long shell_pick_cpus(struct seq_file *m, const char *who, unsigned int n)
{
	unsigned int self = smp_processor_id(), cpu;
	unsigned long mask = 1UL << self;

	for_each_online_cpu(cpu) {
		if (cpumask_weight_word(mask) == n)
			break;
		if (cpu == self)
			continue;
		if (!smp_idle_work_done(cpu)) {
			seq_printf(m, "%s: CPU%u is still running an earlier command\n", who, cpu);
			return 0;
		}
		mask |= 1UL << cpu;
	}
	return mask;
}

unsigned int shell_report_count(struct seq_file *m, const char *what, unsigned long before,
				unsigned long after)
{
	seq_printf(m, "  %-22s before %8lu  after %8lu  ", what, before, after);
	if (before == after) {
		seq_puts(m, "ok\n");
		return 0;
	}
	seq_printf(m, "%s %lu\n", after < before ? "MISSING" : "EXTRA",
		   after < before ? before - after : after - before);
	return 1;
}

int shell_parse_cpus(struct seq_file *m, const char *who, const char *arg, u64 *n)
{
	unsigned int online = num_online_cpus();

	if (kstrtoull(arg, 10, n) || *n < 1 || *n > online) {
		seq_printf(m, "%s: --cpus '%s': expected a CPU count from 1 to %u (the online CPUs; "
			      "see cpus)\n", who, arg, online);
		return -1;
	}
	return 0;
}
