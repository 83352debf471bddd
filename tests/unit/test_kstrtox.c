// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/lib/kstrtox.c: kstrtoull, kstrtoll and memparse, against the
 * Linux semantics documented in include/lib/kstrtox.h.
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>
#include <limits.h>

#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "types.h"

/* Parse s and require success with the value want. */
static void expect_ull(const char *s, unsigned int base, unsigned long long want)
{
	unsigned long long v = 0;
	int err = kstrtoull(s, base, &v);

	cr_assert_eq(err, 0, "kstrtoull(\"%s\", %u) failed with %d", s, base, err);
	cr_assert_eq(v, want, "kstrtoull(\"%s\", %u) = %llu, want %llu", s, base, v, want);
}

/* Parse s and require the error want, with the result left untouched. */
static void expect_ull_error(const char *s, unsigned int base, int want)
{
	unsigned long long v = 12345;
	int err = kstrtoull(s, base, &v);

	cr_assert_eq(err, want, "kstrtoull(\"%s\", %u) returned %d, want %d", s, base, err, want);
	cr_assert_eq(v, 12345, "kstrtoull(\"%s\", %u) changed *res on failure", s, base);
}

static void expect_ll(const char *s, unsigned int base, long long want)
{
	long long v = 0;
	int err = kstrtoll(s, base, &v);

	cr_assert_eq(err, 0, "kstrtoll(\"%s\", %u) failed with %d", s, base, err);
	cr_assert_eq(v, want, "kstrtoll(\"%s\", %u) = %lld, want %lld", s, base, v, want);
}

static void expect_ll_error(const char *s, unsigned int base, int want)
{
	long long v = 12345;
	int err = kstrtoll(s, base, &v);

	cr_assert_eq(err, want, "kstrtoll(\"%s\", %u) returned %d, want %d", s, base, err, want);
	cr_assert_eq(v, 12345, "kstrtoll(\"%s\", %u) changed *res on failure", s, base);
}

Test(kstrtox, kstrtoull_base_0_detects_hex_octal_and_decimal)
{
	expect_ull("0", 0, 0);
	expect_ull("123", 0, 123);
	expect_ull("0x1f", 0, 31);
	expect_ull("0X1F", 0, 31);
	expect_ull("017", 0, 15);
	expect_ull("00", 0, 0);
	expect_ull("+42", 0, 42);
}

Test(kstrtox, kstrtoull_explicit_base)
{
	expect_ull("ff", 16, 255);
	expect_ull("0xff", 16, 255);
	expect_ull("FF", 16, 255);
	expect_ull("17", 8, 15);
	expect_ull("017", 10, 17);	/* a leading 0 means octal only with base 0 */
	expect_ull("101", 2, 5);
	expect_ull("9", 10, 9);
}

Test(kstrtox, kstrtoull_rejects_digits_beyond_the_base)
{
	expect_ull_error("8", 8, -EINVAL);
	expect_ull_error("12a", 10, -EINVAL);
	expect_ull_error("102", 2, -EINVAL);
	expect_ull_error("0x10", 10, -EINVAL);
	expect_ull_error("g", 16, -EINVAL);
	expect_ull_error("09", 0, -EINVAL);	/* octal, by its prefix */
}

Test(kstrtox, kstrtoull_accepts_one_trailing_newline_only)
{
	expect_ull("42\n", 10, 42);
	expect_ull("0x10\n", 0, 16);
	expect_ull_error("42\n\n", 10, -EINVAL);
	expect_ull_error("42 ", 10, -EINVAL);
	expect_ull_error(" 42", 10, -EINVAL);
	expect_ull_error("\n", 10, -EINVAL);
}

Test(kstrtox, kstrtoull_rejects_empty_signs_and_bare_prefix)
{
	expect_ull_error("", 0, -EINVAL);
	expect_ull_error("+", 0, -EINVAL);
	expect_ull_error("-1", 0, -EINVAL);
	expect_ull_error("-0", 10, -EINVAL);
	expect_ull_error("++1", 10, -EINVAL);
	/* "0x" without a hex digit is not a prefix: it is 0 followed by junk. */
	expect_ull_error("0x", 0, -EINVAL);
	expect_ull_error("0x", 16, -EINVAL);
	expect_ull_error("0xg", 0, -EINVAL);
}

Test(kstrtox, kstrtoull_rejects_bad_bases)
{
	expect_ull_error("1", 1, -EINVAL);
	expect_ull_error("1", 17, -EINVAL);
	expect_ull_error("1", 36, -EINVAL);
}

Test(kstrtox, kstrtoull_reports_overflow_as_erange)
{
	expect_ull("18446744073709551615", 10, ULLONG_MAX);
	expect_ull("0xffffffffffffffff", 0, ULLONG_MAX);
	expect_ull("1777777777777777777777", 8, ULLONG_MAX);
	expect_ull("00000000000000000000000000000001", 10, 1);	/* long, but small */
	expect_ull_error("18446744073709551616", 10, -ERANGE);
	expect_ull_error("0x10000000000000000", 0, -ERANGE);
	expect_ull_error("99999999999999999999999999", 10, -ERANGE);
	/* As in Linux, overflow is reported before the junk after it. */
	expect_ull_error("99999999999999999999999999x", 10, -ERANGE);
}

Test(kstrtox, kstrtoll_accepts_both_signs_and_the_full_range)
{
	expect_ll("0", 0, 0);
	expect_ll("-0", 0, 0);
	expect_ll("+5", 10, 5);
	expect_ll("-5", 10, -5);
	expect_ll("-0x10", 0, -16);
	expect_ll("-010", 0, -8);
	expect_ll("9223372036854775807", 10, LLONG_MAX);
	expect_ll("-9223372036854775808", 10, LLONG_MIN);
	expect_ll("-1\n", 10, -1);
}

Test(kstrtox, kstrtoll_reports_out_of_range_and_junk)
{
	expect_ll_error("9223372036854775808", 10, -ERANGE);
	expect_ll_error("-9223372036854775809", 10, -ERANGE);
	expect_ll_error("0x8000000000000000", 0, -ERANGE);
	expect_ll_error("18446744073709551616", 10, -ERANGE);
	expect_ll_error("-", 10, -EINVAL);
	expect_ll_error("-+5", 10, -EINVAL);
	expect_ll_error("--5", 10, -EINVAL);
	expect_ll_error("+-5", 10, -EINVAL);
	expect_ll_error("5-", 10, -EINVAL);
	expect_ll_error("", 10, -EINVAL);
}

/* memparse s and require the value want, with parsing stopped `rest` characters from the end. */
static void expect_memparse(const char *s, unsigned long long want, const char *rest)
{
	char *end = NULL;
	unsigned long long v = memparse(s, &end);

	cr_assert_eq(v, want, "memparse(\"%s\") = %llu, want %llu", s, v, want);
	cr_assert_str_eq(end, rest, "memparse(\"%s\") stopped at \"%s\", want \"%s\"", s, end, rest);
	cr_assert_eq(end, s + libc_strlen(s) - libc_strlen(rest));
}

Test(kstrtox, memparse_multiplies_by_binary_suffixes)
{
	expect_memparse("4096", 4096, "");
	expect_memparse("4K", 4 * SZ_1K, "");
	expect_memparse("4k", 4 * SZ_1K, "");
	expect_memparse("64M", 64 * SZ_1M, "");
	expect_memparse("2G", 2 * SZ_1G, "");
	expect_memparse("2g", 2 * SZ_1G, "");
	expect_memparse("3T", 3ULL << 40, "");
	expect_memparse("5p", 5ULL << 50, "");
	expect_memparse("1E", 1ULL << 60, "");
}

Test(kstrtox, memparse_uses_base_prefixes)
{
	expect_memparse("0x1000", 0x1000, "");
	expect_memparse("0x10K", 16 * SZ_1K, "");
	expect_memparse("010", 8, "");		/* octal, as in Linux */
	expect_memparse("0", 0, "");
}

Test(kstrtox, memparse_stops_at_the_first_character_that_does_not_belong)
{
	expect_memparse("12Kb", 12 * SZ_1K, "b");
	expect_memparse("16X", 16, "X");
	expect_memparse("1M,2M", SZ_1M, ",2M");
	expect_memparse("8 ", 8, " ");
	expect_memparse("0x", 0, "x");
}

Test(kstrtox, memparse_without_a_number_returns_0_and_consumes_nothing)
{
	expect_memparse("", 0, "");
	expect_memparse("abc", 0, "abc");
	expect_memparse("K", 0, "K");
	expect_memparse("-1", 0, "-1");
}

Test(kstrtox, memparse_accepts_null_retptr)
{
	cr_assert_eq(memparse("1k", NULL), SZ_1K);
}

/* Linux 6.18's kstrtobool: the first character decides, "on" and "off" by the second. */
Test(kstrtox, kstrtobool_reads_linux_yes_and_no)
{
	static const char *const yes[] = { "1", "y", "Y", "yes", "t", "true", "on", "ON", "e", "enable" };
	static const char *const no[] = { "0", "n", "N", "no", "f", "false", "off", "Off", "d", "disable" };
	static const char *const junk[] = { "", "o", "ox", "2", "junk", " 1", "\x11" };
	bool v;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = false;
		cr_assert_eq(kstrtobool(yes[i], &v), 0, "%s", yes[i]);
		cr_assert(v, "%s reads as yes", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = true;
		cr_assert_eq(kstrtobool(no[i], &v), 0, "%s", no[i]);
		cr_assert(!v, "%s reads as no", no[i]);
	}
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		v = true;
		cr_assert_eq(kstrtobool(junk[i], &v), -EINVAL, "'%s'", junk[i]);
		cr_assert(v, "'%s' leaves the result alone", junk[i]);
	}
	cr_assert_eq(kstrtobool(NULL, &v), -EINVAL);
}
