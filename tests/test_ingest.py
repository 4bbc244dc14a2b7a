"""read_file: sheets found wherever they are, values normalised, every problem located, nothing lost."""
from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ingest_files import ITEM_HEADERS, item_row, register, xlsx
from metrics.annotate import annotate_workbook
from metrics.ingest import read_file
from metrics.template import build_template

TODAY = dt.date(2026, 6, 30)


def read(content: bytes, name: str = "t.xlsx", **kw):
    return read_file(content, name, today=TODAY, **kw)


def codes(result) -> list[str]:
    """Problem codes other than the info notes (what detection inferred or skipped: see notes())."""
    return [p.code for p in result.problems if p.severity != "info"]


def notes(result) -> list[str]:
    return [p.code for p in result.problems if p.severity == "info"]


def assert_counts_add_up(result) -> None:
    for c in result.sheets.values():
        assert c.total == c.valid + c.invalid + c.blank


# ---- one defect per row: the code, where it is, and that errors exclude the row -----------------
DEFECTS = {
    "missing_name": (dict(名称=""), "missing_value", "C"),
    "unknown_metric": (dict(指标="火箭"), "unknown_metric", "B"),
    "unknown_province": (dict(省份="火星省"), "unknown_province", "A"),
    "unknown_status": (dict(状态="也许"), "unknown_status", "H"),
    "bad_date": (dict(完成日期="去年春天"), "bad_date", "I"),
    "impossible_date": (dict(完成日期="2025-02-30"), "bad_date", "I"),
    "achieved_without_date": (dict(完成日期=""), "missing_value", "I"),
    "future_date": (dict(完成日期="2027-01-01"), "future_date", "I"),
    "bad_credit_code": (dict(指标="领军企业", 编号="91350100M000100Y44"), "bad_identifier", "D"),
    "bad_standard": (dict(指标="关键标准", 编号="GB/T 12345"), "bad_identifier", "D"),
    "unknown_direction": (dict(方向="未来宇宙"), "unknown_direction", "E"),
    "unknown_flagship": (dict(标志性产品类别="飞碟"), "unknown_flagship", "F"),
}


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_each_defect_is_reported_at_its_cell(name):
    change, code, column = DEFECTS[name]
    result = read(register(item_row(名称="好成果"), item_row(**{"名称": "坏成果", **change})))
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, result.problems
    p = found[0]
    assert (p.sheet, p.row, p.column) == ("成果清单", 3, column)
    assert p.message and p.message_en and p.message != p.message_en
    count = result.sheets["成果清单"]
    if p.severity == "error":
        assert (count.valid, count.invalid) == (1, 1)
        assert list(result.items["name"]) == ["好成果"]
    else:
        assert (count.valid, count.invalid) == (2, 0)
    assert_counts_add_up(result)


def test_planned_items_may_lie_in_the_future_and_need_no_date():
    result = read(register(item_row(状态="计划中", 完成日期="2028-12-31"), item_row(名称="乙", 状态="推进中", 完成日期="")))
    assert codes(result) == []
    assert list(result.items["status"]) == ["planned", "in_progress"]


def test_dates_after_the_as_of_date_are_future_dates():
    content = xlsx({"基本信息": [["省份", "广东省"], ["统计截止日期", "2025-12-31"]],
                    "成果清单": [ITEM_HEADERS, item_row(省份="", 完成日期="2026-01-15")]})
    result = read(content)
    assert codes(result) == ["future_date"]
    assert "统计截止日期" in result.problems[0].message


@pytest.mark.parametrize("rows, basis", [
    ([item_row(名称="量子 计算机"), item_row(名称="量子计算机!")], "同名称"),
    ([item_row(指标="领军企业", 名称="甲公司", 编号="91350100M000100Y43"),
      item_row(指标="领军企业", 名称="甲有限公司", 编号="9135 0100 M000 100Y43")], "同编号"),
])
def test_the_second_copy_of_an_item_is_not_counted_twice(rows, basis):
    result = read(register(*rows))
    assert codes(result) == ["duplicate_item"]
    assert basis in result.problems[0].message and "第 2 行" in result.problems[0].message
    assert len(result.items) == 1


def test_same_name_under_another_metric_or_province_is_not_a_duplicate():
    result = read(register(item_row(), item_row(指标="标志性产品"), item_row(省份="江苏")))
    assert codes(result) == [] and len(result.items) == 3


# ---- values as people write them -------------------------------------------------------------------
@pytest.mark.parametrize("cell, date, precision", [
    ("2025-03-15", dt.date(2025, 3, 15), "day"),
    ("2025/3/15", dt.date(2025, 3, 15), "day"),
    ("2025.3.15", dt.date(2025, 3, 15), "day"),
    ("2025年3月15日", dt.date(2025, 3, 15), "day"),
    ("２０２５年３月１５日", dt.date(2025, 3, 15), "day"),
    ("2025年3月", dt.date(2025, 3, 1), "month"),
    ("2025-03", dt.date(2025, 3, 1), "month"),
    ("2025", dt.date(2025, 1, 1), "year"),
    (2025, dt.date(2025, 1, 1), "year"),
    (45731, dt.date(2025, 3, 15), "day"),
    (dt.datetime(2025, 3, 15, 9, 30), dt.date(2025, 3, 15), "day"),
])
def test_dates_in_every_common_spelling(cell, date, precision):
    result = read(register(item_row(完成日期=cell)))
    assert codes(result) == []
    assert result.items["date"][0].date() == date
    assert result.items["date_precision"][0] == precision


@pytest.mark.parametrize("column, cell, field, expected", [
    ("省份", "粤", "province", "广东省"),
    ("省份", "广东", "province", "广东省"),
    ("指标", "tech", "metric", "tech"),
    ("指标", "关键技术", "metric", "tech"),
    ("状态", "已认定", "status", "achieved"),
    ("状态", "", "status", "achieved"),
    ("方向", "制造", "direction", "manufacturing"),
    ("名称", 12, "name", "12"),
    ("名称", "=1+2", "name", "=1+2"),
])
def test_values_are_normalised_and_text_stays_text(column, cell, field, expected):
    result = read(register(item_row(**{column: cell})))
    assert codes(result) == []
    assert result.items[field][0] == expected


def test_a_flagship_category_fills_an_empty_direction():
    result = read(register(item_row(方向="", 标志性产品类别="人形机器人")))
    assert (result.items["direction"][0], result.items["flagship"][0]) == ("manufacturing", "humanoid_robot")


# ---- finding sheets and headers ---------------------------------------------------------------------
def test_title_rows_merged_cells_and_two_row_headers_are_found():
    rows = [["2025年广东省未来产业成果统计表"], ["填报单位:某厅"],
            ["序号", "成果名称(必填)", "指标类别", "完成情况", None, "地区"],
            [None, None, None, "状态", "完成时间", None],
            [1, "甲技术", "技术", "已完成", "2025年3月", "广东"],
            [2, "乙技术", "技术", "推进中", "", "广东"]]
    content = xlsx({"我的表": rows}, merged={"我的表": ["A1:F1", "D3:E3", "A3:A4", "B3:B4", "C3:C4", "F3:F4"]})
    result = read(content)
    assert list(result.items["name"]) == ["甲技术", "乙技术"]
    assert list(result.items["row"]) == [5, 6]
    assert codes(result) == ["unknown_column"]  # 序号
    assert [p.column for p in result.problems if p.code == "unknown_column"] == ["A"]
    assert notes(result) == ["detected_province", "detected_as_of"]  # 广东省, 2025 from the title
    assert result.as_of == dt.date(2025, 12, 31)


def test_vertically_merged_province_cells_fill_their_rows():
    rows = [["省份", "指标", "名称", "完成日期"], ["广东省", "技术", "甲", "2025-01-01"], [None, "技术", "乙", "2025-01-02"]]
    result = read(xlsx({"成果清单": rows}, merged={"成果清单": ["A2:A3"]}))
    assert list(result.items["province"]) == ["广东省", "广东省"]


def test_english_headers_in_any_order():
    rows = [["Completion date", "Name", "Metric", "Province"], ["2025-03-15", "X", "standards", "Guangdong"]]
    result = read(xlsx({"Sheet1": rows}))
    assert result.items[["province", "metric", "name"]].values.tolist() == [["广东省", "standard", "X"]]


def test_missing_required_column_makes_every_row_invalid():
    result = read(xlsx({"成果清单": [["省份", "指标", "完成日期"], ["广东", "技术", "2025-01-01"]]}))
    assert codes(result) == ["missing_column"]
    assert result.sheets["成果清单"].invalid == 1 and result.exit_code == 1


def test_province_from_basic_information_or_the_caller():
    rows = [["指标", "名称", "完成日期"], ["技术", "甲", "2025-01-01"]]
    assert codes(read(xlsx({"成果清单": rows}))) == ["no_province"]
    assert read(xlsx({"成果清单": rows}), province="广东").items["province"][0] == "广东省"
    info = xlsx({"基本信息": [["省份:", "浙江"], ["统计截止日期", dt.date(2026, 3, 31)], ["联系人", "张三"]],
                 "成果清单": rows})
    result = read(info)
    assert (result.province, result.as_of, result.contact) == ("浙江省", dt.date(2026, 3, 31), "张三")


def test_hidden_sheets_are_read_with_a_warning():
    content = xlsx({"说明": [["随便写"]], "成果清单": [ITEM_HEADERS, item_row()]}, hidden=("成果清单",))
    result = read(content)
    assert codes(result) == ["hidden_sheet"] and len(result.items) == 1


def test_blank_rows_and_the_example_row_count_as_blank():
    rows = [ITEM_HEADERS, item_row(省份="示例", 名称="示例技术"), [], item_row(), [None] * 11]
    result = read(xlsx({"成果清单": rows}))
    assert result.sheets["成果清单"].to_dict() == {"total": 3, "valid": 1, "invalid": 0, "blank": 2, "skipped": 0}


def test_the_blank_template_reads_as_no_rows_and_its_example_rows_are_ignored():
    result = read(build_template("广东省"))
    assert result.readable and codes(result) == ["no_rows"]
    assert result.row_counts.valid == 0 and result.row_counts.blank > 0


def test_100000_blank_formatted_rows_end_the_table():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成果清单"
    ws.append(ITEM_HEADERS)
    ws.append(item_row())
    from openpyxl.styles import PatternFill
    fill = PatternFill("solid", fgColor="FFFF00")
    for r in range(3, 100_003):
        ws.cell(r, 3).fill = fill
        ws.cell(r, 3).value = ""  # empty strings as some programs write them
    out = io.BytesIO()
    wb.save(out)
    result = read(out.getvalue())
    assert result.sheets["成果清单"].total == 1 and len(result.items) == 1


# ---- other sheets ---------------------------------------------------------------------------------
def test_targets_with_qualifiers_units_and_bare_years():
    rows = [["省份", "指标", "目标值", "单位", "截止日期", "说明"],
            ["广东", "前沿关键核心技术", "100项以上", "项", 2026, ""],
            ["广东", "标志性产品", "80个左右", "", "2027年6月", ""],
            ["广东", "领军企业", "≥100", "家", "2027-12-31", ""],
            ["广东", "产业规模", "1000亿元", "", 2027, ""],
            ["广东", "海洋牧场规模", "1.2万亿元", "亿元", 2030, "自定义"],
            ["广东", "创新平台", "一批", "", 2026, ""],
            ["广东", "关键标准", "-5", "", 2026, ""]]
    result = read(xlsx({"目标设定": rows}))
    t = result.targets.set_index("name_zh")
    assert t.loc["前沿关键核心技术", ["value", "qualifier"]].tolist() == [100, "ge"]
    assert t.loc["前沿关键核心技术", "deadline"].date() == dt.date(2026, 12, 31)
    assert t.loc["标志性产品", "qualifier"] == "about" and t.loc["标志性产品", "deadline"].date() == dt.date(2027, 6, 30)
    assert t.loc["未来产业规模", ["value", "unit", "kind"]].tolist() == [1000, "亿元", "value"]
    custom = t.loc["海洋牧场规模"]
    assert custom["metric"].startswith("custom_") and custom["value"] == 12000 and custom["kind"] == "value"
    assert t.loc["创新平台", "text"] == "一批" and t["value"].isna().sum() == 1
    assert codes(result) == ["negative_value"]


def test_totals_goals_and_tasks():
    content = xlsx({
        "指标汇总": [["省份", "指标", "截至日期", "累计值"], ["广东", "产业规模", "2025-12-31", "1,200"],
                 ["广东", "创新平台", "2025-12-31", "１２个"], ["广东", "创新平台", "2025-12-31", "很多"]],
        "定性目标": [["目标", "进展程度", "佐证"], ["部分领域达到国际先进水平", "基本实现", "x"],
                 ["q2027_source", "已实现", ""], ["产业规模稳步提升方面", "推进中", ""], ["登月", "推进中", ""],
                 ["形成可持续发展的长效机制", "", ""]],
        "任务进展": [["任务序号", "进展程度", "工作进展"], ["3.促进成果转化", "推进中", "x"], [5, "已实现", ""],
                 ["任务16", "未启动", ""], ["建设专业人才队伍", "基本实现", ""], [99, "推进中", ""]],
    })
    result = read(content, province="广东")
    assert result.totals["value"].tolist() == [1200, 12]
    assert result.assessments["goal"].tolist() == ["q2025_intl_advanced", "q2027_source", "q2025_scale_growth"]
    assert result.tasks["task"].tolist() == [3, 5, 16, 15]
    assert sorted(codes(result)) == ["bad_number", "unknown_goal", "unknown_task"]
    assert result.sheets["定性目标"].blank == 1
    assert_counts_add_up(result)


# ---- whole files -----------------------------------------------------------------------------------
@pytest.mark.parametrize("content, code", [
    (b"", "unreadable_file"), (b"%PDF-1.4 ...", "unreadable_file"), (b"PK\x03\x04broken", "unreadable_file"),
])
def test_unreadable_files_give_a_result_not_a_traceback(content, code):
    result = read(content)
    assert (result.readable, result.exit_code, codes(result)) == (False, 2, [code])
    assert result.problems[0].message and result.problems[0].message_en


def test_size_limit_is_configurable(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(register(item_row()))
    result = read_file(path, max_bytes=100)
    assert codes(result) == ["too_large"] and result.exit_code == 2


def test_gbk_csv_is_read():
    text = "省份,指标,名称,完成日期\n广东省,标准,某标准,2025-03-15\n广东省,技术,某技术,2025年3月\n"
    result = read(text.encode("gbk"), "t.csv")
    assert result.items["name"].tolist() == ["某标准", "某技术"]
    assert result.items["row"].tolist() == [2, 3]


@pytest.fixture(scope="session")
def libreoffice_files(tmp_path_factory) -> dict[str, Path]:
    """An .xlsx and an .xls written by LibreOffice from a CSV and an xlsx we made."""
    out = tmp_path_factory.mktemp("lo")
    csv_path = out / "lo_source.csv"
    csv_path.write_text("省份,指标,名称,编号,完成日期\n广东省,关键标准,某标准,GB/T 12345-2024,2025-03-15\n"
                        "广东省,领军企业,某公司,91350100M000100Y43,2025-04-01\n", encoding="utf-8")
    xlsx_path = out / "lo_source.xlsx"
    rows = [["广东省未来产业进展"], ITEM_HEADERS, item_row(名称="公式行"), item_row(名称="第二行")]
    xlsx_path.write_bytes(xlsx({"成果清单": rows}, merged={"成果清单": ["A1:K1"]}))
    wb = openpyxl.load_workbook(xlsx_path)
    wb["成果清单"]["K3"] = '=CONCATENATE("备","注")'  # LibreOffice saves the computed value with it
    wb.save(xlsx_path)
    profile = f"file://{out}/profile"
    for target, src, infilter in (("xlsx", csv_path, ["--infilter=CSV:44,34,76,1"]), ("xls", xlsx_path, [])):
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", *infilter, "--convert-to",
                        target, "--outdir", str(out / target), str(src)], check=True, capture_output=True, timeout=180)
    return {"xlsx": out / "xlsx" / "lo_source.xlsx", "xls": out / "xls" / "lo_source.xls"}


def test_workbook_written_by_libreoffice(libreoffice_files):
    result = read_file(libreoffice_files["xlsx"], today=TODAY)
    assert codes(result) == []
    assert result.items["code"].tolist() == ["GB/T 12345-2024", "91350100M000100Y43"]


def test_xls_written_by_libreoffice_with_cached_formula_values(libreoffice_files):
    result = read_file(libreoffice_files["xls"], today=TODAY)
    assert codes(result) == []
    assert result.items["name"].tolist() == ["公式行", "第二行"]
    assert result.items["note"].tolist()[0] == "备注"
    assert result.items["date"][0].date() == dt.date(2025, 3, 15)


def test_sample_workbooks_read_without_errors(repo_root):
    from sample_data.generate import sample_files

    for path in sample_files():
        result = read_file(path, today=dt.date(2026, 12, 31))
        assert result.readable and not result.errors, (path, result.errors[:3])
        assert len(result.items) > 0


# ---- annotated copy --------------------------------------------------------------------------------
def test_annotated_copy_marks_problem_cells_and_keeps_user_text():
    content = register(item_row(名称="=HYPERLINK(\"x\")"), item_row(名称="乙", 省份="火星"))
    result = read(content)
    out = openpyxl.load_workbook(io.BytesIO(annotate_workbook(content, "t.xlsx", result)))
    ws = out["成果清单"]
    problem = next(p for p in result.problems if p.code == "unknown_province")
    # The note is the message in the user's language only: no "[code]" prefix, no English under it.
    assert ws["A3"].comment is not None and ws["A3"].comment.text == problem.message
    assert "unknown_province" not in ws["A3"].comment.text and "[" not in ws["A3"].comment.text
    assert ws["A3"].comment.author == "校验"
    assert ws["A3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["C2"].comment is None
    en = openpyxl.load_workbook(io.BytesIO(annotate_workbook(content, "t.xlsx", result, "en")))["成果清单"]
    assert en["A3"].comment.text == problem.message_en and "火星" in problem.message_en
    assert en["A3"].comment.author == "Validation"


def test_an_inferred_as_of_date_says_its_period_in_words():
    from metrics.errors import Text
    from metrics.problems import make_problem

    p = make_problem("detected_as_of", value="统计截止:2026年9月", date="2026-09-30",
                     precision=Text("ingest_precision_month"), source=Text("ingest_source_file"))
    assert "按月取期末" in p.message and "end of the month" in p.message_en


@pytest.mark.parametrize("code, params, zh, en", [
    ("detected_as_of", {"date": dt.date(2025, 9, 30)}, "统计截止日期 2025年9月30日", "As-of date 30 September 2025"),
    ("achieved_without_date", {"as_of": dt.date(2025, 12, 31)}, "统计截止日期 2025年12月31日 计入",
     "as-of date 31 December 2025."),
    ("future_as_of", {"limit": dt.date(2026, 12, 2)}, "晚于今天(2026年12月2日)", "after today (2 December 2026)"),
])
def test_dates_inside_a_problem_read_as_every_page_words_dates(code, params, zh, en):
    """Not 2025-09-30 in an otherwise worded sentence: the date takes the reader's language, stored too."""
    import json

    from metrics.errors import Text
    from metrics.model import Problem
    from metrics.problems import date_param, make_problem

    extra = {"precision": Text("ingest_precision_month"), "source": Text("ingest_source_file")}
    p = make_problem(code, row=4, header="完成日期", header_en="Completion date", value="x",
                     **{k: date_param(v) for k, v in params.items()}, **extra)
    assert zh in p.message and en in p.message_en
    stored = Problem(**json.loads(json.dumps(p.to_dict())))  # as a submission keeps it
    assert zh in stored.statement("zh") and en in stored.statement("en")


def test_annotated_copy_of_a_csv_is_an_xlsx_without_formulas():
    content = "省份,指标,名称,完成日期\n火星,标准,=1+2,2025-03-15\n".encode("utf-8")
    result = read(content, "t.csv")
    out = openpyxl.load_workbook(io.BytesIO(annotate_workbook(content, "t.csv", result)))
    ws = out.worksheets[0]
    assert ws["C2"].data_type != "f" and str(ws["C2"].value) == "=1+2"
    assert ws["A2"].comment is not None


# ---- round trip ------------------------------------------------------------------------------------
names = st.text(alphabet=st.characters(codec="utf-8", categories=["Lo", "Lu", "Ll", "Nd"]), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(names, st.sampled_from(["技术", "标准", "产品", "场景", "孵化器"]),
                          st.dates(dt.date(2024, 1, 1), dt.date(2026, 6, 30)),
                          st.sampled_from(["已完成", "推进中", "计划中", ""])),
                min_size=1, max_size=30, unique_by=lambda r: (r[0].casefold(), r[1])))
def test_a_generated_register_round_trips_with_nothing_lost(rows):
    from metrics.text import item_key

    keys = {(item_key(n), m) for n, m, _, _ in rows}
    if len(keys) < len(rows) or any(not item_key(n) for n, *_ in rows):
        return  # names equal after normalising are duplicates by definition
    content = register(*[item_row(名称=n, 指标=m, 完成日期=d, 状态=s) for n, m, d, s in rows])
    result = read(content)
    assert result.errors == []
    assert result.items["name"].tolist() == [n.strip() for n, *_ in rows]
    assert [d.date() for d in result.items["date"]] == [d for _, _, d, _ in rows]
    assert result.sheets["成果清单"].valid == len(rows)


@pytest.mark.parametrize("merged", ["A3:K3", "B3:K3"])
def test_annotated_copy_of_a_merged_note_row_is_built_and_the_row_is_skipped(merged):
    # Regression (issue 15): openpyxl's MergedCell takes no comment, and building the copy raised AttributeError.
    # Since issue 12 a 注 row is a non-data row: skipped with an info note, never marked as an error.
    content = xlsx({"成果清单": [ITEM_HEADERS, item_row(), ["注：以下为示例"] + [None] * 10, item_row(名称="乙")]},
                   merged={"成果清单": [merged]})
    result = read(content)
    out = openpyxl.load_workbook(io.BytesIO(annotate_workbook(content, "t.xlsx", result)))
    assert [(p.code, p.severity) for p in result.problems if p.row == 3] == [("non_data_row", "info")]
    assert out["成果清单"]["A3"].comment is None
    assert result.sheets["成果清单"].valid == 2 and result.sheets["成果清单"].skipped == 1


# ---- per-field length limits (issue 18) -----------------------------------------------------------
@pytest.mark.parametrize("header, column, key", [("名称", "C", "name"), ("编号", "D", "code"),
                                                 ("牵头单位", "G", "lead_unit"), ("备注", "K", "note")])
def test_a_field_over_its_length_limit_is_an_error_with_the_limit_in_words(header, column, key):
    from metrics.sheets import field_limits

    limit = field_limits()[key]
    long, fits = "长" * (limit + 1), "长" * limit
    good = {"名称": "好成果", header: fits}  # the row exactly at the limit is read
    bad = {"名称": "坏成果", header: long}
    result = read(register(item_row(**good), item_row(**bad)))
    found = [p for p in result.problems if p.code == "field_too_long"]
    assert [(p.sheet, p.row, p.column) for p in found] == [("成果清单", 3, column)]  # the row at the limit passes
    p = found[0]
    assert f"{limit + 1} 个字符" in p.message and f"上限为 {limit:,} 个字符" in p.message
    assert f"{limit + 1} characters long; the limit is {limit:,}" in p.message_en
    assert len(p.value) <= 41  # the message shows the start of the text, not all of it
    count = result.sheets["成果清单"]
    assert (count.valid, count.invalid) == (1, 1)
    assert list(result.items[key]) == [fits]
    assert_counts_add_up(result)


def test_length_limits_cover_targets_units_and_metric_names():
    from metrics.sheets import field_limits

    rows = [["省份", "指标", "目标值", "单位", "截止日期", "说明"],
            ["广东省", "前沿关键核心技术", 10, "项" * (field_limits()["unit"] + 1), "2027", ""],
            ["广东省", "自定义" * 100, 5, "个", "2027", ""]]
    result = read(xlsx({"目标设定": rows}))
    found = sorted((p.row, p.column) for p in result.problems if p.code == "field_too_long")
    assert found == [(2, "D"), (3, "B")]
    assert result.targets is None or len(result.targets) == 0
