/*
 * The BIOS INT 15h E820 memory map, as the legacy loader hands it over: the 20-byte
 * entries of the ACPI specification (base, length, type), the same layout Linux keeps in
 * boot_params (struct boot_e820_entry).  The loader has already dropped entries whose
 * ACPI 3.0 extended attributes mark them disabled, so the attributes are not handed on.
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

struct seq_file;

/* e820_type_name - Linux's word for an E820 type ("usable", "ACPI NVS", ...) into @buf. */
const char *e820_type_name(u32 type, char *buf, size_t size);

/*
 * e820_print_table - print @nr entries as Linux's boot log does:
 * "<who>: [mem 0x0000000000000000-0x000000000009fbff] usable" (end inclusive).
 */
void e820_print_table(struct seq_file *m, const char *who, const struct boot_e820_entry *e,
		      u32 nr);

#endif
