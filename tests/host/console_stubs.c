// SPDX-License-Identifier: MIT
/*
 * What kernel/console.c calls but the host has no use for: the idle loop, which a test
 * that reads from an empty console would wait in forever, and the log replay a new
 * console gets, which on the host is whatever printk captured.
 */
#include <stdio.h>
#include <stdlib.h>

#include "host/printk_capture.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "lib/seq_file.h"

void cpu_idle(void)
{
	fprintf(stderr, "host: console_read_char() with no input queued would sleep forever\n");
	abort();
}

void log_buf_show(struct seq_file *m)
{
	seq_puts(m, host_printk_buf);
}
