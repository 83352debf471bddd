// SPDX-License-Identifier: MIT
/*
 * Commands about what the firmware and the loader handed over, and the boot-time memory
 * built from it: bootinfo, memmap (the raw firmware map), e820 (the kernel's sanitised
 * table) and memblock.  The printing lives with the data (firmware/, mm/memblock.c);
 * the rows are in the table in shell/commands.c.
 */
#include "arch/memory.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "kernel/setup.h"
#include "lib/seq_file.h"
#include "mm/memblock.h"
#include "shell/boot_commands.h"
#include "shell/shell.h"

void memmap_show(struct seq_file *m)
{
	if (boot_info->firmware == BOOT_FIRMWARE_UEFI) {
		efi_print_memmap(m, &efi_memmap);
	} else {
		const struct boot_e820_entry *e = __va(boot_info->mmap_addr);
		u32 nr = boot_info->mmap_size / sizeof(*e);
		u64 usable = 0;

		for (u32 i = 0; i < nr; i++)
			if (e[i].type == E820_TYPE_RAM)
				usable += e[i].size;
		e820_entries_show(m, "BIOS-e820", e, nr);
		e820_summary_show(m, nr, usable);
	}
}

/* A table and its one-line summary, as `e820` and `e820 firmware` print it. */
static void print_e820_table(struct seq_file *m, const char *who, const struct e820_table *t)
{
	e820_table_show(m, who, t);
	e820_summary_show(m, t->nr_entries, e820_ram_total(t));
}

/* `e820`: the kernel's sanitised table. */
void e820_show(struct seq_file *m)
{
	print_e820_table(m, "e820", e820_table);
}

/* `e820 firmware`: the table as the firmware gave it, before the kernel's trims. */
static int e820_firmware(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	print_e820_table(m, "BIOS-e820", e820_table_firmware);
	return 0;
}

const struct shell_subcommand e820_subcommands[] = {
	{ "firmware", e820_firmware },
	{ NULL },
};

/* `memblock` alone is Linux's debugfs files (memblock_debugfs_show); these are the rest. */
static int memblock_memory(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	memblock_debug_show(m, &memblock.memory);
	return 0;
}

static int memblock_reserved(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	memblock_debug_show(m, &memblock.reserved);
	return 0;
}

/* The memblock=debug dump. */
static int memblock_dump_all_types(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	memblock_dump(m);
	return 0;
}

const struct shell_subcommand memblock_subcommands[] = {
	{ "memory", memblock_memory },
	{ "reserved", memblock_reserved },
	{ "dump", memblock_dump_all_types },
	{ NULL },
};

void bootinfo_show(struct seq_file *m)
{
	const struct boot_info *bi = boot_info;
	const struct boot_framebuffer *fb = &bi->fb;

	seq_printf(m, "boot_info v%u at %#llx, %u bytes\n", bi->version, __pa(bi), bi->size);
	seq_printf(m, "firmware:      %s, %s, revision %#x\n", boot_firmware_name(bi->firmware),
		   bi->fw_vendor[0] ? bi->fw_vendor : "(unknown vendor)", bi->fw_revision);
	seq_printf(m, "memory map:    %#llx, %u bytes, %u-byte descriptors, version %u\n",
		   bi->mmap_addr, bi->mmap_size, bi->mmap_desc_size, bi->mmap_desc_version);
	seq_printf(m, "kernel:        [mem %#018llx-%#018llx] at virtual %#llx\n",
		   bi->kernel_phys_start, bi->kernel_phys_end - 1, (u64)KERNEL_VIRT_BASE);
	seq_printf(m, "direct map:    0 - %#llx at virtual %#llx\n", bi->direct_map_end,
		   (u64)PAGE_OFFSET);
	seq_printf(m, "command line:  \"%s\"\n", boot_command_line);
	seq_printf(m, "ACPI RSDP:     %#llx\n", bi->acpi_rsdp);
	if (fb->type == BOOT_FB_RGB)
		seq_printf(m, "framebuffer:   %ux%u, %u bytes per line, at %#llx\n", fb->width,
			   fb->height, fb->pitch, fb->base);
	else
		seq_printf(m, "framebuffer:   %s\n", fb->type == BOOT_FB_VGA_TEXT ? "VGA text" : "none");
	for (u32 i = 0; i < bi->nr_loader_ranges; i++) {
		const struct boot_range *r = &bi->loader_ranges[i];

		seq_printf(m, "loader range:  [mem %#018llx-%#018llx] %s\n", r->start,
			   r->start + r->size - 1, boot_range_kind_name(r->kind));
	}
}
