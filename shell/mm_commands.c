// SPDX-License-Identifier: MIT
/*
 * Commands about the physical memory model: zones, struct pages, page tables and the
 * physical address map.  zoneinfo, ptdump and iomem are views, rows of their own in
 * shell/commands.c (zoneinfo_show, ptdump_show, iomem_show); page and vtop parse an
 * address first.  The printing lives with the data (mm/vmstat.c, mm/debug.c,
 * kernel/arch/x86_64/dump_pagetables.c, kernel/resource.c).
 */
#include "arch/pgtable.h"
#include "lib/seq_file.h"
#include "mm/mm.h"
#include "mm/vmstat.h"
#include "shell/args.h"
#include "shell/mm_commands.h"

int cmd_page(struct seq_file *m, int argc, char **argv)
{
	u64 pfn;

	(void)argc; /* the table's .min_args = 1 guarantees argv[1] */
	if (arg_u64(m, "page", "frame number", argv[1], &pfn))
		return 1;
	if (!pfn_valid(pfn)) {
		seq_printf(m, "page: pfn %#llx has no struct page (no RAM in its %lu MiB section)\n",
			   pfn, (unsigned long)(PAGES_PER_SECTION >> 8));
		return 1;
	}
	dump_page(m, pfn_to_page(pfn));
	return 0;
}

int cmd_vtop(struct seq_file *m, int argc, char **argv)
{
	u64 va;

	(void)argc; /* the table's .min_args = 1 guarantees argv[1] */
	if (arg_u64(m, "vtop", "address", argv[1], &va))
		return 1;
	vtop_show(m, va);
	return 0;
}
