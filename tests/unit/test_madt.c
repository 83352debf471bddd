// SPDX-License-Identifier: MIT
/*
 * Host tests for acpi_madt_parse() (firmware/acpi.c): synthetic MADTs, each parsed from
 * a heap copy of exactly its declared length, so AddressSanitizer stops any read past it.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "firmware/acpi.h"
#include "host/printk_capture.h"
#include "lib/errno.h"

struct madt_builder {
	u8 buf[4096];
	size_t len;
};

static void mb_init(struct madt_builder *b, u8 revision)
{
	struct acpi_madt *m = (struct acpi_madt *)b->buf;

	memset(b, 0, sizeof(*b));
	memcpy(m->header.signature, "APIC", 4);
	m->header.revision = revision;
	m->lapic_address = 0xfee00000;
	m->flags = ACPI_MADT_PCAT_COMPAT;
	b->len = sizeof(*m);
	host_printk_reset();
}

/* Append @n bytes as they are: an entry of any type, or a broken one. */
static void mb_raw(struct madt_builder *b, const void *bytes, size_t n)
{
	cr_assert_leq(b->len + n, sizeof(b->buf));
	memcpy(b->buf + b->len, bytes, n);
	b->len += n;
}

static void mb_lapic(struct madt_builder *b, u8 uid, u8 id, u32 flags)
{
	struct acpi_madt_local_apic e = { { ACPI_MADT_TYPE_LOCAL_APIC, sizeof(e) }, uid, id, flags };

	mb_raw(b, &e, sizeof(e));
}

static void mb_x2apic(struct madt_builder *b, u32 uid, u32 id, u32 flags)
{
	struct acpi_madt_local_x2apic e = { { ACPI_MADT_TYPE_LOCAL_X2APIC, sizeof(e) }, 0, id, flags, uid };

	mb_raw(b, &e, sizeof(e));
}

/* A revision 1 table of @n enabled Local APIC entries, ACPI and APIC ids 0 .. @n - 1. */
static void mb_enabled_cpus(struct madt_builder *b, u8 n)
{
	mb_init(b, 1);
	for (u8 i = 0; i < n; i++)
		mb_lapic(b, i, i, ACPI_MADT_ENABLED);
}

/* Parse a heap copy of exactly b->len bytes (the header's length says the same). */
static int mb_parse(struct madt_builder *b, u32 boot_id, unsigned int max, struct acpi_madt_info *info)
{
	struct acpi_table_header *h;
	int err;

	((struct acpi_table_header *)b->buf)->length = (u32)b->len;
	h = malloc(b->len);
	cr_assert(h);
	memcpy(h, b->buf, b->len);
	err = acpi_madt_parse(h, boot_id, max, info);
	free(h);
	return err;
}

static struct acpi_madt_info info;

/* The parse found exactly these CPUs, in this order (logical CPU 0 first). */
#define assert_apic_ids(...)                                                  \
	check_apic_ids((const u32[]){ __VA_ARGS__ },                          \
		       sizeof((const u32[]){ __VA_ARGS__ }) / sizeof(u32))

static void check_apic_ids(const u32 *ids, unsigned int n)
{
	cr_assert_eq(info.nr_cpus, n, "%u CPUs, expected %u", info.nr_cpus, n);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(info.cpu[i].apic_id, ids[i], "CPU %u has APIC id %u, expected %u", i,
			     info.cpu[i].apic_id, ids[i]);
}

Test(madt, qemu_four_cpus_in_order)
{
	struct madt_builder b;

	mb_enabled_cpus(&b, 4);
	cr_assert_eq(mb_parse(&b, 0, 16, &info), 0);
	assert_apic_ids(0, 1, 2, 3);
	cr_assert_eq(info.nr_present, 4);
	cr_assert_eq(info.nr_hotplug, 0);
	cr_assert_eq(info.lapic_addr, 0xfee00000);
	cr_assert(info.pcat_compat);
}

Test(madt, boot_cpu_comes_first_whatever_its_place)
{
	struct madt_builder b;

	mb_init(&b, 1);
	mb_lapic(&b, 0, 4, ACPI_MADT_ENABLED);
	mb_lapic(&b, 1, 6, ACPI_MADT_ENABLED);
	mb_lapic(&b, 2, 2, ACPI_MADT_ENABLED);
	cr_assert_eq(mb_parse(&b, 2, 16, &info), 0);
	assert_apic_ids(2, 4, 6);
	cr_assert_eq(info.cpu[0].acpi_id, 2);
}

Test(madt, disabled_entries_before_acpi_6_3_are_hotplug_slots)
{
	struct madt_builder b;

	mb_init(&b, 3);
	mb_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	mb_lapic(&b, 1, 1, 0);
	mb_lapic(&b, 2, 2, ACPI_MADT_ENABLED);
	cr_assert_eq(mb_parse(&b, 0, 16, &info), 0);
	cr_assert_eq(info.nr_present, 2);
	cr_assert_eq(info.nr_hotplug, 1);
	/* the present ones are numbered first */
	cr_assert_eq(info.cpu[1].apic_id, 2);
	cr_assert(info.cpu[1].present);
	cr_assert_eq(info.cpu[2].apic_id, 1);
	cr_assert(!info.cpu[2].present);
}

Test(madt, online_capable_decides_from_revision_5)
{
	struct madt_builder b;

	mb_init(&b, 5);
	mb_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	mb_lapic(&b, 1, 1, ACPI_MADT_ONLINE_CAPABLE);
	mb_lapic(&b, 2, 2, 0); /* neither: not a CPU */
	mb_x2apic(&b, 3, 3, 0);
	cr_assert_eq(mb_parse(&b, 0, 16, &info), 0);
	cr_assert_eq(info.nr_cpus, 2);
	cr_assert_eq(info.nr_present, 1);
	cr_assert_eq(info.nr_hotplug, 1);
	cr_assert_eq(info.nr_ignored, 2);
}

Test(madt, x2apic_entries_and_invalid_ids)
{
	struct madt_builder b;

	mb_init(&b, 4);
	mb_x2apic(&b, 0, 0, ACPI_MADT_ENABLED);
	mb_x2apic(&b, 1, 300, ACPI_MADT_ENABLED);  /* an id no xAPIC entry can hold */
	mb_x2apic(&b, 2, 0xffffffffu, ACPI_MADT_ENABLED);
	mb_lapic(&b, 3, 0xff, ACPI_MADT_ENABLED);
	cr_assert_eq(mb_parse(&b, 0, 16, &info), 0);
	assert_apic_ids(0, 300);
	cr_assert_eq(info.cpu[1].acpi_id, 1);
	cr_assert_eq(info.nr_ignored, 2);
}

Test(madt, duplicate_ids_are_dropped_with_a_warning)
{
	struct madt_builder b;

	mb_init(&b, 1);
	mb_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	mb_lapic(&b, 1, 1, ACPI_MADT_ENABLED);
	mb_lapic(&b, 2, 1, ACPI_MADT_ENABLED);
	mb_x2apic(&b, 3, 0, ACPI_MADT_ENABLED);
	cr_assert_eq(mb_parse(&b, 0, 16, &info), 0);
	cr_assert_eq(info.nr_cpus, 2);
	cr_assert_eq(info.nr_duplicates, 2);
	cr_assert(strstr(host_printk_buf, "APIC id 0x1 listed twice"), "%s", host_printk_buf);
}

Test(madt, more_cpus_than_the_limit)
{
	struct madt_builder b;

	mb_enabled_cpus(&b, 20);
	cr_assert_eq(mb_parse(&b, 5, 16, &info), 0);
	cr_assert_eq(info.nr_cpus, 16);
	cr_assert_eq(info.nr_rejected, 4);
	cr_assert_eq(info.cpu[0].apic_id, 5); /* the boot CPU is never the one left out */
	cr_assert_eq(mb_parse(&b, 19, 2, &info), 0);
	assert_apic_ids(19, 0);
	cr_assert_eq(info.nr_rejected, 18);
}

Test(madt, address_override_wins)
{
	struct madt_builder b;
	struct acpi_madt_local_apic_override o = { { ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE, sizeof(o) }, 0,
						   0x123456789000ULL };
	u8 ioapic[12] = { 1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };

	mb_init(&b, 1);
	mb_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	mb_raw(&b, ioapic, sizeof(ioapic)); /* other types are skipped by their length */
	mb_raw(&b, &o, sizeof(o));
	cr_assert_eq(mb_parse(&b, 0, 16, &info), 0);
	cr_assert_eq(info.lapic_addr, 0x123456789000ULL);
}

Test(madt, boot_cpu_missing_from_the_table)
{
	struct madt_builder b;

	mb_init(&b, 1);
	mb_lapic(&b, 0, 1, ACPI_MADT_ENABLED);
	cr_assert_eq(mb_parse(&b, 0, 16, &info), 0);
	assert_apic_ids(0, 1);
	cr_assert(strstr(host_printk_buf, "no entry for the boot CPU"));
}

Test(madt, truncated_header_is_an_error)
{
	struct madt_builder b;

	mb_init(&b, 1);
	b.len = 40; /* shorter than header + lapic_address + flags */
	cr_assert_eq(mb_parse(&b, 0, 16, &info), -EINVAL);
	cr_assert_eq(info.nr_cpus, 1, "the boot CPU is always there");
	cr_assert_eq(info.nr_present, 1, "and counted (fuzz_madt found it was not)");
	cr_assert(strstr(host_printk_buf, "shorter than its fixed part"));
}

Test(madt, entry_running_past_the_end)
{
	struct madt_builder b;
	u8 half[4] = { ACPI_MADT_TYPE_LOCAL_APIC, 8, 1, 1 }; /* says 8, only 4 are there */

	mb_init(&b, 1);
	mb_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	mb_raw(&b, half, sizeof(half));
	cr_assert_eq(mb_parse(&b, 0, 16, &info), -EINVAL);
	cr_assert_eq(info.nr_cpus, 1);
	cr_assert(strstr(host_printk_buf, "bad length"), "%s", host_printk_buf);
}

Test(madt, zero_length_entry_cannot_loop)
{
	struct madt_builder b;
	u8 zero[2] = { 7, 0 };

	mb_init(&b, 1);
	mb_raw(&b, zero, sizeof(zero));
	mb_lapic(&b, 1, 1, ACPI_MADT_ENABLED);
	cr_assert_eq(mb_parse(&b, 0, 16, &info), -EINVAL);
}

Test(madt, cpu_entry_shorter_than_its_type)
{
	struct madt_builder b;
	u8 short_x2[8] = { ACPI_MADT_TYPE_LOCAL_X2APIC, 8, 0, 0, 5, 0, 0, 0 };
	u8 one_byte_left[1] = { ACPI_MADT_TYPE_LOCAL_APIC };

	mb_init(&b, 1);
	mb_raw(&b, short_x2, sizeof(short_x2));
	cr_assert_eq(mb_parse(&b, 0, 16, &info), -EINVAL);
	cr_assert(strstr(host_printk_buf, "x2APIC entry of 8 bytes"));

	mb_init(&b, 1);
	mb_lapic(&b, 0, 0, ACPI_MADT_ENABLED);
	mb_raw(&b, one_byte_left, sizeof(one_byte_left));
	cr_assert_eq(mb_parse(&b, 0, 16, &info), -EINVAL);
}
