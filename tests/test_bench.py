"""The benchmark suite still runs: ``python -m bench`` at a tiny scale prints a row with a ratio per case.

Only that the suite works is checked here; its timings are figures for the README, never asserted.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# One row name of each case (bench/case_*.py) and the figure its budget is judged on.
CASE_ROWS = [("ingest", "ingest_vs_calamine"), ("progress", "progress_all_scopes"),
             ("store", "store_import_vs_ingest"), ("report", "report national xlsx")]


@pytest.fixture(scope="module")
def suite_run(tmp_path_factory) -> tuple[str, dict]:
    """Stdout and JSON of one tiny run (31 regions × 10 items, one timed repeat)."""
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "bench", "--scales", "0.05", "--cases",
                           ",".join(c for c, _ in CASE_ROWS), "--repeat", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "BENCH_DATA_DIR": str(folder / "data")})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case, row", CASE_ROWS)
def test_each_case_prints_a_row_with_a_ratio_to_its_baseline(suite_run, case, row):
    stdout, report = suite_run
    lines = [line for line in stdout.splitlines() if line.startswith(row) and "31x10 (0.05x)" in line]
    assert lines, stdout
    found = [r for r in report["rows"] if r["case"] == row]
    assert found and found[0]["ratio"] is not None and found[0]["ratio"] > 0
    assert found[0]["peak_mb"] > 0  # the child's peak resident memory was read


def test_the_run_names_the_machine_and_the_budget_verdicts(suite_run):
    stdout, report = suite_run
    assert report["machine"]["cpus"] >= 1 and report["machine"]["memory_gb"] > 0
    assert "Budgets judged" in stdout
    verdicts = {v for r in report["rows"] for _, v in r["verdicts"]}
    assert verdicts <= {"PASS", "OVER", "–", "n/a"} and verdicts
