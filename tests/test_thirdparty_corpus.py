"""Every third-party spreadsheet in ../shared/corpus/thirdparty gets an answer, never an exception.

The corpus is files other projects wrote for their own tests (calamine, xlrd, POI, SheetJS, …):
not tracker templates, so what matters is that ``read_file`` returns, prints nothing (xlrd
writes warnings to stdout, which would break ``validate --json``), that the answer serialises as
JSON, and that a refusal carries a message. Skipped when the corpus is not checked out.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from metrics.ingest import read_file
from metrics.result_json import result_records

ROOT = Path(__file__).resolve().parents[1]
# ../shared relative to the checkout; a git worktree sits one level deeper (wt/NAME), so look up once more.
_CANDIDATES = [Path(os.environ["THIRDPARTY_CORPUS"])] if os.environ.get("THIRDPARTY_CORPUS") else []
_CANDIDATES += [ROOT.parent / "shared" / "corpus" / "thirdparty", ROOT.parent.parent / "shared" / "corpus" / "thirdparty"]
CORPUS = next((c / "files" for c in _CANDIDATES if (c / "files").is_dir()), ROOT / "missing")
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file()) if CORPUS.is_dir() else []
TODAY = dt.date(2026, 12, 1)


@pytest.mark.skipif(not FILES, reason="third-party corpus not present")
def test_corpus_is_complete() -> None:
    assert len(FILES) == 399


@pytest.mark.skipif(not FILES, reason="third-party corpus not present")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_file_gets_a_json_answer(path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    result = read_file(path, today=TODAY)
    record = json.loads(json.dumps(result_records(result, "en"), default=str))
    out, _ = capfd.readouterr()
    assert out == ""
    assert {"file", "readable", "rows", "errors"} <= set(record)
    assert result.exit_code in (0, 1, 2)
    assert (result.exit_code == 2) == (not record["readable"])
    if not record["readable"]:
        assert record["errors"] and record["errors"][0]["message"].strip()


@pytest.mark.skipif(not FILES, reason="third-party corpus not present")
@pytest.mark.parametrize("name, code, words", [
    ("calamine__tests_issue_594_dos.ods", "damaged_file", ("这个 .ods 文件已损坏", "This .ods file is damaged")),
    ("calamine__tests_pass_protected.ods", "encrypted_ods", ("设置了打开密码", "password-protected (encrypted)")),
    ("poi__test-data_spreadsheet_Simple.xlsb", "damaged_file", ("这个 .xlsb 文件已损坏", "This .xlsb file is damaged")),
    # A fuzzed .xls whose container is broken but whose workbook stream starts with FILEPASS.
    ("poi__test-data_spreadsheet_clusterfuzz-testcase-minimized-POIHSSFFuzzer-4651309315719168.xls", "encrypted_file",
     ("设置了打开密码", "password-protected")),
])
def test_damaged_and_encrypted_files_are_worded_as_such_with_a_fix(name: str, code: str, words: tuple[str, str]) -> None:
    result = read_file(CORPUS / name, today=TODAY)
    (problem,) = result.problems
    assert (result.readable, problem.code) == (False, code)
    assert words[0] in problem.message and words[1] in problem.message_en
    assert ".xlsx" in problem.message and ".xlsx" in problem.message_en or "Protect Workbook" in problem.message_en
