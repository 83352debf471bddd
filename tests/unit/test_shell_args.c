// SPDX-License-Identifier: MIT
/*
 * Host tests for shell/args.c: the number, size and choice parsers every shell command
 * uses, and the exact error lines they print.
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>

#include "lib/errno.h"
#include "lib/seq_file.h"
#include "shell/args.h"

static char buf[512];
static struct seq_file m;

static void setup(void)
{
	seq_buf_init(&m, buf, sizeof(buf));
}

TestSuite(args, .init = setup);

static void expect_u64(const char *s, u64 want)
{
	u64 v = 0;

	cr_assert_eq(arg_u64(&m, "cmd", "count", s, &v), 0, "%s: %s", s, buf);
	cr_assert_eq(v, want, "%s gave %llu", s, v);
	cr_assert_str_eq(buf, "");
}

static void expect_size(const char *s, u64 want)
{
	u64 v = 0;

	cr_assert_eq(arg_size(&m, "cmd", "size", s, &v), 0, "%s: %s", s, buf);
	cr_assert_eq(v, want, "%s gave %llu", s, v);
}

Test(args, numbers_decimal_and_hex)
{
	expect_u64("0", 0);
	expect_u64("4096", 4096);
	expect_u64("010", 10);			/* no octal surprise */
	expect_u64("0x1000", 0x1000);
	expect_u64("0XfF", 255);
	expect_u64("18446744073709551615", ~0ULL);
}

/* Commands that read hex and decimal differently (free: frame or handle) ask arg_is_hex. */
Test(args, hex_prefix_in_either_case)
{
	u64 v = 0;

	for (const char *hex[] = { "0x2", "0X2", "0x", "0Xz" }, **p = hex; p < hex + 4; p++)
		cr_assert(arg_is_hex(*p), "'%s' has the hex prefix", *p);
	for (const char *dec[] = { "2", "02", "x2", "", "0" }, **p = dec; p < dec + 5; p++)
		cr_assert(!arg_is_hex(*p), "'%s' has no hex prefix", *p);
	cr_assert_eq(arg_u64(&m, "free", "handle or frame", "0X2", &v), 0);
	cr_assert_eq(v, 2);
}

Test(args, number_errors_name_the_command_and_what_was_expected)
{
	u64 v = 7;

	cr_assert_eq(arg_u64(&m, "history", "count", "ten", &v), -EINVAL);
	cr_assert_str_eq(buf, "history: count 'ten' is not a number (expected decimal, or hex with 0x)\n");
	cr_assert_eq(v, 7);
	setup();
	cr_assert_eq(arg_u64(&m, "cmd", "n", "18446744073709551616", &v), -ERANGE);
	cr_assert(strstr(buf, "cmd: n '18446744073709551616' is too large"));
	for (const char *bad[] = { "", "-1", "+1", "0x", "0x+1", "1 ", "1\n", "12a", "0b1" },
	     **p = bad; p < bad + 9; p++) {
		setup();
		cr_assert_eq(arg_u64(&m, "cmd", "n", *p, &v), -EINVAL, "'%s' accepted", *p);
	}
}

Test(args, ranges)
{
	u64 v = 0;

	cr_assert_eq(arg_u64_range(&m, "history", "count", "32", 1, 32, &v), 0);
	cr_assert_eq(v, 32);
	cr_assert_eq(arg_u64_range(&m, "history", "count", "0x21", 1, 32, &v), -ERANGE);
	cr_assert_str_eq(buf, "history: count '0x21' is out of range (expected 1 to 32)\n");
}

Test(args, sizes_with_suffixes)
{
	expect_size("4096", 4096);
	expect_size("0x1000", 4096);
	expect_size("64K", 64 << 10);
	expect_size("64k", 64 << 10);
	expect_size("2M", 2 << 20);
	expect_size("1G", 1ULL << 30);
	expect_size("0x10M", 16ULL << 20);
	expect_size("17179869183G", 17179869183ULL << 30);
}

Test(args, size_errors)
{
	u64 v = 0;

	cr_assert_eq(arg_size(&m, "alloc", "size", "12Q", &v), -EINVAL);
	cr_assert_str_eq(buf, "alloc: size '12Q' is not a size (expected a size such as 4096, "
			      "0x1000, 64K, 2M or 1G)\n");
	setup();
	cr_assert_eq(arg_size(&m, "alloc", "size", "17179869184G", &v), -ERANGE);
	cr_assert(strstr(buf, "is too large"));
	for (const char *bad[] = { "", "K", "0xK", "1KK", "-1M" }, **p = bad; p < bad + 5; p++) {
		setup();
		cr_assert_eq(arg_size(&m, "alloc", "size", *p, &v), -EINVAL, "'%s' accepted", *p);
	}
}

Test(args, choices_from_a_list_of_words)
{
	static const char *const kinds[] = { "pf", "ud", "gp", "irq", NULL };

	cr_assert_eq(ARG_LOOKUP(&m, "crash", "fault", "gp", kinds), &kinds[2]);
	cr_assert_str_eq(buf, "");
	cr_assert_null(ARG_LOOKUP(&m, "crash", "fault", "boom", kinds));
	cr_assert_str_eq(buf, "crash: unknown fault 'boom' (expected pf, ud, gp or irq)\n");
}

Test(args, choices_from_a_table_of_rows)
{
	static const struct {
		const char *name;
		unsigned int flag;
		const char *why; /* rows wider than a pointer: the stride is the row's size */
	} modes[] = { { "zero", 1, "cleared" }, { "dma", 2, "low" }, { NULL, 0, NULL } };

	cr_assert_eq(ARG_LOOKUP(&m, "kmalloc", "flag", "dma", modes)->flag, 2);
	cr_assert_null(ARG_LOOKUP(&m, "kmalloc", "flag", "zeros", modes));
	cr_assert_str_eq(buf, "kmalloc: unknown flag 'zeros' (expected zero or dma)\n");
	setup();
	cr_assert_null(ARG_LOOKUP(&m, "e820", "table", "x", ((const char *const[]){ "firmware", NULL })));
	cr_assert_str_eq(buf, "e820: unknown table 'x' (expected firmware)\n");
}

/* Found by tests/fuzz/fuzz_shell_args.c: kstrtoull skipped a second "0x" of its own. */
Test(args, a_second_hex_prefix_is_not_a_number)
{
	u64 v = 7;

	for (const char *bad[] = { "0x0x10", "0X0x1", "0x0X", "0x0xz" }, **p = bad; p < bad + 4; p++) {
		setup();
		cr_assert_eq(arg_u64(&m, "cmd", "count", *p, &v), -EINVAL, "'%s' accepted", *p);
		cr_assert_eq(arg_size(&m, "cmd", "size", *p, &v), -EINVAL, "'%s' accepted", *p);
	}
	cr_assert_eq(v, 7);
	setup();
	expect_u64("0x0", 0);
}

/* Found by fuzz_shell_args.c: a size of 32 or more characters was "too large" unread. */
Test(args, long_sizes_with_leading_zeros_are_sizes)
{
	expect_size("000000000000000000000000000000000000042", 42);
	expect_size("0x000000000000000000000000000000000000001M", 1 << 20);
}
