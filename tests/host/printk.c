// SPDX-License-Identifier: MIT
/*
 * printk and panic for host tests: messages go into host_printk_buf (see
 * host/printk_capture.h) instead of a console, formatted by the kernel's own vsnprintf
 * (kernel/lib/vsprintf.c: tests/host/rename_libc.h makes the name mean pagelab's), so %pS
 * and the other kernel conversions print as they do on the machine.  A host program (tools/mmsim)
 * can also have them passed on, as they are made, through host_printk_sink.  panic()
 * aborts, so a test that expects one can use Criterion's .signal = SIGABRT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "host/printk_capture.h"
#include "kernel/printk.h"
#include "lib/seq_file.h"

char host_printk_buf[HOST_PRINTK_BUF_SIZE];
static size_t host_printk_len;
void (*host_printk_sink)(const char *s, size_t n);

void host_printk_reset(void)
{
	host_printk_len = 0;
	host_printk_buf[0] = '\0';
}

int vprintk(const char *fmt, va_list ap)
{
	char msg[1024]; /* the kernel's PRINTK_LINE_MAX */
	size_t room = sizeof(host_printk_buf) - host_printk_len;
	int n;

	while (fmt[0] == KERN_SOH[0] && fmt[1]) /* the level: the kernel strips it too */
		fmt += 2;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (getenv("HOST_PRINTK_ECHO"))
		fputs(msg, stderr);
	if (host_printk_sink)
		host_printk_sink(msg, n);
	n = MIN((size_t)n, room - 1);
	memcpy(host_printk_buf + host_printk_len, msg, n);
	host_printk_len += n;
	host_printk_buf[host_printk_len] = '\0';
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
	va_list ap;

	fputs("Kernel panic - not syncing: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
