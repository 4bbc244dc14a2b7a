"""The template workbook: generated from the catalog, dropdowns, frozen headers, marked example rows,
text that never turns into a formula, readable by LibreOffice and by our own ingest."""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText

from metrics.model import Dataset, conform
from metrics.template import (EXAMPLE_MARK, EXAMPLE_NOTE, OPTIONS_SHEET, TABLE_SHEETS, build_template,
                              is_example_row)
from metrics.workbook_spec import headers, sheet_name, workbook_sheets
from metrics.xlsx_safe import safe_cell_text

FORMULA_LIKE = ["=1+1", "+8613800000000", "-5", "@SUM(A1:A2)", "\tindented", "=HYPERLINK(\"http://x\",\"y\")"]


@pytest.fixture(scope="module")
def blank() -> bytes:
    return build_template()


@pytest.fixture(scope="module")
def blank_wb(blank):
    return load_workbook(io.BytesIO(blank))


def _options(wb) -> dict[str, list[str]]:
    ws = wb[OPTIONS_SHEET]
    out = {}
    for col in ws.iter_cols(values_only=True):
        out[str(col[0])] = [v for v in col[1:] if v is not None]
    return out


def _validation_lists(ws) -> dict[str, list[str]]:
    """Column letter of each validated range -> the option values it points to."""
    wb = ws.parent
    out = {}
    for dv in ws.data_validations.dataValidation:
        sheet, rng = dv.formula1.rsplit("!", 1)
        values = [c.value for row in wb[sheet.strip("'")][rng.replace("$", "")] for c in row]
        for cells in dv.sqref.ranges:
            out[cells.coord.rstrip("0123456789").split(":")[0].rstrip("0123456789")] = values
    return out


def test_sheets_are_the_workbook_definition_plus_hidden_options(blank_wb):
    expected = [s["name_zh"] for s in workbook_sheets()] + [OPTIONS_SHEET]
    assert blank_wb.sheetnames == expected
    assert blank_wb[OPTIONS_SHEET].sheet_state == "hidden"
    assert blank_wb.active.title == sheet_name("guide")


@pytest.mark.parametrize("key", TABLE_SHEETS)
def test_table_sheet_has_the_defined_headers_bold_and_frozen(blank_wb, key):
    ws = blank_wb[sheet_name(key)]
    assert [c.value for c in ws[1]] == headers(key)
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"


def test_info_sheet_has_labels_in_column_a(blank_wb):
    ws = blank_wb[sheet_name("info")]
    assert [ws.cell(row=i + 1, column=1).value for i in range(len(headers("info")))] == headers("info")


@pytest.mark.parametrize("key", TABLE_SHEETS)
def test_example_row_is_marked_in_first_cell_and_note(blank_wb, key):
    row = [c.value for c in blank_wb[sheet_name(key)][2]]
    assert row[0] == EXAMPLE_MARK
    assert row[-1] == EXAMPLE_NOTE
    assert is_example_row(row)


@pytest.mark.parametrize("row, expected", [
    (["示例", "前沿关键核心技术"], True),
    ([" 示例 ", None], True),
    ([None, "x", EXAMPLE_NOTE], True),
    (["广东省", "示例性应用场景"], False),
    (["广东省", "前沿关键核心技术", "某技术"], False),
    ([], False),
])
def test_is_example_row_rule(row, expected):
    assert is_example_row(row) is expected


@pytest.mark.parametrize("sheet, column, dimension", [
    ("items", "B", "item_metric"), ("items", "E", "direction"), ("items", "F", "flagship"),
    ("items", "H", "status"), ("items", "A", "province"), ("totals", "B", "total_metric"),
    ("goals", "C", "level"), ("tasks", "C", "level"), ("goals", "B", "goal"), ("tasks", "B", "task"),
])
def test_dropdowns_offer_the_catalog_values(blank_wb, catalog, sheet, column, dimension):
    lists = _validation_lists(blank_wb[sheet_name(sheet)])
    expected = {
        "item_metric": [m.name_zh for m in catalog.all_metrics if m.kind == "count"],
        "total_metric": [m.name_zh for m in catalog.all_metrics if m.kind != "qualitative"],
        "direction": [d.name_zh for d in catalog.directions],
        "flagship": [f.name_zh for f in catalog.flagship],
        "status": [s.name_zh for s in catalog.statuses],
        "level": [lv.name_zh for lv in catalog.levels],
        "province": [r.name for r in catalog.regions],
        "goal": [m.name_zh for m in catalog.qualitative_metrics],
        "task": [f"{tk.number}.{tk.name_zh}" for tk in catalog.tasks],
    }[dimension]
    assert lists[column] == expected


def test_every_countable_metric_direction_and_flagship_is_offered(blank_wb, catalog):
    offered = {v for values in _options(blank_wb).values() for v in values}
    assert {m.name_zh for m in catalog.countable_metrics} <= offered
    assert {d.name_zh for d in catalog.directions} <= offered
    assert {f.name_zh for f in catalog.flagship} <= offered


def test_goals_and_tasks_are_listed(blank_wb, catalog):
    goals = [r[1] for r in blank_wb[sheet_name("goals")].iter_rows(min_row=3, values_only=True)]
    tasks = [r[1] for r in blank_wb[sheet_name("tasks")].iter_rows(min_row=3, values_only=True)]
    assert goals == [m.name_zh for m in catalog.qualitative_metrics]
    assert len(goals) == 12
    assert tasks == [f"{tk.number}.{tk.name_zh}" for tk in catalog.tasks]
    assert len(tasks) == 16


def test_columns_are_wide_enough_for_their_header(blank_wb):
    ws = blank_wb[sheet_name("items")]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert all(w >= 10 for w in widths.values())
    assert widths["标志性产品类别"] > widths["状态"]


def test_guide_lists_every_sheet_and_allowed_values(blank_wb, catalog):
    text = "\n".join(str(v) for row in blank_wb[sheet_name("guide")].iter_rows(values_only=True) for v in row if v)
    for s in workbook_sheets():
        assert s["name_zh"] in text
    assert all(d.name_zh in text for d in catalog.directions)
    assert EXAMPLE_MARK in text


@pytest.mark.parametrize("name", ["广东省", "广东", "Guangdong"])
def test_province_is_filled_in_canonically(name):
    wb = load_workbook(io.BytesIO(build_template(name)))
    assert wb[sheet_name("info")]["B1"].value == "广东省"


def test_unknown_province_is_refused():
    with pytest.raises(ValueError, match="火星"):
        build_template("火星")


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_safe_cell_text_keeps_formula_like_text_as_text(text):
    assert isinstance(safe_cell_text(text), CellRichText)
    assert str(safe_cell_text(text)) == text


@pytest.mark.parametrize("value, expected", [
    ("普通文本", "普通文本"), (12, 12), (None, None), (dt.date(2025, 1, 2), dt.date(2025, 1, 2)),
    ("a\x00b\x07c", "abc"), ("x" * 40000, "x" * 32767),
])
def test_safe_cell_text_passes_plain_values_and_drops_forbidden_characters(value, expected):
    assert safe_cell_text(value) == expected


def _dataset(province: str = "江苏省", names: list[str] | None = None) -> Dataset:
    names = names or ["量子计算原型机", "脑机接口芯片"]
    items = pd.DataFrame({
        "province": province, "metric": ["tech", "product"] * (len(names) // 2) + ["tech"] * (len(names) % 2),
        "name": names, "code": "", "direction": "information", "flagship": "quantum_computer",
        "lead_unit": "某科技有限公司", "status": "achieved",
        "date": [pd.Timestamp(2025, 3, 15)] * len(names), "date_precision": "day", "evidence": "", "note": "",
        "key": names})
    targets = pd.DataFrame({"province": [province], "metric": ["industry_scale"], "name_zh": ["产业规模"],
                            "unit": ["亿元"], "kind": ["value"], "value": [1000.0], "qualifier": ["eq"],
                            "text": ["1000亿元"], "deadline": [pd.Timestamp(2026, 12, 31)], "note": [""]})
    totals = pd.DataFrame({"province": [province], "metric": ["industry_scale"], "as_of": [pd.Timestamp(2025, 12, 31)],
                           "value": [321.5], "note": [""]})
    assessments = pd.DataFrame({"province": [province], "goal": ["q2025_model"], "level": ["basically"],
                                "evidence": ["已出台方案"]})
    tasks = pd.DataFrame({"province": [province], "task": [3], "level": ["achieved"], "evidence": ["建成中试平台"]})
    return Dataset(items=conform(items, "items"), totals=conform(totals, "totals"),
                   targets=conform(targets, "targets"), assessments=conform(assessments, "assessments"),
                   tasks=conform(tasks, "tasks"), sources=[{"label": "x", "province": province}])


def test_prefill_writes_a_provinces_rows_in_the_words_of_the_template():
    wb = load_workbook(io.BytesIO(build_template(prefill=_dataset())))
    assert wb[sheet_name("info")]["B1"].value == "江苏省"
    items = list(wb[sheet_name("items")].iter_rows(min_row=3, values_only=True))
    assert [r[2] for r in items] == ["量子计算原型机", "脑机接口芯片"]
    assert items[0][1] == "前沿关键核心技术" and items[0][4] == "未来信息" and items[0][5] == "量子计算机"
    assert items[0][7] == "已完成" and items[0][8] == dt.datetime(2025, 3, 15)
    targets = list(wb[sheet_name("targets")].iter_rows(min_row=3, values_only=True))
    assert targets[0][1:5] == ("未来产业规模", "1000亿元", "亿元", dt.datetime(2026, 12, 31))
    goals = {r[1]: r[2] for r in wb[sheet_name("goals")].iter_rows(min_row=3, values_only=True)}
    assert goals["初步形成符合我国实际的未来产业发展模式"] == "基本实现"
    tasks = {r[1]: r[2] for r in wb[sheet_name("tasks")].iter_rows(min_row=3, values_only=True)}
    assert tasks["3.促进成果转化"] == "已实现"


def test_formula_like_text_in_prefill_is_written_as_text():
    content = build_template(prefill=_dataset(names=FORMULA_LIKE))
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(io.BytesIO(content))[sheet_name("items")]
    cells = [row[2] for row in ws.iter_rows(min_row=3)]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert {c.data_type for c in cells} == {"s"}


def test_libreoffice_opens_and_converts_the_template(tmp_path, blank):
    src = tmp_path / "template.xlsx"
    src.write_bytes(blank)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                           "--outdir", str(tmp_path / "out"), str(src)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    items_csv = next((tmp_path / "out").glob(f"*{sheet_name('items')}*.csv"))
    lines = items_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == headers("items")
    assert lines[1].startswith(EXAMPLE_MARK)


def test_cli_writes_the_template(tmp_path):
    out = tmp_path / "sub" / "t.xlsx"
    done = subprocess.run([sys.executable, "-m", "metrics", "template", "--out", str(out), "--province", "浙江"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert load_workbook(out)[sheet_name("info")]["B1"].value == "浙江省"


def test_cli_refuses_an_unknown_province_with_exit_2(tmp_path):
    out = tmp_path / "t.xlsx"
    done = subprocess.run([sys.executable, "-m", "metrics", "template", "--out", str(out), "--province", "火星"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 2
    assert "火星" in done.stderr and "Unknown province" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


# ---- round trips through ingest ----------------------------------------------------------------------
def test_blank_template_reads_with_no_errors_and_no_rows(blank):
    from metrics.ingest import read_file

    # A blank template names no province: the uploader does.
    result = read_file(blank, "template.xlsx", province="广东省")
    assert result.readable
    # Nothing is wrong with any row (example and pre-listed rows count as blank); the file as a
    # whole holds no filled row, which ingest reports once as no_rows.
    assert [(p.code, p.sheet, p.row) for p in result.errors] == [("no_rows", None, None)]
    assert all(p.row is None for p in result.errors)
    assert result.row_counts.valid == 0 and result.row_counts.invalid == 0
    assert result.sheets[sheet_name("tasks")].blank == 17


def test_filled_template_round_trips_through_ingest():
    from metrics.ingest import read_file

    names = ["量子计算原型机", "脑机接口芯片", "=1+1 不是公式", "6G 通信样机"]
    data = _dataset(names=names)
    result = read_file(build_template(prefill=data), "jiangsu.xlsx")
    assert result.errors == []
    assert result.province == "江苏省"
    assert list(result.items["name"]) == names
    assert list(result.items["metric"]) == list(data.items["metric"])
    assert list(result.items["flagship"]) == ["quantum_computer"] * len(names)
    assert list(result.items["date"]) == [pd.Timestamp(2025, 3, 15)] * len(names)
    assert list(result.totals["value"]) == [321.5]
    assert list(result.targets["value"]) == [1000.0]
    assert list(result.targets["deadline"]) == [pd.Timestamp(2026, 12, 31)]
    assert dict(zip(result.assessments["goal"], result.assessments["level"])) == {"q2025_model": "basically"}
    assert dict(zip(result.tasks["task"], result.tasks["level"])) == {3: "achieved"}
