/* SPDX-License-Identifier: MIT */
/*
 * Strict string-to-integer conversion, with Linux's semantics, for the kernel command
 * line and shell arguments: the whole string must be a number, and overflow is an
 * error rather than a silently wrong value.
 */
#ifndef PAGELAB_LIB_KSTRTOX_H
#define PAGELAB_LIB_KSTRTOX_H

#include <stdbool.h>

/*
 * kstrtoull - convert s to an unsigned number in base 2..16, or base 0 to pick it from
 * the prefix ("0x" hex, "0" octal, otherwise decimal; base 16 also accepts "0x").  An
 * optional '+' may lead, and one '\n' may trail (for text written by a user); nothing
 * else may.  Returns 0 and sets *res, or returns -EINVAL for an empty string, junk or a
 * bad base, -ERANGE if the value does not fit; *res is untouched on failure.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);

/* kstrtoll - like kstrtoull, for a signed number that may start with '-' or '+'. */
int kstrtoll(const char *s, unsigned int base, long long *res);

/*
 * memparse - parse a memory size such as "64M", "0x1000" or "2g": a number (base as for
 * kstrtoull with base 0) times an optional suffix K, M, G, T, P or E (either case,
 * powers of 1024).  Parsing stops at the first character that does not belong; if
 * retptr is not NULL, *retptr is set to it, and equals ptr if there was no number (the
 * result is then 0).  As in Linux there is no overflow check: sizes beyond 2^64 wrap,
 * so callers range-check the result.
 */
unsigned long long memparse(const char *ptr, char **retptr);

/*
 * kstrtobool - read a yes/no answer as Linux 6.18 does: only the first character counts
 * ('y', 't', 'e', '1' yes; 'n', 'f', 'd', '0' no; either case), except for "on" and
 * "off", where the second does.  Returns 0 and sets *res, or -EINVAL (s NULL, empty or
 * anything else) with *res untouched.
 */
int kstrtobool(const char *s, bool *res);

#endif
