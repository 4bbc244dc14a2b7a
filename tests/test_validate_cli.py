"""``python -m metrics validate``: the JSON shape of issue 3, a readable report, exit status 0/1/2."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ingest_files import item_row, register


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "metrics", "validate", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(register(item_row(名称="甲", 完成日期="2025-03-15"), item_row(名称="乙", 状态="计划中", 完成日期="")))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(register(item_row(名称="甲"), item_row(名称="乙", 指标="火箭")))
    pdf = tmp_path / "scan.xlsx"
    pdf.write_bytes(b"%PDF-1.4 not a workbook")
    return {"good": good, "bad": bad, "pdf": pdf}


@pytest.mark.parametrize("name, status", [("good", 0), ("bad", 1), ("pdf", 2)])
def test_json_shape_and_exit_status(files, name, status):
    proc = run(str(files[name]), "--json")
    assert proc.returncode == status, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == ["file", "readable", "province", "as_of", "items", "rows", "errors", "item_rows",
                          "as_of_missing", "shape_signature", "mapping_profile", "unmapped_columns"]
    assert data["items"] == len(data["item_rows"]) == {"good": 2, "bad": 1, "pdf": 0}[name]
    assert data["readable"] is (name != "pdf")
    assert set(data["rows"]) == {"total", "valid", "invalid", "blank", "skipped"}
    for e in data["errors"]:
        assert set(e) == {"sheet", "row", "column", "header", "value", "code", "severity", "message"}


def test_items_are_records_with_iso_dates(files):
    data = json.loads(run(str(files["good"]), "--json").stdout)
    assert [i["name"] for i in data["item_rows"]] == ["甲", "乙"]
    assert data["item_rows"][0]["date"] == "2025-03-15" and data["item_rows"][1]["date"] is None
    assert data["rows"] == {"total": 2, "valid": 2, "invalid": 0, "blank": 0, "skipped": 0}
    assert data["province"] == "广东省"


def test_bad_rows_are_located_in_the_json(files):
    data = json.loads(run(str(files["bad"]), "--json").stdout)
    assert [(e["code"], e["row"], e["column"], e["value"]) for e in data["errors"]] == [("unknown_metric", 3, "B", "火箭")]


def test_readable_report_names_rows_and_fixes(files):
    proc = run(str(files["bad"]))
    assert proc.returncode == 1
    assert "校验报告" in proc.stdout and "unknown_metric" in proc.stdout and "火箭" in proc.stdout
    en = run(str(files["bad"]), "--lang", "en")
    assert "Validation report" in en.stdout and "not recognised" in en.stdout


def test_province_option_supplies_a_missing_province(tmp_path):
    path = tmp_path / "noprov.csv"
    path.write_text("指标,名称,完成日期\n标准,某标准,2025-03-15\n", encoding="utf-8")
    assert run(str(path)).returncode == 1
    data = json.loads(run(str(path), "--province", "江苏", "--json").stdout)
    assert data["province"] == "江苏省" and data["item_rows"][0]["province"] == "江苏省"


def test_missing_file_is_a_clean_exit_2(tmp_path):
    proc = run(str(tmp_path / "nope.xlsx"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def _unnamed_headers(tmp_path):
    from ingest_files import xlsx

    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx({"领军企业": [["湖南省领军企业名单（截至2025年6月30日）"], ["企业全称", "认定时间", "所属地市"],
                                        ["甲公司", "2025-03-01", "长沙"], ["乙公司", "2025-04-01", "株洲"]]}))
    return path


def test_a_mapping_file_reads_columns_the_headers_do_not_name(tmp_path):
    """Issue 12 point 2: the profile exported from the upload page works from the CLI too."""
    from metrics.mapping import Mapping, to_yaml

    path = _unnamed_headers(tmp_path)
    before = json.loads(run(str(path), "--json").stdout)
    assert (before["items"], before["mapping_profile"]) == (0, None)
    assert [c["header"] for c in before["unmapped_columns"]] == ["企业全称", "认定时间", "所属地市"]
    mapping = tmp_path / "profile.yaml"
    mapping.write_text(to_yaml(Mapping("湖南领军企业", {"领军企业": {"_kind": "items", "企业全称": "name",
                                                                  "所属地市": "ignore"}}, "湖南省",
                                       before["shape_signature"])), encoding="utf-8")
    proc = run(str(path), "--json", "--mapping", str(mapping))
    data = json.loads(proc.stdout)
    assert proc.returncode == 0, data["errors"]
    assert (data["items"], data["province"], data["as_of"], data["mapping_profile"]) == \
        (2, "湖南省", "2025-06-30", "湖南领军企业")
    assert [r["name"] for r in data["item_rows"]] == ["甲公司", "乙公司"]
    assert data["unmapped_columns"] == [] and data["shape_signature"] == before["shape_signature"]
    assert "mapping_applied" in [e["code"] for e in data["errors"]]


def test_import_takes_the_mapping_file_and_a_bad_one_is_a_clean_exit_2(tmp_path, capsys):
    from metrics.cli import main

    path = _unnamed_headers(tmp_path)
    mapping = tmp_path / "profile.yaml"
    mapping.write_text("profile: p\nsheets:\n  领军企业:\n    columns: {企业全称: name}\n", encoding="utf-8")
    code = main(["import", str(path), "--mapping", str(mapping), "--db", f"sqlite:///{tmp_path / 's.sqlite'}", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert (code, out["stored"], out["items"], out["mapping_profile"]) == (0, True, 2, "p")
    mapping.write_text("just text\n", encoding="utf-8")
    proc = run(str(path), "--mapping", str(mapping))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "映射文件" in proc.stderr and "sheets" in proc.stderr
