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
 *
 * Ctrl-C (include/kernel/signal.h).  While a command runs, nobody reads the ring; what
 * is typed waits there for the next prompt.  A long command asks signal_pending() at
 * its safe points, which looks for Ctrl-C bytes in the ring and takes them out, and
 * leaves every other byte where it was.  A Ctrl-C that no command took (typed during
 * a short one, or at the prompt) stays an ordinary byte, which the line editor reads
 * as "cancel this line".  The interrupt handler only counts the Ctrl-C bytes it
 * queues, so the common case - none - costs signal_pending() one load.
 */
#include "arch/irq.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/time.h"
#include "lib/seq_file.h"

#define INPUT_RING_SIZE 4096 /* a power of two; a long paste fits */

static struct console *consoles;
static u8 input_ring[INPUT_RING_SIZE];
static u32 input_head, input_tail; /* free-running; head - tail bytes queued */
static u64 input_dropped;
static volatile u32 intr_queued;       /* INTR_CHAR bytes now in the ring */
static volatile bool intr_overflowed; /* a Ctrl-C came while the ring was full */
static bool sigint_pending;           /* signal_pending()'s answer until flush_signals() */

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
		/* Typing ahead during a long command must not make it impossible to stop. */
		if (c == INTR_CHAR)
			intr_overflowed = true;
		input_dropped++;
		return;
	}
	input_ring[input_head++ % INPUT_RING_SIZE] = c;
	intr_queued += c == INTR_CHAR;
}

/* The oldest queued byte; the ring must not be empty and interrupts must be off. */
static int input_take(void)
{
	int c = input_ring[input_tail++ % INPUT_RING_SIZE];

	intr_queued -= c == INTR_CHAR;
	return c;
}

int console_getc(void)
{
	unsigned long flags = local_irq_save();
	int c = -1;

	if (input_head != input_tail)
		c = input_take();
	local_irq_restore(flags);
	return c;
}

int console_read_char(void)
{
	for (;;) {
		local_irq_disable();
		if (input_head != input_tail) {
			int c = input_take();

			local_irq_enable();
			return c;
		}
		cpu_idle(); /* the check above and the hlt are one atomic step: see safe_halt */
	}
}

/*
 * Take every INTR_CHAR out of the ring, closing the gaps, so the bytes typed around
 * them reach the line editor in the order they came.  Returns whether there was one.
 */
static bool take_intr_chars(void)
{
	unsigned long flags = local_irq_save();
	bool found = intr_overflowed;
	u32 to = input_tail;

	for (u32 from = input_tail; from != input_head; from++) {
		u8 c = input_ring[from % INPUT_RING_SIZE];

		if (c == INTR_CHAR)
			found = true;
		else
			input_ring[to++ % INPUT_RING_SIZE] = c;
	}
	input_head = to;
	intr_queued = 0;
	intr_overflowed = false;
	local_irq_restore(flags);
	return found;
}

bool signal_pending(void)
{
	if (!sigint_pending && (intr_queued || intr_overflowed) &&
	    take_intr_chars()) {
		sigint_pending = true;
		console_write("^C\n", 3); /* what a terminal echoes for it */
	}
	return sigint_pending;
}

bool flush_signals(void)
{
	bool was = sigint_pending;

	sigint_pending = false;
	return was;
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
