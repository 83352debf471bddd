// SPDX-License-Identifier: MIT
/*
 * The self-test runner: runs suites of test cases inside the kernel and reports them in
 * KTAP version 1 (Documentation/dev-tools/ktap.rst), nested the way Linux's KUnit
 * nests them - the run is the top level, each suite a subtest indented by four spaces,
 * each case a result line inside it.  include/kernel/selftest.h has an example.
 *
 * Called from the shell's `selftest [suite]` command and from host tests; any time
 * after boot.  Cases run one after another on the calling CPU; the runner itself keeps
 * no state between runs.  It knows no suite by name: each registers itself into a
 * linker section (selftest_register_suite(), include/kernel/selftest.h), which the
 * runner reads as an array in link order.
 *
 * Ctrl-C stops a run between two cases (a case must give back what it took before it
 * returns, so that is where everything is consistent): the case that was running
 * finishes and reports, each case after it reads "# SKIP interrupted", each suite not
 * started reads so as a whole, and a last diagnostic line counts what did not run.
 */
#include <stdarg.h>

#include "kernel/selftest.h"
#include "kernel/signal.h"
#include "lib/seq_file.h"
#include "lib/string.h"

#define INDENT "    " /* one nesting level: the cases of a suite */

void selftest_fail(struct selftest *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->status = SELFTEST_FAIL;
	seq_printf(t->log, INDENT "# %s: EXPECTATION FAILED at %s:%d\n" INDENT "# ", t->name, file,
		   line);
	va_start(ap, fmt);
	seq_vprintf(t->log, fmt, ap);
	va_end(ap);
	seq_putc(t->log, '\n');
}

void selftest_skip(struct selftest *t, const char *reason)
{
	t->status = SELFTEST_SKIP;
	t->skip_reason = reason;
}

void selftest_log(struct selftest *t, const char *fmt, ...)
{
	va_list ap;

	seq_printf(t->log, INDENT "# %s: ", t->name);
	va_start(ap, fmt);
	seq_vprintf(t->log, fmt, ap);
	va_end(ap);
	seq_putc(t->log, '\n');
}

struct totals {
	unsigned int pass, fail, skip;
	unsigned int not_run; /* of the skipped: because of Ctrl-C */
};

static void print_totals(struct seq_file *m, const char *what, const struct totals *n)
{
	seq_printf(m, "# %s: pass:%u fail:%u skip:%u total:%u\n", what, n->pass, n->fail, n->skip,
		   n->pass + n->fail + n->skip);
}

/* Whether case @c is one @only (NULL: every case) asks for. */
static bool wanted(const struct selftest_case *c, const char *only)
{
	return !only || !strcmp(c->name, only);
}

/*
 * Run one suite as subtest number @number - only its case @only, if not NULL - and add
 * its results to @all.  The two totals lines before the suite's own result are KUnit's;
 * pagelab has no parameterised cases, so they agree.
 */
static void run_suite(struct seq_file *m, const struct selftest_suite *s, unsigned int number,
		      const char *only, struct totals *all)
{
	struct totals n = { 0 };
	unsigned int count = 0, k = 0;

	for (unsigned int i = 0; i < s->nr_cases; i++)
		count += wanted(&s->cases[i], only);
	seq_printf(m, INDENT "KTAP version 1\n" INDENT "# Subtest: %s\n" INDENT "1..%u\n",
		   s->name, count);
	for (unsigned int i = 0; i < s->nr_cases; i++) {
		struct selftest t = { .name = s->cases[i].name, .log = m };

		if (!wanted(&s->cases[i], only))
			continue;
		k++;
		if (signal_pending()) {
			selftest_skip(&t, "interrupted");
			all->not_run++;
		} else {
			s->cases[i].run(&t);
		}
		if (t.status == SELFTEST_SKIP) {
			n.skip++;
			seq_printf(m, INDENT "ok %u %s # SKIP %s\n", k, t.name, t.skip_reason);
		} else {
			*(t.status == SELFTEST_PASS ? &n.pass : &n.fail) += 1;
			seq_printf(m, INDENT "%sok %u %s\n", t.status == SELFTEST_PASS ? "" : "not ",
				   k, t.name);
		}
	}
	print_totals(m, s->name, &n);
	print_totals(m, "Totals", &n);
	/* A suite fails if any case failed; it is skipped only if every case was. */
	seq_printf(m, "%sok %u %s%s\n", n.fail ? "not " : "", number, s->name,
		   n.skip && !n.pass && !n.fail ? " # SKIP" : "");
	all->pass += n.pass;
	all->fail += n.fail;
	all->skip += n.skip;
}

/* A suite that Ctrl-C stopped before it started: one line, KTAP's skipped test. */
static void skip_suite(struct seq_file *m, const struct selftest_suite *s, unsigned int number,
		       const char *only, struct totals *all)
{
	unsigned int count = 0;

	for (unsigned int i = 0; i < s->nr_cases; i++)
		count += wanted(&s->cases[i], only);
	seq_printf(m, "ok %u %s # SKIP interrupted\n", number, s->name);
	all->skip += count;
	all->not_run += count;
}

/* Whether @s is the suite @name asks for: "suite", or "suite.case" (KUnit's filter form). */
static bool suite_named(const struct selftest_suite *s, const char *name)
{
	const char *dot = name ? strchr(name, '.') : NULL;
	size_t len = dot ? (size_t)(dot - name) : 0;
	bool has_case = false;

	if (!name)
		return true;
	if (!dot)
		return !strcmp(s->name, name);
	if (strlen(s->name) != len || strncmp(s->name, name, len))
		return false;
	for (unsigned int i = 0; i < s->nr_cases; i++)
		has_case |= !strcmp(s->cases[i].name, dot + 1);
	return has_case;
}

int selftest_run_suites(struct seq_file *m, const struct selftest_suite *const *suites,
			unsigned int nr, const char *name)
{
	struct totals all = { 0 };
	unsigned int count = 0, number = 0;
	const char *dot = name ? strchr(name, '.') : NULL;

	for (unsigned int i = 0; i < nr; i++)
		count += suite_named(suites[i], name);
	if (!count)
		return -1;
	seq_printf(m, "KTAP version 1\n1..%u\n", count);
	for (unsigned int i = 0; i < nr; i++) {
		if (!suite_named(suites[i], name))
			continue;
		if (signal_pending())
			skip_suite(m, suites[i], ++number, dot ? dot + 1 : NULL, &all);
		else
			run_suite(m, suites[i], ++number, dot ? dot + 1 : NULL, &all);
	}
	if (all.not_run)
		seq_printf(m, "# selftest: interrupted (Ctrl-C): %u of %u cases did not run\n",
			   all.not_run, all.pass + all.fail + all.skip);
	return (int)all.fail;
}

int selftest_run(struct seq_file *m, const char *name)
{
	return selftest_run_suites(m, selftest_suites, nr_selftest_suites, name);
}
