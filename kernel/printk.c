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
 */
#include <stdarg.h>

#include "arch/cpu.h"
#include "arch/setup.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "lib/printf.h"
#include "lib/seq_file.h"

/*
 * Room for a whole memblock=debug boot of a 4 GiB machine mapped with 4 KiB pages (lab
 * 4's stand-in map_range(): two lines per page table), which lab 2 reads from the start.
 */
#define LOG_BUF_LEN (1024 * 1024)
#define PRINTK_LINE_MAX 1024

static char log_buf[LOG_BUF_LEN];
static u64 log_next; /* bytes ever logged; log_buf[log_next % LOG_BUF_LEN] is next */
static bool at_line_start = true;

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[log_next++ % LOG_BUF_LEN] = s[i];
	console_write(s, n);
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

int vprintk(const char *fmt, va_list ap)
{
	char text[PRINTK_LINE_MAX];
	const char *s;
	bool cont;
	int n = vscnprintf(text, sizeof(text), fmt, ap);

	s = strip_level(text, &cont);
	n -= s - text;
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

void log_buf_show(struct seq_file *m)
{
	u64 start = log_next > LOG_BUF_LEN ? log_next - LOG_BUF_LEN : 0;

	if (start) /* the oldest line was partly overwritten: skip to the next one */
		while (start < log_next && log_buf[start++ % LOG_BUF_LEN] != '\n')
			;
	while (start < log_next) {
		u64 off = start % LOG_BUF_LEN;
		u64 chunk = MIN(log_next - start, (u64)LOG_BUF_LEN - off);

		seq_write(m, log_buf + off, chunk);
		start += chunk;
	}
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

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	cli();
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	halt_forever();
}
