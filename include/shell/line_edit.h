/* SPDX-License-Identifier: MIT */
/*
 * The shell's line editor: an emacs-style editor for one line, driven one input byte
 * at a time, with history and Tab completion.  It knows nothing about where bytes come
 * from or go to: input is fed in with le_feed(), output (echo, cursor movement in VT100
 * escapes) goes to a seq_file.  So the same code runs on the console in the kernel and
 * against a buffer in the host tests (tests/unit/test_line_edit.c).
 *
 *   prompt      buf[0 .. len)                 the terminal's cursor sits where
 *   pagelab> help mem|map                     le->cursor says: the editor keeps
 *                     ^ cursor = 8, len = 11  the two in step with every edit
 *
 * Keys (terminals send the same escapes; the PS/2 driver produces them too):
 *
 *   Left / Right, Ctrl-B / Ctrl-F   move a character     Home, Ctrl-A / End, Ctrl-E
 *   Alt-B / Alt-F                   move a word          Up, Ctrl-P / Down, Ctrl-N: history
 *   Backspace (BS or DEL)           delete before        Delete, Ctrl-D: delete under
 *   Ctrl-K  delete to the end       Ctrl-U  delete to the start   Ctrl-W  delete a word back
 *   Ctrl-L  clear the screen        Ctrl-C  abandon the line      Tab: complete
 *   Enter (CR, LF or CR LF)         run the line
 *
 * Where this differs from readline: lines that wrap past the terminal's right edge are
 * redrawn with relative cursor moves that do not cross rows, so editing the middle of a
 * wrapped line can leave the display out of step (the line itself is always right).
 */
#ifndef PAGELAB_SHELL_LINE_EDIT_H
#define PAGELAB_SHELL_LINE_EDIT_H

#include "types.h"

struct seq_file;

#define LE_LINE_MAX 256   /* bytes in a line, its NUL included: 255 characters */
#define LE_HISTORY_MAX 32 /* lines remembered; the oldest is forgotten first */
#define LE_MAX_CANDIDATES 64

/* History: a ring of the last LE_HISTORY_MAX lines, numbered from 1 since boot (bash). */
struct le_history {
	char lines[LE_HISTORY_MAX][LE_LINE_MAX];
	unsigned int count; /* lines ever added; line number n (1-based) is kept if
			     * count - n < LE_HISTORY_MAX */
};

/*
 * Completion: le_feed() calls this on Tab with the words before the cursor's word
 * (argv[0 .. argc), argc == 0 for the first word).  It calls add(ctx, word) for every
 * word that may stand in that position; the editor filters them by what is typed.
 */
typedef void (*le_candidates_fn)(int argc, char **argv, void (*add)(void *ctx, const char *w),
				 void *ctx);

enum le_state { LE_NORMAL, LE_ESC, LE_CSI, LE_SS3 };

struct line_editor {
	char buf[LE_LINE_MAX];
	size_t len, cursor;
	bool overflow;          /* a character was refused: the line is too long */
	bool last_was_cr;       /* to drop the LF of a CR LF */
	enum le_state state;    /* inside an escape sequence? */
	unsigned int csi_param; /* its first numeric parameter */
	const char *prompt;
	struct seq_file *out;
	struct le_history *history;  /* may be NULL */
	unsigned int hist_pos;       /* line number being shown; count + 1 = the new line */
	char saved[LE_LINE_MAX];     /* the new line, while browsing history */
	le_candidates_fn candidates; /* may be NULL: Tab then does nothing */
};

enum le_result {
	LE_CONTINUE, /* keep feeding */
	LE_DONE,     /* Enter: le->buf holds the line (NUL-terminated) */
	LE_CANCEL,   /* Ctrl-C or an over-long line: the user was told; start again */
};

/*
 * le_init - set up @le to print @prompt and echo on @out, with @history (or NULL) and
 * @candidates (or NULL).  Call le_begin() before the first byte of each line.
 */
void le_init(struct line_editor *le, const char *prompt, struct seq_file *out,
	     struct le_history *history, le_candidates_fn candidates);

/* le_begin - start a new, empty line: print the prompt. */
void le_begin(struct line_editor *le);

/*
 * le_feed - process one input byte @c.  Returns LE_DONE when a line is complete (in
 * le->buf), LE_CANCEL when it was abandoned (the message, if any, is printed), else
 * LE_CONTINUE.  Never writes past le->buf: input beyond LE_LINE_MAX - 1 characters is
 * refused and the whole line rejected at Enter with "line too long".
 */
enum le_result le_feed(struct line_editor *le, int c);

/*
 * le_history_add - remember @line (not blank, not the same as the line before it).
 * Returns true if it was added.
 */
bool le_history_add(struct le_history *h, const char *line);

/*
 * le_history_get - line number @n (1-based, as le_history_show prints), or NULL if it
 * was never added or has been forgotten.
 */
const char *le_history_get(const struct le_history *h, unsigned int n);

/* le_history_show - print the last @n lines (all kept lines if @n is 0), bash-style. */
void le_history_show(const struct le_history *h, struct seq_file *m, unsigned int n);

/* le_history_clear - forget every line; numbering starts again at 1 (bash: history -c). */
void le_history_clear(struct le_history *h);

#endif
