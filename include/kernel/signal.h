/* SPDX-License-Identifier: MIT */
/*
 * Ctrl-C: how a running shell command is asked to stop.
 *
 * On Linux the terminal turns Ctrl-C into SIGINT for the foreground process, and a
 * long loop inside the kernel checks signal_pending(current) (or fatal_signal_pending)
 * at points where it can give up cleanly, returning -EINTR.  pagelab has no processes:
 * commands run one at a time, in the shell's own context, so there is nobody to
 * deliver a signal to and nothing that could be killed half-way without leaving an
 * allocator's lists half-linked.  What it keeps is the second half: a command that
 * may run long calls signal_pending() where everything it has changed is consistent
 * again (between two operations of `stress`, between two self-test cases), and if the
 * answer is yes it undoes what it holds, says how far it got, and returns.
 *
 *   keyboard / COM1 IRQ --0x03--> input ring --signal_pending()--> "^C", true
 *                                 (with what else was typed,      (kernel/console.c)
 *                                  which stays for the prompt)
 *
 * A command that never asks simply finishes; the Ctrl-C then reaches the prompt, where
 * the line editor cancels the line with it.
 */
#ifndef PAGELAB_KERNEL_SIGNAL_H
#define PAGELAB_KERNEL_SIGNAL_H

#include "types.h"

#define INTR_CHAR 0x03 /* Ctrl-C: termios' VINTR character */

/*
 * signal_pending - whether Ctrl-C was typed since the running command was entered.  The
 * first time it finds one it takes it out of the console's input (the other bytes
 * typed stay queued, in order) and echoes "^C"; after that it keeps answering true,
 * without looking, until flush_signals().  Cheap enough for every pass of a loop:
 * one load when nothing was typed.  Process context (not in an interrupt handler).
 */
bool signal_pending(void);

/*
 * flush_signals - forget a pending Ctrl-C; returns whether there was one.  The shell
 * calls it when a command returns, so no command inherits its predecessor's.
 */
bool flush_signals(void);

#endif
