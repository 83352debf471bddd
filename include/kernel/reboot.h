/* SPDX-License-Identifier: MIT */
/*
 * Restarting and switching off the machine: the shell's `reboot` and `poweroff`.
 * kernel/arch/x86_64/reboot.c tries every method a PC might honour, most polite first; the ACPI
 * parts need acpi_init() to have run, the others work without it.
 */
#ifndef PAGELAB_KERNEL_REBOOT_H
#define PAGELAB_KERNEL_REBOOT_H

#include "types.h"

/*
 * machine_restart - reset the machine: the ACPI reset register, then port 0xCF9, then
 * the keyboard controller, then a triple fault, with a short wait after each.  Never
 * returns: if even the triple fault did not reset the machine, this CPU halts.
 * Interrupts are disabled on entry.
 */
__noreturn void machine_restart(void);

/*
 * machine_power_off - switch the machine off through ACPI (S5).  Does not return on
 * success; otherwise returns acpi_poweroff()'s negative errno (-ENOENT: no usable
 * ACPI, -EIO: the write had no effect) with the machine still running normally.
 */
int machine_power_off(void);

#endif
