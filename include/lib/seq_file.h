/* SPDX-License-Identifier: MIT */
/*
 * seq_file: where every /proc-like shell command writes its output.
 *
 * A command prints into the struct seq_file it is handed and does not care where the
 * text goes.  In the kernel that is the console (m->write is set and receives the
 * text as it is produced); in a host test it is a buffer (seq_buf_init), which the test
 * then compares with what it expects.  Unlike Linux's seq_file there is no paging
 * through large outputs and no retry with a bigger buffer: output that does not fit a
 * buffer is dropped and m->overflow says so.
 */
#ifndef PAGELAB_LIB_SEQ_FILE_H
#define PAGELAB_LIB_SEQ_FILE_H

#include <stdarg.h>

#include "types.h"

struct seq_file {
	char *buf;		/* buffer mode: the text so far, always NUL-terminated */
	size_t size;		/* bytes at buf, the NUL included */
	size_t count;		/* bytes accepted: in buffer mode strlen(buf) */
	bool overflow;		/* buffer mode: some output did not fit and was dropped */
	/* console mode: takes n bytes of output (not NUL-terminated); buf is then unused */
	void (*write)(struct seq_file *m, const char *s, size_t n);
	void *private;		/* for the command's own use */
};

/*
 * seq_buf_init - make m a buffer-backed seq_file over buf[0..size), empty and
 * NUL-terminated.  It holds size - 1 characters of output; size may be 0 (everything
 * then overflows).
 */
void seq_buf_init(struct seq_file *m, char *buf, size_t size);

/*
 * seq_write - output n bytes of data.  In buffer mode, what does not fit is dropped and
 * m->overflow set; the buffer keeps everything that fitted, NUL-terminated.
 */
void seq_write(struct seq_file *m, const void *data, size_t n);

/* seq_puts - output the string s.  Overflow as for seq_write. */
void seq_puts(struct seq_file *m, const char *s);

/* seq_putc - output the character c.  Overflow as for seq_write. */
void seq_putc(struct seq_file *m, char c);

/*
 * seq_printf - output printf-style formatted text (see lib/printf.h).  There is no
 * limit on the length of one call's output.  Overflow as for seq_write.
 */
void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap) __printf(2, 0);

/* seq_has_overflowed - whether output to m has been dropped. */
static inline bool seq_has_overflowed(const struct seq_file *m)
{
	return m->overflow;
}

#endif
