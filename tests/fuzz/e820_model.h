/* SPDX-License-Identifier: MIT */
/*
 * The E820 checks two harnesses share (fuzz_e820.c, fuzz_efi.c): what a sanitised table
 * must look like, and what it must mean, given the raw entries it was made from.
 */
#ifndef PAGELAB_TESTS_FUZZ_E820_MODEL_H
#define PAGELAB_TESTS_FUZZ_E820_MODEL_H

#include "firmware/e820.h"
#include "fuzz.h"

static bool e820_mergeable(u32 type)
{
	return type != E820_TYPE_PRAM && type != E820_TYPE_SOFT_RESERVED;
}

/*
 * e820_check_clean - @t is sorted, has no empty entry and no type 0, nothing wraps past
 * 2^64, nothing overlaps, and touching entries of one mergeable type are merged.
 */
static void e820_check_clean(const struct e820_table *t)
{
	fuzz_check(t->nr_entries <= E820_MAX_ENTRIES, "%u entries", t->nr_entries);
	for (u32 i = 0; i < t->nr_entries; i++) {
		const struct e820_entry *e = &t->entries[i];

		fuzz_check(e->size && e->type, "entry %u: size %#llx type %u", i, e->size, e->type);
		fuzz_check(e->addr + e->size > e->addr || e->addr + e->size == 0,
			   "entry %u wraps: [%#llx +%#llx]", i, e->addr, e->size);
		if (!i)
			continue;
		const struct e820_entry *p = &t->entries[i - 1];

		fuzz_check(p->addr + p->size != 0 && p->addr + p->size <= e->addr,
			   "entries %u and %u overlap or are out of order", i - 1, i);
		fuzz_check(!(p->addr + p->size == e->addr && p->type == e->type &&
			     e820_mergeable(e->type)),
			   "entries %u and %u touch with type %u, unmerged", i - 1, i, e->type);
	}
}

/* The largest type among @raw's entries covering @addr, 0 if none. */
static u32 e820_model_type(const struct e820_entry *raw, u32 n, u64 addr)
{
	u32 type = 0;

	for (u32 i = 0; i < n; i++)
		if (raw[i].size && addr >= raw[i].addr && addr - raw[i].addr < raw[i].size)
			type = MAX(type, raw[i].type);
	return type;
}

static u32 e820_result_type(const struct e820_table *t, u64 addr)
{
	for (u32 i = 0; i < t->nr_entries; i++)
		if (addr >= t->entries[i].addr && addr - t->entries[i].addr < t->entries[i].size)
			return t->entries[i].type;
	return 0;
}

/* Whether an entry of @raw starts or ends at @addr (an end at 2^64 is 0). */
static bool e820_is_point(const struct e820_entry *raw, u32 n, u64 addr)
{
	for (u32 i = 0; i < n; i++)
		if (raw[i].size && (raw[i].addr == addr || raw[i].addr + raw[i].size == addr))
			return true;
	return false;
}

/*
 * e820_check_meaning - the sanitised @t means what the @n raw entries meant: at every
 * address where a raw entry starts or ends, @t's type is the largest type of the raw
 * entries covering it (0: none), and @t's entries start and end only at such addresses.
 * Between two such addresses nothing can change, so this is the whole meaning.  And an
 * entry of a type that never merges (persistent, soft-reserved) contains no such address.
 */
static void e820_check_meaning(const struct e820_table *t, const struct e820_entry *raw, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		u64 p[2] = { raw[i].addr, raw[i].addr + raw[i].size };

		for (int k = 0; k < 2 && raw[i].size; k++) {
			u32 want = e820_model_type(raw, n, p[k]), got = e820_result_type(t, p[k]);

			if (k == 1 && !p[k])
				continue; /* an end at 2^64 is no address */
			fuzz_check(want == got, "at %#llx: type %u, expected %u", p[k], got, want);
		}
	}
	for (u32 i = 0; i < t->nr_entries; i++) {
		const struct e820_entry *e = &t->entries[i];

		fuzz_check(e820_is_point(raw, n, e->addr) && e820_is_point(raw, n, e->addr + e->size),
			   "entry %u [%#llx +%#llx] has an end no raw entry has", i, e->addr, e->size);
		if (e820_mergeable(e->type))
			continue;
		/* Persistent and soft-reserved memory is cut wherever any entry starts or ends. */
		for (u32 k = 0; k < n; k++) {
			u64 p[2] = { raw[k].addr, raw[k].addr + raw[k].size };

			for (int j = 0; j < 2 && raw[k].size; j++)
				fuzz_check(!(p[j] > e->addr && p[j] - e->addr < e->size),
					   "type %u entry %u [%#llx +%#llx] is not cut at %#llx", e->type, i,
					   e->addr, e->size, p[j]);
		}
	}
}

#endif
