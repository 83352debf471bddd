// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the shell's argument parsers (shell/args.c), which every command's
 * numbers, sizes and choices go through.
 *
 * Input:  u64 min   u64 max   then the argument (up to its first NUL, if any, and at
 *         most LE_LINE_MAX - 1 bytes: a word of a shell line is never longer)
 *
 * Checked, for every argument:
 *
 *   - arg_u64() accepts exactly what args.h promises - decimal digits, or "0x"/"0X" and
 *     hex digits, nothing else, no sign, no second prefix - with the value a plain
 *     reference computes, and refuses with a negative errno whatever does not fit 64 bits
 *   - arg_u64_range() agrees with arg_u64() and [min, max]
 *   - arg_size() accepts a number with an optional K/M/G (either case), as the
 *     reference computes it, refusing what would pass 2^64 - 1
 *   - arg_is_hex() is the "0x"/"0X" test; arg_lookup() finds a word exactly or prints
 *   - an error message is one line that starts with the command's name
 */
#include "fuzz.h"
#include "lib/errno.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/args.h"
#include "shell/line_edit.h"

static char out_buf[8192];

static int digit(char c, unsigned int base)
{
	int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

	return d < (int)base ? d : -1;
}

/* The reference: 0 and *@v, or -1 (not a number) / -2 (too large). */
static int ref_number(const char *s, size_t len, u64 *v)
{
	unsigned int base = 10;
	bool big = false;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2, len -= 2;
	if (!len)
		return -1;
	*v = 0;
	for (size_t i = 0; i < len; i++) {
		int d = digit(s[i], base);

		if (d < 0)
			return -1;
		if (*v > (~0ULL - d) / base)
			big = true;
		*v = *v * base + d;
	}
	return big ? -2 : 0;
}

static int ref_size(const char *s, u64 *v)
{
	size_t len = strlen(s);
	unsigned int shift = 0;
	int err;

	if (len && strchr("kKmMgG", s[len - 1]))
		shift = (s[len - 1] | 0x20) == 'k' ? 10 : (s[len - 1] | 0x20) == 'm' ? 20 : 30, len--;
	err = ref_number(s, len, v);
	if (!err && shift && *v > (~0ULL >> shift))
		return -2;
	if (!err)
		*v <<= shift;
	return err;
}

static void check_message(const struct seq_file *m, int err)
{
	size_t n = strlen(out_buf);

	if (!err) {
		fuzz_check(!n, "printed '%s' on success", out_buf);
		return;
	}
	(void)m;
	fuzz_check(!strncmp(out_buf, "cmd: ", 5) && n && out_buf[n - 1] == '\n',
		   "error message '%s'", out_buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const char *const words[] = { "zero", "dma", "dma32", "z", NULL };
	struct fuzz_input in = fuzz_input(data, size);
	u64 min = fuzz_u64(&in), max = fuzz_u64(&in), v = 0x5a5a, ref;
	size_t len = strnlen((const char *)data + in.pos, MIN(fuzz_left(&in), LE_LINE_MAX - 1));
	char *s = malloc(len + 1);
	struct seq_file m;
	int err, want;

	memcpy(s, data + in.pos, len);
	s[len] = 0;

	seq_buf_init(&m, out_buf, sizeof(out_buf));
	err = arg_u64(&m, "cmd", "count", s, &v);
	want = ref_number(s, len, &ref);
	fuzz_check(err <= 0 && !err == !want && (err || v == ref),
		   "arg_u64('%s'): %d value %#llx; expected %d value %#llx", s, err, v, want, ref);
	fuzz_check(!err || v == 0x5a5a, "arg_u64('%s') failed but changed the result", s);
	check_message(&m, err);

	seq_buf_init(&m, out_buf, sizeof(out_buf));
	v = 0x5a5a;
	err = arg_u64_range(&m, "cmd", "count", s, min, max, &v);
	fuzz_check(!err == (!want && ref >= min && ref <= max) && (err || v == ref),
		   "arg_u64_range('%s', %llu, %llu): %d value %#llx", s, min, max, err, v);
	check_message(&m, err);

	seq_buf_init(&m, out_buf, sizeof(out_buf));
	v = 0x5a5a;
	err = arg_size(&m, "cmd", "size", s, &v);
	want = ref_size(s, &ref);
	fuzz_check(err <= 0 && !err == !want && (err || v == ref),
		   "arg_size('%s'): %d value %#llx; expected %d value %#llx", s, err, v, want, ref);
	check_message(&m, err);

	fuzz_check(arg_is_hex(s) == (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')), "arg_is_hex");

	seq_buf_init(&m, out_buf, sizeof(out_buf));
	const char *const *row = ARG_LOOKUP(&m, "cmd", "flag", s, words);
	bool known = false;

	for (int i = 0; words[i]; i++)
		known |= !strcmp(s, words[i]);
	fuzz_check(!!row == known && (!row || !strcmp(*row, s)), "arg_lookup('%s')", s);
	check_message(&m, !row);
	free(s);
	return 0;
}
