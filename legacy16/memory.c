// SPDX-License-Identifier: MIT
/*
 * The memory map from the BIOS, and finding room in it.
 *
 * INT 15h AX=E820h returns the map one entry per call, a continuation value in EBX
 * linking the calls.  Real BIOSes bend the rules (how the list ends, 20- or 24-byte
 * entries, entries that are empty or marked disabled, a signature that goes missing,
 * clobbered registers), and the loader must come out of each bend with the entries the
 * BIOS meant: docs/labs/01-boot-and-real-mode.md lists the bends, and
 * tests/labs/01/host.c plays each one.
 *
 * Without E820 we fall back to E801h (RAM between 1 and 16 MiB, and above 16 MiB) and
 * then to AH=88h (RAM above 1 MiB, at most 64 MiB), and synthesise E820 entries.
 *
 * The table-building logic takes the BIOS call as a function pointer so the host tests
 * can play a badly behaved BIOS at it.
 */
#include "boot16.h"

#define LOW_MEMORY_END 0x9fc00 /* conventional memory below the EBDA, when E801 is all we have */

enum e820_call_result bios_e820_call(u32 *cont, struct e820_raw *buf, u32 *len)
{
	struct biosregs in, out;

	initregs(&in);
	in.eax = 0xe820;
	in.ebx = *cont;
	in.ecx = sizeof(*buf);
	in.edx = SMAP;
	in.edi = (u32)(uintptr_t)buf;
	buf->ext_attr = E820_EXT_ENABLED; /* a 20-byte BIOS never writes this word */
	intcall(0x15, &in, &out);

	if (out.eflags & X86_EFLAGS_CF)
		return *cont ? E820_CALL_END : E820_CALL_FAILED;
	if (out.eax != SMAP)
		return E820_CALL_FAILED;
	*len = out.ecx;
	*cont = out.ebx;
	return out.ebx ? E820_CALL_OK : E820_CALL_LAST;
}

/* Field by field: a struct copy here could compile to a 16-bit `movs` (see Makefile). */
static void set_entry(struct boot_e820_entry *e, u64 addr, u64 size, u32 type)
{
	e->addr = addr;
	e->size = size;
	e->type = type;
}

/*
 * Everything the kernel will ever believe about RAM on the legacy path comes from here,
 * so a BIOS that bends the rules must cost neither entries it meant nor the boot itself.
 */
int e820_read_table(e820_call_fn call, struct boot_e820_entry *out, int max)
{
	static bool disabled[BIOS_E820_MAX];
	struct e820_raw buf;
	u32 cont = 0, len = 0;
	int n = 0, nr_ext = 0, nr_disabled = 0, kept = 0;

	for (int calls = 0; calls < 4 * BIOS_E820_MAX; calls++) {
		enum e820_call_result r = call(&cont, &buf, &len);

		if (r == E820_CALL_END || r == E820_CALL_FAILED) {
			if (r == E820_CALL_FAILED && calls == 0)
				return -1;
			break;
		}
		if (len >= 20 && buf.size && n < max && n < BIOS_E820_MAX) {
			set_entry(&out[n], buf.addr, buf.size, buf.type);
			disabled[n] = len >= 24 && !(buf.ext_attr & E820_EXT_ENABLED);
			nr_ext += len >= 24;
			nr_disabled += disabled[n];
			n++;
		}
		if (r == E820_CALL_LAST)
			break;
	}
	for (int i = 0; i < n; i++) {
		if (disabled[i] && nr_disabled < nr_ext)
			continue;
		set_entry(&out[kept++], out[i].addr, out[i].size, out[i].type);
	}
	return kept;
}

static int add_entry(struct boot_e820_entry *out, int n, u64 addr, u64 size, u32 type)
{
	if (!size)
		return n;
	out[n].addr = addr;
	out[n].size = size;
	out[n].type = type;
	return n + 1;
}

int e801_to_e820(u32 low_kb, u32 kb_1m_16m, u32 blocks_16m, struct boot_e820_entry *out)
{
	int n = 0;

	n = add_entry(out, n, 0, (u64)low_kb << 10, E820_TYPE_RAM);
	n = add_entry(out, n, SZ_1M, (u64)kb_1m_16m << 10, E820_TYPE_RAM);
	n = add_entry(out, n, 16 * SZ_1M, (u64)blocks_16m << 16, E820_TYPE_RAM);
	return n;
}

/* INT 12h: KiB of conventional memory below the EBDA. */
static u32 low_memory_kb(void)
{
	struct biosregs in, out;

	initregs(&in);
	intcall(0x12, &in, &out);
	return (out.eax & 0xffff) ? (out.eax & 0xffff) : LOW_MEMORY_END >> 10;
}

static int try_e801(struct boot_e820_entry *out)
{
	struct biosregs in, out_regs;
	u32 kb, blocks;

	initregs(&in);
	in.eax = 0xe801;
	intcall(0x15, &in, &out_regs);
	if (out_regs.eflags & X86_EFLAGS_CF)
		return -1;
	/* Some BIOSes answer in AX/BX, others in CX/DX; prefer CX/DX when set. */
	kb = (out_regs.ecx & 0xffff) ? out_regs.ecx & 0xffff : out_regs.eax & 0xffff;
	blocks = (out_regs.edx & 0xffff) ? out_regs.edx & 0xffff : out_regs.ebx & 0xffff;
	return e801_to_e820(low_memory_kb(), kb, blocks, out);
}

static int try_88h(struct boot_e820_entry *out)
{
	struct biosregs in, out_regs;

	initregs(&in);
	in.eax = 0x8800;
	intcall(0x15, &in, &out_regs);
	if (out_regs.eflags & X86_EFLAGS_CF)
		return -1;
	return e801_to_e820(low_memory_kb(), out_regs.eax & 0xffff, 0, out);
}

u32 e801_alt_mem_k(u32 kb_1m_16m, u32 blocks_16m)
{
	if (kb_1m_16m > 15 * 1024)
		return 0; /* more than 15 MiB between 1 and 16 MiB cannot be true */
	/* A hole at 15 MiB cuts the RAM above 16 MiB off: only what is below it counts. */
	return kb_1m_16m == 15 * 1024 ? kb_1m_16m + (blocks_16m << 6) : kb_1m_16m;
}

void detect_memory_sizes(u32 *alt_mem_k, u32 *ext_mem_k)
{
	struct biosregs in, out;

	*alt_mem_k = *ext_mem_k = 0;
	initregs(&in);
	in.eax = 0xe801;
	intcall(0x15, &in, &out);
	if (!(out.eflags & X86_EFLAGS_CF)) {
		/* As Linux's boot code: CX/DX if either is set, else AX/BX. */
		bool cx_dx = (out.ecx & 0xffff) || (out.edx & 0xffff);
		u32 kb = (cx_dx ? out.ecx : out.eax) & 0xffff;
		u32 blocks = (cx_dx ? out.edx : out.ebx) & 0xffff;

		*alt_mem_k = e801_alt_mem_k(kb, blocks);
	}
	initregs(&in);
	in.eax = 0x8800;
	intcall(0x15, &in, &out);
	if (!(out.eflags & X86_EFLAGS_CF))
		*ext_mem_k = out.eax & 0xffff;
}

int detect_memory(struct boot_e820_entry *out, int max)
{
	int n = e820_read_table(bios_e820_call, out, max);

	if (n > 0) {
		bprintf("pagelab loader: E820 memory map, %u entries\n", n);
		return n;
	}
	if ((n = try_e801(out)) > 0) {
		puts("pagelab loader: no E820; memory map made up from INT 15h E801h\n");
		return n;
	}
	if ((n = try_88h(out)) > 0) {
		puts("pagelab loader: no E820 or E801; memory map made up from INT 15h AH=88h\n");
		return n;
	}
	die("the BIOS reports no memory map (E820, E801 and 88h all failed)");
}

static bool overlaps(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 < e2 && s2 < e1;
}

/* First aligned candidate >= @start that misses every non-RAM entry and taken range. */
static u64 next_candidate(const struct boot_e820_entry *e, int n, const u64 (*taken)[2],
			  int nr_taken, u64 start, u64 size, u64 align)
{
	bool moved = true;

	start = ALIGN_UP(start, align);
	while (moved) {
		moved = false;
		for (int i = 0; i < n; i++)
			if (e[i].type != E820_TYPE_RAM &&
			    overlaps(start, start + size, e[i].addr, e[i].addr + e[i].size))
				start = ALIGN_UP(e[i].addr + e[i].size, align), moved = true;
		for (int i = 0; i < nr_taken; i++)
			if (overlaps(start, start + size, taken[i][0], taken[i][1]))
				start = ALIGN_UP(taken[i][1], align), moved = true;
	}
	return start;
}

u64 e820_find_free(const struct boot_e820_entry *e, int n, const u64 (*taken)[2], int nr_taken,
		   u64 size, u64 align, u64 min)
{
	u64 best = 0;

	for (int i = 0; i < n; i++) {
		u64 end = e[i].addr + e[i].size;
		u64 start;

		if (e[i].type != E820_TYPE_RAM || end < e[i].addr)
			continue;
		start = next_candidate(e, n, taken, nr_taken, MAX(e[i].addr, min), size, align);
		if (start >= e[i].addr && start + size <= end && start + size > start &&
		    (!best || start < best))
			best = start;
	}
	return best;
}
