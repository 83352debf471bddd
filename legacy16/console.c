/*
 * Stage 2's output: every character goes to the screen through the BIOS teletype call
 * (INT 10h, AH=0Eh) and to COM1 through the UART directly, so a message is seen both in
 * a QEMU window and on the serial line the tests read.
 */
#include <stdarg.h>

#include "arch/io.h"
#include "boot16.h"

#define COM1 0x3f8

void console_init(void)
{
	outb(0x00, COM1 + 1); /* no interrupts */
	outb(0x80, COM1 + 3); /* DLAB: set the divisor */
	outb(0x01, COM1 + 0); /* 115200 baud */
	outb(0x00, COM1 + 1);
	outb(0x03, COM1 + 3); /* 8N1 */
	outb(0x07, COM1 + 2); /* FIFOs on and cleared */
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
