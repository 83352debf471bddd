/*
 * /proc/zoneinfo and /proc/buddyinfo, in Linux's layouts (6.x), for the shell commands
 * of the same names.  Fields pagelab does not track (per-node page-cache counters,
 * pagesets before the per-CPU lists exist) are left out rather than printed as zeros
 * that would look like measurements.
 */
#include "lib/seq_file.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

static unsigned long zone_free_pages(const struct zone *z)
{
	unsigned long n = 0;

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		n += z->free_area[o].nr_free << o;
	return n;
}

/* Zones a student would expect in /proc on this layout: HighMem only when it exists. */
static bool zone_shown(const struct zone *z)
{
	/* Each layout shows the zones its Linux has: no HighMem on x86-64, no DMA32 on x86-32. */
	if (!z->name)
		return false;
	if (z - z->zone_pgdat->node_zones == ZONE_HIGHMEM)
		return zone_layout == ZONES_X86_32;
	return z - z->zone_pgdat->node_zones != ZONE_DMA32 || zone_layout != ZONES_X86_32;
}

void zoneinfo_show(struct seq_file *m)
{
	const struct zone *z;

	for_each_zone(z) {
		if (!zone_shown(z))
			continue;
		seq_printf(m, "Node %d, zone %8s", z->zone_pgdat->node_id, z->name);
		seq_printf(m, "\n  pages free     %lu"
			      "\n        boost    %lu"
			      "\n        min      %lu"
			      "\n        low      %lu"
			      "\n        high     %lu"
			      "\n        spanned  %lu"
			      "\n        present  %lu"
			      "\n        managed  %lu"
			      "\n        cma      %lu",
			   zone_free_pages(z), 0UL, z->_watermark[WMARK_MIN], z->_watermark[WMARK_LOW],
			   z->_watermark[WMARK_HIGH], z->spanned_pages, z->present_pages,
			   z->managed_pages, 0UL);
		seq_printf(m, "\n      nr_free_pages %lu", zone_free_pages(z));
		seq_printf(m, "\n  start_pfn:           %lu\n", z->zone_start_pfn);
	}
}

void buddyinfo_show(struct seq_file *m)
{
	const struct zone *z;

	for_each_zone(z) {
		if (!populated_zone(z))
			continue;
		seq_printf(m, "Node %d, zone %8s ", z->zone_pgdat->node_id, z->name);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			seq_printf(m, "%6lu ", z->free_area[o].nr_free);
		seq_putc(m, '\n');
	}
}
