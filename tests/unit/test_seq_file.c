// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/lib/seq_file.c: buffer mode (what host tests of shell commands
 * capture), its overflow rules, and console mode (m->write).
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>
#include <stdlib.h>

#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "types.h"

Test(seq_file, buf_init_starts_empty_and_terminated)
{
	char buf[8] = "garbage";
	struct seq_file m;

	seq_buf_init(&m, buf, sizeof(buf));
	cr_assert_str_eq(buf, "");
	cr_assert_eq(m.count, 0);
	cr_assert_not(m.overflow);
	cr_assert_null(m.write);
	cr_assert_null(m.private);
}

Test(seq_file, every_output_function_appends_in_order)
{
	char buf[64];
	struct seq_file m;

	seq_buf_init(&m, buf, sizeof(buf));
	seq_puts(&m, "pid ");
	seq_printf(&m, "%d %s", 42, "init");
	seq_putc(&m, '|');
	seq_write(&m, "xyz", 2);
	seq_puts(&m, "");
	cr_assert_str_eq(buf, "pid 42 init|xy");
	cr_assert_eq(m.count, libc_strlen(buf));
	cr_assert_not(seq_has_overflowed(&m));
}

Test(seq_file, exact_fit_is_not_overflow)
{
	char buf[6];
	struct seq_file m;

	seq_buf_init(&m, buf, sizeof(buf));
	seq_puts(&m, "hello");		/* 5 characters and the NUL */
	cr_assert_str_eq(buf, "hello");
	cr_assert_not(m.overflow);
	seq_putc(&m, '!');
	cr_assert(m.overflow);
	cr_assert_str_eq(buf, "hello");
}

Test(seq_file, overflow_keeps_what_fits_and_drops_the_rest)
{
	char *buf = malloc(8);	/* exact size: ASan catches a write past it */
	struct seq_file m;

	seq_buf_init(&m, buf, 8);
	seq_puts(&m, "hello");
	seq_puts(&m, " world");
	cr_assert(m.overflow);
	cr_assert_str_eq(buf, "hello w");
	cr_assert_eq(m.count, 7);
	seq_printf(&m, "%d", 1);
	seq_putc(&m, 'x');
	cr_assert_str_eq(buf, "hello w");
	cr_assert_eq(m.count, 7);
	free(buf);
}

Test(seq_file, printf_overflowing_mid_format_is_cut_and_terminated)
{
	char *buf = malloc(10);
	struct seq_file m;

	seq_buf_init(&m, buf, 10);
	seq_printf(&m, "[%s]", "abcdefghijklmnop");
	cr_assert(m.overflow);
	cr_assert_str_eq(buf, "[abcdefgh");
	free(buf);
}

Test(seq_file, zero_size_buffer_overflows_without_touching_memory)
{
	struct seq_file m;

	seq_buf_init(&m, NULL, 0);
	seq_puts(&m, "");
	cr_assert_not(m.overflow, "empty output never overflows");
	seq_printf(&m, "%d", 7);
	cr_assert(m.overflow);
	cr_assert_eq(m.count, 0);
}

Test(seq_file, printf_has_no_line_length_limit)
{
	static char buf[4096];
	char want[2000];
	struct seq_file m;

	seq_buf_init(&m, buf, sizeof(buf));
	libc_snprintf(want, sizeof(want), "<%1500d>", -3);
	seq_printf(&m, "<%1500d>", -3);
	cr_assert_not(m.overflow);
	cr_assert_eq(m.count, 1502);
	cr_assert_str_eq(buf, want);
}

/* Console mode: what a fake console received. */
struct console_capture {
	char text[4096];
	size_t len;
	size_t calls;
};

static void capture_write(struct seq_file *m, const char *s, size_t n)
{
	struct console_capture *cap = m->private;

	cr_assert_gt(n, 0, "write called with nothing to write");
	cr_assert_leq(cap->len + n, sizeof(cap->text));
	libc_memcpy(cap->text + cap->len, s, n);
	cap->len += n;
	cap->calls++;
}

Test(seq_file, write_callback_receives_all_output_in_order)
{
	struct console_capture cap = { .len = 0 };
	struct seq_file m = { .write = capture_write, .private = &cap };
	char want[1024];
	int want_len = libc_snprintf(want, sizeof(want), "cpu%d: %700s|", 0, "tail");

	seq_puts(&m, "a");
	seq_putc(&m, 'b');
	seq_write(&m, "cd", 2);
	seq_printf(&m, "cpu%d: %700s|", 0, "tail");
	cr_assert_eq(cap.len, 4 + (size_t)want_len);
	cr_assert_eq(libc_memcmp(cap.text, "abcd", 4), 0);
	cr_assert_eq(libc_memcmp(cap.text + 4, want, want_len), 0);
	cr_assert_eq(m.count, cap.len);
	cr_assert_not(m.overflow);
	/* Long output goes out in chunks, not one call per character. */
	cr_assert_lt(cap.calls, 30, "%zu calls", cap.calls);
}

Test(seq_file, write_callback_not_called_for_empty_output)
{
	struct console_capture cap = { .len = 0 };
	struct seq_file m = { .write = capture_write, .private = &cap };

	seq_puts(&m, "");
	seq_printf(&m, "%s", "");
	seq_write(&m, "x", 0);
	cr_assert_eq(cap.calls, 0);
}
