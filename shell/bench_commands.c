// SPDX-License-Identifier: MIT
/*
 * `bench [--cpus N] [ops]`: alloc+free throughput of the allocators, on N CPUs at once.
 *
 * Each workload is a row of bench_workloads[]: a loop that does @ops alloc+free pairs on
 * the CPU that runs it and returns how many it did.  Every CPU runs the same workloads
 * in the same order; before each one all of them meet at a barrier, so the CPUs really
 * run one workload at the same time and contend for the same locks (zone->lock when a
 * per-cpu list is refilled or drained, SLUB's node lists when a slab fills or empties).
 *
 *   CPU 0 (the shell)          CPU 1 ... N-1 (posted to their idle loops, as `on` does)
 *   snapshot: drain, shrink    |
 *   post bench_worker() --->   bench_worker():  for each workload: barrier,
 *   bench_worker()             |                rdtsc, loop, rdtsc
 *   wait for all        <---   done
 *   table; drain, shrink, snapshot again, compare
 *
 * Times come from the TSC (rdtsc around each CPU's loop, converted with tsc_khz), so a
 * row says how fast that CPU went while the others ran the same workload.  Under QEMU's
 * TCG every vCPU is a host thread: with fewer host cores than vCPUs the CPUs take turns,
 * and per-CPU throughput falls for that reason as well as for lock contention.
 *
 * To add a workload (issue 21: kmalloc with random sizes and 1000 live objects, order 9),
 * add a function and a row; the table and `make bench-smp` (tools/bench/smp_bench.py)
 * pick it up by name.
 */
#include "arch/cpu.h"
#include "arch/setup.h"
#include "arch/smpboot.h"
#include "kernel/signal.h"
#include "kernel/smp.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/debug_race.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/slub_def.h"
#include "mm/vmstat.h"
#include "shell/args.h"
#include "shell/bench_commands.h"
#include "shell/smp_commands.h"

#define BENCH_DEFAULT_OPS 100000
#define BENCH_MAX_OPS 100000000
#define BENCH_BATCH 1000
#define BENCH_CHECK_EVERY 256 /* pairs between two looks at Ctrl-C */

/*
 * The kmalloc size, read at run time as issue 21's harness does: a constant would let
 * kmalloc() pick its cache at compile time, which a caller with a variable size cannot.
 */
static volatile size_t bench_size = 64;

static void *bench_batch[NR_CPUS][BENCH_BATCH];

static bool bench_stop(unsigned long done)
{
	return done % BENCH_CHECK_EVERY == 0 && signal_pending();
}

static unsigned long bench_pages(unsigned long ops, unsigned int order, unsigned long *failed)
{
	unsigned long done;

	for (done = 0; done < ops && !bench_stop(done); done++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

		if (!page) {
			++*failed;
			continue;
		}
		__free_pages(page, order);
	}
	return done;
}

static unsigned long bench_order0(unsigned int cpu, unsigned long ops, unsigned long *failed)
{
	(void)cpu;
	return bench_pages(ops, 0, failed);
}

static unsigned long bench_order3(unsigned int cpu, unsigned long ops, unsigned long *failed)
{
	(void)cpu;
	return bench_pages(ops, 3, failed);
}

/* One object at a time: SLUB's fast paths, alloc and free, and nothing else. */
static unsigned long bench_kmalloc_pair(unsigned int cpu, unsigned long ops, unsigned long *failed)
{
	unsigned long done;

	(void)cpu;
	for (done = 0; done < ops && !bench_stop(done); done++) {
		void *p = kmalloc(bench_size, GFP_KERNEL | __GFP_NOWARN);

		if (!p) {
			++*failed;
			continue;
		}
		kfree(p);
	}
	return done;
}

/* BENCH_BATCH objects, then all of them freed: slabs fill, then empty again. */
static unsigned long bench_kmalloc_batch(unsigned int cpu, unsigned long ops, unsigned long *failed)
{
	void **batch = bench_batch[cpu];
	unsigned long done = 0;

	while (done < ops && !signal_pending()) {
		unsigned long n = MIN(ops - done, (unsigned long)BENCH_BATCH);

		for (unsigned long i = 0; i < n; i++) {
			batch[i] = kmalloc(bench_size, GFP_KERNEL | __GFP_NOWARN);
			*failed += !batch[i];
		}
		for (unsigned long i = 0; i < n; i++)
			kfree(batch[i]); /* kfree(NULL) does nothing */
		done += n;
	}
	return done;
}

struct bench_workload {
	const char *name;
	unsigned long (*run)(unsigned int cpu, unsigned long ops, unsigned long *failed);
};

static const struct bench_workload bench_workloads[] = {
	{ "order-0", bench_order0 },           /* alloc_pages + __free_pages: the pcp lists */
	{ "order-3", bench_order3 },           /* still pcp-cached (order <= PAGE_ALLOC_COSTLY_ORDER) */
	{ "kmalloc-64", bench_kmalloc_pair },  /* kmalloc(64) + kfree */
	{ "batch-1000", bench_kmalloc_batch }, /* 1000 x kmalloc(64), then 1000 x kfree */
};

#define BENCH_NR_WORKLOADS ARRAY_SIZE(bench_workloads)

struct bench_cpu {
	unsigned long ops;
	unsigned long done[BENCH_NR_WORKLOADS], failed[BENCH_NR_WORKLOADS];
	u64 cycles[BENCH_NR_WORKLOADS];
};

static struct bench_cpu bench_cpus[NR_CPUS];
static unsigned int bench_ncpus;
static unsigned int bench_arrived[BENCH_NR_WORKLOADS];

/* Wait until every CPU of the run has reached workload @w (or Ctrl-C was typed). */
static void bench_barrier(unsigned int w)
{
	__atomic_add_fetch(&bench_arrived[w], 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&bench_arrived[w], __ATOMIC_ACQUIRE) <
	       __atomic_load_n(&bench_ncpus, __ATOMIC_ACQUIRE) &&
	       !signal_pending())
		cpu_relax();
}

static void bench_worker(void *arg)
{
	struct bench_cpu *bc = arg;
	unsigned int cpu = smp_processor_id();

	for (unsigned int w = 0; w < BENCH_NR_WORKLOADS; w++) {
		u64 t0;

		bench_barrier(w);
		if (signal_pending())
			return;
		t0 = rdtsc();
		bc->done[w] = bench_workloads[w].run(cpu, bc->ops, &bc->failed[w]);
		bc->cycles[w] = rdtsc() - t0;
	}
}

/* ---- before and after ------------------------------------------------------------------ */

struct bench_snapshot {
	unsigned long free_pages, pcp, objs;
};

static struct kmem_cache *bench_cache(void)
{
	return kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(bench_size)];
}

/* Free pages and kmalloc objects with the per-cpu lists drained and the caches shrunk. */
static void bench_snapshot(struct bench_snapshot *s)
{
	struct slabinfo si;
	struct zone *zone;

	memset(s, 0, sizeof(*s));
	kmalloc_caches_shrink(); /* all of them: sheaves (slub_sheaves=all) are kmalloc objects */
	drain_all_pages(NULL);
	refresh_vm_stats();
	for_each_populated_zone(zone) {
		s->free_pages += zone_page_state_snapshot(zone, NR_FREE_PAGES);
		s->pcp += zone_pcp_count(zone);
	}
	get_slabinfo(bench_cache(), &si);
	s->objs = si.active_objs;
}

static unsigned int bench_check(struct seq_file *m, const struct bench_snapshot *a,
				const struct bench_snapshot *b)
{
	char what[40];
	unsigned int bad = 0;

	seq_puts(m, "conservation (per-cpu lists drained, kmalloc caches shrunk, as before the run):\n");
	bad += shell_report_count(m, "free pages", a->free_pages, b->free_pages);
	bad += shell_report_count(m, "per-cpu pages", a->pcp, b->pcp);
	snprintf(what, sizeof(what), "%s objects", bench_cache()->name);
	bad += shell_report_count(m, what, a->objs, b->objs);
	return bad;
}

/* ---- the table ------------------------------------------------------------------------- */

static u64 cycles_to_us(u64 cycles)
{
	return cycles * 1000 / MAX(tsc_khz, 1);
}

static u64 pairs_per_sec(unsigned long pairs, u64 cycles)
{
	return (u64)pairs * tsc_khz * 1000 / MAX(cycles, 1);
}

static void bench_row(struct seq_file *m, const char *name, const char *cpu, unsigned long pairs,
		      u64 cycles, u64 rate)
{
	u64 us = cycles_to_us(cycles);

	seq_printf(m, "%-11s %3s %10lu %6llu.%03llu %11llu", name, cpu, pairs, us / 1000, us % 1000,
		   rate);
	if (pairs)
		seq_printf(m, " %8llu", us * 1000 / pairs);
	seq_putc(m, '\n');
}

static bool bench_started(unsigned int w, unsigned long mask)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		if (bench_cpus[cpu].cycles[w])
			return true;
	return false;
}

static void bench_table(struct seq_file *m, unsigned long mask)
{
	unsigned long failed = 0;
	unsigned int cpu;

	seq_puts(m, "workload    CPU      pairs         ms     pairs/s  ns/pair\n");
	for (unsigned int w = 0; w < BENCH_NR_WORKLOADS; w++) {
		unsigned long total = 0;
		u64 longest = 0, rate = 0;

		if (!bench_started(w, mask))
			continue; /* Ctrl-C came before it */
		for_each_cpu(cpu, mask) {
			const struct bench_cpu *bc = &bench_cpus[cpu];
			char id[4];

			snprintf(id, sizeof(id), "%u", cpu);
			bench_row(m, bench_workloads[w].name, id, bc->done[w], bc->cycles[w],
				  pairs_per_sec(bc->done[w], bc->cycles[w]));
			total += bc->done[w];
			longest = MAX(longest, bc->cycles[w]);
			rate += pairs_per_sec(bc->done[w], bc->cycles[w]);
			failed += bc->failed[w];
		}
		bench_row(m, bench_workloads[w].name, "all", total, longest, rate);
	}
	seq_puts(m, "(pairs/s: alloc+free pairs per second on that CPU, from the TSC; all: their "
		    "sum, ms: the slowest CPU)\n");
	if (failed)
		seq_printf(m, "bench: %lu allocations failed (counted as pairs, without the free)\n",
			   failed);
}

/* ---- running it ------------------------------------------------------------------------ */

static int bench_parse(struct seq_file *m, int argc, char **argv, u64 *ncpus, u64 *ops)
{
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "--cpus")) {
		if (argc < 3) {
			seq_puts(m, "bench: --cpus needs a CPU count (bench [--cpus N] [ops])\n");
			return -1;
		}
		if (shell_parse_cpus(m, "bench", argv[2], ncpus))
			return -1;
		i = 3;
	}
	if (argc > i + 1) {
		seq_printf(m, "bench: unexpected argument '%s' (bench [--cpus N] [ops])\n", argv[i + 1]);
		return -1;
	}
	if (argc > i && arg_u64_range(m, "bench", "operation count", argv[i], 1, BENCH_MAX_OPS, ops))
		return -1;
	return 0;
}

/* Wait for the other CPUs of @mask, running any work posted here meanwhile. */
static void bench_wait(unsigned long mask)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		while (!smp_idle_work_done(cpu)) {
			smp_run_idle_work();
			cpu_relax();
		}
}

int cmd_bench(struct seq_file *m, int argc, char **argv)
{
	static struct bench_snapshot before, after;
	unsigned int cpu, me = smp_processor_id();
	unsigned long mask;
	u64 ncpus = 1, ops = BENCH_DEFAULT_OPS;

	if (bench_parse(m, argc, argv, &ncpus, &ops))
		return 1;
	if (!bench_cache()) {
		seq_printf(m, "bench: no kmalloc cache for %zu bytes\n", (size_t)bench_size);
		return 1;
	}
	mask = shell_pick_cpus(m, "bench", (unsigned int)ncpus);
	if (!mask)
		return 1;
	if (debug_race)
		seq_printf(m, "bench: debug_race=%s: %s is not taken; the numbers (and the kernel) "
			      "may not survive\n", debug_race_name(), debug_race_lock_name());
	bench_ncpus = cpumask_weight_word(mask);
	memset(bench_arrived, 0, sizeof(bench_arrived));
	for_each_cpu(cpu, mask) {
		memset(&bench_cpus[cpu], 0, sizeof(bench_cpus[cpu]));
		bench_cpus[cpu].ops = ops;
	}
	bench_snapshot(&before);
	for_each_cpu(cpu, mask) {
		if (cpu != me && smp_post_idle_work(cpu, bench_worker, &bench_cpus[cpu])) {
			/* Before this CPU reaches the first barrier, so nobody waits for it. */
			seq_printf(m, "bench: cannot post to CPU%u\n", cpu);
			mask &= ~(1UL << cpu);
			__atomic_sub_fetch(&bench_ncpus, 1, __ATOMIC_RELEASE);
		}
	}
	bench_worker(&bench_cpus[me]);
	bench_wait(mask & ~(1UL << me));
	seq_printf(m, "bench: %u CPU%s at once, %llu alloc+free pairs per CPU per workload "
		      "(TSC %llu.%03llu MHz)\n", bench_ncpus, bench_ncpus == 1 ? "" : "s", ops,
		   tsc_khz / 1000, tsc_khz % 1000);
	if (signal_pending())
		seq_puts(m, "bench: interrupted\n");
	bench_table(m, mask);
	bench_snapshot(&after);
	if (bench_check(m, &before, &after)) {
		seq_puts(m, "bench: conservation check FAILED\n");
		return 1;
	}
	seq_puts(m, "bench: conservation check passed\n");
	return signal_pending() ? 130 : 0;
}
