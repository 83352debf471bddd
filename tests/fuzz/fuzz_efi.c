// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the EFI memory map -> E820 conversion, efi_memmap_to_e820()
 * (firmware/efi.c), then the sanitiser, `memmap`'s printer efi_print_memmap(), and the
 * whole-map check and the cleaning efi_memmap_e820_believed() and efi_clean_memmap().
 *
 * Input:  u8 stride   then the map's bytes, as the firmware would hand them over
 *
 * The descriptors are 40 + 8 * (stride % 8) bytes apart (boot_info_validate() accepts
 * any multiple of 8 from 40 on; OVMF's is 48): type, pad, phys_addr, virt_addr,
 * num_pages, attribute, then junk up to the stride.  The map is copied into a buffer of
 * exactly its size, so a read past its end is an ASan report.  Checked:
 *
 *   - nothing is read outside the map; the printer never overflows its buffer
 *   - the table holds no entry for a descriptor the stub leaves out (efi_md_e820_type()
 *     0) or an invalid one (efi_md_end() 0), and after e820__update_table() it is clean
 *     and means exactly what the descriptors meant (tests/fuzz/e820_model.h), taken as
 *     the stub takes them: neighbours of one E820 type joined, soft-reserved ones too
 *   - efi_clean_memmap() leaves only valid descriptors (efi_md_end() not 0), the count
 *     in step with the bytes, and a second cleaning finds nothing
 */
#include "e820_model.h"
#include "firmware/efi.h"
#include "lib/seq_file.h"
#include "lib/string.h"

static struct e820_table table;
static struct e820_entry raw[E820_MAX_ENTRIES];
static char out[1 << 16];

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 stride = 40 + 8 * (size ? data[0] % 8 : 0), n = 0;
	size_t len = size ? size - 1 : 0;
	u8 *buf = malloc(len ? len : 1);
	struct efi_memory_map map = { .map = buf, .map_end = buf + len, .desc_size = stride,
				      .desc_version = 1, .nr_map = len / stride };
	const efi_memory_desc_t *md;
	struct seq_file m;
	bool modelled = true;

	memcpy(buf, data + 1, len);
	for_each_efi_memory_desc_in_map(&map, md) {
		u32 type = efi_md_e820_type(md);
		u64 end = efi_md_end(md);

		if (!type || !end)
			continue;
		/* Linux's stub joins a descriptor to the entry before it of the same type,
		 * whatever the type: the raw entries are the joined ones. */
		if (n && raw[n - 1].type == type && raw[n - 1].addr + raw[n - 1].size == md->phys_addr) {
			raw[n - 1].size += end - md->phys_addr;
			continue;
		}
		if (n == E820_MAX_ENTRIES) {
			modelled = false; /* a full table is sanitised on the way: not modelled */
			break;
		}
		raw[n++] = (struct e820_entry){ md->phys_addr, end - md->phys_addr, type };
	}
	table.nr_entries = 0;
	efi_memmap_to_e820(&table, &map);
	fuzz_check(table.nr_entries <= n || !modelled, "%u entries from %u descriptors",
		   table.nr_entries, n);
	if (table.nr_entries >= 2)
		fuzz_check(!e820__update_table(&table), "e820__update_table refused the table");
	e820_check_clean(&table);
	if (modelled)
		e820_check_meaning(&table, raw, n);

	seq_buf_init(&m, out, sizeof(out));
	efi_print_memmap(&m, &map);

	(void)efi_memmap_e820_believed(&map);
	efi_clean_memmap(&map);
	fuzz_check((size_t)((const u8 *)map.map_end - (const u8 *)map.map) / stride == map.nr_map,
		   "%u descriptors left in %zu bytes", map.nr_map,
		   (size_t)((const u8 *)map.map_end - (const u8 *)map.map));
	for_each_efi_memory_desc_in_map(&map, md)
		fuzz_check(efi_md_end(md), "an invalid descriptor at %#llx of %llu pages is left",
			   md->phys_addr, md->num_pages);
	n = map.nr_map;
	efi_clean_memmap(&map);
	fuzz_check(map.nr_map == n, "a second cleaning removed %u more", n - map.nr_map);
	free(buf);
	return 0;
}
