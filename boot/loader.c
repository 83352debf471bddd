// SPDX-License-Identifier: MIT
/*
 * Code both loaders run: filling the boot_info page, building the kernel's first page
 * tables and cleaning up the command line.  It touches no firmware interface, only
 * memory it is handed, so the host tests can check every refusal and walk the tables
 * the way the MMU does.
 *
 * Compiled three ways (UEFI loader with -fpic, stage 2 with -m16, host tests): plain C
 * and memset/memcpy only, no 64-bit division (-m16 has no libgcc).
 */
#include "boot/loader.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "lib/string.h"

#define PTE_PRESENT 0x001ULL
#define PTE_WRITE 0x002ULL
#define PTE_LARGE 0x080ULL /* in a page-directory entry: a 2 MiB page */
#define PTE_TABLE (PTE_PRESENT | PTE_WRITE)
#define PTE_LARGE_PAGE (PTE_PRESENT | PTE_WRITE | PTE_LARGE)
#define ENTRIES 512

#define PML4_INDEX(va) (((va) >> 39) & 511)
#define PDPT_INDEX(va) (((va) >> 30) & 511)
#define PD_INDEX(va) (((va) >> 21) & 511)

/* Layout of the pages: PML4, low PDPT, kernel PDPT, kernel PD, then one PD per GiB. */
enum { PT_PML4, PT_PDPT_LOW, PT_PDPT_KERNEL, PT_PD_KERNEL, PT_FIRST_PD };

struct boot_info *boot_info_init(void *page, u64 page_phys, u32 firmware)
{
	struct boot_info *bi = page;

	memset(page, 0, BOOT_PAGE_SIZE);
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->firmware = firmware;
	bi->cmdline_addr = page_phys + BOOT_CMDLINE_OFFSET;
	bi->cmdline_size = 1; /* the slot is zeroed: an empty string */
	boot_add_range(bi, page_phys, BOOT_PAGE_SIZE, BOOT_RANGE_BOOT_INFO); /* the first: fits */
	return bi;
}

const char *boot_add_range(struct boot_info *bi, u64 start, u64 size, u32 kind)
{
	struct boot_range *r;

	if (bi->nr_loader_ranges >= BOOT_MAX_LOADER_RANGES)
		return "too many loader ranges (boot_info has room for "
		       BOOT_STR(BOOT_MAX_LOADER_RANGES) ")";
	r = &bi->loader_ranges[bi->nr_loader_ranges++];
	r->start = start;
	r->size = ALIGN_UP(size, (u64)BOOT_PAGE_SIZE);
	r->kind = kind;
	return NULL;
}

char *boot_cmdline_slot(struct boot_info *bi)
{
	return (char *)bi + BOOT_CMDLINE_OFFSET;
}

const char *boot_check_cmdline_size(u64 size)
{
	if (size >= BOOT_CMDLINE_MAX)
		return "command line too long (it must fit in " BOOT_STR(BOOT_CMDLINE_MAX)
		       " bytes with its NUL)";
	return NULL;
}

const char *boot_set_cmdline(struct boot_info *bi, const u8 *src, u64 len)
{
	char *dst = boot_cmdline_slot(bi);
	const char *why = boot_check_cmdline_size(len);
	int n = why ? -1 : boot_cmdline_copy(dst, BOOT_CMDLINE_MAX, src, (u32)len);

	if (n < 0) { /* only when @why says so: the copy refuses exactly what the check does */
		dst[0] = 0;
		bi->cmdline_size = 1;
		return why;
	}
	bi->cmdline_size = (u32)n + 1;
	return NULL;
}

int boot_cmdline_copy(char *dst, u32 dst_size, const u8 *src, u32 len)
{
	u32 n = 0;

	if (len >= dst_size)
		return -1;
	for (u32 i = 0; i < len; i++)
		dst[n++] = (src[i] == '\n' || src[i] == '\r' || src[i] == '\t') ? ' ' : (char)src[i];
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = 0;
	return (int)n;
}

/*
 * The two vocabularies say the same thing differently: E820 folds MMIO into "reserved";
 * EFI names MMIO apart and keeps "reserved" for what the firmware withholds.  Types a
 * loader does not know are memory: mapping too much costs a little, too little faults.
 */
bool boot_range_holds_memory(u32 firmware, u32 type)
{
	if (firmware == BOOT_FIRMWARE_BIOS)
		return type != E820_TYPE_RESERVED;
	return type != EFI_RESERVED_TYPE && type != EFI_MEMORY_MAPPED_IO &&
	       type != EFI_MEMORY_MAPPED_IO_PORT_SPACE;
}

u64 boot_mem_top(u64 top, u64 start, u64 size)
{
	u64 end = start + size < start ? ~0ULL : start + size;

	return end > top ? end : top;
}

const char *boot_direct_map_end(u64 mem_top, u64 *end)
{
	const u64 max = (u64)BOOT_DIRECT_MAP_MAX_GIB * SZ_1G;

	if (mem_top > max)
		return "memory above " BOOT_STR(BOOT_DIRECT_MAP_MAX_GIB)
		       " GiB: the boot page tables cannot map it";
	*end = ALIGN_UP(mem_top < BOOT_DIRECT_MAP_MIN ? BOOT_DIRECT_MAP_MIN : mem_top, SZ_1G);
	return NULL;
}

u32 boot_page_table_pages(u64 direct_map_end)
{
	return PT_FIRST_PD + (u32)(direct_map_end >> 30);
}

/*
 *   PML4[0]   ----+--> PDPT_low --> PD[0..n) --> 2 MiB pages 0 .. direct_map_end
 *   PML4[273] ----+      (identity and PAGE_OFFSET share one PDPT and its PDs)
 *   PML4[511] -------> PDPT_kernel[510] --> PD_kernel --> 2 MiB pages from kernel_phys
 *
 * All entries are writable and executable: these tables live only until the kernel
 * builds its own, with real permissions, from memblock.
 */
u64 boot_build_page_tables(u64 *tables, u64 tables_phys, u64 direct_map_end, u64 kernel_phys,
			   u64 kernel_size)
{
	u64 *pml4 = tables + PT_PML4 * ENTRIES;
	u64 *pdpt_low = tables + PT_PDPT_LOW * ENTRIES;
	u64 *pdpt_kernel = tables + PT_PDPT_KERNEL * ENTRIES;
	u64 *pd_kernel = tables + PT_PD_KERNEL * ENTRIES;
	u32 nr_pd = (u32)(direct_map_end >> 30);

#define PHYS(p) (tables_phys + (u64)((p) - tables) * 8)
	if (!nr_pd || nr_pd > ENTRIES || (direct_map_end & (SZ_1G - 1)) ||
	    (kernel_phys & (SZ_2M - 1)) || (kernel_size & (SZ_2M - 1)) || kernel_size > SZ_1G)
		return 0;

	for (u32 g = 0; g < nr_pd; g++) {
		u64 *pd = tables + (PT_FIRST_PD + g) * ENTRIES;

		for (u32 i = 0; i < ENTRIES; i++)
			pd[i] = ((u64)g << 30 | (u64)i << 21) | PTE_LARGE_PAGE;
		pdpt_low[g] = PHYS(pd) | PTE_TABLE;
	}
	pml4[0] = PHYS(pdpt_low) | PTE_TABLE;
	pml4[PML4_INDEX(PAGE_OFFSET_BASE)] = PHYS(pdpt_low) | PTE_TABLE;

	pml4[PML4_INDEX(KERNEL_VIRT_BASE)] = PHYS(pdpt_kernel) | PTE_TABLE;
	pdpt_kernel[PDPT_INDEX(KERNEL_VIRT_BASE)] = PHYS(pd_kernel) | PTE_TABLE;
	for (u64 off = 0; off < kernel_size; off += SZ_2M)
		pd_kernel[PD_INDEX(KERNEL_VIRT_BASE + off)] = (kernel_phys + off) | PTE_LARGE_PAGE;
	return PHYS(pml4);
#undef PHYS
}

const char *boot_setup_page_tables(struct boot_info *bi, void *tables, u64 tables_phys,
				   u64 direct_map_end, u64 *cr3)
{
	u32 pages = boot_page_table_pages(direct_map_end);
	const char *err;

	memset(tables, 0, (size_t)pages * BOOT_PAGE_SIZE);
	*cr3 = boot_build_page_tables(tables, tables_phys, direct_map_end, bi->kernel_phys_start,
				      bi->kernel_phys_end - bi->kernel_phys_start);
	if (!*cr3)
		return "the kernel does not fit the boot page tables (2 MiB aligned, at most 1 GiB)";
	err = boot_add_range(bi, tables_phys, (u64)pages * BOOT_PAGE_SIZE, BOOT_RANGE_PAGE_TABLES);
	if (err)
		return err;
	bi->direct_map_end = direct_map_end;
	return NULL;
}
