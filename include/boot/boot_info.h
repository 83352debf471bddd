/* SPDX-License-Identifier: MIT */
/*
 * The boot protocol: what a loader (efi/ or legacy16/) hands the kernel.
 *
 * Both loaders fill one struct boot_info and jump to the kernel's ELF entry point with
 * its *physical* address in %rdi.  At that moment (see docs/boot/protocol.md):
 *
 *   - the CPU is in 64-bit long mode, interrupts off, on a stack the kernel must leave;
 *   - paging is on, with page tables the loader built in memory it lists in loader_ranges:
 *
 *       virtual                              physical
 *       0 .. direct_map_end                  0 .. direct_map_end     (identity, for the jump)
 *       PAGE_OFFSET .. +direct_map_end       0 .. direct_map_end     (the direct map)
 *       KERNEL_VIRT_BASE .. +kernel size     kernel_phys_start ..    (the kernel image)
 *
 *     direct_map_end covers all RAM and at least the first 4 GiB (so ACPI tables, the
 *     framebuffer and the local APIC are reachable through __va() from the first line);
 *   - everything the loader allocated that the kernel still needs (this struct, the map,
 *     the command line, the page tables) is listed in loader_ranges, so the memory
 *     manager can reserve it before handing RAM to the allocators.
 *
 * The layout is versioned: magic, version and size are checked before anything else is
 * read, and the static asserts below pin every offset so both loaders (one of them built
 * with -m16) agree with the kernel.  Add fields only at the end and bump the version.
 */
#ifndef PAGELAB_BOOT_BOOT_INFO_H
#define PAGELAB_BOOT_BOOT_INFO_H

#include "types.h"

#define BOOT_INFO_MAGIC 0x4f464e49424c4750ULL /* "PGLBINFO" in memory */
#define BOOT_INFO_VERSION 2 /* 2: alt_mem_k and ext_mem_k */

/* Fixed virtual layout, as Linux x86-64 without KASLR. */
#define PAGE_OFFSET_BASE 0xffff888000000000ULL /* direct map of all physical memory */
#define KERNEL_VIRT_BASE 0xffffffff80000000ULL /* Linux's __START_KERNEL_map */

/* The kernel's physical base must be aligned so the loader can map it with 2 MiB pages. */
#define KERNEL_PHYS_ALIGN SZ_2M

#define BOOT_CMDLINE_MAX 2048 /* Linux's COMMAND_LINE_SIZE on x86 */
#define BOOT_MAX_LOADER_RANGES 8
#define BOOT_FW_VENDOR_MAX 32

enum boot_firmware {
	BOOT_FIRMWARE_UEFI = 1, /* memory map: EFI descriptors, mmap_desc_size from the firmware */
	BOOT_FIRMWARE_BIOS = 2, /* memory map: struct boot_e820_entry[], mmap_desc_size == 20 */
};

/* What a loader range holds, so the kernel can say why it reserves it. */
enum boot_range_kind {
	BOOT_RANGE_PAGE_TABLES = 1,
	BOOT_RANGE_BOOT_INFO = 2, /* this struct */
	BOOT_RANGE_MEMORY_MAP = 3,
	BOOT_RANGE_CMDLINE = 4,
	BOOT_RANGE_OTHER = 5,
};

struct boot_range {
	u64 start; /* physical, page aligned */
	u64 size;  /* bytes, a multiple of 4 KiB */
	u32 kind;  /* enum boot_range_kind */
	u32 reserved;
};

enum boot_fb_type {
	BOOT_FB_NONE = 0,
	BOOT_FB_RGB = 1,      /* linear framebuffer, 32 bits per pixel */
	BOOT_FB_VGA_TEXT = 2, /* 80x25 text mode at 0xb8000 (BIOS path) */
};

struct boot_framebuffer {
	u64 base; /* physical */
	u64 size; /* bytes */
	u32 type; /* enum boot_fb_type */
	u32 width, height;
	u32 pitch; /* bytes per scan line */
	u32 bpp;
	u8 red_shift, green_shift, blue_shift, reserved;
};

struct boot_info {
	/* Identification: checked before anything else. */
	u64 magic;   /* BOOT_INFO_MAGIC */
	u32 version; /* BOOT_INFO_VERSION */
	u32 size;    /* sizeof(struct boot_info) as the loader knew it */

	u32 firmware;                  /* enum boot_firmware */
	u32 fw_revision;               /* UEFI: system table revision (2.70 = 0x00020046) */
	char fw_vendor[BOOT_FW_VENDOR_MAX]; /* NUL-terminated ASCII, e.g. "EDK II" */

	/* The raw firmware memory map, exactly as the firmware returned it. */
	u64 mmap_addr;         /* physical */
	u32 mmap_size;         /* bytes of valid descriptors */
	u32 mmap_desc_size;    /* stride between descriptors */
	u32 mmap_desc_version; /* UEFI descriptor version (1); 0 for E820 */
	u32 reserved0;

	/* Where the kernel image lives. */
	u64 kernel_phys_start; /* physical address of KERNEL_VIRT_BASE (Linux: phys_base) */
	u64 kernel_phys_end;   /* exclusive, 2 MiB aligned: the whole loader mapping */
	u64 direct_map_end;    /* see the picture above */

	u64 cmdline_addr; /* physical address of a NUL-terminated string, or 0 */
	u32 cmdline_size; /* bytes including the NUL, <= BOOT_CMDLINE_MAX */
	u32 nr_loader_ranges;

	u64 acpi_rsdp;        /* physical address of the ACPI RSDP, or 0 */
	u64 efi_system_table; /* physical, UEFI only; 0 on the BIOS path */
	u64 loader_tsc;       /* TSC just before the jump, to see the handover's cost */

	struct boot_framebuffer fb;
	struct boot_range loader_ranges[BOOT_MAX_LOADER_RANGES];

	/*
	 * BIOS path: RAM above 1 MiB in KiB, as INT 15h E801h and AH=88h report it (0 where
	 * the call failed; 0 on UEFI).  Asked even when E820 answers, as Linux's boot code
	 * does: the kernel falls back on the larger if the E820 map is unusable.
	 */
	u32 alt_mem_k; /* E801h (Linux's boot_params.alt_mem_k) */
	u32 ext_mem_k; /* AH=88h, at most 64 MiB (Linux's screen_info.ext_mem_k) */
};

/* The layout both loaders and the kernel compile against. */
_Static_assert(sizeof(struct boot_framebuffer) == 40, "boot_framebuffer layout");
_Static_assert(sizeof(struct boot_range) == 24, "boot_range layout");
_Static_assert(offsetof(struct boot_info, firmware) == 16, "boot_info layout");
_Static_assert(offsetof(struct boot_info, fw_vendor) == 24, "boot_info layout");
_Static_assert(offsetof(struct boot_info, mmap_addr) == 56, "boot_info layout");
_Static_assert(offsetof(struct boot_info, kernel_phys_start) == 80, "boot_info layout");
_Static_assert(offsetof(struct boot_info, cmdline_addr) == 104, "boot_info layout");
_Static_assert(offsetof(struct boot_info, acpi_rsdp) == 120, "boot_info layout");
_Static_assert(offsetof(struct boot_info, fb) == 144, "boot_info layout");
_Static_assert(offsetof(struct boot_info, loader_ranges) == 184, "boot_info layout");
_Static_assert(offsetof(struct boot_info, alt_mem_k) == 376, "boot_info layout");
_Static_assert(sizeof(struct boot_info) == 384, "boot_info layout");

/*
 * boot_info_validate - check that @bi is a boot_info this kernel understands.
 * Checks identification first, then that every field is self-consistent (known firmware,
 * a memory map whose size is a whole number of descriptors of a plausible stride, an
 * aligned kernel range, a bounded command line and range list).  It reads only the struct
 * itself, never memory it points to.  Returns NULL when @bi is valid, or a static string
 * saying what is wrong, for the panic message.
 */
const char *boot_info_validate(const struct boot_info *bi);

/* Human-readable names for the enums above ("UEFI", "page tables", ...). */
const char *boot_firmware_name(u32 firmware);
const char *boot_range_kind_name(u32 kind);

#endif
