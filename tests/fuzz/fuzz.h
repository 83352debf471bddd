/* SPDX-License-Identifier: MIT */
/*
 * What every libFuzzer harness in tests/fuzz/ shares: reading an input as a stream of
 * little-endian numbers, and failing loudly.
 *
 * An input is just bytes; a harness reads it front to back with the fuzz_u8() ...
 * fuzz_u64() readers, which return 0 once the bytes run out, so every input - even an
 * empty one - means something and the fuzzer never has to learn a length field.
 *
 * A broken invariant calls fuzz_fail(), which prints the reason and aborts: libFuzzer
 * then saves the input as a crash file, exactly as for an ASan or UBSan report.
 */
#ifndef PAGELAB_TESTS_FUZZ_H
#define PAGELAB_TESTS_FUZZ_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "types.h"

struct fuzz_input {
	const u8 *data;
	size_t size, pos;
};

static inline struct fuzz_input fuzz_input(const u8 *data, size_t size)
{
	return (struct fuzz_input){ .data = data, .size = size };
}

/* fuzz_left - the bytes not read yet. */
static inline size_t fuzz_left(const struct fuzz_input *in)
{
	return in->size - in->pos;
}

/* fuzz_bytes - the next @n bytes as a little-endian number (n <= 8); 0s past the end. */
static inline u64 fuzz_bytes(struct fuzz_input *in, unsigned int n)
{
	u64 v = 0;

	for (unsigned int i = 0; i < n && in->pos < in->size; i++)
		v |= (u64)in->data[in->pos++] << (8 * i);
	return v;
}

static inline u8 fuzz_u8(struct fuzz_input *in) { return (u8)fuzz_bytes(in, 1); }
static inline u16 fuzz_u16(struct fuzz_input *in) { return (u16)fuzz_bytes(in, 2); }
static inline u32 fuzz_u32(struct fuzz_input *in) { return (u32)fuzz_bytes(in, 4); }
static inline u64 fuzz_u64(struct fuzz_input *in) { return fuzz_bytes(in, 8); }

/* fuzz_fail - report a broken invariant and abort, so libFuzzer keeps the input. */
static inline __attribute__((noreturn, format(printf, 1, 2)))
void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define fuzz_check(cond, ...)                   \
	do {                                    \
		if (!(cond))                    \
			fuzz_fail(__VA_ARGS__); \
	} while (0)

#endif
