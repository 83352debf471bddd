// SPDX-License-Identifier: MIT
/*
 * The PS/2 keyboard behind the 8042 controller, on IRQ 1.
 *
 * The controller translates the keyboard's codes to "scancode set 1" (translation is
 * on by default and we keep it): one byte per key press ("make"), the same byte with bit
 * 7 set on release ("break"), and a 0xE0 prefix for the keys the original PC keyboard
 * did not have (arrows, Home, End, Delete, right Ctrl/Alt).
 *
 *   press A: 0x1e      release A: 0x9e      press Left: 0xe0 0x4b
 *
 * Keys become the bytes a terminal would send, so the line editor cannot tell the
 * keyboard from the serial line: letters as ASCII (Shift and Caps Lock respected),
 * Ctrl+letter as control characters, Backspace as DEL, Enter as CR, arrows/Home/End/
 * Delete as VT100 escapes ("\e[D", "\e[H", "\e[3~"), Alt+key as ESC + key.  The layout
 * is US.  Key repeat is the keyboard's own (it resends the make code).
 */
#include "arch/io.h"
#include "arch/irq.h"
#include "kernel/console.h"
#include "kernel/printk.h"

#define I8042_DATA 0x60
#define I8042_STATUS 0x64 /* read */
#define I8042_CMD 0x64    /* write */
#define STATUS_OUT_FULL 0x01
#define STATUS_IN_FULL 0x02
#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_ENABLE_PORT1 0xae
#define CONFIG_PORT1_IRQ 0x01
#define CONFIG_PORT1_CLOCK_OFF 0x10
#define KBD_ENABLE_SCANNING 0xf4

#define SC_LSHIFT 0x2a
#define SC_RSHIFT 0x36
#define SC_CTRL 0x1d
#define SC_ALT 0x38
#define SC_CAPS 0x3a

/* Set 1 make codes 0x00-0x39 on a US keyboard; 0 = no character. */
static const char keymap[0x3a] =
	"\0\x1b" "1234567890-=" "\x7f\t"
	"qwertyuiop[]\r" "\0"
	"asdfghjkl;'`" "\0"
	"\\zxcvbnm,./" "\0" "*" "\0" " ";
static const char keymap_shift[0x3a] =
	"\0\x1b" "!@#$%^&*()_+" "\x7f\t"
	"QWERTYUIOP{}\r" "\0"
	"ASDFGHJKL:\"~" "\0"
	"|ZXCVBNM<>?" "\0" "*" "\0" " ";

static bool shift, ctrl, alt, caps, extended;

static void input_str(const char *s)
{
	while (*s)
		console_input(*s++);
}

/* Keys behind the 0xE0 prefix: the cursor block, as VT100 escape sequences. */
static void extended_key(u8 code)
{
	switch (code) {
	case 0x48: input_str("\x1b[A"); break; /* Up */
	case 0x50: input_str("\x1b[B"); break; /* Down */
	case 0x4d: input_str("\x1b[C"); break; /* Right */
	case 0x4b: input_str("\x1b[D"); break; /* Left */
	case 0x47: input_str("\x1b[H"); break; /* Home */
	case 0x4f: input_str("\x1b[F"); break; /* End */
	case 0x53: input_str("\x1b[3~"); break; /* Delete */
	case 0x1c: console_input('\r'); break; /* keypad Enter */
	case 0x35: console_input('/'); break;  /* keypad / */
	}
}

static void key_press(u8 code)
{
	char c;

	if (code >= sizeof(keymap))
		return;
	c = shift ? keymap_shift[code] : keymap[code];
	if (caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c ^= 0x20;
	if (!c)
		return;
	if (ctrl && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		c &= 0x1f;
	if (alt)
		console_input(0x1b);
	console_input(c);
}

static void kbd_interrupt(unsigned int irq)
{
	u8 sc = inb(I8042_DATA);
	bool release = sc & 0x80;
	u8 code = sc & 0x7f;

	(void)irq;
	if (sc == 0xe0) {
		extended = true;
		return;
	}
	if (sc == 0xfa || sc == 0xfe || sc == 0x00 || sc == 0xff) /* ACK, resend, errors */
		return;
	if (code == SC_CTRL)
		ctrl = !release;
	else if (code == SC_ALT)
		alt = !release;
	else if (!extended && (code == SC_LSHIFT || code == SC_RSHIFT))
		shift = !release;
	else if (!extended && code == SC_CAPS && !release)
		caps = !caps;
	else if (!release)
		extended ? extended_key(code) : key_press(code);
	extended = false;
}

/* Bounded waits: a missing or wedged controller costs a message, not a hang. */
static bool wait_write(void)
{
	for (int i = 0; i < 100000; i++)
		if (!(inb(I8042_STATUS) & STATUS_IN_FULL))
			return true;
	return false;
}

static bool wait_read(void)
{
	for (int i = 0; i < 100000; i++)
		if (inb(I8042_STATUS) & STATUS_OUT_FULL)
			return true;
	return false;
}

bool keyboard_init(void)
{
	u8 config;

	if (inb(I8042_STATUS) == 0xff) {
		pr_info("i8042: no controller; no PS/2 keyboard\n");
		return false;
	}
	while (inb(I8042_STATUS) & STATUS_OUT_FULL) /* stale bytes from the firmware */
		inb(I8042_DATA);
	/* Firmware may have left the keyboard's interrupt off (OVMF polls it). */
	if (!wait_write())
		goto fail;
	outb(CMD_READ_CONFIG, I8042_CMD);
	if (!wait_read())
		goto fail;
	config = inb(I8042_DATA);
	config = (config | CONFIG_PORT1_IRQ) & ~CONFIG_PORT1_CLOCK_OFF;
	if (!wait_write())
		goto fail;
	outb(CMD_WRITE_CONFIG, I8042_CMD);
	if (!wait_write())
		goto fail;
	outb(config, I8042_DATA);
	if (!wait_write())
		goto fail;
	outb(CMD_ENABLE_PORT1, I8042_CMD);
	if (request_irq(IRQ_KEYBOARD, kbd_interrupt))
		goto fail;
	if (wait_write())
		outb(KBD_ENABLE_SCANNING, I8042_DATA); /* its ACK (0xfa) is ignored */
	pr_info("serio: i8042 KBD port at 0x60,0x64 irq %d\n", IRQ_KEYBOARD);
	return true;
fail:
	pr_warn("i8042: controller does not respond; no PS/2 keyboard\n");
	return false;
}
