// SPDX-License-Identifier: MIT
/* Command-line lookups: whole words only, last value wins, never past the buffer. */
#include <criterion/criterion.h>

#include "lib/cmdline.h"

Test(cmdline, bool_option_matches_whole_words_only)
{
	const char *cl = "  quiet efi=debug\tnoefi  ";

	cr_assert_eq(cmdline_find_option_bool(cl, "quiet"), 1);
	cr_assert_eq(cmdline_find_option_bool(cl, "efi=debug"), 2);
	cr_assert_eq(cmdline_find_option_bool(cl, "noefi"), 3);
	cr_assert_eq(cmdline_find_option_bool(cl, "efi"), 0, "a prefix of a word is not a match");
	cr_assert_eq(cmdline_find_option_bool(cl, "qui"), 0);
	cr_assert_eq(cmdline_find_option_bool(cl, ""), 0);
	cr_assert_eq(cmdline_find_option_bool(NULL, "quiet"), 0);
	cr_assert_eq(cmdline_find_option_bool("", "quiet"), 0);
}

Test(cmdline, value_option_returns_last_value)
{
	char buf[16];

	cr_assert_eq(cmdline_find_option("mem=1G quiet mem=512M", "mem", buf, sizeof(buf)), 4);
	cr_assert_str_eq(buf, "512M");
	cr_assert_eq(cmdline_find_option("xmem=1G", "mem", buf, sizeof(buf)), -1);
	cr_assert_eq(cmdline_find_option("mem", "mem", buf, sizeof(buf)), -1, "no '=': no value");
	cr_assert_eq(cmdline_find_option("mem= quiet", "mem", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "");
}

Test(cmdline, long_value_is_truncated_but_its_length_reported)
{
	char buf[4];

	cr_assert_eq(cmdline_find_option("slub_debug=FZPU,kmalloc-64", "slub_debug", buf, sizeof(buf)), 15);
	cr_assert_str_eq(buf, "FZP");
}
