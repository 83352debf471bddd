/*
 * The host's vmemmap_populate(): vmemmap[] is one large MAP_NORESERVE mapping made with
 * the physical-memory arena (memory.c), so there is nothing to map - pages appear when
 * first touched.
 */
#include "mm/mm.h"

int vmemmap_populate(unsigned long start_pfn, unsigned long nr_pages)
{
	(void)start_pfn, (void)nr_pages;
	return 0;
}
