/* SPDX-License-Identifier: MIT */
/*
 * The architecture's half of include/kernel/smp.h: how a CPU finds its own number.
 * One CPU runs pagelab until the application processors are brought up.
 */
#ifndef PAGELAB_ARCH_SMP_H
#define PAGELAB_ARCH_SMP_H

static inline unsigned int raw_smp_processor_id(void) { return 0; }

#endif
