// SPDX-License-Identifier: MIT
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
#include "efi_types.h"

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

/*
 * One descriptor of each kind, apart: each becomes the E820 type Linux's stub gives it
 * (efi_types.h keeps those as digests), and unaccepted memory stays out of the table.
 */
static void efi_types_become_e820_types(struct selftest *t)
{
	static const u32 kinds[] = { EFI_CONVENTIONAL_MEMORY, EFI_ACPI_MEMORY_NVS,
				     EFI_ACPI_RECLAIM_MEMORY, EFI_RUNTIME_SERVICES_DATA,
				     EFI_UNUSABLE_MEMORY };

	for (u32 i = 0; i < ARRAY_SIZE(kinds); i++)
		desc(kinds[i], MB(1 + 2 * i), 16);
	desc(EFI_UNACCEPTED_MEMORY, MB(11), 16);
	convert();
	ST_EXPECT_EQ(t, table.nr_entries, ARRAY_SIZE(kinds));
	for (u32 i = 0; i < ARRAY_SIZE(kinds) && i < table.nr_entries; i++) {
		const struct e820_entry *e = &table.entries[i];

		if (e->addr != MB(1 + 2 * i) || e->size != 16 * 4096 ||
		    !lab1_type_is_linux(kinds[i], e->type))
			selftest_fail(t, __FILE__, __LINE__, "EFI type %u at %#llx became E820 type "
				      "%u at %#llx-%#llx: not Linux's", kinds[i], MB(1 + 2 * i),
				      e->type, e->addr, e->addr + e->size - 1);
	}
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
	/* UEFI: every descriptor lies inside an entry of the type Linux gives it. */
	const efi_memory_desc_t *md;

	for_each_efi_memory_desc_in_map(&efi_memmap, md) {
		u64 end = efi_md_end(md);
		u32 type = 0; /* 0: in no entry of the table */

		if (!lab1_type_known(md->type) || (md->attribute & EFI_MEMORY_SP) || !end)
			continue;
		for (u32 i = 0; i < fw->nr_entries; i++)
			if (fw->entries[i].addr <= md->phys_addr &&
			    end <= fw->entries[i].addr + fw->entries[i].size)
				type = fw->entries[i].type;
		if (!lab1_type_is_linux(md->type, type))
			selftest_fail(t, __FILE__, __LINE__, "EFI type %u at %#llx-%#llx is E820 type "
				      "%u in the kernel's table (0: in none): not what Linux makes of it",
				      md->type, md->phys_addr, end - 1, type);
	}
	ST_EXPECT(t, fw->nr_entries > 1);
}

static const struct selftest_case cases[] = {
	SELFTEST_CASE(efi_types_become_e820_types),
	SELFTEST_CASE(efi_neighbours_merge),
	SELFTEST_CASE(firmware_map_reached_the_kernel),
};

DEFINE_LAB_SELFTEST_SUITE(lab1, cases);
