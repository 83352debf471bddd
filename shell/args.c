// SPDX-License-Identifier: MIT
/*
 * Argument parsing for shell commands (include/shell/args.h).  The conversions are
 * kernel/lib/kstrtox.c's; this file adds the rules the shell wants on top (no octal, size
 * suffixes with an overflow check) and the error messages.
 */
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/args.h"
#include "shell/line_edit.h"

#define NUMBER_HINT "expected decimal, or hex with 0x"
#define SIZE_HINT "expected a size such as 4096, 0x1000, 64K, 2M or 1G"

bool arg_is_hex(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* Parse a whole number in decimal or 0x hex; no sign, no octal.  0 or -EINVAL/-ERANGE. */
static int parse_number(const char *s, u64 *res)
{
	unsigned long long v;
	unsigned int base = 10;
	int err;

	if (arg_is_hex(s)) {
		base = 16;
		s += 2;
		/* kstrtoull would accept "0x+5" as 5, and skip a second prefix: "0x0x5" */
		if (*s == '+' || arg_is_hex(s))
			return -EINVAL;
	}
	if (*s == '+' || strchr(s, '\n'))
		return -EINVAL;
	err = kstrtoull(s, base, &v);
	if (!err)
		*res = v;
	return err;
}

int arg_u64(struct seq_file *m, const char *cmd, const char *what, const char *s, u64 *res)
{
	int err = parse_number(s, res);

	if (err == -ERANGE)
		seq_printf(m, "%s: %s '%s' is too large (at most 0xffffffffffffffff)\n", cmd, what, s);
	else if (err)
		seq_printf(m, "%s: %s '%s' is not a number (" NUMBER_HINT ")\n", cmd, what, s);
	return err;
}

int arg_u64_range(struct seq_file *m, const char *cmd, const char *what, const char *s,
		  u64 min, u64 max, u64 *res)
{
	u64 v;
	int err = parse_number(s, &v);

	if (err == -EINVAL) {
		seq_printf(m, "%s: %s '%s' is not a number (" NUMBER_HINT ")\n", cmd, what, s);
		return err;
	}
	if (err || v < min || v > max) {
		seq_printf(m, "%s: %s '%s' is out of range (expected %llu to %llu)\n", cmd, what, s,
			   min, max);
		return -ERANGE;
	}
	*res = v;
	return 0;
}

static int size_shift(char c)
{
	switch (c) {
	case 'k': case 'K':
		return 10;
	case 'm': case 'M':
		return 20;
	case 'g': case 'G':
		return 30;
	}
	return -1;
}

int arg_size(struct seq_file *m, const char *cmd, const char *what, const char *s, u64 *res)
{
	char num[LE_LINE_MAX]; /* room for any word of a shell line: "000...0001" is a size */
	size_t len = strlen(s);
	int shift = len ? size_shift(s[len - 1]) : -1;
	u64 v;
	int err;

	/* "0x1G"? A trailing hex digit is a digit, so only K, M and G count as suffixes. */
	if (shift >= 0)
		len--;
	if (len == 0 || len >= sizeof(num)) {
		err = len ? -ERANGE : -EINVAL;
	} else {
		memcpy(num, s, len);
		num[len] = 0;
		err = parse_number(num, &v);
		if (!err && shift > 0 && v > (~0ULL >> shift))
			err = -ERANGE;
	}
	if (err == -ERANGE)
		seq_printf(m, "%s: %s '%s' is too large (at most 16 EiB - 1)\n", cmd, what, s);
	else if (err)
		seq_printf(m, "%s: %s '%s' is not a size (" SIZE_HINT ")\n", cmd, what, s);
	else
		*res = shift > 0 ? v << shift : v;
	return err;
}

/* The name at the start of row @i of a table of @row_size-byte rows. */
static const char *row_name(const void *table, size_t row_size, size_t i)
{
	return *(const char *const *)((const char *)table + i * row_size);
}

const void *arg_lookup(struct seq_file *m, const char *cmd, const char *what, const char *s,
		       const void *table, size_t row_size)
{
	size_t n = 0;

	for (; row_name(table, row_size, n); n++)
		if (!strcmp(s, row_name(table, row_size, n)))
			return (const char *)table + n * row_size;
	seq_printf(m, "%s: unknown %s '%s' (expected ", cmd, what, s);
	for (size_t i = 0; i < n; i++)
		seq_printf(m, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
			   row_name(table, row_size, i));
	seq_puts(m, ")\n");
	return NULL;
}
