// SPDX-License-Identifier: MIT
/*
 * Heapsort for sort() (include/lib/sort.h).  Heapsort rather than quicksort because its
 * worst case is O(n log n) too and it needs no stack beyond a few locals: the callers
 * (the E820 sanitiser at boot, the shell's slabtop) must never be able to overflow the
 * kernel stack on an unlucky input.  The array is first arranged as a max-heap (each
 * parent >= its children); then the largest element, at the root, is swapped to the end
 * and the heap shrinks by one, until the whole array is in order.
 */
#include "lib/sort.h"
#include "types.h"

/* Whole 64-bit words where both the size and the array allow it: the common case. */
static void swap_words(void *a, void *b, int size)
{
	u64 *x = a, *y = b;

	for (int i = 0; i < size / 8; i++) {
		u64 t = x[i];

		x[i] = y[i];
		y[i] = t;
	}
}

static void swap_bytes(void *a, void *b, int size)
{
	u8 *x = a, *y = b;

	for (int i = 0; i < size; i++) {
		u8 t = x[i];

		x[i] = y[i];
		y[i] = t;
	}
}

/*
 * Let the element at index @root sink until neither child is larger, in the heap of
 * the first @n elements.  Children of i are 2i + 1 and 2i + 2.
 */
static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_func_t cmp,
		      swap_func_t swap)
{
	for (;;) {
		size_t child = 2 * root + 1, larger = root;

		if (child < n && cmp(base + child * size, base + larger * size) > 0)
			larger = child;
		if (child + 1 < n && cmp(base + (child + 1) * size, base + larger * size) > 0)
			larger = child + 1;
		if (larger == root)
			return;
		swap(base + root * size, base + larger * size, (int)size);
		root = larger;
	}
}

void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func, swap_func_t swap_func)
{
	char *b = base;

	if (num < 2 || !size)
		return;
	if (!swap_func)
		swap_func = size % 8 == 0 && (uintptr_t)base % 8 == 0 ? swap_words : swap_bytes;
	/* Build the heap from the last parent up: the leaves already are one-element heaps. */
	for (size_t i = num / 2; i-- > 0;)
		sift_down(b, i, num, size, cmp_func, swap_func);
	/* The root is the largest of the heap: move it behind the heap, then mend the heap. */
	for (size_t n = num - 1; n > 0; n--) {
		swap_func(b, b + n * size, (int)size);
		sift_down(b, 0, n, size, cmp_func, swap_func);
	}
}
