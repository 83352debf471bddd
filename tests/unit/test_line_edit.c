// SPDX-License-Identifier: MIT
/*
 * Host tests for shell/line_edit.c: the line editor fed byte by byte, its output
 * captured in a seq_file buffer.  Each test types what a terminal would send and checks
 * the line that comes out (and, where it matters, what was echoed).
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>

#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/line_edit.h"

static char out_buf[65536];
static struct seq_file out;
static struct line_editor le;
static struct le_history hist;

static void words(int argc, char **argv, void (*add)(void *ctx, const char *w), void *ctx)
{
	static const char *const cmds[] = { "help", "history", "memmap", "memblock", "uptime" };
	static const char *const kinds[] = { "pf", "ud", "gp" };

	if (argc == 0)
		for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
			add(ctx, cmds[i]);
	else if (argc == 1 && !strcmp(argv[0], "crash"))
		for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
			add(ctx, kinds[i]);
}

static void setup(void)
{
	memset(&hist, 0, sizeof(hist));
	seq_buf_init(&out, out_buf, sizeof(out_buf));
	le_init(&le, "> ", &out, &hist, words);
	le_begin(&le);
}

/* Feed @keys; return the result of the last byte. */
static enum le_result type(const char *keys)
{
	enum le_result r = LE_CONTINUE;

	for (const char *p = keys; *p; p++)
		r = le_feed(&le, (unsigned char)*p);
	return r;
}

/* Type @keys, which must end the line with Enter, and require the line @want. */
static void expect_line(const char *keys, const char *want)
{
	cr_assert_eq(type(keys), LE_DONE, "typing %s did not finish a line", keys);
	cr_assert_str_eq(le.buf, want, "typed %s", keys);
	le_history_add(&hist, le.buf);
	le_begin(&le);
}

TestSuite(line_edit, .init = setup);

Test(line_edit, plain_typing_is_echoed)
{
	expect_line("help\r", "help");
	cr_assert_str_eq(out_buf, "> help\n> ");
}

Test(line_edit, cursor_keys_insert_in_the_middle)
{
	expect_line("hllo\x1b[D\x1b[D\x1b[De\r", "hello");
	expect_line("bc\x1b[Ha\x1b[Fd\r", "abcd");
	expect_line("bc\x1b[1~a\x1b[4~d\r", "abcd");
	expect_line("bc\x1bOHa\x1bOFd\r", "abcd");	/* SS3 forms */
	expect_line("ac\x02" "b\x06" "d\r", "abcd");	/* Ctrl-B, Ctrl-F */
}

Test(line_edit, deleting)
{
	expect_line("abxc\x1b[D\x7f\r", "abc");		/* DEL as backspace */
	expect_line("abxc\x1b[D\b\r", "abc");		/* BS */
	expect_line("abxc\x1b[D\x1b[D\x1b[3~\r", "abc");	/* Delete */
	expect_line("abxc\x1b[D\x1b[D\x04\r", "abc");	/* Ctrl-D */
	expect_line("keep drop\x01\x1b" "f\x0b\r", "keep");	/* Alt-F, Ctrl-K */
	expect_line("junk\x15" "fresh\r", "fresh");	/* Ctrl-U */
	expect_line("one two\x17three\r", "one three");	/* Ctrl-W */
	expect_line("\x7f\x7f\x04\x1b[3~x\r", "x");	/* nothing to delete: harmless */
}

Test(line_edit, ctrl_c_cancels_and_crlf_is_one_enter)
{
	cr_assert_eq(type("abc\x03"), LE_CANCEL);
	le_begin(&le);
	cr_assert_eq(type("x\r"), LE_DONE);
	le_begin(&le);
	cr_assert_eq(type("\n"), LE_CONTINUE, "the LF of CR LF started another line");
	cr_assert_eq(type("\n"), LE_DONE, "a second LF is an empty line");
}

Test(line_edit, unknown_escapes_are_swallowed)
{
	expect_line("a\x1b[1;5D\x1b[200~\x1b[99Zb\r", "ba");
}

/*
 * A sequence cut short (a lone Esc, a terminal that sent only part of one) must not eat
 * the keys after it: a control byte cannot continue ESC [ ..., so it ends the sequence
 * and then acts as itself, as in readline.
 */
Test(line_edit, a_cut_escape_does_not_swallow_enter_or_ctrl_c)
{
	expect_line("ab\x1b[\r", "ab");
	expect_line("ab\x1b[12;\r", "ab");
	expect_line("ab\x1bO\r", "ab");
	expect_line("ab\x1b\r", "ab");
	cr_assert_eq(type("ab\x1b[\x03"), LE_CANCEL, "Ctrl-C after ESC [ did not cancel");
	le_begin(&le);
	expect_line("a\x1b[\x1b[Db\r", "ba");	/* a new ESC restarts the sequence */
	expect_line("ab\x1b[\x7f\r", "a");	/* DEL is Backspace, not a final byte */
}

Test(line_edit, too_long_is_refused_never_overflows)
{
	char keys[600];

	memset(keys, 'x', 599);
	keys[599] = 0;
	cr_assert_eq(type(keys), LE_CONTINUE);
	cr_assert_eq(le.len, LE_LINE_MAX - 1);
	cr_assert_eq(type("\r"), LE_CANCEL);
	cr_assert(strstr(out_buf, "line too long (at most 255 characters); ignored"));
	le_begin(&le);
	expect_line("ok\r", "ok");
}

Test(line_edit, history_up_down_and_numbering)
{
	expect_line("first\r", "first");
	expect_line("second\r", "second");
	expect_line("second\r", "second");	/* a repeat is not stored twice */
	expect_line("   \r", "   ");		/* nor a blank line */
	cr_assert_eq(hist.count, 2);
	expect_line("\x1b[A\x1b[A\r", "first");
	expect_line("draft\x1b[A\x1b[B\r", "draft");	/* Down returns to the new line */
	expect_line("\x10\x10\x0e!\r", "draft!");	/* Ctrl-P, Ctrl-P, Ctrl-N */
	cr_assert_str_eq(le_history_get(&hist, 1), "first");
	cr_assert_null(le_history_get(&hist, 0));
	cr_assert_null(le_history_get(&hist, 99));
}

Test(line_edit, history_forgets_the_oldest)
{
	char line[16];

	for (int i = 1; i <= LE_HISTORY_MAX + 5; i++) {
		snprintf(line, sizeof(line), "cmd%d", i);
		le_history_add(&hist, line);
	}
	cr_assert_null(le_history_get(&hist, 5));
	cr_assert_str_eq(le_history_get(&hist, 6), "cmd6");
	seq_buf_init(&out, out_buf, sizeof(out_buf));
	le_history_show(&hist, &out, 2);
	cr_assert_str_eq(out_buf, "   36  cmd36\n   37  cmd37\n");
	le_history_clear(&hist);
	cr_assert_null(le_history_get(&hist, 37));
}

Test(line_edit, tab_completes_commands_and_subcommands)
{
	expect_line("up\t\r", "uptime ");		/* unique: the rest and a space */
	expect_line("mem\tm\t\r", "memmap ");		/* common prefix "mem" then unique */
	expect_line("crash g\t\r", "crash gp ");	/* sub-commands */
	seq_buf_init(&out, out_buf, sizeof(out_buf));
	cr_assert_eq(type("h\t"), LE_CONTINUE);	/* ambiguous: listed, line redrawn */
	cr_assert_str_eq(out_buf, "h\nhelp  history\n> h\x1b[K");
	expect_line("z\t\r", "hz");			/* no match: unchanged */
}

Test(line_edit, insert_redraws_the_tail_and_restores_the_cursor)
{
	cr_assert_eq(type("ac\x1b[Db"), LE_CONTINUE);
	/* 'b' inserted, then "c" repainted, the row's rest erased, the cursor one back */
	cr_assert_str_eq(out_buf, "> ac\bbc\x1b[K\b");
}
