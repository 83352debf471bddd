/* SPDX-License-Identifier: MIT */
/*
 * sort() - the kernel's one array sort, with Linux's interface (include/linux/sort.h),
 * so a caller supplies only how to compare two elements.
 */
#ifndef PAGELAB_LIB_SORT_H
#define PAGELAB_LIB_SORT_H

#include <stddef.h>

/* Returns <0, 0 or >0 as *@a belongs before, level with or after *@b. */
typedef int (*cmp_func_t)(const void *a, const void *b);
/* Exchanges the @size-byte elements at @a and @b. */
typedef void (*swap_func_t)(void *a, void *b, int size);

/*
 * sort - put the @num elements of @size bytes at @base in the order @cmp_func gives.
 * @swap_func may be NULL: elements are then exchanged a word or a byte at a time.
 * O(n log n) comparisons even on the worst input, no recursion and no memory besides
 * the array, so it is safe on a small kernel stack and before any allocator exists.
 * Not stable: elements that compare equal may come out in any order, so a caller that
 * needs a fixed order for them must compare a tie-breaker too.
 */
void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func, swap_func_t swap_func);

#endif
