// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the MADT parser, acpi_madt_parse() (firmware/acpi.c).
 *
 * Input: byte 0 is the boot CPU's APIC id, byte 1 the CPU limit (% 70: 0 to 69, the
 * parser clamps it), the rest is the table itself, header included; its length field is
 * set to the bytes there are (a table always has as many bytes as it says: acpi_init()
 * checks that first).  The table is parsed from an exact-size heap copy, so a read past
 * its end is an AddressSanitizer report.  Checked:
 *
 *   - CPU 0 is the boot CPU, always present; there are 1 to min(limit, 64) CPUs
 *   - the present CPUs come before the hot-pluggable ones, and the counts add up
 *   - no APIC id appears twice
 */
#include "fuzz.h"
#include "firmware/acpi.h"
#include "lib/string.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct acpi_madt_info info;
	struct fuzz_input in = fuzz_input(data, size);
	u32 boot_id = (u32)fuzz_u8(&in);
	unsigned int limit = fuzz_u8(&in) % 70, max;
	size_t len = fuzz_left(&in);
	struct acpi_table_header *h;
	bool seen_hotplug = false;

	if (len < sizeof(*h))
		return 0; /* acpi_init() never passes a table shorter than its header */
	h = malloc(len);
	memcpy(h, data + in.pos, len);
	h->length = (u32)len;
	acpi_madt_parse(h, boot_id, limit, &info);
	free(h);

	max = limit < 1 ? 1 : limit > ACPI_MADT_MAX_CPUS ? ACPI_MADT_MAX_CPUS : limit;
	fuzz_check(info.nr_cpus >= 1 && info.nr_cpus <= max, "%u CPUs for a limit of %u",
		   info.nr_cpus, limit);
	fuzz_check(info.cpu[0].apic_id == boot_id && info.cpu[0].present,
		   "CPU 0 is APIC id %#x, not the boot CPU's %#x", info.cpu[0].apic_id, boot_id);
	fuzz_check(info.nr_present + info.nr_hotplug == info.nr_cpus, "%u present + %u hotplug != %u",
		   info.nr_present, info.nr_hotplug, info.nr_cpus);
	for (unsigned int i = 0; i < info.nr_cpus; i++) {
		fuzz_check(!(seen_hotplug && info.cpu[i].present), "present CPU %u after a hotplug one", i);
		seen_hotplug |= !info.cpu[i].present;
		for (unsigned int j = 0; j < i; j++)
			fuzz_check(info.cpu[i].apic_id != info.cpu[j].apic_id,
				   "CPUs %u and %u share APIC id %#x", j, i, info.cpu[i].apic_id);
	}
	return 0;
}
