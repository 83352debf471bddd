// SPDX-License-Identifier: MIT
/*
 * The host's kmap hooks: there are no page tables to edit, so a test sees only which
 * slots mm/highmem.c hands out and takes back.  The last calls are recorded for tests.
 */
#include "mm/highmem.h"

u64 host_kmap_last_set, host_kmap_last_clear;
unsigned long host_kmap_last_pfn;

void arch_kmap_set(u64 vaddr, unsigned long pfn)
{
	host_kmap_last_set = vaddr;
	host_kmap_last_pfn = pfn;
}

void arch_kmap_clear(u64 vaddr)
{
	host_kmap_last_clear = vaddr;
}
