// SPDX-License-Identifier: MIT
/*
 * Page poisoning (page_poison=1): catch writes to pages after they were freed.
 *
 * Every page that goes back to the allocator is filled with PAGE_POISON (0xaa) and
 * marked PG_poisoned; every marked page that is handed out again is checked for the
 * pattern first.  A byte that changed means someone wrote to memory they no longer
 * owned - a use-after-free - and the report says where:
 *
 *   pagealloc: memory corruption
 *   ffff888001234010: 41 41 41 41                                      AAAA
 *   page:ffffea000048d000 refcount:0 mapcount:0 pfn:0x1234
 *   ...
 *   page dumped because: pagealloc: corrupted page details
 *
 * The check happens at allocation, so the report comes later than the bad write and
 * does not name the writer; that is the price of doing it without hardware help.  A
 * corrupted page is still handed out (after the report), as in Linux.
 *
 * Called from mm/page_alloc.c on every free and allocation while enabled (boot option,
 * read by mem_debugging_and_hardening_init()); off, it costs one test per call.
 */
#include "kernel/printk.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "mm/highmem.h"
#include "mm/internal.h"
#include "mm/vmstat.h"

bool page_poisoning_enabled;
unsigned long nr_poison_errors;

/* Pages are reached through kmap_local_page(): a HighMem page has no lasting address. */
void kernel_poison_pages(struct page *page, int numpages)
{
	for (int i = 0; i < numpages; i++) {
		void *addr = kmap_local_page(&page[i]);

		memset(addr, PAGE_POISON, PAGE_SIZE);
		kunmap_local(addr);
		SetPagePoisoned(&page[i]);
	}
}

static const u8 *first_bad_byte(const u8 *mem, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		if (mem[i] != PAGE_POISON)
			return &mem[i];
	return NULL;
}

/* One line of Linux's print_hex_dump(DUMP_PREFIX_ADDRESS, 16 bytes per row, ASCII). */
static void hex_dump_line(const u8 *p, size_t n)
{
	char hex[16 * 3 + 1] = "", ascii[17] = "";

	for (size_t i = 0; i < n; i++) {
		snprintf(hex + 3 * i, sizeof(hex) - 3 * i, "%02x ", p[i]);
		ascii[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	}
	ascii[n] = '\0';
	pr_err("%016lx: %-48s %s\n", (unsigned long)p, hex, ascii);
}

/* Exactly one bit differs (x & (x - 1) clears the lowest set bit; no libgcc popcount). */
static bool single_bit_flip(u8 a, u8 b)
{
	u8 x = a ^ b;

	return x && !(x & (x - 1));
}

static void check_poison_mem(struct page *page, const u8 *mem, size_t bytes)
{
	const u8 *start = first_bad_byte(mem, bytes), *end;

	if (!start)
		return;
	for (end = mem + bytes - 1; end > start && *end == PAGE_POISON; end--)
		;
	nr_poison_errors++;
	/* One flipped bit is likelier bad RAM than a bad pointer. */
	if (start == end && single_bit_flip(*start, PAGE_POISON))
		pr_err("pagealloc: single bit error\n");
	else
		pr_err("pagealloc: memory corruption\n");
	/* Linux dumps the whole changed range; four rows are enough to see the pattern. */
	for (const u8 *row = start; row <= end && row < start + 64; row += 16)
		hex_dump_line(row, (size_t)MIN(16, end - row + 1));
	dump_page(printk_seq(), page);
	pr_err("page dumped because: pagealloc: corrupted page details\n");
}

void kernel_unpoison_pages(struct page *page, int numpages)
{
	for (int i = 0; i < numpages; i++) {
		void *addr;

		if (!PagePoisoned(&page[i]))
			continue;
		addr = kmap_local_page(&page[i]);
		check_poison_mem(&page[i], addr, PAGE_SIZE);
		kunmap_local(addr);
		ClearPagePoisoned(&page[i]);
	}
}
