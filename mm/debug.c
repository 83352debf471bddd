// SPDX-License-Identifier: MIT
/*
 * dump_page(): one struct page, decoded, for the shell's `page <pfn>`.
 *
 * The first lines follow Linux's __dump_page() (6.x): refcount, mapcount, pfn, the flags
 * word with its bits by name and the zone, then the raw words of the struct.  The last
 * line is pagelab's: who the frame belongs to, worked out from the flags, the buddy
 * lists and memblock's record of boot-time reservations.
 */
#include "kernel/setup.h"
#include "lib/seq_file.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"

static void print_flags(struct seq_file *m, const struct page *p)
{
	const char *sep = "";

	seq_printf(m, "flags: %#lx(", p->flags);
	for (int f = 0; f < __NR_PAGEFLAGS; f++) {
		if (test_page_flag(p, f)) {
			seq_printf(m, "%s%s", sep, pageflag_names[f]);
			sep = "|";
		}
	}
	seq_printf(m, "%snode=%d|zone=%u)\n", sep, page_to_nid(p), page_zonenum(p));
}

/* The head of the free buddy block that contains @pfn, or NULL. */
static const struct page *free_block_head(unsigned long pfn)
{
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *h = pfn_to_page(head);

		if (pfn_valid(head) && PageBuddy(h) && h->private >= o)
			return head + (1UL << h->private) > pfn ? h : NULL;
	}
	return NULL;
}

static void print_owner(struct seq_file *m, const struct page *p, unsigned long pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);
	const struct page *head = free_block_head(pfn);

	seq_printf(m, "zone %s, node %d: ", zone_names[page_zonenum(p)], page_to_nid(p));
	if (head)
		seq_printf(m, "free, in the buddy allocator: %s order-%lu block at pfn %#lx-%#lx\n",
			   head == p ? "head of an" : "inside an", head->private, page_to_pfn(head),
			   page_to_pfn(head) + (1UL << head->private) - 1);
	else if (page_on_pcp_list(p))
		seq_puts(m, "free, on a per-cpu list of the page allocator (not in the buddy lists)\n");
	else if (PageSlab(p))
		seq_puts(m, "a SLUB slab page\n");
	else if (!PageReserved(p))
		seq_printf(m, "allocated (%d reference%s)\n", page_ref_count(p),
			   page_ref_count(p) == 1 ? "" : "s");
	else if (pa >= boot_info->kernel_phys_start && pa < boot_info->kernel_phys_end)
		seq_puts(m, "reserved: the kernel image\n");
	else if (!memblock_is_memory(pa))
		seq_puts(m, "reserved: not RAM (a hole or firmware memory sharing a section with RAM)\n");
	else
		seq_puts(m, "reserved: kept by memblock at boot (low memory, loader data, memmap, page tables)\n");
}

void dump_page(struct seq_file *m, const struct page *p)
{
	unsigned long pfn = page_to_pfn(p);
	const unsigned long *raw = (const unsigned long *)p;

	seq_printf(m, "page:%016lx refcount:%d mapcount:%d pfn:%#lx\n", (unsigned long)p,
		   page_ref_count(p), p->_mapcount + 1, pfn);
	print_flags(m, p);
	for (size_t i = 0; i < sizeof(*p) / sizeof(long); i += 4) {
		seq_puts(m, "raw:");
		for (size_t j = i; j < i + 4 && j < sizeof(*p) / sizeof(long); j++)
			seq_printf(m, " %016lx", raw[j]);
		seq_putc(m, '\n');
	}
	print_owner(m, p, pfn);
}
