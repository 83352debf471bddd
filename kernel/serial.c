/*
 * The 16550 UART on COM1: the console a student sees under `make run` and the line the
 * QEMU tests drive.  Polled for now - transmit waits for the holding register to empty,
 * receive looks at the line status - because it must work before interrupts exist.
 */
#include "arch/cpu.h"
#include "arch/io.h"
#include "kernel/console.h"

#define COM1 0x3f8
#define UART_DATA 0 /* RBR/THR, or divisor low byte while DLAB is set */
#define UART_IER 1  /* interrupt enable, or divisor high byte */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

static void serial_putc(char c)
{
	/* A bounded wait: a wedged UART should cost output, not the whole kernel. */
	for (int spins = 0; !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY) && spins < 100000; spins++)
		cpu_relax();
	outb(c, COM1 + UART_DATA);
}

static void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static int serial_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
	.getc = serial_getc,
};

bool serial_init(void)
{
	/* The scratch register reads back what was written only if a UART is there. */
	outb(0x5a, COM1 + UART_SCR);
	if (inb(COM1 + UART_SCR) != 0x5a)
		return false;
	outb(0x00, COM1 + UART_IER);  /* no interrupts: we poll */
	outb(LCR_DLAB, COM1 + UART_LCR);
	outb(1, COM1 + UART_DATA);    /* divisor 1: 115200 baud */
	outb(0, COM1 + UART_IER);
	outb(LCR_8N1, COM1 + UART_LCR);
	outb(0x07, COM1 + UART_FCR);  /* enable and clear the FIFOs */
	outb(0x03, COM1 + UART_MCR);  /* DTR, RTS */
	register_console(&serial_console);
	return true;
}
