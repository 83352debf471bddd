/* SPDX-License-Identifier: MIT */
/*
 * The UEFI memory map as the kernel sees it, with Linux's names (include/linux/efi.h).
 *
 * The loader hands over the firmware's descriptors byte for byte.  The firmware chooses
 * the descriptor size (OVMF: 48 bytes, larger than this struct), so the map must always
 * be walked by the size it reported - for_each_efi_memory_desc_in_map() does exactly that.
 * EDK2's spellings (EfiConventionalMemory, ...) stay inside efi/; kernel code uses these.
 */
#ifndef PAGELAB_FIRMWARE_EFI_H
#define PAGELAB_FIRMWARE_EFI_H

#include "types.h"

#define EFI_PAGE_SHIFT 12
#define EFI_PAGE_SIZE (1ULL << EFI_PAGE_SHIFT)

/* Memory types, numbered as in the UEFI specification (table "Memory Type Usage"). */
enum efi_memory_type {
	EFI_RESERVED_TYPE = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
	EFI_MAX_MEMORY_TYPE,
};

/* Attribute bits (UEFI 2.10, "EFI_MEMORY_DESCRIPTOR"). */
#define EFI_MEMORY_UC ((u64)0x0000000000000001ULL)
#define EFI_MEMORY_WC ((u64)0x0000000000000002ULL)
#define EFI_MEMORY_WT ((u64)0x0000000000000004ULL)
#define EFI_MEMORY_WB ((u64)0x0000000000000008ULL)
#define EFI_MEMORY_UCE ((u64)0x0000000000000010ULL)
#define EFI_MEMORY_WP ((u64)0x0000000000001000ULL)
#define EFI_MEMORY_RP ((u64)0x0000000000002000ULL)
#define EFI_MEMORY_XP ((u64)0x0000000000004000ULL)
#define EFI_MEMORY_NV ((u64)0x0000000000008000ULL)
#define EFI_MEMORY_MORE_RELIABLE ((u64)0x0000000000010000ULL)
#define EFI_MEMORY_RO ((u64)0x0000000000020000ULL)
#define EFI_MEMORY_SP ((u64)0x0000000000040000ULL)
#define EFI_MEMORY_CPU_CRYPTO ((u64)0x0000000000080000ULL)
#define EFI_MEMORY_RUNTIME ((u64)0x8000000000000000ULL)

/* The part of a descriptor every version has; the firmware's stride may be larger. */
typedef struct {
	u32 type;
	u32 pad;
	u64 phys_addr;
	u64 virt_addr;
	u64 num_pages;
	u64 attribute;
} efi_memory_desc_t;

_Static_assert(sizeof(efi_memory_desc_t) == 40, "efi_memory_desc_t is the spec's 40 bytes");

/* A raw map: where it is, how big, and the firmware's stride between descriptors. */
struct efi_memory_map {
	const void *map;
	const void *map_end;
	u32 desc_size;
	u32 desc_version;
	u32 nr_map;
};

#define for_each_efi_memory_desc_in_map(m, md)                                          \
	for ((md) = (const efi_memory_desc_t *)(m)->map;                                    \
	     (const u8 *)(md) + (m)->desc_size <= (const u8 *)(m)->map_end;                 \
	     (md) = (const efi_memory_desc_t *)((const u8 *)(md) + (m)->desc_size))

struct seq_file;
struct boot_info;

/* The map the loader handed over; set by efi_memmap_init(). */
extern struct efi_memory_map efi_memmap;

/*
 * efi_memmap_init - point efi_memmap at the raw map described by @bi (UEFI boots only).
 * The map is not copied: the loader's buffer stays reserved for the kernel's lifetime.
 */
void efi_memmap_init(const struct boot_info *bi);

/* efi_memmap_from_boot_info - fill @map with the raw map @bi describes (not copied). */
void efi_memmap_from_boot_info(struct efi_memory_map *map, const struct boot_info *bi);

/*
 * efi_md_typeattr_format - describe @md's type and attributes into @buf as Linux does,
 * e.g. "[Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]".  Returns @buf.
 */
char *efi_md_typeattr_format(char *buf, size_t size, const efi_memory_desc_t *md);

/*
 * efi_memory_type_by_name - the type whose Linux name (as efi_md_typeattr_format prints
 * it, e.g. "Conventional", "Boot Data") is the @len characters at @name, trailing blanks
 * ignored; -1 if there is none.  For reading a printed map back (tools/mmsim).
 */
int efi_memory_type_by_name(const char *name, size_t len);

/* efi_md_usable - whether @md is RAM the OS may use once boot services have exited. */
bool efi_md_usable(const efi_memory_desc_t *md);

/* efi_md_end - exclusive end of @md, or 0 if it is empty or runs past 2^64 (invalid). */
u64 efi_md_end(const efi_memory_desc_t *md);

/*
 * efi_md_e820_type - the E820 type Linux's EFI stub gives @md's memory, or 0 if the stub
 * leaves it out of the E820 map altogether.  The kernel trusts this type for good: memory
 * the firmware still uses that comes out as RAM gets handed out and overwritten, and RAM
 * that comes out as anything else is lost.  The rules are exercise 2 of
 * docs/labs/01-boot-and-real-mode.md.
 */
u32 efi_md_e820_type(const efi_memory_desc_t *md);

struct e820_table;

/*
 * efi_memmap_to_e820 - append @map to @table as E820 entries, walking by the firmware's
 * descriptor size and merging neighbours of one type as the stub does, also across the
 * sanitising a full table goes through.  Descriptors that are empty or run past 2^64 are
 * skipped with a warning (at boot, e820__memory_setup() has already refused a map with
 * one past 2^64: see efi_memmap_e820_believed()).  Call e820__update_table after.
 */
void efi_memmap_to_e820(struct e820_table *table, const struct efi_memory_map *map);

/*
 * efi_memmap_e820_believed - whether Linux 6.18 would believe the E820 table its EFI stub
 * makes of @map.  The stub (setup_e820()) checks nothing: each descriptor's size is
 * num_pages << 12 cut to 64 bits, and a descriptor that touches the entry before and has
 * its type is added to it.  The kernel's append_e820_table() then throws the whole table
 * away if it has fewer than two entries or one that runs past 2^64, as on the BIOS path:
 * e820__memory_setup() then makes the RAM up from E801h/88h, which a UEFI boot does not
 * have (0 KiB).  True if the table would be used.
 */
bool efi_memmap_e820_believed(const struct efi_memory_map *map);

/*
 * efi_clean_memmap - Linux 6.18's efi_clean_memmap(), run from efi_init() once the e820
 * table exists: drop the descriptors that are empty or run past 2^64 from @map, in place,
 * naming each ("efi: [Firmware Bug]: Invalid EFI memory map entries:", "efi: memNN: ...
 * (invalid)", "efi: Removing N invalid memory map entries.").  The E820 table was made
 * from the map before, as the stub makes it before the kernel starts.
 */
void efi_clean_memmap(struct efi_memory_map *map);

/*
 * efi_print_memmap - print @map one line per descriptor, in the layout of Linux's
 * "efi: memNN:" lines (efi=debug) plus the page count, then a summary line with the
 * descriptor count and the usable total.  Invalid descriptors are marked, not skipped.
 */
void efi_print_memmap(struct seq_file *m, const struct efi_memory_map *map);

#endif
