// SPDX-License-Identifier: MIT
/*
 * The clock behind printk's timestamps: the TSC, counted from kernel entry and
 * calibrated once against the PIT, whose 1.193182 MHz input is the same on every PC.
 *
 * Calibration gates PIT channel 2 (the speaker channel, so no interrupt is involved),
 * loads it with 50 ms worth of ticks in one-shot mode and counts TSC cycles until its
 * output goes high - the method of Linux's pit_calibrate_tsc().  Under QEMU without KVM
 * both clocks follow the host's time, so the measured rate is the host TSC's.
 */
#include "arch/cpu.h"
#include "arch/io.h"
#include "arch/setup.h"
#include "kernel/printk.h"

#define PIT_TICK_RATE 1193182ULL
#define CALIBRATE_MS 50
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_GATE 0x61 /* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 output */

u64 boot_tsc;
u64 tsc_khz;

u64 tsc_init(void)
{
	u64 latch = PIT_TICK_RATE * CALIBRATE_MS / 1000;
	u64 t0, t1, limit;

	outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE); /* gate on, speaker off */
	outb(0xb0, PIT_MODE);                           /* channel 2, lo/hi byte, mode 0 */
	outb(latch & 0xff, PIT_CH2);
	outb(latch >> 8, PIT_CH2);

	/* Give up after ~10^10 cycles: seconds on any CPU, so a missing PIT cannot hang us. */
	t0 = rdtsc();
	limit = t0 + 10000000000ULL;
	do {
		t1 = rdtsc();
	} while (!(inb(PIT_GATE) & 0x20) && t1 < limit);

	if (t1 >= limit) {
		tsc_khz = 1000000;
		pr_warn("tsc: PIT calibration failed, assuming 1000 MHz\n");
	} else {
		tsc_khz = (t1 - t0) / CALIBRATE_MS;
	}
	return tsc_khz;
}

u64 local_clock(void)
{
	u64 delta;

	if (!tsc_khz)
		return 0;
	delta = rdtsc() - boot_tsc;
	/* Split the division so delta * 10^6 cannot overflow however long we have run. */
	return delta / tsc_khz * 1000000 + (delta % tsc_khz) * 1000000 / tsc_khz;
}
