/* SPDX-License-Identifier: MIT */
/* What start_kernel() learned from the loader, for the rest of the kernel to read. */
#ifndef PAGELAB_KERNEL_SETUP_H
#define PAGELAB_KERNEL_SETUP_H

#include "boot/boot_info.h"

extern const struct boot_info *boot_info; /* validated, through the direct map */
extern const char *boot_command_line;     /* never NULL; "" when there is none */
extern const char pagelab_banner[];       /* "pagelab version ..." as /proc/version */

/* start_kernel - the C entry point, called by head.S.  Never returns. */
__noreturn void start_kernel(u64 boot_info_phys);

#endif
