/*
 * printk and panic for host tests: messages go into host_printk_buf (see
 * host/printk_capture.h) instead of a console, formatted by glibc's vsnprintf, which
 * accepts every conversion the kernel's own vsnprintf does.  panic() aborts, so a
 * test that expects one can use Criterion's .signal = SIGABRT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/printk_capture.h"
#include "kernel/printk.h"

char host_printk_buf[HOST_PRINTK_BUF_SIZE];
static size_t host_printk_len;

void host_printk_reset(void)
{
	host_printk_len = 0;
	host_printk_buf[0] = '\0';
}

int vprintk(const char *fmt, va_list ap)
{
	size_t room = sizeof(host_printk_buf) - host_printk_len;
	char *dst = host_printk_buf + host_printk_len;
	int n;

	while (fmt[0] == KERN_SOH[0] && fmt[1]) /* the level: the kernel strips it too */
		fmt += 2;
	n = vsnprintf(dst, room, fmt, ap);
	if (n < 0)
		return n;
	if (getenv("HOST_PRINTK_ECHO"))
		fputs(dst, stderr);
	host_printk_len += (size_t)n < room ? (size_t)n : room - 1;
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
