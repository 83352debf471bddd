/* SPDX-License-Identifier: MIT */
/*
 * A whole small text file (a golden output, a saved boot log) into a static buffer, for
 * the host tests; the test fails if it cannot be opened.  Paths are relative to the top
 * of the tree, where `make check-unit` runs the tests.  Each call reuses the buffer.
 */
#ifndef PAGELAB_HOST_READ_FILE_H
#define PAGELAB_HOST_READ_FILE_H
#include <stdio.h>

static inline char *read_file(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "cannot open %s (run from the top directory)", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}
#endif
