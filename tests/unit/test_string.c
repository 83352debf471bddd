// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/lib/string.c: each function is run on the same inputs as
 * glibc's and must agree (sign only, for comparisons), plus strscpy's contract.
 * Buffers whose ends matter are malloc'ed to their exact size, so ASan catches any
 * access past them.
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>
#include <stdlib.h>

#include "lib/errno.h"
#include "lib/string.h"
#include "types.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* A fixed pseudo-random byte sequence, so failures reproduce. */
static unsigned char next_byte(unsigned int *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 16;
}

Test(string, memcpy_copies_every_length_and_returns_dest)
{
	unsigned char src[64], dst[64], expect[64];
	unsigned int seed = 1;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = next_byte(&seed);
	for (size_t n = 0; n <= sizeof(src); n++) {
		libc_memset(dst, 0xaa, sizeof(dst));
		libc_memset(expect, 0xaa, sizeof(expect));
		libc_memcpy(expect, src, n);
		cr_assert_eq(pl_memcpy(dst, src, n), dst);
		cr_assert_eq(libc_memcmp(dst, expect, sizeof(dst)), 0, "n = %zu", n);
	}
}

Test(string, memmove_handles_every_overlap_like_glibc)
{
	unsigned char ours[48], theirs[48];

	/* Every source and destination offset in a small window, every length that fits. */
	for (size_t from = 0; from < 16; from++) {
		for (size_t to = 0; to < 16; to++) {
			for (size_t n = 0; n <= 32; n++) {
				for (size_t i = 0; i < sizeof(ours); i++)
					ours[i] = theirs[i] = (unsigned char)i;
				cr_assert_eq(pl_memmove(ours + to, ours + from, n), ours + to);
				libc_memmove(theirs + to, theirs + from, n);
				cr_assert_eq(libc_memcmp(ours, theirs, sizeof(ours)), 0,
					     "from %zu to %zu n %zu", from, to, n);
			}
		}
	}
}

Test(string, memset_stores_low_byte_of_c_and_nothing_past_n)
{
	unsigned char buf[16];

	libc_memset(buf, 0x11, sizeof(buf));
	cr_assert_eq(pl_memset(buf + 2, 0x1ff, 5), buf + 2);
	for (size_t i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], i >= 2 && i < 7 ? 0xff : 0x11, "byte %zu", i);
	pl_memset(buf, 0, 0);
	cr_assert_eq(buf[0], 0x11);
}

Test(string, memcmp_orders_bytes_as_unsigned_like_glibc)
{
	unsigned char a[32], b[32];
	unsigned int seed = 7;

	cr_assert_gt(pl_memcmp("\x80", "\x01", 1), 0);
	cr_assert_eq(pl_memcmp("abc", "abd", 2), 0);
	cr_assert_eq(pl_memcmp("x", "y", 0), 0);
	for (int round = 0; round < 1000; round++) {
		/* Few distinct byte values, so equal prefixes of all lengths are common. */
		for (size_t i = 0; i < sizeof(a); i++) {
			a[i] = next_byte(&seed) % 3 + 0x7f;
			b[i] = next_byte(&seed) % 3 + 0x7f;
		}
		size_t n = next_byte(&seed) % (sizeof(a) + 1);

		cr_assert_eq(sign(pl_memcmp(a, b, n)), sign(libc_memcmp(a, b, n)), "round %d", round);
	}
}

Test(string, strlen_counts_up_to_nul)
{
	cr_assert_eq(pl_strlen(""), 0);
	cr_assert_eq(pl_strlen("a"), 1);
	cr_assert_eq(pl_strlen("hello\0world"), 5);
	cr_assert_eq(pl_strlen("\xff\x80"), 2);
}

Test(string, strnlen_never_reads_past_maxlen)
{
	/* Not NUL-terminated: reading byte 4 would be an ASan error. */
	char *s = malloc(4);

	libc_memcpy(s, "abcd", 4);
	cr_assert_eq(pl_strnlen(s, 4), 4);
	cr_assert_eq(pl_strnlen(s, 2), 2);
	cr_assert_eq(pl_strnlen(s, 0), 0);
	cr_assert_eq(pl_strnlen("ab", 10), 2);	/* a bound past the NUL is fine */
	free(s);
}

static const char *const compare_cases[][2] = {
	{ "", "" }, { "", "a" }, { "a", "" }, { "abc", "abc" }, { "abc", "abd" },
	{ "abd", "abc" }, { "ab", "abc" }, { "abc", "ab" }, { "\x80", "a" }, { "a", "\xff" },
	{ "hello", "help" }, { "same\x80", "same\x7f" },
};

Test(string, strcmp_sign_matches_glibc_including_high_bytes)
{
	for (size_t i = 0; i < ARRAY_SIZE(compare_cases); i++) {
		const char *a = compare_cases[i][0], *b = compare_cases[i][1];

		cr_assert_eq(sign(pl_strcmp(a, b)), sign(libc_strcmp(a, b)), "case %zu", i);
	}
}

Test(string, strncmp_compares_at_most_n_like_glibc)
{
	for (size_t i = 0; i < ARRAY_SIZE(compare_cases); i++) {
		const char *a = compare_cases[i][0], *b = compare_cases[i][1];

		for (size_t n = 0; n < 8; n++)
			cr_assert_eq(sign(pl_strncmp(a, b, n)), sign(libc_strncmp(a, b, n)),
				     "case %zu n %zu", i, n);
	}
	cr_assert_eq(pl_strncmp("abcX", "abcY", 3), 0);
}

Test(string, strchr_finds_first_match_or_the_terminating_nul)
{
	const char *s = "banana";

	cr_assert_eq(pl_strchr(s, 'a'), s + 1);
	cr_assert_eq(pl_strchr(s, 'b'), s);
	cr_assert_null(pl_strchr(s, 'z'));
	cr_assert_eq(pl_strchr(s, '\0'), s + 6);
	/* c is converted to char, as in glibc: 'n' + 256 finds 'n'. */
	cr_assert_eq(pl_strchr(s, 'n' + 256), libc_strchr(s, 'n' + 256));
	cr_assert_eq(pl_strchr("a\xe9", 0xe9), libc_strchr("a\xe9", 0xe9));
}

Test(string, strrchr_finds_last_match_or_the_terminating_nul)
{
	const char *s = "banana";

	cr_assert_eq(pl_strrchr(s, 'a'), s + 5);
	cr_assert_eq(pl_strrchr(s, 'b'), s);
	cr_assert_null(pl_strrchr(s, 'z'));
	cr_assert_eq(pl_strrchr(s, '\0'), s + 6);
	cr_assert_null(pl_strrchr("", 'a'));
}

Test(string, strstr_matches_glibc)
{
	static const char *const cases[][2] = {
		{ "hello world", "world" }, { "hello world", "o" }, { "hello", "" },
		{ "", "" }, { "", "a" }, { "aaab", "aab" }, { "abc", "abcd" },
		{ "abcabc", "cab" }, { "abc", "x" }, { "mississippi", "issip" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *h = cases[i][0], *n = cases[i][1];

		cr_assert_eq(pl_strstr(h, n), libc_strstr(h, n), "case %zu", i);
	}
}

Test(string, strscpy_returns_length_when_src_fits)
{
	char *dst = malloc(6);

	cr_assert_eq(strscpy(dst, "abc", 6), 3);
	cr_assert_str_eq(dst, "abc");
	/* Exactly filling the buffer, NUL included, is not truncation. */
	cr_assert_eq(strscpy(dst, "abcde", 6), 5);
	cr_assert_str_eq(dst, "abcde");
	cr_assert_eq(strscpy(dst, "", 6), 0);
	cr_assert_str_eq(dst, "");
	free(dst);
}

Test(string, strscpy_truncates_and_terminates_with_e2big)
{
	char *dst = malloc(6);

	cr_assert_eq(strscpy(dst, "abcdef", 6), -E2BIG);
	cr_assert_str_eq(dst, "abcde");
	cr_assert_eq(strscpy(dst, "a very long string", 1), -E2BIG);
	cr_assert_eq(dst[0], '\0');
	cr_assert_eq(strscpy(dst, "", 1), 0);
	free(dst);
}

Test(string, strscpy_with_size_zero_writes_nothing)
{
	char dst[2] = { 'x', 'y' };

	cr_assert_eq(strscpy(dst, "abc", 0), -E2BIG);
	cr_assert_eq(dst[0], 'x');
	cr_assert_eq(dst[1], 'y');
}
