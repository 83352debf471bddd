/*
 * Consoles: where printk and the shell write, and where the shell reads.
 * Today that is the 16550 serial port (COM1); a framebuffer console registers the
 * same way.  Output goes to every registered console; input comes from any of them.
 */
#ifndef PAGELAB_KERNEL_CONSOLE_H
#define PAGELAB_KERNEL_CONSOLE_H

#include "types.h"

struct seq_file;

struct console {
	const char *name;
	void (*write)(const char *s, size_t n); /* "\n" is sent as-is; drivers add "\r" */
	int (*getc)(void);                      /* a byte, or -1 if none is waiting */
	struct console *next;
};

/* register_console - add @con to the list printk and the shell use. */
void register_console(struct console *con);

/* console_write - write @n bytes to every console. */
void console_write(const char *s, size_t n);

/* console_getc - the next input byte from any console, or -1 if none is waiting. */
int console_getc(void);

/* console_seq - a seq_file whose output goes to the consoles (for shell commands). */
struct seq_file *console_seq(void);

/* serial_init - set up COM1 at 115200 8N1 and register it.  Returns false if absent. */
bool serial_init(void);

#endif
