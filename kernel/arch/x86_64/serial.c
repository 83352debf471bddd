// SPDX-License-Identifier: MIT
/*
 * The 16550 UART on COM1: the console a student sees under `make run` and the line the
 * QEMU tests drive.  Transmit is polled (wait for the holding register to empty), so
 * printk works from the first line of start_kernel and inside any handler.  Receive is
 * interrupt driven once serial_irq_init() has run: every byte raises IRQ 4 (FIFO
 * trigger level 1) and the handler moves whatever the FIFO holds to the console's
 * input queue, so the idle shell can sleep in `hlt` instead of polling.
 */
#include "arch/cpu.h"
#include "arch/io.h"
#include "arch/irq.h"
#include "kernel/console.h"
#include "kernel/printk.h"

#define COM1 0x3f8
#define UART_DATA 0 /* RBR/THR, or divisor low byte while DLAB is set */
#define UART_IER 1  /* interrupt enable, or divisor high byte */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define IER_RX_AVAILABLE 0x01
#define MCR_DTR_RTS 0x03
#define MCR_OUT2 0x08 /* on PCs, OUT2 gates the UART's interrupt line to the PIC */
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

static bool serial_present;

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
};

/* IRQ 4: drain the receive FIFO (bounded, in case the UART keeps saying "ready"). */
static void serial_interrupt(unsigned int irq)
{
	(void)irq;
	for (int i = 0; i < 256 && (inb(COM1 + UART_LSR) & LSR_DATA_READY); i++)
		console_input(inb(COM1 + UART_DATA));
}

void serial_irq_init(void)
{
	if (!serial_present)
		return;
	if (request_irq(IRQ_COM1, serial_interrupt)) {
		pr_err("serial: IRQ %d is taken; no keyboard input on ttyS0\n", IRQ_COM1);
		return;
	}
	outb(MCR_DTR_RTS | MCR_OUT2, COM1 + UART_MCR);
	outb(IER_RX_AVAILABLE, COM1 + UART_IER);
	serial_interrupt(IRQ_COM1); /* bytes that arrived before: no edge will come for them */
}

bool serial_init(void)
{
	/* The scratch register reads back what was written only if a UART is there. */
	outb(0x5a, COM1 + UART_SCR);
	if (inb(COM1 + UART_SCR) != 0x5a)
		return false;
	outb(0x00, COM1 + UART_IER);  /* no interrupts until serial_irq_init() */
	outb(LCR_DLAB, COM1 + UART_LCR);
	outb(1, COM1 + UART_DATA);    /* divisor 1: 115200 baud */
	outb(0, COM1 + UART_IER);
	outb(LCR_8N1, COM1 + UART_LCR);
	outb(0x07, COM1 + UART_FCR);  /* enable and clear the FIFOs */
	outb(MCR_DTR_RTS, COM1 + UART_MCR);
	register_console(&serial_console, false);
	serial_present = true;
	return true;
}
