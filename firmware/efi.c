// SPDX-License-Identifier: MIT
/*
 * The UEFI memory map, as received from the loader.
 *
 * This file lets the kernel look at what the firmware said, descriptor by descriptor,
 * with the firmware's own stride, and print it in Linux's layout, so a student can hold
 * `memmap` next to `dmesg | grep efi:` from a Linux machine booted with efi=debug.
 *
 * It also turns the map into E820 entries (efi_memmap_to_e820), the way Linux's EFI stub
 * does before it starts the kernel proper (setup_e820 in drivers/firmware/efi/libstub/
 * x86-stub.c): from then on both boot paths share one memory-map code path.  Called by
 * e820__memory_setup() at boot and by tools/mmsim.
 */
#include "arch/memory.h"
#include "boot/boot_info.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "kernel/printk.h"
#include "lib/printf.h"
#include "lib/seq_file.h"
#include "lib/string.h"

struct efi_memory_map efi_memmap;

/* Linux's 12-character type names (drivers/firmware/efi/efi.c, 6.x). */
static const char memory_type_name[][13] = {
	"Reserved",     "Loader Code",  "Loader Data",  "Boot Code",
	"Boot Data",    "Runtime Code", "Runtime Data", "Conventional",
	"Unusable",     "ACPI Reclaim", "ACPI Mem NVS", "MMIO",
	"MMIO Port",    "PAL Code",     "Persistent",   "Unaccepted",
};

int efi_memory_type_by_name(const char *name, size_t len)
{
	while (len && name[len - 1] == ' ')
		len--; /* the names are padded to 12 columns */
	for (u32 t = 0; t < ARRAY_SIZE(memory_type_name); t++)
		if (strnlen(memory_type_name[t], sizeof(memory_type_name[t])) == len &&
		    !memcmp(memory_type_name[t], name, len))
			return t;
	return -1;
}

void efi_memmap_from_boot_info(struct efi_memory_map *map, const struct boot_info *bi)
{
	map->map = __va(bi->mmap_addr);
	map->map_end = (const u8 *)map->map + bi->mmap_size;
	map->desc_size = bi->mmap_desc_size;
	map->desc_version = bi->mmap_desc_version;
	map->nr_map = bi->mmap_size / bi->mmap_desc_size;
}

void efi_memmap_init(const struct boot_info *bi)
{
	efi_memmap_from_boot_info(&efi_memmap, bi);
}

u64 efi_md_end(const efi_memory_desc_t *md)
{
	u64 max_pages = (~0ULL - md->phys_addr) >> EFI_PAGE_SHIFT;

	if (md->num_pages == 0 || md->num_pages > max_pages)
		return 0;
	return md->phys_addr + (md->num_pages << EFI_PAGE_SHIFT);
}

/*
 * The types whose memory is free once boot services have exited: the total `memmap`
 * prints needs them whatever lab 1's stubs do, and test_efi_memmap.c checks that
 * efi_md_e820_type() agrees.
 */
#define EFI_RAM_TYPES                                                                    \
	(1U << EFI_LOADER_CODE | 1U << EFI_LOADER_DATA | 1U << EFI_BOOT_SERVICES_CODE |  \
	 1U << EFI_BOOT_SERVICES_DATA | 1U << EFI_CONVENTIONAL_MEMORY)

bool efi_md_usable(const efi_memory_desc_t *md)
{
	/* Specific-purpose memory is RAM the firmware asks the OS to leave alone. */
	return md->type < 32 && (EFI_RAM_TYPES & 1U << md->type) &&
	       !(md->attribute & EFI_MEMORY_SP);
}

char *efi_md_typeattr_format(char *buf, size_t size, const efi_memory_desc_t *md)
{
	const u64 known = EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB |
			  EFI_MEMORY_UCE | EFI_MEMORY_RO | EFI_MEMORY_WP | EFI_MEMORY_RP |
			  EFI_MEMORY_XP | EFI_MEMORY_NV | EFI_MEMORY_SP | EFI_MEMORY_CPU_CRYPTO |
			  EFI_MEMORY_RUNTIME | EFI_MEMORY_MORE_RELIABLE;
	u64 a = md->attribute;
	int n;

	if (md->type < ARRAY_SIZE(memory_type_name))
		n = scnprintf(buf, size, "[%-12s", memory_type_name[md->type]);
	else
		n = scnprintf(buf, size, "[type=%u", md->type);

	if (a & ~known)
		scnprintf(buf + n, size - n, "|attr=0x%016llx]", (unsigned long long)a);
	else
		scnprintf(buf + n, size - n,
			  "|%3s|%2s|%2s|%2s|%2s|%2s|%2s|%2s|%2s|%3s|%2s|%2s|%2s|%2s]",
			  a & EFI_MEMORY_RUNTIME ? "RUN" : "", a & EFI_MEMORY_MORE_RELIABLE ? "MR" : "",
			  a & EFI_MEMORY_CPU_CRYPTO ? "CC" : "", a & EFI_MEMORY_SP ? "SP" : "",
			  a & EFI_MEMORY_NV ? "NV" : "", a & EFI_MEMORY_XP ? "XP" : "",
			  a & EFI_MEMORY_RP ? "RP" : "", a & EFI_MEMORY_WP ? "WP" : "",
			  a & EFI_MEMORY_RO ? "RO" : "", a & EFI_MEMORY_UCE ? "UCE" : "",
			  a & EFI_MEMORY_WB ? "WB" : "", a & EFI_MEMORY_WT ? "WT" : "",
			  a & EFI_MEMORY_WC ? "WC" : "", a & EFI_MEMORY_UC ? "UC" : "");
	return buf;
}

void efi_print_memmap(struct seq_file *m, const struct efi_memory_map *map)
{
	const efi_memory_desc_t *md;
	u64 usable = 0;
	u32 i = 0;

	for_each_efi_memory_desc_in_map(map, md) {
		char buf[80];
		u64 end = efi_md_end(md);

		efi_md_typeattr_format(buf, sizeof(buf), md);
		if (!end) {
			seq_printf(m, "efi: mem%02u: %s range=[0x%016llx-...] (invalid: %llu pages)\n",
				   i++, buf, md->phys_addr, md->num_pages);
			continue;
		}
		/* Linux prints the size in MB only; the page count is pagelab's addition. */
		seq_printf(m, "efi: mem%02u: %s range=[0x%016llx-0x%016llx] (%lluMB, %llu pages)\n",
			   i++, buf, md->phys_addr, end - 1, md->num_pages >> (20 - EFI_PAGE_SHIFT),
			   md->num_pages);
		if (efi_md_usable(md))
			usable += end - md->phys_addr;
	}
	seq_printf(m, "efi: %u descriptors of %u bytes (version %u); usable after "
		      "ExitBootServices: %llu KiB (%llu MiB)\n",
		   i, map->desc_size, map->desc_version, usable >> 10, usable >> 20);
}

/* ---- Linux's efi_clean_memmap() ---- */

/*
 * Linux 6.18's efi_memmap_entry_valid(): a descriptor with pages, all of them below 2^64
 * (one that ends exactly at 2^64 is invalid too).  An invalid one is named with its end
 * as Linux computes it, the bits past 64 printed before the low 64.
 */
static bool efi_memmap_entry_valid(const efi_memory_desc_t *md, u32 i, bool *warned)
{
	const u64 pages_max = ~0ULL >> EFI_PAGE_SHIFT;
	u64 end = (md->num_pages << EFI_PAGE_SHIFT) + md->phys_addr - 1, end_hi = 0;
	char buf[80];

	if (md->num_pages == 0) {
		end = 0;
	} else if (md->num_pages > pages_max ||
		   pages_max - md->num_pages < md->phys_addr >> EFI_PAGE_SHIFT) {
		end_hi = md->num_pages >> (64 - EFI_PAGE_SHIFT);
		if ((md->phys_addr >> 63) && !(end >> 63))
			end_hi++;   /* the addition carried out of bit 63 */
	} else {
		return true;
	}
	if (!*warned)
		pr_warn("efi: [Firmware Bug]: Invalid EFI memory map entries:\n");
	*warned = true;
	efi_md_typeattr_format(buf, sizeof(buf), md);
	if (end_hi)
		pr_warn("efi: mem%02u: %s range=[0x%016llx-0x%llx%016llx] (invalid)\n", i, buf,
			md->phys_addr, end_hi, end);
	else
		pr_warn("efi: mem%02u: %s range=[0x%016llx-0x%016llx] (invalid)\n", i, buf,
			md->phys_addr, end);
	return false;
}

void efi_clean_memmap(struct efi_memory_map *map)
{
	const efi_memory_desc_t *md;
	u8 *out = (u8 *)map->map; /* the loader's buffer: the kernel's to change */
	bool warned = false;
	u32 i = 0, removed = 0;

	for_each_efi_memory_desc_in_map(map, md) {
		if (efi_memmap_entry_valid(md, i++, &warned)) {
			if (out != (const u8 *)md)
				memmove(out, md, map->desc_size);
			out += map->desc_size;
		} else {
			removed++;
		}
	}
	if (!removed)
		return;
	pr_warn("efi: Removing %u invalid memory map entries.\n", removed);
	map->map_end = out;
	map->nr_map -= removed;
}

/* ---- conversion to E820, as Linux's EFI stub does it ---- */

u32 efi_md_e820_type(const efi_memory_desc_t *md)
{
	switch (md->type) {
	case EFI_RESERVED_TYPE:
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
	case EFI_PAL_CODE:
		return E820_TYPE_RESERVED;
	case EFI_UNUSABLE_MEMORY:
		return E820_TYPE_UNUSABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return E820_TYPE_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return E820_TYPE_NVS;
	case EFI_PERSISTENT_MEMORY:
		return E820_TYPE_PMEM;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		/* As Linux built with CONFIG_EFI_SOFT_RESERVE, the distributions' default. */
		return md->attribute & EFI_MEMORY_SP ? E820_TYPE_SOFT_RESERVED : E820_TYPE_RAM;
	default:
		/* Types from newer specifications: left out, as the stub leaves them.  And
		 * unaccepted memory, which a TDX/SNP guest must accept before use: Linux
		 * 6.5+ with CONFIG_UNACCEPTED_MEMORY makes it RAM and accepts it lazily, but
		 * pagelab cannot accept memory, so it does what Linux without that option
		 * does and leaves it out. */
		return 0;
	}
}

/* Linux's test for an E820 entry: its last byte, start + size - 1, wraps past 2^64. */
static bool stub_entry_wraps(u64 addr, u64 size)
{
	return size && size - 1 > ~0ULL - addr;
}

bool efi_memmap_e820_believed(const struct efi_memory_map *map)
{
	const efi_memory_desc_t *md;
	u64 addr = 0, size = 0;
	u32 type = 0, nr = 0;

	for_each_efi_memory_desc_in_map(map, md) {
		u32 t = efi_md_e820_type(md);

		if (!t)
			continue;
		/* The stub's merge: the size is num_pages << 12 cut to 64 bits, unchecked. */
		if (nr && t == type && addr + size == md->phys_addr) {
			size += md->num_pages << EFI_PAGE_SHIFT;
			continue;
		}
		if (nr && stub_entry_wraps(addr, size))
			return false;
		addr = md->phys_addr;
		size = md->num_pages << EFI_PAGE_SHIFT;
		type = t;
		nr++;
	}
	return nr >= 2 && !stub_entry_wraps(addr, size);
}

void efi_memmap_to_e820(struct e820_table *table, const struct efi_memory_map *map)
{
	const efi_memory_desc_t *md;
	struct e820_entry *prev = NULL;

	for_each_efi_memory_desc_in_map(map, md) {
		u32 type = efi_md_e820_type(md);
		u64 end = efi_md_end(md);

		if (!type)
			continue;
		if (!end) {
			pr_warn("efi: ignoring descriptor at %#llx of %llu pages: empty or past 2^64\n",
				md->phys_addr, md->num_pages);
			continue;
		}
		/* The stub merges neighbours of one type as it goes; it keeps the table short. */
		if (prev && prev->type == type && prev->addr + prev->size == md->phys_addr) {
			prev->size += end - md->phys_addr;
			continue;
		}
		if (__e820__range_add(table, md->phys_addr, end - md->phys_addr, type) == 0)
			prev = &table->entries[table->nr_entries - 1];
		else
			prev = NULL;
	}
}
