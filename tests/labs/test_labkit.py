# SPDX-License-Identifier: MIT
"""The lab tools' own rules that no boot shows: the machine a name draws, the answer
forms, the student file, the handout and the hand-in.  `make lab-verify` runs this first:
    python3 tests/labs/test_labkit.py
"""

import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "..", "tools", "lab"), os.path.join(HERE, "..", "qemu")]
import cfunc  # noqa: E402
import lab as labtool  # noqa: E402
import labkit  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


class Draw(unittest.TestCase):
    LAB = labkit.Lab(5, "t", doc="d", answers="a")

    def test_a_name_draws_the_same_machine_forever(self):
        # Pinned: a course runs for months, and a student's machine (and so every answer
        # they wrote down) must not change under them when pagelab is updated.
        b = labkit.student_machine("ada@school.edu", self.LAB)
        self.assertEqual((b.firmware, b.machine, b.mem), ("bios", "q35", "1G"))

    def test_case_and_spaces_around_a_name_do_not_matter(self):
        a = labkit.student_machine("Ada@School.edu ", self.LAB)
        self.assertEqual(a.key(), labkit.student_machine("ada@school.edu", self.LAB).key())

    def test_neighbours_get_different_machines(self):
        keys = {labkit.student_machine(f"student{i}@school.edu", self.LAB).key()
                for i in range(40)}
        self.assertGreater(len(keys), 20)

    def test_each_lab_draws_anew_within_its_own_choices(self):
        narrow = labkit.Lab(9, "t", doc="d", answers="a",
                            machines=labkit.Machines(mem=["2G", "3G"], firmware=["bios"],
                                                     cmdline="zones=x86_32"))
        for i in range(20):
            b = labkit.student_machine(f"s{i}", narrow)
            self.assertIn(b.mem, ("2G", "3G"))
            self.assertEqual((b.firmware, b.cmdline), ("bios", "zones=x86_32"))


class Answers(unittest.TestCase):
    def test_numbers_compare_as_numbers(self):
        self.assertEqual(labkit.normalize("number", "0x10"), labkit.normalize("number", "16"))
        self.assertIsNone(labkit.normalize("number", "sixteen"))
        self.assertEqual(labkit.normalize("number", "-0x10"), "-16")

    def test_a_written_answer_is_kept_as_written(self):
        self.assertEqual(labkit.normalize("text", "  Because  the PCI hole. "),
                         "Because  the PCI hole.")
        self.assertIsNone(labkit.normalize("text", "   "))

    def test_a_question_must_say_how_to_read_its_answer(self):
        with self.assertRaises(ValueError):
            labkit.Question("q1", "number")
        with self.assertRaises(ValueError):
            labkit.Question("q1", "essay", None)
        self.assertEqual(labkit.Question("q2", "text").points, 0)

    def test_a_tolerance_accepts_a_number_that_close(self):
        import grade
        import types
        q = labkit.Question("q1", "number", labkit.Derive(labkit.MINE, "meminfo", r"(\d+)"),
                            tolerance=4)
        lab = types.SimpleNamespace(LAB=labkit.Lab(9, "t", doc="d", answers="a"), QUESTIONS=[q])
        verdicts = [grade.check_answers(lab, ROOT, grade.Printer(quiet=True), given={"q1": a},
                                        derived={"q1": "878528"})[0].ok
                    for a in ("878524", "878532", "878520", "0xd67c0")]
        self.assertEqual(verdicts, [True, True, False, True])


    def test_a_derive_step_may_drive_the_machine_itself(self):
        class Shell:
            def run(self, command):
                return f"<{command}>"

        def until_it_fails(m):
            return "".join(m.run(f"alloc {o}") for o in (1, 0))

        d = labkit.Derive(labkit.MINE, ["drain", until_it_fails], read=lambda out: out)
        self.assertEqual(d.read(d.output_of(Shell())), "<drain><alloc 1><alloc 0>")
        one = labkit.Derive(labkit.MINE, until_it_fails, read=lambda out: out)
        self.assertEqual(one.output_of(Shell()), "<alloc 1><alloc 0>")


class WordsAfterANumber(unittest.TestCase):
    """A number question scores the number; what the student wrote after it (a prediction,
    an explanation) is kept for the teacher, as a written answer is."""

    def test_the_words_are_kept_and_the_number_scored(self):
        import types
        import grade
        q = labkit.Question("q1", "number", labkit.Derive(labkit.MINE, "meminfo", r"(\d+)"))
        q2 = labkit.Question("q2", "number", labkit.Derive(labkit.MINE, "meminfo", r"(\d+)"))
        lab = types.SimpleNamespace(LAB=labkit.Lab(5, "t", doc="d", answers="a"),
                                    QUESTIONS=[q, q2])
        report = grade.Report(lab)
        results = grade.check_answers(
            lab, ROOT, grade.Printer(quiet=True),
            given={"q1": "0x10 I predicted 15: the batch", "q2": "16"},
            derived={"q1": "16", "q2": "16"}, report=report)
        self.assertTrue(all(r.ok for r in results))
        self.assertEqual(report.written, {"q1": "0x10 I predicted 15: the batch"})


class AnswerFile(unittest.TestCase):
    def test_written_answers_go_on_over_indented_lines(self):
        import grade
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "05.txt")
            with open(path, "w") as f:
                f.write("# comment\nq1 = 0x10\nq2 = The block went\n   to memblock.\n"
                        "# q3 = commented out\nq4 =\nchallenge = tail first\n  because\n")
            self.assertEqual(grade.read_answers(path),
                             {"q1": "0x10", "q2": "The block went to memblock.", "q4": "",
                              "challenge": "tail first because"})


class Student(unittest.TestCase):
    def test_the_name_is_kept_and_replaced(self):
        with tempfile.TemporaryDirectory() as root:
            self.assertEqual(labtool.student_name(root), "")
            labtool.ensure_student(root, "ada@school.edu", out=lambda *_: None)
            self.assertEqual(labtool.student_name(root), "ada@school.edu")
            self.assertEqual(labtool.ensure_student(root, None, out=lambda *_: None),
                             "ada@school.edu")
            labtool.ensure_student(root, "alan@school.edu", out=lambda *_: None)
            self.assertEqual(labtool.student_name(root), "alan@school.edu")


class Handout(unittest.TestCase):
    """What `make handout` leaves out, and what a hand-in may bring in (tools/lab/course.py);
    tests/labs/test_course.py (`make test-course`) does the whole round on real boots."""

    def test_a_handout_lab_description_keeps_the_checks_and_drops_the_answers(self):
        import ast
        import course
        for n in labtool.lab_numbers(ROOT):
            path = os.path.join(ROOT, "tests", "labs", f"{n:02d}", "lab.py")
            with open(path) as f:
                full = f.read()
            text = course.strip_lab_description(full)
            names = {x.id for x in ast.walk(ast.parse(text)) if isinstance(x, ast.Name)}
            self.assertNotIn("WRONG", names, f"lab {n}")
            self.assertNotIn("Derive", names, f"lab {n}")
            self.assertNotIn("Wrong(", text, f"lab {n}")
            lab = self.load(text, n)
            ref = labtool.load_lab(ROOT, n)
            self.assertEqual([(q.qid, q.kind) for q in lab.QUESTIONS],
                             [(q.qid, q.kind) for q in ref.QUESTIONS], f"lab {n}")
            self.assertTrue(all(q.derive is None or not labkit.derivable(q)
                                for q in lab.QUESTIONS), f"lab {n}")
            import grade
            self.assertEqual(sorted(f.__name__ for f in grade.kernel_checks(lab)),
                             sorted(f.__name__ for f in grade.kernel_checks(ref)), f"lab {n}")

    def load(self, text, n):
        import importlib.util
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write(text)
        try:
            spec = importlib.util.spec_from_file_location(f"handout_lab{n}", f.name)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        finally:
            os.unlink(f.name)

    def test_the_leak_check_finds_a_reference_body(self):
        import course
        originals = course.originals_of(ROOT)
        (path, function), src = next(iter(sorted(originals.items())))
        with tempfile.TemporaryDirectory() as dest:
            with open(os.path.join(dest, "notes.md"), "w") as f:
                f.write("my notes\n\n" + src.replace("\t", "    ") + "\n")
            found = course.leaks(originals, {}, dest)
        self.assertTrue(any(f == "notes.md" and function in what for f, what in found), found)

    def test_a_hand_in_brings_in_only_the_lab_functions(self):
        import course
        lab = labtool.load_lab(ROOT, 5)
        t = lab.TARGETS[0]
        with tempfile.TemporaryDirectory() as tree:
            os.makedirs(os.path.join(tree, os.path.dirname(t.path)))
            with open(os.path.join(ROOT, t.path)) as f:
                original = f.read()
            with open(os.path.join(tree, t.path), "w") as f:
                f.write(original)
            src = cfunc.find_function(original, t.function).source(original)
            handin = {"student": "eve@school.edu", "labs": {"5": {"answers": "q1 = 3\n",
                      "functions": [{"path": t.path, "function": t.function, "source":
                                     "int evil(void) { return 1; }\n" + src}]}}}
            problems = course.apply_handin_lab(ROOT, tree, handin, 5)
            with open(os.path.join(tree, t.path)) as f:
                after = f.read()
            self.assertTrue(any("outside the function" in p for p in problems), problems)
            self.assertNotIn("evil", after)
            self.assertEqual(labtool.student_name(tree), "eve@school.edu")
            with open(os.path.join(tree, lab.LAB.answers)) as f:
                self.assertEqual(f.read(), "q1 = 3\n")


class HandIns(unittest.TestCase):
    """What tools/grade-class takes from a hand-in, and the copy rule, without a boot."""

    def handin(self, **kw):
        h = {"format": "pagelab-handin-1", "student": "ada@school.edu", "commit": "", "time": "",
             "diff": "", "labs": {"5": {"answers": "", "functions": []}}}
        h.update(kw)
        return h

    def load(self, h):
        import course
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(h, f)
        try:
            return course.load_handin(f.name, ROOT)
        finally:
            os.unlink(f.name)

    def test_a_malformed_hand_in_is_refused_with_a_reason(self):
        import course
        self.assertEqual(self.load(self.handin())["student"], "ada@school.edu")
        for bad in (self.handin(student="ada@school.edu\nstudent = bob"),
                    self.handin(student=""), self.handin(labs={"99": {}}),
                    self.handin(labs={"5": {"functions": 5}}),
                    self.handin(labs={"5": {"answers": ["q1"]}}), self.handin(diff=3),
                    self.handin(format="other")):
            with self.assertRaises(course.CourseError, msg=repr(bad)):
                self.load(bad)

    def test_only_the_copier_loses_the_copied_answers(self):
        import course
        lab = labtool.load_lab(ROOT, 5)
        numbers = [q.qid for q in lab.QUESTIONS if q.kind != "text"]
        text = "".join(f"{q} = {i + 1}\n" for i, q in enumerate(numbers))

        def entry(who, machine, right):
            checks = [{"kind": "answer", "name": q, "points": 1, "ok": q in right, "detail": ""}
                      for q in numbers]
            return {"student": who, "lab": 5, "handin": who, "machine": machine,
                    "total": 10, "score": len(right), "checks": checks, "problems": []}
        ada = entry("ada", "m1", numbers[:-1])        # her last answer is wrong
        eve = entry("eve", "m2", [numbers[0]])         # right on her machine by chance
        handins = {(e["student"], 5, e["student"]): self.handin(
            student=e["student"], labs={"5": {"answers": text, "functions": []}})
            for e in (ada, eve)}
        course.withhold_copied_answers(ROOT, [ada, eve], handins)
        self.assertEqual(ada["score"], len(numbers) - 1)
        self.assertFalse(ada["problems"])
        self.assertEqual(eve["score"], 0)
        self.assertIn("identical to ada's", eve["problems"][0])


class NoStudentNamed(unittest.TestCase):
    """With no student in docs/labs/answers/student.txt there is no machine of their own:
    what needs it fails with a message that says what to do, and nothing boots."""

    def lab(self):
        import types

        @labkit.kernel_check(labkit.MINE)
        def on_my_machine(m):
            """a check on the student's machine"""
            raise AssertionError("booted a machine with no student named")

        q = labkit.Question("q1", "number", labkit.Derive(labkit.MINE, "meminfo", r"(\d+)"))
        return types.SimpleNamespace(LAB=labkit.Lab(5, "t", doc="d", answers="a"),
                                     QUESTIONS=[q], on_my_machine=on_my_machine)

    def test_kernel_checks_on_my_machine_say_who_is_missing(self):
        import grade
        derived = {}
        results = grade.run_kernel_checks(self.lab(), ROOT, "build", grade.Printer(quiet=True),
                                          False, mine=None, derived=derived)
        self.assertEqual([(r.ok, r.detail) for r in results],
                         [(False, "no student named in docs/labs/answers/student.txt")])
        self.assertEqual(derived, {})

    def test_answers_say_how_to_name_the_student(self):
        import grade
        results = grade.check_answers(self.lab(), ROOT, grade.Printer(quiet=True),
                                      given={"q1": "42"}, derived={}, no_student=True)
        self.assertFalse(results[0].ok)
        self.assertIn("make lab-start 5 STUDENT=you@school.edu", results[0].detail)


class StubQuotes(unittest.TestCase):
    """A page's ", stubs" blocks are the ones lab-verify replays with the stubs in, and a
    replay that does not match fails."""
    PAGE = ("<!-- lab-check: bios q35 512M, stubs -->\n```\npagelab> buddyinfo\nstub line\n```\n"
            "<!-- lab-check: bios q35 512M -->\n```\npagelab> buddyinfo\nfinished line\n```\n")

    def found(self, stubs):
        import labdocs
        with tempfile.TemporaryDirectory() as root:
            with open(os.path.join(root, "p.md"), "w") as f:
                f.write(self.PAGE)
            return labdocs.blocks(stubs=stubs, root=root, docs=["p.md"])

    def test_the_marker_picks_the_state(self):
        self.assertEqual(self.found(True),
                         {"bios q35 512M": [("p.md", 1, "pagelab> buddyinfo\nstub line\n")]})
        self.assertEqual(self.found(False)["bios q35 512M"][0][2],
                         "pagelab> buddyinfo\nfinished line\n")

    def test_a_quote_the_stubs_do_not_print_fails(self):
        import labdocs
        from machine import TestFailure

        class Shell:
            def text(self):
                return ""

            def run(self, command):
                return "finished line\n"

        with self.assertRaises(TestFailure):
            labdocs.replay_boot(Shell(), self.found(True)["bios q35 512M"])
        labdocs.replay_boot(Shell(), self.found(False)["bios q35 512M"])


class HostRuns(unittest.TestCase):
    """The grader's runs of a lab's host checks: one Criterion run for them all, a test the
    suite's time limit stopped run again alone, and lab-verify's fail-fast runs that leave
    the challenge out.  A small Criterion binary stands in for a lab's host.c."""
    SOURCE = r"""
#include <criterion/criterion.h>
TestSuite(t, .timeout = 1);
Test(t, passes) { cr_assert(1); }
Test(t, fails) { cr_assert_eq(1, 2, "one is not two"); }
Test(t, never_ends) { for (volatile int i = 0; ; i++) ; }
Test(t, challenge_fails) { cr_assert(0); }
"""

    @classmethod
    def setUpClass(cls):
        import grade
        cls.grade = grade
        cls.tmp = tempfile.TemporaryDirectory()
        cls.source = os.path.join(cls.tmp.name, "host.c")
        cls.binary = os.path.join(cls.tmp.name, "host")
        with open(cls.source, "w") as f:
            f.write(cls.SOURCE)
        import subprocess
        subprocess.run(["gcc", "-o", cls.binary, cls.source, "-lcriterion"], check=True)
        cls.tests = grade.host_tests_in_order(cls.source)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_check_is_graded_and_one_that_never_ends_fails_alone(self):
        runs, _ = self.grade.run_host_tests(self.binary, self.tmp.name, self.tests)
        by_name = {t[1]: run for t, run in zip(self.tests, runs)}
        self.assertEqual(by_name["passes"][0]["status"], "PASSED")
        self.assertIsNone(by_name["passes"][2], "graded in the shared run: no time of its own")
        self.assertEqual(by_name["fails"][0]["status"], "FAILED")
        self.assertEqual(by_name["never_ends"][0]["messages"], ["The test timed out."])
        self.assertIsNotNone(by_name["never_ends"][2], "run again alone, so timed alone")
        self.assertEqual(by_name["challenge_fails"][0]["status"], "FAILED")

    def test_without_retries_a_check_that_never_ends_fails_in_the_shared_run(self):
        runs, _ = self.grade.run_host_tests(self.binary, self.tmp.name, self.tests,
                                            retry_timeouts=False)
        by_name = {t[1]: run for t, run in zip(self.tests, runs)}
        self.assertEqual(by_name["never_ends"][0]["messages"], ["The test timed out."])
        self.assertIsNone(by_name["never_ends"][2], "not run again alone")
        self.assertEqual(by_name["passes"][0]["status"], "PASSED")

    def test_fail_fast_leaves_the_challenge_unrun(self):
        runs, _ = self.grade.run_host_tests(self.binary, self.tmp.name, self.tests,
                                            fail_fast=True)
        by_name = {t[1]: run for t, run in zip(self.tests, runs)}
        self.assertEqual(by_name["challenge_fails"], (None, None, None))
        self.assertTrue(any(r[0] and r[0]["status"] == "FAILED" for r in runs))


if __name__ == "__main__":
    unittest.main()
