// SPDX-License-Identifier: MIT
/*
 * mmsim: read a firmware map out of text, then boot pagelab's memory setup on it.
 *
 * Two halves.  The parser (mmsim_parse_line) picks map entries out of whatever a student
 * pastes: a Linux dmesg, a journalctl dump, pagelab's own `memmap`, `bootinfo` or
 * `dmesg` output.  The runner (mmsim_run) builds the struct boot_info a loader would have
 * built, with the raw map placed in the host's "physical memory" (the arena behind
 * __va(), tests/host/memory.c), and calls the same functions in the same order as
 * start_kernel().  Nothing in the kernel code knows it is not running on a machine.
 *
 * Host-only code: it uses the C library freely.  The command is tools/mmsim/main.c; the
 * golden-output test is tests/unit/test_memblock_mmsim.c; tests/unit/test_mmsim_real.c
 * checks the output against real Linux boot logs.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch/memory.h"
#include "host/printk_capture.h"
#include "arch/memory_setup.h"
#include "lib/cmdline.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/memblock.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mmsim.h"

#define MMSIM_EFI_DESC_SIZE 48 /* as OVMF: larger than the struct, so the stride matters */
#define MMSIM_KERNEL_SIZE SZ_2M
#define MMSIM_KERNEL_DEFAULT (16 * SZ_1M) /* Linux's default physical start */

/* ---- parsing ---- */

/* Parse "0x<hex>" at *@p; advance past it.  Returns false if there is no number. */
static bool parse_hex(const char **p, u64 *v)
{
	char *end;

	if ((*p)[0] != '0' || ((*p)[1] != 'x' && (*p)[1] != 'X') || !isxdigit((unsigned char)(*p)[2]))
		return false;
	*v = strtoull(*p, &end, 16);
	*p = end;
	return true;
}

/* Parse "0x<start>-0x<end>" (inclusive end) into a start and a size. */
static bool parse_range(const char **p, u64 *start, u64 *size)
{
	u64 end;

	if (!parse_hex(p, start) || **p != '-')
		return false;
	(*p)++;
	if (!parse_hex(p, &end) || end < *start || (*start == 0 && end == ~0ULL))
		return false;
	*size = end - *start + 1;
	return true;
}

/* "0000000000000000 - 000000000009f800": Linux before 3.x printed no 0x and an exclusive end. */
static bool parse_old_range(const char **p, u64 *start, u64 *size)
{
	char *end_of_number;
	u64 end;

	if (!isxdigit((unsigned char)**p))
		return false;
	*start = strtoull(*p, &end_of_number, 16);
	*p = end_of_number;
	if (strncmp(*p, " - ", 3) || !isxdigit((unsigned char)(*p)[3]))
		return false;
	end = strtoull(*p + 3, &end_of_number, 16);
	*p = end_of_number;
	if (end <= *start)
		return false;
	*size = end - *start;
	return true;
}

static bool skip(const char **p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*p, word, n))
		return false;
	*p += n;
	return true;
}

/*
 * The type words of Linux's e820_print_type(), read back; also the words of the newest
 * kernels' boot log ("System RAM", "device reserved", after two blanks).
 */
static bool parse_e820_type(const char *s, u32 *type)
{
	static const struct { const char *name; u32 type; } names[] = {
		{ "usable", E820_TYPE_RAM },       { "reserved", E820_TYPE_RESERVED },
		{ "ACPI data", E820_TYPE_ACPI },   { "ACPI NVS", E820_TYPE_NVS },
		{ "unusable", E820_TYPE_UNUSABLE }, { "soft reserved", E820_TYPE_SOFT_RESERVED },
		{ "System RAM", E820_TYPE_RAM },   { "device reserved", E820_TYPE_RESERVED },
	};
	unsigned long long n;

	while (*s == ' ')
		s++;
	if (*s == '(')
		s++; /* Linux before 3.x: "(usable)", "(ACPI data)" */

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strncmp(s, names[i].name, strlen(names[i].name))) {
			*type = names[i].type;
			return true;
		}
	if (sscanf(s, "persistent (type %llu)", &n) == 1 || sscanf(s, "type %llu", &n) == 1) {
		*type = (u32)n;
		return n <= 0xffffffffULL;
	}
	return false;
}

static int parse_e820_line(struct mmsim_input *in, const char *p, bool old_form)
{
	struct boot_e820_entry *e;
	u64 start, size;
	u32 type;

	if (old_form ? !parse_old_range(&p, &start, &size) :
		       !parse_range(&p, &start, &size) || !skip(&p, "]"))
		return -1;
	if (!parse_e820_type(p, &type))
		return -1;
	if (strstr(p, "(empty)"))
		size = 0; /* pagelab prints an empty entry as [mem a-a] ... (empty) */
	if (in->nr_e820 >= MMSIM_MAX_ENTRIES)
		return -1;
	e = &in->e820[in->nr_e820++];
	e->addr = start;
	e->size = size;
	e->type = type;
	return 1;
}

/*
 * "e820: update [mem A-B] T1 ==> T2" and "e820: remove [mem A-B] [T]" (Linux's
 * e820__range_update and e820__range_remove print these; the end is inclusive), or the
 * same before 3.x: "e820 update range: A - B (T1) ==> (T2)", "e820 remove range: A - B (T)".
 */
static int parse_e820_change(struct mmsim_input *in, const char *p, bool remove, bool old_form)
{
	struct mmsim_e820_change c = { .remove = remove };
	const char *arrow;

	if (old_form ? !parse_old_range(&p, &c.start, &c.size) :
		       !parse_range(&p, &c.start, &c.size) || !skip(&p, "]"))
		return -1;
	if (remove) {
		while (*p == ' ')
			p++;
		c.check_type = *p && *p != '\n' && *p != '\r';
		if (c.check_type && !parse_e820_type(p, &c.old_type))
			return -1;
	} else if (!parse_e820_type(p, &c.old_type) || !(arrow = strstr(p, " ==> ")) ||
		   !parse_e820_type(arrow + 5, &c.new_type)) {
		return -1;
	}
	if (in->nr_changes >= MMSIM_MAX_CHANGES)
		return -1;
	in->changes[in->nr_changes++] = c;
	return 1;
}

/* Attribute columns of Linux's efi_md_typeattr_format(), in any order, or "attr=0x...". */
static u64 parse_efi_attrs(const char *p, const char *end)
{
	static const struct { const char *name; u64 bit; } names[] = {
		{ "RUN", EFI_MEMORY_RUNTIME }, { "MR", EFI_MEMORY_MORE_RELIABLE },
		{ "CC", EFI_MEMORY_CPU_CRYPTO }, { "SP", EFI_MEMORY_SP }, { "NV", EFI_MEMORY_NV },
		{ "XP", EFI_MEMORY_XP }, { "RP", EFI_MEMORY_RP }, { "WP", EFI_MEMORY_WP },
		{ "RO", EFI_MEMORY_RO }, { "UCE", EFI_MEMORY_UCE }, { "WB", EFI_MEMORY_WB },
		{ "WT", EFI_MEMORY_WT }, { "WC", EFI_MEMORY_WC }, { "UC", EFI_MEMORY_UC },
	};
	u64 attr = 0;

	while (p < end) {
		const char *q = p;
		size_t n;

		while (q < end && *q != '|')
			q++;
		while (p < q && *p == ' ')
			p++;
		n = q - p;
		while (n && p[n - 1] == ' ')
			n--;
		if (n > 7 && !strncmp(p, "attr=0x", 7))
			attr |= strtoull(p + 5, NULL, 16);
		for (size_t i = 0; i < ARRAY_SIZE(names); i++)
			if (n == strlen(names[i].name) && !strncmp(p, names[i].name, n))
				attr |= names[i].bit;
		p = q + 1;
	}
	return attr;
}

/*
 * The type names Linux 3.19 to 5.x printed with efi=debug, before they were cut to 12
 * columns; the names both spell alike are left to efi_memory_type_by_name().
 */
static long efi_long_type_by_name(const char *name, size_t len)
{
	static const struct { const char *name; u32 type; } names[] = {
		{ "Conventional Memory", EFI_CONVENTIONAL_MEMORY },
		{ "Unusable Memory", EFI_UNUSABLE_MEMORY },
		{ "ACPI Reclaim Memory", EFI_ACPI_RECLAIM_MEMORY },
		{ "ACPI Memory NVS", EFI_ACPI_MEMORY_NVS },
		{ "Memory Mapped I/O", EFI_MEMORY_MAPPED_IO },
		{ "MMIO Port Space", EFI_MEMORY_MAPPED_IO_PORT_SPACE },
		{ "Persistent Memory", EFI_PERSISTENT_MEMORY },
	};

	while (len && name[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i].name) == len && !strncmp(names[i].name, name, len))
			return names[i].type;
	return efi_memory_type_by_name(name, len);
}

/*
 * The end of an EFI range: "]" is inclusive; ")" (Linux up to 4.x) is exclusive, so the
 * size parse_range() computed is one too large.
 */
static bool efi_range_end(const char **p, u64 *size)
{
	if (**p == ')' && *size > 1) {
		(*size)--;
		return true;
	}
	return **p == ']';
}

static int add_efi_desc(struct mmsim_input *in, long type, u64 start, u64 size, u64 attr)
{
	if (type < 0 || size % EFI_PAGE_SIZE || in->nr_efi >= MMSIM_MAX_ENTRIES)
		return -1;
	in->efi[in->nr_efi++] = (efi_memory_desc_t){ .type = (u32)type, .phys_addr = start,
						     .num_pages = size / EFI_PAGE_SIZE,
						     .attribute = attr };
	return 1;
}

/* "00: type=7, attr=0xf, range=[0x...-0x...) (0MB)": Linux up to 3.18 with efi=debug. */
static int parse_old_efi_line(struct mmsim_input *in, const char *p)
{
	unsigned long long attr;
	u64 start, size;
	long type;
	char *end;

	type = strtol(p, &end, 10);
	p = end;
	if (!skip(&p, ", attr=0x"))
		return -1;
	attr = strtoull(p, &end, 16);
	p = end;
	if (!skip(&p, ", range=[") || !parse_range(&p, &start, &size) || !efi_range_end(&p, &size))
		return -1;
	return add_efi_desc(in, type, start, size, attr);
}

static int parse_efi_line(struct mmsim_input *in, const char *p)
{
	const char *bar, *close;
	u64 start, size;
	long type;

	while (isdigit((unsigned char)*p))
		p++;
	if (skip(&p, ": type="))
		return parse_old_efi_line(in, p);
	if (!skip(&p, ": [") || !(bar = strchr(p, '|')) || !(close = strchr(bar, ']')))
		return -1;
	if (!strncmp(p, "type=", 5))
		type = strtol(p + 5, NULL, 10);
	else
		type = efi_long_type_by_name(p, bar - p);
	p = close + 1;
	if (!skip(&p, " range=[") || !parse_range(&p, &start, &size) || !efi_range_end(&p, &size))
		return -1;
	return add_efi_desc(in, type, start, size, parse_efi_attrs(bar + 1, close));
}

/* pagelab's `bootinfo` and boot banner: where the kernel and the loader's data were. */
static int parse_bootinfo_line(struct mmsim_input *in, const char *line)
{
	const char *p;
	u64 start, size;

	if ((p = strstr(line, "kernel:        [mem ")) || (p = strstr(line, "Kernel at [mem "))) {
		p = strstr(p, "[mem ") + 5;
		if (!parse_range(&p, &start, &size))
			return -1;
		in->kernel_start = start;
		in->kernel_end = start + size;
		if ((p = strstr(p, "direct map of ")))
			in->direct_map_end = strtoull(p + 14, NULL, 10) << 30;
		return 1;
	}
	if ((p = strstr(line, "direct map:    0 - "))) {
		p += 19;
		return parse_hex(&p, &in->direct_map_end) ? 1 : -1;
	}
	if ((p = strstr(line, "loader range:  [mem "))) {
		struct boot_range *r = &in->loader_ranges[in->nr_loader_ranges];

		p += 20;
		if (in->nr_loader_ranges >= BOOT_MAX_LOADER_RANGES || !parse_range(&p, &start, &size))
			return -1;
		*r = (struct boot_range){ .start = start, .size = size, .kind = BOOT_RANGE_OTHER };
		/* The kind by its name ("] firmware memory map"): it decides how it is reserved. */
		for (u32 k = BOOT_RANGE_PAGE_TABLES; k <= BOOT_RANGE_OTHER; k++) {
			const char *name = boot_range_kind_name(k);
			size_t n = strlen(name);

			if (!strncmp(p, "] ", 2) && !strncmp(p + 2, name, n) &&
			    (p[2 + n] == '\0' || p[2 + n] == '\n' || p[2 + n] == '\r'))
				r->kind = k;
		}
		in->nr_loader_ranges++;
		return 1;
	}
	return 0;
}

/* ---- what people paste: a log line's prefixes ---- */

static bool is_month(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (u32 i = 0; i < 12; i++)
		if (!strncmp(s, months + 3 * i, 3) && s[3] == ' ')
			return true;
	return false;
}

/* "[    0.000000] ", or dmesg -T's "[Tue Nov  4 21:29:37 2025] ". */
static const char *skip_bracket_time(const char *l)
{
	const char *close = strchr(l, ']'), *p = l + 1;
	char weekday[4], month[4];
	unsigned int d, h, m, s, y;
	int n = 0;

	if (l[0] != '[' || !close || close[1] != ' ')
		return l;
	while (p < close && (isdigit((unsigned char)*p) || *p == ' ' || *p == '.'))
		p++;
	if (p == close && close > l + 1)
		return close + 2;
	if (sscanf(l + 1, "%3s %3s %u %u:%u:%u %u%n", weekday, month, &d, &h, &m, &s, &y, &n) == 7 &&
	    l + 1 + n == close && is_month(close - n + 4))
		return close + 2;
	return l;
}

/*
 * syslog's and journalctl's "Dec  7 05:05:46 host kernel: " (or an ISO date first), or,
 * after a dmesg-style time, journalctl -o short-monotonic's "host kernel: ".
 */
static const char *skip_syslog(const char *l, bool after_time)
{
	const char *k = strstr(l, " kernel: ");

	if (!k || k - l > 80)
		return l;
	if (is_month(l) || (isdigit((unsigned char)l[0]) && isdigit((unsigned char)l[3]) && l[4] == '-'))
		return k + 9;
	if (after_time && !memchr(l, ' ', k - l))
		return k + 9;
	return l;
}

const char *mmsim_log_message(const char *line)
{
	const char *l = line, *t;

	while (*l == '>') {        /* a mail reply's quoting, "> " or ">> " */
		l++;
		if (*l == ' ')
			l++;
	}
	if (*l == '\t') {          /* a mail's indentation: a tab and one blank */
		l++;
		if (*l == ' ')
			l++;
	}
	if (*l == '<' && isdigit((unsigned char)l[1]) && (t = strchr(l, '>')) && t - l <= 4)
		l = t + 1;          /* dmesg -r's or a console's "<6>" */
	t = skip_bracket_time(l);
	l = skip_syslog(t, t != l);
	return skip_bracket_time(l); /* klogd keeps the kernel's own time after the prefix */
}

int mmsim_parse_line(struct mmsim_input *in, const char *line)
{
	const char *p, *msg = mmsim_log_message(line);
	int ret;

	if (!strncmp(msg, "Linux version ", 14)) {
		/* Several boots pasted one after the other: the last one counts. */
		memset(in, 0, sizeof(*in));
		ret = 1;
	} else if (strstr(msg, "EFI runtime memory map:")) {
		in->efi_runtime_map = true; /* efi=debug prints the runtime part again, later */
		ret = 1;
	} else if ((p = strstr(msg, "BIOS-e820: [mem ")))
		ret = parse_e820_line(in, p + 16, false);
	else if ((p = strstr(msg, "BIOS-e820: ")) && isxdigit((unsigned char)p[11]))
		ret = parse_e820_line(in, p + 11, true);
	else if ((p = strstr(msg, "efi: mem")) && isdigit((unsigned char)p[8]))
		ret = in->efi_runtime_map ? 0 : parse_efi_line(in, p + 8);
	else if ((p = strstr(msg, "e820: update [mem ")))
		ret = parse_e820_change(in, p + 18, false, false);
	else if ((p = strstr(msg, "e820: remove [mem ")))
		ret = parse_e820_change(in, p + 18, true, false);
	else if ((p = strstr(msg, "e820 update range: ")))
		ret = parse_e820_change(in, p + 19, false, true);
	else if ((p = strstr(msg, "e820 remove range: ")))
		ret = parse_e820_change(in, p + 19, true, true);
	else if (strstr(msg, "last_pfn = ")) {
		/* Linux's table is final here: the changes so far are the ones memblock saw. */
		in->nr_changes_early = in->nr_changes;
		ret = 1;
	} else if ((p = strstr(msg, "Command line: "))) {
		strscpy(in->cmdline, p + 14, sizeof(in->cmdline));
		in->cmdline[strcspn(in->cmdline, "\r\n")] = 0;
		ret = 1;
	} else
		ret = parse_bootinfo_line(in, msg);
	if (ret < 0)
		in->nr_malformed++;
	return ret;
}

/* ---- the simulated machine ---- */

static bool e820_maps_memory(u32 type)
{
	return type != E820_TYPE_RESERVED && type != E820_TYPE_UNUSABLE;
}

/* The top of what the loaders map: all but MMIO and reserved ranges, >= 4 GiB, in GiB. */
static u64 guess_direct_map_end(const struct mmsim_input *in, bool efi)
{
	u64 top = SZ_4G;

	for (u32 i = 0; !efi && i < in->nr_e820; i++)
		if (e820_maps_memory(in->e820[i].type))
			top = MAX(top, in->e820[i].addr + in->e820[i].size);
	for (u32 i = 0; efi && i < in->nr_efi; i++) {
		const efi_memory_desc_t *d = &in->efi[i];

		if (d->type != EFI_MEMORY_MAPPED_IO && d->type != EFI_MEMORY_MAPPED_IO_PORT_SPACE &&
		    d->type != EFI_RESERVED_TYPE && efi_md_end(d))
			top = MAX(top, efi_md_end(d));
	}
	return ALIGN_UP(top, SZ_1G);
}

static bool range_is_usable(const struct mmsim_input *in, bool efi, u64 start, u64 end)
{
	for (u32 i = 0; !efi && i < in->nr_e820; i++) {
		const struct boot_e820_entry *e = &in->e820[i];

		if (e->type == E820_TYPE_RAM && e->addr <= start && end <= e->addr + e->size)
			return true;
	}
	for (u32 i = 0; efi && i < in->nr_efi; i++)
		if (efi_md_usable(&in->efi[i]) && in->efi[i].phys_addr <= start &&
		    end <= efi_md_end(&in->efi[i]))
			return true;
	return false;
}

/* Where a loader would have put a 2 MiB kernel: the first fit at 16 MiB or above. */
static u64 place_kernel(const struct mmsim_input *in, bool efi)
{
	for (u64 a = MMSIM_KERNEL_DEFAULT; a < 64 * SZ_1G; a += SZ_2M)
		if (range_is_usable(in, efi, a, a + MMSIM_KERNEL_SIZE))
			return a;
	return MMSIM_KERNEL_DEFAULT;
}

/* Lay the raw map out in "physical memory" at @phys, as the loader hands it over. */
static void build_map(struct boot_info *bi, const struct mmsim_input *in, bool efi, u64 phys)
{
	u8 *p = __va(phys);

	bi->firmware = efi ? BOOT_FIRMWARE_UEFI : BOOT_FIRMWARE_BIOS;
	bi->mmap_addr = phys;
	if (efi) {
		bi->mmap_desc_size = MMSIM_EFI_DESC_SIZE;
		bi->mmap_desc_version = 1;
		bi->mmap_size = in->nr_efi * MMSIM_EFI_DESC_SIZE;
		for (u32 i = 0; i < in->nr_efi; i++)
			memcpy(p + i * MMSIM_EFI_DESC_SIZE, &in->efi[i], sizeof(in->efi[i]));
	} else {
		bi->mmap_desc_size = sizeof(struct boot_e820_entry);
		bi->mmap_size = in->nr_e820 * sizeof(struct boot_e820_entry);
		memcpy(p, in->e820, bi->mmap_size);
	}
}

static void fill_boot_info(struct boot_info *bi, const struct mmsim_input *in,
			   const struct mmsim_options *opt, bool efi)
{
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	strscpy(bi->fw_vendor, "mmsim", sizeof(bi->fw_vendor));
	bi->kernel_phys_start = opt->kernel_start ? opt->kernel_start :
				in->kernel_end ? in->kernel_start : place_kernel(in, efi);
	bi->kernel_phys_end = in->kernel_end && !opt->kernel_start ?
			      in->kernel_end : bi->kernel_phys_start + MMSIM_KERNEL_SIZE;
	bi->direct_map_end = in->direct_map_end ? in->direct_map_end :
			     guess_direct_map_end(in, efi);
	bi->nr_loader_ranges = in->nr_loader_ranges;
	memcpy(bi->loader_ranges, in->loader_ranges, sizeof(bi->loader_ranges));
}

static struct seq_file *log_out;

static void log_to_out(const char *s, size_t n)
{
	seq_write(log_out, s, n);
}

/* Bytes of RAM the raw map holds (usable E820 entries, or usable EFI descriptors). */
static u64 map_ram(const struct mmsim_input *in, bool efi)
{
	u64 ram = 0;

	for (u32 i = 0; !efi && i < in->nr_e820; i++)
		if (in->e820[i].type == E820_TYPE_RAM)
			ram += in->e820[i].size;
	for (u32 i = 0; efi && i < in->nr_efi; i++)
		if (efi_md_usable(&in->efi[i]) && efi_md_end(&in->efi[i]))
			ram += efi_md_end(&in->efi[i]) - in->efi[i].phys_addr;
	return ram;
}

static bool want_deferred(const struct mmsim_input *in, const struct mmsim_options *opt,
			  bool efi)
{
	if (opt->defer != MMSIM_DEFER_AUTO)
		return opt->defer == MMSIM_DEFER_ALWAYS;
	return map_ram(in, efi) > MMSIM_DEFER_ABOVE;
}

static void describe(struct seq_file *out, const struct mmsim_input *in,
		     const struct boot_info *bi, bool efi)
{
	seq_printf(out, "mmsim: %u %s read; %u lines could not be read\n",
		   efi ? in->nr_efi : in->nr_e820, efi ? "EFI descriptors" : "BIOS-e820 entries",
		   in->nr_malformed);
	seq_printf(out, "mmsim: kernel at [mem %#018llx-%#018llx]%s, direct map %llu GiB%s\n",
		   bi->kernel_phys_start, bi->kernel_phys_end - 1,
		   in->kernel_end ? "" : " (assumed)", bi->direct_map_end >> 30,
		   in->direct_map_end ? "" : " (assumed)");
	seq_printf(out, "mmsim: %u loader ranges%s\n", bi->nr_loader_ranges,
		   bi->nr_loader_ranges ? "" : " (add pagelab's `bootinfo` output to have them)");
}

/*
 * Replay the e820 changes the real kernel logged before it built memblock.memory (mem=,
 * MTRR trimming, EFI MMIO removal, ...), so memblock gets the RAM Linux's memblock got.
 * Two kinds are left out:
 *  - trim_bios_range()'s own two changes: pagelab's kernel has just made (and printed)
 *    them itself;
 *  - "usable ==> usable": Linux marking setup_data E820_TYPE_RESERVED_KERN, a type it
 *    prints as "usable" and adds to memblock.memory like RAM, so memblock is unchanged;
 *  - with mem= or memmap= on the logged command line, the removal of usable RAM up to
 *    the end of the address space that mem=nn (or memmap=nn) logs: pagelab's kernel has
 *    read the same command line and made it already.
 */
static bool made_by_mem_option(const struct mmsim_input *in, const struct mmsim_e820_change *c)
{
	char buf[8];

	if (!c->remove || !c->check_type || c->old_type != E820_TYPE_RAM ||
	    c->start + c->size != ~0ULL)
		return false;
	return cmdline_find_option(in->cmdline, "mem", buf, sizeof(buf)) >= 0 ||
	       cmdline_find_option(in->cmdline, "memmap", buf, sizeof(buf)) >= 0;
}

static void replay_linux_e820_changes(void *data)
{
	const struct mmsim_input *in = data;
	bool changed = false;

	for (u32 i = 0; i < in->nr_changes_early; i++) {
		const struct mmsim_e820_change *c = &in->changes[i];

		if (!c->remove && c->start == 0 && c->size == PAGE_SIZE &&
		    c->old_type == E820_TYPE_RAM && c->new_type == E820_TYPE_RESERVED)
			continue;
		if (c->remove && c->check_type && c->old_type == E820_TYPE_RAM &&
		    c->start == BIOS_BEGIN && c->size == BIOS_END - BIOS_BEGIN)
			continue;
		if (!c->remove && c->old_type == c->new_type)
			continue;
		if (made_by_mem_option(in, c))
			continue;
		if (c->remove)
			e820__range_remove(c->start, c->size, c->old_type, c->check_type);
		else
			e820__range_update(c->start, c->size, c->old_type, c->new_type);
		changed = true;
	}
	if (changed)
		e820__update_table(e820_table);
}

/*
 * The memory part of start_kernel(): the kernel's own two bring-up calls, with the logged
 * kernel's e820 changes replayed where Linux makes them.  Only init_mem_mapping() is
 * left out: the host has no MMU to program.
 */
static void boot(const struct boot_info *bi, const struct mmsim_input *in, const char *cmdline)
{
	setup_arch_memory(bi, cmdline, replay_linux_e820_changes, (void *)in);
	mm_init_after_paging();
}

int mmsim_run(const struct mmsim_input *in, const struct mmsim_options *opt,
	      struct seq_file *out)
{
	bool efi = opt->source == MMSIM_EFI || (opt->source == MMSIM_AUTO && !in->nr_e820);
	u64 map_phys = host_phys_arena_size - SZ_1M; /* far above any simulated RAM */
	struct boot_info bi = { 0 };
	char cmdline[3 * MMSIM_CMDLINE_MAX];
	const char *err;

	if (efi ? !in->nr_efi : !in->nr_e820) {
		seq_printf(out, "mmsim: no %s in the input\n",
			   efi ? "EFI map (\"efi: memNN:\" lines)" : "\"BIOS-e820:\" lines");
		return -1;
	}
	fill_boot_info(&bi, in, opt, efi);
	build_map(&bi, in, efi, map_phys);
	if (bi.direct_map_end > map_phys) {
		seq_printf(out, "mmsim: the map reaches %#llx; mmsim simulates up to %#llx\n",
			   bi.direct_map_end, map_phys);
		return -1;
	}
	if ((err = boot_info_validate(&bi))) {
		seq_printf(out, "mmsim: the simulated boot_info is invalid: %s\n", err);
		return -1;
	}
	describe(out, in, &bi, efi);
	deferred_struct_pages = want_deferred(in, opt, efi);
	if (deferred_struct_pages)
		seq_puts(out, "mmsim: struct pages of the top zone past its first section deferred, "
			 "as CONFIG_DEFERRED_STRUCT_PAGE_INIT=y (Memory: counts only the rest as free)\n");
	log_out = out;
	host_printk_sink = log_to_out;
	snprintf(cmdline, sizeof(cmdline), "%s %s %s", in->cmdline,
		 opt->memblock_debug ? "memblock=debug" : "", opt->cmdline ? opt->cmdline : "");
	boot(&bi, in, cmdline);
	host_printk_sink = NULL;
	seq_putc(out, '\n');
	memblock_debugfs_show(out);
	return 0;
}
