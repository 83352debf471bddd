/* SPDX-License-Identifier: MIT */
/*
 * A virtual terminal: the part of the screen console that understands text - where the
 * cursor is, what "\n", "\b", "\t" and the VT100 escapes the shell sends mean, when to
 * scroll - over a backend that only knows how to paint one character cell:
 *
 *   console_write("ab\x1b[K\n") --> vt_write --> ops->draw(row, col, 'a') ...
 *                                                ops->scroll_up()  (kernel/fbcon.c: pixels,
 *                                                ops->move_cursor(row, col)  VGA text: cells)
 *
 * Understood: printable ASCII, "\n" (new line, back to column 0: the console contract
 * is that "\n" alone ends a line), "\r", "\b", "\t" (moves to the next multiple of 8), and
 * ESC [ n A/B/C/D (cursor up/down/right/left), ESC [ r;c H (position), ESC [ J / 2J
 * (erase below / all), ESC [ K (erase to the end of the row).  Colours (ESC [ ... m)
 * and anything else are parsed and ignored.  A character written in the last column
 * wraps only when the next one arrives (VT100's deferred wrap), so an 80-character
 * line followed by "\n" does not leave an empty row.
 */
#ifndef PAGELAB_KERNEL_VT_H
#define PAGELAB_KERNEL_VT_H

#include "types.h"

#define VT_MAX_COLS 256
#define VT_MAX_ROWS 128

struct vt;

struct vt_ops {
	/* Paint @c (printable ASCII or ' ') at the cell; @cursor: draw it highlighted. */
	void (*draw)(struct vt *vt, unsigned int row, unsigned int col, char c, bool cursor);
	/* Move every row up by one, losing row 0; the last row becomes blank. */
	void (*scroll_up)(struct vt *vt);
	/* Optional: show the cursor at (@row, @col) by other means (VGA's hardware cursor). */
	void (*move_cursor)(struct vt *vt, unsigned int row, unsigned int col);
};

struct vt {
	unsigned int rows, cols;
	unsigned int row, col;   /* the cursor */
	bool wrap_pending;       /* the last column was written; wrap before the next char */
	int esc_state;           /* 0 text, 1 after ESC, 2 inside ESC [ */
	unsigned int params[4], nparams;
	const struct vt_ops *ops;
	bool soft_cursor;        /* ops->draw shows the cursor (no move_cursor) */
	void *priv;
	char text[VT_MAX_ROWS][VT_MAX_COLS]; /* what each cell shows, to repaint it */
};

/*
 * vt_init - make @vt a blank @rows x @cols terminal on @ops (capped at VT_MAX_*), with
 * the cursor at the top left.  Paints every cell blank.
 */
void vt_init(struct vt *vt, unsigned int rows, unsigned int cols, const struct vt_ops *ops,
	     void *priv);

/* vt_write - interpret @n bytes of output and paint the result. */
void vt_write(struct vt *vt, const char *s, size_t n);

#endif
