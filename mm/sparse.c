// SPDX-License-Identifier: MIT
/*
 * The sparse memory model with a virtually mapped memmap (Linux's SPARSEMEM_VMEMMAP).
 *
 * Physical memory is cut into 128 MiB sections.  struct page for frame N always lives at
 * vmemmap[N], so pfn_to_page() is one addition - but only the parts of vmemmap[] that
 * describe sections holding RAM are backed by memory:
 *
 *   physical   | RAM 0-2G        | PCI hole 2G-4G  | RAM 4G-6G        |
 *   vmemmap[]  | mapped (24 MiB) | not mapped      | mapped (24 MiB)  |
 *
 * So the cost of the memmap follows the RAM present, not the highest address, and a
 * hole of any size costs nothing.  Why not one flat array: a q35 machine with 8 GiB has
 * RAM up to 10 GiB; a flat memmap would spend 24 MiB on the 2 GiB hole alone.
 *
 * Runs once at boot, from paging_init(), after memblock knows the RAM and the kernel's
 * own page tables are live (vmemmap_populate() maps into them).
 */
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/mm.h"

/* The section map: bit N set when section N holds RAM and its memmap is backed. */
static u64 section_present[NR_MEM_SECTIONS / 64];

/*
 * Linux 6.18's pfn_valid() (include/linux/mmzone.h) also asks a section's subsection
 * map, for memory hot-plugged in 2 MiB pieces; sections present at boot ("early"
 * sections) answer for their whole span without it.  pagelab has no hot-plug, so every
 * section is an early one and one bit per section is the whole answer.  Any pfn may
 * come in - `page` passes what the user typed - so one beyond the map is simply invalid.
 */
bool pfn_valid(unsigned long pfn)
{
	unsigned long sec = pfn_to_section_nr(pfn);

	return sec < NR_MEM_SECTIONS && (section_present[sec / 64] >> (sec % 64)) & 1;
}

/* Mark the sections of [start, end) present and back their memmap; count new ones. */
static unsigned long populate_range(phys_addr_t start, phys_addr_t end)
{
	unsigned long first = pfn_to_section_nr(PFN_DOWN(start));
	unsigned long last = pfn_to_section_nr(PFN_UP(end) - 1), added = 0;

	for (unsigned long sec = first; sec <= last && sec < NR_MEM_SECTIONS; sec++) {
		if (pfn_valid(section_nr_to_pfn(sec)))
			continue; /* shared with the previous range */
		section_present[sec / 64] |= 1ULL << (sec % 64);
		if (vmemmap_populate(section_nr_to_pfn(sec), PAGES_PER_SECTION))
			panic("sparse_init: no memory for the memmap of section %lu", sec);
		added++;
	}
	return added;
}

void sparse_init(void)
{
	unsigned long nr_sections = 0;
	struct memblock_region *r;

	for_each_mem_region(r)
		if (r->size)
			nr_sections += populate_range(r->base, r->base + r->size);
	pr_info("sparse: %lu sections of %lu MiB present, memmap %lu KiB (%zu bytes per page)\n",
		nr_sections, (unsigned long)(PAGES_PER_SECTION * PAGE_SIZE >> 20),
		(unsigned long)(nr_sections * PAGES_PER_SECTION * sizeof(struct page) >> 10),
		sizeof(struct page));
}
