// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the shell's line editor (shell/line_edit.c) fed any byte stream -
 * keys, escape sequences cut anywhere, over-long lines, history, Tab - with its echo
 * played on the screen's own terminal emulator (kernel/vt.c).
 *
 * Input: the bytes a terminal would send, fed one at a time to le_feed().  A finished
 * line goes into the history (as the shell does) and the next line begins.
 *
 * Checked after every byte:
 *
 *   - cursor <= len <= LE_LINE_MAX - 1, buf[len] is the NUL and buf holds only
 *     printable ASCII
 *   - the terminal's cursor row shows exactly the prompt and the line, and its cursor
 *     sits at the editor's cursor: what the user sees is what will run.  The terminal is
 *     256 columns wide and the prompt empty, so the longest line (255 characters) ends
 *     before the last column: the editor promises nothing for a line that reaches the
 *     right edge (a terminal then holds its cursor in the last column, and the editor's
 *     relative moves come out one column short; see tests/fuzz/README.md)
 *   - a finished line has strlen(buf) == len; Ctrl-C and Enter leave an empty new line
 */
#include "fuzz.h"
#include "kernel/vt.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/line_edit.h"

#define PROMPT ""
#define COLS VT_MAX_COLS

_Static_assert(sizeof(PROMPT) - 1 + LE_LINE_MAX - 1 < COLS, "a line and the prompt end before the last column");

static char out_buf[1 << 16];
static struct seq_file out;
static struct line_editor le;
static struct le_history hist;
static struct vt vt;

static void draw(struct vt *v, unsigned int row, unsigned int col, char c, bool cursor)
{
	(void)v, (void)row, (void)col, (void)c, (void)cursor;
}

static void scroll_up(struct vt *v)
{
	(void)v;
}

static const struct vt_ops ops = { .draw = draw, .scroll_up = scroll_up };

static void words(int argc, char **argv, void (*add)(void *ctx, const char *w), void *ctx)
{
	static const char *const cmds[] = { "help", "history", "memmap", "memblock", "meminfo",
					    "crash", "free", "kmalloc" };
	static const char *const kinds[] = { "pf", "ud", "gp", "pfx" };

	if (argc == 0)
		for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
			add(ctx, cmds[i]);
	else if (argc == 1 && !strcmp(argv[0], "crash"))
		for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
			add(ctx, kinds[i]);
}

/* Play what the editor printed since the last call on the terminal. */
static void flush(void)
{
	vt_write(&vt, out_buf, strlen(out_buf));
	seq_buf_init(&out, out_buf, sizeof(out_buf));
}

static void check_state(void)
{
	const char *row = vt.text[vt.row];
	size_t p = sizeof(PROMPT) - 1;

	fuzz_check(le.cursor <= le.len && le.len < LE_LINE_MAX && !le.buf[le.len],
		   "cursor %zu len %zu", le.cursor, le.len);
	for (size_t i = 0; i < le.len; i++)
		fuzz_check(le.buf[i] >= ' ' && le.buf[i] < 0x7f, "byte %#x in the line", le.buf[i]);
	fuzz_check(!memcmp(row, PROMPT, p) && !memcmp(row + p, le.buf, le.len),
		   "the screen shows '%.*s', the line is '" PROMPT "%s'", (int)(p + le.len), row,
		   le.buf);
	for (size_t i = p + le.len; i < COLS; i++)
		fuzz_check(row[i] == ' ', "the screen shows '%.*s' past the line's end",
			   (int)(COLS - i), row + i);
	fuzz_check(vt.col == p + le.cursor, "the terminal's cursor is at column %u, the editor's at %zu",
		   vt.col, p + le.cursor);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	memset(&hist, 0, sizeof(hist));
	vt_init(&vt, 24, COLS, &ops, NULL);
	seq_buf_init(&out, out_buf, sizeof(out_buf));
	le_init(&le, PROMPT, &out, &hist, words);
	le_begin(&le);
	flush();
	for (size_t i = 0; i < size; i++) {
		enum le_result r = le_feed(&le, data[i]);

		if (r == LE_DONE) {
			fuzz_check(strlen(le.buf) == le.len, "a finished line of %zu bytes has length %zu",
				   strlen(le.buf), le.len);
			le_history_add(&hist, le.buf);
		}
		if (r != LE_CONTINUE) {
			le_begin(&le);
			fuzz_check(!le.len && !le.cursor && !le.buf[0], "a new line is not empty");
		}
		flush();
		check_state();
	}
	return 0;
}
