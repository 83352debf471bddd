// SPDX-License-Identifier: MIT
/*
 * Stage 2's output: every character goes to COM1 through the UART directly, and to the
 * screen through the BIOS teletype call (INT 10h, AH=0Eh) when a video BIOS owns INT 10h,
 * so a message is seen both in a QEMU window and on the serial line the tests read.
 *
 * Why "when": SeaBIOS has a serial console of its own.  QEMU switches it on with
 * -nographic (the run targets use -display none instead, but anyone may type
 * -nographic), and SeaBIOS then hooks INT 10h to draw the screen as text on the same COM1.  Writing both ways would put every character on the
 * serial line twice, interleaved ("ppaaggeellaabb").  The vector tells the cases apart:
 * a video BIOS is an option ROM (segment C000 on every PC), while SeaBIOS's serial
 * console - or its stub when there is no video card at all - lives in the system BIOS
 * at segment F000.  In both of those cases COM1 alone is the right place.  (The rule
 * assumes what holds for SeaBIOS and every PC BIOS we know: a video card's INT 10h is
 * its option ROM's.  A firmware that handled video from F000 itself would show the
 * loader's lines on COM1 only.)
 *
 * SeaBIOS's serial console also holds back the last character it was given, and the
 * line end after it, until something flushes it: its timer tick, or one of its INT 10h
 * calls.  Waiting for a tick was not enough on a loaded host (QEMU's timer thread may not
 * run for the whole wait), so console_init() asks for the flush directly: a scroll call
 * (AH=06h) that clears a single cell is one SeaBIOS's console answers by flushing and
 * drawing nothing, and then the firmware's "Booting from Hard Disk..." is finished before
 * our first line starts.
 */
#include <stdarg.h>

#include "arch/io.h"
#include "boot16.h"

#define COM1 0x3f8
#define IVT_INT10_SEGMENT 0x42 /* interrupt vector 10h: offset at 0x40, segment at 0x42 */
#define SYSTEM_BIOS_SEGMENT 0xf000

static bool screen_via_bios;

/* Has SeaBIOS's serial console (or its no-video stub) write what it holds back. */
static void flush_firmware_console(void)
{
	struct biosregs r;

	initregs(&r);
	r.eax = 0x0600; /* scroll up, AL=0: clear the window */
	r.ebx = 0x0700; /* blank with light grey */
	r.ecx = 0x0000; /* the window is the top-left cell alone */
	r.edx = 0x0000;
	intcall(0x10, &r, NULL);
}

void console_init(void)
{
	outb(0x00, COM1 + 1); /* no interrupts */
	outb(0x80, COM1 + 3); /* DLAB: set the divisor */
	outb(0x01, COM1 + 0); /* 115200 baud */
	outb(0x00, COM1 + 1);
	outb(0x03, COM1 + 3); /* 8N1 */
	outb(0x07, COM1 + 2); /* FIFOs on and cleared */
	screen_via_bios = *(volatile u16 *)IVT_INT10_SEGMENT < SYSTEM_BIOS_SEGMENT;
	if (!screen_via_bios)
		flush_firmware_console();
}

static void serial_putc(char c)
{
	for (int spins = 0; !(inb(COM1 + 5) & 0x20) && spins < 100000; spins++)
		;
	outb(c, COM1);
}

void putchar(int c)
{
	struct biosregs r;

	if (c == '\n')
		putchar('\r');
	serial_putc(c);
	if (!screen_via_bios)
		return;
	initregs(&r);
	r.eax = 0x0e00 | (c & 0xff);
	r.ebx = 0x0007; /* page 0, light grey */
	intcall(0x10, &r, NULL);
}

void puts(const char *s)
{
	while (*s)
		putchar(*s++);
}

static void put_hex(u64 v, int min_digits)
{
	char buf[17];
	int i = 16;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while ((v || 16 - i < min_digits) && i > 0);
	puts(buf + i);
}

static void put_dec(u32 v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = '0' + v % 10; /* 32-bit division: no libgcc needed in -m16 code */
		v /= 10;
	} while (v);
	puts(buf + i);
}

static void vbprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putchar(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's': puts(va_arg(ap, const char *)); break;
		case 'c': putchar(va_arg(ap, int)); break;
		case 'u': put_dec(va_arg(ap, u32)); break;
		case 'x': put_hex(va_arg(ap, u32), 1); break;
		case 'l': fmt += 2; put_hex(va_arg(ap, u64), 1); break; /* %llx */
		case '%': putchar('%'); break;
		default: putchar('?'); break;
		}
	}
}

void bprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbprintf(fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	puts("\npagelab loader: error: ");
	va_start(ap, fmt);
	vbprintf(fmt, ap);
	va_end(ap);
	puts("\npagelab loader: halted.\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
