/*
 * Host stand-in for include/arch/memory.h.  A host test has no physical memory, so a
 * "physical address" is simply a pointer cast to phys_addr_t: tests build firmware
 * tables in an ordinary array and hand the code under test (phys_addr_t)(uintptr_t)p.
 */
#ifndef PAGELAB_HOST_ARCH_MEMORY_H
#define PAGELAB_HOST_ARCH_MEMORY_H

#include "types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

static inline void *__va(phys_addr_t pa) { return (void *)(uintptr_t)pa; }
static inline phys_addr_t __pa(const void *va) { return (phys_addr_t)(uintptr_t)va; }

#endif
