/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's set-up and tuning (mm/page_alloc.c): the boot-time steps that
 * turn zones full of free pages into an allocator with watermarks and per-cpu lists,
 * and the numbers those steps compute.  Allocation itself is include/mm/gfp.h.
 *
 * Boot order (mm_core_init in mm/mm_init.c):
 *
 *   build_all_zonelists()               "Built 1 zonelists, mobility grouping on ..."
 *   mem_debugging_and_hardening_init()  page_poison=1 from the command line
 *   memblock_free_all()                 every free page -> the buddy lists
 *   setup_per_cpu_pageset()             per-cpu lists get their batch and high
 *   init_per_zone_wmark_min()           min_free_kbytes -> watermarks, lowmem_reserve
 */
#ifndef PAGELAB_MM_PAGE_ALLOC_H
#define PAGELAB_MM_PAGE_ALLOC_H

#include "mm/mmzone.h"

/* Tunables, with Linux's defaults and names (/proc/sys/vm/...). */
extern int min_free_kbytes;               /* sqrt(lowmem KiB * 16), 128 .. 262144 */
extern int watermark_scale_factor;        /* 10: watermark gaps are 0.1% of the zone */
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES]; /* 256 256 32 0 0 */
extern unsigned long totalreserve_pages;  /* kept back in every zone: high + lowmem_reserve */
extern int page_group_by_mobility_disabled; /* too little memory to group by migrate type */

/*
 * nr_bad_pages - "BUG: Bad page state" reports so far.  Linux taints the kernel instead;
 * a count lets the shell and the tests see whether a free they asked for was refused.
 */
extern unsigned long nr_bad_pages;

/* zone_pcp_init - empty per-cpu lists that drain at once, until setup_per_cpu_pageset(). */
void zone_pcp_init(struct zone *zone);

/* build_all_zonelists - decide mobility grouping and say so, as Linux's boot log does. */
void build_all_zonelists(pg_data_t *pgdat);

/*
 * early_page_poison_param - the handler of page_poison= (kernel/params.c): a yes or no
 * as kstrtobool() reads it.  Returns 0, or -EINVAL with the setting unchanged.
 */
int early_page_poison_param(const char *val);

/* mem_debugging_and_hardening_init - page_poison=1 on the command line switches poisoning on. */
void mem_debugging_and_hardening_init(void);

/* setup_per_cpu_pageset - give each populated zone's per-cpu lists their batch and high. */
void setup_per_cpu_pageset(void);

/*
 * For the CPU bring-up code (Linux's CPU hotplug callbacks of mm/page_alloc.c and
 * mm/vmstat.c), process context, interrupts on:
 *   page_alloc_cpu_online(cpu)  before @cpu is marked online: every zone's per-cpu high
 *                               is shared among one more CPU; the vm stats thresholds
 *                               follow the new count
 *   page_alloc_cpu_dead(cpu)    after @cpu stopped for good: its per-cpu lists are
 *                               drained and its counter diffs folded, from this CPU
 */
void page_alloc_cpu_online(unsigned int cpu);
void page_alloc_cpu_dead(unsigned int cpu);

/*
 * init_per_zone_wmark_min - compute min_free_kbytes from the managed memory, then every
 * zone's watermarks, lowmem_reserve and per-cpu high.  Call once the zones have their
 * managed pages (after memblock_free_all()).
 */
void init_per_zone_wmark_min(void);

/* setup_per_zone_wmarks - recompute the watermarks from min_free_kbytes and the scale factor. */
void setup_per_zone_wmarks(void);

/* setup_per_zone_lowmem_reserve - recompute lowmem_reserve from sysctl_lowmem_reserve_ratio. */
void setup_per_zone_lowmem_reserve(void);

/*
 * zone_watermark_ok - whether @z has more than @mark free pages for an order-@order
 * request that may use zones up to @highest_zoneidx (so lowmem_reserve applies), with
 * @alloc_flags' reserve rights, and a free block of at least that order.
 */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);

/* zone_pcp_count - pages on all CPUs' per-cpu lists of @zone. */
unsigned long zone_pcp_count(const struct zone *zone);

/* page_on_pcp_list - whether @page heads a block on a per-cpu list (walks them: for dump_page). */
bool page_on_pcp_list(const struct page *page);

/*
 * fragmentation_index - Linux's extfrag index of @zone for an order-@order request, in
 * thousandths: -1000 if a large enough block is free (the request would not fail);
 * otherwise 0 .. 1000, towards 0 when it would fail for lack of memory, towards 1000
 * when for fragmentation (free memory in blocks too small).
 */
int fragmentation_index(struct zone *zone, unsigned int order);

#endif
