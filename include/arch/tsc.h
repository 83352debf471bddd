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
 *   cycles: at least end.lo - start.hi, at most end.hi - start.lo
 *
 * so a window bounds the TSC's rate between two values (struct tsc_range), and several
 * windows bound it by the intersection of their ranges.
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
	 * after exactly that count (a one-shot's output going high), 1 when two counter
	 * reads were subtracted (each is the count at an instant between two ticks).
	 */
	u64 ref_fuzz;
};

/* A range of TSC rates, in kHz, that the truth is known to lie in; hi == 0: none. */
struct tsc_range {
	u64 lo, hi;
};

/*
 * tsc_window_range - the rates @w allows: the fewest cycles its brackets allow over the
 * most ticks its fuzz allows, up to the most cycles over the fewest ticks.  Empty (hi
 * 0) if @w has no ticks or its end bracket lies before its start.
 */
struct tsc_range tsc_window_range(const struct tsc_window *w);

/* tsc_range_khz - the middle of @r: the estimate, in kHz (0 for an empty range). */
u64 tsc_range_khz(struct tsc_range r);

/*
 * tsc_range_ppm - how far the estimate can be from the truth, in parts per million of
 * the estimate (rounded up); 1000000 (100 %) or more reads 1000000, as does an empty
 * range.
 */
u64 tsc_range_ppm(struct tsc_range r);

/*
 * tsc_range_intersect - narrow *@acc to the part of it that @r allows too: every window
 * bounds the truth, so all of them together bound it more tightly.  Ranges that do not
 * overlap mean one of them was wrong after all (a reference that counted differently
 * from what its window says); then *@acc becomes the narrower of the two, the one that
 * claims less, and false is returned.  An empty @r changes nothing.
 */
bool tsc_range_intersect(struct tsc_range *acc, struct tsc_range r);

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
