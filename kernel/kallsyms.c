// SPDX-License-Identifier: MIT
/*
 * Symbol lookup in the kernel's generated symbol table (include/kernel/kallsyms.h).
 * A binary search over sorted start addresses; each entry also knows its size, so an
 * address in a gap between functions (padding) is reported as unknown.
 */
#include "kernel/kallsyms.h"
#include "lib/printf.h"

const char *kallsyms_lookup(u64 addr, u64 *size, u64 *offset)
{
	u64 lo = 0, hi = kallsyms_num;

	/* The last entry whose address is <= addr. */
	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (kallsyms_addresses[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	lo--;
	if (addr - kallsyms_addresses[lo] >= kallsyms_sizes[lo])
		return NULL;
	if (size)
		*size = kallsyms_sizes[lo];
	if (offset)
		*offset = addr - kallsyms_addresses[lo];
	return kallsyms_names + kallsyms_offsets[lo];
}

static int format_symbol(char *buf, size_t size, u64 addr, u64 lookup)
{
	u64 sym_size, offset;
	const char *name = kallsyms_lookup(lookup, &sym_size, &offset);

	if (!name)
		return scnprintf(buf, size, "0x%llx", addr);
	return scnprintf(buf, size, "%s+0x%llx/0x%llx", name, offset + (addr - lookup), sym_size);
}

int sprint_symbol(char *buf, size_t size, u64 addr)
{
	return format_symbol(buf, size, addr, addr);
}

int sprint_backtrace(char *buf, size_t size, u64 addr)
{
	return format_symbol(buf, size, addr, addr - 1);
}
