// SPDX-License-Identifier: MIT
/*
 * string.c - memory and string functions for the kernel, which has no C library.
 *
 * Plain byte-at-a-time loops: this file is here to be read, and none of these functions
 * is hot enough in pagelab to deserve word-sized tricks or `rep movsb`.  The same file
 * is compiled into the host tests (under the names pl_memcpy ..., see
 * tests/host/rename_libc.h) and checked against glibc.
 */
#include "lib/errno.h"
#include "lib/string.h"

#include <stdint.h>

/*
 * gcc can recognise a loop that fills or copies memory and replace it with a call to
 * memset or memcpy; whether -ffreestanding stops that has varied between releases.
 * Inside memset itself such a call would recurse forever, so every function here is
 * compiled without that transformation.  (A per-file -fno-tree-loop-distribute-patterns
 * in the Makefile would do the same; the attribute keeps the file safe however it is
 * built.)
 */
#ifndef no_libcall /* the 16-bit stage 2 builds this file with -Dno_libcall= (see Makefile) */
#define no_libcall __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

no_libcall void *memcpy(void *restrict dest, const void *restrict src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dest;
}

no_libcall void *memmove(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	/*
	 * When dest starts inside src, a forward copy would overwrite source bytes before
	 * reading them, so copy from the end.  Compare as integers: C leaves comparing
	 * pointers into different objects undefined.
	 */
	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dest;
}

no_libcall void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

no_libcall int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

no_libcall size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

no_libcall size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

no_libcall int strcmp(const char *a, const char *b)
{
	/* C orders strings by unsigned char, whatever the signedness of char. */
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

no_libcall int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y || !*x)
			return *x - *y;
	}
	return 0;
}

no_libcall char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

no_libcall char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

no_libcall char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	/* Compare before testing for the end, so that "" is found even in "". */
	for (;; haystack++) {
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
		if (!*haystack)
			return NULL;
	}
}

no_libcall long strscpy(char *dest, const char *src, size_t size)
{
	size_t i;

	if (size == 0)
		return -E2BIG;
	for (i = 0; i < size - 1 && src[i]; i++)
		dest[i] = src[i];
	dest[i] = '\0';
	/* Stopped by the size limit with more of src to come: truncated. */
	return src[i] ? -E2BIG : (long)i;
}
