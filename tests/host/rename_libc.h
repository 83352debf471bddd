/* SPDX-License-Identifier: MIT */
/*
 * rename_libc.h - lets the kernel's C library be tested on the host, next to glibc.
 *
 * kernel/lib/string.c and vsprintf.c define memcpy, snprintf ... -- the same names as
 * glibc, which the test process (Criterion, ASan, glibc itself) also needs.  Every host
 * file is compiled with "-include tests/host/rename_libc.h", so:
 *
 *   1. glibc's headers are read first, under the real names, and further #includes
 *      of them are no-ops;
 *   2. libc_memcmp, libc_snprintf ... are defined here as wrappers around glibc's
 *      functions, for tests to compare against;
 *   3. from then on memcpy means pl_memcpy: the kernel sources define pl_memcpy, and a
 *      test calling memcpy (or pl_memcpy) gets ours.  This includes code expanded from
 *      Criterion macros: cr_assert_str_eq compares with our strcmp, which test_string.c
 *      checks against glibc's with plain integer assertions.
 *
 * Names that glibc does not have (strscpy, scnprintf, kstrtoull, seq_printf ...) need
 * no renaming.
 */
#ifndef PAGELAB_TESTS_RENAME_LIBC_H
#define PAGELAB_TESTS_RENAME_LIBC_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PL_LIBC_WRAP(ret, name, params, args) \
	static inline ret libc_##name params { return name args; }

PL_LIBC_WRAP(void *, memcpy, (void *d, const void *s, size_t n), (d, s, n))
PL_LIBC_WRAP(void *, memmove, (void *d, const void *s, size_t n), (d, s, n))
PL_LIBC_WRAP(void *, memset, (void *s, int c, size_t n), (s, c, n))
PL_LIBC_WRAP(int, memcmp, (const void *a, const void *b, size_t n), (a, b, n))
PL_LIBC_WRAP(size_t, strlen, (const char *s), (s))
PL_LIBC_WRAP(size_t, strnlen, (const char *s, size_t n), (s, n))
PL_LIBC_WRAP(int, strcmp, (const char *a, const char *b), (a, b))
PL_LIBC_WRAP(int, strncmp, (const char *a, const char *b, size_t n), (a, b, n))
PL_LIBC_WRAP(char *, strchr, (const char *s, int c), (s, c))
PL_LIBC_WRAP(char *, strrchr, (const char *s, int c), (s, c))
PL_LIBC_WRAP(char *, strstr, (const char *h, const char *n), (h, n))

static inline __attribute__((format(printf, 3, 0)))
int libc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

static inline __attribute__((format(printf, 3, 4)))
int libc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

#undef PL_LIBC_WRAP

#define memcpy pl_memcpy
#define memmove pl_memmove
#define memset pl_memset
#define memcmp pl_memcmp
#define strlen pl_strlen
#define strnlen pl_strnlen
#define strcmp pl_strcmp
#define strncmp pl_strncmp
#define strchr pl_strchr
#define strrchr pl_strrchr
#define strstr pl_strstr
#define vsnprintf pl_vsnprintf
#define snprintf pl_snprintf
/* legacy16's console output shares two more names with stdio. */
#define puts pl_puts
#define putchar pl_putchar
/* The linker defines __bss_start in every host executable; the kernel's is its own. */
#define __bss_start pl___bss_start

/* Declare the pl_ names for the code above (and Criterion's macros) that calls them. */
#include "lib/printf.h"
#include "lib/string.h"

#endif
