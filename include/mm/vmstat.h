/* SPDX-License-Identifier: MIT */
/*
 * Memory statistics and the /proc files that print them (mm/vmstat.c, mm/show_mem.c),
 * for the shell and the host tests.
 *
 * Two kinds of numbers, as in Linux:
 *   zone counters (zone->vm_stat, include/mm/mmzone.h): a state, e.g. NR_FREE_PAGES
 *   events (vm_event_states, per CPU): how often something happened, e.g. pgalloc_dma32
 *
 * Only what pagelab really tracks is printed; Linux's fields for page cache, swap,
 * reclaim and so on are left out rather than shown as zeros that look like measurements.
 */
#ifndef PAGELAB_MM_VMSTAT_H
#define PAGELAB_MM_VMSTAT_H

#include "kernel/smp.h"
#include "mm/mmzone.h"

struct seq_file;
struct page;

/* Events, in /proc/vmstat order.  PGALLOC_* are indexed by zone. */
enum vm_event_item {
	PGALLOC_DMA,
	PGALLOC_DMA32,
	PGALLOC_NORMAL,
	PGALLOC_HIGH,
	PGALLOC_MOVABLE,
	PGFREE,
	NR_VM_EVENT_ITEMS,
};
_Static_assert(PGALLOC_DMA + ZONE_MOVABLE == PGALLOC_MOVABLE, "PGALLOC_* follow the zones");

struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];
};

extern struct vm_event_state vm_event_states[NR_CPUS];

static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	vm_event_states[smp_processor_id()].event[item] += delta;
}

/* __count_zid_vm_events - count @delta pages of event PGALLOC (say) for zone @zid. */
#define __count_zid_vm_events(item, zid, delta) \
	count_vm_events((enum vm_event_item)(item##_DMA + (zid)), (delta))

/* all_vm_events - sum of @item over the CPUs. */
unsigned long all_vm_events(enum vm_event_item item);

/* global_zone_page_state - @item summed over every zone. */
unsigned long global_zone_page_state(enum zone_stat_item item);

/* zoneinfo_show - /proc/zoneinfo: free pages, watermarks, protection, spans, pagesets. */
void zoneinfo_show(struct seq_file *m);

/* buddyinfo_show - /proc/buddyinfo: free blocks per order, per populated zone. */
void buddyinfo_show(struct seq_file *m);

/* pagetypeinfo_show - /proc/pagetypeinfo: free blocks per order and migrate type; pageblocks per type. */
void pagetypeinfo_show(struct seq_file *m);

/* extfrag_show - debugfs extfrag/extfrag_index: fragmentation_index() per zone and order. */
void extfrag_show(struct seq_file *m);

/* vmstat_show - /proc/vmstat: the counters above, one "name value" per line. */
void vmstat_show(struct seq_file *m);

/* meminfo_show - /proc/meminfo: MemTotal, MemFree, MemAvailable, Slab (mm/show_mem.c). */
void meminfo_show(struct seq_file *m);

/* si_mem_available - Linux's MemAvailable estimate, in pages: free minus the reserves. */
long si_mem_available(void);

/*
 * __show_mem - the "Mem-Info:" block of an allocation-failure report (Linux's
 * show_free_areas and what follows), for zones up to @max_zone_idx, into the kernel log.
 */
void __show_mem(unsigned int filter, void *nodemask, int max_zone_idx);

/*
 * dump_page - describe @page as Linux's dump_page() does (refcount, mapcount, pfn, flags
 * by name, the raw words), then say in plain words who owns it (mm/debug.c).
 */
void dump_page(struct seq_file *m, const struct page *page);

#endif
