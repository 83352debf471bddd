// SPDX-License-Identifier: MIT
/*
 * printk and the kernel log buffer.
 *
 * Each line is stamped with the time since kernel entry when its first character is
 * logged, in Linux's "[%5lu.%06lu] " form, so `dmesg` shows how long each boot step
 * took.  The text, stamps included, goes into a ring buffer and to the consoles.  When
 * the ring is full the oldest lines are overwritten; `dmesg` then starts at the first
 * whole line still there.
 *
 * The log level prefix (KERN_ERR, ...) is accepted and stripped: every level reaches
 * the console, because on pagelab the console is the only place a student looks.
 *
 * Several CPUs.  A message is formatted on the caller's stack, then logged and printed
 * whole with interrupts off inside console_enter() (kernel/console.c): the log buffer,
 * its line state and the consoles are one CPU's at a time, so two CPUs' lines never
 * mix.  A printk that finds its own CPU already inside (an NMI, a console driver that
 * printks) cannot wait for itself: it appends its text to this CPU's deferred buffer,
 * and the holder logs and prints it before it lets go (printk_flush_deferred(); its
 * timestamp is then the flush's).  Linux 6.18 does the same in spirit with its
 * lockless ringbuffer: the record is stored at once, and whoever owns the console
 * prints it.  Only the nested CPU ever writes its deferred buffer and only that same
 * CPU drains it, so a length word read and reset with cmpxchg is all the locking it
 * needs.  During an oops or a panic the lock is busted (bust_spinlocks()).
 */
#include <stdarg.h>

#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/setup.h"
#include "arch/traps.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "lib/atomic.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"

/*
 * Room for a whole memblock=debug boot of a 4 GiB machine mapped with 4 KiB pages (lab
 * 4's stand-in map_range(): two lines per page table), which lab 2 reads from the start.
 */
#define LOG_BUF_LEN (1024 * 1024)
#define PRINTK_LINE_MAX 1024

/* Under console_lock (console_enter()). */
static char log_buf[LOG_BUF_LEN];
static u64 log_next; /* bytes ever logged; log_buf[log_next % LOG_BUF_LEN] is next */
static bool at_line_start = true;

/* Records printed from inside this CPU's own console write, waiting for the holder. */
#define DEFERRED_LEN 4096 /* an oops with its call trace */
static struct printk_deferred {
	char buf[DEFERRED_LEN];
	u32 len;     /* bytes stored; the nested writer grows it, the holder resets it */
	u32 dropped; /* records that did not fit */
} deferred[NR_CPUS];

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[log_next++ % LOG_BUF_LEN] = s[i];
	__console_write(s, n);
}

static void log_timestamp(void)
{
	char stamp[32];
	u64 ns = local_clock();
	int n = scnprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ", ns / 1000000000,
			  (ns % 1000000000) / 1000);

	log_store(stamp, n);
}

/* Skip a KERN_<level> prefix; report whether it was KERN_CONT. */
static const char *strip_level(const char *s, bool *cont)
{
	*cont = false;
	while (s[0] == KERN_SOH[0] && s[1]) {
		if (s[1] == 'c')
			*cont = true;
		s += 2;
	}
	return s;
}

/* Log @n bytes of message text @s and print them; the caller is inside console_enter(). */
static void log_record(const char *s, int n, bool cont)
{
	/* A message that is not a continuation starts a new line, as in Linux. */
	if (!cont && !at_line_start)
		log_store("\n", 1), at_line_start = true;
	for (int i = 0; i < n;) {
		int j = i;

		if (at_line_start)
			log_timestamp();
		while (j < n && s[j] != '\n')
			j++;
		at_line_start = j < n;
		log_store(s + i, j - i + (j < n));
		i = j + 1;
	}
}

/* Keep @s for this CPU's console_lock holder, a line of its own. */
static void printk_defer(const char *s, int n)
{
	struct printk_deferred *d = &deferred[smp_processor_id()];
	u32 len = READ_ONCE(d->len);
	bool nl = n && s[n - 1] != '\n';

	if (len + n + nl > DEFERRED_LEN) {
		WRITE_ONCE(d->dropped, d->dropped + 1);
		return;
	}
	memcpy(d->buf + len, s, n);
	if (nl)
		d->buf[len + n] = '\n';
	barrier(); /* the text, then the length: the holder reads them in that order */
	WRITE_ONCE(d->len, len + n + nl);
}

void printk_flush_deferred(void)
{
	struct printk_deferred *d = &deferred[smp_processor_id()];
	u32 done = 0, len = READ_ONCE(d->len);

	if (!len && !READ_ONCE(d->dropped))
		return;
	/* More may be appended while this prints (a nested printk); the cmpxchg sees it. */
	do {
		log_record(d->buf + done, len - done, false);
		done = len;
	} while (!try_cmpxchg(&d->len, &len, 0));
	if (READ_ONCE(d->dropped)) {
		char msg[64];
		int n = scnprintf(msg, sizeof(msg), "printk: %u messages dropped\n",
				  xchg(&d->dropped, 0));

		log_record(msg, n, false);
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char text[PRINTK_LINE_MAX];
	const char *s;
	bool cont;
	int n = vscnprintf(text, sizeof(text), fmt, ap);
	unsigned long flags;
	enum console_enter how;

	s = strip_level(text, &cont);
	n -= s - text;
	flags = local_irq_save();
	how = console_enter();
	if (how == CONSOLE_NESTED) {
		printk_defer(s, n);
	} else {
		if (how == CONSOLE_BUSTED) /* an oops's first lines may be waiting there */
			printk_flush_deferred();
		log_record(s, n, cont);
	}
	console_leave(how);
	local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/*
 * The log is copied out a chunk at a time under console_lock and written out without
 * it: @m may well be the console.  It ends where the log ended when this started, so a
 * dmesg written into the log itself (printk_seq()) does not chase its own tail.
 */
void log_buf_show(struct seq_file *m)
{
	char chunk[256];
	u64 pos = 0, end = 0;
	bool first = true;

	for (;;) {
		unsigned long flags = local_irq_save();
		enum console_enter how = console_enter();
		size_t n = 0;

		if (first) {
			end = log_next;
			pos = end > LOG_BUF_LEN ? end - LOG_BUF_LEN : 0;
			if (pos) /* the oldest line was partly overwritten: skip to the next one */
				while (pos < end && log_buf[pos++ % LOG_BUF_LEN] != '\n')
					;
			first = false;
		} else if (log_next > pos + LOG_BUF_LEN) {
			pos = log_next - LOG_BUF_LEN; /* overwritten while we wrote: skip ahead */
		}
		while (pos < end && n < sizeof(chunk))
			chunk[n++] = log_buf[pos++ % LOG_BUF_LEN];
		console_leave(how);
		local_irq_restore(flags);
		if (!n)
			break;
		seq_write(m, chunk, n);
	}
}

u64 log_buf_bytes(void)
{
	return READ_ONCE(log_next);
}

size_t log_buf_read(u64 from, char *buf, size_t size)
{
	unsigned long flags = local_irq_save();
	enum console_enter how = console_enter();
	u64 pos = MAX(from, log_next > LOG_BUF_LEN ? log_next - LOG_BUF_LEN : 0);
	size_t n = 0;

	while (size && pos < log_next && n < size - 1)
		buf[n++] = log_buf[pos++ % LOG_BUF_LEN];
	if (size)
		buf[n] = '\0';
	console_leave(how);
	local_irq_restore(flags);
	return n;
}

static void printk_seq_write(struct seq_file *m, const char *s, size_t n)
{
	(void)m;
	printk(KERN_CONT "%.*s", (int)n, s);
}

struct seq_file *printk_seq(void)
{
	static struct seq_file m = { .write = printk_seq_write };

	return &m;
}

void dump_stack(void)
{
	u64 rsp;

	__asm__ volatile("movq %%rsp, %0" : "=r"(rsp));
	show_call_trace(rsp, (u64)__builtin_frame_address(0));
}

/*
 * Interrupts off, and bust_spinlocks(1) first: the panic may come from a CPU that holds
 * console_lock, or while another CPU does, and its message must come out regardless.
 */
void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	cli();
	bust_spinlocks(1);
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	__atomic_or_fetch(&__cpu_panicked_mask, 1UL << smp_processor_id(), __ATOMIC_RELEASE);
	if (num_online_cpus() > 1) /* Linux would stop them all; pagelab only this one */
		printk(KERN_EMERG "pagelab: CPU%u stops here, with any locks it holds; the other "
		       "CPUs go on\n", smp_processor_id());
	halt_forever();
}
