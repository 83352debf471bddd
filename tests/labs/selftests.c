/*
 * The labs' in-kernel self-tests: `selftest lab1` ... `selftest lab9` in the shell, one
 * case at a time with `selftest lab2.memblock_regions_are_merged`.  Each suite lives
 * with its lab (tests/labs/NN/selftest.c); the grader runs every case on SeaBIOS and
 * OVMF (docs/labs/README.md).  They are built into the kernel only, and `selftest`
 * without a name does not run them: they test what a student is writing.
 */
#include "kernel/selftest.h"

extern const struct selftest_suite lab1_selftest_suite;
extern const struct selftest_suite lab2_selftest_suite;
extern const struct selftest_suite lab3_selftest_suite;
extern const struct selftest_suite lab4_selftest_suite;
extern const struct selftest_suite lab6_selftest_suite;
extern const struct selftest_suite lab7_selftest_suite;
extern const struct selftest_suite lab9_selftest_suite;

const struct selftest_suite *const lab_selftest_suites[] = {
	&lab1_selftest_suite,
	&lab2_selftest_suite,
	&lab3_selftest_suite,
	&lab4_selftest_suite,
	&lab6_selftest_suite,
	&lab7_selftest_suite,
	&lab9_selftest_suite,
};
const unsigned int nr_lab_selftest_suites = ARRAY_SIZE(lab_selftest_suites);
