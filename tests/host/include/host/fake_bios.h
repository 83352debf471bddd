/* SPDX-License-Identifier: MIT */
/*
 * A BIOS played by a host test, for e820_read_table() (legacy16/memory.c): a script of
 * the entries INT 15h E820h returns, the continuation values it hands out, and how it
 * bends the protocol.  Shared by tests/unit/test_legacy_e820.c and lab 1's host checks.
 *
 *   fake_bios_play(entries, n, 24);          a BIOS that keeps to the specification
 *   fake_bios.cf_at_end = true;              ... then bend it, field by field
 *   e820_read_table(fake_bios_call, out, 16);
 *   fake_bios.calls                          how often the loader asked
 *
 * Include it after <criterion/criterion.h> and legacy16/boot16.h, in one file per
 * test binary (its state is static).
 */
#ifndef HOST_FAKE_BIOS_H
#define HOST_FAKE_BIOS_H

static struct {
	const struct e820_raw *entries;
	int n;
	u32 len;          /* bytes written per entry: 20 (ACPI 2) or 24 (ACPI 3) */
	const u32 *lens;  /* if set, the bytes written for each entry, one by one */
	bool junk_past_len; /* leave 0 past a 20-byte entry, not what the caller preset */
	bool cf_at_end;   /* after the last entry: one more call answered with CF */
	int lose_smap_at; /* the call (0-based) where EAX comes back without 'SMAP' */
	u32 cont_base;    /* continuation values: 0, then cont_base + 0x18 * i */
	bool never_ends;  /* never says "last": keeps returning the final entry */
	int calls;
} fake_bios;

/* Real BIOSes hand out opaque continuation values (often offsets into their own table),
 * not 1, 2, 3: a loader that counts instead of passing EBX back is caught. */
static u32 fake_bios_cont(int i)
{
	return i == 0 ? 0 : fake_bios.cont_base + 0x18 * (u32)i;
}

static int fake_bios_index(u32 cont)
{
	for (int i = 0; i <= fake_bios.n; i++)
		if (fake_bios_cont(i) == cont)
			return i;
	cr_assert_fail("e820_read_table passed continuation %#x, which this BIOS never handed out",
		       cont);
	return -1;
}

/* The bios_e820_call() stand-in handed to e820_read_table(). */
static enum e820_call_result fake_bios_call(u32 *cont, struct e820_raw *buf, u32 *len)
{
	int i = fake_bios_index(*cont);

	fake_bios.calls++;
	cr_assert(fake_bios.calls < 100000, "e820_read_table keeps calling a BIOS that never ends");
	if (fake_bios.calls - 1 == fake_bios.lose_smap_at)
		return E820_CALL_FAILED;
	if (fake_bios.never_ends && i >= fake_bios.n)
		i = fake_bios.n - 1;
	if (i >= fake_bios.n)
		return E820_CALL_END; /* CF set on the call after the last entry */
	*buf = fake_bios.entries[i];
	*len = fake_bios.lens ? fake_bios.lens[i] : fake_bios.len;
	if (*len < 24) /* the fourth word is untouched: what bios_e820_call() presets */
		buf->ext_attr = fake_bios.junk_past_len ? 0 : E820_EXT_ENABLED;
	if (i + 1 == fake_bios.n && !fake_bios.cf_at_end && !fake_bios.never_ends) {
		*cont = 0;
		return E820_CALL_LAST;
	}
	*cont = fake_bios_cont(i + 1);
	return E820_CALL_OK;
}

/* A BIOS that returns @n entries of @len bytes each and keeps to the specification. */
static void fake_bios_play(const struct e820_raw *e, int n, u32 len)
{
	fake_bios.entries = e, fake_bios.n = n, fake_bios.len = len, fake_bios.lens = NULL;
	fake_bios.junk_past_len = false;
	fake_bios.cf_at_end = false, fake_bios.lose_smap_at = -1, fake_bios.cont_base = 1;
	fake_bios.never_ends = false, fake_bios.calls = 0;
}

#endif /* HOST_FAKE_BIOS_H */
