// SPDX-License-Identifier: MIT
/*
 * /proc/iomem for pagelab: which physical ranges are what.  Linux builds a resource tree
 * that drivers add to; pagelab's has two levels, built when printed: the E820 table, and
 * the kernel image's sections inside the RAM that holds them.
 *
 *   00100000-1ffdefff : System RAM
 *     00200000-00209fff : Kernel code
 */
#include "arch/memory.h"
#include "firmware/e820.h"
#include "kernel/resource.h"
#include "lib/seq_file.h"
#include "mm/mm.h"

static const char *iomem_name(u32 type)
{
	switch (type) {
	case E820_TYPE_RAM: return "System RAM";
	case E820_TYPE_RESERVED: return "Reserved";
	case E820_TYPE_ACPI: return "ACPI Tables";
	case E820_TYPE_NVS: return "ACPI Non-volatile Storage";
	case E820_TYPE_UNUSABLE: return "Unusable memory";
	case E820_TYPE_PRAM: return "Persistent Memory (legacy)";
	case E820_TYPE_PMEM: return "Persistent Memory";
	case E820_TYPE_SOFT_RESERVED: return "Soft Reserved";
	default: return "Unknown E820 type";
	}
}

static void print_range(struct seq_file *m, int depth, u64 start, u64 end, const char *name)
{
	/* Linux pads to 8 hex digits; wider addresses simply print wider. */
	seq_printf(m, "%*s%08llx-%08llx : %s\n", depth * 2, "", start, end - 1, name);
}

static void print_kernel_parts(struct seq_file *m, u64 start, u64 end)
{
	static const struct {
		char *from, *to;
		const char *name;
	} parts[] = {
		{ __text_start, __text_end, "Kernel code" },
		{ __rodata_start, __rodata_end, "Kernel rodata" },
		{ __rwdata_start, __bss_start, "Kernel data" },
		{ __bss_start, __bss_end, "Kernel bss" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(parts); i++) {
		u64 s = __pa(parts[i].from), e = __pa(parts[i].to);

		if (s < e && s >= start && e <= end)
			print_range(m, 1, s, e, parts[i].name);
	}
}

void iomem_show(struct seq_file *m)
{
	for (u32 i = 0; i < e820_table->nr_entries; i++) {
		const struct e820_entry *e = &e820_table->entries[i];

		print_range(m, 0, e->addr, e->addr + e->size, iomem_name(e->type));
		if (e->type == E820_TYPE_RAM)
			print_kernel_parts(m, e->addr, e->addr + e->size);
	}
}
