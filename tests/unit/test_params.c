// SPDX-License-Identifier: MIT
/*
 * The command line's options (kernel/params.c) and the user's memory map (mem= and
 * memmap=, firmware/e820.c): which words are known, which values are refused and what
 * that prints, and the e820 edits, against the messages and results of x86 Linux 6.18.
 * Addresses are in MiB unless written out.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "firmware/e820.h"
#include "host/printk_capture.h"
#include "kernel/params.h"
#include "kernel/smp.h"
#include "lib/errno.h"
#include "lib/seq_file.h"
#include "mm/debug_race.h"
#include "mm/highmem.h"
#include "../../tools/mmsim/mmsim.h"

#define MB(x) ((u64)(x) << 20)
#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED

/* ---- one memmap= item, decoded ---- */

static int one(const char *s, struct e820_user_edit *e)
{
	return e820_parse_memmap_one(s, strlen(s), e);
}

Test(params, memmap_item_forms)
{
	struct e820_user_edit e;

	cr_assert_eq(one("64M@1G", &e), 0);
	cr_assert(e.op == E820_USER_ADD && e.size == MB(64) && e.start == MB(1024) && e.type == RAM);
	cr_assert_eq(one("1M$0x4000000", &e), 0);
	cr_assert(e.op == E820_USER_ADD && e.size == MB(1) && e.start == MB(64) && e.type == RES);
	cr_assert_eq(one("4K#16M", &e), 0);
	cr_assert(e.type == E820_TYPE_ACPI && e.size == 4096);
	cr_assert_eq(one("2G!4G", &e), 0);
	cr_assert(e.type == E820_TYPE_PRAM && e.start == 4 * MB(1024));
	cr_assert_eq(one("512M", &e), 0, "memmap=nn alone is mem=nn");
	cr_assert(e.op == E820_USER_LIMIT && e.start == MB(512));
	cr_assert_eq(one("exactmap", &e), 0);
	cr_assert_eq(e.op, E820_USER_EXACTMAP);
}

Test(params, memmap_item_refused_whole)
{
	static const char *const bad[] = {
		"", "junk", "1M@", "@16M", "1M@16Mx", "1M%16M", "1M*16M", "exactmapx", "1M$junk",
		"8E@9E", /* past 2^64 */
		"0", /* a limit of 0: all RAM gone */
		"0x0000000000000000000000000000000000000000000000000000000000001M",
	};
	struct e820_user_edit e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(one(bad[i], &e), -EINVAL, "memmap=%s", bad[i]);
	/* Only the item's own bytes count: the comma that ends it is not junk, and none
	 * after it is read (a NUL is not needed). */
	cr_assert_eq(e820_parse_memmap_one("1M$16M,2M$32M", 6, &e), 0);
	cr_assert_eq(e.start, MB(16));
	char unterminated[6];
	memcpy(unterminated, "1M$16M", 6);
	cr_assert_eq(e820_parse_memmap_one(unterminated, 6, &e), 0);
	cr_assert_eq(e.start, MB(16));
}

/* ---- the edits on the kernel's table ---- */

/*
 *   0 |RAM 640K|   1M |RAM ............................ 512M|  3G |reserved 1M|
 */
static void firmware_map(void)
{
	e820_table->nr_entries = 0;
	__e820__range_add(e820_table, 0, 0xa0000, RAM);
	__e820__range_add(e820_table, MB(1), MB(511), RAM);
	__e820__range_add(e820_table, MB(3072), MB(1), RES);
	host_printk_reset();
}

static void expect_entry(u32 i, u64 addr, u64 size, u32 type)
{
	const struct e820_entry *e = &e820_table->entries[i];

	cr_assert(i < e820_table->nr_entries, "no entry %u (%u entries)", i, e820_table->nr_entries);
	cr_assert(e->addr == addr && e->size == size && e->type == type,
		  "entry %u is [%#llx +%#llx] type %u, expected [%#llx +%#llx] type %u", i,
		  e->addr, e->size, e->type, addr, size, type);
}

/*
 * mem=256M:   0 |RAM 640K|  1M |RAM .. 256M|            3G |reserved|
 * the reserved range above the limit stays: only RAM goes.
 */
Test(params, mem_limits_ram_and_prints_the_user_map)
{
	firmware_map();
	cr_assert_eq(parse_memopt("256M"), 0);
	e820__finish_early_params();
	cr_assert_eq(e820_table->nr_entries, 3);
	expect_entry(0, 0, 0xa0000, RAM);
	expect_entry(1, MB(1), MB(255), RAM);
	expect_entry(2, MB(3072), MB(1), RES);
	cr_assert_str_eq(host_printk_buf,
		"e820: remove [mem 0x10000000-0xfffffffffffffffe] usable\n"
		"user-defined physical RAM map:\n"
		"user: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
		"user: [mem 0x0000000000100000-0x000000000fffffff] usable\n"
		"user: [mem 0x00000000c0000000-0x00000000c00fffff] reserved\n");
}

Test(params, mem_refuses_what_it_cannot_read_and_changes_nothing)
{
	static const char *const bad[] = { "", "0", "junk", "256Mx", "nopentium" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		firmware_map();
		cr_assert_eq(parse_memopt(bad[i]), -EINVAL, "mem=%s", bad[i]);
		cr_assert_eq(e820_table->nr_entries, 3, "mem=%s", bad[i]);
		expect_entry(1, MB(1), MB(511), RAM);
	}
	cr_assert_eq(parse_memopt(NULL), -EINVAL, "a bare 'mem'");
	cr_assert(strstr(host_printk_buf, "mem=nopentium ignored! (only supported on x86_32)\n"));
}

/*
 * memmap=1M$64M,16M#128M:
 *   1M |RAM 63M| 64M |res 1M| 65M |RAM 63M| 128M |ACPI 16M| 144M |RAM .. 512M|
 */
Test(params, memmap_carves_reserved_and_acpi_ranges_out_of_ram)
{
	firmware_map();
	cr_assert_eq(parse_memmap_opt("1M$64M,16M#128M"), 0);
	e820__finish_early_params();
	expect_entry(1, MB(1), MB(63), RAM);
	expect_entry(2, MB(64), MB(1), RES);
	expect_entry(3, MB(65), MB(63), RAM);
	expect_entry(4, MB(128), MB(16), E820_TYPE_ACPI);
	expect_entry(5, MB(144), MB(368), RAM);
	cr_assert(strstr(host_printk_buf,
			 "user: [mem 0x0000000004000000-0x00000000040fffff] reserved\n"));
	cr_assert(strstr(host_printk_buf,
			 "user: [mem 0x0000000008000000-0x0000000008ffffff] ACPI data\n"));
}

/* memmap=exactmap,640K@0,255M@1M: the firmware's map is gone, 3G's reservation too. */
Test(params, memmap_exactmap_replaces_the_firmware_map)
{
	firmware_map();
	cr_assert_eq(parse_memmap_opt("exactmap,640K@0,255M@1M"), 0);
	e820__finish_early_params();
	cr_assert_eq(e820_table->nr_entries, 2);
	expect_entry(0, 0, 0xa0000, RAM);
	expect_entry(1, MB(1), MB(255), RAM);
}

Test(params, memmap_with_one_bad_item_applies_none)
{
	firmware_map();
	cr_assert_eq(parse_memmap_opt("1M$64M,junk"), -EINVAL);
	cr_assert_eq(parse_memmap_opt("exactmap,1M$"), -EINVAL);
	cr_assert_eq(parse_memmap_opt(""), -EINVAL);
	cr_assert_eq(parse_memmap_opt(NULL), -EINVAL);
	e820__finish_early_params();
	cr_assert_eq(e820_table->nr_entries, 3, "nothing changed");
	expect_entry(1, MB(1), MB(511), RAM);
	cr_assert_str_eq(host_printk_buf, "", "and no user-defined map is printed");
}

/* ---- the table and the two walks ---- */

Test(params, names_match_whole_with_dash_and_underscore_alike)
{
	cr_assert_not_null(kernel_param_find("page_poison", 11));
	cr_assert_not_null(kernel_param_find("page-poison", 11));
	cr_assert_not_null(kernel_param_find("memmap=1M", 6), "only the first len characters");
	cr_assert_null(kernel_param_find("memm", 4));
	cr_assert_null(kernel_param_find("memmapx", 7));
	cr_assert_null(kernel_param_find("", 0));
}

Test(params, early_param_reports_each_refused_value_by_name)
{
	firmware_map();
	cr_assert_eq(parse_early_param("console=ttyS0 zones=bogus page_poison=junk mem "
				       "memmap=1M$64M vmalloc=2G efi=whatever"), 4);
	cr_assert(strstr(host_printk_buf, "Malformed early option 'zones'\n"));
	cr_assert(strstr(host_printk_buf, "Malformed early option 'page_poison'\n"));
	cr_assert(strstr(host_printk_buf, "Malformed early option 'mem'\n"));
	cr_assert(strstr(host_printk_buf, "vmalloc=2G ignored: must be between 1M and 941M\n"
					  "Malformed early option 'vmalloc'\n"));
	cr_assert_null(strstr(host_printk_buf, "'memmap'"), "memmap=1M$64M is good");
	cr_assert_null(strstr(host_printk_buf, "'efi'"), "efi= is read elsewhere");
	cr_assert_eq(zone_layout, ZONES_X86_64, "zones= keeps its default");
	e820__finish_early_params();
	expect_entry(2, MB(64), MB(1), RES);
}

Test(params, nr_cpus_limits_the_possible_cpus)
{
	firmware_map();
	cr_assert_eq(parse_early_param("nr_cpus=2"), 0);
	cr_assert_eq(nr_cpus_limit, 2);
	cr_assert_eq(parse_early_param("nr_cpus=1000"), 0);
	cr_assert_eq(nr_cpus_limit, NR_CPUS, "more than NR_CPUS is NR_CPUS");
	cr_assert_eq(parse_early_param("nr_cpus=0 nr_cpus=two nr_cpus="), 3);
	cr_assert_eq(nr_cpus_limit, NR_CPUS, "refused values change nothing");
	cr_assert(strstr(host_printk_buf, "nr_cpus=two ignored: expected a CPU count of at least 1\n"
					  "Malformed early option 'nr_cpus'\n"), "%s", host_printk_buf);
}

Test(params, smpboot_silent_names_one_cpu_other_than_the_boot_cpu)
{
	firmware_map();
	smpboot_silent_mask = 0;
	cr_assert_eq(parse_early_param("smpboot_silent=2 smpboot_silent=0x3"), 0);
	cr_assert_eq(smpboot_silent_mask, 0xcUL, "each use adds a CPU");
	cr_assert_eq(parse_early_param("smpboot_silent=0 smpboot_silent=16 smpboot_silent=x"), 3);
	cr_assert_eq(smpboot_silent_mask, 0xcUL, "refused values change nothing");
	cr_assert(strstr(host_printk_buf, "smpboot_silent=0 ignored: expected a CPU number from 1 to 15\n"
					  "Malformed early option 'smpboot_silent'\n"), "%s", host_printk_buf);
	smpboot_silent_mask = 0;
}

Test(params, debug_race_is_known_loud_and_strict)
{
	firmware_map();
	cr_assert_eq(parse_early_param("debug_race=list_lock"), 0);
	cr_assert_eq(debug_race, DEBUG_RACE_LIST_LOCK);
	cr_assert_str_eq(debug_race_lock_name(), "n->list_lock");
	cr_assert(strstr(host_printk_buf, "NOTICE: debug_race=list_lock, pagelab's teaching switch"),
		  "%s", host_printk_buf);
	cr_assert_eq(parse_early_param("debug_race=zone"), 0);
	cr_assert_eq(debug_race, DEBUG_RACE_ZONE);
	cr_assert_eq(parse_early_param("debug_race=pcp debug_race"), 2);
	cr_assert_eq(debug_race, DEBUG_RACE_ZONE, "refused values change nothing");
	cr_assert(strstr(host_printk_buf, "debug_race=pcp ignored: expected list_lock or zone\n"
					  "Malformed early option 'debug_race'\n"), "%s", host_printk_buf);
	debug_race = DEBUG_RACE_NONE; /* the other tests in this process run with locks */
	cr_assert_null(debug_race_name());
}

Test(params, early_param_runs_in_order_and_stops_at_dashes)
{
	firmware_map();
	cr_assert_eq(parse_early_param("  zones=x86_32\tzones=x86_64 -- zones=x86_32 mem=junk"), 0);
	cr_assert_eq(zone_layout, ZONES_X86_64, "the last before -- wins");
	cr_assert_str_eq(host_printk_buf, "");
	cr_assert_eq(parse_early_param(NULL), 0);
	cr_assert_eq(parse_early_param(""), 0);
}

Test(params, early_param_refuses_a_value_too_long_to_copy)
{
	char line[600] = "memmap=";

	memset(line + 7, '1', 400);
	cr_assert_eq(parse_early_param(line), 1);
	cr_assert(strstr(host_printk_buf, "Malformed early option 'memmap'\n"));
}

Test(params, unknown_words_bare_first_then_with_values)
{
	char buf[256];

	cr_assert_eq(unknown_bootoptions("console=ttyS0 foo=1 quiet pagelab.test=42 mem=1G "
					 "foo=2 bar= splash -- init_arg", buf, sizeof(buf)), 4);
	cr_assert_str_eq(buf, "quiet splash foo=2 bar=",
			 "foo=2 replaces foo=1 in its place; module options and what follows "
			 "-- are not listed");
	cr_assert_eq(unknown_bootoptions("console=ttyS0 memmap=1M$64M", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(unknown_bootoptions(NULL, buf, sizeof(buf)), 0);
	cr_assert_eq(unknown_bootoptions("abcdef ghij", buf, 8), 2);
	cr_assert_str_eq(buf, "abcdef ", "truncated, NUL-terminated");
	cr_assert_eq(unknown_bootoptions("abc", buf, 0), 1, "no buffer: only the count");
}

Test(params, unknown_notice_is_linux_words)
{
	host_printk_reset();
	print_unknown_bootoptions("console=ttyS0 slab_freelist_random BOOT_IMAGE=/vmlinuz");
	cr_assert_str_eq(host_printk_buf, "Unknown kernel command line parameters "
			 "\"slab_freelist_random BOOT_IMAGE=/vmlinuz\", will be passed to user space.\n");
	host_printk_reset();
	print_unknown_bootoptions("console=ttyS0 page_poison=1");
	cr_assert_str_eq(host_printk_buf, "", "all known: no notice");
}

/* ---- mmsim: a pasted Linux log booted with mem= ---- */

static struct mmsim_input in;
static char out[1 << 16];

Test(params, mmsim_applies_a_logged_mem_once)
{
	static const char *const log[] = {
		"[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1 mem=256M\n",
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n",
		"[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n",
		"[    0.000000] BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved\n",
		"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable\n",
		"[    0.000000] BIOS-e820: [mem 0x000000001ffe0000-0x000000001fffffff] reserved\n",
		"[    0.000000] e820: remove [mem 0x10000000-0xfffffffffffffffe] usable\n",
		"[    0.000000] user-defined physical RAM map:\n",
		"[    0.000000] user: [mem 0x0000000000000000-0x000000000009fbff] usable\n",
		"[    0.000000] e820: last_pfn = 0x10000 max_arch_pfn = 0x400000000\n",
	};
	struct mmsim_options opt = { .source = MMSIM_AUTO };
	struct seq_file m;
	const char *user;

	for (size_t i = 0; i < sizeof(log) / sizeof(log[0]); i++)
		mmsim_parse_line(&in, log[i]);
	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(mmsim_run(&in, &opt, &m), 0, "%s", out);
	user = strstr(out, "user-defined physical RAM map:\n");
	cr_assert_not_null(user, "%s", out);
	cr_assert(strstr(user, "user: [mem 0x0000000000100000-0x000000000fffffff] usable\n"), "%s", out);
	cr_assert_null(strstr(user, "0x000000001ffdffff] usable"), "%s", out);
	cr_assert(strstr(out, "e820: remove [mem 0x10000000-0xfffffffffffffffe] usable\n"), "%s", out);
	cr_assert_null(strstr(strstr(out, "e820: remove [mem 0x10000000") + 1,
			      "e820: remove [mem 0x10000000"), "applied once, not replayed:\n%s", out);
	cr_assert(strstr(out, "0x0000000000100000..0x000000000fffffff"), "memblock stops at 256M:\n%s", out);
}
