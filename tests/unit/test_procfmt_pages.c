// SPDX-License-Identifier: MIT
/*
 * pagelab's pagetypeinfo and zoneinfo against the /proc files of a running Linux 6.18
 * (tests/data/proc-6.18): the same keys, in the same order, in the same columns.  Values
 * are never compared - the captures come from a 24 GiB machine with two CPUs - so every
 * digit is blanked before two lines are compared: a number right-aligned in a field
 * leaves the field's width behind, a left-aligned one its start column, and a list in
 * parentheses its length.
 *
 * zoneinfo is compared here in two parts: each zone's watermark block (from
 * "pages free" to "protection:") and its pageset part (from "pagesets" to "start_pfn:").
 * The per-node and per-zone counters in between are test_procfmt.c's (meminfo, vmstat,
 * slabinfo and those counter lines).
 */
#include <criterion/criterion.h>

#include "host/buddy_machine.h"
#include "host/read_file.h"

#define CAPTURE "tests/data/proc-6.18/"

static char capture[1 << 16];

static const char *read_capture(const char *name)
{
	snprintf(capture, sizeof(capture), "%s", read_file(name));
	return capture;
}

/* @line (up to its newline) with every digit made a space, in a static buffer. */
static const char *shape(const char *line)
{
	static char buf[2][256];
	static int next;
	char *b = buf[next++ % 2];
	size_t i;

	for (i = 0; line[i] && line[i] != '\n' && i < sizeof(buf[0]) - 1; i++)
		b[i] = (line[i] >= '0' && line[i] <= '9') ? ' ' : line[i];
	b[i] = 0;
	if (i && line[i - 1] >= '0' && line[i - 1] <= '9') {
		/* a left-aligned last number: only where it starts counts */
		while (i && line[i - 1] >= '0' && line[i - 1] <= '9')
			i--;
		b[i] = '#';
		b[i + 1] = 0;
	}
	/* "protection: (0, 3018, ...)": the list's length, not its numbers' widths */
	if (strchr(b, '(')) {
		char *p = strchr(b, '(') + 1, *q = p;

		for (; *p; p++)
			if (*p == ',' || *p == ')')
				*q++ = *p;
		*q = 0;
	}
	return b;
}

/* The line of @text that starts with @prefix, or NULL. */
static const char *find_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, prefix, n))
			return l;
	return NULL;
}

static const char *next_line(const char *l)
{
	const char *nl = strchr(l, '\n');

	return nl ? nl + 1 : l + strlen(l);
}

/* shape(@line) up to its last letter: the row's words, e.g. "Node     , zone    DMA  , type   HighAtomic". */
static size_t key_len(const char *line)
{
	const char *s = shape(line);
	size_t n = 0;

	for (size_t i = 0; s[i]; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))
			n = i + 1;
	return n;
}

/* Every line of @mine starting with @prefix has a twin in @theirs: same words, same shape. */
static void expect_rows_alike(const char *mine, const char *theirs, const char *prefix)
{
	int rows = 0;

	for (const char *l = find_line(mine, prefix); l && *l; l = find_line(next_line(l), prefix)) {
		size_t n = key_len(l);
		const char *twin = NULL;

		for (const char *t = find_line(theirs, prefix); t && *t && !twin;
		     t = find_line(next_line(t), prefix))
			if (key_len(t) == n && !strncmp(shape(l), shape(t), n))
				twin = t;
		cr_assert_not_null(twin, "Linux 6.18 has no line like\n%s\nin\n%s", shape(l), theirs);
		cr_assert_str_eq(shape(l), shape(twin), "pagelab's line, then Linux 6.18's");
		rows++;
	}
	cr_assert_gt(rows, 0, "no line starts with '%s' in\n%s", prefix, mine);
}

/* The lines of @text from the one starting with @from up to the one with @to, in order. */
static int section(const char *text, const char *from, const char *to, const char **lines, int max)
{
	const char *l = find_line(text, from);
	int n = 0;

	cr_assert_not_null(l, "no line starts with '%s' in\n%s", from, text);
	for (; *l && n < max; l = next_line(l)) {
		lines[n++] = l;
		if (!strncmp(l, to, strlen(to)))
			return n;
	}
	cr_assert_fail("no '%s' after '%s' in\n%s", to, from, text);
	return n;
}

/* The entry of zone @name in a zoneinfo text: from its "Node 0, zone" line to the next. */
static const char *zone_entry(const char *zoneinfo, const char *name, char *buf, size_t len)
{
	char head[64];
	const char *start, *end;

	snprintf(head, sizeof(head), "Node 0, zone %8s\n", name);
	start = strstr(zoneinfo, head);
	if (!start)
		return NULL;
	end = strstr(start + 1, "\nNode 0, zone ");
	snprintf(buf, len, "%.*s", (int)(end ? end + 1 - start : (long)strlen(start)), start);
	return buf;
}

Test(procfmt, pagetypeinfo_is_linux_6_18s)
{
	const char *theirs = read_capture(CAPTURE "pagetypeinfo");
	const char *mine;
	const char *types[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate" };
	const char *zones[] = { "DMA", "DMA32" };

	boot_machine(qemu_512m, 2, NULL);
	mine = show(pagetypeinfo_show);
	cr_assert_str_eq(shape(find_line(mine, "Page block order:")),
			 shape(find_line(theirs, "Page block order:")));
	cr_assert_str_eq(shape(find_line(mine, "Pages per block:")),
			 shape(find_line(theirs, "Pages per block:")));
	cr_assert_str_eq(shape(find_line(mine, "Free pages count")),
			 shape(find_line(theirs, "Free pages count")));
	cr_assert_str_eq(shape(find_line(mine, "Number of blocks type")),
			 shape(find_line(theirs, "Number of blocks type")));
	/* the blank lines: after the header, and before the second table */
	cr_assert(strstr(mine, "Pages per block:  512\n\nFree pages count"), "%s", mine);
	cr_assert(strstr(mine, " \n\nNumber of blocks type"), "%s", mine);
	expect_rows_alike(mine, theirs, "Node    0, zone ");
	expect_rows_alike(mine, theirs, "Node 0, zone ");
	/* every type of every zone, in Linux's order */
	for (int z = 0; z < 2; z++) {
		const char *prev = mine;

		for (int t = 0; t < 5; t++) {
			char row[80];
			const char *at;

			snprintf(row, sizeof(row), "Node    0, zone %8s, type %12s ", zones[z], types[t]);
			at = strstr(mine, row);
			cr_assert(at && at > prev, "'%s' missing or out of order in\n%s", row, mine);
			prev = at;
		}
	}
}

/* buddyinfo: one row per populated zone, eleven orders, each count in a 6-wide field. */
Test(procfmt, buddyinfo_is_linux_6_18s)
{
	const char *theirs = read_capture(CAPTURE "buddyinfo");
	const char *mine;

	boot_machine(qemu_512m, 2, NULL);
	mine = show(buddyinfo_show);
	expect_rows_alike(mine, theirs, "Node 0, zone ");
	cr_assert(strstr(mine, "Node 0, zone      DMA ") < strstr(mine, "Node 0, zone    DMA32 "), "%s",
		  mine);
	/* the capture's DMA32 row and pagelab's have the same shape, not only the same words */
	cr_assert_str_eq(shape(find_line(mine, "Node 0, zone    DMA32")),
			 shape(find_line(theirs, "Node 0, zone    DMA32")));
}

Test(procfmt, zoneinfo_watermarks_and_pagesets_are_linux_6_18s)
{
	static char mine_buf[8192], theirs_buf[8192];
	const char *theirs_all = read_capture(CAPTURE "zoneinfo");
	const char *mine_all;
	const char *names[] = { "DMA", "DMA32", "Normal", "Movable" };

	boot_machine(qemu_512m, 2, NULL);
	mine_all = show(zoneinfo_show);
	for (int z = 0; z < 4; z++) {
		const char *mine = zone_entry(mine_all, names[z], mine_buf, sizeof(mine_buf));
		const char *theirs = zone_entry(theirs_all, names[z], theirs_buf, sizeof(theirs_buf));
		const char *a[32], *b[32];
		int na, nb;

		cr_assert_not_null(mine, "pagelab shows no zone %s:\n%s", names[z], mine_all);
		cr_assert_not_null(theirs, "the capture has no zone %s", names[z]);
		na = section(mine, "  pages free", "        protection:", a, 32);
		nb = section(theirs, "  pages free", "        protection:", b, 32);
		cr_assert_eq(na, nb, "zone %s: %d watermark lines, Linux 6.18 %d", names[z], na, nb);
		for (int i = 0; i < na; i++)
			cr_assert_str_eq(shape(a[i]), shape(b[i]), "zone %s, watermark line %d",
					 names[z], i);
		if (!populated_zone(Z(z == 3 ? ZONE_MOVABLE : (enum zone_type)z))) {
			/* Linux ends an empty zone's entry there; so must pagelab */
			cr_assert_null(strstr(mine, "pagesets"), "%s", mine);
			cr_assert_eq(*next_line(a[na - 1]), 0, "%s", mine);
			continue;
		}
		/* one CPU here, two there: compare pagelab's CPU with Linux's first */
		na = section(mine, "  pagesets", "  vm stats threshold:", a, 32);
		nb = section(theirs, "  pagesets", "  vm stats threshold:", b, 32);
		cr_assert_eq(na, nb, "zone %s: %d lines per CPU, Linux 6.18 %d", names[z], na, nb);
		for (int i = 0; i < na; i++)
			cr_assert_str_eq(shape(a[i]), shape(b[i]), "zone %s, pageset line %d", names[z], i);
		/* then the zone's last two lines, and nothing after them */
		na = section(mine, "  node_unreclaimable:", "  start_pfn:", a, 32);
		nb = section(theirs, "  node_unreclaimable:", "  start_pfn:", b, 32);
		cr_assert_eq(na, 2);
		cr_assert_eq(nb, 2);
		for (int i = 0; i < na; i++)
			cr_assert_str_eq(shape(a[i]), shape(b[i]), "zone %s, line %d", names[z], i);
		cr_assert_eq(*next_line(a[1]), 0, "nothing after start_pfn:\n%s", mine);
	}
}

/* The numbers 6.18's formulas give for this machine (one CPU): the capture's, re-derived. */
Test(procfmt, pageset_sizes_follow_linux_6_18)
{
	boot_machine(qemu_512m, 2, NULL);
	for (enum zone_type t = ZONE_DMA; t <= ZONE_DMA32; t++) {
		struct zone *z = Z(t);
		struct per_cpu_pages *pcp = &z->per_cpu_pageset[0];
		unsigned long mem = z->managed_pages >> 15, fls = 0;

		while (mem >> fls)
			fls++;
		cr_assert_eq(pcp->high_min, (int)MAX(low_wmark_pages(z), 4UL * pcp->batch));
		cr_assert_eq(pcp->high_max, (int)MAX(z->managed_pages / 8, 4UL * pcp->batch));
		cr_assert_eq(pcp->high, pcp->high_min, "pagelab keeps high at high_min");
		cr_assert_eq(z->per_cpu_zonestats[0].stat_threshold, (int)MIN(2 * 1 * (1 + fls), 125UL),
			     "zone %s: threshold %d", z->name, z->per_cpu_zonestats[0].stat_threshold);
	}
	/* DMA (3998 present pages, under 128 MiB): 2 * fls(1) * (1 + 0) */
	cr_assert_eq(Z(ZONE_DMA)->per_cpu_zonestats[0].stat_threshold, 2);
}
