// SPDX-License-Identifier: MIT
/*
 * Stage 2 of the legacy BIOS path: from real mode to the kernel's entry point.
 *
 * stage2_main() below is the whole story, one step per line.  Memory it uses:
 *
 *   0x00500 - 0x07bff   our stack (grows down from the MBR at 0x7c00)
 *   0x08000 - 0x0ffff   stage 2 itself (code, data, .bss)
 *   0x10000 - 0x1ffff   the disk bounce buffer
 *   above 1 MiB         chosen from the E820 map: the kernel (2 MiB aligned), the
 *                       kernel file while it is parsed, and the loader data the kernel
 *                       keeps (boot_info + command line, the E820 table, page tables)
 */
#include "arch/cpu.h"
#include "boot/boot_info.h"
#include "boot/elf.h"
#include "boot/loader.h"
#include "boot/seal.h"
#include "lib/string.h"
#include "boot16.h"

#define KERNEL_FILE BOOT_DIR "/" BOOT_KERNEL_FILE
#define CMDLINE_FILE BOOT_DIR "/" BOOT_CMDLINE_FILE
#define MAX_TAKEN 8

static struct boot_e820_entry e820[BIOS_E820_MAX];
static int nr_e820;
static u64 taken[MAX_TAKEN][2]; /* physical ranges already handed out */
static int nr_taken;
static struct boot_info *bi;

/* Claim @size bytes of RAM, @align aligned, above 1 MiB, or die saying for what. */
static u64 claim(u64 size, u64 align, const char *what)
{
	u64 at = e820_find_free(e820, nr_e820, (const u64(*)[2])taken, nr_taken, size, align, SZ_1M);

	if (!at || at + size > SZ_4G || nr_taken == MAX_TAKEN)
		die("no room below 4 GiB for %s (%u KiB)", what, (u32)(size >> 10));
	taken[nr_taken][0] = at;
	taken[nr_taken][1] = at + size;
	nr_taken++;
	memset((void *)(uintptr_t)at, 0, size);
	return at;
}

/* Record memory the kernel must not reuse before it has read what is in it. */
static void add_loader_range(u64 start, u64 size, u32 kind)
{
	const char *why = boot_add_range(bi, start, size, kind);

	if (why)
		die("cannot record loader memory: %s", why);
}

static void mount_esp(struct fat_volume *v)
{
	u32 lba, sectors;

	if (disk_read(0, 1, disk_bounce()))
		die("cannot read the MBR");
	lba = mbr_find_esp(disk_bounce(), &sectors);
	if (!lba)
		die("no EFI system partition (type EF) in the partition table");
	if (fat_mount(v, lba))
		die("the EFI system partition at LBA %u is not FAT32", lba);
}

/* Read the kernel file, check it, copy its segments to a 2 MiB aligned base. */
static u64 load_kernel(const struct fat_volume *v)
{
	struct elf_kernel_image img;
	struct fat_file f;
	const char *why;
	u8 *file;
	u64 base, span, elf_size;

	if (fat_lookup(v, KERNEL_FILE, &f))
		die("kernel file " BOOT_KERNEL_PATH " not found on the EFI system partition");
	/* Before claiming room for it: an empty file is not "no room" (issue 18). */
	why = elf_check_kernel_size(f.size);
	if (why)
		die("the kernel file " BOOT_KERNEL_PATH " is not a valid kernel: %s", why);
	file = (u8 *)(uintptr_t)claim(f.size, BOOT_PAGE_SIZE, "the kernel file");
	if (fat_read(v, &f, file))
		die("cannot read " BOOT_KERNEL_PATH);
	why = boot_seal_check_file(file, f.size, &elf_size); /* damaged anywhere? */
	if (!why)
		why = elf_check_kernel(file, elf_size, &img);
	if (why)
		die("the kernel file " BOOT_KERNEL_PATH " is not a valid kernel: %s", why);

	span = ALIGN_UP(img.image_size, KERNEL_PHYS_ALIGN);
	base = claim(span, KERNEL_PHYS_ALIGN, "the kernel");
	elf_load_segments(file, &img, (void *)(uintptr_t)base);
	why = boot_seal_check_image(file, elf_size, &img, (void *)(uintptr_t)base);
	if (why) /* headers that pass the ELF check but lay the kernel out otherwise */
		die("the kernel file " BOOT_KERNEL_PATH " is not a valid kernel: %s", why);
	bi->kernel_phys_start = base;
	bi->kernel_phys_end = base + span;
	bprintf("pagelab loader: kernel %u KiB at physical 0x%llx, entry 0x%llx\n",
		(u32)(img.image_size >> 10), base, img.entry);
	return img.entry;
}

_Static_assert(BOOT_CMDLINE_MAX <= DISK_BOUNCE_SIZE / 2, "a command line must fit half the bounce buffer");

/* The command line goes to its slot in the boot_info page; no file: an empty one. */
static void load_cmdline(const struct fat_volume *v)
{
	/* fat_read() stages each cluster in the bounce buffer's first half: read into the second. */
	u8 *raw = (u8 *)disk_bounce() + DISK_BOUNCE_SIZE / 2;
	struct fat_file f;
	const char *why;

	if (fat_lookup(v, CMDLINE_FILE, &f))
		return;
	/* Too long a file is refused unread: it could overrun the bounce buffer. */
	why = boot_check_cmdline_size(f.size);
	if (why)
		die("cannot use " BOOT_CMDLINE_PATH ": %s", why);
	if (fat_read(v, &f, raw))
		die("cannot read " BOOT_CMDLINE_PATH);
	why = boot_set_cmdline(bi, raw, f.size);
	if (why)
		die("cannot use " BOOT_CMDLINE_PATH ": %s", why);
}

/* The ACPI RSDP: in the first KiB of the EBDA, or in E0000-FFFFF, on a 16-byte boundary. */
static bool rsdp_at(const u8 *p)
{
	u8 sum = 0;

	if (memcmp(p, "RSD PTR ", 8))
		return false;
	for (int i = 0; i < 20; i++)
		sum += p[i];
	return sum == 0;
}

static u64 find_rsdp(void)
{
	u32 ebda = (u32)*(volatile u16 *)0x40e << 4;

	for (u32 a = ebda; ebda && a < ebda + 1024; a += 16)
		if (rsdp_at(flat_ptr(a)))
			return a;
	for (u32 a = 0xe0000; a < 0x100000; a += 16)
		if (rsdp_at(flat_ptr(a)))
			return a;
	return 0;
}

static void record_console(void)
{
	struct boot_framebuffer *fb = &bi->fb;

	/* The BIOS left us in 80x25 colour text mode; VBE graphics can come later. */
	fb->type = BOOT_FB_VGA_TEXT;
	fb->base = 0xb8000;
	fb->size = 80 * 25 * 2;
	fb->width = 80;
	fb->height = 25;
	fb->pitch = 160;
	fb->bpp = 16;
}

/* The direct map's end, by the rule both loaders share (boot_range_holds_memory). */
static u64 direct_map_end(void)
{
	const char *why;
	u64 top = 0, end;

	for (int i = 0; i < nr_e820; i++)
		if (boot_range_holds_memory(BOOT_FIRMWARE_BIOS, e820[i].type))
			top = boot_mem_top(top, e820[i].addr, e820[i].size);
	why = boot_direct_map_end(top, &end);
	if (why)
		die("cannot build the direct map: %s", why);
	return end;
}

static void setup_boot_info(void)
{
	u64 page = claim(BOOT_PAGE_SIZE, BOOT_PAGE_SIZE, "boot_info");
	u64 map = claim(sizeof(e820), BOOT_PAGE_SIZE, "the memory map");

	bi = boot_info_init((void *)(uintptr_t)page, page, BOOT_FIRMWARE_BIOS); /* + command line */
	/* Copied now so the kernel sees the map exactly as the BIOS gave it to us. */
	memcpy((void *)(uintptr_t)map, e820, nr_e820 * sizeof(e820[0]));
	bi->mmap_addr = map;
	bi->mmap_size = nr_e820 * sizeof(e820[0]);
	bi->mmap_desc_size = sizeof(e820[0]);
	detect_memory_sizes(&bi->alt_mem_k, &bi->ext_mem_k); /* the kernel's fallback */
	add_loader_range(map, sizeof(e820), BOOT_RANGE_MEMORY_MAP);
}

static u32 build_page_tables(void)
{
	u64 end = direct_map_end();
	u32 pages = boot_page_table_pages(end);
	u64 tables = claim((u64)pages * BOOT_PAGE_SIZE, BOOT_PAGE_SIZE, "page tables");
	const char *why;
	u64 cr3;

	why = boot_setup_page_tables(bi, (void *)(uintptr_t)tables, tables, end, &cr3);
	if (why)
		die("cannot build the boot page tables: %s", why);
	return (u32)cr3;
}

__noreturn void stage2_main(u8 drive);
__noreturn void stage2_main(u8 drive)
{
	struct fat_volume esp;

	console_init();                               /* COM1, and the screen if it is one */
	bprintf("pagelab loader: BIOS boot from drive 0x%x\n", drive);
	enter_unreal();                               /* C pointers reach all 4 GiB */
	enable_a20();                                 /* or every odd MiB aliases */
	check_long_mode_cpu();                        /* CPUID says x86-64? */
	nr_e820 = detect_memory(e820, BIOS_E820_MAX); /* INT 15h E820 (E801, 88h) */
	disk_init(drive);                             /* INT 13h LBA reads available? */
	mount_esp(&esp);                              /* MBR -> type EF partition -> FAT32 */
	setup_boot_info();                            /* boot_info page and the E820 copy */
	lm_entry = load_kernel(&esp);                 /* the same KERNEL.ELF as UEFI loads */
	load_cmdline(&esp);                           /* into its slot in the boot_info page */
	bi->acpi_rsdp = find_rsdp();                  /* for poweroff and reset */
	record_console();                             /* VGA text mode */
	lm_cr3 = build_page_tables();                 /* identity + direct map + kernel */
	bprintf("pagelab loader: command line \"%s\"; starting the kernel\n",
		(char *)(uintptr_t)bi->cmdline_addr);
	lm_boot_info = (u64)(uintptr_t)bi;
	bi->loader_tsc = rdtsc();
	go_long_mode();                               /* and never come back */
}
