// SPDX-License-Identifier: MIT
/*
 * The host's vmemmap_populate().  vmemmap[] itself is one large MAP_NORESERVE mapping
 * made with the physical-memory arena (memory.c), so nothing needs mapping.  The memory
 * is still taken from memblock, as the kernel takes it, so the simulator and the tests
 * see the same "reserved" totals a real boot does.
 */
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

int vmemmap_populate(unsigned long start_pfn, unsigned long nr_pages)
{
	u64 start = ALIGN_DOWN((u64)start_pfn * sizeof(struct page), (u64)PAGE_SIZE);
	u64 end = ALIGN_UP((u64)(start_pfn + nr_pages) * sizeof(struct page), (u64)PAGE_SIZE);

	if (!memblock_phys_alloc(end - start, PAGE_SIZE))
		return -1;
	memmap_boot_pages_add((end - start) >> PAGE_SHIFT); /* as the kernel's counts them */
	return 0;
}
