// SPDX-License-Identifier: MIT
/*
 * Experiments with the page allocator, and its /proc views.
 *
 *   alloc 3 dma      take a block; the shell keeps a handle to it
 *   held             what the shell holds
 *   free 1           give it back (by handle, or by frame: free 0x1234)
 *   drain            empty the per-cpu lists, so buddyinfo shows every free page
 *   stress 5000 7    a random workload; the free lists before and after (Ctrl-C stops it)
 *   stress --cpus 4  the same on 4 CPUs at once, with a conservation check (stress_commands.c)
 *   buddyinfo, pagetypeinfo, vmstat, extfrag, meminfo: the allocator's /proc views
 *
 * Misuse is allowed where the allocator is built to survive it - `free` of a page
 * that is already free or reserved shows "BUG: Bad page state" - but not where it
 * would corrupt someone else's memory: `free` refuses a page the kernel is using.
 *
 * The printing lives with the data (mm/vmstat.c, mm/show_mem.c): the views are rows of
 * their own in shell/commands.c; this file parses arguments and keeps the shell's
 * handles.  Runs in the shell, with interrupts on.
 */
#include "arch/pgtable.h"
#include "arch/setup.h"
#include "kernel/signal.h"
#include "lib/errno.h"
#include "lib/prandom.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "shell/args.h"
#include "shell/buddy_commands.h"
#include "shell/stress_commands.h"

#define MAX_HELD 64

/* The blocks `alloc` handed to the shell; handle n is held[n - 1]. */
static struct held_block {
	struct page *page;
	unsigned int order;
	gfp_t gfp;
} held[MAX_HELD];

static void print_mode(struct seq_file *m, gfp_t gfp)
{
	char names[160];

	format_gfp_flags(names, sizeof(names), gfp);
	seq_printf(m, "%#x(%s)", gfp, names);
}

/* Words like "dma", "GFP_ATOMIC" or "zero|nowarn"; without a base mode, GFP_KERNEL. */
static int parse_gfp(struct seq_file *m, int argc, char **argv, gfp_t *gfp)
{
	*gfp = 0;
	for (int i = 0; i < argc; i++) {
		char *word = argv[i], *bar;

		do {
			gfp_t one;

			bar = strchr(word, '|');
			if (bar)
				*bar = '\0';
			if (gfp_flag_parse(word, &one)) {
				seq_printf(m, "alloc: unknown GFP flag '%s' (try kernel, atomic, nowait, "
					      "dma, dma32, highuser_movable, movable, reclaimable, zero, nowarn)\n",
					   word);
				return -EINVAL;
			}
			*gfp |= one;
			word = bar + 1;
		} while (bar);
	}
	if (!(*gfp & (__GFP_RECLAIM | __GFP_HIGH)))
		*gfp |= GFP_KERNEL;
	return 0;
}

static int add_held(struct page *page, unsigned int order, gfp_t gfp)
{
	for (int i = 0; i < MAX_HELD; i++) {
		if (!held[i].page) {
			held[i] = (struct held_block){ page, order, gfp };
			return i + 1;
		}
	}
	return 0;
}

static void print_block(struct seq_file *m, const struct held_block *b)
{
	unsigned long pfn = page_to_pfn(b->page);

	seq_printf(m, "order %u (%lu pages, %lu KiB) at pfn %#lx-%#lx, ", b->order, 1UL << b->order,
		   4UL << b->order, pfn, pfn + (1UL << b->order) - 1);
	if (PageHighMem(b->page)) /* no lasting address: it would have to be kmapped */
		seq_puts(m, "no address (HighMem)");
	else
		seq_printf(m, "address %p", page_address(b->page));
	seq_printf(m, ", zone %s, mode ", zone_names[page_zonenum(b->page)]);
	print_mode(m, b->gfp);
	seq_putc(m, '\n');
}

/*
 * Orders up to 63 are accepted on purpose: asking for more than MAX_PAGE_ORDER is how a
 * student sees the allocator refuse an impossible request.
 */
int cmd_alloc(struct seq_file *m, int argc, char **argv)
{
	struct page *page;
	u64 order;
	gfp_t gfp;
	int handle;

	if (arg_u64_range(m, "alloc", "order", argv[1], 0, 63, &order))
		return 1;
	if (parse_gfp(m, argc - 2, argv + 2, &gfp))
		return 1;
	for (handle = 0; handle < MAX_HELD && held[handle].page; handle++)
		;
	if (handle == MAX_HELD) {
		seq_printf(m, "alloc: the shell already holds %d blocks; free some first\n", MAX_HELD);
		return 1;
	}
	page = alloc_pages(gfp, (unsigned int)order);
	if (!page) {
		seq_printf(m, "alloc: order %llu failed: %s\n", (unsigned long long)order,
			   order > MAX_PAGE_ORDER ? "above MAX_PAGE_ORDER (10): no block is that large"
						  : "no zone the flags allow has such a block above its watermark");
		return 1;
	}
	handle = add_held(page, (unsigned int)order, gfp);
	seq_printf(m, "alloc: handle %d: ", handle);
	print_block(m, &held[handle - 1]);
	return 0;
}

static void release(struct seq_file *m, int handle)
{
	struct held_block *b = &held[handle - 1];

	seq_printf(m, "free: handle %d: ", handle);
	print_block(m, b);
	__free_pages(b->page, b->order);
	b->page = NULL;
}

/* A frame the shell does not hold: hand it over only if the allocator can cope. */
static int free_foreign_pfn(struct seq_file *m, unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(pfn);
	unsigned long bad = nr_bad_pages;

	if (page_ref_count(page) > 0 && !PageReserved(page)) {
		seq_printf(m, "free: pfn %#lx is in use by the kernel (refcount %d), not by this shell; "
			      "freeing it would corrupt its owner\n", pfn, page_ref_count(page));
		return 1;
	}
	seq_printf(m, "free: pfn %#lx is not the shell's (%s); handing it to __free_pages() "
		      "to see the allocator's checks\n",
		   pfn, PageReserved(page) ? "reserved" : "free or on a per-cpu list");
	__free_pages(page, order);
	if (nr_bad_pages != bad)
		seq_puts(m, "free: refused: see the BUG report above; the free lists are untouched\n");
	return nr_bad_pages != bad;
}

/* A handle is a decimal number; a frame is written in hex: free 7, free 0x1234 (or 0X1234). */
int cmd_free(struct seq_file *m, int argc, char **argv)
{
	u64 v, order = 0;

	if (arg_u64(m, "free", "handle or frame", argv[1], &v) ||
	    (argc > 2 && arg_u64_range(m, "free", "order", argv[2], 0, MAX_PAGE_ORDER, &order)))
		return 1;
	if (!arg_is_hex(argv[1])) { /* a handle */
		if (v < 1 || v > MAX_HELD || !held[v - 1].page) {
			seq_printf(m, "free: the shell holds no handle '%s' (see `held`)\n", argv[1]);
			return 1;
		}
		release(m, (int)v);
		return 0;
	}
	for (int i = 0; i < MAX_HELD; i++) {
		if (held[i].page && page_to_pfn(held[i].page) == v) {
			release(m, i + 1);
			return 0;
		}
	}
	if (!pfn_valid(v)) {
		seq_printf(m, "free: pfn %#llx has no struct page\n", (unsigned long long)v);
		return 1;
	}
	return free_foreign_pfn(m, v, (unsigned int)order);
}

void held_show(struct seq_file *m)
{
	unsigned long blocks = 0, pages = 0;

	for (int i = 0; i < MAX_HELD; i++) {
		if (!held[i].page)
			continue;
		seq_printf(m, "%3d: ", i + 1);
		print_block(m, &held[i]);
		blocks++;
		pages += 1UL << held[i].order;
	}
	seq_printf(m, "the shell holds %lu block%s, %lu pages (%lu KiB)\n", blocks,
		   blocks == 1 ? "" : "s", pages, pages * 4);
}

int cmd_drain(struct seq_file *m, int argc, char **argv)
{
	unsigned long before = nr_free_pages();

	(void)argc, (void)argv;
	drain_all_pages(NULL);
	seq_printf(m, "drain: %lu pages went back from the per-cpu lists to the buddy lists\n",
		   nr_free_pages() - before);
	return 0;
}

/* ---- stress --------------------------------------------------------------------------- */

#define STRESS_SLOTS 256

static struct stress_slot {
	struct page *page;
	unsigned int order;
} slots[STRESS_SLOTS];

struct stress_result {
	unsigned long done, allocs, failed, frees;
};

/*
 * Between two operations every block is either on the allocator's lists or in a slot,
 * so that is where Ctrl-C stops the run; cmd_stress() then frees the slots as usual.
 */
static void stress_run(unsigned long ops, u64 seed, struct stress_result *res)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE,
				      GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC };
	u64 x = seed * 0x9e3779b97f4a7c15ULL | 1;

	for (res->done = 0; res->done < ops && !signal_pending(); res->done++) {
		u64 r = xorshift64(&x);
		struct stress_slot *s = &slots[r % STRESS_SLOTS];

		if (s->page) {
			__free_pages(s->page, s->order);
			s->page = NULL;
			res->frees++;
			continue;
		}
		s->order = random_order(r >> 16, MAX_PAGE_ORDER);
		s->page = alloc_pages(gfps[(r >> 40) % 4] | __GFP_NOWARN, s->order);
		res->allocs++;
		res->failed += !s->page;
	}
}

static unsigned long stress_held_pages(unsigned long *blocks)
{
	unsigned long pages = 0;

	*blocks = 0;
	for (int i = 0; i < STRESS_SLOTS; i++) {
		if (slots[i].page) {
			pages += 1UL << slots[i].order;
			++*blocks;
		}
	}
	return pages;
}

static void stress_release(void)
{
	for (int i = 0; i < STRESS_SLOTS; i++) {
		if (slots[i].page)
			__free_pages(slots[i].page, slots[i].order);
		slots[i].page = NULL;
	}
	drain_all_pages(NULL);
}

int cmd_stress(struct seq_file *m, int argc, char **argv)
{
	static char before[1024], after[1024];
	struct stress_result res = { 0 };
	unsigned long blocks, pages;
	u64 ops = 20000, seed = 1, t0, ns;
	struct seq_file buf;

	if (argc > 1 && !strcmp(argv[1], "--cpus"))
		return cmd_stress_cpus(m, argc, argv);
	if (argc > 3) {
		seq_printf(m, "stress: unexpected argument '%s' (stress [ops] [seed], or "
			      "stress --cpus N [ops] [seed])\n", argv[3]);
		return 1;
	}
	if ((argc > 1 && arg_u64_range(m, "stress", "operation count", argv[1], 1, 100000000, &ops)) ||
	    (argc > 2 && arg_u64(m, "stress", "seed", argv[2], &seed)))
		return 1;
	drain_all_pages(NULL);
	seq_buf_init(&buf, before, sizeof(before));
	buddyinfo_show(&buf);
	t0 = local_clock();
	stress_run(ops, seed, &res);
	ns = MAX(local_clock() - t0, 1);
	pages = stress_held_pages(&blocks);
	if (res.done < ops)
		seq_printf(m, "stress: interrupted after %lu of %llu operations\n", res.done, ops);
	seq_printf(m, "stress: %lu operations (seed %llu) in %llu.%03llu ms: %llu ops/s\n", res.done,
		   seed, ns / 1000000, ns / 1000 % 1000, res.done * 1000000000ULL / ns);
	seq_printf(m, "  %lu allocations (%lu failed), %lu frees, random orders 0-10 and migrate types\n",
		   res.allocs, res.failed, res.frees);
	seq_printf(m, "free lists before (buddyinfo):\n%s", before);
	seq_printf(m, "free lists now, %lu blocks (%lu pages) still held:\n", blocks, pages);
	buddyinfo_show(m);
	seq_puts(m, "fragmentation index per order (extfrag_index: -1.000 a block is free; "
		    "towards 0 lack of memory, towards 1 fragmentation):\n");
	extfrag_show(m);
	stress_release();
	seq_buf_init(&buf, after, sizeof(after));
	buddyinfo_show(&buf);
	seq_printf(m, "everything freed and the per-cpu lists drained:\n%s", after);
	seq_printf(m, "identical to before: %s\n", strcmp(before, after) ? "no" : "yes");
	return res.done < ops ? 130 : 0; /* 128 + SIGINT, as a shell reports it */
}

/* ---- views ---------------------------------------------------------------------------- */

/* /proc/meminfo: mm's totals, then the DirectMap lines last, as in Linux. */
void meminfo_proc_show(struct seq_file *m)
{
	meminfo_show(m);
	arch_report_meminfo(m);
}
