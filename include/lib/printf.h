/* SPDX-License-Identifier: MIT */
/*
 * Formatted output into memory: the engine under printk, seq_printf and every message
 * the kernel builds.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %pS %ps %pV %%, the flags - 0 + space #, a field
 * width and a precision (either may be *), and the length modifiers hh h l ll z t j.
 * There is no floating point (the kernel is built with -mgeneral-regs-only) and no %n.
 * Where it matters, this differs from glibc:
 *
 *   %p      always "0x" and 16 hex digits, NULL included ("0x0000000000000000"), so
 *           addresses line up in columns; width and '-' apply, other flags do not;
 *   %pS %ps Linux's symbolic pointers: "function+0xoff/0xsize" or the bare function
 *           name, from the kernel's symbol table (kallsyms); an address in no known
 *           function prints as "0x" and its hex digits.  The host tests have an empty
 *           table, so there %pS always prints the address;
 *   %pV     Linux's nested format: the argument is a struct va_format *, whose format
 *           and va_list are printed in its place, so a function that takes a format
 *           can hand it on to printk in one line instead of through a buffer;
 *   %#x     zero prints as "0x0" as in Linux (C prints "0"), so Linux-style address
 *           columns such as "[mem %#018llx-%#018llx]" line up from address 0;
 *   %s      a NULL pointer prints as "(null)", cut by a precision like any string;
 *   %c %s   the '0' flag is ignored (padding is always spaces) and l is ignored;
 *   other   a conversion we do not know (%n, %f, %y ...) is printed as written and
 *           takes no argument.
 *
 * Returns are int, as in C; a length beyond INT_MAX is reported as INT_MAX.
 */
#ifndef PAGELAB_LIB_PRINTF_H
#define PAGELAB_LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#include "types.h"

/* What %pV prints: a format and the arguments for it (Linux's struct va_format). */
struct va_format {
	const char *fmt;
	va_list *va;
};

/*
 * vsnprintf - format into buf, a buffer of size bytes, NUL-terminated when size > 0.
 * Returns the length the whole output would have had (C99): a return >= size means
 * the output was truncated.  buf may be NULL when size is 0, to measure.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * vscnprintf - like vsnprintf, but returns the number of characters actually stored in
 * buf, not counting the NUL: at most size - 1, and 0 when size is 0.  Handy for
 * "len += scnprintf(buf + len, size - len, ...)" chains, which can never run past size.
 */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * vformat - the engine itself: format as vsnprintf does, handing each output character
 * to out(ctx, c) instead of storing it, so the output can go anywhere (a console, a
 * seq_file) with no buffer and no length limit.  Returns the number of characters.
 */
int vformat(void (*out)(void *ctx, char c), void *ctx, const char *fmt, va_list ap)
	__printf(3, 0);

#endif
