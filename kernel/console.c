/*
 * The console list.  Drivers register themselves; printk and the shell write through
 * console_write() and never know which devices are behind it.
 */
#include "kernel/console.h"
#include "lib/seq_file.h"

static struct console *consoles;

void register_console(struct console *con)
{
	struct console **p = &consoles;

	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
}

void console_write(const char *s, size_t n)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(s, n);
}

int console_getc(void)
{
	for (struct console *c = consoles; c; c = c->next) {
		int ch = c->getc ? c->getc() : -1;

		if (ch >= 0)
			return ch;
	}
	return -1;
}

static void console_seq_write(struct seq_file *m, const char *s, size_t n)
{
	(void)m;
	console_write(s, n);
}

struct seq_file *console_seq(void)
{
	static struct seq_file m = { .write = console_seq_write };

	return &m;
}
