// SPDX-License-Identifier: MIT
/*
 * The clock behind printk's timestamps and `uptime`: the TSC, counted from kernel entry.
 * Its rate is measured twice, as Linux measures it (a quick calibration at boot, then a
 * refinement over a longer window against a second clock):
 *
 *   tsc_init()                   first thing at boot, against PIT channel 2 (the speaker
 *                                channel, so no interrupt is involved): 10 ms windows
 *                                until together they bound the rate within 500 ppm
 *                                (one, normally), at most 8
 *   tsc_refine_calibration_start()  after acpi_init(): a reading of the ACPI PM timer
 *   tsc_refine_calibration()     at the end of boot: a second reading; the whole boot in
 *                                between (100 ms or so under QEMU) is the window
 *
 * Every reading of a reference clock is bracketed by two TSC reads (include/arch/tsc.h),
 * so each window knows its own error, and a reading that the CPU was taken away in the
 * middle of shows up as a wide bracket instead of a wrong rate.  That matters under
 * QEMU without KVM, where every clock follows the host's time and the one thing that
 * can spoil a measurement is the host descheduling the virtual CPU (or the virtual CPU
 * waiting for QEMU's device lock) between a port access and the TSC read next to it.
 * The calibration this replaced believed one 50 ms window with single TSC reads at its
 * ends; on a busy host it measured a 2445 MHz TSC at anything from 970 to 2854 MHz, and
 * `uptime` ran up to 2.5 times too fast.
 *
 * local_clock() counts from a base (a TSC value and the nanoseconds it stood for) at
 * the current rate; the refinement moves the base to the moment the rate changes, so
 * the clock goes on without a jump, as Linux's cyc2ns offset does.
 */
#include "arch/cpu.h"
#include "arch/io.h"
#include "arch/irq.h"
#include "arch/setup.h"
#include "arch/tsc.h"
#include "firmware/acpi.h"
#include "kernel/printk.h"

#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_GATE 0x61 /* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 output */
#define PIT_MODE_CH2_ONESHOT 0xb0 /* channel 2, lo/hi byte, mode 0 (interrupt on count) */
#define PIT_LATCH_CH2 0x80	  /* channel 2: latch the count for reading */

#define PIT_WINDOW_MS 10
#define PIT_MAX_WINDOWS 8
#define GOOD_PPM 500		/* what Linux's quick PIT calibration settles for */
#define PM_READ_TRIES 5		/* as many as Linux's tsc_read_refs() makes */
#define REFINE_MAX_MS 1000	/* the longest the refinement spins for precision */
#define REFINE_MAX_WINDOW_MS 3000 /* well inside one 4.68 s wrap of a 24-bit PM timer */
#define PPM 1000000ULL

u64 boot_tsc;
u64 tsc_khz;

/* local_clock() = clock_base_ns + tsc_cycles_to_ns(rdtsc() - clock_base_tsc, tsc_khz) */
static u64 clock_base_tsc, clock_base_ns;

/* What tsc_init() found, for tsc_print_calibration(). */
static struct {
	unsigned int windows;
	u64 ppm;
	bool failed;
} quick;

/* The refinement's first PM timer reading (tsc_refine_calibration_start()). */
static struct {
	u16 port;
	bool ext32;
	struct tsc_bracket at;
	u32 value;
} refine;

/* ---- the arithmetic (include/arch/tsc.h), also built for the host tests ---- */

static u64 div_round_up(u64 n, u64 d)
{
	return n / d + (n % d != 0);
}

struct tsc_range tsc_window_range(const struct tsc_window *w)
{
	struct tsc_range r = { 0, 0 };
	u64 ticks_lo = w->ref_ticks - MIN(w->ref_fuzz, w->ref_ticks);
	u64 ticks_hi = w->ref_ticks + w->ref_fuzz;
	u64 cycles_lo = w->end.lo > w->start.hi ? w->end.lo - w->start.hi : 0;
	u64 cycles_hi = w->end.hi - w->start.lo;

	if (!w->ref_ticks || w->end.hi <= w->start.lo)
		return r;
	/* cycles * ref_hz stays below 2^64 for windows up to ~100 s at 5 GHz. */
	r.lo = cycles_lo * w->ref_hz / (ticks_hi * 1000);
	r.hi = ticks_lo ? div_round_up(cycles_hi * w->ref_hz, ticks_lo * 1000) : ~0ULL;
	return r;
}

u64 tsc_range_khz(struct tsc_range r)
{
	return r.hi ? r.lo + (r.hi - r.lo) / 2 : 0;
}

u64 tsc_range_ppm(struct tsc_range r)
{
	u64 khz = tsc_range_khz(r);
	u64 half = r.hi - khz;

	if (!khz || half >= khz)
		return PPM;
	return div_round_up(half * PPM, khz);
}

bool tsc_range_intersect(struct tsc_range *acc, struct tsc_range r)
{
	if (!r.hi)
		return true;
	if (!acc->hi) {
		*acc = r;
		return true;
	}
	if (r.lo > acc->hi || r.hi < acc->lo) {
		if (r.hi - r.lo < acc->hi - acc->lo)
			*acc = r;
		return false;
	}
	acc->lo = MAX(acc->lo, r.lo);
	acc->hi = MIN(acc->hi, r.hi);
	return true;
}

u32 acpi_pm_ticks(u32 from, u32 to, bool ext32)
{
	return ext32 ? to - from : (to - from) & 0xffffff;
}

u64 tsc_cycles_to_ns(u64 cycles, u64 khz)
{
	if (!khz)
		return 0;
	/* Split the division so cycles * 10^6 cannot overflow however long we have run. */
	return cycles / khz * 1000000 + (cycles % khz) * 1000000 / khz;
}

/* ---- the quick calibration: PIT channel 2 ---- */

/* Channel 2's count now: latched by one port write (the bracketed instant), then read. */
static u16 pit_read_count(struct tsc_bracket *b)
{
	u8 lo, hi;

	b->lo = rdtsc();
	outb(PIT_LATCH_CH2, PIT_MODE);
	b->hi = rdtsc();
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return lo | hi << 8;
}

/*
 * One window of at least @ticks PIT ticks.  Channel 2 counts down from 0xffff, and its
 * count is read over and over, each read bracketed; of the reads in the first eighth
 * the one with the narrowest bracket starts the window, of those in the last eighth
 * the narrowest ends it (Linux's quick_pit_calibrate() also keeps only reads that came
 * fast).  A stall then spoils one read, not the window.  Returns 1, 0 if the count ran
 * out during a stall (the window is unusable: try another), or -1 if it never moved
 * before TSC @limit (no PIT).
 */
static int pit_window(u16 ticks, u64 limit, struct tsc_window *w)
{
	struct tsc_bracket b;
	u16 first, count, start_count, end_count = 0, elapsed;
	u64 end_width = ~0ULL;

	outb(PIT_MODE_CH2_ONESHOT, PIT_MODE);
	outb(0xff, PIT_CH2);
	outb(0xff, PIT_CH2);
	pit_read_count(&b); /* a real 8254 loads the count at its next clock edge: let it */
	first = start_count = pit_read_count(&w->start);
	do {
		count = pit_read_count(&b);
		elapsed = first - count;
		if (elapsed <= ticks / 8 && b.hi - b.lo < w->start.hi - w->start.lo) {
			w->start = b;
			start_count = count;
		}
		if (elapsed >= ticks - ticks / 8 && b.hi - b.lo < end_width) {
			w->end = b;
			end_width = b.hi - b.lo;
			end_count = count;
		}
		if (b.hi >= limit)
			return -1;
	} while (elapsed < ticks);
	/* Mode 0 wraps to 0xffff after 0 and raises the output: counts past it mean nothing. */
	if (inb(PIT_GATE) & 0x20)
		return 0;
	w->ref_ticks = (u16)(start_count - end_count);
	w->ref_hz = PIT_TICK_RATE;
	w->ref_fuzz = 1; /* two counts, each read at an instant between two ticks */
	return 1;
}

u64 tsc_init(void)
{
	struct tsc_window w;
	struct tsc_range rate = { 0, 0 };
	u16 ticks = PIT_TICK_RATE * PIT_WINDOW_MS / 1000;
	/* ~10^10 cycles: seconds on any CPU, so a missing PIT cannot hang us. */
	u64 limit = rdtsc() + 10000000000ULL;

	clock_base_tsc = boot_tsc;
	outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE); /* gate on, speaker off */
	while (quick.windows < PIT_MAX_WINDOWS && tsc_range_ppm(rate) > GOOD_PPM) {
		int ok = pit_window(ticks, limit, &w);

		if (ok < 0)
			break;
		quick.windows++;
		if (ok)
			tsc_range_intersect(&rate, tsc_window_range(&w));
	}
	if (!tsc_range_khz(rate)) {
		quick.failed = true;
		tsc_khz = 1000000;
		return tsc_khz;
	}
	quick.ppm = tsc_range_ppm(rate);
	tsc_khz = tsc_range_khz(rate);
	return tsc_khz;
}

void tsc_print_calibration(void)
{
	if (quick.failed) {
		pr_warn("tsc: PIT calibration failed, assuming 1000 MHz\n");
		return;
	}
	pr_info("tsc: Fast TSC calibration using PIT: %u window%s of %u ms, within %llu ppm\n",
		quick.windows, quick.windows == 1 ? "" : "s", PIT_WINDOW_MS, quick.ppm);
	pr_info("tsc: Detected %llu.%03llu MHz processor\n", tsc_khz / 1000, tsc_khz % 1000);
}

/* ---- the refinement: the ACPI PM timer ---- */

/*
 * Read the PM timer between two TSC reads, up to PM_READ_TRIES times, and keep the
 * tightest pair; stop early once a pair is within 2 microseconds.
 */
static u32 pm_timer_read(struct tsc_bracket *b)
{
	u64 good = tsc_khz * 2 / 1000;
	u32 value = 0;

	b->lo = 0;
	b->hi = ~0ULL;
	for (int i = 0; i < PM_READ_TRIES && b->hi - b->lo > good; i++) {
		u64 lo = rdtsc();
		u32 v = inl(refine.port);
		u64 hi = rdtsc();

		if (hi - lo < b->hi - b->lo) {
			b->lo = lo;
			b->hi = hi;
			value = v;
		}
	}
	return value;
}

void tsc_refine_calibration_start(void)
{
	const struct acpi_pm_info *pm = acpi_pm_info();

	refine.port = pm->pm_tmr;
	refine.ext32 = pm->pm_tmr_32bit;
	if (refine.port)
		refine.value = pm_timer_read(&refine.at);
}

/* The window from the start reading to a new one, read now. */
static void refine_window(struct tsc_window *w)
{
	u32 now = pm_timer_read(&w->end);

	w->start = refine.at;
	w->ref_ticks = acpi_pm_ticks(refine.value, now, refine.ext32);
	w->ref_hz = ACPI_PM_TIMER_HZ;
	w->ref_fuzz = 1;
}

/* Change the rate local_clock() counts at, keeping the time it has reached. */
static void tsc_set_khz(u64 khz)
{
	unsigned long flags = local_irq_save();
	u64 now = rdtsc();

	clock_base_ns += tsc_cycles_to_ns(now - clock_base_tsc, tsc_khz);
	clock_base_tsc = now;
	tsc_khz = khz;
	local_irq_restore(flags);
}

void tsc_refine_calibration(void)
{
	struct tsc_window w;
	u64 khz, ppm;

	if (!refine.port)
		return;
	refine_window(&w);
	/* Too long for a 24-bit counter to be trusted: start a fresh window now. */
	if (w.end.hi - w.start.lo > tsc_khz * REFINE_MAX_WINDOW_MS) {
		tsc_refine_calibration_start();
		refine_window(&w);
	}
	while (tsc_range_ppm(tsc_window_range(&w)) > GOOD_PPM &&
	       w.end.hi - w.start.lo < tsc_khz * REFINE_MAX_MS)
		refine_window(&w);
	refine.port = 0;
	khz = tsc_range_khz(tsc_window_range(&w));
	ppm = tsc_range_ppm(tsc_window_range(&w));
	if (!khz || (!quick.failed && ppm > quick.ppm)) {
		pr_warn("tsc: the PM timer measured no better than the PIT (within %llu ppm); "
			"keeping the PIT's rate\n", ppm);
		return;
	}
	tsc_set_khz(khz);
	pr_info("tsc: Refined TSC clocksource calibration: %llu.%03llu MHz "
		"(PM timer, %llu ms, within %llu ppm)\n", khz / 1000, khz % 1000,
		w.ref_ticks * 1000 / ACPI_PM_TIMER_HZ, ppm);
}

u64 local_clock(void)
{
	if (!tsc_khz)
		return 0;
	return clock_base_ns + tsc_cycles_to_ns(rdtsc() - clock_base_tsc, tsc_khz);
}
