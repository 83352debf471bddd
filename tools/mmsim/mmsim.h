/* SPDX-License-Identifier: MIT */
/*
 * mmsim, the memory-map simulator: pagelab's real boot-time memory code, run on the
 * host on a firmware map taken from any machine.
 *
 * Input is text; every line that holds a map entry is used, everything else ignored:
 *
 *   BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff] usable      (Linux dmesg,
 *                                       pagelab's memmap on BIOS, pagelab's dmesg)
 *   efi: mem07: [Conventional|...|WB|WT|WC|UC] range=[0x...-0x...] (7MB, 1792 pages)
 *                                      (pagelab's memmap on UEFI, Linux's efi=debug)
 *   kernel:        [mem 0x...-0x...] ...        (pagelab's `bootinfo`: where the kernel
 *   direct map:    0 - 0x100000000 ...           and the loader's data really were)
 *   loader range:  [mem 0x...-0x...] boot_info
 *   Command line: ... memblock=debug ...         (the kernel's options)
 *   e820: update [mem 0x...-0x...] usable ==> reserved    (changes a Linux kernel made
 *   e820: remove [mem 0x...-0x...] usable                  to its table: see below)
 *   last_pfn = 0x... max_arch_pfn = 0x...
 *
 * and the same from older kernels: "BIOS-e820: 0000000000000000 - 000000000009f800
 * (usable)" and "e820 update range: A - B (usable) ==> (reserved)" (before 3.x, end
 * exclusive), "efi: mem00: type=7, attr=0xf, range=[A-B)" (up to 3.18) and the long EFI
 * type names of 3.19 to 5.x ("[Conventional Memory|...] range=[A-B)" or "...B]").  What
 * comes before the message does not matter (mmsim_log_message): dmesg's time, dmesg -T's
 * date, syslog's and journalctl's "Dec  7 05:05:46 host kernel: ", a mail's indentation
 * or "> " quoting.
 * A "Linux version" line starts the input again, so of several boots pasted together the
 * last one counts; efi=debug's "EFI runtime memory map" that follows the boot map is
 * skipped.  The library part (this header, mmsim.c) is linked into the
 * host tests; tools/mmsim/main.c is the command.
 */
#ifndef PAGELAB_TOOLS_MMSIM_H
#define PAGELAB_TOOLS_MMSIM_H

#include "boot/boot_info.h"
#include "firmware/e820.h"
#include "firmware/efi.h"
#include "types.h"

#define MMSIM_MAX_ENTRIES 1024
#define MMSIM_MAX_CHANGES 64
#define MMSIM_CMDLINE_MAX 256

enum mmsim_source {
	MMSIM_AUTO, /* E820 lines if there are any, else the EFI map */
	MMSIM_E820,
	MMSIM_EFI,
};

/*
 * One "e820: update" or "e820: remove" line of a Linux log: a change the real kernel made
 * to its table after printing the firmware's map (mem=, MTRR trimming, EFI MMIO removal).
 */
struct mmsim_e820_change {
	u64 start, size;
	u32 old_type, new_type;  /* new_type unused for a removal */
	bool remove;
	bool check_type;         /* a removal names the type it removes */
};

struct mmsim_input {
	struct boot_e820_entry e820[MMSIM_MAX_ENTRIES];
	u32 nr_e820;
	efi_memory_desc_t efi[MMSIM_MAX_ENTRIES];
	u32 nr_efi;
	u64 kernel_start, kernel_end;     /* 0, 0 if no `bootinfo` kernel line */
	u64 direct_map_end;               /* 0 if no `bootinfo` direct map line */
	struct boot_range loader_ranges[BOOT_MAX_LOADER_RANGES];
	u32 nr_loader_ranges;
	char cmdline[MMSIM_CMDLINE_MAX];  /* from a "Command line:" line, or "" */
	/*
	 * Linux's e820 changes, in log order.  Only the first nr_changes_early count: those
	 * printed before the log's last "last_pfn =" line, which Linux prints once its table
	 * is final, just before e820__memblock_setup().  Later ones (EFI reservations, ...)
	 * changed the table after memblock.memory was built, so they did not change it.
	 */
	struct mmsim_e820_change changes[MMSIM_MAX_CHANGES];
	u32 nr_changes;
	u32 nr_changes_early;
	u32 nr_malformed;                 /* lines that looked like entries but were not */
	bool efi_runtime_map;             /* past "EFI runtime memory map:": not the boot map */
};

/*
 * mmsim_log_message - the kernel's message in a pasted log @line: what follows dmesg's
 * "[    0.000000] ", dmesg -T's "[Tue Nov  4 21:29:37 2025] ", a console's "<6>", syslog's
 * or journalctl's "Dec  7 05:05:46 host kernel: " (also with an ISO date, or with a
 * dmesg-style time first) and a mail's tab-and-blank indentation.  Returns a pointer into
 * @line; @line itself if it has none of these.
 */
const char *mmsim_log_message(const char *line);

/*
 * mmsim_parse_line - take what @line holds (see above) into @in.  Returns 1 if the line
 * was used, 0 if it holds nothing mmsim reads, -1 if it looked like a map entry but could
 * not be read (counted in nr_malformed) or the input has too many entries.
 */
int mmsim_parse_line(struct mmsim_input *in, const char *line);

/*
 * Whether the simulated kernel defers the struct pages of its top zone past the first
 * section, as Linux with CONFIG_DEFERRED_STRUCT_PAGE_INIT=y does (mm/mm_init.c).  By
 * default mmsim does it for maps with more than MMSIM_DEFER_ABOVE of RAM, whose struct
 * pages would cost the host more than it should spend (48 bytes per 4 KiB frame: 2 TiB
 * has 24 GiB of them); below that it initialises every struct page, as pagelab's kernel
 * does, so its "Memory: X/YK" line is the kernel's.  Deferring changes only X (the pages
 * free at the end of boot), never the zones, the unavailable ranges or memblock.
 */
enum mmsim_defer { MMSIM_DEFER_AUTO, MMSIM_DEFER_NEVER, MMSIM_DEFER_ALWAYS };
#define MMSIM_DEFER_ABOVE (16ULL << 30)

struct mmsim_options {
	enum mmsim_source source;
	bool memblock_debug;       /* as memblock=debug on the command line */
	const char *cmdline;       /* more kernel options, e.g. "zones=x86_32"; may be NULL */
	u64 kernel_start;          /* 0: from bootinfo, else the 16 MiB default */
	enum mmsim_defer defer;    /* deferred struct page initialisation: see below */
};

struct seq_file;

/*
 * mmsim_run - boot pagelab's memory setup on @in, exactly the calls start_kernel() makes,
 * printing to @out what was assumed (lines starting "mmsim:"), then the kernel log as it
 * is made, then memblock's debugfs files.  Runs once per process: memblock and the e820
 * table are global, as in the kernel.  Returns 0, or -1 (with a message) if there is no
 * map in @in.
 */
int mmsim_run(const struct mmsim_input *in, const struct mmsim_options *opt,
	      struct seq_file *out);

#endif
