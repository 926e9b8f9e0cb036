"""Unit tests of bench/report.py over the small recorded runs in bench/testdata.

The expected tables there (*.md, record.json) were printed by the code before it moved into
report.py, so a change of a figure or of the format shows here. Run: python3 -m unittest discover -s bench
"""

import contextlib
import io
import json
import os
import unittest

import report

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")


def data(name):
    return os.path.join(DATA, name)


def expected(name):
    with open(data(name), encoding="utf-8") as file:
        return file.read()


class SmallReadersTest(unittest.TestCase):
    def test_get_reads_nested_values_booleans_and_absent_keys(self):
        self.assertEqual(report.get(data("result.json"), "steps.cached"), "9")
        self.assertEqual(report.get(data("result.json"), "fingerprint.reused"), "false")
        self.assertEqual(report.get(data("result.json"), "output"), "registry")
        self.assertEqual(report.get(data("result.json"), "pushed.digest"), "")

    def test_build_args_are_the_values_of_every_build_arg(self):
        self.assertEqual(report.build_args(data("result.json")),
                         "BASE_IMAGE=127.0.0.1:5501/base:1\nSOURCE_DATE_EPOCH=1764892800")

    def test_base_facts_name_the_compressed_layer_sizes(self):
        with open(data("manifest.json")) as file:
            manifest = json.load(file)
        self.assertEqual(report.base_facts(manifest, "127.0.0.1:5501/jre:17"),
                         "layers of 31.2 MB, 120.1 MB compressed, on 127.0.0.1:5501/jre:17")


class TablesTest(unittest.TestCase):
    def test_summary_of_scenarios_1_to_6n_per_network(self):
        for network in ("loopback", "link"):
            with self.subTest(network=network):
                self.assertEqual(report.summary(data("runs.tsv"), network) + "\n",
                                 expected(f"summary-{network}.md"))

    def test_summary_names_the_time_scenario_3_spent_saying_why_steps_ran(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as runs:
            runs.write("loopback\t3\t1\texplain\t0.041\t-\t-\t-\t-\t-\n")
            runs.write("loopback\t3\t2\texplain\t0.120\t-\t-\t-\t-\t-\n")
            runs.write("link\t3\t1\texplain\t0.090\t-\t-\t-\t-\t-\n")
        try:
            self.assertIn("median 0.081 s, most 0.120 s over 2 builds; target ≤ 0.10 s, met: NO.",
                          report.summary(runs.name, "loopback"))
            self.assertIn("median 0.090 s, most 0.090 s over 1 builds; target ≤ 0.10 s, met: yes.",
                          report.summary(runs.name, "link"))
        finally:
            os.unlink(runs.name)

    def test_summary_compares_cached_builds_with_the_explanation_on_and_off(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as runs:
            # net, scenario, pair, side, seconds, mvn wall, goal, buildx, cached, total
            runs.write("loopback\t3c\t1\ton\t2.20\t7.0\t2.20\t1.90\t9\t9\n")
            runs.write("loopback\t3c\t1\toff\t2.00\t7.0\t2.00\t1.80\t9\t9\n")
            runs.write("loopback\t3c\t2\toff\t2.10\t7.0\t2.10\t1.85\t9\t9\n")
            runs.write("loopback\t3c\t2\ton\t2.00\t7.0\t2.00\t1.70\t9\t9\n")
        try:
            summary = report.summary(runs.name, "loopback")
            self.assertIn("| 3c | no change, every step CACHED: cacheExplain on vs off | 2 | 2.10 | 2.05 "
                          "| 1.026 | ≤ 1.05 | yes |", summary)
            self.assertIn("median 0.300 s with cacheExplain on, 0.225 s off.", summary)
        finally:
            os.unlink(runs.name)

    def test_ci_table_of_scenario_6(self):
        self.assertEqual(report.ci_table(data("runs6.jsonl")) + "\n", expected("ci-table.md"))

    def test_java_table_of_scenario_7_counts_bytes_on_the_link_only(self):
        for network in ("loopback", "link"):
            with self.subTest(network=network):
                self.assertEqual(report.java_table(data("runs7.jsonl"), network) + "\n",
                                 expected(f"java-table-{network}.md"))


class OneRunTest(unittest.TestCase):
    def test_record_reads_time_stamps_across_midnight_link_bytes_and_the_result(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            report.record("A", "1", "2", "10.482", data("deploy.log"), data("link.json"), data("image.json"),
                          data("result.json"), "-", "false", "1.25")
        self.assertEqual(out.getvalue(), expected("record.json"))
        run = json.loads(out.getvalue())
        self.assertEqual(run["spans"]["layercache:build"], 4.15)
        self.assertEqual(run["logged"], 8.2)
        self.assertEqual(run["up_image_blob"], 4101230)

    def test_log_lines_of_the_last_run(self):
        self.assertEqual(report.ci_run(report.last_run(data("runs6.jsonl"))),
                         "blobs down 61013 B, up 3305919 B")
        self.assertEqual(report.java_run(report.last_run(data("runs7.jsonl"))),
                         "; blobs up 6686248 B (image 955 B), down 48638 B; the change in layer 4 of 5")


if __name__ == "__main__":
    unittest.main()
