// SPDX-License-Identifier: MIT
/*
 * The host's physical memory (see tests/host/include/arch/memory.h): one mapping, made
 * before main() by a constructor, that stands for physical addresses 0 .. size.
 *
 * MAP_NORESERVE lets it be far larger than the machine's RAM: untouched pages cost
 * nothing.  If the kernel refuses that much address space (vm.overcommit_memory=2), the
 * size is halved until it fits; host_phys_arena_size tells the code how much there is.
 * Criterion forks every test from the process that made the mapping, so each test sees
 * fresh zero pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "arch/memory.h"
#include "mm/mm_types.h"

/*
 * How much to ask for.  The tests get 16 TiB, plenty for a 2 TiB map: Criterion's own
 * start-up fails ("Could not initialize test context") in a process that holds 64 TiB of
 * address space, under AddressSanitizer at least (32 TiB still worked).  tools/mmsim
 * defines host_phys_arena_max itself, to the most pagelab's memory model describes
 * (MAX_PHYSMEM_BITS: 64 TiB, Linux's 4-level x86-64 limit) plus 1 GiB above it for the
 * firmware's map.  Address space only: untouched pages of the arena and of its vmemmap[]
 * (48 bytes per 4 KiB frame) cost nothing.
 */
__attribute__((weak)) u64 host_phys_arena_max = 1ULL << 44;
#define HOST_PHYS_ARENA_MIN (1ULL << 32)

uintptr_t host_phys_arena;
struct page *host_vmemmap;
u64 host_phys_arena_size;

__attribute__((constructor)) static void host_phys_arena_init(void)
{
	for (u64 size = host_phys_arena_max; size >= HOST_PHYS_ARENA_MIN; size /= 2) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		void *memmap;

		if (p == MAP_FAILED)
			continue;
		memmap = mmap(NULL, (size >> PAGE_SHIFT) * sizeof(struct page), PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (memmap == MAP_FAILED) {
			munmap(p, size);
			continue;
		}
		host_phys_arena = (uintptr_t)p;
		host_phys_arena_size = size;
		host_vmemmap = memmap;
		return;
	}
	fprintf(stderr, "host: cannot map %llu bytes for physical memory\n", HOST_PHYS_ARENA_MIN);
	abort();
}
