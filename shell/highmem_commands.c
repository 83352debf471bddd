/*
 * `highmem`: look at the 32-bit layout's HighMem from the shell (boot with zones=x86_32).
 *
 *   highmem        the layout: lowmem limit, the HighMem zone, where the kmap windows are
 *   highmem demo   take a HighMem page, write to it through kmap(), read it back through
 *                  a second mapping (kmap_local_page), and show both addresses with vtop
 *   highmem touch  read a HighMem page through the direct map, where it is not mapped:
 *                  the page fault a 32-bit kernel would take, as an oops
 */
#include "arch/pgtable.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "shell/highmem_commands.h"
#include "shell/shell.h"

static struct page *highmem_page(struct seq_file *m)
{
	struct page *page;

	if (zone_layout != ZONES_X86_32) {
		seq_puts(m, "highmem: this boot has no HighMem zone (x86-64 layout); "
			    "boot with zones=x86_32 on the command line\n");
		return NULL;
	}
	page = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0);
	if (!page || !PageHighMem(page)) {
		seq_puts(m, "highmem: no free HighMem page (is there RAM above the lowmem limit?)\n");
		if (page)
			__free_pages(page, 0);
		return NULL;
	}
	return page;
}

static int highmem_demo(struct seq_file *m, int argc, char **argv)
{
	struct page *page = highmem_page(m);
	char *first, *second;

	(void)argc, (void)argv;
	if (!page)
		return 1;
	first = kmap(page);
	if (!first) {
		seq_printf(m, "kmap() of pfn %#lx returned NULL: nothing to write through\n",
			   page_to_pfn(page));
		__free_pages(page, 0);
		return 1;
	}
	seq_printf(m, "pfn %#lx (physical %#llx) is in zone HighMem: not in the direct map\n",
		   page_to_pfn(page), PFN_PHYS(page_to_pfn(page)));
	snprintf(first, 64, "written through kmap at %p", (void *)first);
	seq_printf(m, "kmap:            %p  (pkmap slot %llu)\n", (void *)first, PKMAP_NR(first));
	vtop_show(m, (u64)first);
	kunmap(page);

	second = kmap_local_page(page);
	seq_printf(m, "kmap_local_page: %p  reads back: \"%s\"\n", (void *)second, second);
	vtop_show(m, (u64)second);
	kunmap_local(second);
	__free_pages(page, 0);
	return 0;
}

static int highmem_touch(struct seq_file *m, int argc, char **argv)
{
	struct page *page = highmem_page(m);
	volatile const u64 *where;

	(void)argc, (void)argv;
	if (!page)
		return 1;
	where = lowmem_page_address(page); /* where the direct map would have it */
	__free_pages(page, 0);
	seq_printf(m, "reading pfn %#lx at its direct-map address %p, which is not mapped...\n",
		   page_to_pfn(page), (const void *)where);
	return *where == 0; /* faults: the oops follows */
}

const struct shell_subcommand highmem_subcommands[] = {
	{ "demo", highmem_demo },
	{ "touch", highmem_touch },
	{ NULL },
};

void highmem_show(struct seq_file *m)
{
	const struct zone *hz = &NODE_DATA(0)->node_zones[ZONE_HIGHMEM];

	seq_printf(m, "layout:          %s\n", zone_layout == ZONES_X86_32 ? "x86_32 (zones=x86_32)"
									: "x86-64 (no HighMem)");
	seq_printf(m, "lowmem:          %lu MiB direct-mapped (max_low_pfn %#lx)\n",
		   max_low_pfn >> (20 - PAGE_SHIFT), max_low_pfn);
	seq_printf(m, "HighMem zone:    %lu pages spanned, %lu managed, %lu free\n",
		   hz->spanned_pages, totalhigh_pages(), nr_free_highpages());
	seq_printf(m, "pkmap window:    %#llx, %d slots; kmap_local: %d slots at %#llx\n",
		   (u64)PKMAP_BASE, LAST_PKMAP, KM_MAX_IDX, (u64)KMAP_LOCAL_BASE);
}
