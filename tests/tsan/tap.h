/* SPDX-License-Identifier: MIT */
/*
 * TAP output for the ThreadSanitizer programs in tests/tsan/: plain programs, not
 * Criterion (which forks and runs threads of its own that TSan would follow too).
 * tap() prints one numbered "ok"/"not ok" line; tap_failed counts the failures, which
 * make the exit status.  Only the main thread calls it.
 */
#ifndef PAGELAB_TESTS_TSAN_TAP_H
#define PAGELAB_TESTS_TSAN_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_failed, tap_checks;

static void __attribute__((format(printf, 2, 3))) tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tap_checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout); /* not putchar: with rename_libc.h that is the kernel's */
	fflush(stdout);
	tap_failed += !ok;
}

#endif
