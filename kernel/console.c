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
 *
 * Several CPUs (console_lock).  What one CPU writes - a printk record, a chunk of a
 * shell command's output - reaches the consoles whole: console_lock, a spinlock taken
 * with interrupts off, lets one CPU at a time into the drivers, and printk keeps its
 * log buffer under the same lock, so the log and the screen show the lines in one
 * order.  Two situations must not wait for it:
 *   - this CPU holds it already (an NMI, or a driver that printks, came in while it was
 *     writing): console_enter() says CONSOLE_NESTED; printk stores the record and the
 *     holder prints it before it lets go (Linux's answer too: the console owner prints
 *     what others logged), anything else writes straight through;
 *   - an oops or a panic is being reported (bust_spinlocks()) and the holder may never
 *     come back - it is the CPU that crashed, or it waits for one: after about a second
 *     (or at once, if this CPU is the holder) console_enter() says CONSOLE_BUSTED and
 *     the report is written without the lock, interleaved perhaps, but written.
 * The input ring has its own lock, input_lock, taken with interrupts off: the keyboard
 * and serial interrupts arrive on the boot CPU, while the shell - or several CPUs of
 * `stress --cpus`/`bench --cpus` asking signal_pending() at once - may run anywhere.
 * So exactly one CPU takes a Ctrl-C out of the ring and echoes it, and a byte typed
 * while another CPU closes the gaps in the ring is not lost.
 */
#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/setup.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "lib/seq_file.h"

#define INPUT_RING_SIZE 4096 /* a power of two; a long paste fits */

static struct console *consoles;
static DEFINE_SPINLOCK(input_lock); /* the ring, its indices and intr_* (above) */
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

/*
 * The replay runs outside console_lock (log_buf_show() takes it itself, a chunk at a
 * time, and the new console is not on the list yet, so nobody else writes to it).
 * Consoles register at boot, before the other CPUs start: none of their lines can fall
 * between the replay's end and the insertion.
 */
void register_console(struct console *con, bool replay)
{
	struct console **p = &consoles;
	enum console_enter how;
	unsigned long flags;

	if (replay) {
		struct seq_file m = { .write = replay_write };

		replay_target = con;
		log_buf_show(&m);
	}
	flags = local_irq_save();
	how = console_enter();
	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	WRITE_ONCE(*p, con);
	console_leave(how);
	local_irq_restore(flags);
}

static DEFINE_SPINLOCK(console_lock); /* the consoles' output, printk's log buffer */
int oops_in_progress;

/* How long a CPU reporting an oops waits for another CPU's console_lock: about 1 s. */
static u64 bust_cycles(void)
{
	u64 khz = READ_ONCE(tsc_khz);

	return 1000 * (khz ? khz : 1000000);
}

/* When console_lock was taken (TSC), for telling a nested writer from an abandoned lock. */
static u64 console_locked_tsc;

/*
 * This CPU holds console_lock, further out.  Normally that is a writer this one
 * interrupted, which will finish in a moment.  But an oops that faulted inside a
 * console write and jumped back to the shell (oops_resume) leaves the lock held by
 * nobody: if the kernel's exception path did not say bust_spinlocks(0), a lock this CPU
 * took more than a second ago is taken over, and the records deferred meanwhile (the
 * oops among them) come out then.  No console write takes that long.
 */
static enum console_enter console_enter_mine(void)
{
	if (READ_ONCE(oops_in_progress))
		return CONSOLE_BUSTED;
	if (rdtsc() - READ_ONCE(console_locked_tsc) > bust_cycles()) {
		WRITE_ONCE(console_locked_tsc, rdtsc());
		return CONSOLE_LOCKED;
	}
	return CONSOLE_NESTED;
}

enum console_enter console_enter(void)
{
	u64 start = 0;

	for (;;) {
		if (spin_trylock(&console_lock)) {
			WRITE_ONCE(console_locked_tsc, rdtsc());
			return CONSOLE_LOCKED;
		}
		if (spin_is_locked_by_me(&console_lock))
			return console_enter_mine();
		if (READ_ONCE(oops_in_progress)) {
			if (!start)
				start = rdtsc();
			else if (rdtsc() - start > bust_cycles())
				return CONSOLE_BUSTED;
		}
		cpu_relax();
	}
}

void console_leave(enum console_enter how)
{
	if (how != CONSOLE_LOCKED)
		return;
	printk_flush_deferred();
	spin_unlock(&console_lock);
}

void bust_spinlocks(int yes)
{
	if (yes) {
		__atomic_add_fetch(&oops_in_progress, 1, __ATOMIC_SEQ_CST);
		return;
	}
	/*
	 * The oops is over.  If it longjmp()ed out of a console write on this CPU, nobody
	 * will ever release console_lock: the oops was its holder's last act.
	 */
	if (spin_is_locked_by_me(&console_lock))
		spin_unlock(&console_lock);
	__atomic_sub_fetch(&oops_in_progress, 1, __ATOMIC_SEQ_CST);
}

void __console_write(const char *s, size_t n)
{
	for (struct console *c = READ_ONCE(consoles); c; c = READ_ONCE(c->next))
		c->write(s, n);
}

void console_write(const char *s, size_t n)
{
	unsigned long flags = local_irq_save();
	enum console_enter how = console_enter();

	__console_write(s, n);
	console_leave(how);
	local_irq_restore(flags);
}

void console_input(u8 c)
{
	unsigned long flags;

	spin_lock_irqsave(&input_lock, flags);
	if (input_head - input_tail >= INPUT_RING_SIZE) {
		/* Typing ahead during a long command must not make it impossible to stop. */
		if (c == INTR_CHAR)
			intr_overflowed = true;
		input_dropped++;
	} else {
		input_ring[input_head++ % INPUT_RING_SIZE] = c;
		intr_queued += c == INTR_CHAR;
	}
	spin_unlock_irqrestore(&input_lock, flags);
}

/* The oldest queued byte; the ring must not be empty and input_lock must be held. */
static int input_take(void)
{
	int c = input_ring[input_tail++ % INPUT_RING_SIZE];

	intr_queued -= c == INTR_CHAR;
	return c;
}

int console_getc(void)
{
	unsigned long flags;
	int c = -1;

	spin_lock_irqsave(&input_lock, flags);
	if (input_head != input_tail)
		c = input_take();
	spin_unlock_irqrestore(&input_lock, flags);
	return c;
}

int console_read_char(void)
{
	for (;;) {
		local_irq_disable();
		spin_lock(&input_lock);
		if (input_head != input_tail) {
			int c = input_take();

			spin_unlock(&input_lock);
			local_irq_enable();
			return c;
		}
		spin_unlock(&input_lock);
		cpu_idle(); /* the check above and the hlt are one atomic step: see safe_halt */
	}
}

/*
 * Take every INTR_CHAR out of the ring, closing the gaps, so the bytes typed around
 * them reach the line editor in the order they came.  Returns whether there was one.
 */
static bool take_intr_chars(void)
{
	unsigned long flags;
	bool found;
	u32 to;

	spin_lock_irqsave(&input_lock, flags);
	found = intr_overflowed;
	to = input_tail;
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
	spin_unlock_irqrestore(&input_lock, flags);
	return found;
}

bool signal_pending(void)
{
	/* Only the CPU whose take_intr_chars() found the Ctrl-C echoes it. */
	if (!READ_ONCE(sigint_pending) && (intr_queued || intr_overflowed) &&
	    take_intr_chars()) {
		WRITE_ONCE(sigint_pending, true);
		console_write("^C\n", 3); /* what a terminal echoes for it */
	}
	return READ_ONCE(sigint_pending);
}

bool flush_signals(void)
{
	bool was = READ_ONCE(sigint_pending);

	WRITE_ONCE(sigint_pending, false);
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
