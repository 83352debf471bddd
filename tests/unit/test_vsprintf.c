// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/lib/vsprintf.c.
 *
 * Where our printf and C agree, each format is run through ours and glibc's, into a
 * full buffer and into truncating ones, and the return value and every byte of the
 * buffer must match.  Where we differ on purpose (%p, NULL strings, unknown
 * conversions, '#' with a hex zero; see include/lib/printf.h) the tests spell out the
 * expected text.
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>
#include <stdlib.h>
#include <limits.h>
#include <stdint.h>

#include "lib/printf.h"
#include "types.h"

#define CHECK_BUF 512

/* Format into `size` bytes with ours and with glibc; require identical results. */
static void check_size(size_t size, const char *fmt, va_list ap)
{
	char ours[CHECK_BUF], theirs[CHECK_BUF];
	va_list ap_ours, ap_theirs;
	int got, want;

	cr_assert_lt(size, CHECK_BUF);
	/* Same junk in both, so bytes written past the NUL or past size show up too. */
	libc_memset(ours, 0x5a, sizeof(ours));
	libc_memset(theirs, 0x5a, sizeof(theirs));
	va_copy(ap_ours, ap);
	va_copy(ap_theirs, ap);
	got = pl_vsnprintf(size ? ours : NULL, size, fmt, ap_ours);
	want = libc_vsnprintf(size ? theirs : NULL, size, fmt, ap_theirs);
	va_end(ap_ours);
	va_end(ap_theirs);

	if (got != want || libc_memcmp(ours, theirs, sizeof(ours))) {
		ours[CHECK_BUF - 1] = theirs[CHECK_BUF - 1] = '\0';
		cr_assert_fail("format \"%s\", size %zu: ours returned %d \"%s\", glibc %d \"%s\"",
			       fmt, size, got, ours, want, theirs);
	}
}

/*
 * Compare ours with glibc for one format: into a large buffer, and into buffers of 0, 1,
 * about half, exactly and one more than the output length.
 */
static __printf(1, 2) void check(const char *fmt, ...)
{
	va_list ap, ap_len;
	size_t len, sizes[6];

	va_start(ap, fmt);
	va_copy(ap_len, ap);
	len = libc_vsnprintf(NULL, 0, fmt, ap_len);
	va_end(ap_len);

	sizes[0] = CHECK_BUF - 1;
	sizes[1] = 0;
	sizes[2] = 1;
	sizes[3] = len / 2 + 1;
	sizes[4] = len;
	sizes[5] = len + 1;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (sizes[i] < CHECK_BUF)
			check_size(sizes[i], fmt, ap);
	}
	va_end(ap);
}

/* For formats where we differ from glibc on purpose: ours must produce `want`. */
#define expect_format(want, fmt, ...)							\
	do {										\
		char buf_[256];								\
		int len_ = pl_snprintf(buf_, sizeof(buf_), fmt, ##__VA_ARGS__);		\
		cr_assert_str_eq(buf_, want, "format \"%s\"", fmt);			\
		cr_assert_eq(len_, (int)libc_strlen(want), "format \"%s\"", fmt);	\
	} while (0)

Test(vsprintf, plain_text_and_percent_match_glibc)
{
	check("%s", "");
	check("hello, world");
	check("100%%");
	check("%%d%%");
	check("%s", "a string");
}

Test(vsprintf, int_conversions_match_glibc)
{
	static const int values[] = { 0, 1, -1, 42, -42, 255, INT_MIN, INT_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		check("%d", values[i]);
		check("%i", values[i]);
		check("%u", (unsigned int)values[i]);
		check("%x", (unsigned int)values[i]);
		check("%X", (unsigned int)values[i]);
		check("%o", (unsigned int)values[i]);
		check("[%d|%u|%x]", values[i], (unsigned int)values[i], (unsigned int)values[i]);
	}
	check("%u", UINT_MAX);
}

Test(vsprintf, length_modifiers_match_glibc)
{
	check("%hhd %hhd %hhu %hhx", 200, -128, 300, 0x1ff);
	check("%hd %hd %hu %hx", 40000, SHRT_MIN, 70000, 0x1ffff);
	check("%ld %ld %lu %lx", LONG_MIN, LONG_MAX, ULONG_MAX, ULONG_MAX);
	check("%lld %lli %llu", LLONG_MIN, LLONG_MIN, ULLONG_MAX);
	check("%lld %llx %llX %llo", LLONG_MAX, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	check("%#llo %#llx", ULLONG_MAX, ULLONG_MAX);
	check("%zu %zx %zd", SIZE_MAX, SIZE_MAX, (ptrdiff_t)-5);
	check("%td %td %tu", PTRDIFF_MIN, PTRDIFF_MAX, (size_t)PTRDIFF_MAX + 1);
	check("%jd %jd %ju %jx", INTMAX_MIN, INTMAX_MAX, UINTMAX_MAX, UINTMAX_MAX);
	/* The argument after a narrow one must still be found. */
	check("%hhd %lld %hd %s", 1, LLONG_MIN, 2, "end");
}

/* All 32 combinations of the flags, in a fixed order. */
static void flags_for(unsigned int mask, char *out)
{
	static const char flags[] = "-0+ #";

	for (unsigned int bit = 0; bit < 5; bit++) {
		if (mask & (1u << bit))
			*out++ = flags[bit];
	}
	*out = '\0';
}

static const char *const widths[] = { "", "1", "6", "24" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".4", ".22" };

/*
 * Every combination of flags, width and precision on every integer conversion, with
 * the value passed as int or as long long ("ll").
 */
static void check_integer_combinations(const char *length, const long long *values, size_t n)
{
	static const char convs[] = "diuxXo";
	char flags[8], fmt[32];

	for (unsigned int mask = 0; mask < 32; mask++) {
		flags_for(mask, flags);
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
			for (size_t p = 0; p < ARRAY_SIZE(precisions); p++) {
				for (const char *c = convs; *c; c++) {
					bool is_signed = *c == 'd' || *c == 'i';

					/* C leaves '#' undefined for d, i and u. */
					if ((mask & 16) && (is_signed || *c == 'u'))
						continue;
					libc_snprintf(fmt, sizeof(fmt), "%%%s%s%s%s%c", flags,
						      widths[w], precisions[p], length, *c);
					for (size_t v = 0; v < n; v++) {
						/* '#' on a hex zero: we follow Linux, see below. */
						if ((mask & 16) && values[v] == 0 && *c != 'o')
							continue;
						if (*length && is_signed)
							check(fmt, values[v]);
						else if (*length)
							check(fmt, (unsigned long long)values[v]);
						else if (is_signed)
							check(fmt, (int)values[v]);
						else
							check(fmt, (unsigned int)values[v]);
					}
				}
			}
		}
	}
}

Test(vsprintf, int_flags_width_precision_combinations_match_glibc)
{
	static const long long values[] = { 0, 1, -1, 42, 255, -1000, INT_MIN, INT_MAX };

	check_integer_combinations("", values, ARRAY_SIZE(values));
}

Test(vsprintf, long_long_flags_width_precision_combinations_match_glibc)
{
	static const long long values[] = { 0, 7, -7, 1234567890123LL, LLONG_MIN, LLONG_MAX };

	check_integer_combinations("ll", values, ARRAY_SIZE(values));
}

Test(vsprintf, star_width_and_precision_match_glibc)
{
	check("%*d|", 6, 42);
	check("%*d|", -6, 42);		/* negative width: left-justified */
	check("%-*d|", -6, 42);
	check("%.*d|", 4, 42);
	check("%.*d|", -4, 42);		/* negative precision: as if none */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"	/* it cannot know the precision is negative */
	check("%0*.*d|", 8, -1, 42);	/* ... so '0' applies again */
#pragma GCC diagnostic pop
	check("%*.*s|", 10, 3, "abcdef");
	check("%-*.*s|", 10, 3, "abcdef");
	check("%*c|", 4, 'x');
	check("%*d %*d", 3, 1, -3, 2);
}

Test(vsprintf, strings_and_chars_match_glibc)
{
	static const char *const strs[] = { "", "a", "hello", "a longer string here" };
	static const char *const str_flags[] = { "", "-" };
	char fmt[32];

	for (size_t s = 0; s < ARRAY_SIZE(strs); s++) {
		for (size_t f = 0; f < ARRAY_SIZE(str_flags); f++) {
			for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
				for (size_t p = 0; p < ARRAY_SIZE(precisions); p++) {
					libc_snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", str_flags[f],
						      widths[w], precisions[p]);
					check(fmt, strs[s]);
				}
				libc_snprintf(fmt, sizeof(fmt), "[%%%s%sc]", str_flags[f], widths[w]);
				check(fmt, 'q');
			}
		}
	}
	check("%c%c%c", 'a', 'b', 'c');
	check("%c", 0xe9);
	check("a%cb", '\0');		/* a NUL in the middle is output and counted */
}

Test(vsprintf, precision_stops_reading_unterminated_string)
{
	/* Not NUL-terminated: ASan fails the test if more than 3 bytes are read. */
	char *s = malloc(3);

	libc_memcpy(s, "abc", 3);
	check("%.3s|%.2s|%-5.3s|", s, s, s);
	free(s);
}

Test(vsprintf, truncation_returns_full_length_like_glibc)
{
	char buf[4];

	check("hello world");
	check("%d-%s-%x", -123456, "middle", 0xdeadbeefu);
	check("%30s", "pad");
	cr_assert_eq(pl_snprintf(NULL, 0, "%d", 12345), 5);
	cr_assert_eq(pl_snprintf(buf, sizeof(buf), "%s", "abcdef"), 6);
	cr_assert_str_eq(buf, "abc");
}

Test(vsprintf, alt_hex_of_zero_keeps_0x_prefix_like_linux)
{
	expect_format("0x0", "%#x", 0);
	expect_format("0X0", "%#X", 0);
	expect_format("0x0000000000000000", "%#018llx", 0ULL);
	expect_format("[mem 0x0000000000000000-0x000000000009fbff]", "[mem %#018llx-%#018llx]",
		      0ULL, 0x9fbffULL);
	expect_format("     0x0", "%#8x", 0);
	expect_format("0x0     |", "%-#8x|", 0);
	expect_format("0x0000", "%#.4x", 0);
	/* Octal zero is unchanged: it already starts with a 0. */
	expect_format("0", "%#o", 0);
	expect_format("0xff", "%#x", 255);
}

Test(vsprintf, pointer_is_0x_and_16_hex_digits)
{
	expect_format("0x0000000000001234", "%p", (void *)0x1234);
	expect_format("0xffff888000000000", "%p", (void *)0xffff888000000000ULL);
	expect_format("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	expect_format("0x0000000000000000", "%p", NULL);
	expect_format("  0x00000000deadbeef|", "%20p|", (void *)0xdeadbeef);
	expect_format("0x00000000deadbeef  |", "%-20p|", (void *)0xdeadbeef);
	expect_format("0x0000000000000001", "%5p", (void *)1);
}

/* From here, formats that gcc rightly warns about, because C does not define them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"

Test(vsprintf, pointer_ignores_flags_other_than_minus)
{
	expect_format("  0x0000000000000010", "%020p", (void *)16);
	expect_format("0x0000000000000010", "%+#p", (void *)16);
	expect_format("0x0000000000000010", "%.4p", (void *)16);
}

Test(vsprintf, null_string_prints_as_null_marker)
{
	const char *none = NULL;

	expect_format("(null)", "%s", none);
	expect_format("[  (null)]", "[%8s]", none);
	expect_format("[(null)  ]", "[%-8s]", none);
	expect_format("(nu", "%.3s", none);	/* glibc would print "" here */
}

Test(vsprintf, zero_flag_pads_strings_and_chars_with_spaces)
{
	expect_format("   ab", "%05s", "ab");
	expect_format("    x", "%05c", 'x');
}

Test(vsprintf, unknown_conversion_printed_as_written_and_takes_no_argument)
{
	int untouched = 7;

	expect_format("%y", "%y");
	expect_format("[%-5.2y]", "[%-5.2y]");
	expect_format("%y5", "%y%d", 5);
	expect_format("%lly", "%lly");
	expect_format("%f", "%f", 1.5);
	expect_format("a%nb", "a%nb", &untouched);
	cr_assert_eq(untouched, 7, "%%n must not write");
}

Test(vsprintf, format_ending_inside_a_conversion_is_printed_as_written)
{
	expect_format("abc%", "abc%");
	expect_format("%-", "%-");
	expect_format("x%08.3", "x%08.3");
	expect_format("%ll", "%ll");
}

#pragma GCC diagnostic pop

Test(vsprintf, scnprintf_returns_characters_stored)
{
	char buf[8] = "xxxxxxx";

	cr_assert_eq(scnprintf(buf, 0, "hello"), 0);
	cr_assert_eq(buf[0], 'x', "size 0 must not write");
	cr_assert_eq(scnprintf(buf, 1, "hello"), 0);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(scnprintf(buf, 3, "hello"), 2);
	cr_assert_str_eq(buf, "he");
	cr_assert_eq(scnprintf(buf, 6, "hello"), 5);
	cr_assert_eq(scnprintf(buf, sizeof(buf), "hello"), 5);
	cr_assert_str_eq(buf, "hello");
	cr_assert_eq(scnprintf(buf, sizeof(buf), "%s", ""), 0);
}

Test(vsprintf, scnprintf_chain_never_runs_past_the_buffer)
{
	char *buf = malloc(16);
	size_t len = 0;

	for (int i = 0; i < 10; i++)
		len += scnprintf(buf + len, 16 - len, "abcd");
	cr_assert_eq(len, 15);
	cr_assert_str_eq(buf, "abcdabcdabcdabc");
	free(buf);
}

static __printf(3, 4) int call_vscnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

Test(vsprintf, vscnprintf_matches_scnprintf)
{
	char buf[6];

	cr_assert_eq(call_vscnprintf(buf, sizeof(buf), "%d", 1234567), 5);
	cr_assert_str_eq(buf, "12345");
	cr_assert_eq(call_vscnprintf(buf, sizeof(buf), "%x", 255), 2);
	cr_assert_str_eq(buf, "ff");
}

struct collector {
	char text[1024];
	size_t calls;
};

static void collect(void *ctx, char c)
{
	struct collector *col = ctx;

	cr_assert_lt(col->calls, sizeof(col->text));
	col->text[col->calls++] = c;
}

static __printf(2, 3) int call_vformat(struct collector *col, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vformat(collect, col, fmt, ap);
	va_end(ap);
	return len;
}

Test(vsprintf, vformat_hands_every_character_to_the_callback)
{
	struct collector col = { .calls = 0 };
	char want[1024];
	int want_len = libc_snprintf(want, sizeof(want), "<%700d>", -5);

	cr_assert_eq(call_vformat(&col, "<%700d>", -5), want_len);
	cr_assert_eq(col.calls, (size_t)want_len);
	cr_assert_eq(libc_memcmp(col.text, want, want_len), 0);
}

/* A function that takes a format and hands it on, as slab_bug() does, through %pV. */
static __printf(3, 4) int wrap_with_pv(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	struct va_format vaf = { .fmt = fmt, .va = &ap };
	int len;

	va_start(ap, fmt);
	len = snprintf(buf, size, "[%pV|%pV]", &vaf, &vaf); /* twice: the caller's list is not used up */
	va_end(ap);
	return len;
}

Test(vsprintf, pV_prints_a_nested_format_in_place)
{
	char buf[64];

	cr_assert_eq(wrap_with_pv(buf, sizeof(buf), "%s=%d", "objects", 42), 23);
	cr_assert_str_eq(buf, "[objects=42|objects=42]");
	/* Cut short like any output, and counted whole. */
	cr_assert_eq(wrap_with_pv(buf, 8, "%s=%d", "objects", 42), 23);
	cr_assert_str_eq(buf, "[object");
}
