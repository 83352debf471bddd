// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the kernel command-line lookups (kernel/lib/cmdline.c) and the
 * parameter parsers built on them: slub_debug= (mm/slub.c), zones= and vmalloc=
 * (zone_layout_init()), memblock= (early_memblock()), memparse().
 *
 * Input:  u8 bufsize   then the command line (up to its first NUL, if any)
 *
 * Checked, for every option the kernel looks up:
 *
 *   - cmdline_find_option() into a buffer of exactly @bufsize % 80 bytes writes nothing
 *     outside it (ASan), NUL-terminates it, and agrees with a plain reference: the
 *     value of the last word "option=value" (the word up to the next blank), its full
 *     length returned, truncated to bufsize - 1 in the buffer; -1 when there is none
 *   - cmdline_find_option_bool() returns the 1-based position of the first word equal
 *     to the option, 0 when there is none
 *   - slub_debug= parsed for the command line then only ever adds debugging flags to
 *     a cache's own (kmem_cache_flags()), for any cache name
 *   - every comma-separated item of memmap= (e820_parse_memmap_one(), read from exactly
 *     its bytes: ASan sees a read past them) is refused or decodes to a range that does
 *     not wrap past 2^64 (a size of 0 is Linux's no-op), or to a limit other than 0
 *   - unknown_bootoptions() into a buffer of @bufsize % 80 bytes stays inside it and
 *     NUL-terminates it; page_poison='s value through kstrtobool() (6.18's rules)
 */
#include "fuzz.h"
#include "firmware/e820.h"
#include "kernel/params.h"
#include "kernel/setup.h"
#include "lib/cmdline.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/highmem.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/slab.h"
#include "mm/slub_def.h"

static const char *const options[] = {
	"slub_debug", "slab_debug", "zones", "vmalloc", "memblock", "page_poison", "efi",
	"console", "quiet", "mem", "memmap", "efi=debug", "a",
};

static const char *const caches[] = {
	"kmalloc-64", "kmalloc-rcl-8", "dma-kmalloc-1k", "kmem_cache", "slubtest-1", "", "*",
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The reference: scan word by word; *@value_len is set for the last "option=" word. */
static int reference(const char *s, const char *opt, const char **value, int *value_len)
{
	size_t n = strlen(opt);
	int pos = 0, first = 0;

	*value = NULL;
	for (;;) {
		const char *w, *e;

		while (blank(*s))
			s++;
		if (!*s)
			return first;
		w = s;
		while (*s && !blank(*s))
			s++;
		e = s;
		pos++;
		if (!first && (size_t)(e - w) == n && !memcmp(w, opt, n))
			first = pos;
		if ((size_t)(e - w) > n && !memcmp(w, opt, n) && w[n] == '=') {
			*value = w + n + 1;
			*value_len = (int)(e - *value);
		}
	}
}

static void check_option(const char *line, const char *opt, int bufsize)
{
	char *buf = malloc(bufsize ? bufsize : 1);
	const char *value;
	int value_len = 0, first = reference(line, opt, &value, &value_len);
	int got = cmdline_find_option(line, opt, buf, bufsize);

	fuzz_check(cmdline_find_option_bool(line, opt) == first,
		   "cmdline_find_option_bool(%s): %d, expected %d", opt,
		   cmdline_find_option_bool(line, opt), first);
	fuzz_check(got == (value ? value_len : -1), "cmdline_find_option(%s): %d, expected %d", opt,
		   got, value ? value_len : -1);
	if (value && bufsize) {
		int kept = MIN(value_len, bufsize - 1);

		fuzz_check(!memcmp(buf, value, kept) && !buf[kept],
			   "cmdline_find_option(%s): wrong value in the buffer", opt);
	}
	free(buf);
}

/* Each item of memmap=@val, decoded from a copy of exactly its bytes. */
static void check_memmap_items(const char *val)
{
	while (*val) {
		size_t len = strcspn(val, ",");
		char *item = malloc(len ? len : 1);
		struct e820_user_edit edit;

		memcpy(item, val, len);
		if (!e820_parse_memmap_one(item, len, &edit)) {
			if (edit.op == E820_USER_LIMIT)
				fuzz_check(edit.start, "memmap=%.*s: a limit of 0", (int)len, val);
			else if (edit.op == E820_USER_ADD)
				fuzz_check(!edit.size || edit.start + edit.size - 1 >= edit.start,
					   "memmap=%.*s: [%#llx +%#llx] wraps", (int)len, val,
					   edit.start, edit.size);
		}
		free(item);
		val += len;
		if (*val)
			val++;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	int bufsize = size ? data[0] % 80 : 0;
	char *line = malloc(size ? size : 1);
	char value[64];

	if (size)
		memcpy(line, data + 1, size - 1);
	line[size ? size - 1 : 0] = '\0';

	for (unsigned int i = 0; i < ARRAY_SIZE(options); i++)
		check_option(line, options[i], bufsize);

	boot_command_line = line;
	setup_slub_debug();
	for (unsigned int i = 0; i < ARRAY_SIZE(caches); i++) {
		slab_flags_t own = SLAB_HWCACHE_ALIGN | SLAB_KMALLOC;
		slab_flags_t got = kmem_cache_flags(own, caches[i]);

		fuzz_check((got & own) == own && !(got & ~(own | SLAB_DEBUG_FLAGS)),
			   "kmem_cache_flags(%s) = %#x", caches[i], got);
	}
	zone_layout_init(line);
	early_memblock(line);
	if (cmdline_find_option(line, "mem", value, sizeof(value)) >= 0)
		memparse(value, NULL);
	if (cmdline_find_option(line, "memmap", value, sizeof(value)) >= 0)
		check_memmap_items(value);
	if (cmdline_find_option(line, "page_poison", value, sizeof(value)) >= 0) {
		bool on;

		kstrtobool(value, &on);
	}
	{
		char *unknown = malloc(bufsize ? bufsize : 1);

		unknown_bootoptions(line, unknown, bufsize);
		fuzz_check(!bufsize || memchr(unknown, 0, bufsize),
			   "unknown_bootoptions: no NUL in %d bytes", bufsize);
		free(unknown);
	}
	boot_command_line = "";
	free(line);
	return 0;
}
