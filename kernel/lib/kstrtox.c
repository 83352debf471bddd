// SPDX-License-Identifier: MIT
/*
 * kstrtox.c - strict string-to-integer conversion (kstrtoull, kstrtoll) and memparse,
 * for the kernel command line and shell arguments.
 *
 * The conversions follow Linux's rules, so a student's "mem=64M" or "echo 0x10 > ..."
 * behaves as it would there.  Digits are read by one helper shared by all three.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/errno.h"
#include "lib/kstrtox.h"

/* The value of c as a digit (0-9, a-f, A-F), or 16 -- too large for any base -- if none. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

/*
 * Apply the prefix rules: base 0 takes its base from the prefix, base 16 skips a "0x".
 * "0x" counts as a prefix only when a hex digit follows, so "0x" alone reads as the
 * number 0 followed by the junk "x".  Returns where the digits start.
 */
static const char *skip_base_prefix(const char *s, unsigned int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16;

	if (*base == 0) {
		if (hex_prefix)
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && hex_prefix)
		s += 2;
	return s;
}

/*
 * Read the digits of the given base at s into *res.  Returns how many there were.
 * *overflow tells whether the value exceeded 64 bits; the digits are read to their end
 * either way, and *res is then the value modulo 2^64.
 */
static size_t read_digits(const char *s, unsigned int base, unsigned long long *res,
			  bool *overflow)
{
	unsigned long long v = 0;
	unsigned int d;
	size_t n;

	*overflow = false;
	for (n = 0; (d = digit_value(s[n])) < base; n++) {
		if (v > (ULLONG_MAX - d) / base)
			*overflow = true;
		v = v * base + d;
	}
	*res = v;
	return n;
}

/* kstrtoull without the '+': kstrtoll's negative case must not accept "-+5". */
static int parse_unsigned(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v;
	bool overflow;
	size_t n;

	if (base == 1 || base > 16)
		return -EINVAL;
	s = skip_base_prefix(s, &base);
	n = read_digits(s, base, &v, &overflow);
	/* Linux reports overflow before looking at what follows the digits; so do we. */
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (*s == '+')
		s++;
	return parse_unsigned(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (*s != '-') {
		err = kstrtoull(s, base, &v);
		if (err)
			return err;
		if (v > LLONG_MAX)
			return -ERANGE;
		*res = v;
		return 0;
	}

	err = parse_unsigned(s + 1, base, &v);
	if (err)
		return err;
	/* LLONG_MIN's magnitude is LLONG_MAX + 1, which only an unsigned type holds. */
	if (v > (unsigned long long)LLONG_MAX + 1)
		return -ERANGE;
	/* Negate without ever forming +2^63 as a long long. */
	*res = v ? -(long long)(v - 1) - 1 : 0;
	return 0;
}

/* The shift for a size suffix (K = 10, M = 20, ... E = 60), or 0 if c is not one. */
static unsigned int size_suffix_shift(char c)
{
	static const char suffixes[] = "KMGTPE";
	unsigned int i;

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	for (i = 0; suffixes[i]; i++) {
		if (c == suffixes[i])
			return 10 * (i + 1);
	}
	return 0;
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	unsigned int base = 0, shift = 0;
	const char *s = skip_base_prefix(ptr, &base);
	unsigned long long v;
	bool overflow;
	size_t n;

	n = read_digits(s, base, &v, &overflow);
	/* A suffix only counts after a number: "K" alone is not a size. */
	if (n > 0) {
		s += n;
		shift = size_suffix_shift(*s);
		if (shift)
			s++;
	}
	if (retptr)
		*retptr = (char *)s;
	return v << shift;
}

/* c in lower case if it is a letter; anything else as it is (0x11 | 0x20 would be '1'). */
static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int kstrtobool(const char *s, bool *res)
{
	char c = s ? lower(s[0]) : 0;

	if (c == 'o') /* "on" or "off": the second letter decides */
		c = lower(s[1]) == 'n' ? 'y' : lower(s[1]) == 'f' ? 'n' : 0;
	if (c == 'y' || c == 't' || c == 'e' || c == '1') {
		*res = true;
		return 0;
	}
	if (c == 'n' || c == 'f' || c == 'd' || c == '0') {
		*res = false;
		return 0;
	}
	return -EINVAL;
}
