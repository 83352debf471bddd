/*
 * Code both loaders run: building the kernel's first page tables and cleaning up the
 * command line.  It touches no firmware interface, only memory it is handed, so the
 * host tests can check the tables by walking them like the MMU does.
 */
#include "boot/boot_info.h"
#include "boot/loader.h"

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
