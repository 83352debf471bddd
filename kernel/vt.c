// SPDX-License-Identifier: MIT
/*
 * The screen console's terminal emulation (include/kernel/vt.h).  Pure logic over the
 * backend's three operations, so it behaves the same on pixels and on VGA cells.
 */
#include "kernel/vt.h"
#include "lib/string.h"

/* Cells are painted plain while a write is in progress; the cursor is shown at its end. */
static void paint(struct vt *vt, unsigned int row, unsigned int col)
{
	vt->ops->draw(vt, row, col, vt->text[row][col], false);
}

static void show_cursor(struct vt *vt, bool on)
{
	if (vt->soft_cursor)
		vt->ops->draw(vt, vt->row, vt->col, vt->text[vt->row][vt->col], on);
	else if (on)
		vt->ops->move_cursor(vt, vt->row, vt->col);
}

static void put_cell(struct vt *vt, unsigned int row, unsigned int col, char c)
{
	vt->text[row][col] = c;
	paint(vt, row, col);
}

static void erase(struct vt *vt, unsigned int row, unsigned int from, unsigned int to)
{
	for (unsigned int col = from; col < to; col++)
		if (vt->text[row][col] != ' ')
			put_cell(vt, row, col, ' ');
}

void vt_init(struct vt *vt, unsigned int rows, unsigned int cols, const struct vt_ops *ops,
	     void *priv)
{
	vt->rows = MIN(rows, (unsigned int)VT_MAX_ROWS);
	vt->cols = MIN(cols, (unsigned int)VT_MAX_COLS);
	vt->row = vt->col = 0;
	vt->wrap_pending = false;
	vt->esc_state = 0;
	vt->ops = ops;
	vt->soft_cursor = !ops->move_cursor;
	vt->priv = priv;
	for (unsigned int r = 0; r < vt->rows; r++)
		for (unsigned int c = 0; c < vt->cols; c++)
			put_cell(vt, r, c, ' ');
	show_cursor(vt, true);
}

static void line_feed(struct vt *vt)
{
	if (vt->row + 1 < vt->rows) {
		vt->row++;
		return;
	}
	memmove(vt->text[0], vt->text[1], (size_t)(vt->rows - 1) * VT_MAX_COLS);
	memset(vt->text[vt->rows - 1], ' ', vt->cols);
	vt->ops->scroll_up(vt);
}

static void put_char(struct vt *vt, char c)
{
	if (vt->wrap_pending) {
		vt->wrap_pending = false;
		vt->col = 0;
		line_feed(vt);
	}
	put_cell(vt, vt->row, vt->col, c);
	if (vt->col + 1 < vt->cols)
		vt->col++;
	else
		vt->wrap_pending = true;
}

static unsigned int param(const struct vt *vt, unsigned int i, unsigned int dflt)
{
	return i < vt->nparams && vt->params[i] ? vt->params[i] : dflt;
}

static void csi_final(struct vt *vt, char f)
{
	unsigned int n = param(vt, 0, 1);

	vt->wrap_pending = false;
	switch (f) {
	case 'A':
		vt->row = vt->row > n ? vt->row - n : 0;
		break;
	case 'B':
		vt->row = MIN(vt->row + n, vt->rows - 1);
		break;
	case 'C':
		vt->col = MIN(vt->col + n, vt->cols - 1);
		break;
	case 'D':
		vt->col = vt->col > n ? vt->col - n : 0;
		break;
	case 'H':
	case 'f':
		vt->row = MIN(param(vt, 0, 1), vt->rows) - 1;
		vt->col = MIN(param(vt, 1, 1), vt->cols) - 1;
		break;
	case 'J':
		if (param(vt, 0, 0) == 0) { /* the cursor to the end of the screen */
			erase(vt, vt->row, vt->col, vt->cols);
			for (unsigned int r = vt->row + 1; r < vt->rows; r++)
				erase(vt, r, 0, vt->cols);
		} else if (param(vt, 0, 0) >= 2) { /* 2: all; 3 (scrollback) too */
			for (unsigned int r = 0; r < vt->rows; r++)
				erase(vt, r, 0, vt->cols);
		}
		break;
	case 'K':
		erase(vt, vt->row, vt->col, vt->cols);
		break;
	}
}

/* Returns true if @c belonged to an escape sequence. */
static bool feed_escape(struct vt *vt, char c)
{
	if (vt->esc_state == 1) {
		vt->esc_state = c == '[' ? 2 : 0;
		vt->nparams = 0;
		memset(vt->params, 0, sizeof(vt->params));
		return true;
	}
	if (vt->esc_state != 2)
		return false;
	if (c >= '0' && c <= '9') {
		if (vt->nparams == 0)
			vt->nparams = 1;
		if (vt->nparams <= ARRAY_SIZE(vt->params) && vt->params[vt->nparams - 1] < 10000)
			vt->params[vt->nparams - 1] = vt->params[vt->nparams - 1] * 10 + (c - '0');
	} else if (c == ';') {
		vt->nparams = (vt->nparams ? vt->nparams : 1) + 1;
	} else if (c >= 0x40 && c <= 0x7e) {
		vt->esc_state = 0;
		csi_final(vt, c);
	}
	return true;
}

static void control_or_char(struct vt *vt, char c)
{
	switch (c) {
	case '\n':
		vt->wrap_pending = false;
		vt->col = 0;
		line_feed(vt);
		break;
	case '\r':
		vt->wrap_pending = false;
		vt->col = 0;
		break;
	case '\b':
		vt->wrap_pending = false;
		if (vt->col)
			vt->col--;
		break;
	case '\t': /* to the next tab stop, erasing nothing; at most the last column */
		if (!vt->wrap_pending)
			vt->col = MIN((vt->col / 8 + 1) * 8, vt->cols - 1);
		break;
	case 0x1b:
		vt->esc_state = 1;
		break;
	default:
		if (c >= ' ' && c < 0x7f)
			put_char(vt, c);
		break; /* other control characters (bell ...) are ignored */
	}
}

void vt_write(struct vt *vt, const char *s, size_t n)
{
	show_cursor(vt, false); /* before anything moves, scrolling included */
	for (size_t i = 0; i < n; i++)
		if (!feed_escape(vt, s[i]))
			control_or_char(vt, s[i]);
	show_cursor(vt, true);
}
