// SPDX-License-Identifier: MIT
/*
 * vsprintf.c - printf-style formatting; include/lib/printf.h lists what is supported.
 *
 * One engine, vformat(), walks the format and hands the output to a callback one
 * character at a time; vsnprintf and friends are small wrappers that store those
 * characters in a buffer, and seq_file streams them to the console.  Numbers are
 * converted with 64-bit division, one instruction on x86-64, so nothing here needs
 * libgcc.
 */
#include <limits.h>

#include "kernel/kallsyms.h"
#include "lib/printf.h"
#include "lib/string.h"

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_INTMAX };

/* One conversion: %[flags][width][.precision][length]conversion */
struct spec {
	bool left;		/* '-': pad on the right */
	bool zero;		/* '0': pad numbers with zeros instead of spaces */
	bool plus;		/* '+': give non-negative signed numbers a '+' */
	bool space;		/* ' ': ... or a space, if '+' is not given */
	bool alt;		/* '#': "0x" before hex, a leading 0 for octal */
	int width;		/* minimum field width; 0 if none */
	int precision;		/* minimum digits, or maximum string length; -1 if none */
	enum length length;
	char conv;		/* 'd', 'x', ...; '\0' if the format ended inside the spec */
	char ext;		/* %pS, %ps, %pV: 'S' or 's' (a symbol), 'V' (a va_format) */
};

/* Where the characters go, and how many have gone. */
struct sink {
	void (*out)(void *ctx, char c);
	void *ctx;
	size_t count;
};

static void put(struct sink *o, char c)
{
	o->out(o->ctx, c);
	o->count++;
}

/* Widths and precisions reach INT_MAX, so counts are long long to add them safely. */
static void put_repeat(struct sink *o, char c, long long n)
{
	for (; n > 0; n--)
		put(o, c);
}

static void put_chars(struct sink *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

/* ---- parsing a conversion spec ---- */

static bool parse_flag(char c, struct spec *sp)
{
	switch (c) {
	case '-': sp->left = true; return true;
	case '0': sp->zero = true; return true;
	case '+': sp->plus = true; return true;
	case ' ': sp->space = true; return true;
	case '#': sp->alt = true; return true;
	default: return false;
	}
}

/* Read a decimal width or precision; absurdly long ones saturate instead of overflowing. */
static int parse_decimal(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		int digit = *(*fmt)++ - '0';

		v = v > (INT_MAX - digit) / 10 ? INT_MAX : v * 10 + digit;
	}
	return v;
}

static enum length parse_length(const char **fmt)
{
	switch (*(*fmt)++) {
	case 'h':
		if (**fmt != 'h')
			return LEN_SHORT;
		(*fmt)++;
		return LEN_CHAR;
	case 'l':
		if (**fmt != 'l')
			return LEN_LONG;
		(*fmt)++;
		return LEN_LLONG;
	case 'z': return LEN_SIZE;
	case 't': return LEN_PTRDIFF;
	case 'j': return LEN_INTMAX;
	default:
		(*fmt)--;	/* not a length modifier: leave it for the conversion */
		return LEN_INT;
	}
}

/*
 * Parse the spec that follows a '%' into *sp, taking '*' widths and precisions from ap.
 * Returns where the format continues: just past the conversion character.
 */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };

	while (parse_flag(*fmt, sp))
		fmt++;

	if (*fmt == '*') {
		int w = va_arg(*ap, int);

		fmt++;
		/* C: a negative width argument is a '-' flag and a positive width. */
		if (w < 0) {
			sp->left = true;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		sp->width = w;
	} else {
		sp->width = parse_decimal(&fmt);
	}

	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			int p = va_arg(*ap, int);

			fmt++;
			sp->precision = p < 0 ? -1 : p;	/* C: negative means "none" */
		} else {
			sp->precision = parse_decimal(&fmt);	/* a bare '.' is 0 */
		}
	}

	sp->length = parse_length(&fmt);
	sp->conv = *fmt;
	if (sp->conv == 'p' && (fmt[1] == 'S' || fmt[1] == 's' || fmt[1] == 'V'))
		sp->ext = *++fmt;
	return *fmt ? fmt + 1 : fmt;
}

/* ---- fetching arguments ---- */

/* Integers narrower than int arrive promoted to int; cut them back to their own type. */
static long long get_signed(va_list *ap, enum length length)
{
	switch (length) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return va_arg(*ap, ptrdiff_t);	/* the signed type of size_t's width */
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static unsigned long long get_unsigned(va_list *ap, enum length length)
{
	switch (length) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_PTRDIFF: return va_arg(*ap, size_t);	/* the unsigned type of ptrdiff_t's width */
	case LEN_INTMAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* ---- formatting one conversion ---- */

/*
 * Print v (negated if negative is set) as sp says.  The field is laid out as
 *
 *   [spaces] [sign] [0x] [zeros] digits [spaces]
 *
 * where the zeros come from the precision (a minimum digit count) or from the '0' flag.
 */
static void format_number(struct sink *o, const struct spec *sp, unsigned long long v,
			  bool negative)
{
	const char *digit_chars = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	bool is_signed = sp->conv == 'd' || sp->conv == 'i';
	unsigned int base = 10;
	char digits[22];	/* enough for 2^64 - 1 in octal, the longest case */
	int ndigits = 0;
	char prefix[3];		/* sign and "0x" */
	int nprefix = 0;
	long long zeros, len;

	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;

	/* Least significant digit first; printed backwards below.  Zero gives no digits. */
	for (; v; v /= base)
		digits[ndigits++] = digit_chars[v % base];

	/* The default precision is 1, so zero prints as "0" -- but "%.0d" prints nothing. */
	zeros = (sp->precision < 0 ? 1 : sp->precision) - ndigits;
	if (zeros < 0)
		zeros = 0;
	if (sp->conv == 'o' && sp->alt && zeros == 0)
		zeros = 1;	/* C: '#' makes the first octal digit a 0 */

	if (negative)
		prefix[nprefix++] = '-';
	else if (is_signed && sp->plus)
		prefix[nprefix++] = '+';
	else if (is_signed && sp->space)
		prefix[nprefix++] = ' ';
	/* Unlike C, and like Linux, '#' gives zero its "0x" too: "%#018llx" always lines up. */
	if (sp->conv == 'p' || (base == 16 && sp->alt)) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = sp->conv == 'X' ? 'X' : 'x';
	}

	len = nprefix + zeros + ndigits;
	/* '0' fills the width with zeros, unless '-' or a precision says otherwise. */
	if (sp->zero && !sp->left && sp->precision < 0 && sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}

	if (!sp->left)
		put_repeat(o, ' ', sp->width - len);
	put_chars(o, prefix, nprefix);
	put_repeat(o, '0', zeros);
	while (ndigits)
		put(o, digits[--ndigits]);
	if (sp->left)
		put_repeat(o, ' ', sp->width - len);
}

/* Print n characters of s, padded with spaces to the field width. */
static void format_chars(struct sink *o, const struct spec *sp, const char *s, size_t n)
{
	long long pad = sp->width - (long long)n;

	if (!sp->left)
		put_repeat(o, ' ', pad);
	put_chars(o, s, n);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static void format_string(struct sink *o, const struct spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	/* With a precision, s need not be NUL-terminated: read no further than that. */
	format_chars(o, sp, s, sp->precision < 0 ? strlen(s) : strnlen(s, sp->precision));
}

/*
 * %pS: "name+0xoff/0xsize" of the function holding @addr; %ps: the name alone.  An
 * address in no known function prints as "0x..." either way, as Linux prints it.
 */
static void format_symbol(struct sink *o, const struct spec *sp, uintptr_t addr)
{
	char buf[KSYM_SYMBOL_LEN];
	const char *name = sp->ext == 's' ? kallsyms_lookup(addr, NULL, NULL) : NULL;

	if (!name) {
		sprint_symbol(buf, sizeof(buf), addr);
		name = buf;
	}
	format_string(o, sp, name);
}

static void format_all(struct sink *o, const char *fmt, va_list *args);

/*
 * %pV: a caller's own format and arguments, printed in place.  The va_list is copied so
 * that the caller's stays where it was (it may print it again).
 */
static void format_nested(struct sink *o, const struct va_format *vaf)
{
	va_list args;

	va_copy(args, *vaf->va);
	format_all(o, vaf->fmt, &args);
	va_end(args);
}

/* Consume the arguments for one parsed spec and print it; spec_text is the spec as written. */
static void format_one(struct sink *o, const struct spec *sp, va_list *ap,
		       const char *spec_text, size_t spec_len)
{
	switch (sp->conv) {
	case 'd':
	case 'i': {
		long long v = get_signed(ap, sp->length);

		/* Negate in unsigned arithmetic: -LLONG_MIN does not fit in a long long. */
		format_number(o, sp, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v,
			      v < 0);
		break;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		format_number(o, sp, get_unsigned(ap, sp->length), false);
		break;
	case 'p': {
		struct spec p = *sp;

		if (sp->ext == 'V') {
			format_nested(o, va_arg(*ap, const struct va_format *));
			break;
		}
		if (sp->ext) {
			format_symbol(o, sp, (uintptr_t)va_arg(*ap, void *));
			break;
		}
		p.precision = 16;	/* all 64 bits, so pointers line up in columns */
		format_number(o, &p, (uintptr_t)va_arg(*ap, void *), false);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);

		format_chars(o, sp, &c, 1);
		break;
	}
	case 's':
		format_string(o, sp, va_arg(*ap, const char *));
		break;
	case '%':
		put(o, '%');
		break;
	default:
		/* Unknown, or cut short by the end of the format: show it as written. */
		put_chars(o, spec_text, spec_len);
		break;
	}
}

/* Print @fmt with the arguments in @args into @o; %pV comes back here for its format. */
static void format_all(struct sink *o, const char *fmt, va_list *args)
{
	while (*fmt) {
		const char *start = fmt;
		struct spec sp;

		if (*fmt != '%') {
			put(o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, args);
		format_one(o, &sp, args, start, fmt - start);
	}
}

int vformat(void (*out)(void *ctx, char c), void *ctx, const char *fmt, va_list ap)
{
	struct sink o = { .out = out, .ctx = ctx };
	va_list args;

	/*
	 * The helpers take the va_list by pointer so they can all consume arguments.  That
	 * needs a local copy: on x86-64 a va_list parameter is really a pointer, and &ap
	 * would have the wrong type.
	 */
	va_copy(args, ap);
	format_all(&o, fmt, &args);
	va_end(args);
	return o.count > INT_MAX ? INT_MAX : (int)o.count;
}

/* ---- into a buffer ---- */

struct buf_sink {
	char *buf;
	size_t size;
	size_t used;	/* characters stored; never more than size - 1 */
};

static void buf_out(void *ctx, char c)
{
	struct buf_sink *b = ctx;

	/* The last byte is kept for the NUL; what does not fit is only counted (by vformat). */
	if (b->used + 1 < b->size)
		b->buf[b->used++] = c;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { .buf = buf, .size = size };
	int len = vformat(buf_out, &b, fmt, ap);

	if (size)
		buf[b.used] = '\0';
	return len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int len = vsnprintf(buf, size, fmt, ap);

	if (size == 0)
		return 0;
	return (size_t)len < size ? len : (int)(size - 1);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}
