/* SPDX-License-Identifier: MIT */
/*
 * printk: the kernel log.  Every message goes into a ring buffer (what `dmesg` prints)
 * and to the consoles, each line prefixed with the time since kernel entry, in Linux's
 * "[    1.234567] " form.  Log levels follow Linux: a message may start with KERN_ERR
 * etc.; the level is accepted for Linux compatibility and every level is printed.
 */
#ifndef PAGELAB_KERNEL_PRINTK_H
#define PAGELAB_KERNEL_PRINTK_H

#include <stdarg.h>

#include "types.h"

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)

/* printk - log a message and print it on the consoles.  Returns the characters logged. */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

struct seq_file;

/* log_buf_show - print the log still in the ring buffer (`dmesg`), whole lines only. */
void log_buf_show(struct seq_file *m);

/* log_buf_bytes - how many bytes were ever logged: a position for log_buf_read(). */
u64 log_buf_bytes(void);

/*
 * log_buf_read - copy what was logged since position @from (log_buf_bytes() earlier)
 * into @buf, at most @size - 1 bytes, NUL-terminated; what the ring overwrote since is
 * skipped.  Returns the bytes copied.  For self-tests that check a message was logged.
 */
size_t log_buf_read(u64 from, char *buf, size_t size);

/* printk_seq - a seq_file that logs what is written to it, a line per printk record. */
struct seq_file *printk_seq(void);

/*
 * printk_flush_deferred - log and print the records that printks nested inside this
 * CPU's console write stored (console_enter()'s CONSOLE_NESTED).  The console_lock
 * holder calls it (console_leave()) before letting go.
 */
void printk_flush_deferred(void);

/* dump_stack - print a call trace of the caller ("Call Trace:" and a line per frame). */
void dump_stack(void);

/*
 * oops_in_progress - nonzero while an oops or a panic is being reported; then the
 * consoles are written even if their lock does not come free (kernel/console.c).
 * bust_spinlocks(1) enters that state, bust_spinlocks(0) leaves it (and frees the
 * console lock if this CPU's report jumped out of a console write holding it).
 */
extern int oops_in_progress;
void bust_spinlocks(int yes);

/* panic - print "Kernel panic - not syncing: <msg>" and stop this CPU.  Never returns. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#endif
