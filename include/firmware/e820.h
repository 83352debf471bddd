/* SPDX-License-Identifier: MIT */
/*
 * E820: the PC's memory map format, and the kernel's table built from it.
 *
 * Two things share the format (20 bytes: base, length, type, as in the ACPI spec):
 *
 *   struct boot_e820_entry  what the legacy loader hands over, raw from INT 15h E820
 *                           (the loader has already dropped entries whose ACPI 3.0
 *                           extended attributes mark them disabled)
 *   struct e820_table       the kernel's own, sanitised copy (Linux's e820_table), built
 *                           at boot from either firmware's map by e820__memory_setup():
 *                           sorted, without overlaps, neighbours of one type merged
 *
 * On a UEFI boot the EFI memory map is converted into E820 entries first, as Linux's EFI
 * stub does (efi_memmap_to_e820 in firmware/efi.h), so everything after that step is the
 * same on both paths, and both print Linux's "BIOS-e820:" lines.  firmware/e820.c has the
 * details; kernel/arch/x86_64/memory_setup.c calls it.  This header is also compiled with -m16 by
 * the legacy loader, which uses only the raw entry types.
 */
#ifndef PAGELAB_FIRMWARE_E820_H
#define PAGELAB_FIRMWARE_E820_H

#include "types.h"

enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
	E820_TYPE_PMEM = 7,
	E820_TYPE_PRAM = 12,
	E820_TYPE_SOFT_RESERVED = 0xefffffff,
};

struct boot_e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

_Static_assert(sizeof(struct boot_e820_entry) == 20, "E820 entries are 20 bytes");

/* One entry of the kernel's table: [addr, addr + size) has type @type. */
struct e820_entry {
	u64 addr;
	u64 size;
	u32 type; /* enum e820_type, or any other number the firmware used */
} __packed;

/*
 * As Linux: room for the 128 entries boot_params holds plus 3 per NUMA node (pagelab has
 * one node).  A map with more entries still fits when its neighbours merge
 * (__e820__range_add sanitises a full table before giving up on an entry).
 */
#define E820_MAX_ENTRIES (128 + 3)

struct e820_table {
	u32 nr_entries;
	struct e820_entry entries[E820_MAX_ENTRIES];
};

/* The kernel's table, and a copy of it as the firmware gave it (before trim_bios_range). */
extern struct e820_table *e820_table;
extern struct e820_table *e820_table_firmware;

struct seq_file;
struct boot_info;

/* e820_type_name - Linux's word for an E820 type ("usable", "ACPI NVS", ...) into @buf. */
const char *e820_type_name(u32 type, char *buf, size_t size);

/*
 * The printers.  e820__print_table is Linux's: the kernel's table, to the kernel log.
 * The *_show ones write to a seq_file, as the shell's commands and the tests need:
 *
 * e820_table_show - every entry of @table as Linux's boot log prints it, one a line:
 * "<who>: [mem 0x0000000000000000-0x000000000009fbff] usable" (end inclusive).
 */
void e820_table_show(struct seq_file *m, const char *who, const struct e820_table *table);

/* e820_entries_show - the same for @nr raw entries, as the legacy loader handed them over. */
void e820_entries_show(struct seq_file *m, const char *who, const struct boot_e820_entry *e,
		       u32 nr);

/* e820_summary_show - "e820: <nr> entries; usable: <KiB> KiB (<MiB> MiB)". */
void e820_summary_show(struct seq_file *m, u32 nr, u64 usable);

/* e820__print_table - e820_table_show() of the kernel's table, to the kernel log. */
void e820__print_table(const char *who);

/*
 * __e820__range_add - append [@start, @start + @size) of @type to @table, unsorted (call
 * e820__update_table afterwards).  An entry that runs past the end of the 64-bit address
 * space is refused with a warning; one that ends exactly at 2^64 is kept, as in Linux.
 * When the table is full it is sanitised first, which merges neighbours; if it is still
 * full the entry is dropped with Linux's "too many entries" message.  Returns 0, or -1 if the entry was not added.
 */
int __e820__range_add(struct e820_table *table, u64 start, u64 size, u32 type);

/* e820__range_add - __e820__range_add() on the kernel's table. */
int e820__range_add(u64 start, u64 size, u32 type);

/*
 * e820__update_table - sanitise @table as Linux does: sort by address, resolve overlaps
 * (where entries overlap, the larger type number wins: RAM is 1, so anything else beats
 * it, and an unknown type counts as not-RAM), merge touching entries of the same type
 * (except persistent and soft-reserved memory, which Linux keeps apart, cut wherever
 * another entry starts or ends), drop empty ones.  A result too long for the table keeps
 * its first E820_MAX_ENTRIES entries and loses the rest, as in Linux.  Returns 0, or -1
 * with @table untouched if there was nothing to do (fewer than two entries) or an entry
 * wraps (its end is past 2^64, or exactly 2^64: addr + size overflows to 0).
 * noipa: lab 1's host checks link their own in its place (LAB_HOST_OWN_01 in the
 * Makefile), so no caller may inline it, or drop a call whose result it ignores.
 */
int e820__update_table(struct e820_table *table) __attribute__((noipa));

/*
 * e820__range_update - in the kernel's table, give the parts of [@start, @start + @size)
 * that have @old_type the type @new_type, splitting entries as needed, and log Linux's
 * "e820: update [mem ...] usable ==> reserved" line.  Returns the bytes changed.  The
 * table is left unsorted: call e820__update_table afterwards.
 */
u64 e820__range_update(u64 start, u64 size, u32 old_type, u32 new_type);

/*
 * e820__range_remove - remove [@start, @start + @size) from the kernel's table: from
 * entries of @old_type only if @check_type, else from all.  Logs "e820: remove [mem ...]".
 * Returns the bytes removed; call e820__update_table afterwards.
 */
u64 e820__range_remove(u64 start, u64 size, u32 old_type, bool check_type);

/*
 * append_e820_table - add @nr raw entries from the legacy loader to @table (entries that
 * wrap past 2^64 are refused one by one; one that ends exactly there is kept).  Returns
 * how many were added.
 */
u32 append_e820_table(struct e820_table *table, const struct boot_e820_entry *entries, u32 nr);

/*
 * e820__memory_setup - build the kernel's table from the firmware map @bi describes (an
 * E820 table on the BIOS path, an EFI map on the UEFI path), sanitise it, keep a copy in
 * e820_table_firmware and print it under "BIOS-provided physical RAM map:", as Linux does.
 * A BIOS map of fewer than two entries, or with an entry past 2^64, is dropped whole, as
 * Linux 6.18 does: the table is then 0-636 KiB and 1 MiB up to the larger of
 * bi->alt_mem_k (E801h) and bi->ext_mem_k (AH=88h), printed as "BIOS-e801:" or "BIOS-88:".
 */
void e820__memory_setup(const struct boot_info *bi);

/*
 * e820__memblock_setup - hand the table to memblock: usable RAM to memblock.memory
 * (soft-reserved memory straight to memblock.reserved), then trim partial pages and
 * allow the region arrays to grow.  With memblock=debug, dump memblock's configuration.
 */
void e820__memblock_setup(void);

/*
 * e820__end_of_ram_pfn - max_pfn as Linux 6.18 takes it: one past the last whole page of
 * the kernel's table that is usable RAM or (since 6.11) ACPI data, at most @max_arch_pfn
 * (what the architecture's page tables can address).  Logs Linux's "last_pfn = 0x...
 * max_arch_pfn = 0x..." line.  Call once the table is trimmed, before memblock is filled.
 */
unsigned long e820__end_of_ram_pfn(unsigned long max_arch_pfn);

/* e820__end_of_low_ram_pfn - the same below 4 GiB (x86-64 prints it when RAM goes above). */
unsigned long e820__end_of_low_ram_pfn(unsigned long max_arch_pfn);

/* e820_ram_total - bytes of usable RAM in @table. */
u64 e820_ram_total(const struct e820_table *table);

/*
 * The user's own memory map: mem= and memmap= on the command line, as x86 Linux 6.18
 * reads them (arch/x86/kernel/e820.c).  Each value is decoded whole into edits first and
 * applied only if all of it is well formed, so a typo changes nothing.
 *
 *   mem=nn[KMG]            no usable RAM at or above nn
 *   memmap=nn[KMG]         the same
 *   memmap=nn[KMG]@ss[KMG] [ss, ss + nn) is usable RAM
 *   memmap=nn[KMG]#ss[KMG] ... is ACPI data
 *   memmap=nn[KMG]$ss[KMG] ... is reserved (the usual way to hide a range)
 *   memmap=nn[KMG]!ss[KMG] ... is persistent memory (type 12)
 *   memmap=exactmap        forget the firmware's map; the memmap=...@... that follow are
 *                          all the RAM there is
 * memmap= takes several, separated by commas, and may be given several times.
 */
enum e820_user_op { E820_USER_LIMIT, E820_USER_ADD, E820_USER_EXACTMAP };

struct e820_user_edit {
	enum e820_user_op op;
	u64 start; /* E820_USER_LIMIT: the limit */
	u64 size;
	u32 type;
};

/*
 * e820_parse_memmap_one - decode one memmap= item, the @len bytes at @text (no comma in
 * them; no NUL needed after them), into @edit.  Returns 0, or -EINVAL (nothing written
 * to @edit) for an item that is not one of the forms above, has anything after it, is
 * a limit of 0, runs past 2^64 or is longer than 63 bytes.
 */
int e820_parse_memmap_one(const char *text, size_t len, struct e820_user_edit *edit);

/*
 * e820_user_edit_apply - make @edit on the kernel's table (left unsorted: e820__finish
 * _early_params() sanitises it) and remember that the table is now user-defined.
 */
void e820_user_edit_apply(const struct e820_user_edit *edit);

/*
 * parse_memopt, parse_memmap_opt - the handlers of mem= and memmap= (kernel/params.c
 * calls them with the text after '=', or NULL for a bare word).  They edit the kernel's
 * table, which e820__memory_setup() has built.  Return 0, or -EINVAL with the table
 * untouched: the caller prints Linux's "Malformed early option".
 */
int parse_memopt(const char *val);
int parse_memmap_opt(const char *val);

/*
 * e820__finish_early_params - after the early parameters: if mem= or memmap= changed
 * the table, sanitise it and print it under Linux's "user-defined physical RAM map:".
 */
void e820__finish_early_params(void);

#endif
