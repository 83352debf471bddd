/* SPDX-License-Identifier: MIT */
/*
 * The kernel's string and memory functions.
 *
 * The prototypes are exactly those of standard C, for two reasons: gcc may emit calls
 * to memcpy, memmove, memset and memcmp on its own (struct copies, zeroed arrays) and
 * expects the standard contracts, and the host tests compile this header next to
 * glibc's (tests/host/rename_libc.h renames ours to pl_memcpy etc. there).
 *
 * strscpy is the one non-standard function: Linux's safe bounded copy, preferred over
 * strncpy/strlcpy everywhere in the kernel.
 */
#ifndef PAGELAB_LIB_STRING_H
#define PAGELAB_LIB_STRING_H

#include <stddef.h>

/* memcpy - copy n bytes from src to dest; the areas must not overlap.  Returns dest. */
void *memcpy(void *restrict dest, const void *restrict src, size_t n);

/* memmove - copy n bytes from src to dest; the areas may overlap.  Returns dest. */
void *memmove(void *dest, const void *src, size_t n);

/* memset - fill n bytes at s with (unsigned char)c.  Returns s. */
void *memset(void *s, int c, size_t n);

/*
 * memcmp - compare n bytes as unsigned chars.  Returns <0, 0 or >0 as a sorts before,
 * equal to or after b.
 */
int memcmp(const void *a, const void *b, size_t n);

/* strlen - the length of s, not counting its NUL. */
size_t strlen(const char *s);

/* strnlen - like strlen, but reads at most maxlen bytes and returns at most maxlen. */
size_t strnlen(const char *s, size_t maxlen);

/* strcmp - compare two strings as unsigned chars.  Returns <0, 0 or >0, like memcmp. */
int strcmp(const char *a, const char *b);

/* strncmp - like strcmp, but compares at most n characters. */
int strncmp(const char *a, const char *b, size_t n);

/*
 * strchr - the first occurrence of (char)c in s, or NULL if there is none.  The NUL
 * counts as part of s, so strchr(s, '\0') returns the end of s.
 */
char *strchr(const char *s, int c);

/* strrchr - like strchr, but the last occurrence. */
char *strrchr(const char *s, int c);

/* strstr - the first occurrence of needle in haystack, or NULL; "" is found at once. */
char *strstr(const char *haystack, const char *needle);

/*
 * strscpy - copy the string src into dest, a buffer of size bytes, always leaving dest
 * NUL-terminated when size > 0.  Returns the length copied (not counting the NUL), or
 * -E2BIG if src did not fit (dest then holds its first size - 1 characters) or size is 0.
 */
long strscpy(char *dest, const char *src, size_t size);

#endif
