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
#include "mm/mmzone.h"

/*
 * How much to ask for.  The tests get 16 TiB: Criterion's own start-up fails in a process
 * that holds 64 TiB of address space.  tools/mmsim defines host_phys_arena_max itself, to
 * the most pagelab's memory model describes (MAX_PHYSMEM_BITS: 64 TiB, Linux's 4-level
 * x86-64 limit) plus 1 GiB above it for the firmware's map.  Address space only: untouched
 * pages of the arena and of its vmemmap[] (48 bytes per 4 KiB frame) cost nothing.
 */
__attribute__((weak)) u64 host_phys_arena_max = 1ULL << 44;
#define HOST_PHYS_ARENA_MIN (1ULL << 32)

/*
 * Where to ask for it: just above 16 TiB, above the shadow memory AddressSanitizer keeps below
 * 0x10007fff8000 and far below its allocator (0x600000000000), the executable (0x55...)
 * and the libraries (0x7f...).  Left to itself the kernel places 64 TiB top-down from
 * the libraries, across the sanitizer allocator's range, which it later maps with
 * MAP_FIXED: the tests' process dies before main().  A hint is only a hint: if that
 * range is taken, mmap() picks another and the halving below still applies.
 */
#define HOST_PHYS_ARENA_HINT ((void *)0x100080000000ULL)

uintptr_t host_phys_arena;
struct page *host_vmemmap;
u64 host_phys_arena_size;

__attribute__((constructor)) static void host_phys_arena_init(void)
{
	for (u64 size = host_phys_arena_max; size >= HOST_PHYS_ARENA_MIN; size /= 2) {
		void *p = mmap(HOST_PHYS_ARENA_HINT, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		void *memmap;

		if (p == MAP_FAILED)
			continue;
		memmap = mmap((char *)p + size, (size >> PAGE_SHIFT) * sizeof(struct page), PROT_READ | PROT_WRITE,
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
