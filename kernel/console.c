// SPDX-License-Identifier: MIT
/*
 * The console list and the input queue.  Drivers register themselves; printk and the
 * shell write through console_write() and never know which devices are behind it.
 * Input drivers push bytes from their interrupt handlers into one ring, which the
 * shell drains, sleeping in `hlt` while it is empty.
 *
 *   input_ring: [ . . . a b c . . . ]      single producer: interrupt handlers
 *                       ^     ^            single consumer: the shell, which takes
 *                    tail    head          bytes with interrupts disabled
 */
#include "arch/irq.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "lib/seq_file.h"

#define INPUT_RING_SIZE 4096 /* a power of two; a long paste fits */

static struct console *consoles;
static u8 input_ring[INPUT_RING_SIZE];
static u32 input_head, input_tail; /* free-running; head - tail bytes queued */
static u64 input_dropped;

static struct console *replay_target;

static void replay_write(struct seq_file *m, const char *s, size_t n)
{
	(void)m;
	replay_target->write(s, n);
}

void register_console(struct console *con, bool replay)
{
	struct console **p = &consoles;

	if (replay) {
		struct seq_file m = { .write = replay_write };

		replay_target = con;
		log_buf_show(&m);
	}
	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
}

void console_write(const char *s, size_t n)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(s, n);
}

void console_input(u8 c)
{
	if (input_head - input_tail >= INPUT_RING_SIZE) {
		input_dropped++;
		return;
	}
	input_ring[input_head++ % INPUT_RING_SIZE] = c;
}

int console_getc(void)
{
	unsigned long flags = local_irq_save();
	int c = -1;

	if (input_head != input_tail)
		c = input_ring[input_tail++ % INPUT_RING_SIZE];
	local_irq_restore(flags);
	return c;
}

int console_read_char(void)
{
	for (;;) {
		local_irq_disable();
		if (input_head != input_tail) {
			int c = input_ring[input_tail++ % INPUT_RING_SIZE];

			local_irq_enable();
			return c;
		}
		cpu_idle(); /* the check above and the hlt are one atomic step: see safe_halt */
	}
}

static void console_seq_write(struct seq_file *m, const char *s, size_t n)
{
	(void)m;
	console_write(s, n);
}

struct seq_file *console_seq(void)
{
	static struct seq_file m = { .write = console_seq_write };

	return &m;
}
