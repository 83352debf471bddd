/* SPDX-License-Identifier: MIT */
/*
 * memblock: the boot-time memory manager, with Linux's names, structures and behaviour
 * (include/linux/memblock.h, mm/memblock.c).  The guide is docs/mm/memblock.md.
 *
 * memblock knows physical memory as two sorted arrays of half-open ranges [base, base+size):
 *
 *   memblock.memory    all RAM the firmware map offers (memblock_add)
 *   memblock.reserved  what is in use: the kernel, the loader's data, low memory, and every
 *                      allocation made so far (memblock_reserve, memblock_alloc*)
 *
 * Free memory is "in memory and not in reserved"; an allocation finds such a range (top
 * down from memblock.current_limit unless memblock_set_bottom_up(true)) and reserves it.
 * Neighbouring regions with the same node and flags are merged, so the arrays stay short.
 * Each array starts as a static table of 128 entries and doubles (allocating from
 * memblock itself) when it fills.
 *
 * Valid from start_kernel() on, single-threaded (there are no locks), until the page
 * allocator takes over the free memory (memblock_free_all(), from mm_core_init()).
 * Callers: kernel/arch/x86_64/memory_setup.c and firmware/e820.c at boot, the shell's `memblock`
 * command, tools/mmsim and the host tests.
 */
#ifndef PAGELAB_MM_MEMBLOCK_H
#define PAGELAB_MM_MEMBLOCK_H

#include "mm/numa.h"
#include "types.h"

#define INIT_MEMBLOCK_REGIONS 128
#define INIT_MEMBLOCK_RESERVED_REGIONS INIT_MEMBLOCK_REGIONS

#define PHYS_ADDR_MAX (~(phys_addr_t)0)

/* Upper bounds an allocation may name instead of an address. */
#define MEMBLOCK_ALLOC_ANYWHERE (~(phys_addr_t)0) /* no limit at all */
#define MEMBLOCK_ALLOC_ACCESSIBLE 0               /* up to memblock.current_limit */
#define MEMBLOCK_ALLOC_NOLEAKTRACE 1              /* the same, for Linux's kmemleak */
#define MEMBLOCK_LOW_LIMIT 0                      /* lower bound: anywhere */

/* The alignment Linux uses when a caller passes 0 (x86: the cache line). */
#define SMP_CACHE_BYTES 64

enum memblock_flags {
	MEMBLOCK_NONE = 0x0,           /* nothing special */
	MEMBLOCK_HOTPLUG = 0x1,        /* hot-removable memory */
	MEMBLOCK_MIRROR = 0x2,         /* mirrored (reliable) memory */
	MEMBLOCK_NOMAP = 0x4,          /* not to be put in the direct map */
	MEMBLOCK_DRIVER_MANAGED = 0x8, /* always detected by a driver */
	MEMBLOCK_RSRV_NOINIT = 0x10,   /* reserved, struct pages left uninitialised */
	MEMBLOCK_RSRV_KERN = 0x20,     /* reserved for the kernel's own use (Linux 6.16 on) */
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
	int nid; /* node, or MAX_NUMNODES while no node is assigned */
};

struct memblock_type {
	unsigned long cnt;       /* regions in use; 0 when empty (Linux 6.11 on) */
	unsigned long max;       /* capacity of @regions */
	phys_addr_t total_size;  /* sum of all region sizes */
	struct memblock_region *regions;
	const char *name;        /* "memory" or "reserved", for messages */
};

struct memblock {
	bool bottom_up;            /* allocate from low addresses up (default: top down) */
	phys_addr_t current_limit; /* MEMBLOCK_ALLOC_ACCESSIBLE allocations stay below it */
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/* ---- registering memory and reservations ---- */

/*
 * memblock_add_node - add [@base, @base + @size) to memblock.memory on node @nid with
 * @flags.  Overlaps with regions already there are allowed (only the missing parts are
 * added); a size running past the end of the address space is clipped.  Returns 0, or
 * -ENOMEM if the region array could not grow.
 */
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags);

/* memblock_add - memblock_add_node() with no node yet (MAX_NUMNODES) and no flags. */
int memblock_add(phys_addr_t base, phys_addr_t size);

/*
 * memblock_remove - take [@base, @base + @size) out of memblock.memory, splitting regions
 * that straddle its ends.  Returns 0, or -ENOMEM if a split needed room that was not there.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size);

/*
 * __memblock_reserve - mark [@base, @base + @size) as in use: add it to memblock.reserved
 * (which need not lie inside memblock.memory) on @nid with @flags; only regions of equal
 * flags and node merge.  Same rules and returns as memblock_add().  memblock=debug logs
 * it with its node, flags and caller, as Linux 6.16 and later do.
 */
int __memblock_reserve(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags);

/* memblock_reserve - reserve for someone else's use: firmware, loader data, low memory. */
static __always_inline int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return __memblock_reserve(base, size, MAX_NUMNODES, MEMBLOCK_NONE);
}

/*
 * memblock_reserve_kern - reserve for the kernel itself (its image; every memblock
 * allocation does the same): MEMBLOCK_RSRV_KERN, so such regions never merge with plain
 * reservations (Linux 6.16 on, which keeps them apart for kexec handover).
 */
static __always_inline int memblock_reserve_kern(phys_addr_t base, phys_addr_t size)
{
	return __memblock_reserve(base, size, NUMA_NO_NODE, MEMBLOCK_RSRV_KERN);
}

/*
 * memblock_phys_free - give back [@base, @base + @size) reserved earlier: remove it from
 * memblock.reserved.  Returns 0 or -ENOMEM as memblock_remove().
 */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

/* memblock_free - memblock_phys_free() for memory known by its direct-map address. */
void memblock_free(void *ptr, size_t size);

/*
 * memblock_set_node - put the regions of @type inside [@base, @base + @size) on node @nid,
 * splitting those that straddle the ends.  Returns 0 or -ENOMEM.
 */
int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid);

/*
 * memblock_trim_memory - shrink every memory region to whole multiples of @align (a power
 * of two), dropping regions that hold no whole unit.  Linux calls it with PAGE_SIZE to
 * throw away the partial pages a firmware map may describe.  total_size follows the
 * regions (Linux 6.18's keeps counting the trimmed bytes: see mm/memblock.c).
 */
void memblock_trim_memory(phys_addr_t align);

/* ---- allocating ---- */

/*
 * memblock_phys_alloc_range - find @size free bytes aligned to @align (a power of two;
 * 0 means SMP_CACHE_BYTES) inside [@start, @end), reserve and return their physical
 * address.  @end may be MEMBLOCK_ALLOC_ACCESSIBLE (up to current_limit) or an address,
 * even one above current_limit, as in Linux.  Page 0 is never returned.  The memory is
 * not zeroed.  Returns 0 when nothing fits.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end);

/* memblock_phys_alloc_try_nid - memblock_phys_alloc() preferring node @nid. */
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);

/*
 * memblock_alloc_try_nid - allocate @size bytes aligned to @align, preferably on node @nid
 * (NUMA_NO_NODE: any) and preferably at or above @min_addr, below @max_addr (clamped to
 * current_limit, so the memory is always in the direct map).  If nothing fits above
 * @min_addr the lower bound is dropped, as in Linux.  Returns the direct-map address of
 * the zeroed memory, or NULL when nothing fits: only Linux's *_or_panic helpers panic.
 */
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid);

/*
 * memblock_alloc_try_nid_raw - memblock_alloc_try_nid() without zeroing: the memory holds
 * whatever was there.  As in Linux 6.18, where the 0xff poisoning that 4.x-5.14 did here
 * under CONFIG_DEBUG_VM moved to memmap_alloc() (the struct page arrays only).
 */
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid);

/*
 * The everyday allocators, defined on the ones above as Linux's inline helpers are.
 * They are always inlined so that memblock=debug, which prints the return address of
 * memblock_alloc_try_nid() and friends, names the function that asked for the memory
 * rather than the helper.
 */

/* memblock_phys_alloc - a physical address, anywhere below current_limit (0: none). */
static __always_inline phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}

/* memblock_alloc - zeroed memory by its direct-map address, or NULL. */
static __always_inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE,
				      NUMA_NO_NODE);
}

/* memblock_alloc_from - memblock_alloc(), preferably at or above @min_addr. */
static __always_inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align,
						 phys_addr_t min_addr)
{
	return memblock_alloc_try_nid(size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE,
				      NUMA_NO_NODE);
}

/* memblock_alloc_raw - memblock_alloc() without zeroing. */
static __always_inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT,
					  MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

/* ---- settings ---- */

/* memblock_set_bottom_up - allocate from low addresses up (true) or top down (false). */
static inline void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

/* memblock_bottom_up - whether allocations go bottom up. */
static inline bool memblock_bottom_up(void)
{
	return memblock.bottom_up;
}

/* memblock_set_current_limit - keep MEMBLOCK_ALLOC_ACCESSIBLE allocations below @limit. */
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);

/*
 * memblock_allow_resize - from now on a full region array may double.  Before this call
 * memblock cannot know which memory is safe to put the new array in, so a full array is
 * a panic, as in Linux.
 */
void memblock_allow_resize(void);

/* ---- questions ---- */

/* memblock_overlaps_region - whether any region of @type meets [@base, @base + @size). */
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size);

/* memblock_is_region_reserved - whether [@base, @base + @size) meets a reservation. */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);

/* memblock_is_region_memory - whether [@base, @base + @size) lies inside one memory region. */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);

/* memblock_is_memory, memblock_is_reserved - whether the byte at @addr is RAM / reserved. */
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_reserved(phys_addr_t addr);

/* Totals and bounds: bytes of RAM, bytes reserved, lowest and end of highest RAM. */
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);

/* ---- walking the regions ---- */

/*
 * __next_mem_range - the step behind the for_each_* iterators below: the next range, from
 * *@idx on, of @type_a that is not in @type_b (NULL: every region of @type_a), on node
 * @nid (NUMA_NO_NODE: any), honouring @flags (NOMAP and DRIVER_MANAGED regions are
 * skipped unless asked for).  Sets *@idx to ~0ULL when there are no more.
 * *@idx packs two indices: the low 32 bits in @type_a, the high 32 bits in the gaps of
 * @type_b.  __next_mem_range_rev walks from the top down.
 */
void __next_mem_range(u64 *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);
void __next_mem_range_rev(u64 *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);

#define __for_each_mem_range(i, type_a, type_b, nid, flags, p_start, p_end, p_nid)          \
	for (i = 0, __next_mem_range(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid); \
	     i != ~0ULL;                                                        \
	     __next_mem_range(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid))

#define __for_each_mem_range_rev(i, type_a, type_b, nid, flags, p_start, p_end, p_nid)   \
	for (i = ~0ULL,                                                         \
	    __next_mem_range_rev(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid);  \
	     i != ~0ULL;                                                        \
	     __next_mem_range_rev(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid))

/* for_each_mem_range - every memory region as [*p_start, *p_end); i is a u64. */
#define for_each_mem_range(i, p_start, p_end)                                          \
	__for_each_mem_range(i, &memblock.memory, NULL, NUMA_NO_NODE,                  \
			     MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED, p_start, p_end, NULL)

/* for_each_reserved_mem_range - every reserved region as [*p_start, *p_end). */
#define for_each_reserved_mem_range(i, p_start, p_end)                                   \
	__for_each_mem_range(i, &memblock.reserved, NULL, NUMA_NO_NODE, MEMBLOCK_NONE, \
			     p_start, p_end, NULL)

/* for_each_free_mem_range(_reverse) - every range in memory and not reserved. */
#define for_each_free_mem_range(i, nid, flags, p_start, p_end, p_nid) \
	__for_each_mem_range(i, &memblock.memory, &memblock.reserved, nid, flags, p_start, p_end, p_nid)
#define for_each_free_mem_range_reverse(i, nid, flags, p_start, p_end, p_nid)             \
	__for_each_mem_range_rev(i, &memblock.memory, &memblock.reserved, nid, flags, p_start, \
				 p_end, p_nid)

/* for_each_mem_region, for_each_reserved_mem_region - the region structs themselves. */
#define for_each_mem_region(region)                              \
	for (region = memblock.memory.regions;                   \
	     region < memblock.memory.regions + memblock.memory.cnt; region++)
#define for_each_reserved_mem_region(region)                       \
	for (region = memblock.reserved.regions;                   \
	     region < memblock.reserved.regions + memblock.reserved.cnt; region++)

/* ---- printing ---- */

struct seq_file;

/*
 * memblock_debug_show - print @type one region per line, as Linux's debugfs files
 * /sys/kernel/debug/memblock/{memory,reserved} do:
 *   "   0: 0x0000000000001000..0x000000000009ffff    0 NONE"  (index, inclusive range,
 * node or 'x' when none is assigned, the first flag's name).
 */
void memblock_debug_show(struct seq_file *m, struct memblock_type *type);

/*
 * memblock_debugfs_show - both debugfs files, each under the header `head` prints for
 * several files ("==> /sys/kernel/debug/memblock/memory <=="), so the output reads like
 * `sudo head -n 999 /sys/kernel/debug/memblock/{memory,reserved}` on a Linux machine.
 */
void memblock_debugfs_show(struct seq_file *m);

/*
 * memblock_dump - print the configuration as Linux's memblock=debug does ("MEMBLOCK
 * configuration:", the sizes, then each region).  memblock_dump_all prints it to the
 * kernel log if memblock=debug is on; __memblock_dump_all always does.
 */
void memblock_dump(struct seq_file *m);
void memblock_dump_all(void);
void __memblock_dump_all(void);

/*
 * early_memblock - apply "memblock=..." from @cmdline: "memblock=debug" makes every
 * memblock call log a line naming its caller by return address (%pS), as in Linux:
 *   memblock_reserve: [0x0000000001000000-0x00000000011fffff] early_reserve_memory+0x50/0xbc
 * Returns whether debugging is now on.
 */
bool early_memblock(const char *cmdline);

#endif
