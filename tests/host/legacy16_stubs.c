// SPDX-License-Identifier: MIT
/*
 * What legacy16/memory.c and fat.c call but the host has no use for: the BIOS door,
 * and the console.  The pure logic those files export (e820_read_table, e801_to_e820,
 * e820_find_free, the FAT walk) never reaches these in the tests; output is printed so
 * a test that does reach one shows what it said.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../legacy16/boot16.h"

void intcall(u8 vector, const struct biosregs *in, struct biosregs *out)
{
	(void)in, (void)out;
	fprintf(stderr, "host: unexpected BIOS call int 0x%x\n", vector);
	abort();
}

void puts(const char *s)
{
	fputs(s, stdout);
}

void bprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}
