/* SPDX-License-Identifier: MIT */
/*
 * In-kernel self-tests, reported in KTAP version 1 - the format of Linux's KUnit - so
 * the QEMU tests (and a student) read the same thing Linux's tools parse:
 *
 *   KTAP version 1
 *   1..1
 *       KTAP version 1
 *       # Subtest: buddy
 *       1..2
 *       ok 1 split_and_merge_restore_the_free_lists
 *       # order_above_max_fails: EXPECTATION FAILED at mm/page_alloc_selftest.c:80
 *       # Expected page == NULL
 *       not ok 2 order_above_max_fails
 *   # buddy: pass:1 fail:1 skip:0 total:2
 *   # Totals: pass:1 fail:1 skip:0 total:2
 *   not ok 1 buddy
 *
 * A suite is a named array of cases; a case is a function that checks things with the
 * ST_EXPECT/ST_ASSERT macros below.  Adding a suite: write its cases in the subsystem
 * (e.g. mm/slub_selftest.c) and end the file with DEFINE_SELFTEST_SUITE(name, cases),
 * which defines the suite and registers it; `selftest <name>` then runs it.  No list names the suites:
 * the source file only has to be built (the Makefile builds every mm/NAME_selftest.c).
 *
 * Self-tests run in the live kernel, from the shell, on the real allocator with the
 * real memory: a case must give back everything it takes and restore every switch it
 * turns.  They run on the host too (tests/unit/test_selftest.c).
 */
#ifndef PAGELAB_KERNEL_SELFTEST_H
#define PAGELAB_KERNEL_SELFTEST_H

#include "types.h"

struct seq_file;

enum selftest_status { SELFTEST_PASS, SELFTEST_FAIL, SELFTEST_SKIP };

/* One running case: passed to the case function, filled in by the macros. */
struct selftest {
	const char *name;
	enum selftest_status status;
	const char *skip_reason;
	struct seq_file *log;
};

struct selftest_case {
	const char *name;
	void (*run)(struct selftest *t);
};

#define SELFTEST_CASE(fn) { #fn, fn }

struct selftest_suite {
	const char *name;
	const struct selftest_case *cases;
	unsigned int nr_cases;
};

/*
 * selftest_register_suite - add @suite (a struct selftest_suite, not a pointer) to the
 * suites `selftest` runs, from the file that defines it.  Linux's KUnit does this with
 * kunit_test_suite(), which puts a pointer into the .kunit_test_suites section.  Here
 * a pointer goes into the section "selftest_suites"; the linker gathers the pointers
 * of every linked object into one array between __start_selftest_suites and
 * __stop_selftest_suites (kernel/arch/x86_64/kernel.ld names them; on the host GNU ld
 * makes them itself for a section whose name is a C identifier).  The suites run in
 * link order: the Makefile links them sorted by path, in the kernel and on the host.
 *
 * The section is only as full as the link: an object nothing calls into is not taken
 * from a static library, so the host tests link the suite objects themselves (Makefile).
 * The pointers are aligned to their size so that no padding can fall between two.
 */
#define selftest_register_suite(suite) __selftest_register("selftest_suites", suite)

/* selftest_register_lab_suite - the same for a lab's suite: run by name only, kernel only. */
#define selftest_register_lab_suite(suite) __selftest_register("lab_selftest_suites", suite)

/*
 * DEFINE_SELFTEST_SUITE - define the suite called @name (a bare word: `selftest name`
 * runs it) of the case array @cases, and register it.  The last line of a test file:
 *
 *	static const struct selftest_case mempool_cases[] = { SELFTEST_CASE(...), ... };
 *	DEFINE_SELFTEST_SUITE(mempool, mempool_cases);
 */
#define DEFINE_SELFTEST_SUITE(suite_name, case_array)                                     \
	__DEFINE_SELFTEST_SUITE(suite_name, case_array);                                  \
	selftest_register_suite(suite_name##_selftest_suite)

/* DEFINE_LAB_SELFTEST_SUITE - the same for a lab's suite (tests/labs/NN/selftest.c). */
#define DEFINE_LAB_SELFTEST_SUITE(suite_name, case_array)                                 \
	__DEFINE_SELFTEST_SUITE(suite_name, case_array);                                  \
	selftest_register_lab_suite(suite_name##_selftest_suite)

#define __DEFINE_SELFTEST_SUITE(suite_name, case_array)                                   \
	static const struct selftest_suite suite_name##_selftest_suite = {               \
		.name = #suite_name, .cases = case_array, .nr_cases = ARRAY_SIZE(case_array), \
	}

#define __selftest_register(secname, suite)                                             \
	static const struct selftest_suite *const __selftest_ptr_##suite                 \
		__attribute__((section(secname), used, aligned(sizeof(void *)))) = &(suite)

/* Every registered suite, for `selftest` without a name: the section, as an array. */
extern const struct selftest_suite *const __start_selftest_suites[];
extern const struct selftest_suite *const __stop_selftest_suites[];
#define selftest_suites __start_selftest_suites
#define nr_selftest_suites ((unsigned int)(__stop_selftest_suites - __start_selftest_suites))

/* The labs' suites (tests/labs/NN/selftest.c), run by name only; in the kernel, not the host. */
extern const struct selftest_suite *const __start_lab_selftest_suites[];
extern const struct selftest_suite *const __stop_lab_selftest_suites[];
#define lab_selftest_suites __start_lab_selftest_suites
#define nr_lab_selftest_suites                                                            \
	((unsigned int)(__stop_lab_selftest_suites - __start_lab_selftest_suites))

/*
 * selftest_run - run the suite called @name (NULL: all of them) and print KTAP to @m.
 * @name may also be "suite.case", KUnit's filter form: that one case alone.  Ctrl-C
 * (signal_pending()) stops the run between two cases; the rest are reported skipped.
 * Returns the number of failed cases, or -1 if no suite (or case) has that name.
 */
int selftest_run(struct seq_file *m, const char *name);

/* selftest_run_suites - the same over the @nr suites of @suites (tests use their own). */
int selftest_run_suites(struct seq_file *m, const struct selftest_suite *const *suites,
			unsigned int nr, const char *name);

/* selftest_fail - mark @t failed and print the diagnostic (use the macros). */
void selftest_fail(struct selftest *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);

/* selftest_skip - mark @t skipped: "ok N name # SKIP reason".  The case should return. */
void selftest_skip(struct selftest *t, const char *reason);

/* selftest_log - a "# " diagnostic line inside the case's output. */
void selftest_log(struct selftest *t, const char *fmt, ...) __printf(2, 3);

#define ST_EXPECT(t, cond)                                                               \
	do {                                                                             \
		if (!(cond))                                                             \
			selftest_fail(t, __FILE__, __LINE__, "Expected %s", #cond);       \
	} while (0)

#define ST_EXPECT_EQ(t, a, b)                                                            \
	do {                                                                             \
		long long _a = (long long)(a), _b = (long long)(b);                      \
		if (_a != _b && st_is_literal(#b)) /* KUnit leaves out "2 == 2" too */     \
			selftest_fail(t, __FILE__, __LINE__, "Expected %s == %s, but %s == %lld", \
				      #a, #b, #a, _a);                                    \
		else if (_a != _b)                                                       \
			selftest_fail(t, __FILE__, __LINE__, "Expected %s == %s, but %s == %lld, %s == %lld", \
				      #a, #b, #a, _a, #b, _b);                            \
	} while (0)

/* Whether an expression, as written, is a decimal literal (its value says nothing new). */
static inline bool st_is_literal(const char *text)
{
	const char *p = text + (text[0] == '-');

	if (!*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* ST_ASSERT: like ST_EXPECT, but the case stops here (returns) when it fails. */
#define ST_ASSERT(t, cond)                                                               \
	do {                                                                             \
		if (!(cond)) {                                                           \
			selftest_fail(t, __FILE__, __LINE__, "Asserted %s", #cond);       \
			return;                                                          \
		}                                                                        \
	} while (0)

#endif
