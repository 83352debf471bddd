/*
 * The BIOS E820 map, as received from the legacy loader.  For now it is only printed,
 * in Linux's boot-log layout; sanitising it into memblock comes with the memblock work.
 */
#include "firmware/e820.h"
#include "lib/printf.h"
#include "lib/seq_file.h"

const char *e820_type_name(u32 type, char *buf, size_t size)
{
	switch (type) {
	case E820_TYPE_RAM:
		return "usable";
	case E820_TYPE_RESERVED:
		return "reserved";
	case E820_TYPE_SOFT_RESERVED:
		return "soft reserved";
	case E820_TYPE_ACPI:
		return "ACPI data";
	case E820_TYPE_NVS:
		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:
		return "unusable";
	case E820_TYPE_PMEM:
	case E820_TYPE_PRAM:
		scnprintf(buf, size, "persistent (type %u)", type);
		return buf;
	default:
		scnprintf(buf, size, "type %u", type);
		return buf;
	}
}

void e820_print_table(struct seq_file *m, const char *who, const struct boot_e820_entry *e,
		      u32 nr)
{
	for (u32 i = 0; i < nr; i++) {
		char buf[32];
		u64 addr = e[i].addr, size = e[i].size;

		/* Linux prints the inclusive end; an empty entry has none, so show it as such. */
		seq_printf(m, "%s: [mem %#018llx-%#018llx] %s%s\n", who, addr,
			   size ? addr + size - 1 : addr, e820_type_name(e[i].type, buf, sizeof(buf)),
			   size ? "" : " (empty)");
	}
}
