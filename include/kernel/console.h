/* SPDX-License-Identifier: MIT */
/*
 * Consoles: where printk and the shell write, and where the shell reads.
 *
 *   printk, shell output ──> console_write() ──> every registered console
 *                                                 ttyS0 (COM1), fb0 / vga0 (the screen)
 *
 *   COM1 receive IRQ ──┐
 *   keyboard IRQ ──────┴─> console_input() ──> input ring ──> console_read_char()
 *                          (interrupt context)                 (the shell, sleeps in hlt)
 *
 * Every input source produces the same byte stream: the keyboard driver turns arrow
 * keys into the escape sequences a terminal would send ("\e[A"), so the line editor
 * has one language to understand.
 */
#ifndef PAGELAB_KERNEL_CONSOLE_H
#define PAGELAB_KERNEL_CONSOLE_H

#include "types.h"

struct seq_file;
struct boot_info;

struct console {
	const char *name;
	void (*write)(const char *s, size_t n); /* "\n" is sent as-is; drivers add "\r" */
	struct console *next;
};

/*
 * register_console - add @con to the list printk and the shell use.  With @replay the
 * new console first gets the log so far (Linux's CON_PRINTBUFFER), so a screen that
 * comes up after the serial port still shows the whole boot.
 */
void register_console(struct console *con, bool replay);

/*
 * console_write - write @n bytes to every console, in one piece: no other CPU's output
 * comes between them (console_lock).  Any context; never waits for ever (console_enter).
 */
void console_write(const char *s, size_t n);

/*
 * How console_enter() let the caller in: holding console_lock; not holding it because
 * this CPU holds it already, further out (an NMI or a printk from inside a console
 * driver: write straight through or, printk, store the record for the holder); or not
 * holding it because an oops is being reported and the lock did not come free.
 */
enum console_enter { CONSOLE_LOCKED, CONSOLE_NESTED, CONSOLE_BUSTED };

/*
 * console_enter - take console_lock for a write to the consoles (and printk's log);
 * interrupts must be off.  Waits while another CPU writes - during an oops for about a
 * second at most.  A lock this CPU has held for over a second was abandoned (an oops
 * jumped out of a console write) and is taken over.  Pass the answer to console_leave().
 */
enum console_enter console_enter(void);

/* console_leave - print what was deferred meanwhile, then let go of console_lock. */
void console_leave(enum console_enter how);

/* __console_write - console_write() for a caller inside console_enter(). */
void __console_write(const char *s, size_t n);

/*
 * console_input - queue input byte @c for the shell.  Called from interrupt handlers
 * (or with interrupts disabled).  If the queue is full the byte is dropped and counted.
 */
void console_input(u8 c);

/* console_getc - the next queued input byte, or -1 if none is waiting.  Never sleeps. */
int console_getc(void);

/*
 * console_read_char - the next input byte, sleeping in `hlt` until one arrives.  Needs
 * interrupts (init_IRQ, an input driver's IRQ); enables them if they were off.
 */
int console_read_char(void);

/* console_seq - a seq_file whose output goes to the consoles (for shell commands). */
struct seq_file *console_seq(void);

/* serial_init - set up COM1 at 115200 8N1 and register it.  Returns false if absent. */
bool serial_init(void);

/*
 * serial_irq_init - let COM1 interrupt on received bytes (IRQ 4), which feed
 * console_input().  Needs init_IRQ() first.  Does nothing if serial_init() failed.
 */
void serial_irq_init(void);

/*
 * keyboard_init - set up the PS/2 keyboard behind the 8042 controller on IRQ 1.  Keys
 * become console input (ASCII, control characters, escape sequences for arrows and
 * the like).  Returns false, having said why, if there is no controller.
 */
bool keyboard_init(void);

/*
 * screen_init - start a text console on the screen the loader describes in @bi->fb:
 * a pixel framebuffer (UEFI GOP) drawn with the built-in font, or the VGA text buffer
 * (BIOS path).  It replays the log so far.  Returns false if there is no screen.
 */
bool screen_init(const struct boot_info *bi);

struct vt;
struct boot_framebuffer;

/*
 * vgacon_probe - make @vt draw into the VGA text buffer @bf describes (the PC's text
 * mode, kernel/arch/x86_64/vgacon.c).  Returns false if @bf's size does not fit its
 * buffer or the buffer cannot be mapped.
 */
bool vgacon_probe(struct vt *vt, const struct boot_framebuffer *bf);

#endif
