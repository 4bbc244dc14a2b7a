"""The dashboard's tables from plain data (``app_support``'s cards, uploads, change, item, history and evidence
tables) and the figures they word (``metrics.presentation``)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from app_support import (cards, change_tables, evidence, history_tables, item_tables, report_files, target_picker,
                         uploads)
from metrics.model import SheetCount


def progress_rows(**overrides) -> pd.DataFrame:
    base = {"scope_type": "national", "scope": "national", "metric": "tech", "name_zh": "前沿关键核心技术",
            "name_en": "Frontier key core technologies", "unit": "项", "kind": "count",
            "deadline": pd.Timestamp("2025-12-31"), "actual": 42.0, "target": 100.0, "qualifier": "eq",
            "target_text": "百项", "target_source": "national", "percent": 42.0, "pace_percent": 60.0,
            "pace_value": 60.0, "gap_items": 58.0, "gap_pp": -18.0, "required_rate": 4.5, "projected": 80.0,
            "projected_percent": 80.0, "status": "off_track", "clause_section": "三、发展目标",
            "clause_quote": "突破百项前沿关键核心技术", "contribution_percent": float("nan"), "n_rows": 42}
    return pd.DataFrame([{**base, **overrides}])


@pytest.mark.parametrize("lang, name", [("zh", "前沿关键核心技术"), ("en", "Frontier key core technologies")])
def test_target_cards_carry_the_figures_of_each_target_in_the_language(lang, name):
    (card,) = cards.target_cards(progress_rows(), lang)
    assert card["name"] == name
    assert (card["actual"], card["target"], card["percent"], card["pace_percent"]) == (42.0, 100.0, 42.0, 60.0)
    assert card["status"] == "off_track" and card["deadline"] == "2025-12-31"
    assert cards.card_headline(card) == "42 / 100 项"


def test_in_english_units_and_a_batch_come_from_the_catalog(catalog):
    rows = progress_rows(metric="incubator", name_zh="未来产业孵化器", name_en="Future-industry incubators", unit="个",
                         target=float("nan"), percent=float("nan"), target_text="一批", status="no_target")
    (card,) = cards.target_cards(rows, "en", catalog)
    assert cards.card_headline(card) == "42 incubators / a batch"
    (card,) = cards.target_cards(rows, "zh", catalog)
    assert cards.card_headline(card) == "42 个 / 一批"


def test_a_batch_target_shows_as_written_and_missing_numbers_become_none():
    (card,) = cards.target_cards(progress_rows(target=float("nan"), percent=float("nan"), target_text="一批",
                                               status="no_target"))
    assert card["target"] is None and card["percent"] is None
    assert cards.card_headline(card) == "42 项 / 一批"


@pytest.mark.parametrize("lang, problem, fix", [
    ("zh", "第 5 行“名称”为空。", "请填写名称。"),
    ("en", "Row 5: '名称' is empty.", "Fill in Name."),
])
def test_the_problem_and_its_fix_come_apart_from_the_problem_data(lang, problem, fix):
    from metrics.problems import make_problem

    p = make_problem("missing_value", sheet="成果清单", row=5, column="C", header="名称", header_en="Name")
    table = uploads.problem_table([p], lang)
    assert (table.loc[0, "problem"], table.loc[0, "fix"]) == (problem, fix)
    assert p.message == "第 5 行“名称”为空。请填写名称。"  # the message still says both


def test_a_full_stop_inside_a_value_does_not_cut_the_problem_short():
    from metrics.problems import make_problem

    p = make_problem("unknown_province", sheet="成果清单", row=7, column="A", header="省份", value="广东。省")
    table = uploads.problem_table([p], "zh")
    assert table.loc[0, "problem"] == "第 7 行省份“广东。省”无法识别。"
    assert table.loc[0, "fix"] == "请填写省级地区全称或简称,例如“广东省”或“广东”。"
    note = make_problem("non_data_row", sheet="成果清单", row=30, value="合计")  # a note: nothing to fix
    assert uploads.problem_table([note], "en").loc[0, "fix"] == ""


def test_the_validation_report_lists_errors_first_in_workbook_order():
    from metrics.problems import make_problem

    problems = [
        make_problem("unknown_direction", sheet="成果清单", row=9, column="E", header="方向", value="未来农业"),
        make_problem("missing_value", sheet="成果清单", row=12, column="C", header="名称", header_en="Name"),
        make_problem("missing_value", sheet="成果清单", row=4, column="C", header="名称", header_en="Name"),
    ]
    table = uploads.problem_table(problems, "en")
    assert list(table.columns) == ["severity", "sheet", "row", "column", "value", "problem", "fix", "code"]
    assert table["row"].tolist() == [4, 12, 9]
    assert table.loc[0, "column"] == "C (名称)" and table.loc[2, "value"] == "未来农业"
    assert table.loc[0, "problem"] == "Row 4: '名称' is empty." and table.loc[0, "fix"] == "Fill in Name."
    assert table.loc[2, "fix"] == "Choose one of the six directions from the drop-down list."


def test_sheet_counts_keep_every_row_accounted_for():
    table = uploads.sheet_count_table({"成果清单": SheetCount(total=10, valid=7, invalid=2, blank=1),
                                     "指标汇总": SheetCount(total=3, valid=3)})
    assert table.to_dict("records")[0] == {"sheet": "成果清单", "valid": 7, "invalid": 2, "blank": 1, "total": 10}
    assert (table["valid"] + table["invalid"] + table["blank"] == table["total"]).all()


DIFF = {
    "items": {"added": [{"province": "江苏省", "metric": "tech", "key": "a", "name": "新技术"}],
              "removed": [{"province": "江苏省", "metric": "tech", "key": "b", "name": "旧技术"}],
              "changed": [{"province": "江苏省", "metric": "product", "key": "c", "name": "产品",
                           "changes": {"status": ["in_progress", "achieved"], "date": [None, "2025-05-01"]}}]},
    "totals": {"added": [], "removed": [], "changed": []},
    "tasks": {"added": [{"province": "江苏省", "task": 3}], "removed": [], "changed": []},
}


def test_a_diff_becomes_one_table_of_rows_and_a_count_per_table():
    rows = change_tables.diff_rows(DIFF)
    assert rows["change"].tolist() == ["added", "removed", "changed", "added"]
    assert rows.loc[2, "fields"] == "date, status"
    assert rows.loc[3, "table"] == "tasks" and rows.loc[3, "name"] == "3"
    counts = change_tables.diff_counts(DIFF)
    assert counts.to_dict("records") == [{"table": "items", "added": 1, "removed": 1, "changed": 1},
                                         {"table": "tasks", "added": 1, "removed": 0, "changed": 0}]


def test_no_change_gives_empty_tables_with_their_columns():
    assert change_tables.diff_rows({}).empty and list(change_tables.diff_rows({}).columns)[0] == "change"
    assert change_tables.diff_counts({"items": {"added": [], "removed": [], "changed": []}}).empty


@pytest.mark.parametrize("query, names", [
    ("", ["量子芯片", "人形机器人关节", "脑机接口电极"]),
    ("量子", ["量子芯片"]),
    ("苏州 证书", ["人形机器人关节"]),
    ("HEFEI", ["量子芯片"]),
    ("不存在", []),
])
def test_search_finds_items_containing_every_word(query, names):
    items = pd.DataFrame({"name": ["量子芯片", "人形机器人关节", "脑机接口电极"],
                          "code": ["91340100MA2XXXXX1", "", pd.NA],
                          "province": ["安徽省", "江苏省", "上海市"],
                          "lead_unit": ["Hefei Lab", "苏州某公司", ""],
                          "evidence": ["", "认定证书", "新闻稿"]})
    assert item_tables.search_items(items, query)["name"].tolist() == names


HISTORY = [
    {"id": 1, "province": "江苏省", "as_of": "2025-03-31", "uploaded_at": "2025-04-02T08:00:00", "state": "superseded",
     "sha256": "a" * 64, "sample": False, "uploader": "", "filename": "js1.xlsx"},
    {"id": 2, "province": "江苏省", "as_of": "2025-06-30", "uploaded_at": "2025-07-02T08:00:00", "state": "current",
     "sha256": "b" * 64, "sample": False, "uploader": "", "filename": "js2.xlsx"},
    {"id": 3, "province": "广东省", "as_of": "2025-06-30", "uploaded_at": "2025-07-03T08:00:00", "state": "current",
     "sha256": "c" * 64, "sample": False, "uploader": "", "filename": "gd.xlsx"},
    {"id": 4, "province": "江苏省", "as_of": "2025-06-30", "uploaded_at": "2025-07-05T08:00:00", "state": "deleted",
     "sha256": "d" * 64, "sample": False, "uploader": "", "filename": "js3.xlsx"},
]


def test_the_previous_submission_of_a_province_is_the_latest_earlier_one_not_deleted():
    pairs = history_tables.latest_pairs(HISTORY)
    assert [(old["id"], new["id"]) for old, new in pairs] == [(1, 2)]


def test_history_is_newest_first_with_short_hashes():
    table = history_tables.history_table(HISTORY)
    assert table["id"].tolist() == [4, 3, 2, 1]
    assert table.loc[0, "sha256"] == "d" * 12


@pytest.mark.parametrize("sha, expected", [("b" * 64, 2), ("d" * 64, None), ("e" * 64, None)])
def test_re_uploading_the_same_bytes_is_recognised_unless_that_upload_was_deleted(sha, expected):
    hit = uploads.same_file(HISTORY, sha)
    assert (hit["id"] if hit else None) == expected


@pytest.mark.parametrize("name, size, expected", [
    ("进展表.xlsx", 1000, None), ("DATA.CSV", 10, None), ("old.xls", 10, None),
    ("report.pdf", 10, "app_upload_bad_type"), ("noext", 10, "app_upload_bad_type"),
    ("big.xlsx", 51 * 2**20, "app_upload_too_big"), ("empty.xlsx", 0, "app_upload_empty"),
])
def test_files_are_refused_by_type_and_size_before_they_are_read(name, size, expected):
    assert uploads.upload_refusal(name, size, 50 * 2**20) == expected


def test_evidence_is_listed_best_level_first(catalog):
    frame = pd.DataFrame({"province": ["广东省", "北京市", "江苏省"], "goal": ["q2025_model"] * 3,
                          "level": ["in_progress", "achieved", "achieved"], "evidence": ["a", "b", pd.NA]})
    table = evidence.evidence_table(frame, "goal", "q2025_model", catalog, "zh")
    assert table["province"].tolist() == ["北京市", "江苏省", "广东省"]
    assert table["evidence"].tolist() == ["b", "", "a"]
    assert evidence.evidence_table(frame, "goal", "q2027_source", catalog).empty


@pytest.mark.parametrize("scope, lang, fmt, expected", [
    ("national", "zh", "pdf", "未来产业目标进展报告_全国_2025-06-30.pdf"),
    ("江苏省", "zh", "xlsx", "未来产业目标进展报告_江苏省_2025-06-30.xlsx"),
    ("national", "en", "html", "future-industries-status_national_2025-06-30_en.html"),
])
def test_report_file_names_say_scope_date_and_language(scope, lang, fmt, expected):
    assert report_files.report_filename(scope, dt.date(2025, 6, 30), lang, fmt) == expected


# ---- issue 13 (second wave): the live period leads, money in words, no bogus percent for 一批 ------------
def test_live_targets_lead_and_each_passed_year_gets_its_final_section():
    rows = pd.concat([
        progress_rows(metric="tech", deadline=pd.Timestamp("2025-12-31"), passed=True),
        progress_rows(metric="eco_leader", deadline=pd.Timestamp("2027-12-31"), passed=False),
        progress_rows(metric="industry_scale", deadline=None, passed=False),
        progress_rows(metric="product", deadline=pd.Timestamp("2025-12-31"), passed=True),
    ], ignore_index=True)
    live, finals = cards.calendar_sections(rows)
    assert list(live["metric"]) == ["eco_leader", "industry_scale"]
    assert [(year, list(part["metric"])) for year, part in finals] == [(2025, ["tech", "product"])]


@pytest.mark.parametrize("lang, expected", [("en", "312.58 billion yuan"), ("zh", "3,125.8 亿元")])
def test_money_on_a_card_reads_as_billion_yuan_in_english(catalog, lang, expected):
    rows = progress_rows(metric="industry_scale", name_zh="未来产业规模", name_en="Future-industry scale",
                         unit="亿元", kind="value", deadline=None, actual=3125.8, target=float("nan"),
                         percent=float("nan"), target_text="", status="no_target")
    (card,) = cards.target_cards(rows, lang, catalog)
    assert cards.card_headline(card, lang) == expected
    assert "100 million yuan" not in cards.card_headline(card, lang)


def test_a_batch_card_has_no_percent_and_says_no_target_number(catalog):
    from app_support.ui import target_card_html

    rows = progress_rows(metric="eco_leader", name_zh="生态主导型领军企业", name_en="Ecosystem-leading enterprises",
                         unit="家", deadline=pd.Timestamp("2027-12-31"), actual=16.0, target=float("nan"),
                         percent=37.5, pace_percent=60.0, target_text="一批", status="no_target", passed=False)
    (card,) = cards.target_cards(rows, "en", catalog)
    assert card["no_number"] and card["percent"] is None
    html = target_card_html(card, "en")
    assert "No target number" in html and "16 enterprises / a batch" in html
    assert "37.5%" not in html and "done" not in html and "time elapsed" not in html
    assert "无量化目标" in target_card_html(cards.target_cards(rows, "zh", catalog)[0], "zh")


def test_a_provincial_metric_in_the_target_picker_is_named_in_the_reader_language():
    row = {"name_zh": "科技园区和先导区", "name_en": "Provincial metric: 科技园区和先导区", "deadline": "2026-12-31"}
    assert target_picker.target_choice_label(row, "en") == "Provincial metric: 科技园区和先导区 (2026)"
    assert target_picker.target_choice_label(row, "zh") == "科技园区和先导区 (2026)"


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["湖南省", "领军企业", "推进中", ""]),
    ("en", ["Hunan", "Leading enterprises", "In progress", ""]),
])
def test_rows_as_read_are_shown_by_name_not_by_key(catalog, lang, expected):
    """The mapping preview shows what a row is, never an internal key (enterprise, in_progress)."""
    rows = pd.DataFrame({"province": ["湖南省"], "metric": ["enterprise"], "status": ["in_progress"],
                         "direction": [None]})
    assert item_tables.by_name(rows, catalog, lang).iloc[0].tolist() == expected
