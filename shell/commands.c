/*
 * The shell's commands.  Each is a small function that prints through a seq_file; the
 * table at the bottom is what `help` lists, in the order a student meets them.  The
 * shell's own commands (help, clear, history, uptime ...) live in shell/builtins.c.
 *
 * Table entries give name, usage, description, maximum argument count and function by
 * position, and the optional rest by name (.examples, .min_args, .subcommands), so
 * gcc's -Wmissing-field-initializers, which would demand every field of a positional
 * initializer, is off for this file.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "arch/memory.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "kernel/printk.h"
#include "kernel/reboot.h"
#include "kernel/setup.h"
#include "lib/errno.h"
#include "lib/seq_file.h"
#include "lib/string.h"
#include "mm/memblock.h"
#include "shell/builtins.h"
#include "shell/shell.h"
#include "shell/highmem_commands.h"
#include "shell/mempool_commands.h"
#include "shell/mm_commands.h"
#include "shell/slab_commands.h"
#include "shell/buddy_commands.h"

static int cmd_memmap(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
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
	return 0;
}

/* `e820 [firmware]`: the kernel's sanitised table, or the firmware's before the trims. */
static int cmd_e820(struct seq_file *m, int argc, char **argv)
{
	const struct e820_table *t = e820_table;

	if (argc > 1 && strcmp(argv[1], "firmware")) {
		seq_printf(m, "e820: unknown table '%s' (expected firmware)\n", argv[1]);
		return 1;
	}
	if (argc > 1)
		t = e820_table_firmware;
	e820_table_show(m, argc > 1 ? "BIOS-e820" : "e820", t);
	e820_summary_show(m, t->nr_entries, e820_ram_total(t));
	return 0;
}

/* `memblock [memory|reserved|dump]`: Linux's debugfs files, or the memblock=debug dump. */
static int cmd_memblock(struct seq_file *m, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : NULL;

	if (!what)
		memblock_debugfs_show(m);
	else if (!strcmp(what, "memory"))
		memblock_debug_show(m, &memblock.memory);
	else if (!strcmp(what, "reserved"))
		memblock_debug_show(m, &memblock.reserved);
	else if (!strcmp(what, "dump"))
		memblock_dump(m);
	else {
		seq_printf(m, "memblock: unknown view '%s' (expected memory, reserved or dump)\n",
			   what);
		return 1;
	}
	return 0;
}

static int cmd_bootinfo(struct seq_file *m, int argc, char **argv)
{
	const struct boot_info *bi = boot_info;
	const struct boot_framebuffer *fb = &bi->fb;

	(void)argc, (void)argv;
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
	return 0;
}

static int cmd_version(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	seq_printf(m, "%s\n", pagelab_banner);
	return 0;
}

static int cmd_reboot(struct seq_file *m, int argc, char **argv)
{
	(void)argc, (void)argv;
	seq_puts(m, "reboot: Restarting system\n");
	machine_restart(); /* tries every reset method; halts if none works */
}

static int cmd_poweroff(struct seq_file *m, int argc, char **argv)
{
	int err;

	(void)argc, (void)argv;
	seq_puts(m, "reboot: Power down\n");
	err = machine_power_off();
	seq_printf(m, "poweroff: failed (error %d); the machine is still running\n", err);
	return 1;
}

static const char *const uptime_options[] = { "-p", NULL };
static const char *const history_options[] = { "-c", NULL };
static const char *const e820_tables[] = { "firmware", NULL };
static const char *const memblock_views[] = { "memory", "reserved", "dump", NULL };

const struct shell_command shell_commands[] = {
	{ "help", "[command]", "list commands, or show one command's usage and examples", 1,
	  cmd_help, .examples = "help\nhelp memmap", .complete_commands = true },
	{ "version", "", "print the kernel version (like /proc/version)", 0, cmd_version,
	  .examples = "version" },
	{ "cmdline", "", "print the kernel command line (like /proc/cmdline)", 0, cmd_cmdline,
	  .examples = "cmdline" },
	{ "uptime", "[-p]", "seconds since boot and seconds idle (like /proc/uptime)", 1,
	  cmd_uptime, .examples = "uptime\nuptime -p", .subcommands = uptime_options },
	{ "dmesg", "", "print the kernel log buffer, the whole boot included", 0, cmd_dmesg,
	  .examples = "dmesg" },
	{ "memmap", "", "print the firmware memory map as the loader received it", 0, cmd_memmap,
	  .examples = "memmap" },
	{ "e820", "[firmware]", "print the kernel's sanitised e820 table (or the firmware's)", 1,
	  cmd_e820, .examples = "e820\ne820 firmware", .subcommands = e820_tables },
	{ "memblock", "[memory|reserved|dump]",
	  "print memblock's regions as /sys/kernel/debug/memblock/* (or the memblock=debug dump)",
	  1, cmd_memblock, .examples = "memblock\nmemblock reserved\nmemblock dump",
	  .subcommands = memblock_views },
	{ "bootinfo", "", "print what the loader handed over (struct boot_info)", 0, cmd_bootinfo,
	  .examples = "bootinfo" },
	{ "history", "[count|-c]", "list the last commands (all kept, or count), or clear them", 1,
	  cmd_history, .examples = "history\nhistory 5\nhistory -c", .subcommands = history_options },
	{ "clear", "", "clear the screen (Ctrl-L clears it while typing)", 0, cmd_clear,
	  .examples = "clear" },
	{ "echo", "[word ...]", "print the words, separated by one space", SHELL_MAX_ARGS - 1,
	  cmd_echo, .examples = "echo hello world" },
	{ "crash", "[pf|ud|gp|irq]",
	  "deliberately fault, to see an oops (page fault by default; irq: in an interrupt, panics)",
	  1, cmd_crash, .examples = "crash\ncrash ud", .subcommands = crash_kinds },
	{ "highmem", "[demo|touch]", "the 32-bit layout's HighMem and kmap (boot with zones=x86_32)",
	  1, cmd_highmem, .examples = "highmem\nhighmem demo\nhighmem touch",
	  .subcommands = highmem_subcommands },
	{ "mempool", "[demo]", "mempools and their reserves; demo: the reserve under memory pressure",
	  1, cmd_mempool, .examples = "mempool\nmempool demo", .subcommands = mempool_subcommands },
	{ "zoneinfo", "", "zones: spans, present and managed pages (like /proc/zoneinfo)", 0,
	  cmd_zoneinfo, .examples = "zoneinfo" },
	{ "buddyinfo", "", "free blocks per order in each zone (like /proc/buddyinfo)", 0,
	  cmd_buddyinfo, .examples = "buddyinfo" },
	{ "slabinfo", "", "object caches: objects, sizes, slabs (like /proc/slabinfo 2.1)", 0,
	  cmd_slabinfo, .examples = "slabinfo" },
	{ "slabtop", "[lines]", "the largest object caches, as slabtop's first screen", 1,
	  cmd_slabtop, .examples = "slabtop\nslabtop 5" },
	{ "kmalloc", "[size] [zero] [dma]", "allocate size bytes with kmalloc (no size: list held)", 3,
	  cmd_kmalloc, .examples = "kmalloc 100\nkmalloc 20000\nkmalloc 64 zero dma\nkmalloc" },
	{ "kfree", "<addr>", "free an object the shell's kmalloc handed out", 1, cmd_kfree,
	  .min_args = 1, .examples = "kfree 0xffff888001234560" },
	{ "cache", "<create|alloc|free|destroy|shrink|info|validate> <name> ...",
	  "make and use a private kmem_cache (create <name> <size> [align])", 4, cmd_cache,
	  .min_args = 1, .subcommands = cache_subcommands,
	  .examples = "cache create foo 100 16\ncache info foo\ncache alloc foo 3\n"
		      "cache validate foo\ncache destroy foo" },
	{ "slubtest", "<redzone|kmalloc-redzone|use-after-free|double-free|freelist|destroy-live|hardened>",
	  "break a debugging cache on purpose and see SLUB's report", 1, cmd_slubtest,
	  .min_args = 1, .subcommands = slubtest_kinds,
	  .examples = "slubtest redzone\nslubtest use-after-free\nslubtest double-free" },
	{ "meminfo", "", "memory totals: MemTotal, MemFree, MemAvailable (like /proc/meminfo)", 0,
	  cmd_meminfo, .examples = "meminfo" },
	{ "pagetypeinfo", "", "free blocks per order and migrate type (like /proc/pagetypeinfo)", 0,
	  cmd_pagetypeinfo, .examples = "pagetypeinfo" },
	{ "vmstat", "", "page allocator counters (like /proc/vmstat)", 0, cmd_vmstat,
	  .examples = "vmstat" },
	{ "extfrag", "", "fragmentation index per order (like debugfs extfrag/extfrag_index)", 0,
	  cmd_extfrag, .examples = "extfrag" },
	{ "alloc", "<order> [gfp flags]",
	  "allocate 2^order pages (flags: kernel atomic dma dma32 movable zero ...), keep a handle",
	  9, cmd_alloc, .min_args = 1,
	  .examples = "alloc 0\nalloc 3 dma\nalloc 0 atomic|zero\nalloc 9 highuser_movable\nalloc 11" },
	{ "free", "<handle|0xpfn> [order]", "free a block the shell holds (or a frame, to see the checks)",
	  2, cmd_free, .min_args = 1, .examples = "free 1\nfree 0x12340\nfree 0x1" },
	{ "held", "", "list the blocks the shell holds", 0, cmd_held, .examples = "held" },
	{ "drain", "", "return the per-cpu page lists to the buddy free lists", 0, cmd_drain,
	  .examples = "drain" },
	{ "stress", "[ops] [seed]", "random alloc/free workload: ops/s, free lists, fragmentation", 2,
	  cmd_stress, .examples = "stress\nstress 100000 42" },
	{ "selftest", "[suite[.case]]", "run the in-kernel self-tests, KTAP output (selftest buddy)", 1,
	  cmd_selftest, .examples = "selftest\nselftest buddy\nselftest lab4.walk_stops_at_holes" },
	{ "page", "<pfn>", "decode the struct page of one frame (decimal or 0x hex)", 1, cmd_page,
	  .min_args = 1, .examples = "page 256\npage 0x1000" },
	{ "vtop", "<vaddr>", "walk the page tables for one virtual address", 1, cmd_vtop,
	  .min_args = 1, .examples = "vtop 0xffffffff80000000\nvtop 0xffff888000100000" },
	{ "ptdump", "", "the kernel's page tables as ranges (like debugfs page_tables)", 0,
	  cmd_ptdump, .examples = "ptdump" },
	{ "iomem", "", "the physical address map (like /proc/iomem)", 0, cmd_iomem,
	  .examples = "iomem" },
	{ "reboot", "", "restart the machine", 0, cmd_reboot, .examples = "reboot" },
	{ "poweroff", "", "switch the machine off (QEMU exits)", 0, cmd_poweroff,
	  .examples = "poweroff" },
};
const size_t nr_shell_commands = ARRAY_SIZE(shell_commands);
