"""`sfnsim test --junit FILE` read by junitparser, a JUnit-XML reader from PyPI, as CI systems read
the report: the suites and cases, which failed, and why.

Run by `make test-endpoint`: SFNSIM_BIN names the sfnsim binary; run from the repository's root.
"""

import os
import subprocess
import tempfile
import unittest

from junitparser import Error, Failure, JUnitXml

BIN = os.environ.get("SFNSIM_BIN", "target/debug/sfnsim")
LEAD = "tests/ci/lead-generation"


class JUnitReport(unittest.TestCase):
    def report(self, *paths):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "junit.xml")
            done = subprocess.run([BIN, "test", *paths, "--junit", path], capture_output=True, text=True)
            return done, JUnitXml.fromfile(path)

    def test_failing_cases_are_failures_with_the_why(self):
        done, xml = self.report(f"{LEAD}/failing.test.yaml", f"{LEAD}/lead-generation.test.json")
        self.assertEqual(done.returncode, 1, done.stdout)
        self.assertEqual(done.stdout.splitlines()[-1], "5 passed, 3 failed")
        suites = {s.name: s for s in xml}
        self.assertEqual(sorted(suites), [f"{LEAD}/failing.test.yaml", f"{LEAD}/lead-generation.test.json"])
        failing = suites[f"{LEAD}/failing.test.yaml"]
        self.assertEqual((failing.tests, failing.failures, failing.errors), (4, 3, 0))
        verdicts = {}
        for case in failing:
            self.assertEqual(case.classname, f"{LEAD}/failing.test.yaml")
            results = case.result
            verdicts[case.name] = [type(r).__name__ for r in results]
            for r in results:
                self.assertIsInstance(r, Failure)
                self.assertEqual(r.type, "CheckFailed")
        self.assertEqual(
            verdicts,
            {"HappyPathTest": ["Failure"], "RetryOnServiceExceptionTest": ["Failure"], "NegativeSentimentTest": [], "NoMocksTest": ["Failure"]},
        )
        retry = next(c for c in failing if c.name == "RetryOnServiceExceptionTest")
        self.assertIn("exactly 2 TaskFailed events: the history has 3 TaskFailed events", retry.result[0].message)
        passing = suites[f"{LEAD}/lead-generation.test.json"]
        self.assertEqual((passing.tests, passing.failures, passing.errors), (4, 0, 0))
        self.assertTrue(all(c.is_passed for c in passing))

    def test_a_broken_test_file_is_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "bad.test.json")
            with open(bad, "w") as f:
                f.write('{"definition": "nowhere.asl.json", "testCases": {"A": {}}}')
            done, xml = self.report(bad)
        self.assertEqual(done.returncode, 1)
        (suite,) = list(xml)
        (case,) = list(suite)
        self.assertEqual(suite.errors, 1)
        self.assertIsInstance(case.result[0], Error)
        self.assertIn("nowhere.asl.json", case.result[0].message)

    def test_the_examples_pass(self):
        done, xml = self.report("www/examples")
        self.assertEqual(done.returncode, 0, done.stdout)
        cases = [c for s in xml for c in s]
        self.assertGreaterEqual(len(cases), 10)
        self.assertTrue(all(c.is_passed for c in cases))


if __name__ == "__main__":
    unittest.main(verbosity=2)
