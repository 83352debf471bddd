// SPDX-License-Identifier: MIT
/*
 * mmsim - the memory-map simulator, as a command.
 *
 *   build/mmsim [-d] [--e820 | --efi] [--defer | --no-defer] [--kernel ADDR]
 *               [--cmdline OPTIONS] [FILE]
 *
 * Reads a firmware map from FILE (or standard input) - for instance
 *   dmesg | grep -e BIOS-e820 -e 'efi: mem' | build/mmsim
 *   journalctl -k -b | build/mmsim
 * or the output of pagelab's `memmap` and `bootinfo` - boots pagelab's memory setup on it
 * and prints what the kernel would print.  The work is done in mmsim.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/printk_capture.h"
#include "lib/seq_file.h"
#include "mm/mmzone.h"
#include "mmsim.h"

static const char usage[] =
	"usage: mmsim [-d] [--e820 | --efi] [--defer | --no-defer] [--kernel ADDR]\n"
	"             [--cmdline OPTIONS] [FILE]\n"
	"  Boot pagelab's memory setup on a firmware map and print what the kernel prints.\n"
	"  FILE (default: standard input) is any text holding \"BIOS-e820: [mem ...]\" lines\n"
	"  (a Linux dmesg) or \"efi: memNN: [...] range=[...]\" lines (pagelab's memmap,\n"
	"  Linux with efi=debug); pagelab's `bootinfo` lines add the real kernel location.\n"
	"  Logs of Linux 2.6 to 7.x are read with or without times, as journal dumps or\n"
	"  mail quotes; of several boots pasted together, the last one counts.\n"
	"  A Linux log's \"e820: update\"/\"e820: remove\" lines printed before its last\n"
	"  \"last_pfn =\" line (MTRR trimming) are replayed before memblock is built; its\n"
	"  \"Command line:\" is the kernel's, so mem= and memmap= apply as they did there.\n"
	"  -d, --memblock-debug  as memblock=debug: log every memblock call and the dump\n"
	"  --e820, --efi         which map to use when the input has both (default: E820)\n"
	"  --cmdline OPTIONS     kernel options, e.g. \"zones=x86_32\" for the 32-bit HighMem\n"
	"                        layout (\"zones=x86_32 vmalloc=256M\" moves the lowmem limit),\n"
	"                        \"mem=1G\" or \"memmap=1M$64M\" to change the map\n"
	"  --defer, --no-defer   defer the struct pages of the top zone past its first\n"
	"                        section, as Linux with CONFIG_DEFERRED_STRUCT_PAGE_INIT=y\n"
	"                        (only \"Memory: X/Y\"'s X changes); default: above 16 GiB\n"
	"                        of RAM, whose struct pages would cost the host too much\n"
	"  --kernel ADDR         put the 2 MiB kernel image at ADDR (default: 16 MiB or the\n"
	"                        first usable 2 MiB above it, or what `bootinfo` says)\n";

/*
 * The host's "physical memory" (tests/host/memory.c): up to 64 TiB, the most pagelab's
 * memory model describes (MAX_PHYSMEM_BITS), and 1 GiB above it for the raw map.
 */
u64 host_phys_arena_max = (1ULL << MAX_PHYSMEM_BITS) + SZ_1G;

static struct mmsim_input input; /* large: keep it off the stack */

/*
 * The host has no kallsyms table, so memblock=debug's %pS callers arrive as addresses;
 * name them from mmsim's own debug information, as the kernel's log names them.
 */
static void stdout_write(struct seq_file *m, const char *s, size_t n)
{
	char text[4096];

	(void)m;
	if (n >= sizeof(text)) {
		fwrite(s, 1, n, stdout);
		return;
	}
	memcpy(text, s, n);
	text[n] = '\0';
	fputs(host_symbolize_callers(text), stdout);
}

static int parse_args(int argc, char **argv, struct mmsim_options *opt, const char **file)
{
	for (int i = 1; i < argc; i++) {
		if (!libc_strcmp(argv[i], "-d") || !libc_strcmp(argv[i], "--memblock-debug"))
			opt->memblock_debug = true;
		else if (!libc_strcmp(argv[i], "--e820"))
			opt->source = MMSIM_E820;
		else if (!libc_strcmp(argv[i], "--efi"))
			opt->source = MMSIM_EFI;
		else if (!libc_strcmp(argv[i], "--cmdline") && i + 1 < argc)
			opt->cmdline = argv[++i];
		else if (!libc_strcmp(argv[i], "--defer"))
			opt->defer = MMSIM_DEFER_ALWAYS;
		else if (!libc_strcmp(argv[i], "--no-defer"))
			opt->defer = MMSIM_DEFER_NEVER;
		else if (!libc_strcmp(argv[i], "--kernel") && i + 1 < argc)
			opt->kernel_start = strtoull(argv[++i], NULL, 0);
		else if (argv[i][0] == '-' && argv[i][1])
			return -1;
		else
			*file = argv[i];
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct mmsim_options opt = { .source = MMSIM_AUTO };
	struct seq_file out = { .write = stdout_write };
	const char *file = NULL;
	char line[4096];
	FILE *f = stdin;
	int ret;

	if (parse_args(argc, argv, &opt, &file)) {
		fputs(usage, stderr);
		return 2;
	}
	if (file && !(f = fopen(file, "r"))) {
		perror(file);
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		mmsim_parse_line(&input, line);
	if (f != stdin)
		fclose(f);
	ret = mmsim_run(&input, &opt, &out);
	fflush(stdout);
	return ret ? 1 : 0;
}
