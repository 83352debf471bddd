// SPDX-License-Identifier: MIT
/*
 * The line editor (see include/shell/line_edit.h for the keys and the picture).
 *
 * Every edit updates buf/len/cursor and then repaints only what changed, with the
 * VT100 subset every terminal and pagelab's own screen console understand:
 *
 *   "\b" or ESC [ n D   cursor left n        ESC [ K    erase to the end of the row
 *   ESC [ n C           cursor right n       ESC [ H ESC [ 2 J   home, clear the screen
 *
 * For example, inserting 'x' at the cursor of "ab|cd" writes "xcd" (the cursor is now
 * after 'd') and then ESC [ 2 D, which puts it back after 'x': "abx|cd".
 *
 * Input escape sequences are parsed by a small state machine: ESC, then '[' (CSI) or
 * 'O' (SS3), then parameter bytes (digits, ';') and one final byte in 0x40..0x7e.
 * Unknown sequences are swallowed whole, so they never end up as garbage in a line; a
 * control byte (Enter, Ctrl-C, another ESC) cuts an unfinished one short and acts as itself.
 */
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "shell/line_edit.h"

#define CTRL(c) ((c) & 0x1f)
#define ESC 0x1b
#define DEL 0x7f

static void out_str(struct line_editor *le, const char *s, size_t n)
{
	seq_write(le->out, s, n);
}

static void cursor_left(struct line_editor *le, size_t n)
{
	if (n == 1)
		seq_putc(le->out, '\b');
	else if (n > 1)
		seq_printf(le->out, "\x1b[%zuD", n);
}

static void erase_to_eol(struct line_editor *le)
{
	seq_puts(le->out, "\x1b[K");
}

/*
 * Repaint from the cursor to the end of the line, erase what lies beyond (the line may
 * have got shorter), and bring the terminal's cursor back to le->cursor.
 */
static void repaint_tail(struct line_editor *le)
{
	out_str(le, le->buf + le->cursor, le->len - le->cursor);
	erase_to_eol(le);
	cursor_left(le, le->len - le->cursor);
}

/* Move the cursor to @pos, writing the characters passed over when moving right. */
static void move_to(struct line_editor *le, size_t pos)
{
	if (pos < le->cursor)
		cursor_left(le, le->cursor - pos);
	else if (pos > le->cursor)
		out_str(le, le->buf + le->cursor, pos - le->cursor);
	le->cursor = pos;
}

/* Replace the whole line with @s (history recall), cursor at its end. */
static void replace_line(struct line_editor *le, const char *s)
{
	move_to(le, 0);
	le->len = strnlen(s, LE_LINE_MAX - 1);
	memcpy(le->buf, s, le->len);
	le->buf[le->len] = 0;
	repaint_tail(le);
	move_to(le, le->len);
}

static void insert_text(struct line_editor *le, const char *s, size_t n)
{
	if (le->len + n > LE_LINE_MAX - 1) {
		le->overflow = true;
		seq_putc(le->out, '\a'); /* a bell, as readline rings at a full buffer */
		return;
	}
	memmove(le->buf + le->cursor + n, le->buf + le->cursor, le->len - le->cursor);
	memcpy(le->buf + le->cursor, s, n);
	le->len += n;
	le->buf[le->len] = 0;
	out_str(le, le->buf + le->cursor, n);
	le->cursor += n;
	if (le->cursor < le->len)
		repaint_tail(le);
}

/* Delete buf[from .. to) and leave the cursor at @from. */
static void delete_range(struct line_editor *le, size_t from, size_t to)
{
	if (from >= to)
		return;
	move_to(le, from);
	memmove(le->buf + from, le->buf + to, le->len - to);
	le->len -= to - from;
	le->buf[le->len] = 0;
	repaint_tail(le);
}

static bool is_word_char(char c)
{
	return c != ' ' && c != '\t';
}

static size_t word_start_before(const struct line_editor *le, size_t pos)
{
	while (pos && !is_word_char(le->buf[pos - 1]))
		pos--;
	while (pos && is_word_char(le->buf[pos - 1]))
		pos--;
	return pos;
}

static size_t word_end_after(const struct line_editor *le, size_t pos)
{
	while (pos < le->len && !is_word_char(le->buf[pos]))
		pos++;
	while (pos < le->len && is_word_char(le->buf[pos]))
		pos++;
	return pos;
}

static void redraw(struct line_editor *le)
{
	size_t cursor = le->cursor;

	seq_puts(le->out, le->prompt);
	out_str(le, le->buf, le->len);
	erase_to_eol(le);
	le->cursor = le->len;
	move_to(le, cursor);
}

static void clear_screen(struct line_editor *le)
{
	seq_puts(le->out, "\x1b[H\x1b[2J");
	redraw(le);
}

/* ---- history ---- */

bool le_history_add(struct le_history *h, const char *line)
{
	const char *prev = le_history_get(h, h->count);
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || (prev && !strcmp(prev, line)))
		return false;
	strscpy(h->lines[h->count % LE_HISTORY_MAX], line, LE_LINE_MAX);
	h->count++;
	return true;
}

const char *le_history_get(const struct le_history *h, unsigned int n)
{
	if (n == 0 || n > h->count || h->count - n >= LE_HISTORY_MAX)
		return NULL;
	return h->lines[(n - 1) % LE_HISTORY_MAX];
}

void le_history_show(const struct le_history *h, struct seq_file *m, unsigned int n)
{
	unsigned int kept = MIN(h->count, (unsigned int)LE_HISTORY_MAX);
	unsigned int first;

	if (n == 0 || n > kept)
		n = kept;
	for (first = h->count - n + 1; first <= h->count; first++)
		seq_printf(m, "%5u  %s\n", first, le_history_get(h, first));
}

void le_history_clear(struct le_history *h)
{
	h->count = 0;
}

/* Up (@dir = -1) or down (+1) through the history, keeping the new line in saved. */
static void history_step(struct line_editor *le, int dir)
{
	struct le_history *h = le->history;
	unsigned int pos;
	const char *line;

	if (!h)
		return;
	pos = le->hist_pos + dir;
	if (pos == h->count + 1) {
		le->hist_pos = pos;
		replace_line(le, le->saved);
		return;
	}
	line = le_history_get(h, pos);
	if (!line)
		return; /* past the oldest line kept, or already at the new line */
	if (le->hist_pos == h->count + 1)
		strscpy(le->saved, le->buf, sizeof(le->saved));
	le->hist_pos = pos;
	replace_line(le, line);
}

/* ---- completion ---- */

struct completion {
	const char *prefix;
	size_t prefix_len;
	const char *match[LE_MAX_CANDIDATES];
	int n;
};

static void add_candidate(void *ctx, const char *word)
{
	struct completion *c = ctx;

	if (c->n < LE_MAX_CANDIDATES && !strncmp(word, c->prefix, c->prefix_len))
		c->match[c->n++] = word;
}

static size_t common_prefix_len(const struct completion *c)
{
	size_t n = strlen(c->match[0]);

	for (int i = 1; i < c->n; i++) {
		size_t k = 0;

		while (k < n && c->match[i][k] == c->match[0][k])
			k++;
		n = k;
	}
	return n;
}

static void list_candidates(struct line_editor *le, const struct completion *c)
{
	seq_putc(le->out, '\n');
	for (int i = 0; i < c->n; i++)
		seq_printf(le->out, "%s%s", i ? "  " : "", c->match[i]);
	seq_putc(le->out, '\n');
	redraw(le);
}

/*
 * Tab: complete the word that ends at the cursor.  One match: insert the rest and a
 * space.  Several: insert their common prefix; if that adds nothing, list them (bash
 * lists on the second Tab; listing at once saves a key press).
 */
static void complete(struct line_editor *le)
{
	char words[LE_LINE_MAX];
	char *argv[LE_LINE_MAX / 2];
	int argc = 0;
	size_t start = le->cursor;
	struct completion c = { 0 };

	if (!le->candidates)
		return;
	while (start && is_word_char(le->buf[start - 1]))
		start--;
	/* The words before this one, split in a copy. */
	memcpy(words, le->buf, start);
	words[start] = 0;
	for (char *p = words; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (*p)
			argv[argc++] = p;
		while (*p && is_word_char(*p))
			p++;
	}
	c.prefix = le->buf + start;
	c.prefix_len = le->cursor - start;
	le->candidates(argc, argv, add_candidate, &c);
	if (c.n == 0) {
		seq_putc(le->out, '\a');
		return;
	}
	if (c.n == 1) {
		insert_text(le, c.match[0] + c.prefix_len, strlen(c.match[0]) - c.prefix_len);
		if (le->cursor == le->len || le->buf[le->cursor] != ' ')
			insert_text(le, " ", 1);
		return;
	}
	size_t common = common_prefix_len(&c);

	if (common > c.prefix_len)
		insert_text(le, c.match[0] + c.prefix_len, common - c.prefix_len);
	else
		list_candidates(le, &c);
}

/* ---- input ---- */

void le_init(struct line_editor *le, const char *prompt, struct seq_file *out,
	     struct le_history *history, le_candidates_fn candidates)
{
	memset(le, 0, sizeof(*le));
	le->prompt = prompt;
	le->out = out;
	le->history = history;
	le->candidates = candidates;
}

void le_begin(struct line_editor *le)
{
	le->len = le->cursor = 0;
	le->buf[0] = 0;
	le->saved[0] = 0;
	le->overflow = false;
	le->state = LE_NORMAL;
	le->hist_pos = le->history ? le->history->count + 1 : 0;
	seq_puts(le->out, le->prompt);
}

static enum le_result finish_line(struct line_editor *le)
{
	move_to(le, le->len);
	seq_putc(le->out, '\n');
	if (!le->overflow)
		return LE_DONE;
	seq_printf(le->out, "pagelab: line too long (at most %d characters); ignored\n",
		   LE_LINE_MAX - 1);
	return LE_CANCEL;
}

/* The final byte of ESC [ ... or ESC O ...: cursor keys, Home/End, Delete. */
static void escape_sequence(struct line_editor *le, int final)
{
	unsigned int p = le->csi_param;

	if (final == 'A')
		history_step(le, -1);
	else if (final == 'B')
		history_step(le, +1);
	else if (final == 'C' && le->cursor < le->len)
		move_to(le, le->cursor + 1);
	else if (final == 'D' && le->cursor > 0)
		move_to(le, le->cursor - 1);
	else if (final == 'H' || (final == '~' && (p == 1 || p == 7)))
		move_to(le, 0);
	else if (final == 'F' || (final == '~' && (p == 4 || p == 8)))
		move_to(le, le->len);
	else if (final == '~' && p == 3)
		delete_range(le, le->cursor, MIN(le->cursor + 1, le->len));
}

/*
 * Returns true if @c was part of an escape sequence (and so is consumed).  Only printable
 * bytes continue a sequence; a control byte means the terminal (or a person pressing a
 * lone Esc) never finished it, so the sequence is dropped and the byte acts as a key -
 * otherwise Enter and Ctrl-C would vanish until some letter happened to end it.
 */
static bool feed_escape(struct line_editor *le, int c)
{
	if (le->state == LE_NORMAL)
		return false;
	if (c < ' ' || c > '~') {
		le->state = LE_NORMAL;
		return false;	/* and a new ESC starts a new sequence in le_feed() */
	}
	switch (le->state) {
	case LE_NORMAL:
		return false;
	case LE_ESC:
		le->csi_param = 0;
		if (c == '[')
			le->state = LE_CSI;
		else if (c == 'O')
			le->state = LE_SS3;
		else {
			le->state = LE_NORMAL;
			if (c == 'b') /* Alt-B, Alt-F: as readline */
				move_to(le, word_start_before(le, le->cursor));
			else if (c == 'f')
				move_to(le, word_end_after(le, le->cursor));
		}
		return true;
	case LE_CSI:
	case LE_SS3:
		if (c >= '0' && c <= '9' && le->csi_param < 1000)
			le->csi_param = le->csi_param * 10 + (c - '0');
		else if (c >= 0x40 && c <= 0x7e) {
			le->state = LE_NORMAL;
			escape_sequence(le, c);
		}
		return true; /* ';' and other parameter bytes are skipped */
	}
	return true;
}

enum le_result le_feed(struct line_editor *le, int c)
{
	if (c == '\n' && le->last_was_cr) { /* the LF of CR LF: Enter was already seen */
		le->last_was_cr = false;
		return LE_CONTINUE;
	}
	le->last_was_cr = c == '\r';
	if (feed_escape(le, c))
		return LE_CONTINUE;

	switch (c) {
	case '\r':
	case '\n':
		return finish_line(le);
	case CTRL('C'):
		move_to(le, le->len);
		seq_puts(le->out, "^C\n");
		return LE_CANCEL;
	case ESC:
		le->state = LE_ESC;
		break;
	case '\b':
	case DEL:
		if (le->cursor)
			delete_range(le, le->cursor - 1, le->cursor);
		break;
	case CTRL('D'):
		delete_range(le, le->cursor, MIN(le->cursor + 1, le->len));
		break;
	case CTRL('A'):
		move_to(le, 0);
		break;
	case CTRL('E'):
		move_to(le, le->len);
		break;
	case CTRL('B'):
		if (le->cursor)
			move_to(le, le->cursor - 1);
		break;
	case CTRL('F'):
		if (le->cursor < le->len)
			move_to(le, le->cursor + 1);
		break;
	case CTRL('K'):
		delete_range(le, le->cursor, le->len);
		break;
	case CTRL('U'):
		delete_range(le, 0, le->cursor);
		break;
	case CTRL('W'):
		delete_range(le, word_start_before(le, le->cursor), le->cursor);
		break;
	case CTRL('L'):
		clear_screen(le);
		break;
	case CTRL('P'):
		history_step(le, -1);
		break;
	case CTRL('N'):
		history_step(le, +1);
		break;
	case '\t':
		complete(le);
		break;
	default:
		if (c >= ' ' && c < DEL) {
			char ch = c;

			insert_text(le, &ch, 1);
		}
		break;
	}
	return LE_CONTINUE;
}
