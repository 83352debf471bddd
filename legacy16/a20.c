// SPDX-License-Identifier: MIT
/*
 * The A20 line.  The 8086 had 20 address lines, so FFFF:0010 wrapped around to 0;
 * some DOS programs relied on that, so PCs kept a gate that forces address bit 20 to 0
 * until something opens it.  With the gate closed, every odd megabyte is a copy of the
 * even one below it - fatal for a kernel loaded above 1 MiB.
 *
 * Three ways to open it, tried from the politest (ask the BIOS) to the most direct,
 * checking after each; most machines (and QEMU) have it open already.
 */
#include "arch/io.h"
#include "boot16.h"

/* Whether 1 MiB + 0x500 is really distinct from 0x500.  Needs unreal mode. */
static bool a20_open(void)
{
	volatile u32 *low = flat_ptr(0x500);
	volatile u32 *high = flat_ptr(0x100500);
	u32 saved = *low;
	bool open;

	*low = 0x12345678;
	*high = ~0x12345678u;
	open = *low == 0x12345678;
	*low = saved;
	return open;
}

static bool a20_wait_open(void)
{
	for (int i = 0; i < 1000; i++)
		if (a20_open())
			return true;
	return false;
}

static void a20_bios(void)
{
	struct biosregs r;

	initregs(&r);
	r.eax = 0x2401; /* INT 15h AX=2401h: enable A20 gate */
	intcall(0x15, &r, NULL);
}

/* The 8042 keyboard controller's output port has the A20 gate in bit 1. */
static void kbc_wait_input_empty(void)
{
	for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
		;
}

static void a20_keyboard_controller(void)
{
	kbc_wait_input_empty();
	outb(0xd1, 0x64); /* next byte on port 0x60 is the output port */
	kbc_wait_input_empty();
	outb(0xdf, 0x60); /* A20 on, CPU reset line inactive */
	kbc_wait_input_empty();
}

/* "Fast A20": system control port A, bit 1.  Bit 0 resets the machine: keep it clear. */
static void a20_fast(void)
{
	outb((inb(0x92) | 0x02) & ~0x01, 0x92);
}

void enable_a20(void)
{
	static const struct {
		const char *name;
		void (*enable)(void);
	} methods[] = {
		{ "BIOS INT 15h AX=2401h", a20_bios },
		{ "keyboard controller", a20_keyboard_controller },
		{ "fast A20 (port 0x92)", a20_fast },
	};

	if (a20_open()) {
		puts("pagelab loader: A20 already enabled\n");
		return;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(methods); i++) {
		methods[i].enable();
		if (a20_wait_open()) {
			bprintf("pagelab loader: A20 enabled by the %s\n", methods[i].name);
			return;
		}
	}
	die("cannot enable the A20 line (memory above 1 MiB would wrap around)");
}
