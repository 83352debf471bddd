// SPDX-License-Identifier: MIT
/*
 * Early memory setup, x86 side: the reservations and trims Linux's setup_arch() makes
 * around the firmware map, so that memblock never hands out memory that is in use.
 *
 * When: setup_arch_memory() runs the whole sequence from start_kernel(), right after
 * boot_info is validated, before anything allocates; mm_init_after_paging() continues
 * once the kernel's own page tables are live.  The same two functions boot tools/mmsim
 * (a map pasted from another machine) and the host tests, so there is one bring-up.
 *
 * What is kept away from the allocator, and why:
 *
 *   0 .. 64 KiB        the real-mode IVT and BIOS data area; BIOSes scribble here
 *   EBDA .. 1 MiB      the extended BIOS data area, video memory and ROMs
 *   0 .. 1 MiB         then all of it, as Linux since 5.13 (reserve_real_mode)
 *   the kernel image   kernel_phys_start .. kernel_phys_end from the loader
 *   loader ranges      boot_info, the command line, the memory map, the page tables
 *
 * ACPI tables, runtime-services memory and MMIO are never usable RAM in the first place,
 * so they need no reservation: e820__memblock_setup() does not add them.
 */
#include "arch/memory.h"
#include "arch/memory_setup.h"
#include "boot/boot_info.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "lib/cmdline.h"
#include "mm/highmem.h"
#include "mm/memblock.h"
#include "mm/mm.h"

#define BIOS_RAM_SIZE_KB_PTR 0x413 /* BDA: KiB of conventional memory */
#define BIOS_EBDA_SEGMENT_PTR 0x40e /* BDA: real-mode segment of the EBDA */
#define BIOS_START_MIN 0x20000U  /* 128 KiB: a lower value is not believed */
#define BIOS_START_MAX 0x9f000U  /* 636 KiB: and neither is a higher one */

/*
 * Reserve from where the BIOS's own memory starts up to 1 MiB.  The BIOS data area says
 * how much conventional memory there is and where the EBDA begins; both are believed
 * only within sane bounds (Linux's reserve_bios_regions()).  On a UEFI machine the BDA
 * may be empty: then the bounds decide.
 */
static u32 bda_word(u64 phys)
{
	const u8 *p = __va(phys); /* 0x413 is odd: read bytes, not a misaligned u16 */

	return p[0] | (u32)p[1] << 8;
}

static void reserve_bios_regions(void)
{
	u32 bios_start = bda_word(BIOS_RAM_SIZE_KB_PTR) << 10;
	u32 ebda_start = bda_word(BIOS_EBDA_SEGMENT_PTR) << 4;

	if (bios_start < BIOS_START_MIN || bios_start > BIOS_START_MAX)
		bios_start = BIOS_START_MAX;
	if (ebda_start >= BIOS_START_MIN && ebda_start < bios_start)
		bios_start = ebda_start;
	memblock_reserve(bios_start, BIOS_END - bios_start);
}

/*
 * What the loader handed over and the kernel goes on reading.  Linux 6.18 reserves its
 * counterparts in early_reserve_memory() as the kernel's own, RSRV_KERN: the setup_data
 * chain (where E820 entries beyond the first 128 travel too) and the initrd, with
 * memblock_reserve_kern() since 6.16.  The EFI memory map alone is a plain reservation
 * (efi_memblock_x86_reserve_range()).  boot_info and the command line stand for Linux's
 * boot_params and command line, which Linux copies into the kernel and then leaves
 * unreserved; pagelab reads them where the loader put them, so they are kept as setup_data
 * is.  The loader's page tables, given back after init_mem_mapping(), are the kernel's too.
 */
static void reserve_loader_ranges(const struct boot_info *bi)
{
	for (u32 i = 0; i < bi->nr_loader_ranges; i++) {
		const struct boot_range *r = &bi->loader_ranges[i];

		if (bi->firmware == BOOT_FIRMWARE_UEFI && r->kind == BOOT_RANGE_MEMORY_MAP)
			memblock_reserve(r->start, r->size);
		else
			memblock_reserve_kern(r->start, r->size);
	}
}

/*
 * The steps below are noinline: memblock=debug names the function that called memblock
 * (%pS of the return address), so each step must stay a function of its own for its
 * lines to say which step made them, in the kernel (-O2) as on the host (-O1).
 */
noinline void early_reserve_memory(const struct boot_info *bi)
{
	/* The kernel's own image: RSRV_KERN, as Linux 6.16 and later reserve it. */
	memblock_reserve_kern(bi->kernel_phys_start, bi->kernel_phys_end - bi->kernel_phys_start);
	reserve_loader_ranges(bi);
	memblock_reserve(0, 64 * SZ_1K);
	reserve_bios_regions();
}

noinline void trim_bios_range(void)
{
	/* The first page belongs to the firmware, though maps rarely say so. */
	e820__range_update(0, PAGE_SIZE, E820_TYPE_RAM, E820_TYPE_RESERVED);
	/* Some maps call the legacy video and ROM area RAM. */
	e820__range_remove(BIOS_BEGIN, BIOS_END - BIOS_BEGIN, E820_TYPE_RAM, true);
	e820__update_table(e820_table);
}

/*
 * Linux's MAX_ARCH_PFN: the frames the kernel's page tables can reach.  x86-64 with
 * 4-level paging has 46 physical address bits; the i386 PAE layout (zones=x86_32) 36.
 */
static unsigned long max_arch_pfn(void)
{
	return 1UL << ((zone_layout == ZONES_X86_32 ? 36 : 46) - PAGE_SHIFT);
}

/*
 * max_pfn comes from the E820 table, not from memblock (Linux's setup_arch()): the zones
 * end there, so a zone may reach past the last usable page over ACPI data.  An x86-64
 * kernel with RAM above 4 GiB also prints where the RAM below 4 GiB ends.
 */
noinline void e820_find_max_pfn(void)
{
	max_pfn = e820__end_of_ram_pfn(max_arch_pfn());
	if (zone_layout != ZONES_X86_32 && max_pfn > 1UL << (32 - PAGE_SHIFT))
		e820__end_of_low_ram_pfn(max_arch_pfn());
}

phys_addr_t real_mode_trampoline;

/*
 * The highest REAL_MODE_SIZE free bytes below 1 MiB, page aligned, or 0: where memblock's
 * top-down allocator would put them.  Taken without a reservation of their own because
 * the whole first MiB is reserved right after, in one piece (a separate allocation would
 * split memblock.reserved into regions of different flags, and every dump would change).
 */
static phys_addr_t find_real_mode_pages(void)
{
	phys_addr_t start, end;
	u64 i;

	for_each_free_mem_range_reverse(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, NULL) {
		if (start >= SZ_1M)
			continue;
		end = ALIGN_DOWN(MIN(end, (phys_addr_t)SZ_1M), (phys_addr_t)PAGE_SIZE);
		start = ALIGN_UP(start, (phys_addr_t)PAGE_SIZE);
		if (start < end && end - start >= REAL_MODE_SIZE)
			return end - REAL_MODE_SIZE;
	}
	return 0;
}

/*
 * Linux's order: first the trampoline's pages, the highest free ones below 1 MiB, then
 * everything else there.  Both firmwares' maps leave usable RAM below the EBDA
 * (SeaBIOS: up to 0x9fc00, OVMF: up to 0xa0000), and the early reservations have taken
 * only the first 64 KiB and the BIOS area by now.
 */
noinline void reserve_real_mode(void)
{
	real_mode_trampoline = find_real_mode_pages();
	if (!real_mode_trampoline)
		pr_info("No sub-1M memory is available for the trampoline\n");
	memblock_reserve(0, SZ_1M);
}

noinline void initmem_init(void)
{
	pr_info("No NUMA configuration found\n");
	pr_info("Faking a node at [mem %#018llx-%#018llx]\n", 0ULL, memblock_end_of_DRAM() - 1);
	memblock_set_node(0, PHYS_ADDR_MAX, &memblock.memory, 0);
}

/* The raw EFI map, as the loader handed it over (UEFI boots only). */
static void efi_memmap_setup(const struct boot_info *bi)
{
	if (bi->firmware != BOOT_FIRMWARE_UEFI)
		return;
	efi_memmap_init(bi);
	pr_info("efi: %u memory map descriptors of %u bytes (use `memmap` to see them)\n",
		efi_memmap.nr_map, efi_memmap.desc_size);
}

/*
 * The memory part of Linux's efi_init(), where 6.18 calls it: after the e820 table and the
 * early parameters.  Invalid descriptors leave the map (the e820 table, made before as
 * the stub makes it, is not changed), then efi=debug prints what is left.
 */
static void efi_init(const struct boot_info *bi, const char *cmdline)
{
	if (bi->firmware != BOOT_FIRMWARE_UEFI)
		return;
	efi_clean_memmap(&efi_memmap);
	if (cmdline_find_option_bool(cmdline, "efi=debug"))
		efi_print_memmap(printk_seq(), &efi_memmap);
}

/*
 * The order is Linux's setup_arch(): reservations before any RAM is known (so no early
 * allocation can land on the kernel or the loader's data), the early parameters once the
 * e820 table exists (mem= and memmap= edit it), the e820 table before memblock, the first
 * MiB last.  memblock=debug is read before the rest, unlike Linux, so that the log shows
 * the early reservations too.  The allocation limit is the loader's direct map: until
 * init_mem_mapping() runs, that is all the kernel can reach.
 */
void setup_arch_memory(const struct boot_info *bi, const char *cmdline,
		       void (*e820_fixups)(void *data), void *data)
{
	efi_memmap_setup(bi);                   /* the raw map, for `memmap` */
	early_memblock(cmdline);                /* memblock=debug logs every memblock call */
	memblock_set_current_limit(bi->direct_map_end);
	early_reserve_memory(bi);               /* kernel, loader data, low memory */
	e820__memory_setup(bi);                 /* "BIOS-provided physical RAM map:" */
	parse_early_param(cmdline);             /* mem=, memmap=, zones=, ... (kernel/params.c) */
	e820__finish_early_params();            /* "user-defined physical RAM map:" */
	efi_init(bi, cmdline);                  /* invalid EFI descriptors out; efi=debug */
	trim_bios_range();                      /* page 0 and 640K-1M are not usable RAM */
	if (e820_fixups)
		e820_fixups(data);
	e820_find_max_pfn();                    /* "last_pfn = ... max_arch_pfn = ..." */
	e820__memblock_setup();                 /* usable RAM -> memblock.memory */
	reserve_real_mode();                    /* all of the first 1 MiB */
	initmem_init();                         /* one memory node: node 0 */
}

void paging_init(void)
{
	sparse_init();     /* vmemmap[] for every section with RAM */
	zone_sizes_init(); /* zone limits -> free_area_init(): zones and struct pages */
}

void mm_init_after_paging(void)
{
	paging_init();     /* "Zone ranges:", "Early memory node ranges" */
	mm_core_init();    /* zonelists, memblock_free_all() -> buddy, "Memory: ..." */
}
