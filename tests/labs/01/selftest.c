/*
 * `selftest lab1`: lab 1's checks inside the running kernel (docs/labs/01-boot-and-real-mode.md).
 * The EFI conversion runs on small maps built here, with OVMF's 48-byte descriptors; the
 * last case looks at the map this boot really received, on either firmware.
 */
#include "arch/memory.h"
#include "boot/boot_info.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "kernel/selftest.h"
#include "kernel/setup.h"
#include "lib/string.h"

#define DESC_SIZE 48
#define MB(x) ((u64)(x) << 20)

static u8 map_buf[8 * DESC_SIZE];
static struct e820_table table;
static unsigned int nr_desc;

static void desc(u32 type, u64 phys, u64 pages)
{
	efi_memory_desc_t d = { .type = type, .phys_addr = phys, .num_pages = pages,
				.attribute = EFI_MEMORY_WB };

	memset(map_buf + nr_desc * DESC_SIZE, 0xa5, DESC_SIZE); /* junk past the 40 bytes */
	memcpy(map_buf + nr_desc * DESC_SIZE, &d, sizeof(d));
	nr_desc++;
}

static void convert(void)
{
	struct efi_memory_map m = { .map = map_buf, .map_end = map_buf + nr_desc * DESC_SIZE,
				    .desc_size = DESC_SIZE, .desc_version = 1, .nr_map = nr_desc };

	table.nr_entries = 0;
	efi_memmap_to_e820(&table, &m);
	nr_desc = 0;
}

static bool entry_is(u32 i, u64 addr, u64 size, u32 type)
{
	const struct e820_entry *e = &table.entries[i];

	return i < table.nr_entries && e->addr == addr && e->size == size && e->type == type;
}

/* One descriptor of each kind, apart: each becomes the E820 type Linux's stub gives it. */
static void efi_types_become_e820_types(struct selftest *t)
{
	desc(EFI_CONVENTIONAL_MEMORY, MB(1), 256);
	desc(EFI_ACPI_MEMORY_NVS, MB(3), 16);
	desc(EFI_ACPI_RECLAIM_MEMORY, MB(5), 16);
	desc(EFI_RUNTIME_SERVICES_DATA, MB(7), 16);
	desc(EFI_UNUSABLE_MEMORY, MB(9), 16);
	desc(EFI_UNACCEPTED_MEMORY, MB(11), 16);
	convert();
	ST_EXPECT_EQ(t, table.nr_entries, 5);
	ST_EXPECT(t, entry_is(0, MB(1), MB(1), E820_TYPE_RAM));
	ST_EXPECT(t, entry_is(1, MB(3), MB(16) >> 8, E820_TYPE_NVS));
	ST_EXPECT(t, entry_is(2, MB(5), MB(16) >> 8, E820_TYPE_ACPI));
	ST_EXPECT(t, entry_is(3, MB(7), MB(16) >> 8, E820_TYPE_RESERVED));
	ST_EXPECT(t, entry_is(4, MB(9), MB(16) >> 8, E820_TYPE_UNUSABLE));
}

/* Boot Code + Conventional + Loader Data, touching: one usable entry; then ACPI NVS. */
static void efi_neighbours_merge(struct selftest *t)
{
	desc(EFI_BOOT_SERVICES_CODE, MB(1), 16);
	desc(EFI_CONVENTIONAL_MEMORY, MB(1) + 0x10000, 240);
	desc(EFI_LOADER_DATA, MB(2), 256);
	desc(EFI_ACPI_MEMORY_NVS, MB(3), 1);
	convert();
	ST_EXPECT_EQ(t, table.nr_entries, 2);
	ST_EXPECT(t, entry_is(0, MB(1), MB(2), E820_TYPE_RAM));
	ST_EXPECT(t, entry_is(1, MB(3), 0x1000, E820_TYPE_NVS));
}

/* The E820 type Linux's EFI stub gives a descriptor, worked out here independently. */
static u32 want_type(const efi_memory_desc_t *md)
{
	switch (md->type) {
	case EFI_LOADER_CODE: case EFI_LOADER_DATA: case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA: case EFI_CONVENTIONAL_MEMORY:
		return md->attribute & EFI_MEMORY_SP ? E820_TYPE_SOFT_RESERVED : E820_TYPE_RAM;
	case EFI_ACPI_RECLAIM_MEMORY:
		return E820_TYPE_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return E820_TYPE_NVS;
	case EFI_UNUSABLE_MEMORY:
		return E820_TYPE_UNUSABLE;
	case EFI_PERSISTENT_MEMORY:
		return E820_TYPE_PMEM;
	case EFI_UNACCEPTED_MEMORY:
		return 0;
	default:
		return md->type <= EFI_PAL_CODE ? E820_TYPE_RESERVED : 0;
	}
}

/* The firmware's own areas survive into the kernel's table as what they are. */
static void firmware_map_reached_the_kernel(struct selftest *t)
{
	const struct e820_table *fw = e820_table_firmware;

	if (boot_info->firmware == BOOT_FIRMWARE_BIOS) {
		/* INT 15h E820 reports the BIOS's own areas; the E801h fallback knows only RAM. */
		const struct boot_e820_entry *e = __va(boot_info->mmap_addr);
		u32 nr = boot_info->mmap_size / sizeof(*e), reserved = 0;

		for (u32 i = 0; i < nr; i++) {
			ST_EXPECT(t, e[i].size != 0);
			reserved += e[i].type != E820_TYPE_RAM;
		}
		ST_EXPECT(t, reserved > 0);
		return;
	}
	/* UEFI: every descriptor with an E820 type lies inside an entry of that type. */
	const efi_memory_desc_t *md;

	for_each_efi_memory_desc_in_map(&efi_memmap, md) {
		u64 end = efi_md_end(md);
		bool found = false;

		if (!want_type(md) || !end)
			continue;
		for (u32 i = 0; i < fw->nr_entries; i++)
			found |= fw->entries[i].addr <= md->phys_addr &&
				 end <= fw->entries[i].addr + fw->entries[i].size &&
				 fw->entries[i].type == want_type(md);
		if (!found)
			selftest_fail(t, __FILE__, __LINE__, "EFI type %u at %#llx-%#llx is not in the "
				      "kernel's table as E820 type %u", md->type, md->phys_addr, end - 1,
				      want_type(md));
	}
	ST_EXPECT(t, fw->nr_entries > 1);
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(efi_types_become_e820_types),
	SELFTEST_CASE(efi_neighbours_merge),
	SELFTEST_CASE(firmware_map_reached_the_kernel),
};

DEFINE_LAB_SELFTEST_SUITE(lab1, cases);
