// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/lib/sort.c: sort() against the contract in include/lib/sort.h -
 * every size class of element (words, odd byte counts), its own or a caller's swap,
 * the edge cases (0, 1, 2 elements, sorted, reversed, all equal), and many random
 * arrays checked against a simple reference.
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>

#include "lib/sort.h"
#include "types.h"

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void assert_sorted_u64(const u64 *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		cr_assert_leq(v[i - 1], v[i], "element %zu (%llu) is before %zu (%llu)", i - 1,
			      v[i - 1], i, v[i]);
}

/* A deterministic pseudo-random sequence (xorshift64), so a failure can be replayed. */
static u64 next_random(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

Test(sort, nothing_or_one_element_is_left_alone)
{
	u64 one = 42;

	sort(NULL, 0, sizeof(u64), cmp_u64, NULL);
	sort(&one, 1, sizeof(one), cmp_u64, NULL);
	cr_assert_eq(one, 42);
}

Test(sort, two_elements)
{
	u64 v[] = { 9, 3 };

	sort(v, 2, sizeof(v[0]), cmp_u64, NULL);
	cr_assert(v[0] == 3 && v[1] == 9);
}

Test(sort, sorted_reversed_and_equal_inputs)
{
	u64 up[100], down[100], same[100];

	for (u64 i = 0; i < 100; i++) {
		up[i] = i;
		down[i] = 100 - i;
		same[i] = 7;
	}
	sort(up, 100, sizeof(u64), cmp_u64, NULL);
	sort(down, 100, sizeof(u64), cmp_u64, NULL);
	sort(same, 100, sizeof(u64), cmp_u64, NULL);
	for (u64 i = 0; i < 100; i++) {
		cr_assert_eq(up[i], i);
		cr_assert_eq(down[i], i + 1);
		cr_assert_eq(same[i], 7);
	}
}

/* Random arrays of every length up to 200: sorted, and still the same multiset (sum, xor). */
Test(sort, random_arrays_of_every_length)
{
	u64 state = 0x9e3779b97f4a7c15ULL, v[200];

	for (size_t n = 0; n <= 200; n++) {
		u64 sum = 0, x = 0;

		for (size_t i = 0; i < n; i++) {
			v[i] = next_random(&state) % 64; /* small values: many ties */
			sum += v[i];
			x ^= v[i] * 0x100000001b3ULL;
		}
		sort(v, n, sizeof(v[0]), cmp_u64, NULL);
		assert_sorted_u64(v, n);
		for (size_t i = 0; i < n; i++) {
			sum -= v[i];
			x ^= v[i] * 0x100000001b3ULL;
		}
		cr_assert(sum == 0 && x == 0, "length %zu: sort lost or duplicated elements", n);
	}
}

/* 4-byte elements are not whole words: the byte swap must be chosen and must work. */
Test(sort, elements_that_are_not_whole_words)
{
	int v[] = { 5, -1, 3, 3, 0, -7, 12, 2, 1 };

	sort(v, ARRAY_SIZE(v), sizeof(v[0]), cmp_int, NULL);
	for (size_t i = 1; i < ARRAY_SIZE(v); i++)
		cr_assert_leq(v[i - 1], v[i]);
	cr_assert(v[0] == -7 && v[ARRAY_SIZE(v) - 1] == 12);
}

/* A 24-byte struct (three words) carries its payload along with its key. */
struct record {
	u64 key;
	u64 payload;
	u8 tag[7]; /* sizeof is 24: 7 bytes of tag, one of padding */
};

static int cmp_record(const void *a, const void *b)
{
	return cmp_u64(&((const struct record *)a)->key, &((const struct record *)b)->key);
}

static int swaps;

static void count_swap(void *a, void *b, int size)
{
	struct record t;

	cr_assert_eq(size, (int)sizeof(t));
	t = *(struct record *)a;
	*(struct record *)a = *(struct record *)b;
	*(struct record *)b = t;
	swaps++;
}

Test(sort, a_callers_swap_function_is_used)
{
	struct record r[50];

	for (int i = 0; i < 50; i++)
		r[i] = (struct record){ .key = (u64)(i * 37 % 50), .payload = (u64)(i * 37 % 50) * 3,
					.tag = { (u8)(i * 37 % 50) } };
	swaps = 0;
	sort(r, 50, sizeof(r[0]), cmp_record, count_swap);
	cr_assert_gt(swaps, 0);
	for (int i = 0; i < 50; i++)
		cr_assert(r[i].key == (u64)i && r[i].payload == (u64)i * 3 && r[i].tag[0] == i,
			  "record %d lost its payload", i);
}

/* Odd sizes: 3-byte elements go through the byte swap, all three bytes together. */
static int cmp_first_byte(const void *a, const void *b)
{
	return *(const u8 *)a - *(const u8 *)b;
}

Test(sort, three_byte_elements)
{
	u8 v[] = { 3, 'c', 'C', 1, 'a', 'A', 2, 'b', 'B', 0, '-', '_' };

	sort(v, 4, 3, cmp_first_byte, NULL);
	cr_assert_eq(memcmp(v, "\0-_\1aA\2bB\3cC", sizeof(v)), 0);
}
