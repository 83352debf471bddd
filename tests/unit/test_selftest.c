// SPDX-License-Identifier: MIT
/*
 * The in-kernel self-test runner (kernel/selftest.c) on the host: its KTAP output, the
 * suites it finds in the linker section, and the buddy suite itself run against a
 * host-booted allocator - the same cases `selftest buddy` runs in QEMU.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>

#include "host/buddy_machine.h"
#include "host/read_file.h"
#include "kernel/console.h"
#include "kernel/selftest.h"
#include "kernel/signal.h"

static char out[1 << 16];

static const char *run_suite(const char *name, int *failed)
{
	struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	*failed = selftest_run(&m, name);
	return out;
}

Test(selftest, buddy_suite_passes_on_a_host_machine)
{
	int failed;

	boot_machine(qemu_512m, 2, NULL);
	run_suite("buddy", &failed);
	cr_assert_eq(failed, 0, "%s", out);
	cr_assert(!strncmp(out, "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: buddy\n    1..",
			   56), "%s", out);
	cr_assert(strstr(out, "\n# buddy: pass:"), "%s", out);
	cr_assert(strstr(out, " fail:0 "), "%s", out);
	cr_assert(strstr(out, "\nok 1 buddy\n"), "%s", out);
	cr_assert_null(strstr(out, "not ok"), "%s", out);
}

/*
 * Machines of 12-32 GiB give DMA a min watermark for which the atomic-reserve case once
 * expected one page too many; a sparse host arena makes 16 GiB cheap to boot.
 */
static const u64 qemu_16g[][2] = { { 0x1000, 0x9f000 }, { 0x100000, 0x7ffdf000 },
				   { GB(4), GB(18) } };

Test(selftest, buddy_suite_passes_on_a_16_gib_machine, .timeout = 120)
{
	int failed;

	if (host_phys_arena_size < GB(18))
		cr_skip_test("the host gave only %llu MiB of address space", host_phys_arena_size >> 20);
	boot_machine(qemu_16g, 3, NULL);
	run_suite("buddy", &failed);
	cr_assert_eq(failed, 0, "%s", out);
	cr_assert_null(strstr(out, "not ok"), "%s", out);
}

Test(selftest, unknown_suite_is_an_error)
{
	int failed;

	run_suite("no-such-suite", &failed);
	cr_assert_eq(failed, -1);
	cr_assert_str_eq(out, "");
}

/* A failing case: the runner's own diagnostics, in KTAP's "not ok" with "# " lines. */
static void always_fails(struct selftest *t)
{
	ST_EXPECT_EQ(t, 1 + 1, 3);
}

static void skips(struct selftest *t)
{
	selftest_skip(t, "nothing to test here");
}

static void passes(struct selftest *t)
{
	ST_EXPECT(t, true);
}

static const struct selftest_case demo_cases[] = {
	SELFTEST_CASE(passes),
	SELFTEST_CASE(always_fails),
	SELFTEST_CASE(skips),
};

static const struct selftest_suite demo = { "demo", demo_cases, ARRAY_SIZE(demo_cases) };

Test(selftest, failures_and_skips_are_reported_in_ktap)
{
	static const struct selftest_suite *const suites[] = { &demo };
	static const char expected_start[] =
		"KTAP version 1\n"
		"1..1\n"
		"    KTAP version 1\n"
		"    # Subtest: demo\n"
		"    1..3\n"
		"    ok 1 passes\n"
		"    # always_fails: EXPECTATION FAILED at tests/unit/test_selftest.c:";
	static const char expected_end[] =
		"    # Expected 1 + 1 == 3, but 1 + 1 == 2\n"
		"    not ok 2 always_fails\n"
		"    ok 3 skips # SKIP nothing to test here\n"
		"# demo: pass:1 fail:1 skip:1 total:3\n"
		"# Totals: pass:1 fail:1 skip:1 total:3\n"
		"not ok 1 demo\n";
	struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(selftest_run_suites(&m, suites, 1, NULL), 1);
	cr_assert(!strncmp(out, expected_start, sizeof(expected_start) - 1), "%s", out);
	cr_assert(strlen(out) > sizeof(expected_end) &&
		  !strcmp(out + strlen(out) - (sizeof(expected_end) - 1), expected_end), "%s", out);
}

/* ---- Ctrl-C: the run stops between two cases -------------------------------------------- */

/* A case during which the user presses Ctrl-C: the console's interrupt handler queues it. */
static void presses_ctrl_c(struct selftest *t)
{
	console_input('x');
	console_input(INTR_CHAR);
	console_input('y');
	ST_EXPECT(t, true);
}

static const struct selftest_case interrupted_cases[] = {
	SELFTEST_CASE(passes),
	SELFTEST_CASE(presses_ctrl_c),
	SELFTEST_CASE(always_fails),
};

static const struct selftest_suite interrupted = { "interrupted", interrupted_cases,
						   ARRAY_SIZE(interrupted_cases) };

/*
 * The case that was running finishes and reports; the rest of its suite is skipped,
 * case by case; a suite not yet started is one skipped line; a last diagnostic counts
 * what did not run.  The plan (1..2, 1..3) holds: every promised result is there.
 */
Test(selftest, ctrl_c_skips_the_cases_after_the_running_one)
{
	static const struct selftest_suite *const suites[] = { &interrupted, &demo };
	static const char expected[] =
		"KTAP version 1\n"
		"1..2\n"
		"    KTAP version 1\n"
		"    # Subtest: interrupted\n"
		"    1..3\n"
		"    ok 1 passes\n"
		"    ok 2 presses_ctrl_c\n"
		"    ok 3 always_fails # SKIP interrupted\n"
		"# interrupted: pass:2 fail:0 skip:1 total:3\n"
		"# Totals: pass:2 fail:0 skip:1 total:3\n"
		"ok 1 interrupted\n"
		"ok 2 demo # SKIP interrupted\n"
		"# selftest: interrupted (Ctrl-C): 4 of 6 cases did not run\n";
	struct seq_file m;

	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(selftest_run_suites(&m, suites, 2, NULL), 0);
	cr_assert_str_eq(out, expected);
	/* The signal stays pending for the shell to flush; what was typed around it stays queued. */
	cr_assert(signal_pending());
	cr_assert(flush_signals());
	cr_assert_eq(console_getc(), 'x');
	cr_assert_eq(console_getc(), 'y');
	cr_assert_eq(console_getc(), -1);
}

/* A Ctrl-C typed before the run (right after Enter) stops it before its first case. */
Test(selftest, ctrl_c_before_the_first_case_runs_nothing)
{
	static const struct selftest_suite *const suites[] = { &demo };
	struct seq_file m;

	console_input(INTR_CHAR);
	seq_buf_init(&m, out, sizeof(out));
	cr_assert_eq(selftest_run_suites(&m, suites, 1, "demo.always_fails"), 0);
	cr_assert_str_eq(out, "KTAP version 1\n1..1\nok 1 demo # SKIP interrupted\n"
			      "# selftest: interrupted (Ctrl-C): 1 of 1 cases did not run\n");
}

/* ---- registration: the linker section, not a list --------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The Makefile links every mm/NAME_selftest.c into this binary, sorted by path, as it
 * does into the kernel: the section must hold one suite per file, each defined in the
 * file at its place, and nothing else (no padding, no suite twice).
 */
Test(selftest, every_mm_suite_is_registered_in_path_order)
{
	char *files[32], path[300], quoted[80];
	unsigned int n = 0;
	struct dirent *e;
	DIR *d = opendir("mm");

	cr_assert_not_null(d, "run from the top directory");
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len > 11 && !strcmp(e->d_name + len - 11, "_selftest.c")) {
			cr_assert_lt(n, ARRAY_SIZE(files));
			files[n++] = strdup(e->d_name);
		}
	}
	closedir(d);
	qsort(files, n, sizeof(files[0]), by_name);

	cr_assert_eq(nr_selftest_suites, n, "%u suites in the section, %u files", nr_selftest_suites, n);
	for (unsigned int i = 0; i < n; i++) {
		cr_assert_not_null(selftest_suites[i]);
		snprintf(path, sizeof(path), "mm/%s", files[i]);
		snprintf(quoted, sizeof(quoted), "DEFINE_SELFTEST_SUITE(%s,", selftest_suites[i]->name);
		cr_assert(strstr(read_file(path), quoted), "suite %u (%s) is not the one in %s", i,
			  selftest_suites[i]->name, path);
		free(files[i]);
	}
}

/* `selftest` without a name: every registered suite, numbered in the section's order. */
Test(selftest, every_suite_passes_in_one_run)
{
	char expected[64];
	const char *at = out;
	int failed;

	boot_machine_with_slab(ram_64m, 1, NULL);
	run_suite(NULL, &failed);
	cr_assert_eq(failed, 0, "%s", out);
	snprintf(expected, sizeof(expected), "KTAP version 1\n1..%u\n", nr_selftest_suites);
	cr_assert(!strncmp(out, expected, strlen(expected)), "%s", out);
	for (unsigned int i = 0; i < nr_selftest_suites; i++) {
		snprintf(expected, sizeof(expected), "\nok %u %s\n", i + 1, selftest_suites[i]->name);
		at = strstr(at, expected);
		cr_assert_not_null(at, "no '%s' in its place:\n%s", expected + 1, out);
	}
}
