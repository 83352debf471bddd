/* SPDX-License-Identifier: MIT */
/*
 * Measuring the TSC's rate against a reference clock whose rate is known (the PIT's
 * 1.193182 MHz, the ACPI PM timer's 3.579545 MHz), and the arithmetic of it, which
 * kernel/arch/x86_64/tsc.c uses at boot and the host tests check on made-up readings.
 *
 * A reading of the reference is a port access, and it happens at some instant between
 * the two TSC reads around it: a bracket.  The two reads are normally a microsecond
 * apart; when the CPU is taken away in between (an SMI, or the host descheduling a
 * virtual CPU) they are milliseconds apart.  A window runs from one bracketed event of
 * the reference to another, so it knows how wrong it can be:
 *
 *   TSC   start.lo  start.hi                        end.lo       end.hi
 *   ---------[---x---]---------------------------------[------x------]------>
 *               reference event 0                        event 1: ref_ticks later
 *
 *   cycles = midpoint to midpoint;  error <= (start width + end width) / 2
 */
#ifndef PAGELAB_ARCH_TSC_H
#define PAGELAB_ARCH_TSC_H

#include "types.h"

#define PIT_TICK_RATE 1193182ULL     /* the PIT's input clock, Hz, on every PC */
#define ACPI_PM_TIMER_HZ 3579545ULL  /* the ACPI PM timer's, Hz (the same crystal x 3) */

/* An instant of the reference clock known to lie between two TSC reads. */
struct tsc_bracket {
	u64 lo, hi;
};

/* A stretch of @ref_ticks of a reference clock running at @ref_hz, timed by the TSC. */
struct tsc_window {
	struct tsc_bracket start, end;
	u64 ref_ticks;
	u64 ref_hz;
	/*
	 * How many ticks @ref_ticks itself may be off: 0 when the reference raised an event
	 * after exactly that count (the PIT's output), 1 when two free-running counter reads
	 * were subtracted (each is the count at its instant, rounded down).
	 */
	u64 ref_fuzz;
};

/* tsc_window_cycles - TSC cycles in @w: its brackets' midpoints subtracted. */
u64 tsc_window_cycles(const struct tsc_window *w);

/*
 * tsc_window_khz - the TSC rate @w measures, in kHz (cycles per millisecond).  Returns 0
 * if @w is empty (no ticks, or no cycles).
 */
u64 tsc_window_khz(const struct tsc_window *w);

/*
 * tsc_window_ppm - the most @w's rate can be wrong by, in parts per million: the two
 * brackets' widths and the reference's fuzz, against the window's length.  A window
 * that is empty or whose error is not smaller than itself reads 1000000 (100 %).
 */
u64 tsc_window_ppm(const struct tsc_window *w);

/* tsc_best_window - the index of the window of @w[0..n-1] with the smallest error. */
unsigned int tsc_best_window(const struct tsc_window *w, unsigned int n);

/*
 * acpi_pm_ticks - PM timer ticks from reading @from to reading @to, on a timer that
 * counts 32 bits (@ext32, the FADT's TMR_VAL_EXT) or 24 and wraps.  Exact for intervals
 * shorter than one wrap: 4.68 s for 24 bits, 20 minutes for 32.
 */
u32 acpi_pm_ticks(u32 from, u32 to, bool ext32);

/* tsc_cycles_to_ns - @cycles of a TSC running at @khz, in ns, without overflowing. */
u64 tsc_cycles_to_ns(u64 cycles, u64 khz);

/*
 * tsc_refine_calibration_start - read the ACPI PM timer (acpi_pm_info()->pm_tmr), to
 * start the long window tsc_refine_calibration() ends.  Call after acpi_init(); does
 * nothing if the FADT gave no PM timer.
 */
void tsc_refine_calibration_start(void);

/*
 * tsc_refine_calibration - end the window, set tsc_khz from it and print Linux's
 * "tsc: Refined TSC clocksource calibration" line.  Spins only if the window is still
 * too short to be within 500 ppm (a boot much faster than QEMU's, or a reading the
 * host interrupted), at most a second.  local_clock() goes on from where it was, at
 * the new rate: it neither jumps nor goes back.  Does nothing without a start.
 */
void tsc_refine_calibration(void);

/* tsc_print_calibration - the boot log's lines about the PIT calibration (tsc_init). */
void tsc_print_calibration(void);

#endif
