"""Officers' own workbooks: title rows, 填报单位, two-level merged headers, a sheet per category,
合计/注/填表人 rows — read without --province or a mapping (issue 12, point 1)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from metrics.ingest import read_file
from metrics.layout import as_of_in_text, province_in_text

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("text, expected", [
    ("湖南省未来产业发展进展情况表（2025年三季度）", (dt.date(2025, 9, 30), "quarter")),
    ("截至2025年9月30日", (dt.date(2025, 9, 30), "day")),
    ("2025年上半年进展", (dt.date(2025, 6, 30), "half")),
    ("2025年下半年", (dt.date(2025, 12, 31), "half")),
    ("数据截至2025年6月底", (dt.date(2025, 6, 30), "month")),
    ("2025 Q3", (dt.date(2025, 9, 30), "quarter")),
    ("2025年第一季度", (dt.date(2025, 3, 31), "quarter")),
    ("二〇二五年六月", (dt.date(2025, 6, 30), "month")),
    ("进展_2025.6", (dt.date(2025, 6, 30), "month")),
    ("2025/6/30", (dt.date(2025, 6, 30), "day")),
    ("2025年度", (dt.date(2025, 12, 31), "year")),
    ("未来产业进展情况表", None),
])
def test_as_of_in_text(text: str, expected: tuple[dt.date, str] | None) -> None:
    assert as_of_in_text(text) == expected


def _aliases() -> dict[str, str]:
    from metrics.catalog import load_catalog
    return load_catalog()._alias_tables["province"]


@pytest.mark.parametrize("text, expected", [
    ("湖南省未来产业发展进展情况表", "湖南省"),
    ("填报单位：湖南省工业和信息化厅", "湖南省"),
    ("新疆生产建设兵团进展", "新疆生产建设兵团"),
    ("进展情况表", None),
])
def test_province_in_text(text: str, expected: str | None) -> None:
    assert province_in_text(text, _aliases()) == expected


TITLE = "湖南省未来产业发展进展情况表（2025年三季度）"


def _category_sheet(ws, rows: list[list[object]]) -> None:
    """Title, 填报单位, a two-level merged header (认定情况 → 认定类别 / 认定时间), data, 合计, 注, 填表人."""
    ws.append([TITLE])
    ws.merge_cells("A1:F1")
    ws.append(["填报单位：湖南省工业和信息化厅"])
    ws.append(["序号", "单位名称", "统一社会信用代码", "认定情况", None, "完成情况"])
    ws.merge_cells("D3:E3")
    for col in "ABCF":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([None, None, None, "认定类别", "认定时间", None])
    for r in rows:
        ws.append(r)
    ws.append(["合计", len(rows)])
    ws.append(["注：认定时间以公示文件为准。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=6)
    ws.append(["填表人：张三", None, "联系电话：0731-12345678"])
    ws.append(["——————"])


def hunan_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "领军企业"
    _category_sheet(ws, [
        [1, "湖南甲科技有限公司", "91430100MA4L0000X9", "国家级", "2025年3月", "已完成"],
        [2, "湖南乙智能装备有限公司", "", "省级", dt.datetime(2025, 6, 18), "已认定"],
        [3, "湖南丙量子有限公司", "", "国家级", "2024年", "推进中"],
    ])
    ws2 = wb.create_sheet("应用场景")
    _category_sheet(ws2, [
        [1, "长沙智能网联示范场景", "", "第一批", "2025.6", "已完成"],
        [2, "株洲低空物流场景", "", "第二批", "2025年6月底", ""],
    ])
    lists = wb.create_sheet("下拉选项")
    lists.append(["已完成"])
    lists.append(["推进中"])
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_hunan_workbook_read_as_made() -> None:
    result = read_file(hunan_workbook(), filename="进展.xlsx", today=TODAY)
    codes = [p.code for p in result.problems]
    assert result.errors == [], [p.message for p in result.errors]
    assert result.exit_code == 0
    assert result.province == "湖南省"
    assert result.as_of == dt.date(2025, 9, 30)
    assert codes.count("detected_province") == 1 and codes.count("detected_as_of") == 1
    assert codes.count("metric_from_sheet") == 2
    assert codes.count("non_data_row") == 8  # 合计, 注, 填表人, separator on each sheet
    assert "hidden_sheet_ignored" in codes
    assert [(p.sheet, p.message_en) for p in result.problems if p.code == "blank_status_achieved"] == [
        ("应用场景", "Sheet '应用场景': 1 row(s) without a status were taken as achieved.")]
    counts = {k: v.to_dict() for k, v in result.sheets.items()}
    assert counts == {"领军企业": {"total": 7, "valid": 3, "invalid": 0, "blank": 0, "skipped": 4},
                      "应用场景": {"total": 6, "valid": 2, "invalid": 0, "blank": 0, "skipped": 4}}
    items = result.items.set_index("name")
    assert items.loc["湖南甲科技有限公司", "metric"] == "enterprise"
    assert items.loc["长沙智能网联示范场景", "metric"] == "scenario"
    assert items.loc["湖南丙量子有限公司", "status"] == "in_progress"
    assert items.loc["株洲低空物流场景", "status"] == "achieved"  # blank status: achieved
    assert set(items["province"]) == {"湖南省"}


def test_province_sources_that_disagree_are_an_error() -> None:
    result = read_file(hunan_workbook(), filename="广东省进展.xlsx", today=TODAY)
    assert [p.code for p in result.errors] == ["province_conflict"]
    assert result.exit_code == 1


@pytest.mark.parametrize("text, expected", [
    ("2025年6月底", (dt.datetime(2025, 6, 1), "month")),   # month precision: counted at month end
    ("2025年上半年", (dt.datetime(2025, 6, 30), "half")),
    ("2025年下半年", (dt.datetime(2025, 12, 31), "half")),
    ("2025年第三季度", (dt.datetime(2025, 9, 30), "quarter")),
    ("2025年三季度", (dt.datetime(2025, 9, 30), "quarter")),
    ("2025Q3", (dt.datetime(2025, 9, 30), "quarter")),
    ("二〇二五年六月", (dt.datetime(2025, 6, 1), "month")),
    ("二〇二五年十二月", (dt.datetime(2025, 12, 1), "month")),
    ("2025.6", (dt.datetime(2025, 6, 1), "month")),
    ("2025/6/30", (dt.datetime(2025, 6, 30), "day")),
    ("2025年", (dt.datetime(2025, 1, 1), "year")),
    ("2025年第五季度", (None, "")),
])
def test_period_dates(text: str, expected: tuple[dt.datetime | None, str]) -> None:
    from metrics.values import parse_date
    assert parse_date(text) == expected


def test_annotated_copy_survives_merged_cells() -> None:
    """A problem on a covered cell of a merged range is shown on its top-left cell, never a crash."""
    from metrics.annotate import annotate_workbook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成果清单"
    ws.append(["指标", "名称", "状态", "完成日期"])
    ws.append(["技术", "乙", "已完成", None])
    ws.append(["技术", "丙", "不知道", "2025-01-01"])
    ws.merge_cells("B3:C3")  # the status cell C3 is covered by the merged B3:C3
    ws.append(["注：以上为示意。"])
    ws.merge_cells("A4:D4")
    out = io.BytesIO()
    wb.save(out)
    content = out.getvalue()
    result = read_file(content, filename="x.xlsx", province="广东", today=TODAY)
    # no as-of date anywhere: the undated achieved row cannot be counted from it, so it is an error
    assert [(p.code, p.row, p.column) for p in result.errors] == [("missing_value", 2, "D"), ("unknown_status", 3, "C")]
    book = openpyxl.load_workbook(io.BytesIO(annotate_workbook(content, "x.xlsx", result)))
    sheet = book["成果清单"]
    status_problem = next(p for p in result.errors if p.code == "unknown_status")
    assert sheet["B3"].comment.text == status_problem.message  # the message, without its code
    assert sheet["A4"].comment is None  # the skipped 注 row is a note, not a problem to mark


@pytest.mark.parametrize("title, as_of, codes, valid", [
    ("截至2025年9月30日", dt.date(2025, 9, 30), ["achieved_without_date"], 1),
    ("进展情况表", None, ["missing_value"], 0),
])
def test_achieved_without_date_counts_from_the_as_of_date(title, as_of, codes, valid) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成果清单"
    ws.append([title])
    ws.append(["指标", "名称", "状态", "完成日期"])
    ws.append(["技术", "乙", "已完成", None])
    out = io.BytesIO()
    wb.save(out)
    result = read_file(out.getvalue(), filename="x.xlsx", province="广东", today=TODAY)
    assert result.as_of == as_of
    assert [p.code for p in result.problems if p.severity != "info"] == codes
    assert result.row_counts.valid == valid
    if valid:
        assert result.items["date"].dt.date.tolist() == [as_of]


@pytest.mark.parametrize("extra, stored, reason, as_of", [
    ([], False, "as_of_missing", None),                     # no silent default: nothing stored
    (["--as-of", "2025-09-30"], True, "", "2025-09-30"),
])
def test_import_refuses_a_file_without_an_as_of_date(capsys, tmp_path, extra, stored, reason, as_of) -> None:
    import json

    from ingest_files import item_row, register
    from metrics.cli import main

    path = tmp_path / "进展.xlsx"
    path.write_bytes(register(item_row(完成日期="2025-03-15")))
    code = main(["import", str(path), *extra, "--db", f"sqlite:///{tmp_path / 's.sqlite'}", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert (code, out["stored"], out["outcome"]["reason"], out["as_of"]) == (0, stored, reason, as_of)
    assert out["as_of_missing"] is (as_of is None)


@pytest.mark.parametrize("metric, value, target", [
    ("未来产业总体规模", 620, 1000),
    ("未来产业总体规模（亿元）", "620亿元", "1000亿元"),
])
def test_a_custom_metric_total_is_its_actual(metric, value, target) -> None:
    """Point 8: a 指标汇总 total of a custom metric defined in 目标设定 is that metric's actual."""
    from ingest_files import xlsx
    from metrics.progress import Dataset, compute_progress

    content = xlsx({"基本信息": [["省份", "湖南省"], ["统计截止日期", "2026-09-30"]],
                    "目标设定": [["指标", "目标值", "单位", "截止日期"], ["未来产业总体规模", target, "亿元", 2027]],
                    "指标汇总": [["指标", "截至日期", "累计值"], [metric, "2026-09-30", value]]})
    r = read_file(content, filename="p.xlsx", today=TODAY)
    assert r.problems == []
    data = Dataset(items=r.items, totals=r.totals, targets=r.targets, assessments=r.assessments, tasks=r.tasks)
    rows = compute_progress(data, as_of=dt.date(2026, 9, 30)).rows
    custom = rows[rows["metric"].str.startswith("custom_")]
    assert custom[["actual", "target"]].values.tolist() == [[620.0, 1000.0]]
    assert custom["status"].tolist() != ["off_track"]


def _with_part(name: str, text: bytes) -> bytes:
    from ingest_files import item_row, register

    src = zipfile.ZipFile(io.BytesIO(register(item_row())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == name:
                data = text
            dst.writestr(info, data)
        if name not in src.namelist():
            dst.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("part, text", [
    ("xl/sharedStrings.xml", b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY a "aaaa">]><sst/>'),
    ("xl/sharedStrings.xml", b'<?xml version="1.0"?><!-- x -->' + b" " * 5000 + b'<!doctype sst><sst/>'),
    ("customXml/item1.dat", b'<root><!ENTITY x SYSTEM "file:///etc/passwd"></root>'),
])
def test_a_dtd_in_any_part_is_refused_as_unsafe(part: str, text: bytes) -> None:
    result = read_file(_with_part(part, text), filename="x.xlsx", today=TODAY)
    assert (result.readable, result.exit_code, [p.code for p in result.problems]) == (False, 2, ["unreadable_file"])
    assert "unsafe" in result.problems[0].message_en


@pytest.mark.parametrize("content, kind", [
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', "Excel 2003 XML"),
    (b'<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
     "OpenDocument flat XML (.fods)"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
    (b"\x28\xb5\x2f\xfd" + b"\x00" * 40, "zstd"),
])
def test_other_formats_are_named_with_how_to_save_as_xlsx(content: bytes, kind: str) -> None:
    result = read_file(content, filename="x.xlsx", today=TODAY)
    assert (result.exit_code, result.problems[0].code) == (2, "unreadable_file")
    assert f"it is a {kind} file" in result.problems[0].message_en
    assert "save it as .xlsx" in result.problems[0].message_en


def test_utf16_text_without_a_bom_is_read() -> None:
    text = "省份,指标,名称,状态,完成日期\n广东省,前沿关键核心技术,某技术,已完成,2025-03-15\n"
    result = read_file(text.encode("utf-16-le"), filename="x.csv", today=TODAY)
    assert result.readable and result.row_counts.valid == 1


def three_level_workbook(merge_down: bool = True) -> bytes:
    """A three-level merged header: 基本信息 → 认定情况 → 认定类别 / 认定时间 (and 推进情况 → 完成情况).

    With ``merge_down`` the single-level headers (序号, 单位名称, 统一社会信用代码) are merged down
    over the three header rows, as Excel users do; without it they stand in the top header row only,
    with blank cells under them.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "领军企业"
    ws.append([TITLE])
    ws.merge_cells("A1:G1")
    ws.append(["填报单位：湖南省工业和信息化厅"])
    ws.append(["序号", "基本信息", None, None, None, "推进情况", "备注"])
    ws.merge_cells("B3:E3")
    ws.append([None, "单位名称", "统一社会信用代码", "认定情况", None, "完成情况", None])
    ws.merge_cells("D4:E4")
    ws.append([None, None, None, "认定类别", "认定时间", None, None])
    if merge_down:
        for rng in ("A3:A5", "B4:B5", "C4:C5", "F4:F5", "G3:G5"):
            ws.merge_cells(rng)
    for r in ([1, "湖南甲科技有限公司", "91430100MA4L0000X9", "国家级", "2025年3月", "已完成", ""],
              [2, "湖南乙智能装备有限公司", "", "省级", dt.datetime(2025, 6, 18), "已认定", "第二批"],
              [3, "湖南丙量子有限公司", "", "国家级", "2024年", "推进中", ""]):
        ws.append(r)
    ws.append(["合计", 3])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("merge_down", [True, False])
def test_a_three_level_merged_header_is_read_like_a_two_level_one(merge_down: bool) -> None:
    result = read_file(three_level_workbook(merge_down), filename="进展.xlsx", today=TODAY)
    assert result.errors == [], [p.message for p in result.errors]
    # Only the running number is not a field (warned, as in the two-level workbook).
    assert [p.header for p in result.problems if p.code == "unknown_column"] == ["序号"]
    assert (result.province, result.as_of) == ("湖南省", dt.date(2025, 9, 30))
    assert result.sheets["领军企业"].to_dict() == {"total": 4, "valid": 3, "invalid": 0, "blank": 0, "skipped": 1}
    items = result.items
    assert items["name"].tolist() == ["湖南甲科技有限公司", "湖南乙智能装备有限公司", "湖南丙量子有限公司"]
    assert items["metric"].unique().tolist() == ["enterprise"]
    assert items["status"].tolist() == ["achieved", "achieved", "in_progress"]
    assert [d.date().isoformat() if d is not None and d == d else None for d in items["date"]][:2] == \
        ["2025-03-01", "2025-06-18"]  # 2025年3月: the month, kept at month precision
    assert items["date_precision"].tolist() == ["month", "day", "year"]
    assert items["code"].tolist()[0] == "91430100MA4L0000X9"
    assert items["note"].tolist()[1] == "第二批"


@pytest.mark.parametrize("precision, zh, en", [
    ("day", "日", "day"), ("month", "月", "month"), ("quarter", "季度", "quarter"), ("half", "半年", "half-year"),
    ("year", "年", "year"),
])
def test_every_date_precision_has_words_for_the_as_of_note(precision, zh, en):
    """The detected_as_of note says how the date was taken ("按季度取期末"); a missing key showed raw."""
    from metrics.i18n import t

    assert (t(f"ingest_precision_{precision}", "zh"), t(f"ingest_precision_{precision}", "en")) == (zh, en)
