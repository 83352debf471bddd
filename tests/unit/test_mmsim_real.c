// SPDX-License-Identifier: MIT
/*
 * tools/mmsim against real Linux boot logs.  Each sample in tools/mmsim/samples/linux-*.txt
 * is a cut-down dmesg of a real x86-64 machine (source in its header): the firmware map
 * mmsim reads, and the lines Linux itself printed about that map.  The expectation here is
 * Linux's text, not mmsim's earlier output:
 *
 *   Zone ranges / Early memory node ranges / Initmem setup     equal, line for line
 *   "On node 0, zone X: N pages in unavailable ranges"         equal, line for line (5.12+);
 *   "Zeroed struct page in unavailable ranges: N pages"        older kernels print the sum
 *   "Memory: X/YK available"                                   Y equal: all of RAM, memblock.memory
 *   "On node 0 totalpages: N"                                  (older kernels) equal to Y / 4
 *
 * X is not compared: it is what is left once the kernel image, initrd, page tables and
 * memmap are reserved, which a simulator of pagelab's kernel cannot know.  Linux's
 * "  Device   empty" zone line is skipped: it is there only with CONFIG_ZONE_DEVICE, and
 * pagelab has no ZONE_DEVICE.  Run from the top directory, as `make check-unit` does.
 */
#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "host/read_file.h"
#include "lib/seq_file.h"
#include "../../tools/mmsim/mmsim.h"

static struct mmsim_input in; /* large: keep it off the stack */

#define MAX_LINES 64
#define LINE_LEN 128

struct lines {
	char v[MAX_LINES][LINE_LEN];
	u32 n;
};

/* The text after a dmesg timestamp "[    0.023795] ", or the line itself. */
static const char *strip_time(const char *l)
{
	const char *close;

	if (l[0] == '[' && (close = strstr(l, "] ")))
		return close + 2;
	return l;
}

/* "  DMA32    [mem ...]" or "  Normal   empty", not "  DMA zone: 64 pages used for memmap". */
static bool is_zone_range_line(const char *l)
{
	static const char *const zones[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable" };

	if (strncmp(l, "  ", 2))
		return false;
	for (u32 i = 0; i < ARRAY_SIZE(zones); i++) {
		const char *p = l + 2 + strlen(zones[i]);

		if (strncmp(l + 2, zones[i], strlen(zones[i])) || *p != ' ')
			continue;
		while (*p == ' ')
			p++;
		return !strncmp(p, "[mem ", 5) || !strcmp(p, "empty");
	}
	return false;
}

static bool is_range_line(const char *l)
{
	static const char *const prefixes[] = {
		"Zone ranges:", "Movable zone start for each node", "Early memory node ranges",
		"  node   ", "Initmem setup node ",
	};

	for (u32 i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(l, prefixes[i], strlen(prefixes[i])))
			return true;
	return is_zone_range_line(l);
}

static bool is_unavailable_line(const char *l)
{
	return !strncmp(l, "On node 0, zone ", 16) && strstr(l, " pages in unavailable ranges");
}

/* Walk @text line by line; lines of the kinds @want picks go to @out, timestamps gone. */
static void collect(const char *text, bool (*want)(const char *), struct lines *out)
{
	out->n = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		const char *l;

		snprintf(line, sizeof(line), "%.*s", (int)MIN(len, sizeof(line) - 1), p);
		l = strip_time(line);
		if (line[0] != '#' && want(l)) {
			cr_assert_lt(out->n, MAX_LINES);
			snprintf(out->v[out->n++], LINE_LEN, "%s", l);
		}
		p = nl ? nl + 1 : p + len;
	}
}

/* The number after @key in @text ("Memory: 3286484K/" -> the Y of X/YK), or -1. */
static long long number_after(const char *text, const char *key, const char *fmt)
{
	const char *p = strstr(text, key);
	long long v;

	return p && sscanf(p + strlen(key), fmt, &v) == 1 ? v : -1;
}

static long long sum_unavailable(const struct lines *l)
{
	long long sum = 0;

	for (u32 i = 0; i < l->n; i++)
		sum += atoll(strchr(l->v[i], ':') + 2);
	return sum;
}

static void assert_lines_eq(const struct lines *got, const struct lines *want, const char *what)
{
	for (u32 i = 0; i < MIN(got->n, want->n); i++)
		cr_assert_str_eq(got->v[i], want->v[i], "%s, line %u:\n mmsim: %s\n Linux: %s",
				 what, i, got->v[i], want->v[i]);
	cr_assert_eq(got->n, want->n, "%s: mmsim printed %u lines, Linux %u", what, got->n,
		     want->n);
}

static void check_against_linux(const char *name)
{
	static char out[1 << 16];
	static struct lines want, got;
	struct mmsim_options opt = { .source = MMSIM_AUTO };
	char path[256];
	struct seq_file m;
	const char *linux_log;
	long long linux_total_k, mmsim_total_k, zeroed, totalpages;

	snprintf(path, sizeof(path), "tools/mmsim/samples/%s.txt", name);
	linux_log = read_file(path);
	for (const char *p = linux_log; *p;) {
		const char *nl = strchr(p, '\n');
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
		mmsim_parse_line(&in, line);
		p = nl ? nl + 1 : p + strlen(p);
	}
	cr_assert_eq(in.nr_malformed, 0, "%s: %u lines could not be read", name, in.nr_malformed);
	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(mmsim_run(&in, &opt, &m), 0, "%s", out);

	collect(linux_log, is_range_line, &want);
	collect(out, is_range_line, &got);
	cr_assert_gt(want.n, 6, "%s holds no Zone ranges / node ranges of Linux's", name);
	assert_lines_eq(&got, &want, "zone and node ranges");

	collect(linux_log, is_unavailable_line, &want);
	collect(out, is_unavailable_line, &got);
	zeroed = number_after(linux_log, "Zeroed struct page in unavailable ranges: ", "%lld");
	if (want.n)
		assert_lines_eq(&got, &want, "unavailable ranges");
	else
		cr_assert_eq(sum_unavailable(&got), zeroed,
			     "unavailable pages: mmsim %lld in all, Linux %lld", sum_unavailable(&got),
			     zeroed);

	linux_total_k = number_after(strstr(linux_log, "Memory: "), "K/", "%lldK");
	mmsim_total_k = number_after(strstr(out, "Memory: "), "K/", "%lldK");
	cr_assert_gt(linux_total_k, 0, "%s has no \"Memory: X/YK available\" line", name);
	cr_assert_eq(mmsim_total_k, linux_total_k, "RAM: mmsim %lldK, Linux %lldK", mmsim_total_k,
		     linux_total_k);
	totalpages = number_after(linux_log, "On node 0 totalpages: ", "%lld");
	if (totalpages >= 0)
		cr_assert_eq(mmsim_total_k / 4, totalpages);
}

/* UEFI, Linux 5.19, RAM above 4 GiB, setup_data and late EFI e820 updates in the log. */
Test(mmsim_real, lenovo_82gk_uefi_linux_5_19)
{
	check_against_linux("linux-5.19-uefi-lenovo-82gk");
}

/* Legacy BIOS, Linux 5.10, sub-page usable entries, MTRR trimming replayed. */
Test(mmsim_real, dell_t3400_bios_linux_5_10)
{
	check_against_linux("linux-5.10-bios-dell-t3400");
}

/* Legacy BIOS (CSM), Linux 5.9, 16 GiB, holes inside present sections. */
Test(mmsim_real, asus_k501uw_bios_linux_5_9)
{
	check_against_linux("linux-5.9-bios-asus-k501uw");
}

/*
 * Changes Linux printed before its last "last_pfn =" line are replayed before memblock is
 * built; later ones are not.  Here, as mem=4G prints it (e820__range_remove of all RAM
 * from 4 GiB up), then an EFI-style late update that must be left alone.
 */
Test(mmsim_real, early_e820_changes_are_replayed_late_ones_not)
{
	static const char *const log[] = {
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n",
		"BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"BIOS-e820: [mem 0x0000000100000000-0x000000023fffffff] usable\n",
		"e820: update [mem 0x7a1b6018-0x7a1c6057] usable ==> usable\n",
		"e820: remove [mem 0x100000000-0xfffffffffffffffe] usable\n",
		"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n",
		"e820: remove [mem 0x000a0000-0x000fffff] usable\n",
		"last_pfn = 0xc0000 max_arch_pfn = 0x400000000\n",
		"e820: update [mem 0x10000000-0x1fffffff] usable ==> reserved\n",
	};
	static char out[1 << 15];
	struct mmsim_options opt = { .source = MMSIM_AUTO };
	struct seq_file m;

	for (u32 i = 0; i < ARRAY_SIZE(log); i++)
		cr_assert_eq(mmsim_parse_line(&in, log[i]), 1, "%s", log[i]);
	cr_assert_eq(in.nr_changes, 5);
	cr_assert_eq(in.nr_changes_early, 4);
	cr_assert(in.changes[1].remove && in.changes[1].check_type);
	cr_assert_eq(in.changes[1].start, 0x100000000ULL);
	cr_assert_eq(in.changes[1].size, ~0ULL - 0x100000000ULL);
	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(mmsim_run(&in, &opt, &m), 0, "%s", out);
	/* trim_bios_range's own two lines once, the mem= removal replayed, nothing else. */
	cr_assert_not_null(strstr(out, "e820: remove [mem 0x000a0000-0x000fffff] usable\n"
				       "e820: remove [mem 0x100000000-0xfffffffffffffffe] usable\n"
				       "No NUMA configuration found\n"), "%s", out);
	cr_assert_null(strstr(out, "0x7a1b6018"), "%s", out);
	cr_assert_null(strstr(out, "0x10000000-"), "%s", out);
	cr_assert_not_null(strstr(out, "  node   0: [mem 0x0000000000100000-0x00000000bfffffff]\n"
				       "Initmem setup node 0 [mem 0x0000000000001000-0x00000000bfffffff]\n"),
			   "%s", out);
}
