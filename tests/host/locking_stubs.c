// SPDX-License-Identifier: MIT
/*
 * What the kernel's lock debugging and console locking call, for the host: the host
 * printk (tests/host/printk.c) writes its buffer at once and never defers a record,
 * and a host test has no kernel stack for dump_stack() to walk.  A lock report there
 * is its two lines; the tests check those.
 */
#include "kernel/printk.h"

void printk_flush_deferred(void)
{
}

void dump_stack(void)
{
}
