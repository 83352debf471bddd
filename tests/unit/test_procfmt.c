// SPDX-License-Identifier: MIT
/*
 * procfmt: pagelab's /proc views against a real Linux 6.18.44 (tests/data/proc-6.18):
 * the same keys in the same order, in the same columns.  Values are never compared with
 * Linux's, only where the numbers sit; the last test checks that the numbers pagelab
 * really counts agree between its own views.
 *
 * The capture's kernel was configured differently from pagelab (its `config` file), so
 * a few of its keys are absent here on purpose; each list below names them with the
 * option that decides, as docs/mm/vmstat.md does:
 *
 *   CONFIG_NUMA            numa_hit ... numa_other, zone_reclaim_success/_failed
 *   CONFIG_NUMA_BALANCING  pgpromote_*, numa_pte_updates ... numa_pages_migrated
 *   CONFIG_ZONE_DEVICE     pgalloc_device, allocstall_device, pgskip_device
 *   arch_report_meminfo()  DirectMap4k/2M/1G: printed by the arch, after meminfo_show()
 *                          (the QEMU boots check those)
 *
 * and the 32-bit layout (zones=x86_32) stands for CONFIG_HIGHMEM without ZONE_DMA32:
 * HighTotal..LowFree and the *_high events appear, the *_dma32 events go.
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "host/read_file.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/highmem.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define CAPTURE "tests/data/proc-6.18/"
#define MAX_LINES 512
#define MAX_KEY 48

/* One view, split into lines; text[] keeps them. */
struct view {
	char text[1 << 16];
	char *line[MAX_LINES];
	int n;
};

static void split(struct view *v)
{
	char *p = v->text;

	v->n = 0;
	while (*p && v->n < MAX_LINES) {
		char *nl = strchr(p, '\n');

		v->line[v->n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

static void load_capture(struct view *v, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), CAPTURE "%s", name);
	strscpy(v->text, read_file(path), sizeof(v->text));
	split(v);
}

static void load_view(struct view *v, void (*show)(struct seq_file *m))
{
	struct seq_file m;

	seq_buf_init(&m, v->text, sizeof(v->text));
	show(&m);
	cr_assert_lt(strlen(v->text), sizeof(v->text) - 1, "the view outgrew the buffer");
	split(v);
}

/* The first word of @line (after any indentation), without a trailing ':'. */
static const char *key_of(const char *line, char *key)
{
	int n = 0;

	while (*line == ' ')
		line++;
	while (line[n] && line[n] != ' ' && n < MAX_KEY - 1) {
		key[n] = line[n];
		n++;
	}
	if (n && key[n - 1] == ':')
		n--;
	key[n] = '\0';
	return key;
}

static bool in_list(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

/* The keys of lines [from, to) of @v, less those in @skip, one per entry of @keys. */
static int keys_of(const struct view *v, int from, int to, const char *const *skip,
		   char keys[][MAX_KEY])
{
	int n = 0;

	for (int i = from; i < to; i++) {
		key_of(v->line[i], keys[n]);
		if (!in_list(keys[n], skip))
			n++;
	}
	return n;
}

/* Both key lists are the same, in the same order; the first difference is named. */
static void same_keys(char a[][MAX_KEY], int na, char b[][MAX_KEY], int nb, const char *what)
{
	for (int i = 0; i < na && i < nb; i++)
		cr_assert_str_eq(a[i], b[i], "%s, key %d: pagelab has %s where Linux 6.18 has %s",
				 what, i, a[i], b[i]);
	cr_assert_eq(na, nb, "%s: pagelab prints %d keys, Linux 6.18 %d (first extra: %s)", what,
		     na, nb, na > nb ? a[nb] : b[na]);
}

static bool all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/*
 * meminfo's columns: the name and its colon padded to 16, the number right-aligned in
 * the next 8 (pushed right when longer), then " kB" or nothing (the HugePages_ counts).
 * Returns the suffix after the number, or NULL if @line has another shape.
 */
static const char *meminfo_suffix(const char *line)
{
	const char *colon = strchr(line, ':'), *num, *end;

	if (!colon || colon - line > 15)
		return NULL;
	for (num = colon + 1; *num == ' '; num++)
		;
	for (end = num; *end >= '0' && *end <= '9'; end++)
		;
	if (end == num || num - line < 16)
		return NULL;
	if (end - line != (end - num > 8 ? 16 + (end - num) : 24))
		return NULL;
	return end;
}

static void meminfo_matches(const char *const *skip_capture)
{
	static struct view ours, real;
	static char a[MAX_LINES][MAX_KEY], b[MAX_LINES][MAX_KEY];
	int na, nb;

	load_capture(&real, "meminfo");
	load_view(&ours, meminfo_show);
	na = keys_of(&ours, 0, ours.n, NULL, a);
	nb = keys_of(&real, 0, real.n, skip_capture, b);
	same_keys(a, na, b, nb, "meminfo");
	for (int i = 0; i < real.n; i++)
		cr_assert_not_null(meminfo_suffix(real.line[i]), "the rule misreads Linux's %s",
				   real.line[i]);
	for (int i = 0; i < ours.n; i++) {
		const char *s = meminfo_suffix(ours.line[i]);
		char key[MAX_KEY];
		int j;

		cr_assert_not_null(s, "meminfo line not in Linux's columns: '%s'", ours.line[i]);
		key_of(ours.line[i], key);
		for (j = 0; j < real.n; j++)
			if (!strcmp(key_of(real.line[j], b[0]), key))
				break;
		if (j < real.n)
			cr_assert_str_eq(s, meminfo_suffix(real.line[j]), "%s: unit differs", key);
	}
}

Test(procfmt, meminfo_has_linux_618_keys_order_and_columns)
{
	static const char *const not_here[] = { "DirectMap4k", "DirectMap2M", "DirectMap1G", NULL };

	boot_machine_with_slab(ram_64m, 1, NULL);
	meminfo_matches(not_here);
}

Test(procfmt, meminfo_of_the_32_bit_layout_adds_highmem_lines)
{
	static struct view ours;
	static const char *const high[] = { "HighTotal", "HighFree", "LowTotal", "LowFree" };
	static const u64 ram_2g[][2] = { { MB(1), GB(2) } };
	char key[MAX_KEY];
	int i;

	boot_machine(ram_2g, 1, "zones=x86_32");
	load_view(&ours, meminfo_show);
	for (i = 0; i < ours.n; i++)
		if (!strcmp(key_of(ours.line[i], key), "Mlocked"))
			break;
	cr_assert_lt(i + 5, ours.n);
	/* CONFIG_HIGHMEM's four lines sit between Mlocked and SwapTotal, as in Linux */
	for (int h = 0; h < 4; h++)
		cr_assert_str_eq(key_of(ours.line[i + 1 + h], key), high[h]);
	cr_assert_str_eq(key_of(ours.line[i + 5], key), "SwapTotal");
	for (i = 0; i < ours.n; i++)
		cr_assert_not_null(meminfo_suffix(ours.line[i]), "'%s'", ours.line[i]);
}

/* The keys pagelab's configuration does not have (see the top of this file). */
static const char *const numa_zone_stats[] = { "numa_hit", "numa_miss", "numa_foreign",
	"numa_interleave", "numa_local", "numa_other", NULL };
static const char *const vmstat_not_here[] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
	"pgpromote_success", "pgpromote_candidate", "pgpromote_candidate_nrl",
	"pgalloc_device", "allocstall_device", "pgskip_device",
	"zone_reclaim_success", "zone_reclaim_failed",
	"numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults",
	"numa_hint_faults_local", "numa_pages_migrated", NULL
};

Test(procfmt, vmstat_has_linux_618_counters_in_order)
{
	static struct view ours, real;
	static char a[MAX_LINES][MAX_KEY], b[MAX_LINES][MAX_KEY];

	boot_machine_with_slab(ram_64m, 1, NULL);
	load_capture(&real, "vmstat");
	load_view(&ours, vmstat_show);
	same_keys(a, keys_of(&ours, 0, ours.n, NULL, a), b,
		  keys_of(&real, 0, real.n, vmstat_not_here, b), "vmstat");
	for (int i = 0; i < ours.n; i++) {
		const char *sp = strchr(ours.line[i], ' ');

		cr_assert(sp && all_digits(sp + 1, strlen(sp + 1)), "not \"name value\": '%s'",
			  ours.line[i]);
	}
}

Test(procfmt, vmstat_of_the_32_bit_layout_swaps_dma32_for_high)
{
	static struct view ours;
	static char a[MAX_LINES][MAX_KEY];
	static const char *const zones[] = { "_dma", "_normal", "_high", "_movable" };
	static const u64 ram_2g[][2] = { { MB(1), GB(2) } };
	int n, i;

	boot_machine(ram_2g, 1, "zones=x86_32");
	load_view(&ours, vmstat_show);
	n = keys_of(&ours, 0, ours.n, NULL, a);
	for (i = 0; i < n && strcmp(a[i], "pgalloc_dma"); i++)
		;
	cr_assert_lt(i + 12, n);
	/* an i386 kernel's zones, in each of the three per-zone events */
	for (int e = 0; e < 3; e++) {
		static const char *const events[] = { "pgalloc", "allocstall", "pgskip" };

		for (int z = 0; z < 4; z++) {
			char want[MAX_KEY];

			snprintf(want, sizeof(want), "%s%s", events[e], zones[z]);
			cr_assert_str_eq(a[i + 4 * e + z], want);
		}
	}
	for (i = 0; i < n; i++)
		cr_assert_null(strstr(a[i], "_dma32"), "%s in the 32-bit layout", a[i]);
}

/* zoneinfo's counter lines: six spaces, the name padded to 12, a space, the number. */
static bool zoneinfo_stat_line(const char *line)
{
	const char *name = line + 6, *sp;

	if (strncmp(line, "      ", 6) || *name == ' ' || !(sp = strchr(name, ' ')))
		return false;
	if (sp - name < 12) {
		for (const char *p = sp; p < name + 12; p++)
			if (*p != ' ')
				return false;
		sp = name + 12;
	}
	return sp[0] == ' ' && all_digits(sp + 1, strlen(sp + 1));
}

/* [*from, *to) of @v: the lines after the one starting with @after, up to @before's. */
static void block(const struct view *v, int start, const char *after, const char *before,
		  int *from, int *to)
{
	int i = start;

	while (i < v->n && strncmp(v->line[i], after, strlen(after)))
		i++;
	cr_assert_lt(i, v->n, "no '%s' line", after);
	*from = ++i;
	while (i < v->n && strncmp(v->line[i], before, strlen(before)))
		i++;
	*to = i;
}

Test(procfmt, zoneinfo_stats_lines_are_linux_618s)
{
	static struct view ours, real;
	static char a[MAX_LINES][MAX_KEY], b[MAX_LINES][MAX_KEY];
	int fa, ta, fb, tb;

	boot_machine_with_slab(ram_64m, 1, NULL);
	load_capture(&real, "zoneinfo");
	load_view(&ours, zoneinfo_show);
	/* per-node stats: right under the node's first populated zone, DMA here and there */
	cr_assert_str_eq(ours.line[0], "Node 0, zone      DMA");
	cr_assert_str_eq(ours.line[1], "  per-node stats");
	block(&ours, 0, "  per-node stats", "  pages free", &fa, &ta);
	block(&real, 0, "  per-node stats", "  pages free", &fb, &tb);
	same_keys(a, keys_of(&ours, fa, ta, NULL, a), b, keys_of(&real, fb, tb, vmstat_not_here, b),
		  "zoneinfo per-node stats");
	for (int i = fa; i < ta; i++)
		cr_assert(zoneinfo_stat_line(ours.line[i]), "'%s'", ours.line[i]);
	for (int i = 2, seen = 0; i < ours.n; i++)
		cr_assert_eq(seen += !strcmp(ours.line[i], "  per-node stats"), 0, "printed once per node");
	/* each populated zone's counters, between its protection line and its pagesets */
	block(&ours, ta, "        protection:", "  pagesets", &fa, &ta);
	block(&real, tb, "        protection:", "  pagesets", &fb, &tb);
	same_keys(a, keys_of(&ours, fa, ta, NULL, a), b, keys_of(&real, fb, tb, numa_zone_stats, b),
		  "zoneinfo zone stats");
	for (int i = fa; i < ta; i++)
		cr_assert(zoneinfo_stat_line(ours.line[i]), "'%s'", ours.line[i]);
	for (int i = fb; i < tb; i++)
		cr_assert(zoneinfo_stat_line(real.line[i]), "the rule misreads '%s'", real.line[i]);
}

/* The kmalloc caches of the types pagelab has: "kmalloc-<size>", "dma-kmalloc-<size>". */
static bool plain_kmalloc(const char *name)
{
	const char *size = !strncmp(name, "dma-kmalloc-", 12) ? name + 12 :
			   !strncmp(name, "kmalloc-", 8) ? name + 8 : NULL;

	return size && *size >= '0' && *size <= '9';
}

static int kmalloc_names(const struct view *v, char names[][MAX_KEY])
{
	int n = 0;

	for (int i = 2; i < v->n; i++)
		if (plain_kmalloc(key_of(v->line[i], names[n])))
			n++;
	return n;
}

/* Where " : tunables" and " : slabdata" start: the columns before them. */
static void slabinfo_columns(const char *line, long *t, long *d)
{
	const char *tun = strstr(line, " : tunables"), *dat = strstr(line, " : slabdata");

	*t = tun ? tun - line : -1;
	*d = dat ? dat - line : -1;
}

Test(procfmt, slabinfo_header_and_kmalloc_order_are_linux_618s)
{
	static struct view ours, real;
	static char a[MAX_LINES][MAX_KEY], b[MAX_LINES][MAX_KEY];
	int n;

	boot_machine_with_slab(ram_64m, 1, NULL);
	load_capture(&real, "slabinfo");
	load_view(&ours, slabinfo_show);
	cr_assert_str_eq(ours.line[0], real.line[0]);
	cr_assert_str_eq(ours.line[1], real.line[1]);
	n = kmalloc_names(&ours, a);
	cr_assert_eq(n, 2 * 13, "13 sizes of two types");
	same_keys(a, n, b, kmalloc_names(&real, b), "slabinfo's kmalloc caches");
	for (int i = 2; i < ours.n; i++) {
		char key[MAX_KEY];
		long t, d, lt, ld;

		if (!plain_kmalloc(key_of(ours.line[i], key)))
			continue;
		for (int j = 2; j < real.n; j++)
			if (!strcmp(key_of(real.line[j], b[0]), key))
				slabinfo_columns(real.line[j], &lt, &ld);
		slabinfo_columns(ours.line[i], &t, &d);
		cr_assert(t == lt && d == ld, "%s: columns at %ld/%ld, Linux's at %ld/%ld", key, t,
			  d, lt, ld);
	}
}

/* The number on @name's line of a split view (meminfo's or vmstat's); -1 if none. */
static long value_of(const struct view *v, const char *name)
{
	char key[MAX_KEY];

	for (int i = 0; i < v->n; i++) {
		const char *p = v->line[i] + strlen(name);

		if (strncmp(v->line[i], name, strlen(name)) || strcmp(key_of(v->line[i], key), name))
			continue;
		while (*p && (*p < '0' || *p > '9'))
			p++;
		return strtol(p, NULL, 10);
	}
	return -1;
}

/*
 * The numbers pagelab really counts, seen from both views: the slab pages meminfo shows
 * are vmstat's, every free page of a 2 MiB block or larger is in nr_free_pages_blocks,
 * and the memmap of the machine's one 128 MiB section (32768 struct pages) came from
 * memblock.
 */
Test(procfmt, counted_values_agree_between_views)
{
	static struct view mi, vm;
	long blocks, free;

	void *large;
	long before;

	boot_machine_with_slab(ram_64m, 1, NULL);
	load_view(&vm, vmstat_show);
	before = value_of(&vm, "nr_slab_unreclaimable");
	large = kmalloc(20000, GFP_KERNEL); /* 8 pages straight from the buddy allocator */
	load_view(&vm, vmstat_show);
	cr_assert_eq(value_of(&vm, "nr_slab_unreclaimable"), before + 8, "a large kmalloc is slab");
	kfree(large);
	load_view(&mi, meminfo_show);
	load_view(&vm, vmstat_show);
	cr_assert_eq(value_of(&vm, "nr_slab_unreclaimable"), before);
	cr_assert_eq(value_of(&mi, "SUnreclaim"), value_of(&vm, "nr_slab_unreclaimable") * 4);
	cr_assert_eq(value_of(&mi, "SReclaimable"), value_of(&vm, "nr_slab_reclaimable") * 4);
	cr_assert_eq(value_of(&mi, "Slab"), value_of(&mi, "SUnreclaim") + value_of(&mi, "SReclaimable"));
	free = value_of(&vm, "nr_free_pages");
	blocks = value_of(&vm, "nr_free_pages_blocks");
	cr_assert(blocks > 0 && blocks <= free && blocks % 512 == 0, "%ld of %ld", blocks, free);
	cr_assert_eq(value_of(&mi, "MemFree"), free * 4);
	cr_assert_eq(value_of(&vm, "nr_memmap_boot_pages"),
		     (long)((PAGES_PER_SECTION * sizeof(struct page) + PAGE_SIZE - 1) / PAGE_SIZE));
	cr_assert_eq(value_of(&mi, "CommitLimit"), value_of(&mi, "MemTotal") / 4 / 2 * 4);
	cr_assert_eq(value_of(&mi, "VmallocTotal"), (32L << 30) - 1, "x86-64's 32 TiB, in kB");
	cr_assert_eq(value_of(&vm, "nr_unstable"), 0);
}
