/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for include/arch/io.h: no real ports, just a record.
 *
 * out*() append to a ring of the last HOST_IO_LOG_MAX writes, so a test can check
 * that code under test wrote value V to port P; in*() return whatever the test put in
 * host_io.port_value[port] (0 unless set).  Reads are not logged.
 *
 * The state is a weak definition in this header, so every test binary gets exactly
 * one copy however many of its files include this, with no extra .c to link.
 */
#ifndef PAGELAB_HOST_ARCH_IO_H
#define PAGELAB_HOST_ARCH_IO_H

#include "types.h"

#define HOST_IO_LOG_MAX 64

struct host_io_write {
	u16 port;
	u8 width; /* 1, 2 or 4 bytes: outb, outw, outl */
	u32 value;
};

struct host_io {
	struct host_io_write log[HOST_IO_LOG_MAX]; /* ring: log[nr_writes % MAX] is next */
	unsigned long nr_writes;		     /* ever, since host_io_reset() */
	u32 port_value[0x10000];		     /* what in*() return, per port */
};

__attribute__((weak)) struct host_io host_io;

/* host_io_reset - forget all writes and make every port read 0 again. */
static inline void host_io_reset(void) { __builtin_memset(&host_io, 0, sizeof(host_io)); }

/* host_io_last - the k-th most recent write (0 = the last), or NULL if there is none. */
static inline const struct host_io_write *host_io_last(unsigned long k)
{
	if (k >= host_io.nr_writes || k >= HOST_IO_LOG_MAX)
		return NULL;
	return &host_io.log[(host_io.nr_writes - 1 - k) % HOST_IO_LOG_MAX];
}

static inline void host_io_record(u16 port, u8 width, u32 v)
{
	struct host_io_write *w = &host_io.log[host_io.nr_writes++ % HOST_IO_LOG_MAX];

	w->port = port;
	w->width = width;
	w->value = v;
}

static inline void outb(u8 v, u16 port) { host_io_record(port, 1, v); }
static inline void outw(u16 v, u16 port) { host_io_record(port, 2, v); }
static inline void outl(u32 v, u16 port) { host_io_record(port, 4, v); }

static inline u8 inb(u16 port) { return (u8)host_io.port_value[port]; }
static inline u16 inw(u16 port) { return (u16)host_io.port_value[port]; }
static inline u32 inl(u16 port) { return host_io.port_value[port]; }

#endif
