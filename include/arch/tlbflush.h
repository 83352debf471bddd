/* SPDX-License-Identifier: MIT */
/*
 * TLB flushes of kernel mappings (kernel/arch/x86_64/tlb.c), with Linux's names.
 *
 * Every CPU caches translations of the kernel's addresses, and they are global pages,
 * which a CR3 load keeps.  So a change to a kernel mapping (a kmap slot reused, an
 * ioremap window) must be flushed on every online CPU, not just this one: the kernel-wide
 * flushes send a call-function IPI to the others (a "TLB shootdown", counted per CPU
 * in `cpus` as TLB) and wait until each has flushed.  Call with interrupts on when other
 * CPUs are online (a CPU waiting with interrupts off could deadlock with another doing
 * the same); with one CPU they are plain local flushes.
 */
#ifndef PAGELAB_ARCH_TLBFLUSH_H
#define PAGELAB_ARCH_TLBFLUSH_H

#include "types.h"

/* __flush_tlb_all - this CPU's whole TLB, global entries too (CR4.PGE toggled). */
void __flush_tlb_all(void);

/* __flush_tlb_one_kernel - this CPU's entry for kernel address @addr (invlpg). */
void __flush_tlb_one_kernel(unsigned long addr);

/* flush_tlb_all - every online CPU's whole TLB; returns when all have flushed. */
void flush_tlb_all(void);

/*
 * flush_tlb_kernel_range - every online CPU's entries for [@start, @end): page by page
 * up to 33 pages (Linux's tlb_single_page_flush_ceiling), the whole TLB above that.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

#endif
