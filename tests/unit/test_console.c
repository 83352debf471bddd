// SPDX-License-Identifier: MIT
/*
 * The console's input queue and Ctrl-C (kernel/console.c, include/kernel/signal.h):
 * the test plays the interrupt handler (console_input) and the command that polls
 * (signal_pending), then reads what the line editor would get (console_getc).
 * Criterion runs each test in a process of its own, so each starts with an empty queue.
 */
#include <criterion/criterion.h>

#include "arch/irq.h"
#include "kernel/console.h"
#include "kernel/signal.h"

#define RING 4096 /* kernel/console.c's INPUT_RING_SIZE */

static void type(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_input((u8)s[i]);
}

/* Everything queued, as a string ('\0' never typed by these tests). */
static const char *drain(void)
{
	static char buf[RING + 1];
	size_t n = 0;
	int c;

	while ((c = console_getc()) >= 0)
		buf[n++] = (char)c;
	buf[n] = '\0';
	return buf;
}

Test(ctrl_c, nothing_typed_is_no_signal)
{
	cr_assert(!signal_pending());
	cr_assert(!flush_signals());
}

Test(ctrl_c, other_bytes_are_no_signal_and_stay_queued)
{
	type("help\r", 5);
	cr_assert(!signal_pending());
	cr_assert_str_eq(drain(), "help\r");
}

/* Bytes typed before and after the Ctrl-C reach the prompt in their order. */
Test(ctrl_c, is_taken_out_and_the_rest_stays_in_order)
{
	type("ab\003cd\003e", 7);
	cr_assert(signal_pending());
	cr_assert(!host_irqs_disabled, "signal_pending() left interrupts off");
	cr_assert_str_eq(drain(), "abcde");
}

/* Sticky until the shell flushes it, and then gone: the next command starts clean. */
Test(ctrl_c, stays_pending_until_flushed)
{
	type("\003", 1);
	cr_assert(signal_pending());
	cr_assert(signal_pending());
	cr_assert(flush_signals());
	cr_assert(!flush_signals());
	cr_assert(!signal_pending());
}

/*
 * A Ctrl-C typed after the command noticed the first one is not taken: it is still in
 * the queue when the prompt comes back, and the line editor cancels a line with it
 * (two Ctrl-C in bash: the command stops, then a fresh prompt).
 */
Test(ctrl_c, a_second_one_waits_for_the_prompt)
{
	type("\003", 1);
	cr_assert(signal_pending());
	type("\003", 1);
	cr_assert(signal_pending());
	cr_assert(flush_signals());
	cr_assert_eq(console_getc(), INTR_CHAR);
	cr_assert(!signal_pending(), "the line editor's Ctrl-C still counted as queued");
}

/* At the prompt the line editor reads Ctrl-C as an ordinary byte; no signal is left behind. */
Test(ctrl_c, read_by_the_line_editor_is_no_signal)
{
	type("x\003", 2);
	cr_assert_eq(console_getc(), 'x');
	cr_assert_eq(console_getc(), INTR_CHAR);
	cr_assert(!signal_pending());
}

/* The queue is a ring: taking bytes out must close the gap across its wrap-around. */
Test(ctrl_c, across_the_end_of_the_ring)
{
	static char filler[RING];

	memset(filler, '.', sizeof(filler));
	type(filler, RING - 3); /* move the ring's tail 3 bytes short of its end */
	cr_assert_eq(strlen(drain()), RING - 3);
	type("ab\003cdef\003gh", 10);
	cr_assert(signal_pending());
	cr_assert_str_eq(drain(), "abcdefgh");
}

/* Typing ahead until the queue is full must not make a long command unstoppable. */
Test(ctrl_c, with_the_queue_full_still_stops_the_command)
{
	static char filler[RING];

	memset(filler, 'k', sizeof(filler));
	type(filler, RING);
	console_input(INTR_CHAR); /* dropped: no room */
	cr_assert(signal_pending());
	cr_assert_eq(strlen(drain()), RING, "the queued bytes were not kept");
	cr_assert(flush_signals());
	cr_assert(!signal_pending());
}
