// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/kallsyms.c over a small hand-made table in the layout
 * tools/kallsyms.py generates: lookups inside, between and around functions, and the
 * "name+0xoff/0xsize" text of an oops and of printf's %pS.
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>

#include "kernel/kallsyms.h"
#include "lib/printf.h"

/*   0x1000 start_kernel (0x80)  0x1080 .. 0x10ff padding  0x1100 cmd_crash (0x40) */
const u64 kallsyms_num = 2;
const u64 kallsyms_addresses[] = { 0x1000, 0x1100 };
const u32 kallsyms_sizes[] = { 0x80, 0x40 };
const u32 kallsyms_offsets[] = { 0, 13 };
const char kallsyms_names[] = "start_kernel\0cmd_crash";

Test(kallsyms, lookup)
{
	u64 size, off;

	cr_assert_str_eq(kallsyms_lookup(0x1000, &size, &off), "start_kernel");
	cr_assert_eq(off, 0);
	cr_assert_eq(size, 0x80);
	cr_assert_str_eq(kallsyms_lookup(0x113f, &size, &off), "cmd_crash");
	cr_assert_eq(off, 0x3f);
	cr_assert_null(kallsyms_lookup(0xfff, NULL, NULL));	/* before the first */
	cr_assert_null(kallsyms_lookup(0x1080, NULL, NULL));	/* in the padding */
	cr_assert_null(kallsyms_lookup(0x1140, NULL, NULL));	/* after the last */
}

Test(kallsyms, oops_format)
{
	char buf[KSYM_SYMBOL_LEN];

	sprint_symbol(buf, sizeof(buf), 0x1112);
	cr_assert_str_eq(buf, "cmd_crash+0x12/0x40");
	sprint_symbol(buf, sizeof(buf), 0x1080);
	cr_assert_str_eq(buf, "0x1080");
	/* A return address just past a function's last call still names that function. */
	sprint_backtrace(buf, sizeof(buf), 0x1080);
	cr_assert_str_eq(buf, "start_kernel+0x80/0x80");
}

/* %pS and %ps in vsprintf go through the same table. */
Test(kallsyms, printf_symbolic_pointers)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%pS", (void *)0x1112);
	cr_assert_str_eq(buf, "cmd_crash+0x12/0x40");
	snprintf(buf, sizeof(buf), "%ps", (void *)0x1112);
	cr_assert_str_eq(buf, "cmd_crash");
	snprintf(buf, sizeof(buf), "[%-14ps]", (void *)0x1000);
	cr_assert_str_eq(buf, "[start_kernel  ]");
	/* In no function: the address, as Linux prints it. */
	snprintf(buf, sizeof(buf), "%pS %ps", (void *)0x1080, (void *)0x1080);
	cr_assert_str_eq(buf, "0x1080 0x1080");
	/* A plain %p followed by another letter is still a pointer and that letter. */
	snprintf(buf, sizeof(buf), "%pX", (void *)0x1000);
	cr_assert_str_eq(buf, "0x0000000000001000X");
}
