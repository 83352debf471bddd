// SPDX-License-Identifier: MIT
/*
 * reboot.c - restart or power off the machine, called by the shell's `reboot` and
 * `poweroff` commands.
 *
 * There is no single reset mechanism that every PC honours, so machine_restart()
 * walks a list, from the one the firmware asked for to the one that cannot fail:
 *
 *   1. ACPI reset register   what the FADT says to use; the firmware knows its board
 *   2. port 0xCF9            the chipset's Reset Control Register (Intel since PIIX)
 *   3. keyboard controller   the 8042 drives the CPU's reset line (every PC since the AT)
 *   4. triple fault          the CPU itself gives up and signals shutdown; the board
 *                            turns that into a reset
 *
 * Each is followed by a short wait, because a reset request takes effect
 * asynchronously (QEMU, for one, finishes the current instruction block first).
 * Powering off has only one method on a PC, ACPI's S5 state; see firmware/acpi.c.
 *
 * Nothing here reads firmware tables itself: the only table-derived input is what
 * acpi_init() already validated.
 */
#define pr_fmt(fmt) "reboot: " fmt

#include "arch/cpu.h"
#include "arch/io.h"
#include "arch/setup.h"
#include "firmware/acpi.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"

#define PCI_RESET_CONTROL 0xcf9
#define RCR_SYS_RST 0x02	/* full reset (power cycle the board), not just the CPU */
#define RCR_RST_CPU 0x04	/* the reset happens on this bit's 0 -> 1 edge */

#define I8042_STATUS 0x64	/* read: status; write: command */
#define I8042_STATUS_IBF 0x02	/* input buffer full: our last byte not taken yet */
#define I8042_CMD_PULSE_RESET 0xfe /* pulse output line 0, wired to the CPU's RESET# */

/*
 * Busy-wait about @ms milliseconds on the TSC.  Before tsc_init() (or if calibration
 * failed) tsc_khz may be 0; assume 1 GHz then, which only makes the wait longer on
 * faster CPUs.
 */
static void mdelay(unsigned int ms)
{
	u64 khz = tsc_khz ? tsc_khz : 1000000;
	u64 start = rdtsc();

	while (rdtsc() - start < khz * ms)
		cpu_relax();
}

/*
 * PIIX3/PIIX4 and every ICH/PCH since (so both QEMU machines, -machine pc and q35)
 * decode port 0xCF9.  Write the reset type first, then set RST_CPU: the chipset acts
 * on the rising edge, so writing both bits at once is not guaranteed to work.
 */
static void reset_via_cf9(void)
{
	outb(RCR_SYS_RST, PCI_RESET_CONTROL);
	mdelay(1);
	outb(RCR_SYS_RST | RCR_RST_CPU, PCI_RESET_CONTROL);
}

/*
 * The AT's trick, still emulated by most chipsets' embedded controllers and by QEMU's
 * i8042 on both machines: the keyboard controller can pull the CPU's reset line.  It
 * only takes a command once its input buffer is empty; a missing controller reads as
 * 0xFF (always busy), so the wait is bounded and the write is harmless.
 */
static void reset_via_kbd(void)
{
	int i;

	for (i = 0; i < 100 && (inb(I8042_STATUS) & I8042_STATUS_IBF); i++)
		mdelay(1);
	outb(I8042_CMD_PULSE_RESET, I8042_STATUS);
}

/*
 * With an IDT of limit 0 no vector can be delivered: int3 raises #GP, #GP cannot be
 * delivered either so the CPU raises #DF, and failing that it shuts down (a triple
 * fault).  Chipsets reset on shutdown; QEMU resets too, or exits with -no-reboot.
 */
static __noreturn void reset_via_triple_fault(void)
{
	static const struct {
		u16 limit;
		u64 base;
	} __packed no_idt = { 0, 0 };

	__asm__ volatile("lidt %0\n\tint3" : : "m"(no_idt) : "memory");
	halt_forever();
}

void machine_restart(void)
{
	/* A timer or serial interrupt now would only run code we are about to abandon. */
	cli();

	if (acpi_pm_info()->have_reset) {
		pr_info("trying the ACPI reset register\n");
		acpi_reset();
		mdelay(50);
	}

	pr_info("trying the reset control register at port 0xcf9\n");
	reset_via_cf9();
	mdelay(50);

	pr_info("trying the keyboard controller\n");
	reset_via_kbd();
	mdelay(50);

	pr_info("trying a triple fault\n");
	reset_via_triple_fault();
}

int machine_power_off(void)
{
	return acpi_poweroff();
}
