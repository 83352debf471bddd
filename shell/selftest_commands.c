// SPDX-License-Identifier: MIT
/*
 * `selftest [suite[.case]]`: run the kernel's in-kernel self-tests (kernel/selftest.c),
 * or a lab's, and print their KTAP report.  Ctrl-C stops the run between two cases.
 */
#include "kernel/selftest.h"
#include "kernel/signal.h"
#include "lib/seq_file.h"
#include "shell/selftest_commands.h"

int cmd_selftest(struct seq_file *m, int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	int failed = selftest_run(m, name);

	if (failed < 0) /* not one of the kernel's suites: one of the labs'? */
		failed = selftest_run_suites(m, lab_selftest_suites, nr_lab_selftest_suites, name);
	if (failed < 0) {
		seq_printf(m, "selftest: no suite '%s'; there are:", argv[1]);
		for (unsigned int i = 0; i < nr_selftest_suites; i++)
			seq_printf(m, " %s", selftest_suites[i]->name);
		for (unsigned int i = 0; i < nr_lab_selftest_suites; i++)
			seq_printf(m, " %s", lab_selftest_suites[i]->name);
		seq_puts(m, " (suite.case runs one case)\n");
		return 1;
	}
	if (signal_pending())
		return 130; /* 128 + SIGINT, as a shell reports a command Ctrl-C stopped */
	return failed != 0;
}
