/* SPDX-License-Identifier: MIT */
/*
 * ACPI, just enough of it to switch the machine off and to reset it.
 *
 * The firmware describes the platform in a chain of tables in memory.  pagelab reads
 * the fixed parts only and never runs an AML interpreter: the one AML object it needs,
 * \_S5_ (the sleep-type values for "soft off"), is picked out of the DSDT's bytecode by
 * a small pattern scanner.
 *
 *   boot_info.acpi_rsdp
 *        |
 *        v
 *   RSDP "RSD PTR " --rsdt_address (32-bit)--> RSDT: header + u32 table addresses
 *        |        \--xsdt_address (64-bit)--> XSDT: header + u64 table addresses
 *        |                                       |
 *        |                   "FACP" (the FADT) <-+--> "APIC" (the MADT: the CPUs)
 *        |                     |                     "HPET", ... (only logged)
 *        |                     |  PM1a/PM1b control ports, reset register, SMI_CMD
 *        |                     +--dsdt / x_dsdt--> DSDT: header + AML ... \_S5_ ...
 *        |                     +--firmware_ctrl--> FACS (logged)
 *
 * All layouts are little-endian and packed: fields sit at the byte offsets the ACPI
 * specification gives (asserted below), not where a C compiler would put them.
 */
#ifndef PAGELAB_FIRMWARE_ACPI_H
#define PAGELAB_FIRMWARE_ACPI_H

#include "types.h"

/* The Root System Description Pointer: where the chain starts. */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* bytes 0..19 sum to 0 */
	char oem_id[6];
	u8 revision;		/* 0: ACPI 1.0, only the first 20 bytes exist; 2: ACPI 2.0+ */
	u32 rsdt_address;
	/* ACPI 2.0 and later (revision >= 2) */
	u32 length;		/* of this structure, 36 */
	u64 xsdt_address;
	u8 extended_checksum;	/* bytes 0..length-1 sum to 0 */
	u8 reserved[3];
} __packed;

/* The header every other table (RSDT, XSDT, FADT, DSDT, ...) starts with. */
struct acpi_table_header {
	char signature[4];	/* "FACP", "DSDT", ... not NUL-terminated */
	u32 length;		/* of the whole table, header included */
	u8 revision;
	u8 checksum;		/* all length bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char asl_compiler_id[4];
	u32 asl_compiler_revision;
} __packed;

/* Generic Address Structure: a register in some address space. */
struct acpi_gas {
	u8 space_id;		/* ACPI_SPACE_* */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __packed;

#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO 1
#define ACPI_SPACE_PCI_CONFIG 2

/*
 * The Fixed ACPI Description Table, signature "FACP".  ACPI 1.0 tables end after
 * flags (116 bytes); each later revision appended fields.  acpi.c copies the table
 * into a zeroed struct, so fields a short table does not have read as 0 ("absent").
 */
struct acpi_fadt {
	struct acpi_table_header header;
	u32 firmware_ctrl;	/* FACS, 32-bit */
	u32 dsdt;		/* DSDT, 32-bit */
	u8 reserved0;
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;		/* port that switches legacy <-> ACPI mode; 0 = always ACPI */
	u8 acpi_enable;		/* ... the value to write there to enter ACPI mode */
	u8 acpi_disable;
	u8 s4bios_req;
	u8 pstate_cnt;
	u32 pm1a_evt_blk;
	u32 pm1b_evt_blk;
	u32 pm1a_cnt_blk;	/* PM1a control register: SLP_TYP and SLP_EN live here */
	u32 pm1b_cnt_blk;	/* optional second half of the same register */
	u32 pm2_cnt_blk;
	u32 pm_tmr_blk;
	u32 gpe0_blk;
	u32 gpe1_blk;
	u8 pm1_evt_len;
	u8 pm1_cnt_len;
	u8 pm2_cnt_len;
	u8 pm_tmr_len;
	u8 gpe0_blk_len;
	u8 gpe1_blk_len;
	u8 gpe1_base;
	u8 cst_cnt;
	u16 p_lvl2_lat;
	u16 p_lvl3_lat;
	u16 flush_size;
	u16 flush_stride;
	u8 duty_offset;
	u8 duty_width;
	u8 day_alrm;
	u8 mon_alrm;
	u8 century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;		/* ACPI_FADT_* */
	/* ACPI 2.0 and later */
	struct acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	/* ACPI 5.0 and later */
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	/* ACPI 6.0 and later */
	u64 hypervisor_vendor_id;
} __packed;

#define ACPI_FADT_V1_SIZE 116		/* an ACPI 1.0 FADT: everything up to flags */
#define ACPI_FADT_TMR_VAL_EXT (1u << 8)	/* the PM timer counts 32 bits, not 24 */
#define ACPI_FADT_RESET_REG_SUP (1u << 10)
#define ACPI_FADT_HW_REDUCED (1u << 20)	/* no PM1 blocks at all (ARM, some tablets) */

/* PM1 control register bits. */
#define ACPI_PM1_SCI_EN (1u << 0)	/* 1 = ACPI mode (set by firmware on SMI_CMD) */
#define ACPI_PM1_SLP_TYP_SHIFT 10	/* 3 bits: which sleep state SLP_EN enters */
#define ACPI_PM1_SLP_TYP_MASK (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN (1u << 13)	/* write 1: enter the state in SLP_TYP now */

_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");
_Static_assert(sizeof(struct acpi_table_header) == 36, "table header layout");
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS layout");
_Static_assert(offsetof(struct acpi_fadt, smi_cmd) == 48, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, pm1a_cnt_blk) == 64, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, reset_reg) == 116, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, reset_value) == 128, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, x_pm1a_cnt_blk) == 172, "FADT layout");
_Static_assert(offsetof(struct acpi_fadt, sleep_control_reg) == 244, "FADT layout");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT layout");

/*
 * The Multiple APIC Description Table, signature "APIC": the interrupt controllers, and
 * so the CPUs.  A header, then variable-length entries, each starting with type and
 * length.  pagelab reads three kinds:
 *   type 0  Processor Local APIC      8-bit APIC id
 *   type 5  Local APIC Address Override  a 64-bit address for every CPU's registers
 *   type 9  Processor Local x2APIC    32-bit APIC id (ids above 254, or x2APIC firmware)
 * A CPU entry's flags: ENABLED (usable now); if not, ONLINE_CAPABLE (ACPI 6.3, MADT
 * revision 5) says it may be added later; an entry with neither is not a CPU at all.
 * Before revision 5 every disabled entry counted as hot-pluggable.
 */
struct acpi_madt {
	struct acpi_table_header header;
	u32 lapic_address;	/* 32-bit local APIC address, unless type 5 overrides it */
	u32 flags;		/* bit 0: PC-AT compatible 8259s present */
} __packed;

struct acpi_subtable_header {
	u8 type;
	u8 length;		/* of the whole entry, these two bytes included */
} __packed;

struct acpi_madt_local_apic {
	struct acpi_subtable_header header;
	u8 processor_id;	/* ACPI processor UID */
	u8 id;			/* local APIC id; 0xff means none */
	u32 lapic_flags;
} __packed;

struct acpi_madt_local_apic_override {
	struct acpi_subtable_header header;
	u16 reserved;
	u64 address;
} __packed;

struct acpi_madt_local_x2apic {
	struct acpi_subtable_header header;
	u16 reserved;
	u32 local_apic_id;
	u32 lapic_flags;
	u32 uid;
} __packed;

#define ACPI_MADT_TYPE_LOCAL_APIC 0
#define ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE 5
#define ACPI_MADT_TYPE_LOCAL_X2APIC 9
#define ACPI_MADT_ENABLED (1u << 0)
#define ACPI_MADT_ONLINE_CAPABLE (1u << 1)
#define ACPI_MADT_PCAT_COMPAT (1u << 0)
#define ACPI_MADT_MAX_CPUS 64	/* entries remembered; more are counted and dropped */

_Static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "MADT LAPIC layout");
_Static_assert(sizeof(struct acpi_madt_local_apic_override) == 12, "MADT override layout");
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "MADT x2APIC layout");

/* What acpi_madt_parse() found: the CPUs in logical order, the boot CPU first. */
struct acpi_madt_info {
	phys_addr_t lapic_addr;		/* the override's address, else the header's */
	bool pcat_compat;
	unsigned int nr_cpus;		/* entries in cpu[]: the possible CPUs */
	unsigned int nr_present;	/* ... of which enabled now */
	unsigned int nr_hotplug;	/* ... of which only online-capable (disabled) */
	unsigned int nr_ignored;	/* disabled and not online-capable (rev >= 5), id 0xff */
	unsigned int nr_duplicates;	/* an APIC id seen before: ignored */
	unsigned int nr_rejected;	/* beyond @max_cpus: not possible */
	struct {
		u32 apic_id;
		u32 acpi_id;
		bool present;
	} cpu[ACPI_MADT_MAX_CPUS];
};

/*
 * acpi_madt_parse - read the MADT @madt (its header's length bytes, all readable) into
 * @info: CPU 0 is the entry with APIC id @boot_apic_id (added even if the table lacks
 * it), then the other enabled CPUs in table order, then the hot-pluggable ones; at most
 * @max_cpus (at most ACPI_MADT_MAX_CPUS).  Pure apart from pr_warn() lines for what it
 * drops.  Returns 0; -EINVAL (with *@info holding what came before, and a message) if the
 * table is shorter than its fixed part or an entry's length is below 2 or runs past the
 * end, or a CPU entry is shorter than its type's layout.  Never reads past the length.
 */
int acpi_madt_parse(const struct acpi_table_header *madt, u32 boot_apic_id,
		    unsigned int max_cpus, struct acpi_madt_info *info);

/* acpi_madt - the MADT acpi_init() found and checked, or NULL. */
const struct acpi_table_header *acpi_madt(void);

/* What acpi_init() learned that poweroff and reset need; all zero until it succeeds. */
struct acpi_pm_info {
	bool have_fadt;		/* acpi_init() found a valid FADT */
	phys_addr_t fadt, dsdt, facs;	/* physical addresses; 0 = not found */
	u16 pm1a_cnt;		/* I/O port of PM1a_CNT; 0 = none */
	u16 pm1b_cnt;		/* I/O port of PM1b_CNT; 0 = none (the usual case) */
	u16 smi_cmd;		/* 0 = the platform is always in ACPI mode */
	u8 acpi_enable;
	bool have_s5;		/* \_S5_ found in the DSDT */
	u8 slp_typa, slp_typb;	/* its first two values: SLP_TYP for PM1a and PM1b */
	u16 pm_tmr;		/* I/O port of the PM timer (3.579545 MHz); 0 = none */
	bool pm_tmr_32bit;	/* it counts 32 bits (TMR_VAL_EXT); else 24 */
	bool have_reset;	/* FADT says RESET_REG_SUP and the register is usable */
	struct acpi_gas reset_reg;
	u8 reset_value;
};

/*
 * acpi_set_phys_limit - tables must lie entirely below @end (physical).  The default
 * is 4 GiB, which the boot protocol guarantees is in the direct map; the kernel may
 * raise it to boot_info->direct_map_end before acpi_init().  A table (or a pointer to
 * one) beyond the limit is rejected instead of read, so garbage cannot fault.
 */
void acpi_set_phys_limit(phys_addr_t end);

/*
 * acpi_init - validate the RSDP at physical address @rsdp and walk the chain above:
 * log every table as Linux does ("ACPI: FACP 0x... 0000F4 (v03 BOCHS  BXPC ...)"),
 * then record the FADT's PM1 control ports and reset register and the DSDT's \_S5_.
 * Call once at boot, after printk works; may be called again (it starts from scratch).
 * Returns 0 on success (poweroff may still be unavailable, e.g. no \_S5_: logged),
 * -ENOENT if @rsdp is 0 or there is no valid FADT, -EINVAL if the RSDP or the
 * RSDT/XSDT is invalid.  Every failure is logged with its reason.
 */
int acpi_init(phys_addr_t rsdp);

/* acpi_pm_info - what acpi_init() recorded (all zero before, or after a failure). */
const struct acpi_pm_info *acpi_pm_info(void);

/*
 * acpi_find_s5 - find the \_S5_ package in the AML bytecode @aml (@len bytes, e.g. a
 * DSDT without its header) and return its first two integers, the SLP_TYPa/SLP_TYPb
 * values for soft-off, truncated to 8 bits.  A one-element package holds both, in its
 * low and next byte (the ACPI 1.0 form).  Accepts "\_S5_" and "_S5_"; never reads
 * outside aml[0..len-1].  Pure: no I/O, no logging.  Returns 0, or -ENOENT if no
 * well-formed \_S5_ package lies entirely inside the buffer.
 */
int acpi_find_s5(const u8 *aml, size_t len, u8 *slp_typa, u8 *slp_typb);

/*
 * acpi_poweroff - enter S5 (soft off): switch to ACPI mode if the firmware left the
 * machine in legacy mode, then write SLP_TYP | SLP_EN to PM1a_CNT (and PM1b_CNT).
 * Does not return on success.  Returns -ENOENT without touching the hardware if
 * acpi_init() found no PM1a control port or no \_S5_, or -EIO if the machine is still
 * running a moment after the write.
 */
int acpi_poweroff(void);

/*
 * acpi_reset - write the FADT's reset value to its reset register, if the FADT has
 * one (I/O or memory space).  On success the machine resets and this never returns;
 * otherwise it returns at once (the caller waits and tries something else).
 */
void acpi_reset(void);

#endif
