// SPDX-License-Identifier: MIT
/*
 * acpi.c - find the ACPI tables, log them, and use the FADT to power off and reset.
 *
 * start_kernel() calls acpi_init() once, with the RSDP address the loader found (the
 * BIOS loader scans the EBDA and 0xE0000-0xFFFFF, the UEFI loader asks the firmware's
 * configuration table);
 * the shell's `poweroff` and `reboot` later call acpi_poweroff() and acpi_reset()
 * through kernel/arch/x86_64/reboot.c.  The chain it walks is drawn in include/firmware/acpi.h.
 *
 * Firmware tables are input from outside the kernel and are treated like any other
 * untrusted input.  Before anything in a table is believed:
 *   - its whole extent must lie below the physical limit (acpi_set_phys_limit), which
 *     the direct map is known to cover, with no address arithmetic wrapping around;
 *   - its length must hold at least its header and at most ACPI_TABLE_MAX_LEN, so a
 *     corrupt length cannot make a checksum loop walk through gigabytes;
 *   - its checksum must be right, or it is ignored (Linux only warns; we are stricter
 *     because a misread PM1 port would send writes to some unrelated device).
 * A short FADT is copied into a zeroed full-size struct, so newer fields it does not
 * have read as 0, never as whatever follows it in memory.
 *
 * No AML interpreter: the \_S5_ values are found by acpi_find_s5(), a scanner for the
 * one byte pattern that a Name(_S5, Package(){...}) compiles to.  That is how small
 * kernels (and many boot loaders) power off; it works for QEMU and for most PCs.
 */
#define pr_fmt(fmt) "ACPI: " fmt

#include "arch/io.h"
#include "arch/memory.h"
#include "firmware/acpi.h"
#include "kernel/printk.h"
#include "lib/errno.h"
#include "lib/string.h"

#define ACPI_RSDP_V1_LEN 20		/* what the revision 0 checksum covers */
#define ACPI_RSDP_MAX_LEN 4096		/* revision 2 says 36; allow growth, not garbage */
#define ACPI_TABLE_MAX_LEN (16 * SZ_1M)	/* the biggest real DSDTs are a few hundred KiB */
#define ACPI_MAX_ROOT_ENTRIES 256	/* QEMU has ~8 tables, big servers ~40 */
#define ACPI_FACS_MIN_LEN 64

static phys_addr_t phys_limit = SZ_4G;
static struct acpi_pm_info pm;
static const struct acpi_table_header *madt;

const struct acpi_table_header *acpi_madt(void)
{
	return madt;
}

void acpi_set_phys_limit(phys_addr_t end)
{
	phys_limit = end;
}

const struct acpi_pm_info *acpi_pm_info(void)
{
	return &pm;
}

/* ---- reading firmware memory safely ---- */

/* Is [pa, pa + len) inside [0, phys_limit)?  Written so that nothing can overflow. */
static bool phys_range_ok(phys_addr_t pa, u64 len)
{
	return pa != 0 && pa < phys_limit && len <= phys_limit - pa;
}

/* ACPI checksums: all bytes of the structure, checksum byte included, sum to 0 mod 256. */
static u8 checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/*
 * Copy an n-byte ID field for printing: NUL-terminated, cut at the first NUL, and with
 * anything unprintable shown as '?', so a corrupt table cannot send escape sequences
 * to the console.
 */
static void id_string(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

/* "ACPI: RSDP 0x00000000000F52A0 000014 (v00 BOCHS )": revision 0 has no length field. */
static void print_rsdp(phys_addr_t pa, const struct acpi_rsdp *rsdp)
{
	char oem[7];

	id_string(oem, rsdp->oem_id, sizeof(rsdp->oem_id));
	pr_info("RSDP 0x%016llX %06X (v%.2d %-6.6s)\n", (unsigned long long)pa,
		rsdp->revision > 0 ? rsdp->length : ACPI_RSDP_V1_LEN, rsdp->revision, oem);
}

/* "ACPI: FACP 0x000000007FFE1234 0000F4 (v03 BOCHS  BXPC     00000001 BXPC 00000001)" */
static void print_table(phys_addr_t pa, const struct acpi_table_header *h)
{
	char sig[5], oem[7], oem_table[9], creator[5];

	id_string(sig, h->signature, sizeof(h->signature));
	id_string(oem, h->oem_id, sizeof(h->oem_id));
	id_string(oem_table, h->oem_table_id, sizeof(h->oem_table_id));
	id_string(creator, h->asl_compiler_id, sizeof(h->asl_compiler_id));
	pr_info("%-4.4s 0x%016llX %06X (v%.2d %-6.6s %-8.8s %08X %-4.4s %08X)\n", sig,
		(unsigned long long)pa, h->length, h->revision, oem, oem_table,
		h->oem_revision, creator, h->asl_compiler_revision);
}

/*
 * Map the table at @pa, log it, and check it: in range, a sane length, the expected
 * signature (@sig, or NULL for any) and a zero checksum.  Returns 0 and the table in
 * *out, or -EINVAL after logging what was wrong.
 */
static int map_table(phys_addr_t pa, const char *sig, const struct acpi_table_header **out)
{
	const struct acpi_table_header *h;
	char name[5];

	*out = NULL;
	if (!phys_range_ok(pa, sizeof(*h))) {
		pr_err("%s%stable address 0x%llx is not in mapped memory\n", sig ? sig : "",
		       sig ? ": " : "", (unsigned long long)pa);
		return -EINVAL;
	}
	h = __va(pa);
	print_table(pa, h);
	id_string(name, h->signature, sizeof(h->signature));
	if (sig && memcmp(h->signature, sig, 4) != 0) {
		pr_err("table at 0x%llx is %s, not the %s it should be\n", (unsigned long long)pa,
		       name, sig);
		return -EINVAL;
	}
	if (h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX_LEN) {
		pr_err("%s: implausible length %u, ignoring the table\n", name, h->length);
		return -EINVAL;
	}
	if (!phys_range_ok(pa, h->length)) {
		pr_err("%s: table runs past mapped memory, ignoring it\n", name);
		return -EINVAL;
	}
	if (checksum(h, h->length) != 0) {
		pr_err("%s: bad checksum (bytes sum to 0x%02x, not 0), ignoring the table\n", name,
		       checksum(h, h->length));
		return -EINVAL;
	}
	*out = h;
	return 0;
}

/* ---- RSDP and the root table ---- */

static int validate_rsdp(phys_addr_t pa, const struct acpi_rsdp **out)
{
	const struct acpi_rsdp *rsdp;

	if (!pa) {
		pr_err("no RSDP from the loader: ACPI disabled\n");
		return -ENOENT;
	}
	if (!phys_range_ok(pa, ACPI_RSDP_V1_LEN)) {
		pr_err("RSDP address 0x%llx is not in mapped memory\n", (unsigned long long)pa);
		return -EINVAL;
	}
	rsdp = __va(pa);
	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0) {
		pr_err("no \"RSD PTR \" signature at 0x%llx\n", (unsigned long long)pa);
		return -EINVAL;
	}
	if (checksum(rsdp, ACPI_RSDP_V1_LEN) != 0) {
		pr_err("RSDP at 0x%llx: bad checksum\n", (unsigned long long)pa);
		return -EINVAL;
	}
	if (rsdp->revision >= 2) {
		/* Only now is the length field known to exist. */
		if (!phys_range_ok(pa, sizeof(*rsdp)) || rsdp->length < sizeof(*rsdp) ||
		    rsdp->length > ACPI_RSDP_MAX_LEN || !phys_range_ok(pa, rsdp->length)) {
			pr_err("RSDP at 0x%llx: bad length %u\n", (unsigned long long)pa,
			       rsdp->length);
			return -EINVAL;
		}
		if (checksum(rsdp, rsdp->length) != 0) {
			pr_err("RSDP at 0x%llx: bad extended checksum\n", (unsigned long long)pa);
			return -EINVAL;
		}
	}
	print_rsdp(pa, rsdp);
	*out = rsdp;
	return 0;
}

/* The RSDT or the XSDT: a header followed by 4- or 8-byte physical addresses. */
struct root_table {
	const struct acpi_table_header *hdr;
	size_t entry_size;
	size_t count;
};

/* The entries are not naturally aligned (they start at offset 36), hence the memcpy. */
static phys_addr_t root_entry(const struct root_table *rt, size_t i)
{
	const u8 *p = (const u8 *)(rt->hdr + 1) + i * rt->entry_size;
	u32 a32;
	u64 a64;

	if (rt->entry_size == 4) {
		memcpy(&a32, p, 4);
		return a32;
	}
	memcpy(&a64, p, 8);
	return a64;
}

#define for_each_root_entry(rt, i, pa) \
	for ((i) = 0; (i) < (rt)->count && ((pa) = root_entry((rt), (i)), 1); (i)++)

static int map_root(phys_addr_t pa, const char *sig, size_t entry_size, struct root_table *rt)
{
	int err = map_table(pa, sig, &rt->hdr);

	if (err)
		return err;
	rt->entry_size = entry_size;
	rt->count = (rt->hdr->length - sizeof(*rt->hdr)) / entry_size;
	if (rt->count > ACPI_MAX_ROOT_ENTRIES) {
		pr_warn("%s has %zu entries; using the first %d\n", sig, rt->count,
			ACPI_MAX_ROOT_ENTRIES);
		rt->count = ACPI_MAX_ROOT_ENTRIES;
	}
	return 0;
}

/*
 * ACPI 2.0+ firmware provides both tables and says the XSDT wins.  Some firmware
 * ships a broken XSDT next to a good RSDT, so fall back rather than give up.
 */
static int find_root_table(const struct acpi_rsdp *rsdp, struct root_table *rt)
{
	if (rsdp->revision >= 2 && rsdp->xsdt_address) {
		if (map_root(rsdp->xsdt_address, "XSDT", 8, rt) == 0)
			return 0;
		if (!rsdp->rsdt_address)
			return -EINVAL;
		pr_warn("XSDT unusable, falling back to the RSDT\n");
	}
	return map_root(rsdp->rsdt_address, "RSDT", 4, rt);
}

/* ---- FADT, DSDT, FACS ---- */

/* The FACS has no checksum and no full header; Linux logs just address and length. */
static void print_facs(phys_addr_t pa)
{
	const struct acpi_table_header *h;

	if (!phys_range_ok(pa, ACPI_FACS_MIN_LEN))
		return;
	h = __va(pa);
	if (memcmp(h->signature, "FACS", 4) != 0)
		return;
	pr_info("FACS 0x%016llX %06X\n", (unsigned long long)pa, h->length);
	pm.facs = pa;
}

static void parse_dsdt(phys_addr_t pa)
{
	const struct acpi_table_header *dsdt;

	if (!pa) {
		pr_err("the FADT points to no DSDT\n");
		return;
	}
	if (map_table(pa, "DSDT", &dsdt))
		return;
	pm.dsdt = pa;
	if (acpi_find_s5((const u8 *)(dsdt + 1), dsdt->length - sizeof(*dsdt), &pm.slp_typa,
			 &pm.slp_typb) == 0)
		pm.have_s5 = true;
}

/* A 16-bit I/O register needs two ports below 0x10000. */
static u16 io_port(u64 addr)
{
	return addr && addr <= 0xfffe ? (u16)addr : 0;
}

/*
 * The extended (GAS) field, when it is filled in and is an I/O port, describes the
 * same register as the 32-bit one and wins; a GAS in memory space is something this
 * kernel's outw() cannot reach, so the 32-bit port is used instead, if there is one.
 */
static u16 pm1_port(const struct acpi_gas *x, u32 legacy)
{
	if (x->address && x->space_id == ACPI_SPACE_IO && io_port(x->address))
		return io_port(x->address);
	return io_port(legacy);
}

/*
 * The PM timer: a 32-bit register (4 ports) in I/O space.  The 32-bit field counts only
 * with a length of 4, as Linux checks; an extended field in memory space is not used.
 */
static u16 pm_timer_port(const struct acpi_fadt *f)
{
	const struct acpi_gas *x = &f->x_pm_tmr_blk;
	u64 port = 0;

	if (f->flags & ACPI_FADT_HW_REDUCED)
		return 0;
	if (x->address && x->space_id == ACPI_SPACE_IO)
		port = x->address;
	else if (f->pm_tmr_len == 4)
		port = f->pm_tmr_blk;
	return port && port <= 0xfffc ? (u16)port : 0;
}

static bool reset_reg_usable(const struct acpi_gas *r)
{
	switch (r->space_id) {
	case ACPI_SPACE_IO:
		return r->address && r->address <= 0xffff;
	case ACPI_SPACE_MEMORY:
		return phys_range_ok(r->address, 1);
	default:
		/* PCI config space would need a bus/device/function walk: not worth it here. */
		return false;
	}
}

static void parse_fadt(phys_addr_t pa, const struct acpi_table_header *h)
{
	struct acpi_fadt f;

	if (h->length < ACPI_FADT_V1_SIZE) {
		pr_err("FACP: %u bytes is shorter than any FADT revision, ignoring it\n",
		       h->length);
		return;
	}
	memset(&f, 0, sizeof(f));
	memcpy(&f, h, MIN((size_t)h->length, sizeof(f)));
	pm.have_fadt = true;
	pm.fadt = pa;
	pm.pm1a_cnt = pm1_port(&f.x_pm1a_cnt_blk, f.pm1a_cnt_blk);
	pm.pm1b_cnt = pm1_port(&f.x_pm1b_cnt_blk, f.pm1b_cnt_blk);
	pm.smi_cmd = io_port(f.smi_cmd);
	pm.acpi_enable = f.acpi_enable;
	pm.pm_tmr = pm_timer_port(&f);
	pm.pm_tmr_32bit = f.flags & ACPI_FADT_TMR_VAL_EXT;
	if ((f.flags & ACPI_FADT_RESET_REG_SUP) && reset_reg_usable(&f.reset_reg)) {
		pm.have_reset = true;
		pm.reset_reg = f.reset_reg;
		pm.reset_value = f.reset_value;
	}
	if (f.flags & ACPI_FADT_HW_REDUCED)
		pr_warn("hardware-reduced ACPI: no PM1 registers, poweroff unsupported\n");

	/* Linux logs the DSDT and FACS right after the FADT that points to them. */
	parse_dsdt(f.x_dsdt ? f.x_dsdt : f.dsdt);
	if (f.x_firmware_ctrl || f.firmware_ctrl)
		print_facs(f.x_firmware_ctrl ? f.x_firmware_ctrl : f.firmware_ctrl);
}

/* One line each for what poweroff and reboot will use, so a failure can be read off. */
static void print_summary(void)
{
	if (pm.pm1a_cnt && pm.have_s5)
		pr_info("poweroff: PM1a_CNT 0x%04x%s, \\_S5_ SLP_TYPa=%u SLP_TYPb=%u\n",
			pm.pm1a_cnt, pm.pm1b_cnt ? " + PM1b_CNT" : "", pm.slp_typa, pm.slp_typb);
	else if (!pm.pm1a_cnt)
		pr_warn("no PM1a control port in the FADT: poweroff unavailable\n");
	else
		pr_warn("no \\_S5_ in the DSDT: poweroff unavailable\n");

	if (pm.have_reset)
		pr_info("reset: register %s 0x%llx, value 0x%02x\n",
			pm.reset_reg.space_id == ACPI_SPACE_IO ? "I/O" : "mem",
			(unsigned long long)pm.reset_reg.address, pm.reset_value);
	else
		pr_info("reset: no usable FADT reset register\n");
}

int acpi_init(phys_addr_t rsdp_pa)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_table_header *h;
	struct root_table rt;
	phys_addr_t pa;
	size_t i;
	int err;

	memset(&pm, 0, sizeof(pm));
	madt = NULL;
	err = validate_rsdp(rsdp_pa, &rsdp);
	if (!err)
		err = find_root_table(rsdp, &rt);
	if (err)
		return err;

	for_each_root_entry(&rt, i, pa) {
		if (!pa || map_table(pa, NULL, &h))
			continue;
		if (!memcmp(h->signature, "APIC", 4) && !madt)
			madt = h;
		if (memcmp(h->signature, "FACP", 4) != 0)
			continue;
		if (pm.have_fadt)
			pr_warn("second FADT at 0x%llx ignored\n", (unsigned long long)pa);
		else
			parse_fadt(pa, h);
	}
	if (!pm.have_fadt) {
		pr_err("no valid FADT (FACP): poweroff and ACPI reset unavailable\n");
		return -ENOENT;
	}
	print_summary();
	return 0;
}

/* ---- MADT: the CPUs ---- */

/* Record one CPU entry; the boot CPU's goes to slot 0, reserved by the caller. */
static void madt_add_cpu(struct acpi_madt_info *info, u32 apic_id, u32 acpi_id, u32 flags,
			 bool online_capable_defined, u32 boot_apic_id, unsigned int max_cpus,
			 bool *seen_boot)
{
	bool present = flags & ACPI_MADT_ENABLED;
	unsigned int i, slot;

	if (!present && online_capable_defined && !(flags & ACPI_MADT_ONLINE_CAPABLE)) {
		info->nr_ignored++; /* ACPI 6.3: neither enabled nor online-capable: no CPU */
		return;
	}
	for (i = 0; i < info->nr_cpus; i++) {
		if (info->cpu[i].apic_id == apic_id && (i > 0 || *seen_boot)) {
			pr_warn("MADT: APIC id %#x listed twice, ignoring the second\n", apic_id);
			info->nr_duplicates++;
			return;
		}
	}
	if (apic_id == boot_apic_id && !*seen_boot) {
		*seen_boot = true;
		info->cpu[0].acpi_id = acpi_id;
		if (!present)
			pr_warn("MADT: the boot CPU (APIC id %#x) is marked disabled\n", apic_id);
		return;
	}
	if (info->nr_cpus >= max_cpus) {
		info->nr_rejected++;
		return;
	}
	slot = info->nr_cpus++;
	info->cpu[slot].apic_id = apic_id;
	info->cpu[slot].acpi_id = acpi_id;
	info->cpu[slot].present = present;
}

/* Hot-pluggable CPUs after the present ones, as CPU numbers are handed out in Linux. */
static void madt_sort_present_first(struct acpi_madt_info *info)
{
	unsigned int i, j;

	for (i = 1; i < info->nr_cpus; i++) {
		for (j = i; j > 1 && info->cpu[j].present && !info->cpu[j - 1].present; j--) {
			__typeof__(info->cpu[0]) t = info->cpu[j];

			info->cpu[j] = info->cpu[j - 1];
			info->cpu[j - 1] = t;
		}
	}
}

int acpi_madt_parse(const struct acpi_table_header *h, u32 boot_apic_id,
		    unsigned int max_cpus, struct acpi_madt_info *info)
{
	const struct acpi_madt *m = (const struct acpi_madt *)h;
	const u8 *p, *end;
	bool seen_boot = false, online_capable_defined;
	int err = 0;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	if (max_cpus > ACPI_MADT_MAX_CPUS)
		max_cpus = ACPI_MADT_MAX_CPUS;
	if (max_cpus < 1)
		max_cpus = 1;
	/* Slot 0 is the boot CPU's, whatever the table says. */
	info->nr_cpus = 1;
	info->nr_present = 1;
	info->cpu[0].apic_id = boot_apic_id;
	info->cpu[0].present = true;
	if (!h || h->length < sizeof(*m)) {
		pr_err("MADT: %u bytes is shorter than its fixed part\n", h ? h->length : 0);
		return -EINVAL;
	}
	info->lapic_addr = m->lapic_address;
	info->pcat_compat = m->flags & ACPI_MADT_PCAT_COMPAT;
	online_capable_defined = h->revision >= 5;
	p = (const u8 *)(m + 1);
	end = (const u8 *)h + h->length;
	while (p < end) {
		const struct acpi_subtable_header *sub = (const void *)p;
		size_t left = (size_t)(end - p);

		if (left < sizeof(*sub) || sub->length < sizeof(*sub) || sub->length > left) {
			pr_err("MADT: entry at offset %zu has a bad length (%u, %zu bytes left)\n",
			       (size_t)(p - (const u8 *)h), left < sizeof(*sub) ? 0 : sub->length, left);
			err = -EINVAL;
			break;
		}
		switch (sub->type) {
		case ACPI_MADT_TYPE_LOCAL_APIC: {
			const struct acpi_madt_local_apic *e = (const void *)p;

			if (sub->length < sizeof(*e)) {
				pr_err("MADT: local APIC entry of %u bytes\n", sub->length);
				err = -EINVAL;
				goto out;
			}
			if (e->id == 0xff) {
				info->nr_ignored++;
				break;
			}
			madt_add_cpu(info, e->id, e->processor_id, e->lapic_flags,
				     online_capable_defined, boot_apic_id, max_cpus, &seen_boot);
			break;
		}
		case ACPI_MADT_TYPE_LOCAL_X2APIC: {
			const struct acpi_madt_local_x2apic *e = (const void *)p;

			if (sub->length < sizeof(*e)) {
				pr_err("MADT: local x2APIC entry of %u bytes\n", sub->length);
				err = -EINVAL;
				goto out;
			}
			if (e->local_apic_id == 0xffffffffu) {
				info->nr_ignored++;
				break;
			}
			madt_add_cpu(info, e->local_apic_id, e->uid, e->lapic_flags,
				     online_capable_defined, boot_apic_id, max_cpus, &seen_boot);
			break;
		}
		case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE: {
			const struct acpi_madt_local_apic_override *e = (const void *)p;

			if (sub->length < sizeof(*e)) {
				pr_err("MADT: APIC address override of %u bytes\n", sub->length);
				err = -EINVAL;
				goto out;
			}
			info->lapic_addr = e->address;
			break;
		}
		default:
			break; /* I/O APICs, overrides, NMIs: not used by pagelab */
		}
		p += sub->length;
	}
out:
	if (!seen_boot)
		pr_warn("MADT: no entry for the boot CPU (APIC id %#x)\n", boot_apic_id);
	madt_sort_present_first(info);
	info->nr_present = 0;
	for (i = 0; i < info->nr_cpus; i++) {
		if (info->cpu[i].present)
			info->nr_present++;
		else
			info->nr_hotplug++;
	}
	return err;
}

/* ---- \_S5_ in AML ---- */

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR '\\'
#define AML_ONES_OP 0xff

/*
 * Decode a PkgLength at p[*pos]: the top two bits of the lead byte say how many bytes
 * follow (0-3).  With none, the low 6 bits are the length; otherwise the low 4 bits
 * are the least significant nibble and each following byte adds 8 more bits.
 * The length counts from the lead byte itself.  Returns false if it runs past end.
 */
static bool aml_pkg_length(const u8 *p, size_t *pos, size_t end, size_t *length)
{
	size_t extra, i;
	u8 lead;

	if (*pos >= end)
		return false;
	lead = p[*pos];
	extra = lead >> 6;
	if (end - *pos < 1 + extra)
		return false;
	if (!extra) {
		*length = lead & 0x3f;
	} else {
		*length = lead & 0x0f;
		for (i = 1; i <= extra; i++)
			*length |= (size_t)p[*pos + i] << (4 + 8 * (i - 1));
	}
	*pos += 1 + extra;
	return true;
}

/* Decode one integer constant of a package; false if it is anything else or truncated. */
static bool aml_integer(const u8 *p, size_t *pos, size_t end, u64 *val)
{
	size_t size, i;

	if (*pos >= end)
		return false;
	switch (p[*pos]) {
	case AML_ZERO_OP: *val = 0; *pos += 1; return true;
	case AML_ONE_OP: *val = 1; *pos += 1; return true;
	case AML_ONES_OP: *val = ~0ULL; *pos += 1; return true;
	case AML_BYTE_PREFIX: size = 1; break;
	case AML_WORD_PREFIX: size = 2; break;
	case AML_DWORD_PREFIX: size = 4; break;
	case AML_QWORD_PREFIX: size = 8; break;
	default: return false;
	}
	if (end - *pos < 1 + size)
		return false;
	*val = 0;
	for (i = 0; i < size; i++)
		*val |= (u64)p[*pos + 1 + i] << (8 * i);
	*pos += 1 + size;
	return true;
}

/*
 * Parse "PackageOp PkgLength NumElements element..." starting at aml[pos], where the
 * package must end inside the buffer.
 *
 *   12 06 04 00 00 00 00        Package(4){Zero, Zero, Zero, Zero}    (QEMU)
 *   12 08 04 0A 05 0A 05 00 00  Package(4){5, 5, 0, 0}                (many PCs)
 */
static int aml_s5_package(const u8 *aml, size_t pos, size_t len, u8 *a, u8 *b)
{
	size_t start, pkg_len, end;
	u64 val[2];
	unsigned int n, num;

	if (pos >= len || aml[pos] != AML_PACKAGE_OP)
		return -ENOENT;
	start = ++pos;
	if (!aml_pkg_length(aml, &pos, len, &pkg_len) || pkg_len > len - start)
		return -ENOENT;
	end = start + pkg_len;
	if (pos >= end)
		return -ENOENT;
	num = aml[pos++];
	/* A package may declare more elements than it initializes; stop at its end. */
	for (n = 0; n < 2 && n < num && pos < end; n++)
		if (!aml_integer(aml, &pos, end, &val[n]))
			return -ENOENT;
	if (n == 0)
		return -ENOENT;
	if (n == 1) {
		/* ACPI 1.0 packed both values into one integer. */
		*a = val[0] & 0xff;
		*b = (val[0] >> 8) & 0xff;
	} else {
		*a = val[0] & 0xff;
		*b = val[1] & 0xff;
	}
	return 0;
}

/* Is the "_S5_" at aml[i] the name of a Name() declaration, i.e. after NameOp [\]? */
static bool aml_is_name_decl(const u8 *aml, size_t i)
{
	if (i >= 1 && aml[i - 1] == AML_NAME_OP)
		return true;
	return i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP;
}

int acpi_find_s5(const u8 *aml, size_t len, u8 *slp_typa, u8 *slp_typb)
{
	size_t i;

	if (!aml)
		return -ENOENT;
	/* A "_S5_" that is not a Name() of a well-formed package (a reference, a string
	 * that happens to contain it) is skipped, and the search goes on. */
	for (i = 0; i + 4 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0 || !aml_is_name_decl(aml, i))
			continue;
		if (aml_s5_package(aml, i + 4, len, slp_typa, slp_typb) == 0)
			return 0;
	}
	return -ENOENT;
}

/* ---- poweroff and reset ---- */

/*
 * A busy-wait of roughly n microseconds that needs no calibrated clock: a read of
 * port 0x80 (the POST-code port, which nothing else uses) takes about a microsecond
 * on PCs and far longer under virtualization, so this errs on the long side.
 */
static void io_delay(unsigned long n)
{
	while (n--)
		(void)inb(0x80);
}

/*
 * Firmware may leave the chipset in legacy (SMM-owned) mode, where SLP_EN writes can
 * be ignored.  Writing ACPI_ENABLE to SMI_CMD asks the SMM handler to hand the
 * registers over; it sets SCI_EN when done.  SeaBIOS starts in legacy mode, OVMF
 * does not.
 */
static void acpi_enable_mode(void)
{
	int i;

	if (inw(pm.pm1a_cnt) & ACPI_PM1_SCI_EN)
		return;
	if (!pm.smi_cmd || !pm.acpi_enable)
		return;
	outb(pm.acpi_enable, pm.smi_cmd);
	for (i = 0; i < 300 && !(inw(pm.pm1a_cnt) & ACPI_PM1_SCI_EN); i++)
		io_delay(1000);
}

/* Keep the register's other bits (SCI_EN!), replace SLP_TYP, and set SLP_EN. */
static void pm1_sleep(u16 port, u8 slp_typ)
{
	u16 v = inw(port) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);

	v |= (slp_typ << ACPI_PM1_SLP_TYP_SHIFT) & ACPI_PM1_SLP_TYP_MASK;
	outw(v | ACPI_PM1_SLP_EN, port);
}

int acpi_poweroff(void)
{
	if (!pm.pm1a_cnt) {
		pr_err("poweroff: no PM1a control port (did acpi_init fail?)\n");
		return -ENOENT;
	}
	if (!pm.have_s5) {
		pr_err("poweroff: no \\_S5_ sleep type in the DSDT\n");
		return -ENOENT;
	}
	acpi_enable_mode();
	pm1_sleep(pm.pm1a_cnt, pm.slp_typa);
	if (pm.pm1b_cnt)
		pm1_sleep(pm.pm1b_cnt, pm.slp_typb);
	io_delay(100000);
	pr_err("poweroff: still running after SLP_EN was written\n");
	return -EIO;
}

void acpi_reset(void)
{
	if (!pm.have_reset)
		return;
	/* Checked by reset_reg_usable(): an I/O port or memory inside the direct map. */
	if (pm.reset_reg.space_id == ACPI_SPACE_IO)
		outb(pm.reset_value, (u16)pm.reset_reg.address);
	else
		*(volatile u8 *)__va(pm.reset_reg.address) = pm.reset_value;
}
