// SPDX-License-Identifier: MIT
/*
 * The kernel's E820 table: the firmware's memory map, made trustworthy.
 *
 * What it manages: e820_table, one sorted list of non-overlapping [addr, addr + size)
 * ranges with a type each (usable RAM, reserved, ACPI, ...).  Firmware maps are messy -
 * unsorted, overlapping, with empty or unaligned entries, unknown types, more entries
 * than fit - and this file turns any of them into a clean table without ever giving up
 * on the whole map, the way Linux's arch/x86/firmware/e820.c does:
 *
 *   raw entries --__e820__range_add--> table --e820__update_table--> sorted, no overlaps,
 *                                                                     merged, no empties
 *
 * When: at boot, between start_kernel() validating boot_info and memblock being filled.
 * e820__memory_setup() builds and prints the table, kernel/arch/x86_64/memory_setup.c trims it as
 * Linux does, e820__memblock_setup() hands the RAM to memblock.  Afterwards the table is
 * only read (the shell's `e820` command, later the zone setup).  tools/mmsim runs the
 * same code on the host.
 */
#include "arch/memory.h"
#include "boot/boot_info.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "kernel/printk.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/sort.h"
#include "lib/string.h"
#include "mm/memblock.h"

static struct e820_table e820_table_init;
static struct e820_table e820_table_firmware_init;

struct e820_table *e820_table = &e820_table_init;
struct e820_table *e820_table_firmware = &e820_table_firmware_init;

const char *e820_type_name(u32 type, char *buf, size_t size)
{
	switch (type) {
	case E820_TYPE_RAM:
		return "usable";
	case E820_TYPE_RESERVED:
		return "reserved";
	case E820_TYPE_SOFT_RESERVED:
		return "soft reserved";
	case E820_TYPE_ACPI:
		return "ACPI data";
	case E820_TYPE_NVS:
		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:
		return "unusable";
	case E820_TYPE_PMEM:
	case E820_TYPE_PRAM:
		scnprintf(buf, size, "persistent (type %u)", type);
		return buf;
	default:
		scnprintf(buf, size, "type %u", type);
		return buf;
	}
}

static void print_entry(struct seq_file *m, const char *who, u64 addr, u64 size, u32 type)
{
	char buf[32];

	/* Linux prints the inclusive end; an empty entry has none, so show it as such. */
	seq_printf(m, "%s: [mem %#018llx-%#018llx] %s%s\n", who, addr, size ? addr + size - 1 : addr,
		   e820_type_name(type, buf, sizeof(buf)), size ? "" : " (empty)");
}

void e820_table_show(struct seq_file *m, const char *who, const struct e820_table *table)
{
	for (u32 i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];

		print_entry(m, who, e->addr, e->size, e->type);
	}
}

void e820_entries_show(struct seq_file *m, const char *who, const struct boot_e820_entry *e,
		       u32 nr)
{
	for (u32 i = 0; i < nr; i++)
		print_entry(m, who, e[i].addr, e[i].size, e[i].type);
}

void e820_summary_show(struct seq_file *m, u32 nr, u64 usable)
{
	seq_printf(m, "e820: %u entries; usable: %llu KiB (%llu MiB)\n", nr, usable >> 10,
		   usable >> 20);
}

void e820__print_table(const char *who)
{
	e820_table_show(printk_seq(), who, e820_table);
}

u64 e820_ram_total(const struct e820_table *table)
{
	u64 total = 0;

	for (u32 i = 0; i < table->nr_entries; i++)
		if (table->entries[i].type == E820_TYPE_RAM)
			total += table->entries[i].size;
	return total;
}

/* ---- adding entries ---- */

/* Append without sanitising: for callers that hold pointers into the table. */
static int e820_append(struct e820_table *table, u64 start, u64 size, u32 type)
{
	struct e820_entry *e;

	if (table->nr_entries >= E820_MAX_ENTRIES) {
		pr_err("e820: too many entries; ignoring [mem %#010llx-%#010llx]\n", start,
		       start + size - 1);
		return -1;
	}
	e = &table->entries[table->nr_entries++];
	e->addr = start;
	e->size = size;
	e->type = type;
	return 0;
}

/* Whether [start, start + size) runs past 2^64.  Ending exactly there is allowed. */
static bool e820_entry_wraps(u64 start, u64 size)
{
	return size && size - 1 > ~0ULL - start;
}

int __e820__range_add(struct e820_table *table, u64 start, u64 size, u32 type)
{
	if (e820_entry_wraps(start, size)) {
		/* A firmware map with such an entry never gets here: e820__memory_setup() drops
		 * all of it, as Linux does.  Anyone else loses just this entry. */
		pr_warn("e820: ignoring [mem %#018llx +%#llx]: it runs past the end of the "
			"address space\n", start, size);
		return -1;
	}
	/* A full table of a long firmware map usually has neighbours to merge. */
	if (table->nr_entries >= E820_MAX_ENTRIES)
		e820__update_table(table);
	return e820_append(table, start, size, type);
}

int e820__range_add(u64 start, u64 size, u32 type)
{
	return __e820__range_add(e820_table, start, size, type);
}

u32 append_e820_table(struct e820_table *table, const struct boot_e820_entry *entries, u32 nr)
{
	u32 added = 0;

	for (u32 i = 0; i < nr; i++)
		if (!__e820__range_add(table, entries[i].addr, entries[i].size, entries[i].type))
			added++;
	return added;
}

/* ---- sanitising (Linux's e820__update_table) ---- */

/*
 * A change point: an address where one entry starts or ends, the only places where the
 * type of memory can change (Linux's struct change_member).  Every non-empty entry gives
 * two.
 */
struct change_member {
	u64 addr;
	struct e820_entry *entry;
};

static struct change_member change_points[2 * E820_MAX_ENTRIES];
static struct e820_entry *overlap_list[E820_MAX_ENTRIES];
static struct e820_entry new_entries[E820_MAX_ENTRIES];

static bool is_start(const struct change_member *cp)
{
	return cp->addr == cp->entry->addr;
}

/* Address order; at the same address a start comes before an end, as in Linux. */
static int cmp_change_points(const void *a, const void *b)
{
	const struct change_member *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return is_start(y) - is_start(x);
}

static void sort_change_points(u32 n)
{
	sort(change_points, n, sizeof(change_points[0]), cmp_change_points, NULL);
}

/* Persistent and soft-reserved ranges may each be a device or a node: never merged. */
static bool e820_type_mergeable(u32 type)
{
	return type != E820_TYPE_PRAM && type != E820_TYPE_SOFT_RESERVED;
}

static u32 collect_change_points(struct e820_table *table)
{
	u32 n = 0;

	for (u32 i = 0; i < table->nr_entries; i++) {
		struct e820_entry *e = &table->entries[i];

		if (!e->size)
			continue; /* empty entries simply vanish */
		change_points[n++] = (struct change_member){ e->addr, e };
		change_points[n++] = (struct change_member){ e->addr + e->size, e };
	}
	return n;
}

/* Enter or leave @cp's entry in the overlap list; return the type that now wins. */
static u32 track_overlaps(const struct change_member *cp, u32 *nr_overlaps)
{
	u32 type = 0;

	if (is_start(cp)) {
		overlap_list[(*nr_overlaps)++] = cp->entry;
	} else {
		for (u32 i = 0; i < *nr_overlaps; i++)
			if (overlap_list[i] == cp->entry)
				overlap_list[i] = overlap_list[*nr_overlaps - 1];
		(*nr_overlaps)--;
	}
	/* The larger type number is the more restrictive one: RAM (1) loses to all. */
	for (u32 i = 0; i < *nr_overlaps; i++)
		type = MAX(type, overlap_list[i]->type);
	return type;
}

int e820__update_table(struct e820_table *table)
{
	u32 nr_points, nr_overlaps = 0, nr_new = 0, last_type = 0;
	u64 last_addr = 0;

	if (table->nr_entries < 2)
		return -1;
	for (u32 i = 0; i < table->nr_entries; i++)
		if (table->entries[i].addr + table->entries[i].size < table->entries[i].addr)
			return -1; /* __e820__range_add never lets one in */
	nr_points = collect_change_points(table);
	sort_change_points(nr_points);

	for (u32 i = 0; i < nr_points; i++) {
		u64 addr = change_points[i].addr;
		u32 type = track_overlaps(&change_points[i], &nr_overlaps);

		if (type == last_type && e820_type_mergeable(type))
			continue; /* the current entry simply goes on */
		if (last_type) { /* close the current entry; an empty one is overwritten */
			new_entries[nr_new].size = addr - last_addr;
			if (new_entries[nr_new].size && ++nr_new >= E820_MAX_ENTRIES)
				break;
		}
		if (type) { /* open the next one */
			new_entries[nr_new].addr = addr;
			new_entries[nr_new].type = type;
			last_addr = addr;
		}
		last_type = type;
	}
	for (u32 i = 0; i < nr_new; i++)
		table->entries[i] = new_entries[i];
	table->nr_entries = nr_new;
	return 0;
}

/* ---- changing the types of ranges ---- */

/*
 * The part [*lo, *hi) of entry @e inside [@start, @end); false if there is none.  What
 * is left of @e around it is: a head [e->addr, lo) and a tail [hi, e_end).
 */
static bool entry_overlap(const struct e820_entry *e, u64 start, u64 end, u64 *lo, u64 *hi)
{
	*lo = MAX(start, e->addr);
	*hi = MIN(end, e->addr + e->size);
	return *lo < *hi;
}

/* Cut [@lo, @hi) out of @e, keeping head and tail (the tail as a new entry if both). */
static void cut_entry(struct e820_table *table, struct e820_entry *e, u64 lo, u64 hi)
{
	u64 e_end = e->addr + e->size;

	if (lo > e->addr && hi < e_end) {
		e820_append(table, hi, e_end - hi, e->type);
		e->size = lo - e->addr;
	} else if (lo > e->addr) {
		e->size = lo - e->addr;
	} else {
		e->addr = hi;
		e->size = e_end - hi;
	}
}

static u64 clip_end(u64 start, u64 size)
{
	return size > ~0ULL - start ? ~0ULL : start + size;
}

u64 e820__range_update(u64 start, u64 size, u32 old_type, u32 new_type)
{
	u64 end = clip_end(start, size), updated = 0, lo, hi;
	char b1[32], b2[32];
	u32 n = e820_table->nr_entries; /* entries appended below are not revisited */

	pr_info("e820: update [mem %#010llx-%#010llx] %s ==> %s\n", start, end - 1,
		e820_type_name(old_type, b1, sizeof(b1)), e820_type_name(new_type, b2, sizeof(b2)));
	for (u32 i = 0; i < n; i++) {
		struct e820_entry *e = &e820_table->entries[i];

		if (e->type != old_type || !entry_overlap(e, start, end, &lo, &hi))
			continue;
		updated += hi - lo;
		if (lo == e->addr && hi == e->addr + e->size) {
			e->type = new_type;
			continue;
		}
		cut_entry(e820_table, e, lo, hi);
		e820_append(e820_table, lo, hi - lo, new_type);
	}
	return updated;
}

u64 e820__range_remove(u64 start, u64 size, u32 old_type, bool check_type)
{
	u64 end = clip_end(start, size), removed = 0, lo, hi;
	char buf[32];
	u32 n = e820_table->nr_entries;

	pr_info("e820: remove [mem %#010llx-%#010llx] %s\n", start, end - 1,
		check_type ? e820_type_name(old_type, buf, sizeof(buf)) : "");
	for (u32 i = 0; i < n; i++) {
		struct e820_entry *e = &e820_table->entries[i];

		if ((check_type && e->type != old_type) || !entry_overlap(e, start, end, &lo, &hi))
			continue;
		removed += hi - lo;
		if (lo == e->addr && hi == e->addr + e->size)
			e->size = 0; /* e820__update_table drops it */
		else
			cut_entry(e820_table, e, lo, hi);
	}
	return removed;
}

/* ---- the user's map: mem= and memmap= ---- */

/* Whether mem= or memmap= changed the table: then it is printed again, as "user". */
static bool userdef;

/* A memparse() number at *@s, before @end; advance past it.  False if there is none. */
static bool parse_size(const char **s, const char *end, u64 *v)
{
	char *after;

	*v = memparse(*s, &after);
	if (after == *s || after > end)
		return false;
	*s = after;
	return true;
}

int e820_parse_memmap_one(const char *text, size_t len, struct e820_user_edit *edit)
{
	static const struct { char sep; u32 type; } seps[] = {
		{ '@', E820_TYPE_RAM }, { '#', E820_TYPE_ACPI },
		{ '$', E820_TYPE_RESERVED }, { '!', E820_TYPE_PRAM },
	};
	char item[64]; /* a NUL-terminated copy: memparse() reads up to a NUL */
	const char *s, *end;
	u64 size, start;

	if (len >= sizeof(item))
		return -EINVAL;
	memcpy(item, text, len);
	item[len] = '\0';
	s = item;
	end = item + len;
	if (!strcmp(item, "exactmap")) {
		*edit = (struct e820_user_edit){ .op = E820_USER_EXACTMAP };
		return 0;
	}
	if (!parse_size(&s, end, &size))
		return -EINVAL;
	if (s == end) { /* memmap=nn alone is mem=nn; Linux would take 0, and all RAM */
		if (!size)
			return -EINVAL;
		*edit = (struct e820_user_edit){ .op = E820_USER_LIMIT, .start = size };
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(seps); i++) {
		if (*s != seps[i].sep)
			continue;
		s++;
		/*
		 * Linux 6.18 applies what it has read and only then notices junk after it, or
		 * lets __e820__range_add() refuse a range past 2^64; pagelab refuses first.
		 */
		if (!parse_size(&s, end, &start) || s != end || size > ~0ULL - start)
			return -EINVAL;
		*edit = (struct e820_user_edit){ .op = E820_USER_ADD, .start = start,
						 .size = size, .type = seps[i].type };
		return 0;
	}
	return -EINVAL; /* "%" (change a type) is Linux's too, but not pagelab's */
}

void e820_user_edit_apply(const struct e820_user_edit *edit)
{
	userdef = true;
	switch (edit->op) {
	case E820_USER_EXACTMAP:
		e820_table->nr_entries = 0;
		break;
	case E820_USER_LIMIT:
		e820__range_remove(edit->start, ~0ULL - edit->start, E820_TYPE_RAM, true);
		break;
	case E820_USER_ADD:
		e820__range_add(edit->start, edit->size, edit->type);
		break;
	}
}

int parse_memopt(const char *val)
{
	struct e820_user_edit edit = { .op = E820_USER_LIMIT };
	const char *s = val;

	if (!val)
		return -EINVAL;
	if (!strcmp(val, "nopentium")) { /* 4 MiB pages off: 32-bit Linux only */
		pr_warn("mem=nopentium ignored! (only supported on x86_32)\n");
		return -EINVAL;
	}
	/*
	 * 0 would remove all RAM: Linux refuses it.  Linux 6.18 also takes "256Mxyz" as
	 * 256M; pagelab refuses what it cannot read whole.
	 */
	if (!parse_size(&s, val + strlen(val), &edit.start) || *s || !edit.start)
		return -EINVAL;
	e820_user_edit_apply(&edit);
	return 0;
}

#define MEMMAP_MAX_ITEMS 32

int parse_memmap_opt(const char *val)
{
	struct e820_user_edit edits[MEMMAP_MAX_ITEMS];
	u32 n = 0;

	if (!val)
		return -EINVAL;
	/*
	 * Linux 6.18 applies the items one by one and returns 0 whatever they were, so a
	 * bad one is silently skipped.  pagelab decodes them all first, then applies all
	 * or none, and its caller says "Malformed early option 'memmap'".
	 */
	for (const char *s = val;; ) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);

		if (n == MEMMAP_MAX_ITEMS || e820_parse_memmap_one(s, len, &edits[n]) < 0)
			return -EINVAL;
		n++;
		if (!comma)
			break;
		s = comma + 1;
	}
	for (u32 i = 0; i < n; i++)
		e820_user_edit_apply(&edits[i]);
	return 0;
}

void e820__finish_early_params(void)
{
	if (!userdef)
		return;
	/*
	 * Linux panics ("Invalid user supplied memory map") when this sanitising fails,
	 * which includes a table of a single entry (memmap=exactmap memmap=nn@ss); that
	 * table needs no sanitising and every entry that could wrap was refused above.
	 */
	e820__update_table(e820_table);
	pr_info("user-defined physical RAM map:\n");
	e820__print_table("user");
}

/* ---- at boot ---- */

#define LOWMEMSIZE 0x9f000 /* the conventional memory a made-up map claims, as Linux's */

/*
 * Linux's e820__memory_setup_default().  A map of fewer than two entries, or with one
 * entry that runs past 2^64, is not believed at all (Linux 6.18's append_e820_table());
 * the RAM is then made up from whichever of E801h and AH=88h reported more: 0 .. 636 KiB,
 * and from 1 MiB up.  On UEFI the entries are the ones Linux's EFI stub would make of the
 * EFI map (efi_memmap_e820_believed()), and E801h/88h were never asked: 0 KiB, so only the
 * 636 KiB remain, as on Linux.  Returns the name the table is printed under.
 */
static const char *e820__memory_setup_default(const struct boot_info *bi)
{
	const struct boot_e820_entry *e = __va(bi->mmap_addr);
	u32 nr = bi->mmap_size / sizeof(*e);
	bool believed = nr >= 2;
	const char *who = "BIOS-e801";
	u64 mem_k = bi->alt_mem_k;
	struct efi_memory_map map;

	if (bi->firmware == BOOT_FIRMWARE_UEFI) {
		efi_memmap_from_boot_info(&map, bi);
		believed = efi_memmap_e820_believed(&map);
		if (believed)
			efi_memmap_to_e820(e820_table, &map);
	} else {
		for (u32 i = 0; believed && i < nr; i++)
			believed = !e820_entry_wraps(e[i].addr, e[i].size);
		if (believed)
			append_e820_table(e820_table, e, nr);
	}
	if (believed)
		return "BIOS-e820";
	if (bi->alt_mem_k < bi->ext_mem_k) {
		mem_k = bi->ext_mem_k;
		who = "BIOS-88";
	}
	e820_append(e820_table, 0, LOWMEMSIZE, E820_TYPE_RAM);
	e820_append(e820_table, SZ_1M, mem_k << 10, E820_TYPE_RAM);
	return who;
}

void e820__memory_setup(const struct boot_info *bi)
{
	const char *who;

	userdef = false;
	e820_table->nr_entries = 0;
	who = e820__memory_setup_default(bi);
	e820__update_table(e820_table);
	*e820_table_firmware = *e820_table;
	pr_info("BIOS-provided physical RAM map:\n");
	e820__print_table(who);
}

/*
 * Linux's e820__end_ram_pfn(): one past the last whole page of RAM below @limit_pfn.  An
 * entry that straddles the limit ends the search there.  ACPI data counts as RAM here
 * since Linux 6.11 (its tables are often the last thing below the PCI hole), and the
 * result never exceeds what the architecture can address.
 */
static unsigned long e820__end_ram_pfn(unsigned long limit_pfn, unsigned long max_arch_pfn)
{
	unsigned long last_pfn = 0;

	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];
		u64 start_pfn = e->addr >> PAGE_SHIFT, end_pfn = (e->addr + e->size) >> PAGE_SHIFT;

		if (e->type != E820_TYPE_RAM && e->type != E820_TYPE_ACPI)
			continue;
		if (start_pfn >= limit_pfn)
			continue;
		if (end_pfn > limit_pfn) {
			last_pfn = limit_pfn;
			break;
		}
		last_pfn = MAX(last_pfn, (unsigned long)end_pfn);
	}
	last_pfn = MIN(last_pfn, max_arch_pfn);
	pr_info("last_pfn = %#lx max_arch_pfn = %#lx\n", last_pfn, max_arch_pfn);
	return last_pfn;
}

unsigned long e820__end_of_ram_pfn(unsigned long max_arch_pfn)
{
	return e820__end_ram_pfn(max_arch_pfn, max_arch_pfn);
}

unsigned long e820__end_of_low_ram_pfn(unsigned long max_arch_pfn)
{
	return e820__end_ram_pfn(1UL << (32 - PAGE_SHIFT), max_arch_pfn);
}

void e820__memblock_setup(void)
{
	/*
	 * From here on the region arrays may double: everything the kernel must not lose
	 * (itself, the loader's data, low memory) is reserved already, so the new arrays
	 * cannot land on it.  A map with many RAM ranges needs this.
	 */
	memblock_allow_resize();
	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		struct e820_entry *e = &e820_table->entries[i];

		/* Soft-reserved RAM is the firmware saying "for a driver, not for you". */
		if (e->type == E820_TYPE_SOFT_RESERVED)
			memblock_reserve(e->addr, e->size);
		if (e->type == E820_TYPE_RAM)
			memblock_add(e->addr, e->size);
	}
	memblock_trim_memory(PAGE_SIZE); /* partial pages are no use to anyone */
	memblock_dump_all();
}
