// SPDX-License-Identifier: MIT
/*
 * The TSC calibration's arithmetic (kernel/arch/x86_64/tsc.c, include/arch/tsc.h) on
 * made-up readings: what a window allows, how windows combine, the PM timer's wrap,
 * the conversion to nanoseconds.  A 2 GHz TSC (2000000 kHz) throughout: 2000 cycles
 * a microsecond.
 */
#include <criterion/criterion.h>

#include "arch/tsc.h"

#define KHZ 2000000ULL
#define US(n) ((u64)(n) * 2000) /* TSC cycles in n microseconds */

/*
 * A 10 ms PIT window starting at TSC 1000000, whose start bracket is @s_us wide and
 * whose end bracket is @e_us wide, placed @e_off_us late around the true end.
 */
static struct tsc_window pit_window(u64 s_us, u64 e_us, u64 e_off_us)
{
	u64 start = 1000000, end = start + US(10000);
	struct tsc_window w = {
		.start = { start, start + US(s_us) },
		.end = { end + US(e_off_us) - US(e_us), end + US(e_off_us) },
		.ref_ticks = PIT_TICK_RATE / 100, /* 11931.82: the count the kernel loads */
		.ref_hz = PIT_TICK_RATE,
	};

	return w;
}

/* Tight brackets (1 us at each end): the rate within 200 ppm, close to 2 GHz. */
Test(tsc_window, tight_brackets_give_a_narrow_range)
{
	struct tsc_window w = pit_window(1, 1, 0);
	struct tsc_range r = tsc_window_range(&w);

	cr_assert_leq(r.lo, KHZ + 200, "lo %llu", r.lo);
	cr_assert_geq(r.hi, KHZ - 200, "hi %llu", r.hi);
	cr_assert_leq(tsc_range_ppm(r), 250, "%llu ppm", tsc_range_ppm(r));
	cr_assert_lt(llabs((long long)tsc_range_khz(r) - (long long)KHZ), 300);
}

/*
 * The virtual CPU stopped for 3 ms between the port write that started the count and
 * the TSC read after it: the range says so (about 15 %) and still holds the truth;
 * the old single-read calibration would simply have measured 7 ms.
 */
Test(tsc_window, a_stall_in_a_bracket_widens_the_range_around_the_truth)
{
	struct tsc_window w = pit_window(3000, 1, 0);
	struct tsc_range r = tsc_window_range(&w);

	cr_assert_leq(r.lo, KHZ);
	cr_assert_geq(r.hi, KHZ);
	cr_assert_gt(tsc_range_ppm(r), 100000, "%llu ppm", tsc_range_ppm(r));
}

/* Two windows each stalled at a different end: together they pin the rate down. */
Test(tsc_window, intersecting_two_wide_windows_narrows_the_range)
{
	struct tsc_window a = pit_window(2000, 1, 0);     /* allows a lower rate */
	struct tsc_window b = pit_window(1, 2000, 2000);  /* allows a higher rate */
	struct tsc_range r = { 0, 0 };

	cr_assert(tsc_range_intersect(&r, tsc_window_range(&a)));
	cr_assert_gt(tsc_range_ppm(r), 50000);
	cr_assert(tsc_range_intersect(&r, tsc_window_range(&b)));
	cr_assert_leq(r.lo, KHZ);
	cr_assert_geq(r.hi, KHZ);
	cr_assert_leq(tsc_range_ppm(r), 500, "%llu ppm: [%llu, %llu]", tsc_range_ppm(r), r.lo, r.hi);
}

/* Ranges that do not overlap: one of them lied; the narrower one is kept. */
Test(tsc_window, disjoint_ranges_keep_the_narrower)
{
	struct tsc_range acc = { 1000, 1100 }, narrow = { 2000, 2010 }, wide = { 3000, 4000 };

	cr_assert(!tsc_range_intersect(&acc, narrow));
	cr_assert_eq(acc.lo, 2000);
	cr_assert_eq(acc.hi, 2010);
	cr_assert(!tsc_range_intersect(&acc, wide));
	cr_assert_eq(acc.lo, 2000);
	cr_assert_eq(acc.hi, 2010);
}

/* Nothing measured: no rate, 100 % error, and intersecting with it changes nothing. */
Test(tsc_window, empty_windows_and_ranges)
{
	struct tsc_window w = pit_window(1, 1, 0);
	struct tsc_range none = { 0, 0 }, r = { 1990000, 2010000 };

	w.ref_ticks = 0;
	cr_assert_eq(tsc_window_range(&w).hi, 0);
	w = pit_window(1, 1, 0);
	w.end.hi = w.start.lo; /* an end before the start */
	cr_assert_eq(tsc_window_range(&w).hi, 0);
	cr_assert_eq(tsc_range_khz(none), 0);
	cr_assert_eq(tsc_range_ppm(none), 1000000);
	cr_assert(tsc_range_intersect(&r, none));
	cr_assert_eq(r.lo, 1990000);
	cr_assert_eq(r.hi, 2010000);
}

/* A PM timer window of 100 ms: the +-1 tick of two counter reads is 10 ppm of it. */
Test(tsc_window, pm_timer_window_counts_its_tick_fuzz)
{
	struct tsc_window w = {
		.start = { 5000, 5000 + US(1) },
		.end = { 5000 + US(100000), 5000 + US(100001) },
		.ref_ticks = ACPI_PM_TIMER_HZ / 10,
		.ref_hz = ACPI_PM_TIMER_HZ,
		.ref_fuzz = 1,
	};
	struct tsc_range r = tsc_window_range(&w);

	cr_assert_leq(r.lo, KHZ);
	cr_assert_geq(r.hi, KHZ);
	cr_assert_geq(tsc_range_ppm(r), 10);
	cr_assert_leq(tsc_range_ppm(r), 30, "%llu ppm", tsc_range_ppm(r));
}

Test(acpi_pm_ticks, wraps_at_24_or_32_bits)
{
	cr_assert_eq(acpi_pm_ticks(100, 400, false), 300);
	cr_assert_eq(acpi_pm_ticks(0xfffff0, 0x10, false), 0x20);
	cr_assert_eq(acpi_pm_ticks(0xfffffff0, 0x10, true), 0x20);
	/* A 24-bit timer's upper byte reads 0, but bits above 24 must not matter anyway. */
	cr_assert_eq(acpi_pm_ticks(0xab000010, 0xcd000020, false), 0x10);
}

Test(tsc_cycles_to_ns, exact_and_without_overflow)
{
	cr_assert_eq(tsc_cycles_to_ns(US(1), KHZ), 1000);
	cr_assert_eq(tsc_cycles_to_ns(2999, 3000), 999666);
	cr_assert_eq(tsc_cycles_to_ns(123, 0), 0);
	/* Ten years at 2 GHz: cycles * 10^6 would not fit in 64 bits. */
	cr_assert_eq(tsc_cycles_to_ns(KHZ * 1000 * 315360000ULL, KHZ), 315360000ULL * 1000000000ULL);
}
