/* SPDX-License-Identifier: MIT */
/*
 * Physical <-> virtual conversion for the kernel's fixed layout (boot/boot_info.h).
 *
 *   __va(phys)  the direct-map address of a physical address (PAGE_OFFSET + phys)
 *   __pa(virt)  the inverse, for direct-map and kernel-image addresses alike
 *
 * The kernel image is not in the direct map's window, so __pa() looks at which window
 * the address falls in, as Linux's __phys_addr() does.  The host build replaces this
 * header with one whose "physical memory" is an arena inside the test process.
 */
#ifndef PAGELAB_ARCH_MEMORY_H
#define PAGELAB_ARCH_MEMORY_H

#include "boot/boot_info.h"
#include "types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_OFFSET PAGE_OFFSET_BASE

extern u64 phys_base; /* physical address of KERNEL_VIRT_BASE, from the loader */

/*
 * vmemmap[]: the struct page array, indexed by frame number, at Linux's VMEMMAP_START.
 * Only the parts for sections that hold RAM are mapped (mm/sparse.c).
 */
#define VMEMMAP_START 0xffffea0000000000ULL
struct page;
#define vmemmap ((struct page *)VMEMMAP_START)

static inline void *__va(phys_addr_t pa) { return (void *)(uintptr_t)(pa + PAGE_OFFSET); }

static inline phys_addr_t __pa(const void *va)
{
	uintptr_t x = (uintptr_t)va;

	if (x >= KERNEL_VIRT_BASE)
		return x - KERNEL_VIRT_BASE + phys_base;
	return x - PAGE_OFFSET;
}

#endif
