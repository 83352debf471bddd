// SPDX-License-Identifier: MIT
/*
 * `mempool`: the shell's pools and a demonstration of what a reserve guarantees.
 *
 *   mempool        each pool: element, min_nr, reserve now, and where elements came from
 *   mempool demo   0. with memory free: one element, served by the allocator, and freed
 *                     back to it - the reserve is not touched
 *                  1. take every free page with ordinary GFP_KERNEL allocations
 *                  2. show kmalloc(16 KiB) failing
 *                  3. show the pool still serving - exactly min_nr times, from its reserve
 *                  4. give everything back: the reserve refills first, every page returns
 *   mempool resize 12   the demo pool's min_nr becomes 12 (mempool_resize())
 */
#include "lib/seq_file.h"
#include "shell/args.h"
#include "mm/gfp.h"
#include "mm/mempool.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "shell/mempool_commands.h"
#include "shell/shell.h"

#define DEMO_MIN_NR 8
#define DEMO_SIZE (16 * 1024) /* above kmalloc's largest class: straight from the pages */

static struct {
	const char *name;
	size_t size;
	mempool_t *pool;
} pools[] = { { "demo", DEMO_SIZE, NULL } };

/* A hoarded block remembers the next one and its own order in its first bytes. */
struct hoard {
	struct hoard *next;
	unsigned int order;
};

static struct hoard *take_all_pages(unsigned long *pages)
{
	struct hoard *list = NULL;

	*pages = 0;
	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		struct page *p;

		while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order))) {
			struct hoard *h = page_address(p);

			h->next = list;
			h->order = order;
			list = h;
			*pages += 1UL << order;
		}
	}
	return list;
}

static void give_back(struct hoard *list)
{
	while (list) {
		struct hoard *next = list->next;

		__free_pages(virt_to_page(list), list->order);
		list = next;
	}
}

static unsigned long free_kb(void)
{
	drain_all_pages(NULL); /* per-cpu lists back to the buddy lists: count them all */
	return nr_free_pages() << (PAGE_SHIFT - 10);
}

void mempool_show(struct seq_file *m)
{
	seq_printf(m, "%-8s %10s %6s %8s %14s %12s %6s\n", "pool", "element", "min_nr", "reserve",
		   "from allocator", "from reserve", "failed");
	for (unsigned int i = 0; i < ARRAY_SIZE(pools); i++) {
		const mempool_t *p = pools[i].pool;

		if (!p) {
			seq_printf(m, "%-8s %10s (not created yet: `mempool demo` creates it)\n",
				   pools[i].name, "");
			continue;
		}
		seq_printf(m, "%-8s %8zuKB %6d %8d %14u %12u %6u\n", pools[i].name,
			   pools[i].size >> 10, p->min_nr, p->curr_nr, p->from_allocator,
			   p->from_reserve, p->failed);
	}
}

/* The demo pool, created on first use: while memory is free, so its reserve fills. */
static mempool_t *demo_pool(struct seq_file *m)
{
	if (!pools[0].pool)
		pools[0].pool = mempool_create_kmalloc_pool(DEMO_MIN_NR, DEMO_SIZE);
	if (!pools[0].pool)
		seq_puts(m, "mempool: cannot create the demo pool (out of memory?)\n");
	return pools[0].pool;
}

static int mempool_demo(struct seq_file *m, int argc, char **argv)
{
	void *got[2 * DEMO_MIN_NR];
	unsigned long before, after, pages, reserve_before;
	struct hoard *hoard;
	int n = 0;

	(void)argc, (void)argv;
	if (!demo_pool(m))
		return 1;
	/*
	 * Step 0, before the count (free_kb() drains what the free left on the per-cpu
	 * lists).  Where the element came from is read off curr_nr, not off the pool's own
	 * counters: the demo must not trust the code it demonstrates.
	 */
	int reserve_full = pools[0].pool->curr_nr;
	void *one = mempool_alloc(pools[0].pool, GFP_KERNEL);
	int reserve_after_alloc = pools[0].pool->curr_nr;

	mempool_free(one, pools[0].pool);
	seq_printf(m, "memory free:          mempool_alloc: %s, reserve %d of %d; "
		   "mempool_free: reserve %d of %d\n",
		   !one ? "NULL" : reserve_after_alloc < reserve_full ? "from the reserve"
							       : "from the allocator",
		   reserve_after_alloc, pools[0].pool->min_nr, pools[0].pool->curr_nr,
		   pools[0].pool->min_nr);
	before = free_kb();
	seq_printf(m, "free before:          %lu kB; pool 'demo' holds %d x %zu KiB in reserve\n",
		   before, pools[0].pool->curr_nr, (size_t)DEMO_SIZE >> 10);
	hoard = take_all_pages(&pages);
	seq_printf(m, "ordinary allocations: took %lu pages with GFP_KERNEL until the watermark\n",
		   pages);
	void *plain = kmalloc(DEMO_SIZE, GFP_KERNEL | __GFP_NOWARN);
	seq_printf(m, "kmalloc(%zu):        %s\n", (size_t)DEMO_SIZE, plain ? "succeeded?!" : "NULL");
	kfree(plain);

	reserve_before = pools[0].pool->from_reserve;
	while (n < (int)ARRAY_SIZE(got) && (got[n] = mempool_alloc(pools[0].pool, GFP_KERNEL)))
		n++;
	seq_printf(m, "mempool_alloc:        %d elements, %u from the reserve, then NULL\n", n,
		   (unsigned int)(pools[0].pool->from_reserve - reserve_before));

	while (n)
		mempool_free(got[--n], pools[0].pool); /* the reserve refills first */
	give_back(hoard);
	after = free_kb();
	seq_printf(m, "after giving back:    %lu kB free (%s); reserve %d of %d\n", after,
		   after == before ? "every page back" : "NOT all back", pools[0].pool->curr_nr,
		   pools[0].pool->min_nr);
	return after == before ? 0 : 1;
}

/*
 * The demo's own bound: it holds at most 2 * DEMO_MIN_NR elements at once, so a larger
 * reserve could not be emptied by it.
 */
static int mempool_resize_cmd(struct seq_file *m, int argc, char **argv)
{
	mempool_t *pool;
	u64 min_nr;
	int err;

	if (argc < 3) {
		seq_puts(m, "mempool resize: which min_nr? (mempool resize 12)\n");
		return 1;
	}
	if (arg_u64_range(m, "mempool resize", "min_nr", argv[2], 1, 2 * DEMO_MIN_NR, &min_nr))
		return 1;
	pool = demo_pool(m);
	if (!pool)
		return 1;
	err = mempool_resize(pool, (int)min_nr);
	seq_printf(m, "mempool_resize(demo, %d) = %d; min_nr %d, reserve %d\n", (int)min_nr, err,
		   pool->min_nr, pool->curr_nr);
	return err ? 1 : 0;
}

const struct shell_subcommand mempool_subcommands[] = {
	{ "demo", mempool_demo },
	{ "resize", mempool_resize_cmd },
	{ NULL },
};
