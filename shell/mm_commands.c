/*
 * Commands that show the physical memory model: zones, struct pages, page tables and the
 * physical address map.  Each is a thin wrapper: the printing lives with the data
 * (mm/vmstat.c, mm/debug.c, kernel/arch/x86_64/dump_pagetables.c, kernel/resource.c).
 */
#include "arch/pgtable.h"
#include "kernel/resource.h"
#include "lib/kstrtox.h"
#include "lib/seq_file.h"
#include "mm/mm.h"
#include "mm/vmstat.h"
#include "shell/mm_commands.h"

int cmd_zoneinfo(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	zoneinfo_show(m);
	return 0;
}

int cmd_buddyinfo(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	buddyinfo_show(m);
	return 0;
}

int cmd_page(struct seq_file *m, int argc, char **argv)
{
	unsigned long long pfn;

	if (argc < 2) {
		seq_puts(m, "page: expected a frame number, e.g. page 0x1000\n");
		return 1;
	}
	if (kstrtoull(argv[1], 0, &pfn)) {
		seq_printf(m, "page: '%s' is not a frame number (decimal, or hex with 0x)\n", argv[1]);
		return 1;
	}
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
	unsigned long long va;

	if (argc < 2) {
		seq_puts(m, "vtop: expected a virtual address, e.g. vtop 0xffffffff80000000\n");
		return 1;
	}
	if (kstrtoull(argv[1], 0, &va)) {
		seq_printf(m, "vtop: '%s' is not an address (hex with 0x, e.g. 0xffffffff80000000)\n",
			   argv[1]);
		return 1;
	}
	vtop_show(m, va);
	return 0;
}

int cmd_ptdump(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	ptdump_show(m);
	return 0;
}

int cmd_iomem(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	iomem_show(m);
	return 0;
}
