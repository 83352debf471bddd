// SPDX-License-Identifier: MIT
/*
 * The boot wiring (kernel/arch/x86_64/memory_setup.c, firmware/e820.c, firmware/efi.c, mm/memblock.c):
 * a boot_info as a loader would hand it over, with its raw map in the host's physical
 * memory, run through the same calls start_kernel() makes, and the memblock that results.
 *
 * The maps are QEMU's with 512 MiB (SeaBIOS and OVMF, q35), plus a few no firmware should
 * send.  One character per MiB in the pictures:
 *
 *   memory    |M|..|       M        |      what e820__memblock_setup added
 *   reserved  [ low ]....[K]...[L]         what early_reserve_memory and friends kept
 */
#include <criterion/criterion.h>

#include "arch/memory.h"
#include "boot/boot_info.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "host/memblock_check.h"
#include "host/printk_capture.h"
#include "arch/memory_setup.h"
#include "mm/memblock.h"

#define MAP_PHYS 0x1f000000ULL /* where the "loader" left the map: a loader range */
#define KERNEL MB(16)

static struct boot_info bi;

static void boot_info_common(void)
{
	bi.magic = BOOT_INFO_MAGIC;
	bi.version = BOOT_INFO_VERSION;
	bi.size = sizeof(bi);
	bi.mmap_addr = MAP_PHYS;
	bi.kernel_phys_start = KERNEL;
	bi.kernel_phys_end = KERNEL + MB(2);
	bi.direct_map_end = GB(4);
	bi.nr_loader_ranges = 1;
	bi.loader_ranges[0] = (struct boot_range){ MAP_PHYS, KB(4), BOOT_RANGE_MEMORY_MAP, 0 };
}

static void bios_map(const struct boot_e820_entry *e, u32 n)
{
	boot_info_common();
	bi.firmware = BOOT_FIRMWARE_BIOS;
	bi.mmap_desc_size = sizeof(*e);
	bi.mmap_size = n * sizeof(*e);
	memcpy(__va(MAP_PHYS), e, bi.mmap_size);
	cr_assert_null(boot_info_validate(&bi));
}

/* start_kernel()'s own bring-up, up to the page tables. */
static void boot(const char *cmdline)
{
	host_printk_reset();
	setup_arch_memory(&bi, cmdline, NULL, NULL);
}

/* SeaBIOS 1.16 on QEMU 7.2 q35 with 512 MiB, as pagelab's `memmap` showed it. */
static const struct boot_e820_entry seabios_q35[] = {
	{ 0x0, 0x9fc00, E820_TYPE_RAM },
	{ 0x9fc00, 0x400, E820_TYPE_RESERVED },
	{ 0xf0000, 0x10000, E820_TYPE_RESERVED },
	{ 0x100000, 0x1fedf000, E820_TYPE_RAM },
	{ 0x1ffdf000, 0x21000, E820_TYPE_RESERVED },
	{ 0xb0000000, 0x10000000, E820_TYPE_RESERVED },
	{ 0xfed1c000, 0x4000, E820_TYPE_RESERVED },
	{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED },
	{ 0xfd00000000ULL, 0x300000000ULL, E820_TYPE_RESERVED },
};

/*
 * memory    .|low|.......|                 RAM                 |      [4K, 636K) [1M, 0x1ffdf000)
 * reserved  [  first MiB  ]....[K]......[L]..                        [0, 1M) kernel map
 * Low RAM loses page 0 (trim_bios_range) and its partial last page (trim_memory).
 */
Test(memblock_boot, seabios_map)
{
	bios_map(seabios_q35, ARRAY_SIZE(seabios_q35));
	boot("");
	EXPECT_REGIONS(memory, { KB(4), KB(632) }, { MB(1), 0x1fedf000 });
	EXPECT_REGIONS(reserved, { 0, MB(1) }, { KERNEL, MB(2) }, { MAP_PHYS, KB(4) });
	cr_assert(strstr(host_printk_buf,
			 "BIOS-provided physical RAM map:\n"
			 "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
			 "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"),
		  "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf,
			 "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
			 "e820: remove [mem 0x000a0000-0x000fffff] usable\n"));
	cr_assert(strstr(host_printk_buf, "Faking a node at [mem 0x0000000000000000-0x000000001ffdefff]\n"));
}

/*
 * Linux 6.18 does not believe a BIOS map of one entry, nor one with an entry past 2^64,
 * and makes the RAM up from E801h or AH=88h, whichever says more (here E801h, 511 MiB):
 *
 *   e820      |RAM 0-636K|.|        RAM 1M .. 512M                |
 *   memory    .|  low   |.|                 M                     |   page 0 trimmed
 */
static const struct boot_e820_entry one_entry[] = { { 0, MB(512), E820_TYPE_RAM } };

Test(memblock_boot, a_one_entry_map_falls_back_on_e801)
{
	bios_map(one_entry, ARRAY_SIZE(one_entry));
	bi.alt_mem_k = 511 * 1024;
	bi.ext_mem_k = 63 * 1024;
	boot("");
	cr_assert(strstr(host_printk_buf,
			 "BIOS-provided physical RAM map:\n"
			 "BIOS-e801: [mem 0x0000000000000000-0x000000000009efff] usable\n"
			 "BIOS-e801: [mem 0x0000000000100000-0x000000001fffffff] usable\n"),
		  "%s", host_printk_buf);
	EXPECT_REGIONS(memory, { KB(4), KB(632) }, { MB(1), MB(511) });
}

/* An entry that wraps past 2^64 costs the whole map; AH=88h says more than E801h here. */
Test(memblock_boot, a_wrapping_entry_drops_the_map_for_88h)
{
	static const struct boot_e820_entry wraps[] = {
		{ 0, 0x9fc00, E820_TYPE_RAM },
		{ MB(1), MB(511), E820_TYPE_RAM },
		{ 0xfffffffffff00000ULL, MB(2), E820_TYPE_RESERVED },
	};

	bios_map(wraps, ARRAY_SIZE(wraps));
	bi.alt_mem_k = 15 * 1024;
	bi.ext_mem_k = 63 * 1024;
	boot("");
	cr_assert(strstr(host_printk_buf,
			 "BIOS-88: [mem 0x0000000000000000-0x000000000009efff] usable\n"
			 "BIOS-88: [mem 0x0000000000100000-0x0000000003ffffff] usable\n"),
		  "%s", host_printk_buf);
	EXPECT_REGIONS(memory, { KB(4), KB(632) }, { MB(1), MB(63) });
}

/*
 * An entry that ends exactly at 2^64 is believed (Linux's append_e820_table checks
 * start + size - 1); e820__update_table() then leaves the table as the BIOS sent it.
 */
Test(memblock_boot, an_entry_ending_at_2_to_the_64_is_kept)
{
	static const struct boot_e820_entry top[] = {
		{ 0, 0x9fc00, E820_TYPE_RAM },
		{ MB(1), MB(511), E820_TYPE_RAM },
		{ 0xfffffffffff00000ULL, MB(1), E820_TYPE_RESERVED },
	};

	bios_map(top, ARRAY_SIZE(top));
	boot("");
	cr_assert(strstr(host_printk_buf,
			 "BIOS-e820: [mem 0xfffffffffff00000-0xffffffffffffffff] reserved\n"),
		  "%s", host_printk_buf);
	EXPECT_REGIONS(memory, { KB(4), KB(632) }, { MB(1), MB(511) });
}

/* memblock's RAM is the e820 table's usable RAM, in whole pages. */
Test(memblock_boot, memory_total_is_the_e820_ram_in_whole_pages)
{
	u64 pages = 0;

	bios_map(seabios_q35, ARRAY_SIZE(seabios_q35));
	boot("");
	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];

		if (e->type == E820_TYPE_RAM)
			pages += ALIGN_DOWN(e->addr + e->size, KB(4)) - ALIGN_UP(e->addr, KB(4));
	}
	cr_assert_eq(memblock_phys_mem_size(), pages);
}

/*
 * After boot every memory region is on node 0; reservations have no node (as Linux):
 * plain ones say MAX_NUMNODES, the kernel's own (RSRV_KERN) NUMA_NO_NODE.
 */
Test(memblock_boot, memory_is_on_node_zero)
{
	bios_map(seabios_q35, ARRAY_SIZE(seabios_q35));
	boot("");
	for (u32 i = 0; i < memblock.memory.cnt; i++)
		cr_assert_eq(memblock.memory.regions[i].nid, 0);
	for (u32 i = 0; i < memblock.reserved.cnt; i++)
		cr_assert_eq(memblock.reserved.regions[i].nid,
			     memblock.reserved.regions[i].flags & MEMBLOCK_RSRV_KERN ? NUMA_NO_NODE
										 : MAX_NUMNODES);
}

/*
 * OVMF on QEMU q35 with 512 MiB, shortened: the descriptor types and boundaries that
 * shape the result (48-byte descriptors, as OVMF reports).
 */
static void ovmf_map(void)
{
	static const struct { u32 type; u64 start, end; } d[] = {
		{ EFI_BOOT_SERVICES_CODE, 0, 0x1000 },
		{ EFI_CONVENTIONAL_MEMORY, 0x1000, 0xa0000 },
		{ EFI_CONVENTIONAL_MEMORY, 0x100000, 0x806000 },
		{ EFI_ACPI_MEMORY_NVS, 0x806000, 0x808000 },
		{ EFI_CONVENTIONAL_MEMORY, 0x808000, 0x810000 },
		{ EFI_ACPI_MEMORY_NVS, 0x810000, 0x900000 },
		{ EFI_BOOT_SERVICES_DATA, 0x900000, 0x1000000 },
		{ EFI_LOADER_CODE, 0x1000000, 0x1200000 },
		{ EFI_CONVENTIONAL_MEMORY, 0x1200000, 0x1eaa0000 },
		{ EFI_RESERVED_TYPE, 0x1eaa0000, 0x1eba2000 },
		{ EFI_LOADER_DATA, 0x1eba2000, 0x1f4ec000 },
		{ EFI_RUNTIME_SERVICES_DATA, 0x1f4ec000, 0x1f76c000 },
		{ EFI_ACPI_RECLAIM_MEMORY, 0x1f76c000, 0x1f77e000 },
		{ EFI_ACPI_MEMORY_NVS, 0x1f77e000, 0x1f7fe000 },
		{ EFI_BOOT_SERVICES_DATA, 0x1f7fe000, 0x1fef4000 },
		{ EFI_RUNTIME_SERVICES_CODE, 0x1fef4000, 0x1ff78000 },
		{ EFI_ACPI_MEMORY_NVS, 0x1ff78000, 0x20000000 },
		{ EFI_MEMORY_MAPPED_IO, 0xb0000000, 0xc0000000 },
		{ EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x100000000ULL },
	};
	u8 *p = __va(MAP_PHYS);

	boot_info_common();
	bi.firmware = BOOT_FIRMWARE_UEFI;
	bi.mmap_desc_size = 48;
	bi.mmap_desc_version = 1;
	bi.mmap_size = ARRAY_SIZE(d) * 48;
	for (u32 i = 0; i < ARRAY_SIZE(d); i++) {
		efi_memory_desc_t md = { .type = d[i].type, .phys_addr = d[i].start,
					 .num_pages = (d[i].end - d[i].start) >> 12,
					 .attribute = EFI_MEMORY_WB };

		memcpy(p + i * 48, &md, sizeof(md));
	}
	cr_assert_null(boot_info_validate(&bi));
}

/*
 * memory    |low|..|  A  |B|    C (boot data, kernel, conventional)   |D|...|E|
 * Boot services and loader memory are usable: the kernel's own range too, which is
 * reserved instead.
 */
Test(memblock_boot, ovmf_map)
{
	ovmf_map();
	boot("");
	EXPECT_REGIONS(memory, { KB(4), KB(636) }, { MB(1), 0x706000 }, { 0x808000, KB(32) },
		       { 0x900000, 0x1eaa0000 - 0x900000 }, { 0x1eba2000, 0x1f4ec000 - 0x1eba2000 },
		       { 0x1f7fe000, 0x1fef4000 - 0x1f7fe000 });
	EXPECT_REGIONS(reserved, { 0, MB(1) }, { KERNEL, MB(2) }, { MAP_PHYS, KB(4) });
	cr_assert(strstr(host_printk_buf,
			 "BIOS-e820: [mem 0x0000000000900000-0x000000001ea9ffff] usable\n"
			 "BIOS-e820: [mem 0x000000001eaa0000-0x000000001eba1fff] reserved\n"));
}

/* Append one descriptor to the map ovmf_map() laid out. */
static void efi_map_append(u32 type, u64 phys, u64 pages)
{
	efi_memory_desc_t md = { .type = type, .phys_addr = phys, .num_pages = pages,
				 .attribute = EFI_MEMORY_WB };

	memcpy((u8 *)__va(MAP_PHYS) + bi.mmap_size, &md, sizeof(md));
	bi.mmap_size += bi.mmap_desc_size;
}

/*
 * Linux 6.18's EFI stub converts every descriptor, unchecked: one that runs past 2^64
 * (2 MiB from 0xfffffffffff00000) becomes an E820 entry that wraps, and the kernel's
 * append_e820_table() throws the whole table away.  The E801h/88h sizes it falls back on
 * are 0 on a UEFI boot, so 636 KiB of RAM are left (Linux then fails to boot for want of
 * memory).  efi_init() later names the descriptor and takes it out of the EFI map:
 *
 *   e820      |RAM 0-636K|
 *   memory    .|  low   |          page 0 trimmed, as always
 */
Test(memblock_boot, efi_descriptor_past_2_to_the_64_drops_the_whole_map)
{
	ovmf_map();
	efi_map_append(EFI_RESERVED_TYPE, 0xfffffffffff00000ULL, 0x200);
	boot("");
	cr_assert(strstr(host_printk_buf,
			 "BIOS-provided physical RAM map:\n"
			 "BIOS-e801: [mem 0x0000000000000000-0x000000000009efff] usable\n"),
		  "%s", host_printk_buf);
	cr_assert_null(strstr(host_printk_buf, "BIOS-e820:"), "%s", host_printk_buf);
	EXPECT_REGIONS(memory, { KB(4), KB(632) });
	cr_assert(strstr(host_printk_buf,
			 "efi: [Firmware Bug]: Invalid EFI memory map entries:\n"
			 "efi: mem19: [Reserved    |   |  |  |  |  |  |  |  |  |   |WB|  |  |  ] "
			 "range=[0xfffffffffff00000-0x100000000000fffff] (invalid)\n"
			 "efi: Removing 1 invalid memory map entries.\n"),
		  "%s", host_printk_buf);
	cr_assert_eq(efi_memmap.nr_map, 19);
}

/*
 * A descriptor with no pages is no reason to drop the map: the stub's entry for it is
 * empty, and the table is believed.  efi_init() still takes it out of the EFI map, with
 * Linux's "(invalid)" line (the end printed as 0).
 */
Test(memblock_boot, empty_efi_descriptor_only_leaves_the_efi_map)
{
	ovmf_map();
	efi_map_append(EFI_RESERVED_TYPE, 0xfd00000000ULL, 0);
	boot("");
	cr_assert(strstr(host_printk_buf, "BIOS-e820: [mem 0x0000000000900000-0x000000001ea9ffff] usable\n"),
		  "%s", host_printk_buf);
	cr_assert(strstr(host_printk_buf,
			 "range=[0x000000fd00000000-0x0000000000000000] (invalid)\n"
			 "efi: Removing 1 invalid memory map entries.\n"),
		  "%s", host_printk_buf);
	cr_assert_eq(efi_memmap.nr_map, 19);
}

/* One E820 entry is not believed on UEFI either: all RAM, merged by the stub into one. */
Test(memblock_boot, efi_map_of_one_stub_entry_is_not_believed)
{
	boot_info_common();
	bi.firmware = BOOT_FIRMWARE_UEFI;
	bi.mmap_desc_size = 48;
	bi.mmap_desc_version = 1;
	bi.mmap_size = 0;
	efi_map_append(EFI_CONVENTIONAL_MEMORY, 0, 0x100);
	efi_map_append(EFI_BOOT_SERVICES_DATA, 0x100000, 0x1ff00);
	cr_assert_null(boot_info_validate(&bi));
	bi.alt_mem_k = 511 * 1024;
	boot("");
	cr_assert(strstr(host_printk_buf,
			 "BIOS-e801: [mem 0x0000000000000000-0x000000000009efff] usable\n"
			 "BIOS-e801: [mem 0x0000000000100000-0x000000001fffffff] usable\n"),
		  "%s", host_printk_buf);
}

/*
 * memblock=debug: every reservation with its node, flags and caller, as Linux 6.16 and
 * later log __memblock_reserve() (the kernel image and the loader's data are RSRV_KERN,
 * 0x20, on no node: -1, as 6.18 keeps its image and setup_data; the firmware's low memory
 * is plain, on MAX_NUMNODES, 1 here), then the configuration dump.  The caller is
 * the function kallsyms would name: reserve_loader_ranges() and reserve_bios_regions()
 * are called once, so they are inlined into early_reserve_memory().
 */
Test(memblock_boot, memblock_debug_shows_reservations_and_the_dump)
{
	const char *log;

	bios_map(seabios_q35, ARRAY_SIZE(seabios_q35));
	boot("console=ttyS0 memblock=debug");
	log = host_symbolize_callers(host_printk_buf);
	cr_assert(strstr(log,
			 "__memblock_reserve: [0x0000000001000000-0x00000000011fffff] nid=-1 flags=20 "
			 "early_reserve_memory\n"
			 "__memblock_reserve: [0x000000001f000000-0x000000001f000fff] nid=-1 flags=20 "
			 "early_reserve_memory\n"
			 "__memblock_reserve: [0x0000000000000000-0x000000000000ffff] nid=1 flags=0 "
			 "early_reserve_memory\n"
			 "__memblock_reserve: [0x000000000009f000-0x00000000000fffff] nid=1 flags=0 "
			 "early_reserve_memory\n"),
		  "%s", log);
	cr_assert(strstr(log,
			 "memblock_add: [0x0000000000001000-0x000000000009fbff] e820__memblock_setup\n"));
	cr_assert(strstr(log,
			 "MEMBLOCK configuration:\n"
			 " memory size = 0x000000001ff7d000 reserved size = 0x0000000000272000\n"
			 " memory.cnt  = 0x2\n"));
	cr_assert(strstr(log,
			 "__memblock_reserve: [0x0000000000000000-0x00000000000fffff] nid=1 flags=0 "
			 "reserve_real_mode\n"));
}

/* The BIOS data area says where the EBDA starts: 576 KiB here, so [576K, 1M) is kept. */
Test(memblock_boot, ebda_from_the_bios_data_area)
{
	u8 *bda = __va(0x400);

	bda[0x13] = 600 & 0xff, bda[0x14] = 600 >> 8;   /* 600 KiB of base memory */
	bda[0x0e] = 0x00, bda[0x0f] = 0x90;             /* EBDA at segment 0x9000 */
	bios_map(seabios_q35, ARRAY_SIZE(seabios_q35));
	early_reserve_memory(&bi);
	cr_assert(memblock_is_region_reserved(0x90000, 1));
	cr_assert_not(memblock_is_region_reserved(0x8f000, KB(4)));
}

/* Nonsense in the BIOS data area (16 KiB of base memory) is not believed: 636K .. 1M. */
Test(memblock_boot, insane_bios_data_area_is_ignored)
{
	u8 *bda = __va(0x400);

	bda[0x13] = 16;
	bios_map(seabios_q35, ARRAY_SIZE(seabios_q35));
	early_reserve_memory(&bi);
	cr_assert(memblock_is_region_reserved(0x9f000, 1));
	cr_assert_not(memblock_is_region_reserved(0x9e000, KB(4)));
}

/*
 * memory    ................|        A         |....|   B   |     A = [16M, 512M)
 * No RAM at all below 16 MiB (nothing for the first MiB or the ISA zone): memblock does
 * not care, and allocations come from A and B as usual.   B = [4G, 5G)
 */
Test(memblock_boot, no_ram_below_16_mib)
{
	static const struct boot_e820_entry map[] = {
		{ 0, MB(16), E820_TYPE_RESERVED },
		{ MB(16), MB(496), E820_TYPE_RAM },
		{ GB(4), GB(1), E820_TYPE_RAM },
	};
	void *p;

	bios_map(map, ARRAY_SIZE(map));
	bi.direct_map_end = GB(5);
	boot("");
	EXPECT_REGIONS(memory, { MB(16), MB(496) }, { GB(4), GB(1) });
	p = memblock_alloc(MB(1), MB(1));
	cr_assert_eq(__pa(p), GB(5) - MB(1));
	memblock_set_current_limit(GB(4));
	p = memblock_alloc(MB(1), MB(1));
	cr_assert_eq(__pa(p), MB(511));
}

/*
 * 129 separate RAM ranges (low RAM, then 1 MiB every 2 MiB from 64 MiB): more than
 * memblock's static 128 entries.  e820__memblock_setup allowed resizing, so the memory array doubles to 256
 * and the new array is reserved inside the direct map.
 */
Test(memblock_boot, more_than_128_ram_ranges_grow_the_array)
{
	static struct boot_e820_entry map[129];

	map[0] = (struct boot_e820_entry){ 0, 0x9fc00, E820_TYPE_RAM };
	for (int i = 0; i < 128; i++)
		map[i + 1] = (struct boot_e820_entry){ MB(64) + MB(2) * i, MB(1), E820_TYPE_RAM };
	bios_map(map, ARRAY_SIZE(map));
	bi.direct_map_end = GB(4);
	boot("");
	cr_assert_eq(memblock.memory.cnt, 129);
	cr_assert_eq(memblock.memory.max, 256);
	cr_assert(memblock_is_region_reserved(__pa(memblock.memory.regions), KB(8)));
	cr_assert_lt(__pa(memblock.memory.regions), bi.direct_map_end);
}

/*
 * After boot, allocations come only from free RAM: never the first MiB, the kernel, the
 * loader's map, nor anything above current_limit (the loader's direct map end).
 */
Test(memblock_boot, allocations_after_boot_avoid_everything_reserved)
{
	bios_map(seabios_q35, ARRAY_SIZE(seabios_q35));
	bi.loader_ranges[1] = (struct boot_range){ 0x1ffc0000, KB(64), BOOT_RANGE_PAGE_TABLES, 0 };
	bi.nr_loader_ranges = 2;
	boot("");
	memblock_set_current_limit(MB(256));
	for (int i = 0; i < 500; i++) {
		void *p = memblock_alloc(KB(64), KB(4));
		phys_addr_t pa;

		if (!p)
			break;
		pa = __pa(p);
		cr_assert(pa >= MB(1) && pa + KB(64) <= MB(256), "%#llx", pa);
		cr_assert(pa + KB(64) <= KERNEL || pa >= KERNEL + MB(2));
		cr_assert(pa + KB(64) <= MAP_PHYS || pa >= MAP_PHYS + KB(4));
	}
	cr_assert(memblock_is_region_reserved(0x1ffc0000, KB(64)));
}
