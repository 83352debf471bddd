/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for include/arch/memory.h: "physical memory" is an arena in the test
 * process, so kernel code that converts with __va()/__pa() runs unchanged.
 *
 *   physical address P  <->  host address host_phys_arena + P
 *
 * The arena is one large MAP_NORESERVE mapping made before main() (tests/host/memory.c):
 * only the pages something touches use memory, so physical addresses can be realistic
 * (tables at 0x7fe00000, RAM above 4 GiB, zone boundaries at 16 MiB and 4 GiB) while a
 * test uses a few pages.  host_phys_arena_size says how far it reaches; memblock
 * allocations must stay below it (tests set memblock's current_limit accordingly).
 */
#ifndef PAGELAB_HOST_ARCH_MEMORY_H
#define PAGELAB_HOST_ARCH_MEMORY_H

#include "types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

extern uintptr_t host_phys_arena;  /* host address of physical address 0 */
extern u64 host_phys_arena_size;   /* bytes of physical address space behind it */
extern u64 host_phys_arena_max;    /* what to ask for; a program may define its own */

/*
 * vmemmap[]: the struct page array, indexed by frame number.  The kernel maps only the
 * sections that hold RAM (vmemmap_populate); the host reserves address space for all of
 * the arena's frames at once and lets untouched pages cost nothing.
 */
struct page;
extern struct page *host_vmemmap;
#define vmemmap host_vmemmap

/* Integer arithmetic on purpose: __va() of an address outside the arena is only a number. */
static inline void *__va(phys_addr_t pa) { return (void *)(host_phys_arena + (uintptr_t)pa); }
static inline phys_addr_t __pa(const void *va) { return (uintptr_t)va - host_phys_arena; }

#endif
