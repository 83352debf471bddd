/* SPDX-License-Identifier: MIT */
/*
 * x86 port I/O.  Generic code that talks to ISA-era devices (the 16550 UART, the PIT,
 * ACPI's PM1 registers) goes through these; the host build supplies its own io.h under
 * tests/host/include/arch/ that records the accesses instead.
 */
#ifndef PAGELAB_ARCH_IO_H
#define PAGELAB_ARCH_IO_H

#include "types.h"

static inline void outb(u8 v, u16 port) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(u16 v, u16 port) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u32 v, u16 port) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif
