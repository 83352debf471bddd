// SPDX-License-Identifier: MIT
/*
 * seq_file.c - output for /proc-like shell commands, to the console or to a buffer
 * (see include/lib/seq_file.h).
 *
 * Everything funnels into seq_write, the one place that knows the two modes.
 * seq_printf streams the formatter's output through a small chunk on the stack, so a
 * line of any length costs a few console writes rather than a large buffer.
 */
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"

void seq_buf_init(struct seq_file *m, char *buf, size_t size)
{
	*m = (struct seq_file){ .buf = buf, .size = size };
	if (size)
		buf[0] = '\0';
}

void seq_write(struct seq_file *m, const void *data, size_t n)
{
	size_t room;

	if (n == 0)
		return;
	if (m->write) {
		m->write(m, data, n);
		m->count += n;
		return;
	}

	/* One byte of the buffer is kept for the NUL. */
	room = m->size ? m->size - 1 - m->count : 0;
	if (n > room) {
		m->overflow = true;
		n = room;
		if (n == 0)
			return;
	}
	memcpy(m->buf + m->count, data, n);
	m->count += n;
	m->buf[m->count] = '\0';
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

/* Formatter output collects here and goes to seq_write a chunk at a time. */
struct seq_chunk {
	struct seq_file *m;
	size_t len;
	char buf[64];
};

static void seq_chunk_out(void *ctx, char c)
{
	struct seq_chunk *chunk = ctx;

	chunk->buf[chunk->len++] = c;
	if (chunk->len == sizeof(chunk->buf)) {
		seq_write(chunk->m, chunk->buf, chunk->len);
		chunk->len = 0;
	}
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	struct seq_chunk chunk = { .m = m };

	vformat(seq_chunk_out, &chunk, fmt, ap);
	seq_write(m, chunk.buf, chunk.len);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}
