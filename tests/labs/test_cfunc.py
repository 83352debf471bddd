# SPDX-License-Identifier: MIT
"""tools/lab/cfunc.py must find exactly the function asked for, whatever braces hide in
comments, strings and character constants.  `make lab-verify` runs this first:
    python3 tests/labs/test_cfunc.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "lab"))
import cfunc  # noqa: E402

SOURCE = r'''#include "x.h"
#define BRACE '{'   /* a { in a directive */
#define LONG(x) \
	do { x; } while (0)

/* target() is mentioned here: { */
static int helper(int a);

struct s { int a; };

int (target)(int a, const char *s) __attribute__((unused))
{
	const char *t = "}{\"}";
	char c = '}';

	if (a) { /* } */
		return helper(a) + (c == '{');
	}
	// }
	return t[0];
}

static int helper(int a)
{
	return target(a, "x");
}
'''


class FindFunction(unittest.TestCase):
    def test_finds_the_definition_not_the_calls_or_declarations(self):
        f = cfunc.find_function(SOURCE, "target")
        self.assertTrue(f.source(SOURCE).startswith("int (target)(int a, const char *s)"))
        self.assertTrue(f.body(SOURCE).startswith("{\n\tconst char *t"))
        self.assertTrue(f.body(SOURCE).endswith("return t[0];\n}"))

    def test_a_declaration_is_not_a_definition(self):
        f = cfunc.find_function(SOURCE, "helper")
        self.assertTrue(f.source(SOURCE).startswith("static int helper(int a)\n{"))

    def test_replacing_a_body_keeps_everything_else(self):
        out = cfunc.replace_body(SOURCE, "target", "{\n\treturn 0;\n}")
        self.assertIn("__attribute__((unused))\n{\n\treturn 0;\n}\n\nstatic int helper", out)
        self.assertEqual(out.count("static int helper(int a)\n{"), 1)

    def test_missing_and_doubled_names_are_errors(self):
        with self.assertRaises(cfunc.FunctionNotFound):
            cfunc.find_function(SOURCE, "nothing")
        with self.assertRaises(cfunc.FunctionNotFound):
            cfunc.find_function(SOURCE + "int target(void)\n{\n}\n", "target")

    def test_blanking_keeps_positions(self):
        self.assertEqual(len(cfunc.blank(SOURCE)), len(SOURCE))
        self.assertEqual(cfunc.blank(SOURCE).count("\n"), SOURCE.count("\n"))


if __name__ == "__main__":
    unittest.main()
