/*
 * The UEFI memory map, as received from the loader.
 *
 * Nothing here converts or cleans the map (that is e820/memblock's job); this file
 * only lets the kernel look at what the firmware said, descriptor by descriptor, with
 * the firmware's own stride.  The printed layout is Linux's, so a student can hold
 * `memmap` next to `dmesg | grep efi:` from a Linux machine booted with efi=debug.
 */
#include "arch/memory.h"
#include "boot/boot_info.h"
#include "firmware/efi.h"
#include "lib/printf.h"
#include "lib/seq_file.h"

struct efi_memory_map efi_memmap;

/* Linux's 12-character type names (drivers/firmware/efi/efi.c, 6.x). */
static const char memory_type_name[][13] = {
	"Reserved",     "Loader Code",  "Loader Data",  "Boot Code",
	"Boot Data",    "Runtime Code", "Runtime Data", "Conventional",
	"Unusable",     "ACPI Reclaim", "ACPI Mem NVS", "MMIO",
	"MMIO Port",    "PAL Code",     "Persistent",   "Unaccepted",
};

void efi_memmap_init(const struct boot_info *bi)
{
	efi_memmap.map = __va(bi->mmap_addr);
	efi_memmap.map_end = (const u8 *)efi_memmap.map + bi->mmap_size;
	efi_memmap.desc_size = bi->mmap_desc_size;
	efi_memmap.desc_version = bi->mmap_desc_version;
	efi_memmap.nr_map = bi->mmap_size / bi->mmap_desc_size;
}

u64 efi_md_end(const efi_memory_desc_t *md)
{
	u64 max_pages = (~0ULL - md->phys_addr) >> EFI_PAGE_SHIFT;

	if (md->num_pages == 0 || md->num_pages > max_pages)
		return 0;
	return md->phys_addr + (md->num_pages << EFI_PAGE_SHIFT);
}

bool efi_md_usable(const efi_memory_desc_t *md)
{
	switch (md->type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		/* Specific-purpose memory is RAM the firmware asks the OS to leave alone. */
		return !(md->attribute & EFI_MEMORY_SP);
	default:
		return false;
	}
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
