/* SPDX-License-Identifier: MIT */
/*
 * The host printk (tests/host/printk.c) appends every message to host_printk_buf,
 * level prefix stripped, so a test can check what the code under test logged.
 * Set HOST_PRINTK_ECHO=1 in the environment to see the messages on stderr as well.
 */
#ifndef PAGELAB_HOST_PRINTK_CAPTURE_H
#define PAGELAB_HOST_PRINTK_CAPTURE_H

#include <stddef.h>

#define HOST_PRINTK_BUF_SIZE (64 * 1024)

/* Everything logged since the last reset, NUL-terminated; output beyond the size is dropped. */
extern char host_printk_buf[HOST_PRINTK_BUF_SIZE];

/* host_printk_reset - empty host_printk_buf. */
void host_printk_reset(void);

/*
 * If set, every message is also handed to host_printk_sink as it is logged (level prefix
 * stripped), so a host program can print the kernel log live.  The buffer filling up
 * does not stop the sink.
 */
extern void (*host_printk_sink)(const char *s, size_t n);

/*
 * host_symbolize_callers - @log with each address that ends a line (what %pS prints on
 * the host, which has no kallsyms table) replaced by the name of the function holding
 * it, read from the test's debug information (tests/host/symbolize.c): the line
 * "memblock_add: [...] 0x55d0c1a2b3c4" becomes "memblock_add: [...] e820__memblock_setup".
 * Returns a static buffer, overwritten by the next call.
 */
const char *host_symbolize_callers(const char *log);

#endif
