// SPDX-License-Identifier: MIT
/*
 * The command table: one row per command, in the order `help` lists them (the order a
 * student meets them).  A row says everything about a command except its code: usage,
 * description, examples, how many words it takes, and what runs - a view to show, a
 * function, or sub-commands (include/shell/shell.h has the rules).  The code lives in
 * the file the command's subject names (docs/shell.md has the list): builtins.c,
 * kernel_commands.c, boot_commands.c, mm_commands.c, buddy_commands.c, ...
 *
 * A view whose printing lives with its data points .show straight at that function
 * (zoneinfo_show, slabinfo_show, ...): no wrapper in between.
 */
#include "arch/pgtable.h"
#include "kernel/printk.h"
#include "kernel/resource.h"
#include "lib/seq_file.h"
#include "mm/memblock.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "shell/bench_commands.h"
#include "shell/boot_commands.h"
#include "shell/buddy_commands.h"
#include "shell/builtins.h"
#include "shell/highmem_commands.h"
#include "shell/kernel_commands.h"
#include "shell/mempool_commands.h"
#include "shell/mm_commands.h"
#include "shell/selftest_commands.h"
#include "shell/shell.h"
#include "shell/slab_commands.h"
#include "shell/smp_commands.h"

const struct shell_command shell_commands[] = {
	{
		.name = "help",
		.args = "[command]",
		.description = "list commands, or show one command's usage and examples",
		.examples = "help\nhelp memmap",
		.max_args = 1,
		.fn = cmd_help,
		.complete_commands = true,
	},
	{
		.name = "version",
		.description = "print the kernel version (like /proc/version)",
		.examples = "version",
		.show = version_show,
	},
	{
		.name = "cmdline",
		.description = "print the kernel command line (like /proc/cmdline)",
		.examples = "cmdline",
		.show = cmdline_show,
	},
	{
		.name = "uptime",
		.args = "[-p]",
		.description = "seconds since boot and seconds idle (like /proc/uptime)",
		.examples = "uptime\nuptime -p",
		.max_args = 1,
		.fn = cmd_uptime,
		.subcommands = uptime_subcommands,
		.what = "option",
	},
	{
		.name = "dmesg",
		.description = "print the kernel log buffer, the whole boot included",
		.examples = "dmesg",
		.show = log_buf_show,
	},
	{
		.name = "memmap",
		.description = "print the firmware memory map as the loader received it",
		.examples = "memmap",
		.show = memmap_show,
	},
	{
		.name = "e820",
		.args = "[firmware]",
		.description = "print the kernel's sanitised e820 table (or the firmware's)",
		.examples = "e820\ne820 firmware",
		.max_args = 1,
		.show = e820_show,
		.subcommands = e820_subcommands,
		.what = "table",
	},
	{
		.name = "memblock",
		.args = "[memory|reserved|dump]",
		.description = "print memblock's regions as /sys/kernel/debug/memblock/* "
			       "(or the memblock=debug dump)",
		.examples = "memblock\nmemblock reserved\nmemblock dump",
		.max_args = 1,
		.show = memblock_debugfs_show,
		.subcommands = memblock_subcommands,
		.what = "view",
	},
	{
		.name = "bootinfo",
		.description = "print what the loader handed over (struct boot_info)",
		.examples = "bootinfo",
		.show = bootinfo_show,
	},
	{
		.name = "history",
		.args = "[count|-c]",
		.description = "list the last commands (all kept, or count), or clear them",
		.examples = "history\nhistory 5\nhistory -c",
		.max_args = 1,
		.fn = cmd_history,
		.subcommands = history_subcommands, /* and a count goes to cmd_history */
	},
	{
		.name = "clear",
		.description = "clear the screen (Ctrl-L clears it while typing)",
		.examples = "clear",
		.show = clear_show,
	},
	{
		.name = "echo",
		.args = "[word ...]",
		.description = "print the words, separated by one space",
		.examples = "echo hello world",
		.max_args = SHELL_MAX_ARGS - 1,
		.fn = cmd_echo,
	},
	{
		.name = "crash",
		.args = "[pf|ud|gp|irq]",
		.description = "deliberately fault, to see an oops "
			       "(page fault by default; irq: in an interrupt, panics)",
		.examples = "crash\ncrash ud",
		.max_args = 1,
		.fn = cmd_crash,
		.subcommands = crash_subcommands,
		.what = "fault",
	},
	{
		.name = "highmem",
		.args = "[demo | touch | kmap [N | slot <S>] | kunmap <S>[-<T>]|all | pkmap]",
		.description = "the 32-bit layout's HighMem and kmap (boot with zones=x86_32); "
			       "kmap, kunmap, pkmap: hold kmap() slots and watch the window",
		.examples = "highmem\nhighmem demo\nhighmem touch\nhighmem kmap 3\n"
			    "highmem kmap slot 0\nhighmem kunmap 1-2\nhighmem kunmap all\n"
			    "highmem pkmap",
		.max_args = 3,
		.show = highmem_show,
		.subcommands = highmem_subcommands,
		.what = "sub-command",
	},
	{
		.name = "mempool",
		.args = "[demo | resize <min_nr>]",
		.description = "mempools and their reserves; demo: the reserve under memory pressure; "
			       "resize: the demo pool's min_nr",
		.examples = "mempool\nmempool demo\nmempool resize 12",
		.max_args = 2,
		.show = mempool_show,
		.subcommands = mempool_subcommands,
		.what = "sub-command",
	},
	{
		.name = "zoneinfo",
		.description = "zones: spans, present and managed pages (like /proc/zoneinfo)",
		.examples = "zoneinfo",
		.show = zoneinfo_show,
	},
	{
		.name = "buddyinfo",
		.description = "free blocks per order in each zone (like /proc/buddyinfo)",
		.examples = "buddyinfo",
		.show = buddyinfo_show,
	},
	{
		.name = "slabinfo",
		.description = "object caches: objects, sizes, slabs (like /proc/slabinfo 2.1)",
		.examples = "slabinfo",
		.show = slabinfo_show,
	},
	{
		.name = "slabtop",
		.args = "[lines]",
		.description = "the largest object caches, as slabtop's first screen",
		.examples = "slabtop\nslabtop 5",
		.max_args = 1,
		.fn = cmd_slabtop,
	},
	{
		.name = "kmalloc",
		.args = "[size] [zero] [dma]",
		.description = "allocate size bytes with kmalloc (no size: list held)",
		.examples = "kmalloc 100\nkmalloc 20000\nkmalloc 64 zero dma\nkmalloc",
		.max_args = 3,
		.fn = cmd_kmalloc,
	},
	{
		.name = "kfree",
		.args = "<addr>",
		.description = "free an object the shell's kmalloc handed out",
		.examples = "kfree 0xffff888001234560",
		.min_args = 1,
		.max_args = 1,
		.fn = cmd_kfree,
	},
	{
		.name = "cache",
		.args = "<create|alloc|free|destroy|shrink|info|validate> <name> ...",
		.description = "make and use a private kmem_cache "
			       "(create <name> <size> [align] [sheaves=N])",
		.examples = "cache create foo 100 16\ncache create bar 64 sheaves=32\n"
			    "cache info foo\ncache alloc foo 3\ncache free foo all\ncache validate foo\n"
			    "cache destroy foo",
		.min_args = 1,
		.max_args = 5,
		.subcommands = cache_subcommands,
		.what = "subcommand",
	},
	{
		.name = "slab",
		.args = "<cache>",
		.description = "one cache's lists and counts (like /sys/kernel/slab/<cache>/)",
		.examples = "slab kmalloc-128\nslab kmem_cache",
		.min_args = 1,
		.max_args = 1,
		.fn = cmd_slab,
	},
	{
		.name = "slubtest",
		.args = "<redzone|kmalloc-redzone|use-after-free|double-free|freelist|destroy-live|"
			"hardened>",
		.description = "break a debugging cache on purpose and see SLUB's report",
		.examples = "slubtest redzone\nslubtest use-after-free\nslubtest double-free",
		.min_args = 1,
		.max_args = 1,
		.subcommands = slubtest_subcommands,
		.what = "experiment",
	},
	{
		.name = "meminfo",
		.description = "memory totals, every line of Linux 6.18's (like /proc/meminfo)",
		.examples = "meminfo",
		.show = meminfo_proc_show,
	},
	{
		.name = "pagetypeinfo",
		.description = "free blocks per order and migrate type (like /proc/pagetypeinfo)",
		.examples = "pagetypeinfo",
		.show = pagetypeinfo_show,
	},
	{
		.name = "vmstat",
		.description = "memory counters and events, Linux 6.18's list (like /proc/vmstat)",
		.examples = "vmstat",
		.show = vmstat_show,
	},
	{
		.name = "extfrag",
		.description = "fragmentation index per order (like debugfs extfrag/extfrag_index)",
		.examples = "extfrag",
		.show = extfrag_show,
	},
	{
		.name = "alloc",
		.args = "<order> [gfp flags]",
		.description = "allocate 2^order pages (flags: kernel atomic dma dma32 movable zero "
			       "...), keep a handle",
		.examples = "alloc 0\nalloc 3 dma\nalloc 0 atomic|zero\nalloc 9 highuser_movable\n"
			    "alloc 11",
		.min_args = 1,
		.max_args = 9,
		.fn = cmd_alloc,
	},
	{
		.name = "free",
		.args = "<handle|0xpfn> [order]",
		.description = "free a block the shell holds (or a frame, to see the checks)",
		.examples = "free 1\nfree 0x12340\nfree 0x1",
		.min_args = 1,
		.max_args = 2,
		.fn = cmd_free,
	},
	{
		.name = "held",
		.description = "list the blocks the shell holds",
		.examples = "held",
		.show = held_show,
	},
	{
		.name = "drain",
		.description = "return the per-cpu page lists to the buddy free lists",
		.examples = "drain",
		.fn = cmd_drain,
	},
	{
		.name = "stress",
		.args = "[--cpus N] [ops] [seed]",
		.description = "random alloc/free workload: ops/s, free lists, fragmentation; "
			       "--cpus N: on N CPUs at once, with a conservation check",
		.examples = "stress\nstress 100000 42\nstress --cpus 4 20000",
		.max_args = 4,
		.fn = cmd_stress,
	},
	{
		.name = "bench",
		.args = "[--cpus N] [ops]",
		.description = "alloc+free pairs per second: orders 0 and 3, kmalloc(64), a batch "
			       "of 1000; --cpus N: on N CPUs at once",
		.examples = "bench\nbench 20000\nbench --cpus 4 100000",
		.max_args = 3,
		.fn = cmd_bench,
	},
	{
		.name = "selftest",
		.args = "[suite[.case]]",
		.description = "run the in-kernel self-tests, KTAP output (selftest buddy)",
		.examples = "selftest\nselftest buddy\nselftest lab4.walk_stops_at_holes",
		.max_args = 1,
		.fn = cmd_selftest,
	},
	{
		.name = "cpus",
		.description = "online CPUs, APIC ids, per-CPU interrupts (like /proc/interrupts)",
		.examples = "cpus",
		.show = cpus_show,
	},
	{
		.name = "on",
		.args = "<cpu> <command...>",
		.description = "run a shell command on another CPU and show its output",
		.examples = "on 1 selftest percpu\non 2 cpus",
		.min_args = 2,
		.max_args = SHELL_MAX_ARGS - 1,
		.fn = cmd_on,
	},
	{
		.name = "page",
		.args = "<pfn>",
		.description = "decode the struct page of one frame (decimal or 0x hex)",
		.examples = "page 256\npage 0x1000",
		.min_args = 1,
		.max_args = 1,
		.fn = cmd_page,
	},
	{
		.name = "vtop",
		.args = "<vaddr>",
		.description = "walk the page tables for one virtual address",
		.examples = "vtop 0xffffffff80000000\nvtop 0xffff888000100000",
		.min_args = 1,
		.max_args = 1,
		.fn = cmd_vtop,
	},
	{
		.name = "ptdump",
		.description = "the kernel's page tables as ranges (like debugfs page_tables)",
		.examples = "ptdump",
		.show = ptdump_show,
	},
	{
		.name = "iomem",
		.description = "the physical address map (like /proc/iomem)",
		.examples = "iomem",
		.show = iomem_show,
	},
	{
		.name = "reboot",
		.description = "restart the machine",
		.examples = "reboot",
		.fn = cmd_reboot,
	},
	{
		.name = "poweroff",
		.description = "switch the machine off (QEMU exits)",
		.examples = "poweroff",
		.fn = cmd_poweroff,
	},
};
const size_t nr_shell_commands = ARRAY_SIZE(shell_commands);
