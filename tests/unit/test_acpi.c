// SPDX-License-Identifier: MIT
/*
 * Host tests for firmware/acpi.c: the real file, linked against the shims in
 * tests/host/ (port I/O is recorded, physical memory is the host arena, printk is
 * captured).
 *
 * Each test builds a small firmware with correct checksums, then breaks one thing.
 * Every firmware structure is placed in "physical memory" below 2 GiB (so the RSDT's
 * 32-bit entries can point to it), handed out top down as the firmware would, and ends
 * exactly where an inaccessible guard page begins, so reading one byte past any table
 * crashes the test; the AML scanner works on exact-size heap copies, where
 * AddressSanitizer does the same job.  The limit that stands for the end of the direct
 * map is set per test (everything, by default).
 *
 * The usual chain, as QEMU builds it:
 *
 *   RSDP --> RSDT/XSDT --+--> "APIC" (only logged)
 *                        +--> "FACP" --+--> DSDT (AML with \_S5_)
 *                                      +--> FACS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "arch/io.h"
#include "arch/memory.h"
#include "host/printk_capture.h"
#include "firmware/acpi.h"

#define PA(p) __pa(p)

/* QEMU's ports: PIIX4 PM base 0x600 (pc), ICH9 PMBASE 0x600 (q35) + 4 = PM1a_CNT. */
#define PM1A_CNT 0x604
#define SMI_CMD 0xb2
#define ACPI_ENABLE_VAL 0xf1

/* ---- building firmware tables ---- */

#define FW_TOP 0x80000000ULL /* firmware blocks are handed out downwards from 2 GiB */

static phys_addr_t fw_next = FW_TOP;
static u8 *guard_pages[64];
static int nr_blocks;

/*
 * @n zeroed bytes of physical memory below 2 GiB, ending at a guard page; each block
 * lies below the one before.  The guard pages are made accessible again after the test.
 *
 *   fw_next                                    fw_next + size
 *   |  ...unused...  [ the n bytes returned ]| PROT_NONE page |
 */
static void *fw_alloc(size_t n)
{
	size_t size = ALIGN_UP(n, PAGE_SIZE) + PAGE_SIZE;
	u8 *map;

	cr_assert_lt(nr_blocks, (int)ARRAY_SIZE(guard_pages));
	fw_next -= size;
	map = __va(fw_next);
	guard_pages[nr_blocks++] = map + size - PAGE_SIZE;
	cr_assert_eq(mprotect(map + size - PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	return map + size - PAGE_SIZE - n;
}

static u8 sum_bytes(const void *p, size_t n)
{
	const u8 *b = p;
	u8 s = 0;

	while (n--)
		s += *b++;
	return s;
}

static void fill_header(void *t, const char *sig, u32 len, u8 rev)
{
	struct acpi_table_header *h = t;

	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "BOCHS ", 6);
	memcpy(h->oem_table_id, "BXPC    ", 8);
	h->oem_revision = 1;
	memcpy(h->asl_compiler_id, "BXPC", 4);
	h->asl_compiler_revision = 1;
}

/* Make the first @len bytes of @t sum to 0 through the header's checksum byte. */
static void fix_checksum(void *t, size_t len)
{
	struct acpi_table_header *h = t;

	h->checksum = 0;
	h->checksum = (u8)-sum_bytes(t, len);
}

static struct acpi_table_header *make_table(const char *sig, u8 rev, const void *body,
					    size_t body_len)
{
	struct acpi_table_header *h = fw_alloc(sizeof(*h) + body_len);

	fill_header(h, sig, sizeof(*h) + body_len, rev);
	if (body_len)
		memcpy(h + 1, body, body_len);
	fix_checksum(h, h->length);
	return h;
}

/* A root table of @n entries of @entry_size bytes (4: RSDT, 8: XSDT). */
static struct acpi_table_header *make_root(const char *sig, size_t entry_size,
					   const phys_addr_t *entries, size_t n)
{
	u8 body[16 * 8];
	size_t i;

	cr_assert_leq(n, 16);
	for (i = 0; i < n; i++)
		memcpy(body + i * entry_size, &entries[i], entry_size); /* little-endian */
	return make_table(sig, 1, body, n * entry_size);
}

/* The first @len bytes of @f as a FADT of revision @rev: 116 (v1), 244 (v3), 276 (v6). */
static struct acpi_table_header *make_fadt(const struct acpi_fadt *f, u32 len, u8 rev)
{
	struct acpi_table_header *h = fw_alloc(len);

	memcpy(h, f, len);
	fill_header(h, "FACP", len, rev);
	fix_checksum(h, len);
	return h;
}

static void *make_facs(void)
{
	u8 *facs = fw_alloc(64);

	memcpy(facs, "FACS", 4);
	facs[4] = 64;
	return facs;
}

/* ACPI 1.0: only the first 20 bytes exist, and the block is exactly that big. */
static struct acpi_rsdp *make_rsdp_v0(phys_addr_t rsdt)
{
	struct acpi_rsdp *r = fw_alloc(20);

	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "BOCHS ", 6);
	r->revision = 0;
	r->rsdt_address = (u32)rsdt;
	r->checksum = (u8)-sum_bytes(r, 20);
	return r;
}

static void rsdp_v2_checksums(struct acpi_rsdp *r)
{
	r->checksum = 0;
	r->extended_checksum = 0;
	r->checksum = (u8)-sum_bytes(r, 20);
	r->extended_checksum = (u8)-sum_bytes(r, sizeof(*r));
}

static struct acpi_rsdp *make_rsdp_v2(phys_addr_t rsdt, phys_addr_t xsdt)
{
	struct acpi_rsdp *r = fw_alloc(sizeof(*r));

	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "BOCHS ", 6);
	r->revision = 2;
	r->rsdt_address = (u32)rsdt;
	r->length = sizeof(*r);
	r->xsdt_address = xsdt;
	rsdp_v2_checksums(r);
	return r;
}

/* Scope(\) { Name(_S5, Package(4){Zero, Zero, Zero, Zero}) }, as QEMU writes it. */
static const u8 aml_s5_qemu[] = { 0x10, 0x0e, '\\', 0x08, '_', 'S', '5', '_',
				  0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };

/* Name(\_S5, Package(4){0x05, 0x05, 0, 0}), as many PC DSDTs write it. */
static const u8 aml_s5_pc[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04,
				0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };

static struct acpi_table_header *make_dsdt(const u8 *aml, size_t len)
{
	return make_table("DSDT", 1, aml, len);
}

static struct acpi_gas gas(u8 space, u64 addr, u8 bits)
{
	struct acpi_gas g = { .space_id = space, .bit_width = bits, .address = addr };

	return g;
}

static bool log_has(const char *s)
{
	return strstr(host_printk_buf, s) != NULL;
}

static void setup(void)
{
	nr_blocks = 0;
	host_io_reset();
	host_printk_reset();
	acpi_set_phys_limit(~0ULL);
}

static void teardown(void)
{
	while (nr_blocks--)
		mprotect(guard_pages[nr_blocks], PAGE_SIZE, PROT_READ | PROT_WRITE);
	nr_blocks = 0;
	fw_next = FW_TOP;
}

/* ---- acpi_init: the good paths ---- */

TestSuite(acpi_init, .init = setup, .fini = teardown);

/*
 *   RSDP v2 --> XSDT [APIC, FACP]
 *                              FACP v3 (244 bytes): PM1a_CNT_BLK 0x604, no X_PM1a,
 *                              RESET_REG_SUP, reset I/O 0xcf9 <- 0x06
 *                                --x_dsdt--> DSDT: Scope(\){Name(_S5, Package(4){0,0,0,0})}
 *                                --x_firmware_ctrl--> FACS
 */
Test(acpi_init, xsdt_fadt_v3_finds_pm1a_reset_and_s5)
{
	struct acpi_table_header *apic = make_table("APIC", 1, "\0\0\0\0\0\0\0\0", 8);
	struct acpi_table_header *dsdt = make_dsdt(aml_s5_qemu, sizeof(aml_s5_qemu));
	void *facs = make_facs();
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *fadt, *xsdt;
	struct acpi_rsdp *rsdp;
	const struct acpi_pm_info *pm = acpi_pm_info();
	char line[160];

	f.x_dsdt = PA(dsdt);
	f.x_firmware_ctrl = PA(facs);
	f.pm1a_cnt_blk = PM1A_CNT;
	f.flags = ACPI_FADT_RESET_REG_SUP;
	f.reset_reg = gas(ACPI_SPACE_IO, 0xcf9, 8);
	f.reset_value = 0x06;
	fadt = make_fadt(&f, 244, 3);
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(apic), PA(fadt) }, 2);
	rsdp = make_rsdp_v2(0, PA(xsdt));

	cr_assert_eq(acpi_init(PA(rsdp)), 0);
	cr_assert(pm->have_fadt);
	cr_assert_eq(pm->fadt, PA(fadt));
	cr_assert_eq(pm->dsdt, PA(dsdt));
	cr_assert_eq(pm->facs, PA(facs));
	cr_assert_eq(pm->pm1a_cnt, PM1A_CNT);
	cr_assert_eq(pm->pm1b_cnt, 0);
	cr_assert(pm->have_s5);
	cr_assert_eq(pm->slp_typa, 0);
	cr_assert_eq(pm->slp_typb, 0);
	cr_assert(pm->have_reset);
	cr_assert_eq(pm->reset_reg.space_id, ACPI_SPACE_IO);
	cr_assert_eq(pm->reset_reg.address, 0xcf9);
	cr_assert_eq(pm->reset_value, 0x06);

	/* Linux's exact boot-log lines. */
	snprintf(line, sizeof(line), "ACPI: RSDP 0x%016llX 000024 (v02 BOCHS )\n",
		 (unsigned long long)PA(rsdp));
	cr_assert(log_has(line), "missing \"%s\" in:\n%s", line, host_printk_buf);
	snprintf(line, sizeof(line),
		 "ACPI: FACP 0x%016llX 0000F4 (v03 BOCHS  BXPC     00000001 BXPC 00000001)\n",
		 (unsigned long long)PA(fadt));
	cr_assert(log_has(line), "missing \"%s\" in:\n%s", line, host_printk_buf);
	snprintf(line, sizeof(line),
		 "ACPI: XSDT 0x%016llX 000034 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\n",
		 (unsigned long long)PA(xsdt));
	cr_assert(log_has(line), "missing \"%s\" in:\n%s", line, host_printk_buf);
	snprintf(line, sizeof(line), "ACPI: FACS 0x%016llX 000040\n",
		 (unsigned long long)PA(facs));
	cr_assert(log_has(line), "missing \"%s\" in:\n%s", line, host_printk_buf);
	cr_assert(log_has("ACPI: DSDT 0x"));
	cr_assert(log_has("ACPI: APIC 0x"));
}

/*
 * Like QEMU -machine pc with SeaBIOS:
 *
 *   RSDP v0 (20 bytes) --> RSDT [FACP]
 *                                FACP v1 (116 bytes): PM1a_CNT_BLK 0x604
 *                                  --dsdt--> DSDT: Name(\_S5, Package(4){5, 5, 0, 0})
 */
Test(acpi_init, rsdp_v0_rsdt_fadt_v1)
{
	struct acpi_table_header *dsdt = make_dsdt(aml_s5_pc, sizeof(aml_s5_pc));
	struct acpi_table_header *fadt, *rsdt;
	struct acpi_rsdp *rsdp;
	struct acpi_fadt f = { 0 };
	const struct acpi_pm_info *pm = acpi_pm_info();
	char line[160];

	f.dsdt = (u32)PA(dsdt);
	f.pm1a_cnt_blk = PM1A_CNT;
	fadt = make_fadt(&f, ACPI_FADT_V1_SIZE, 1); /* the block ends at byte 116 */
	rsdt = make_root("RSDT", 4, (phys_addr_t[]){ PA(fadt) }, 1);
	rsdp = make_rsdp_v0(PA(rsdt));

	cr_assert_eq(acpi_init(PA(rsdp)), 0, "log:\n%s", host_printk_buf);
	cr_assert_eq(pm->pm1a_cnt, PM1A_CNT);
	cr_assert_eq(pm->dsdt, PA(dsdt));
	cr_assert(pm->have_s5);
	cr_assert_eq(pm->slp_typa, 5);
	cr_assert_eq(pm->slp_typb, 5);
	cr_assert(!pm->have_reset, "a v1 FADT has no reset register");
	snprintf(line, sizeof(line), "ACPI: RSDP 0x%016llX 000014 (v00 BOCHS )\n",
		 (unsigned long long)PA(rsdp));
	cr_assert(log_has(line), "missing \"%s\" in:\n%s", line, host_printk_buf);
	snprintf(line, sizeof(line),
		 "ACPI: RSDT 0x%016llX 000028 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\n",
		 (unsigned long long)PA(rsdt));
	cr_assert(log_has(line), "missing \"%s\" in:\n%s", line, host_printk_buf);
	snprintf(line, sizeof(line),
		 "ACPI: FACP 0x%016llX 000074 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\n",
		 (unsigned long long)PA(fadt));
	cr_assert(log_has(line), "missing \"%s\" in:\n%s", line, host_printk_buf);
}

/* A v1 FADT found through an XSDT, with no DSDT: reset-less, poweroff-less, but valid. */
Test(acpi_init, fadt_v1_without_dsdt)
{
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *xsdt;

	f.pm1a_cnt_blk = PM1A_CNT;
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(make_fadt(&f, ACPI_FADT_V1_SIZE, 1)) }, 1);

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), 0);
	cr_assert_eq(acpi_pm_info()->pm1a_cnt, PM1A_CNT);
	cr_assert(!acpi_pm_info()->have_reset);
	cr_assert(!acpi_pm_info()->have_s5);
	cr_assert(log_has("points to no DSDT"));
	cr_assert(log_has("poweroff unavailable"));
}

/* X_PM1a_CNT_BLK, when filled in and in I/O space, wins over PM1a_CNT_BLK. */
Test(acpi_init, x_pm1a_io_gas_preferred)
{
	struct acpi_table_header *dsdt = make_dsdt(aml_s5_pc, sizeof(aml_s5_pc));
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *xsdt;

	f.x_dsdt = PA(dsdt);
	f.pm1a_cnt_blk = PM1A_CNT;
	f.x_pm1a_cnt_blk = gas(ACPI_SPACE_IO, 0xb004, 16);
	f.pm1b_cnt_blk = 0x0700;
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(make_fadt(&f, 276, 6)) }, 1);

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), 0);
	cr_assert_eq(acpi_pm_info()->pm1a_cnt, 0xb004);
	cr_assert_eq(acpi_pm_info()->pm1b_cnt, 0x0700);
}

/* A memory-space X_PM1a cannot be reached with outw: fall back to the 32-bit port. */
Test(acpi_init, x_pm1a_memory_gas_falls_back_to_legacy)
{
	struct acpi_table_header *dsdt = make_dsdt(aml_s5_pc, sizeof(aml_s5_pc));
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *xsdt;

	f.x_dsdt = PA(dsdt);
	f.pm1a_cnt_blk = PM1A_CNT;
	f.x_pm1a_cnt_blk = gas(ACPI_SPACE_MEMORY, 0xfed00000, 16);
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(make_fadt(&f, 244, 3)) }, 1);

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), 0);
	cr_assert_eq(acpi_pm_info()->pm1a_cnt, PM1A_CNT);
}

/* A reset register without the RESET_REG_SUP flag is not to be used. */
Test(acpi_init, reset_reg_ignored_without_flag)
{
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *xsdt;

	f.x_dsdt = PA(make_dsdt(aml_s5_pc, sizeof(aml_s5_pc)));
	f.pm1a_cnt_blk = PM1A_CNT;
	f.reset_reg = gas(ACPI_SPACE_IO, 0xcf9, 8);
	f.reset_value = 6;
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(make_fadt(&f, 244, 3)) }, 1);

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), 0);
	cr_assert(!acpi_pm_info()->have_reset);
}

/*
 * The PM timer, which the TSC's refined calibration counts against: QEMU's pc has it at
 * 0xb008 (PIIX4), q35 at 0x608 (ICH9), both 24 bits wide, given in the 32-bit field.
 */
static const struct acpi_pm_info *init_with_fadt(const struct acpi_fadt *f, u32 len, u8 rev)
{
	phys_addr_t fadt = PA(make_fadt(f, len, rev));
	struct acpi_table_header *rsdt = make_root("RSDT", 4, &fadt, 1);

	cr_assert_eq(acpi_init(PA(make_rsdp_v0(PA(rsdt)))), 0, "log:\n%s", host_printk_buf);
	return acpi_pm_info();
}

Test(acpi_init, pm_timer_port_from_a_v1_fadt)
{
	struct acpi_fadt f = { .pm_tmr_blk = 0xb008, .pm_tmr_len = 4 };
	const struct acpi_pm_info *pm = init_with_fadt(&f, ACPI_FADT_V1_SIZE, 1);

	cr_assert_eq(pm->pm_tmr, 0xb008);
	cr_assert(!pm->pm_tmr_32bit);
}

Test(acpi_init, pm_timer_extended_field_wins_and_tmr_val_ext_says_32_bits)
{
	struct acpi_fadt f = { .pm_tmr_blk = 0xb008, .pm_tmr_len = 4, .flags = ACPI_FADT_TMR_VAL_EXT };

	f.x_pm_tmr_blk = gas(ACPI_SPACE_IO, 0x608, 32);
	cr_assert_eq(init_with_fadt(&f, 244, 3)->pm_tmr, 0x608);
	cr_assert(acpi_pm_info()->pm_tmr_32bit);
}

/* No timer: a length other than 4, a port that would run past 0xffff, hardware-reduced ACPI. */
Test(acpi_init, pm_timer_absent_or_unusable_is_0)
{
	struct acpi_fadt f = { .pm_tmr_blk = 0xb008, .pm_tmr_len = 0 };

	cr_assert_eq(init_with_fadt(&f, ACPI_FADT_V1_SIZE, 1)->pm_tmr, 0);
	f.pm_tmr_len = 4;
	f.pm_tmr_blk = 0xfffe;
	cr_assert_eq(init_with_fadt(&f, ACPI_FADT_V1_SIZE, 1)->pm_tmr, 0);
	f.pm_tmr_blk = 0xb008;
	f.flags = ACPI_FADT_HW_REDUCED;
	cr_assert_eq(init_with_fadt(&f, ACPI_FADT_V1_SIZE, 1)->pm_tmr, 0);
	f.flags = 0;
	f.x_pm_tmr_blk = gas(ACPI_SPACE_MEMORY, 0xfed00000, 32); /* memory space: the legacy port */
	cr_assert_eq(init_with_fadt(&f, 244, 3)->pm_tmr, 0xb008);
}

/* A broken XSDT next to a good RSDT: use the RSDT (some firmware ships exactly that). */
Test(acpi_init, bad_xsdt_falls_back_to_rsdt)
{
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *fadt, *rsdt, *xsdt;

	f.x_dsdt = PA(make_dsdt(aml_s5_pc, sizeof(aml_s5_pc)));
	f.pm1a_cnt_blk = PM1A_CNT;
	fadt = make_fadt(&f, 244, 3);
	rsdt = make_root("RSDT", 4, (phys_addr_t[]){ PA(fadt) }, 1);
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(fadt) }, 1);
	xsdt->checksum ^= 0x55;

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(PA(rsdt), PA(xsdt)))), 0);
	cr_assert(log_has("XSDT: bad checksum"));
	cr_assert(log_has("falling back to the RSDT"));
	cr_assert_eq(acpi_pm_info()->pm1a_cnt, PM1A_CNT);
}

/* ---- acpi_init: garbage is rejected, with the right errno, without reading past it ---- */

Test(acpi_init, no_rsdp_is_enoent)
{
	cr_assert_eq(acpi_init(0), -ENOENT);
	cr_assert(log_has("no RSDP"));
	cr_assert(!acpi_pm_info()->have_fadt);
}

Test(acpi_init, bad_rsdp_signature)
{
	struct acpi_rsdp *rsdp = make_rsdp_v0(0);

	memcpy(rsdp->signature, "RSD PTX ", 8);
	cr_assert_eq(acpi_init(PA(rsdp)), -EINVAL);
	cr_assert(log_has("signature"));
}

Test(acpi_init, bad_rsdp_checksum)
{
	struct acpi_rsdp *rsdp = make_rsdp_v0(0);

	rsdp->checksum++;
	cr_assert_eq(acpi_init(PA(rsdp)), -EINVAL);
	cr_assert(log_has("bad checksum"));
}

Test(acpi_init, bad_rsdp_extended_checksum)
{
	struct acpi_rsdp *rsdp = make_rsdp_v2(0, 0);

	/* Bytes 20..35 are covered only by the extended checksum. */
	rsdp->xsdt_address = 0x1000;
	cr_assert_eq(acpi_init(PA(rsdp)), -EINVAL);
	cr_assert(log_has("extended checksum"));
}

Test(acpi_init, rsdp_v2_with_absurd_length)
{
	struct acpi_rsdp *rsdp = make_rsdp_v2(0, 0);

	rsdp->length = 0x7fffffff; /* the block is 36 bytes: the checksum must not read on */
	rsdp_v2_checksums(rsdp);
	cr_assert_eq(acpi_init(PA(rsdp)), -EINVAL);
	cr_assert(log_has("bad length"));
}

/* The RSDP ends exactly at the limit with revision 0; 20 bytes are all that is read. */
Test(acpi_init, rsdp_straddling_the_limit)
{
	struct acpi_rsdp *rsdp = make_rsdp_v0(0);

	acpi_set_phys_limit(PA(rsdp) + 19);
	cr_assert_eq(acpi_init(PA(rsdp)), -EINVAL);
	cr_assert(log_has("not in mapped memory"));
}

/* An XSDT whose length is smaller than its own header. */
Test(acpi_init, xsdt_shorter_than_header)
{
	struct acpi_table_header *xsdt = make_root("XSDT", 8, NULL, 0);

	xsdt->length = 20;
	fix_checksum(xsdt, 20);
	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), -EINVAL);
	cr_assert(log_has("implausible length 20"));
}

/*
 * An XSDT claiming 64 KiB in a 44-byte block, with the mapped world ending right after
 * the block: rejected before the checksum loop could read past it.
 *
 *   |<- header 36 ->|<- 1 entry ->|  limit
 *   [XSDT len=65536 |   FADT      ]  |......  what the length claims ......|
 */
Test(acpi_init, truncated_xsdt_runs_past_limit)
{
	struct acpi_table_header *xsdt = make_root("XSDT", 8, (phys_addr_t[]){ 0 }, 1);
	struct acpi_rsdp *rsdp = make_rsdp_v2(0, PA(xsdt));

	xsdt->length = 65536;
	acpi_set_phys_limit(PA(xsdt) + 44);
	cr_assert_eq(acpi_init(PA(rsdp)), -EINVAL);
	cr_assert(log_has("runs past mapped memory"));
}

Test(acpi_init, xsdt_bad_checksum_and_no_rsdt)
{
	struct acpi_table_header *xsdt = make_root("XSDT", 8, NULL, 0);

	xsdt->checksum++;
	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), -EINVAL);
}

Test(acpi_init, xsdt_with_wrong_signature)
{
	struct acpi_table_header *xsdt = make_root("RSDT", 8, NULL, 0);

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), -EINVAL);
	cr_assert(log_has("not the XSDT"));
}

/*
 * Entries that point nowhere are skipped, and the FADT after them is still found:
 *
 *   XSDT [0, ~0 - 8 (would wrap), limit + 0x1000 (unmapped), bad-checksum FACP, FACP]
 */
Test(acpi_init, bad_entries_are_skipped)
{
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *bad, *good, *xsdt;
	struct acpi_rsdp *rsdp;
	phys_addr_t limit, unmapped;

	f.x_dsdt = PA(make_dsdt(aml_s5_pc, sizeof(aml_s5_pc)));
	f.pm1a_cnt_blk = 0x1004;
	bad = make_fadt(&f, 244, 3);
	bad->checksum ^= 1;
	f.pm1a_cnt_blk = PM1A_CNT;
	good = make_fadt(&f, 244, 3);
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ 0, ~0ULL - 8, 0, PA(bad), PA(good) }, 5);
	rsdp = make_rsdp_v2(0, PA(xsdt));

	/* The mapped world ends after the last table; entry 2 points just beyond it. */
	limit = MAX(MAX(PA(good), PA(bad)) + 244, f.x_dsdt + 64);
	limit = MAX(limit, PA(xsdt) + xsdt->length);
	limit = MAX(limit, PA(rsdp) + sizeof(*rsdp));
	unmapped = limit + 0x1000;
	memcpy((u8 *)(xsdt + 1) + 2 * 8, &unmapped, 8);
	fix_checksum(xsdt, xsdt->length);
	acpi_set_phys_limit(limit);

	cr_assert_eq(acpi_init(PA(rsdp)), 0, "log:\n%s", host_printk_buf);
	cr_assert_eq(acpi_pm_info()->fadt, PA(good));
	cr_assert_eq(acpi_pm_info()->pm1a_cnt, PM1A_CNT);
	cr_assert(log_has("FACP: bad checksum"));
	cr_assert(log_has("not in mapped memory"));
}

Test(acpi_init, fadt_too_short_is_enoent)
{
	struct acpi_table_header *fadt = make_table("FACP", 1, "\0\0\0\0\0\0\0\0", 8);
	struct acpi_table_header *xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(fadt) }, 1);

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), -ENOENT);
	cr_assert(log_has("shorter than any FADT"));
	cr_assert(!acpi_pm_info()->have_fadt);
}

/* The DSDT claims 32 MiB: ignored, ACPI still usable for reset, poweroff refuses. */
Test(acpi_init, dsdt_with_absurd_length)
{
	struct acpi_table_header *dsdt = make_dsdt(aml_s5_pc, sizeof(aml_s5_pc));
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *xsdt;

	dsdt->length = 32 << 20;
	f.x_dsdt = PA(dsdt);
	f.pm1a_cnt_blk = PM1A_CNT;
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(make_fadt(&f, 244, 3)) }, 1);

	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), 0);
	cr_assert(!acpi_pm_info()->have_s5);
	cr_assert(log_has("DSDT: implausible length"));
	cr_assert_eq(acpi_poweroff(), -ENOENT);
	cr_assert_eq(host_io.nr_writes, 0);
}

/* Unprintable OEM bytes are shown as '?', never sent to the console raw. */
Test(acpi_init, unprintable_oem_id_is_sanitized)
{
	struct acpi_table_header *xsdt = make_root("XSDT", 8, NULL, 0);

	memcpy(xsdt->oem_id, "\033[2J\x01Z", 6);
	fix_checksum(xsdt, xsdt->length);
	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), -ENOENT);
	cr_assert(log_has("(v01 ?[2J?Z BXPC"), "log:\n%s", host_printk_buf);
	cr_assert_null(strchr(host_printk_buf, '\033'));
}

/* ---- acpi_find_s5 ---- */

/* Run acpi_find_s5 on a heap copy of exactly @n bytes, so ASan sees any over-read. */
static int find_s5(const u8 *bytes, size_t n, u8 *a, u8 *b)
{
	u8 *copy = malloc(n ? n : 1);
	int ret;

	cr_assert_not_null(copy);
	memcpy(copy, bytes, n);
	*a = *b = 0xee;
	ret = acpi_find_s5(copy, n, a, b);
	free(copy);
	return ret;
}

TestSuite(acpi_find_s5);

Test(acpi_find_s5, qemu_scope_zero_ops)
{
	u8 a, b;

	cr_assert_eq(find_s5(aml_s5_qemu, sizeof(aml_s5_qemu), &a, &b), 0);
	cr_assert_eq(a, 0);
	cr_assert_eq(b, 0);
}

Test(acpi_find_s5, root_prefix_byte_prefix)
{
	u8 a, b;

	cr_assert_eq(find_s5(aml_s5_pc, sizeof(aml_s5_pc), &a, &b), 0);
	cr_assert_eq(a, 5);
	cr_assert_eq(b, 5);
}

Test(acpi_find_s5, no_root_prefix_one_op_and_word)
{
	/* Name(_S5_, Package(2){One, 0x0207 (WordPrefix)}): values truncated to 8 bits. */
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02,
				  0x01, 0x0b, 0x07, 0x02 };
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), 0);
	cr_assert_eq(a, 1);
	cr_assert_eq(b, 7);
}

Test(acpi_find_s5, dword_and_ones)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x02,
				  0x0c, 0x06, 0x00, 0x00, 0x00, 0xff };
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), 0);
	cr_assert_eq(a, 6);
	cr_assert_eq(b, 0xff);
}

/* A one-element package carries SLP_TYPa in its low byte and SLP_TYPb in the next. */
Test(acpi_find_s5, single_element_packs_both)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x07, 0x03 };
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), 0);
	cr_assert_eq(a, 7);
	cr_assert_eq(b, 3);
}

/* NumElements 4 but only one initializer before the package ends: the same rule. */
Test(acpi_find_s5, fewer_initializers_than_elements)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x04, 0x0a, 0x05, 0xa5 };
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), 0);
	cr_assert_eq(a, 5);
	cr_assert_eq(b, 0);
}

/*
 * A two-byte PkgLength: lead byte 0x4N (one more byte follows, N = low nibble), then
 * bits 4..11.  20 DWord elements make the package 2 + 1 + 100 = 103 = 0x67 bytes:
 *
 *   12  47 06  14  0C 01 00 00 00  0C 02 00 00 00  ...  0C 14 00 00 00
 */
Test(acpi_find_s5, two_byte_pkg_length)
{
	u8 aml[5 + 1 + 103], a, b;
	size_t i, pos = 0;

	memcpy(aml, "\x08_S5_", 5);
	pos = 5;
	aml[pos++] = 0x12;
	aml[pos++] = 0x47;
	aml[pos++] = 0x06;
	aml[pos++] = 20;
	for (i = 1; i <= 20; i++) {
		aml[pos++] = 0x0c;
		aml[pos++] = (u8)i;
		aml[pos++] = 0;
		aml[pos++] = 0;
		aml[pos++] = 0;
	}
	cr_assert_eq(pos, sizeof(aml));
	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), 0);
	cr_assert_eq(a, 1);
	cr_assert_eq(b, 2);

	/* One byte short: the package would end past the buffer. */
	cr_assert_eq(find_s5(aml, sizeof(aml) - 1, &a, &b), -ENOENT);
}

/* A non-minimal two-byte encoding of a small length is legal and must work too. */
Test(acpi_find_s5, two_byte_pkg_length_small_value)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x49, 0x00, 0x04,
				  0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00 };
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), 0);
	cr_assert_eq(a, 7);
	cr_assert_eq(b, 7);
}

/* "_S5_" that is not a Name() (a method call's name, here) is skipped for the real one. */
Test(acpi_find_s5, skips_non_declarations)
{
	static const u8 aml[] = {
		0x70, '_', 'S', '5', '_', 0x60,		/* Store(_S5_, Local0) */
		0x08, '_', 'S', '5', '_', 0x0a, 0x01,	/* Name(_S5_, 1): not a package */
		0x08, '\\', '_', 'S', '5', '_',		/* Name(\_S5_, Package(2){3, One}) */
		0x12, 0x05, 0x02, 0x0a, 0x03, 0x01,
	};
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), 0);
	cr_assert_eq(a, 3);
	cr_assert_eq(b, 1);
}

Test(acpi_find_s5, missing)
{
	static const u8 aml[] = { 0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04,
				  0x01, 0x01, 0x00, 0x00 };
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), -ENOENT);
	cr_assert_eq(find_s5(aml, 0, &a, &b), -ENOENT);
	cr_assert_eq(acpi_find_s5(NULL, 0, &a, &b), -ENOENT);
}

Test(acpi_find_s5, truncated_after_name)
{
	u8 a, b;

	cr_assert_eq(find_s5(aml_s5_pc, 6, &a, &b), -ENOENT);	/* ... '_' */
	cr_assert_eq(find_s5(aml_s5_pc, 7, &a, &b), -ENOENT);	/* ... PackageOp */
	cr_assert_eq(find_s5(aml_s5_pc, 8, &a, &b), -ENOENT);	/* ... PkgLength */
	cr_assert_eq(find_s5(aml_s5_pc, 10, &a, &b), -ENOENT);	/* ... BytePrefix */
	cr_assert_eq(find_s5(aml_s5_pc, sizeof(aml_s5_pc) - 1, &a, &b), -ENOENT);
}

/* Every prefix of a valid encoding, and a 4-byte PkgLength cut after each byte. */
Test(acpi_find_s5, every_prefix_is_safe)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0xc0, 0xff, 0xff, 0xff };
	size_t n;
	u8 a, b;

	for (n = 0; n < sizeof(aml_s5_qemu); n++)
		cr_assert_eq(find_s5(aml_s5_qemu, n, &a, &b), -ENOENT, "prefix %zu", n);
	for (n = 0; n <= sizeof(aml); n++)
		cr_assert_eq(find_s5(aml, n, &a, &b), -ENOENT, "prefix %zu", n);
}

/* An element that is not an integer constant (a NameString) makes the package unusable. */
Test(acpi_find_s5, non_integer_element)
{
	static const u8 aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x02,
				  'S', 'L', 'P', 'A', 0x00 };
	u8 a, b;

	cr_assert_eq(find_s5(aml, sizeof(aml), &a, &b), -ENOENT);
}

/* ---- acpi_poweroff and acpi_reset ---- */

/*
 * A platform with PM1a at 0x604, \_S5_ = {5, 5}, SMI_CMD 0xb2 / ACPI_ENABLE 0xf1 and
 * the reset register given: XSDT [FACP v3] --> DSDT.
 */
static void boot_platform(u32 pm1b, struct acpi_gas reset_reg, u8 reset_value)
{
	struct acpi_fadt f = { 0 };
	struct acpi_table_header *xsdt;

	f.x_dsdt = PA(make_dsdt(aml_s5_pc, sizeof(aml_s5_pc)));
	f.pm1a_cnt_blk = PM1A_CNT;
	f.pm1b_cnt_blk = pm1b;
	f.smi_cmd = SMI_CMD;
	f.acpi_enable = ACPI_ENABLE_VAL;
	f.flags = ACPI_FADT_RESET_REG_SUP;
	f.reset_reg = reset_reg;
	f.reset_value = reset_value;
	xsdt = make_root("XSDT", 8, (phys_addr_t[]){ PA(make_fadt(&f, 244, 3)) }, 1);
	cr_assert_eq(acpi_init(PA(make_rsdp_v2(0, PA(xsdt)))), 0);
	host_io_reset();
	host_printk_reset();
}

static void assert_write(unsigned long k, u16 port, u8 width, u32 value)
{
	const struct host_io_write *w = host_io_last(k);

	cr_assert_not_null(w, "write %lu missing", k);
	cr_assert_eq(w->port, port, "port 0x%x, expected 0x%x", w->port, port);
	cr_assert_eq(w->width, width);
	cr_assert_eq(w->value, value, "value 0x%x, expected 0x%x", w->value, value);
}

TestSuite(acpi_power, .init = setup, .fini = teardown);

/* Already in ACPI mode (SCI_EN set, as under OVMF): one write, SCI_EN kept. */
Test(acpi_power, poweroff_writes_slp_typ_and_slp_en)
{
	boot_platform(0, gas(ACPI_SPACE_IO, 0xcf9, 8), 6);
	host_io.port_value[PM1A_CNT] = ACPI_PM1_SCI_EN;

	/* On the host nothing switches off, so this must come back with -EIO. */
	cr_assert_eq(acpi_poweroff(), -EIO);
	cr_assert_eq(host_io.nr_writes, 1);
	assert_write(0, PM1A_CNT, 2, ACPI_PM1_SCI_EN | 5 << 10 | ACPI_PM1_SLP_EN);
	cr_assert(log_has("still running"));
}

/* Legacy mode (SCI_EN clear, as under SeaBIOS): ACPI_ENABLE goes to SMI_CMD first. */
Test(acpi_power, poweroff_enables_acpi_mode_first)
{
	boot_platform(0, gas(ACPI_SPACE_IO, 0xcf9, 8), 6);

	cr_assert_eq(acpi_poweroff(), -EIO);
	cr_assert_eq(host_io.nr_writes, 2);
	assert_write(1, SMI_CMD, 1, ACPI_ENABLE_VAL);
	assert_write(0, PM1A_CNT, 2, 5 << 10 | ACPI_PM1_SLP_EN);
}

/* Stale SLP_TYP bits in the register are replaced, not ORed into. */
Test(acpi_power, poweroff_replaces_old_slp_typ)
{
	boot_platform(0, gas(ACPI_SPACE_IO, 0xcf9, 8), 6);
	host_io.port_value[PM1A_CNT] = ACPI_PM1_SCI_EN | 2 << 10;

	cr_assert_eq(acpi_poweroff(), -EIO);
	assert_write(0, PM1A_CNT, 2, ACPI_PM1_SCI_EN | 5 << 10 | ACPI_PM1_SLP_EN);
}

Test(acpi_power, poweroff_writes_pm1b_too)
{
	boot_platform(0x0704, gas(ACPI_SPACE_IO, 0xcf9, 8), 6);
	host_io.port_value[PM1A_CNT] = ACPI_PM1_SCI_EN;

	cr_assert_eq(acpi_poweroff(), -EIO);
	cr_assert_eq(host_io.nr_writes, 2);
	assert_write(1, PM1A_CNT, 2, ACPI_PM1_SCI_EN | 5 << 10 | ACPI_PM1_SLP_EN);
	assert_write(0, 0x0704, 2, 5 << 10 | ACPI_PM1_SLP_EN);
}

Test(acpi_power, poweroff_without_acpi_touches_nothing)
{
	cr_assert_eq(acpi_init(0), -ENOENT);
	host_printk_reset();
	cr_assert_eq(acpi_poweroff(), -ENOENT);
	cr_assert_eq(host_io.nr_writes, 0);
	cr_assert(log_has("no PM1a control port"));
}

Test(acpi_power, reset_io_register)
{
	boot_platform(0, gas(ACPI_SPACE_IO, 0xcf9, 8), 6);

	acpi_reset();
	cr_assert_eq(host_io.nr_writes, 1);
	assert_write(0, 0xcf9, 1, 6);
}

/* A memory-space reset register is written through __va(): here, a byte of the arena. */
Test(acpi_power, reset_memory_register)
{
	u8 *reg = fw_alloc(1);

	boot_platform(0, gas(ACPI_SPACE_MEMORY, PA(reg), 8), 0x0e);
	acpi_reset();
	cr_assert_eq(*reg, 0x0e);
	cr_assert_eq(host_io.nr_writes, 0);
}

/* PCI config space is not supported: no reset register, and acpi_reset does nothing. */
Test(acpi_power, reset_pci_config_register_unsupported)
{
	boot_platform(0, gas(ACPI_SPACE_PCI_CONFIG, 0xcf9, 8), 6);

	cr_assert(!acpi_pm_info()->have_reset);
	acpi_reset();
	cr_assert_eq(host_io.nr_writes, 0);
}
