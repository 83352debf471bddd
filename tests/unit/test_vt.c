// SPDX-License-Identifier: MIT
/*
 * Host tests for kernel/vt.c, the screen console's terminal emulation, over a fake
 * backend that keeps a character grid: what the shell's output and the line editor's
 * escapes look like on a 10x4 screen.
 */
#include "../host/rename_libc.h"	/* pl_* and libc_* (also forced first by -include) */

#include <criterion/criterion.h>

#include "kernel/vt.h"
#include "lib/string.h"

#define ROWS 4
#define COLS 10

static char grid[ROWS][COLS + 1];
static int scrolls, cursor_row, cursor_col;
static struct vt vt;

static void draw(struct vt *v, unsigned int row, unsigned int col, char c, bool cursor)
{
	(void)v;
	grid[row][col] = c;
	if (cursor)
		cursor_row = row, cursor_col = col;
}

static void scroll_up(struct vt *v)
{
	(void)v;
	memmove(grid[0], grid[1], sizeof(grid[0]) * (ROWS - 1));
	memset(grid[ROWS - 1], ' ', COLS);
	scrolls++;
}

static const struct vt_ops ops = { .draw = draw, .scroll_up = scroll_up };

static void setup(void)
{
	scrolls = 0;
	vt_init(&vt, ROWS, COLS, &ops, NULL);
}

static void put(const char *s)
{
	vt_write(&vt, s, strlen(s));
}

static void expect_row(int row, const char *want)
{
	char padded[COLS + 1];

	snprintf(padded, sizeof(padded), "%-10s", want);
	cr_assert_str_eq(grid[row], padded, "row %d", row);
}

TestSuite(vt, .init = setup);

Test(vt, text_newline_and_cursor)
{
	put("ab\ncd");
	expect_row(0, "ab");
	expect_row(1, "cd");
	cr_assert_eq(cursor_row, 1);
	cr_assert_eq(cursor_col, 2);
}

Test(vt, deferred_wrap_and_scroll)
{
	put("0123456789\nx");		/* a full row then "\n": no empty row */
	expect_row(0, "0123456789");
	expect_row(1, "x");
	put("\n2\n3\n4");
	cr_assert_eq(scrolls, 1);
	expect_row(0, "x");
	expect_row(3, "4");
	put("567890123456");		/* wraps into the next row, which scrolls */
	expect_row(2, "4567890123");
	expect_row(3, "456");
}

Test(vt, backspace_tab_and_carriage_return)
{
	put("abc\b\bX\tY\rZ");		/* a tab moves, it does not erase */
	expect_row(0, "ZXc     Y");
}

Test(vt, csi_cursor_moves_and_erases)
{
	put("hello\x1b[3DJ\x1b[K");	/* what the line editor sends */
	expect_row(0, "heJ");
	put("\x1b[2;4Hq\x1b[1Cr\x1b[A!");
	expect_row(1, "   q r");
	expect_row(0, "heJ   !");
	put("\x1b[H\x1b[2J");		/* clear(1) */
	for (int r = 0; r < ROWS; r++)
		expect_row(r, "");
	cr_assert_eq(cursor_row, 0);
	cr_assert_eq(cursor_col, 0);
}

Test(vt, colours_and_unknown_escapes_are_ignored)
{
	put("\x1b[1;31mred\x1b[0m\x1b[?25l\a!");
	expect_row(0, "red!");
}
