// SPDX-License-Identifier: MIT
/*
 * tools/mmsim against real Linux boot logs.  Each sample in tools/mmsim/samples/linux-*.txt
 * is a cut-down log of a real x86 machine (source in its header): the firmware map mmsim
 * reads, and the lines Linux itself printed about that map.  The expectation is Linux's
 * text, not mmsim's earlier output.  From each log and from mmsim's output the same facts
 * are taken, and compared one by one:
 *
 *   zone X       "  DMA32    [mem ...]" of Zone ranges ("  Device   empty" is skipped: it
 *                is there only with CONFIG_ZONE_DEVICE, which pagelab does not have)
 *   node N       the Nth line of Early memory node ranges
 *   initmem      "Initmem setup node 0 [mem ...]"
 *   unavailable N  the Nth "On node 0, zone X: N pages in unavailable ranges" (5.12+)
 *   unavailable  the sum, where Linux printed "Zeroed struct page in unavailable ranges"
 *   RAM          the Y of "Memory: X/YK available" (X is what is left once the kernel,
 *                initrd, page tables and memmap are reserved: not pagelab's to know)
 *   totalpages   "On node 0 totalpages: N" (before 5.13), against mmsim's RAM / 4
 *   highmem, lowmem  "NNNMB HIGHMEM available." and "NNNMB LOWMEM available." (32-bit)
 *
 * A fact is compared only if Linux printed its kind: 2.6 printed no Initmem line.  Only
 * the layout is normalised, never a value: 32-bit kernels before 4.x printed eight hex
 * digits, and 2.6 printed page frame numbers ("  DMA      0x00000000 -> 0x00001000",
 * "    0: 0x00000000 -> 0x00000002"), rewritten here as the [mem first-last] Linux prints
 * now.
 *
 * Every fact that differs must be in known_differences[] below, with Linux's text,
 * mmsim's text and the rule that explains it; the test fails on a difference not there,
 * and on an entry that no longer differs, so the table can only shrink.  For logs of
 * Linux 6.11 or later the only rules allowed are ONE_NODE (the machine's, not Linux's
 * version) and, before 6.15, the one
 * change since then that pagelab follows (FLATMEM_TAIL): mmsim must print what Linux
 * printed.  Run from the top directory, as `make check-unit` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <criterion/criterion.h>

#include "host/read_file.h"
#include "lib/seq_file.h"
#include "../../tools/mmsim/mmsim.h"

/* ---- the rules that explain today's differences ---- */

/*
 * A NUMA machine's Linux gives each node its own memory ranges, Initmem line and totals;
 * pagelab has one node (mmsim prints "Faking a node"), so every range is node 0's.  The
 * facts compare node 0's lines only ("  node   0: ..."), so Linux's other nodes' ranges
 * show up as mmsim's extra node 0 lines.
 */
#define ONE_NODE "Linux split this machine into NUMA nodes; pagelab has one node"
/*
 * pagelab's 32-bit layout ends lowmem at Linux 6.18's MAXMEM (0x375fe000: below it the
 * fixmap, the CPU entry areas, the LDT remap and the kmap window, each PMD-aligned, then
 * the vmalloc reserve).  Older kernels had fewer of those areas, so a higher MAXMEM.
 */
#define LOWMEM_NO_LDT "Linux 4.15-4.18 had no LDT remap PMD: MAXMEM 2 MiB above 6.18's"
#define LOWMEM_NO_CEA "Linux before 4.15 had no CPU entry areas or LDT remap: MAXMEM above 6.18's"
/* Since 6.11 max_pfn, where the top zone ends, takes in ACPI data past the last RAM page. */
#define MAX_PFN_NO_ACPI "Linux before 6.11 did not count ACPI data in max_pfn"
/*
 * An i386 kernel without NUMA is FLATMEM; since 6.15 its memmap, and the unavailable pages
 * counted after the last RAM page, runs to the next MAX_PAGE_ORDER block (pagelab: 6.18).
 */
#define FLATMEM_TAIL "Linux before 6.15 counted no FLATMEM unavailable pages after the last RAM page"
/* Before 3.11 the Y of "Memory: X/Yk" was max_pfn, holes included, not the RAM. */
#define MEMORY_MAX_PFN "Linux before 3.11 printed max_pfn (holes included) as the Memory: total"
/*
 * 5.3 zeroed the struct pages of holes up to max_pfn only; 5.9 and later (the Dell T3400,
 * the ASUS K501UW) also count the rest of the last 128 MiB section, as pagelab does.
 */
#define UNAVAIL_NO_TAIL \
	"Linux 5.3 counted unavailable pages up to max_pfn, not to the end of the last section"
/* 2.6 kernels did not reserve page 0 (trim_bios_range does today, and pagelab). */
#define PAGE0_KEPT "Linux 2.6 kept page 0 as RAM"
/* 2.6 changed its table after printing last_pfn; mmsim replays only what came before. */
#define LATE_E820_CHANGE \
	"Linux 2.6 changed its e820 table after its last last_pfn line, which mmsim does not replay"

struct known_difference {
	const char *sample, *fact, *linux_text, *mmsim_text, *rule;
};

#define PAGE0_AND_LATE PAGE0_KEPT "; " LATE_E820_CHANGE

static const struct known_difference known_differences[] = {
	/* Eight nodes; the RAM total ("Memory: .../1073642052K") and the zones agree. */
	{ "supermicro-epyc-1t", "initmem", "Initmem setup node 0 [mem 0x0000000000001000-0x000000202f37ffff]",
	  "Initmem setup node 0 [mem 0x0000000000001000-0x000001002ff7ffff]", ONE_NODE },
	{ "supermicro-epyc-1t", "totalpages", "33530385", "268410513", ONE_NODE },
	{ "supermicro-epyc-1t", "node 6", "(none)", "  node   0: [mem 0x0000002030000000-0x000000402ff7ffff]", ONE_NODE },
	{ "supermicro-epyc-1t", "node 7", "(none)", "  node   0: [mem 0x0000004030000000-0x000000602ff7ffff]", ONE_NODE },
	{ "supermicro-epyc-1t", "node 8", "(none)", "  node   0: [mem 0x0000006030000000-0x000000802ff7ffff]", ONE_NODE },
	{ "supermicro-epyc-1t", "node 9", "(none)", "  node   0: [mem 0x0000008030000000-0x000000a02ff7ffff]", ONE_NODE },
	{ "supermicro-epyc-1t", "node 10", "(none)", "  node   0: [mem 0x000000a030000000-0x000000c02ff7ffff]", ONE_NODE },
	{ "supermicro-epyc-1t", "node 11", "(none)", "  node   0: [mem 0x000000c030000000-0x000000e02ff7ffff]", ONE_NODE },
	{ "supermicro-epyc-1t", "node 12", "(none)", "  node   0: [mem 0x000000e030000000-0x000001002ff7ffff]", ONE_NODE },

	/* 0xbfed0 up to the next 4 MiB block, 0xc0000: what 6.15 and later print. */
	{ "thinkpad-pae-6.11", "unavailable 2", "(none)",
	  "On node 0, zone HighMem: 304 pages in unavailable ranges", FLATMEM_TAIL },

	{ "asus-ux391fa", "unavailable", "40038 pages", "48230 pages", UNAVAIL_NO_TAIL },
	{ "asus-ux391fa-efi", "unavailable", "40038 pages", "48230 pages", UNAVAIL_NO_TAIL },

	{ "latitude-e5410-pae", "highmem", "3592MB HIGHMEM available.",
	  "3594MB HIGHMEM available.", LOWMEM_NO_LDT },
	{ "latitude-e5410-pae", "lowmem", "887MB LOWMEM available.", "885MB LOWMEM available.",
	  LOWMEM_NO_LDT },
	{ "latitude-e5410-pae", "zone Normal", "  Normal   [mem 0x0000000001000000-0x00000000377fdfff]",
	  "  Normal   [mem 0x0000000001000000-0x00000000375fdfff]", LOWMEM_NO_LDT },
	{ "latitude-e5410-pae", "zone HighMem", "  HighMem  [mem 0x00000000377fe000-0x0000000117ffffff]",
	  "  HighMem  [mem 0x00000000375fe000-0x0000000117ffffff]", LOWMEM_NO_LDT },

	{ "msi-ms7817-pae", "highmem", "3698MB HIGHMEM available.",
	  "3704MB HIGHMEM available.", LOWMEM_NO_CEA },
	{ "msi-ms7817-pae", "lowmem", "891MB LOWMEM available.",
	  "885MB LOWMEM available.", LOWMEM_NO_CEA },
	{ "msi-ms7817-pae", "zone Normal", "  Normal   [mem 0x0000000001000000-0x0000000037bfdfff]",
	  "  Normal   [mem 0x0000000001000000-0x00000000375fdfff]", LOWMEM_NO_CEA },
	{ "msi-ms7817-pae", "zone HighMem", "  HighMem  [mem 0x0000000037bfe000-0x000000011edfffff]",
	  "  HighMem  [mem 0x00000000375fe000-0x000000011edfffff]", LOWMEM_NO_CEA },

	{ "edison-pae", "highmem", "121MB HIGHMEM available.",
	  "127MB HIGHMEM available.", LOWMEM_NO_CEA },
	{ "edison-pae", "lowmem", "891MB LOWMEM available.",
	  "885MB LOWMEM available.", LOWMEM_NO_CEA },
	{ "edison-pae", "zone Normal", "  Normal   [mem 0x0000000001000000-0x0000000037bfdfff]",
	  "  Normal   [mem 0x0000000001000000-0x00000000375fdfff]", LOWMEM_NO_CEA },
	{ "edison-pae", "zone HighMem", "  HighMem  [mem 0x0000000037bfe000-0x000000003f4fffff]",
	  "  HighMem  [mem 0x00000000375fe000-0x000000003f4fffff]", LOWMEM_NO_CEA },
	{ "edison-pae", "RAM", "1037312K", "1004124K", MEMORY_MAX_PFN },

	{ "thinkpad-i386", "highmem", "2182MB HIGHMEM available.",
	  "2184MB HIGHMEM available.", LOWMEM_NO_CEA },
	{ "thinkpad-i386", "lowmem", "887MB LOWMEM available.",
	  "885MB LOWMEM available.", LOWMEM_NO_CEA },
	{ "thinkpad-i386", "zone Normal", "  Normal   [mem 0x0000000001000000-0x00000000377fdfff]",
	  "  Normal   [mem 0x0000000001000000-0x00000000375fdfff]", LOWMEM_NO_CEA },
	{ "thinkpad-i386", "zone HighMem", "  HighMem  [mem 0x00000000377fe000-0x00000000bfecffff]",
	  "  HighMem  [mem 0x00000000375fe000-0x00000000bfedefff]", LOWMEM_NO_CEA "; " MAX_PFN_NO_ACPI },
	{ "thinkpad-i386", "RAM", "3144512K", "3144060K", MEMORY_MAX_PFN },

	{ "toshiba-pae", "highmem", "2180MB HIGHMEM available.",
	  "2184MB HIGHMEM available.", LOWMEM_NO_CEA },
	{ "toshiba-pae", "lowmem", "889MB LOWMEM available.",
	  "885MB LOWMEM available.", LOWMEM_NO_CEA },
	{ "toshiba-pae", "zone DMA", "  DMA      [mem 0x0000000000000000-0x0000000000ffffff]",
	  "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]", PAGE0_KEPT },
	{ "toshiba-pae", "zone Normal", "  Normal   [mem 0x0000000001000000-0x00000000379fdfff]",
	  "  Normal   [mem 0x0000000001000000-0x00000000375fdfff]", LOWMEM_NO_CEA },
	{ "toshiba-pae", "zone HighMem", "  HighMem  [mem 0x00000000379fe000-0x00000000bfe8ffff]",
	  "  HighMem  [mem 0x00000000375fe000-0x00000000bfe9bfff]", LOWMEM_NO_CEA "; " MAX_PFN_NO_ACPI },
	/* Linux's three ranges 0-0x1fff, 0x6000-0x9efff, 0x100000-...: mmsim's two, shifted. */
	{ "toshiba-pae", "node 0", "  node   0: [mem 0x0000000000000000-0x0000000000001fff]",
	  "  node   0: [mem 0x0000000000001000-0x000000000009efff]", PAGE0_AND_LATE },
	{ "toshiba-pae", "node 1", "  node   0: [mem 0x0000000000006000-0x000000000009efff]",
	  "  node   0: [mem 0x0000000000100000-0x00000000bfe8ffff]", PAGE0_AND_LATE },
	{ "toshiba-pae", "node 2", "  node   0: [mem 0x0000000000100000-0x00000000bfe8ffff]", "(none)",
	  PAGE0_AND_LATE },
	{ "toshiba-pae", "totalpages", "785963", "785966", PAGE0_AND_LATE },
	{ "toshiba-pae", "RAM", "3144256K", "3143864K", MEMORY_MAX_PFN },
};

/* ---- the samples ---- */

struct sample {
	const char *label;   /* what known_differences[] calls it */
	const char *file;    /* tools/mmsim/samples/FILE.txt */
	int version;         /* 100 * major + minor (2.6.x: 206), as its "Linux version" line says */
	const char *cmdline; /* mmsim --cmdline: "zones=x86_32" for a 32-bit kernel's log */
	enum mmsim_source source;
};

static const struct sample samples[] = {
	{ "lenovo-82n5", "linux-6.15-uefi-lenovo-82n5", 615, NULL, MMSIM_AUTO },
	{ "thinkpad-pae-6.11", "linux-6.11-bios-lenovo-thinkpad-pae", 611, "zones=x86_32", MMSIM_AUTO },
	{ "qemu-i440fx-6.12", "linux-6.12-bios-qemu-i440fx", 612, NULL, MMSIM_AUTO },
	{ "lenovo-82gk", "linux-5.19-uefi-lenovo-82gk", 519, NULL, MMSIM_AUTO },
	{ "dell-r6515", "linux-5.18-uefi-dell-r6515-256g", 518, NULL, MMSIM_AUTO },
	{ "supermicro-epyc-1t", "linux-4.19-bios-supermicro-epyc-1t", 419, NULL, MMSIM_AUTO },
	{ "dell-precision-5810", "linux-4.15-bios-dell-precision-5810", 415, NULL, MMSIM_AUTO },
	{ "x79-zd3", "linux-5.14-bios-x79-zd3-64g", 514, NULL, MMSIM_AUTO },
	{ "dell-t3400", "linux-5.10-bios-dell-t3400", 510, NULL, MMSIM_AUTO },
	{ "asus-k501uw", "linux-5.9-bios-asus-k501uw", 509, NULL, MMSIM_AUTO },
	{ "asus-ux391fa", "linux-5.3-uefi-asus-ux391fa", 503, NULL, MMSIM_AUTO },
	{ "asus-ux391fa-efi", "linux-5.3-uefi-asus-ux391fa", 503, NULL, MMSIM_EFI },
	{ "qemu-i440fx-6.14", "linux-6.14-bios-qemu-i440fx-kexec", 614, NULL, MMSIM_AUTO },
	{ "latitude-e5410-pae", "linux-4.17-bios-dell-latitude-e5410-pae", 417, "zones=x86_32",
	  MMSIM_AUTO },
	{ "msi-ms7817-pae", "linux-4.2-bios-msi-ms7817-pae", 402, "zones=x86_32", MMSIM_AUTO },
	{ "edison-pae", "linux-3.10-sfi-intel-edison-pae", 310, "zones=x86_32", MMSIM_AUTO },
	{ "thinkpad-i386", "linux-3.6-bios-lenovo-thinkpad-i386", 306, "zones=x86_32", MMSIM_AUTO },
	{ "toshiba-pae", "linux-2.6.31-bios-toshiba-satellite-pae", 206, "zones=x86_32", MMSIM_AUTO },
};

/* ---- facts ---- */

#define MAX_FACTS 96
#define FACT_LEN 96

struct facts {
	struct { char key[32], text[FACT_LEN]; } v[MAX_FACTS];
	u32 n;
	bool zones, nodes, initmem, unavail_lines, unavail_sum, ram, totalpages, highmem;
	long long unavail_total, ram_k;
};

static struct mmsim_input in; /* large: keep it off the stack */

static void add_fact(struct facts *f, const char *key, const char *text)
{
	cr_assert_lt(f->n, MAX_FACTS);
	snprintf(f->v[f->n].key, sizeof(f->v[f->n].key), "%s", key);
	snprintf(f->v[f->n].text, sizeof(f->v[f->n].text), "%s", text);
	f->n++;
}

static const char *fact(const struct facts *f, const char *key)
{
	for (u32 i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].key, key))
			return f->v[i].text;
	return NULL;
}

static const char *const zone_names[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable" };

/* "DMA32    ..." -> "DMA32" and what follows the blanks, or NULL. */
static const char *zone_name_at(const char *p, const char **rest)
{
	for (u32 i = 0; i < ARRAY_SIZE(zone_names); i++) {
		size_t n = strlen(zone_names[i]);

		if (strncmp(p, zone_names[i], n) || p[n] != ' ')
			continue;
		for (p += n; *p == ' ';)
			p++;
		*rest = p;
		return zone_names[i];
	}
	return NULL;
}

/* "[mem 0xA-0xB]" in any width -> the 16-digit form Linux prints now, in @out. */
static bool mem_range(const char *p, char *out, size_t size)
{
	unsigned long long a, b;

	if (sscanf(p, "[mem %llx-%llx]", &a, &b) != 2)
		return false;
	snprintf(out, size, "[mem %#018llx-%#018llx]", a, b);
	return true;
}

/* 2.6's "0x00000000 -> 0x00001000" (page frames, the end exclusive) as a [mem] range. */
static bool pfn_range(const char *p, char *out, size_t size)
{
	unsigned long long a, b;

	if (sscanf(p, "0x%llx -> 0x%llx", &a, &b) != 2 || b <= a)
		return false;
	snprintf(out, size, "[mem %#018llx-%#018llx]", a << 12, (b << 12) - 1);
	return true;
}

/* The facts in @text, a Linux log or mmsim's output, one line at a time. */
static void take_facts(const char *text, struct facts *f)
{
	u32 nodes = 0, unavail = 0;

	memset(f, 0, sizeof(*f));
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n'), *msg, *rest, *zone;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512], range[64], key[32], buf[FACT_LEN];
		long long n;

		snprintf(line, sizeof(line), "%.*s", (int)MIN(len, sizeof(line) - 1), p);
		p = nl ? nl + 1 : p + len;
		if (line[0] == '#')
			continue;
		msg = mmsim_log_message(line);
		if (!strncmp(msg, "  ", 2) && (zone = zone_name_at(msg + 2, &rest))) {
			if (!strcmp(rest, "empty"))
				snprintf(range, sizeof(range), "empty");
			else if (!mem_range(rest, range, sizeof(range)) &&
				 !pfn_range(rest, range, sizeof(range)))
				continue;
			snprintf(key, sizeof(key), "zone %s", zone);
			snprintf(buf, sizeof(buf), "  %-8s %s", zone, range);
			add_fact(f, key, buf);
			f->zones = true;
		} else if ((!strncmp(msg, "  node   0: ", 12) && mem_range(msg + 12, range, sizeof(range))) ||
			   (!strncmp(msg, "    0: ", 7) && pfn_range(msg + 7, range, sizeof(range)))) {
			snprintf(key, sizeof(key), "node %u", nodes++);
			snprintf(buf, sizeof(buf), "  node   0: %s", range);
			add_fact(f, key, buf);
			f->nodes = true;
		} else if (!strncmp(msg, "Initmem setup node 0 ", 21) && mem_range(msg + 21, range, sizeof(range))) {
			snprintf(buf, sizeof(buf), "Initmem setup node 0 %s", range);
			add_fact(f, "initmem", buf);
			f->initmem = true;
		} else if (!strncmp(msg, "On node 0, zone ", 16) && strstr(msg, " pages in unavailable ranges")) {
			snprintf(key, sizeof(key), "unavailable %u", unavail++);
			add_fact(f, key, msg);
			f->unavail_total += atoll(strchr(msg + 16, ':') + 2);
			f->unavail_lines = true;
		} else if (sscanf(msg, "Zeroed struct page in unavailable ranges: %lld", &n) == 1) {
			snprintf(buf, sizeof(buf), "%lld pages", n);
			add_fact(f, "unavailable", buf);
			f->unavail_sum = true;
		} else if (!strncmp(msg, "Memory: ", 8) && (rest = strchr(msg, '/')) &&
			   sscanf(rest + 1, "%lld", &n) == 1) {
			f->ram_k = n;
			snprintf(buf, sizeof(buf), "%lldK", n);
			add_fact(f, "RAM", buf);
			f->ram = true;
		} else if (sscanf(msg, "%lldMB HIGHMEM available%c", &n, &buf[0]) == 2 ||
			   sscanf(msg, "%lldMB LOWMEM available%c", &n, &buf[0]) == 2) {
			add_fact(f, strstr(msg, "HIGHMEM") ? "highmem" : "lowmem", msg);
			f->highmem = true;
		} else if (sscanf(msg, "On node 0 totalpages: %lld", &n) == 1) {
			snprintf(buf, sizeof(buf), "%lld", n);
			add_fact(f, "totalpages", buf);
			f->totalpages = true;
		}
	}
}

/* mmsim's facts of the kinds Linux printed, in Linux's forms. */
static void keep_linux_kinds(struct facts *m, const struct facts *l)
{
	struct facts all = *m;
	char buf[FACT_LEN];

	m->n = 0;
	for (u32 i = 0; i < all.n; i++) {
		const char *k = all.v[i].key;

		if ((!strncmp(k, "zone ", 5) && l->zones) || (!strncmp(k, "node ", 5) && l->nodes) ||
		    (!strcmp(k, "initmem") && l->initmem) ||
		    (!strncmp(k, "unavailable ", 12) && l->unavail_lines) || (!strcmp(k, "RAM") && l->ram) ||
		    ((!strcmp(k, "highmem") || !strcmp(k, "lowmem")) && l->highmem))
			add_fact(m, k, all.v[i].text);
	}
	if (l->unavail_sum) {
		snprintf(buf, sizeof(buf), "%lld pages", all.unavail_total);
		add_fact(m, "unavailable", buf);
	}
	if (l->totalpages && all.ram) {
		snprintf(buf, sizeof(buf), "%lld", all.ram_k / 4);
		add_fact(m, "totalpages", buf);
	}
}

/* "Linux version 5.10.9 ..." -> 510, or 0. */
static int linux_version(const char *log)
{
	const char *p = strstr(log, "Linux version ");
	int major, minor;

	return p && sscanf(p + 14, "%d.%d", &major, &minor) == 2 ? major * 100 + minor : 0;
}

/* ---- the comparison ---- */

static const struct known_difference *find_known(const char *sample, const char *key,
						 const char *linux_text, const char *mmsim_text)
{
	for (u32 i = 0; i < ARRAY_SIZE(known_differences); i++) {
		const struct known_difference *d = &known_differences[i];

		if (!strcmp(d->sample, sample) && !strcmp(d->fact, key) &&
		    !strcmp(d->linux_text, linux_text) && !strcmp(d->mmsim_text, mmsim_text))
			return d;
	}
	return NULL;
}

static char report[1 << 14];
static size_t report_len;

/* Append to report[]; past its end the text is cut, but report_len still counts it. */
#define REPORT_AT MIN(report_len, sizeof(report) - 1)
#define REPORT(...) (report_len += snprintf(report + REPORT_AT, sizeof(report) - REPORT_AT, \
					    __VA_ARGS__))

/* One difference: known (mark it seen) or reported as the table line it would need. */
static void difference(const char *sample, const char *key, const char *linux_text,
		       const char *mmsim_text, bool *seen, int version)
{
	const struct known_difference *d = find_known(sample, key, linux_text, mmsim_text);

	if (d && version >= 611 && strcmp(d->rule, ONE_NODE) &&
	    !(version < 615 && !strcmp(d->rule, FLATMEM_TAIL)))
		REPORT("Linux %d.%d: mmsim must print Linux's line, yet differs:\n", version / 100,
		       version % 100);
	else if (d) {
		seen[d - known_differences] = true;
		return;
	}
	REPORT("\t{ \"%s\", \"%s\", \"%s\", \"%s\", RULE },\n", sample, key, linux_text, mmsim_text);
}

static void check_sample(const char *label)
{
	static char out[1 << 16];
	static struct facts linux_facts, mmsim_facts;
	bool seen[ARRAY_SIZE(known_differences) + 1] = { false };
	const struct sample *s = NULL;
	struct mmsim_options opt = { 0 };
	struct seq_file m;
	const char *log;
	char path[256];
	int version;

	for (u32 i = 0; i < ARRAY_SIZE(samples); i++)
		if (!strcmp(samples[i].label, label))
			s = &samples[i];
	cr_assert_not_null(s, "no sample %s", label);
	snprintf(path, sizeof(path), "tools/mmsim/samples/%s.txt", s->file);
	log = read_file(path);
	version = s->version;
	cr_assert(!linux_version(log) || linux_version(log) == version,
		  "%s: its \"Linux version\" line says %d, samples[] %d", path, linux_version(log),
		  version);
	for (const char *p = log; *p;) {
		const char *nl = strchr(p, '\n');
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (line[0] != '#')
			mmsim_parse_line(&in, line);
		p = nl ? nl + 1 : p + strlen(p);
	}
	cr_assert_eq(in.nr_malformed, 0, "%s: %u lines could not be read", path, in.nr_malformed);

	take_facts(log, &linux_facts);
	cr_assert(linux_facts.zones && linux_facts.nodes && linux_facts.ram,
		  "%s lacks Linux's Zone ranges, node ranges or Memory: line", path);
	opt.source = s->source;
	opt.cmdline = s->cmdline;
	seq_buf_init(&m, out, sizeof(out));
	report_len = 0;
	if (mmsim_run(&in, &opt, &m)) {
		out[strcspn(out, "\n")] = 0;
		difference(label, "run", "(a boot log)", out, seen, version);
	} else {
		take_facts(out, &mmsim_facts);
		keep_linux_kinds(&mmsim_facts, &linux_facts);
		for (u32 i = 0; i < linux_facts.n; i++) {
			const char *mine = fact(&mmsim_facts, linux_facts.v[i].key);

			if (!mine || strcmp(mine, linux_facts.v[i].text))
				difference(label, linux_facts.v[i].key, linux_facts.v[i].text,
					   mine ? mine : "(none)", seen, version);
		}
		for (u32 i = 0; i < mmsim_facts.n; i++)
			if (!fact(&linux_facts, mmsim_facts.v[i].key))
				difference(label, mmsim_facts.v[i].key, "(none)", mmsim_facts.v[i].text,
					   seen, version);
	}
	for (u32 i = 0; i < ARRAY_SIZE(known_differences); i++)
		if (!strcmp(known_differences[i].sample, label) && !seen[i])
			REPORT("no longer differs, remove it from known_differences[]: "
			       "{ \"%s\", \"%s\", \"%s\", \"%s\" }\n", label, known_differences[i].fact,
			       known_differences[i].linux_text, known_differences[i].mmsim_text);
	cr_assert_eq(report_len, 0, "%s (Linux %d.%d):\n%s", path, version / 100, version % 100,
		     report);
}

#define SAMPLE_TEST(name, label) Test(mmsim_real, name) { check_sample(label); }

SAMPLE_TEST(lenovo_82n5_uefi_linux_6_15, "lenovo-82n5")
SAMPLE_TEST(qemu_i440fx_linux_6_12, "qemu-i440fx-6.12")
SAMPLE_TEST(thinkpad_pae_linux_6_11, "thinkpad-pae-6.11")
SAMPLE_TEST(lenovo_82gk_uefi_linux_5_19, "lenovo-82gk")
SAMPLE_TEST(dell_r6515_256g_linux_5_18, "dell-r6515")
SAMPLE_TEST(supermicro_epyc_1t_linux_4_19, "supermicro-epyc-1t")
SAMPLE_TEST(dell_precision_5810_journal_linux_4_15, "dell-precision-5810")
SAMPLE_TEST(x79_zd3_64g_linux_5_14, "x79-zd3")
SAMPLE_TEST(dell_t3400_bios_linux_5_10, "dell-t3400")
SAMPLE_TEST(asus_k501uw_bios_linux_5_9, "asus-k501uw")
SAMPLE_TEST(asus_ux391fa_uefi_linux_5_3, "asus-ux391fa")
SAMPLE_TEST(asus_ux391fa_uefi_linux_5_3_efi_map, "asus-ux391fa-efi")
SAMPLE_TEST(qemu_i440fx_kexec_linux_6_14, "qemu-i440fx-6.14")
SAMPLE_TEST(dell_latitude_e5410_pae_linux_4_17, "latitude-e5410-pae")
SAMPLE_TEST(msi_ms7817_pae_linux_4_2, "msi-ms7817-pae")
SAMPLE_TEST(intel_edison_pae_linux_3_10, "edison-pae")
SAMPLE_TEST(thinkpad_i386_linux_3_6, "thinkpad-i386")
SAMPLE_TEST(toshiba_satellite_pae_linux_2_6_31, "toshiba-pae")

/* Every sample has its test above, and every table entry names a sample and a rule. */
Test(mmsim_real, table_names_known_samples)
{
	for (u32 i = 0; i < ARRAY_SIZE(known_differences); i++) {
		bool found = false;

		for (u32 j = 0; j < ARRAY_SIZE(samples); j++)
			found |= !strcmp(samples[j].label, known_differences[i].sample);
		cr_assert(found, "known_differences[%u] names no sample: %s", i,
			  known_differences[i].sample);
		cr_assert(known_differences[i].rule && *known_differences[i].rule);
	}
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
				       "last_pfn = 0xc0000 max_arch_pfn = 0x400000000\n"
				       "No NUMA configuration found\n"), "%s", out);
	cr_assert_null(strstr(out, "0x7a1b6018"), "%s", out);
	cr_assert_null(strstr(out, "0x10000000-"), "%s", out);
	cr_assert_not_null(strstr(out, "  node   0: [mem 0x0000000000100000-0x00000000bfffffff]\n"
				       "Initmem setup node 0 [mem 0x0000000000001000-0x00000000bfffffff]\n"),
			   "%s", out);
}

/* ---- maps larger than any sample ---- */

/*
 * Boot mmsim on a synthetic PC with RAM up to @top (640 KiB, 1 MiB - 2 GiB, 4 GiB - @top)
 * and return the process's peak resident size in KiB.  Each Test runs in its own process
 * (Criterion forks), so the peak is this boot's plus what the test runner had.
 */
static long big_map_peak_kib(u64 top, char *out, size_t size)
{
	struct mmsim_options opt = { .source = MMSIM_AUTO };
	struct rusage ru;
	struct seq_file m;
	char line[128];

	mmsim_parse_line(&in, "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n");
	mmsim_parse_line(&in, "BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n");
	mmsim_parse_line(&in, "BIOS-e820: [mem 0x00000000fec00000-0x00000000ffffffff] reserved\n");
	snprintf(line, sizeof(line), "BIOS-e820: [mem 0x0000000100000000-%#018llx] usable\n",
		 top - 1);
	cr_assert_eq(mmsim_parse_line(&in, line), 1, "%s", line);
	seq_buf_init(&m, out, size);
	cr_assert_eq(mmsim_run(&in, &opt, &m), 0, "%s", out);
	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/*
 * The bound: a 2 TiB map in well under 1 GiB.  What it costs is the struct pages
 * boot initialises: DMA and DMA32 whole, the first section of Normal (the rest deferred),
 * and those of everything reserved - above all the memmap's own 24 GiB, whose 6 Mi
 * struct pages Linux initialises too (reserve_bootmem_region).
 */
Test(mmsim_big, map_of_2_tib_runs_in_under_1_gib, .timeout = 120)
{
	static char out[1 << 16];
	long kib = big_map_peak_kib(2ULL << 40, out, sizeof(out));

	fprintf(stderr, "mmsim_big: 2 TiB map, peak RSS %ld MiB\n", kib >> 10);
	cr_assert_lt(kib, 1L << 20, "2 TiB map: peak RSS %ld KiB", kib);
	cr_assert_not_null(strstr(out, "  Normal   [mem 0x0000000100000000-0x000001ffffffffff]\n"),
			   "%s", out);
	/* Y of "Memory: X/YK" is the RAM in whole pages: 4 KiB - 636 KiB (page 0 is the
	 * BIOS's, the last 1 KiB no whole page), 1 MiB - 2 GiB, 4 GiB - 2 TiB. */
	cr_assert_not_null(strstr(out, "/2145386104K available"), "%s", out);
	cr_assert_not_null(strstr(out, "mmsim: struct pages of the top zone past its first section deferred"),
			   "%s", out);
}

/*
 * The largest machine pagelab boots: 512 GiB, all the loaders' one PDPT of 1 GiB pages
 * maps (BOOT_DIRECT_MAP_MAX_GIB).  The memory model goes on to 64 TiB (MAX_PHYSMEM_BITS),
 * which build/mmsim simulates too; that costs about 9 GiB, the struct pages of the
 * memmap's own 768 GiB reservation, so it is no test (docs/mm/memblock.md).
 */
Test(mmsim_big, largest_bootable_map_of_512_gib, .timeout = 120)
{
	static char out[1 << 16];
	long kib = big_map_peak_kib(512ULL << 30, out, sizeof(out));

	fprintf(stderr, "mmsim_big: 512 GiB map, peak RSS %ld MiB\n", kib >> 10);
	cr_assert_lt(kib, 1L << 20, "512 GiB map: peak RSS %ld KiB", kib);
	cr_assert_not_null(strstr(out, "  Normal   [mem 0x0000000100000000-0x0000007fffffffff]\n"),
			   "%s", out);
}

/* ---- holes of whole sections: FLATMEM and SPARSEMEM ---- */

/* Boot mmsim on RAM at 4 KiB-636 KiB, 1 MiB-1 GiB and 2-3 GiB, with @cmdline. */
static void boot_with_a_1_gib_hole(const char *cmdline, char *out, size_t size)
{
	struct mmsim_options opt = { .source = MMSIM_AUTO, .cmdline = cmdline };
	struct seq_file m;

	mmsim_parse_line(&in, "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n");
	mmsim_parse_line(&in, "BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\n");
	mmsim_parse_line(&in, "BIOS-e820: [mem 0x0000000080000000-0x00000000bfffffff] usable\n");
	seq_buf_init(&m, out, size);
	cr_assert_eq(mmsim_run(&in, &opt, &m), 0, "%s", out);
}

/*
 * An i386 kernel without NUMA is FLATMEM: its memmap has a struct page for every frame,
 * so Linux 6.18's pfn_valid() is true all through the 1 GiB hole, and its 262144 pages
 * are unavailable, counted in the zone of the RAM after the hole (HighMem, past 885 MiB):
 *
 *   RAM    |.|low|.|   1 MiB - 1 GiB   |........ hole ........|    2 - 3 GiB    |
 *   lines   DMA 1, DMA 97 (636 KiB-1 MiB)  HighMem 262144
 */
Test(mmsim_flatmem, hole_of_whole_sections_is_counted_on_i386)
{
	static char out[1 << 15];

	boot_with_a_1_gib_hole("zones=x86_32", out, sizeof(out));
	cr_assert_not_null(strstr(out, "On node 0, zone DMA: 1 pages in unavailable ranges\n"
				       "On node 0, zone DMA: 97 pages in unavailable ranges\n"
				       "On node 0, zone HighMem: 262144 pages in unavailable ranges\n"
				       "Built 1 zonelists"), "%s", out);
}

/*
 * x86-64 is SPARSEMEM: the hole's eight 128 MiB sections hold no RAM and have no memmap,
 * so none of it is counted (the Lenovo 82GK's and ASUS's logs show the same rule).
 */
Test(mmsim_flatmem, hole_of_whole_sections_is_not_counted_on_x86_64)
{
	static char out[1 << 15];

	boot_with_a_1_gib_hole(NULL, out, sizeof(out));
	cr_assert_not_null(strstr(out, "On node 0, zone DMA: 97 pages in unavailable ranges\n"
				       "Built 1 zonelists"), "%s", out);
}
