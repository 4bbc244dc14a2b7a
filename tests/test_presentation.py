"""The presentation layer: every worded or formatted fact, and the calendar's done-when case (issue 13)."""
from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from metrics import presentation as pr
from metrics.catalog import load_catalog
from metrics.progress import compute_progress
from test_progress import dataset, item, run_status, write_workbook

AS_OF = dt.date(2026, 11, 30)          # the fixed clock of the done-when case
D2025 = dt.date(2025, 12, 31)


@pytest.mark.parametrize("value, missing", [
    (None, True), (float("nan"), True), (np.float32("nan"), True), (np.float64("nan"), True), (pd.NA, True),
    (pd.NaT, True), (np.datetime64("NaT"), True), (0, False), (0.0, False), ("", False), ("一批", False),
    (dt.date(2025, 1, 1), False),
])
def test_is_missing(value, missing):
    assert pr.is_missing(value) is missing


@pytest.mark.parametrize("value, text", [
    (10.2, "10"), (10.5, "11"), (9.49, "9"), (0, "0"), (1234, "1,234"), (7.000000000000001, "7"),
    (None, ""), (float("nan"), ""),
])
def test_counts_are_always_whole(value, text):
    assert pr.fmt_count(value) == text


@pytest.mark.parametrize("value, digits, text", [
    (7.000000000000001, 1, "7"), (32.5, 1, "32.5"), (32.25, 2, "32.25"), (1234.0, 1, "1,234"),
    (69.9999, 1, "70"), (0.04, 1, "0"), (None, 1, ""),
])
def test_numbers(value, digits, text):
    assert pr.fmt_number(value, digits) == text


@pytest.mark.parametrize("value, lang, text", [
    (445.6, "zh", "445.6 亿元"), (445.6, "en", "44.56 billion yuan"), (1000, "zh", "1,000 亿元"),
    (1000, "en", "100 billion yuan"), (None, "zh", ""),
])
def test_money_in_yi_yuan(value, lang, text):
    assert pr.fmt_money(value, lang) == text


@pytest.mark.parametrize("value, kind, unit, lang, text", [
    (10.2, "count", "项", "zh", "10 项"), (445.6, "value", "亿元", "zh", "445.6 亿元"),
    (445.6, "value", "100 million yuan", "en", "44.56 billion yuan"), (3.5, "value", "%", "zh", "3.5 %"),
])
def test_values_by_kind(value, kind, unit, lang, text):
    assert pr.fmt_value(value, kind, unit, lang) == text


@pytest.mark.parametrize("precision, lang, text, iso", [
    ("day", "zh", "2025年3月1日", "2025-03-01"), ("month", "zh", "2025年3月", "2025-03"),
    ("year", "zh", "2025年", "2025"), ("day", "en", "1 March 2025", "2025-03-01"),
    ("month", "en", "March 2025", "2025-03"), ("year", "en", "2025", "2025"),
])
def test_dates_at_their_precision(precision, lang, text, iso):
    assert pr.fmt_date(dt.date(2025, 3, 1), lang, precision) == text
    assert pr.fmt_iso_date(pd.Timestamp("2025-03-01"), precision) == iso


@pytest.mark.parametrize("zone, stamp, text", [
    ("", "2026-12-01T00:30:00", "2026-12-01 08:30"),                 # default: Beijing time, naive = UTC
    ("Asia/Shanghai", "2026-11-30T23:59:00+00:00", "2026-12-01 07:59"),
    ("UTC", "2026-12-01T00:30:00", "2026-12-01 00:30"),
    ("Not/AZone", "2026-12-01T00:30:00", "2026-12-01 08:30"),      # unknown zone: the default, not a crash
])
def test_times_in_the_tracker_timezone(monkeypatch, zone, stamp, text):
    monkeypatch.setenv("TRACKER_TIMEZONE", zone)
    assert pr.fmt_time(stamp) == text


@pytest.mark.parametrize("status, zh, en, colour", [
    ("met", "已达标", "Met", "#009E73"), ("missed", "未完成", "Missed", "#CC79A7"),
    ("no_target", "无量化目标", "No target", "#999999"), ("bogus", "bogus", "bogus", "#999999"),
])
def test_status_words_and_colours(status, zh, en, colour):
    assert (pr.status_label(status, "zh"), pr.status_label(status, "en"), pr.status_colour(status)) == (zh, en, colour)


def test_one_status_parser_serves_engine_and_charts():
    from metrics import chart_style, charts, progress, tile_map
    assert pr.status_ids() == progress.STATUS_IDS == ("met", "on_track", "at_risk", "off_track", "missed",
                                                      "no_target")
    assert charts.status_label is pr.status_label and not hasattr(progress, "status_label")  # no second home
    assert tile_map.status_colour is pr.status_colour and chart_style.is_missing is pr.is_missing


@pytest.mark.parametrize("scope_type, scope, lang, text", [
    ("national", "national", "zh", "全国"), ("national", "national", "en", "National"),
    ("province", "内蒙古自治区", "en", "Inner Mongolia"), ("province", "内蒙古自治区", "zh", "内蒙古自治区"),
    ("province", "火星", "en", "火星"),
])
def test_scope_and_region_names(scope_type, scope, lang, text):
    assert pr.scope_label(load_catalog(), scope_type, scope, lang) == text


@pytest.mark.parametrize("row, lang, text", [
    ({"name_zh": "未来产业规模", "name_en": "Future-industry scale"}, "en", "Future-industry scale"),
    ({"name_zh": "未来产业规模", "name_en": float("nan")}, "en", "未来产业规模"),
    ({"name_zh": "未来产业规模", "name_en": "Future-industry scale"}, "zh", "未来产业规模"),
])
def test_metric_names(row, lang, text):
    assert pr.metric_name(row, lang) == text


PASSED = {"deadline": D2025, "actual": 44.0, "target": 100.0, "status": "missed", "passed": True,
          "after_deadline": 25.0, "met_on": None, "kind": "count", "projected": float("nan"), "unit": "项"}
LIVE = {"deadline": dt.date(2027, 12, 31), "actual": 14.0, "target": 30.0, "status": "at_risk", "passed": False,
        "after_deadline": float("nan"), "met_on": None, "kind": "count", "projected": 26.4, "unit": "个"}


@pytest.mark.parametrize("row, lang, text", [
    (PASSED, "zh", "2025年12月31日到期：完成 44 / 100 项，未完成。此后新增 25 项。"),
    (PASSED, "en", "Due 31 December 2025: 44 / 100 项 at the deadline. Missed. 25 项 added since the deadline."),
    ({**PASSED, "after_deadline": 60.0, "met_on": dt.date(2026, 11, 30)}, "zh",
     "2025年12月31日到期：完成 44 / 100 项，未完成。此后新增 60 项。2026年11月达到目标。"),
    ({**PASSED, "actual": 100.0, "status": "met", "after_deadline": 0.0, "met_on": dt.date(2025, 6, 30)}, "zh",
     "2025年12月31日到期：完成 100 / 100 项，已达标。"),
    (LIVE, "zh", "2027年12月31日到期：目前 14 / 30 个，预警。按当前速度预测到期完成 26 个。"),
    ({**LIVE, "target": float("nan"), "target_text": "一批", "status": "no_target"}, "zh",
     "2027年12月31日到期：目前 14 个 / 一批，无量化目标。"),
])
def test_deadline_sentence(row, lang, text):
    assert pr.deadline_sentence(row, lang) == text


# ---- the done-when case of issue 13: 44 by 2025-12-31, 25 after, as of 2026-11-30 ----------------------
def done_when_items() -> list[dict]:
    before = [item("广东省", "tech", f"技术{i}", "2025-06-30") for i in range(44)]
    after = [item("广东省", "tech", f"新技术{i}", "2026-05-31") for i in range(25)]
    return before + after


def test_passed_deadline_is_reported_as_it_ended():
    p = compute_progress(dataset(items=done_when_items()), as_of=AS_OF)
    nat = p.rows[(p.rows["scope"] == "national") & (p.rows["metric"] == "tech") & (p.rows["deadline"] == D2025)]
    r = nat.iloc[0].to_dict()
    assert (r["actual"], r["target"], r["status"], r["percent"]) == (44, 100, "missed", 44)
    assert (r["actual_now"], r["after_deadline"], bool(r["passed"])) == (69, 25, True)
    for gone in ("pace_percent", "pace_value", "gap_items", "gap_pp", "required_rate", "projected",
                 "projected_percent"):
        assert math.isnan(r[gone]), gone
    for lang, words in (("zh", ["44 / 100 项", "未完成", "此后新增 25 项"]), ("en", ["44 / 100", "25 项 added since the deadline"])):
        sentence = pr.deadline_sentence(r, lang)
        assert all(w in sentence for w in words), sentence
        assert "69" not in sentence and "70" not in sentence


def test_report_summary_says_44_of_100_and_the_25_after():
    from metrics.report.content import summary_paragraphs
    catalog = load_catalog()
    p = compute_progress(dataset(items=done_when_items()), as_of=AS_OF)
    rows = p.rows[(p.rows["scope"] == "national") & (p.rows["metric"] == "tech")]
    text = "\n".join(summary_paragraphs(rows, catalog, "national", "national", AS_OF, "zh"))
    # The report says the fact with the one deadline wording, after the metric (the scope is in the
    # summary's first sentence).
    assert "前沿关键核心技术，2025年12月31日到期：完成 44 / 100 项，未完成。此后新增 25 项。" in text
    assert "69%" not in text and "70%" not in text


def test_status_json_keeps_its_fields_with_null_after_the_deadline(tmp_path):
    wb = tmp_path / "gd.xlsx"
    write_workbook(wb, "广东省", [("前沿关键核心技术", name, "", date) for name, date in
                                 [(f"技术{i}", "2025-06-30") for i in range(44)]
                                 + [(f"新技术{i}", "2026-05-31") for i in range(25)]], [])
    from openpyxl import load_workbook
    book = load_workbook(wb)
    book["基本信息"]["B2"] = AS_OF.isoformat()  # the workbook's own as-of date: items up to it are counted
    book.save(wb)
    out = run_status(str(wb), "--as-of", AS_OF.isoformat(), "--json")
    assert out.returncode == 0, out.stderr
    rows = {(r["scope"], r["metric"], r["deadline"]): r for r in json.loads(out.stdout)}
    r = rows[("national", "tech", "2025-12-31")]
    assert (r["actual"], r["target"], r["status"], r["actual_at_deadline"]) == (44, 100, "missed", 44)
    assert (r["passed"], r["actual_now"], r["after_deadline"]) == (True, 69, 25)
    assert [r[k] for k in ("pace_percent", "pace_value", "gap_items", "gap_pp", "required_rate", "projected",
                           "projected_percent")] == [None] * 7
    live = rows[("national", "tech", "2027-12-31")] if ("national", "tech", "2027-12-31") in rows else None
    if live is not None:  # the live target keeps its forward-looking figures
        assert live["passed"] is False and live["after_deadline"] is None and live["actual"] == 69
    table = run_status(str(wb), "--as-of", AS_OF.isoformat())
    assert "此后新增 25 项" in table.stdout and "预测到期完成 44" not in table.stdout


@pytest.mark.parametrize("lang, expected", [("zh", "9 个 / 一批"), ("en", "9 incubators / a batch")])
def test_a_target_in_words_is_said_in_the_readers_language(lang, expected):
    from metrics.presentation import target_figure

    row = {"kind": "count", "actual": 9, "target": float("nan"), "target_text": "一批"}
    assert target_figure(row, "个" if lang == "zh" else "incubators", lang) == expected


# ---- issue 13, second wave -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, unreviewed, lang, expected", [
    ("截至2026年11月30日", True, "zh", "截至2026年11月30日 · 含未审核数据"),
    ("as of 30 November 2026", True, "en", "as of 30 November 2026 · includes unreviewed data"),
    ("", True, "zh", "含未审核数据"),
    ("截至2026年11月30日", False, "zh", "截至2026年11月30日"),
])
def test_unreviewed_data_is_marked_by_one_function(text, unreviewed, lang, expected):
    from metrics.presentation import unreviewed_mark

    assert unreviewed_mark(text, unreviewed, lang) == expected


@pytest.mark.parametrize("row, unit, lang, expected", [
    ({"kind": "value", "actual": 3125.8, "target": float("nan"), "target_text": ""}, "100 million yuan", "en",
     "312.58 billion yuan"),
    ({"kind": "value", "actual": 3125.8, "target": 4000.0}, "100 million yuan", "en",
     "312.58 billion yuan / 400 billion yuan"),
    ({"kind": "value", "actual": 3125.8, "target": float("nan"), "target_text": ""}, "亿元", "zh", "3,125.8 亿元"),
    ({"kind": "count", "actual": 16.0, "target": float("nan"), "target_text": "一批"}, "enterprises", "en",
     "16 enterprises / a batch"),
])
def test_a_figure_with_money_reads_in_billion_yuan_in_english(row, unit, lang, expected):
    from metrics.presentation import target_figure

    assert target_figure(row, unit, lang) == expected


@pytest.mark.parametrize("value, unit, lang, expected", [
    (1, "incubators", "en", "1 incubator"),
    (1, "technologies", "en", "1 technology"),
    (2, "technologies", "en", "2 technologies"),
    (0, "enterprises", "en", "0 enterprises"),
    (1, "个", "zh", "1 个"),
    (1, "项", "en", "1 项"),  # a unit the catalog gives only in Chinese stays as written
])
def test_a_count_of_one_takes_the_singular_unit_in_english(value, unit, lang, expected):
    from metrics.presentation import fmt_value

    assert fmt_value(value, "count", unit, lang) == expected


# ---- the dashboard's table cells and pickers ("–" where there is no value) -------------------------------
@pytest.mark.parametrize("moment, expected", [
    ("2026-11-29T00:40:28.745764+00:00", "2026-11-29 08:40"),  # stored UTC, shown in Beijing time
    ("2026-11-29T08:40:00+08:00", "2026-11-29 08:40"),
    ("2026-11-29 08:40:00", "2026-11-29 08:40"),
    (None, ""),
])
def test_time_stamps_read_to_the_minute(moment, expected):
    assert pr.minute_text(moment) == expected


@pytest.mark.parametrize("value, unit, lang, expected", [
    (3.25, "项", "zh", "3.2 项/月"), (4.0, "technologies", "en", "4 technologies/month"),
    (None, "项", "zh", "–"), (float("nan"), "项", "zh", "–"),
])
def test_required_rate_reads_per_month(value, unit, lang, expected):
    assert pr.rate_text(value, unit, lang) == expected


@pytest.mark.parametrize("lang, expected", [("zh", "一批"), ("en", "a batch")])
def test_a_target_in_words_reads_in_the_readers_language_on_the_gaps_page_as_on_the_cards(lang, expected):
    row = {"target": float("nan"), "target_text": "一批"}
    assert pr.target_text(row, lang, "项") == expected
    assert pr.target_text({"target": 12.0}, lang, "项") == "12 项"
    assert pr.target_text({"target": None, "target_text": None}, lang, "项") == "–"


def test_custom_metric_names_are_said_in_the_reader_language():
    targets = pd.DataFrame({"metric": ["custom_de7a6236", "tech"], "name_zh": ["科技园区和先导区", "前沿关键核心技术"]})
    assert pr.custom_metric_names(targets) == {"custom_de7a6236": "科技园区和先导区"}
    assert pr.custom_metric_names(targets, "en") == {"custom_de7a6236": "Provincial metric: 科技园区和先导区"}
    assert pr.custom_metric_names(targets.iloc[:0]) == {}


@pytest.mark.parametrize("value, number, percent", [
    (42.5, 42.5, "42.5%"), ("7", 7.0, "7%"), (None, None, "–"), (float("nan"), None, "–"), (pd.NA, None, "–"),
    ("n/a", None, "–"),
])
def test_a_table_cell_without_a_number_shows_a_dash(value, number, percent):
    assert pr.finite_number(value) == number
    assert pr.percent_text(value) == percent


@pytest.mark.parametrize("n, noun, lang, expected", [
    (0, "row", "en", "0 rows"), (1, "row", "en", "1 row"), (2, "row", "en", "2 rows"),
    (0, "row", "zh", "0 行"), (1, "row", "zh", "1 行"), (2, "row", "zh", "2 行"),
    (1, "error", "en", "1 error"), (2, "error", "zh", "2 个错误"), (1, "warning", "en", "1 warning"),
    (0, "submission", "en", "0 submissions"), (1, "submission", "en", "1 submission"),
    (2, "original_file", "en", "2 original files"), (1, "mapping_profile", "en", "1 mapping profile"),
    (1, "valid_row", "en", "1 valid row"), (2, "invalid_row", "en", "2 invalid rows"), (1, "valid_row", "zh", "有效 1 行"),
    (1.0, "region", "en", "1 region"), (1234, "region", "en", "1,234 regions"), (np.int64(1), "row", "en", "1 row"),
])
def test_a_count_takes_the_singular_noun_after_one_in_english(n, noun, lang, expected):
    assert pr.counted(n, noun, lang) == expected


def test_every_counted_noun_has_its_singular_and_plural():
    from metrics.i18n import translations

    keys = set(translations())
    nouns = {k[len("count_"):] for k in keys if k.startswith("count_") and not k.endswith("_one")}
    assert nouns >= {"row", "error", "warning", "submission", "original_file", "mapping_profile"}
    assert {f"count_{n}_one" for n in nouns} <= keys


@pytest.mark.parametrize("change, lang, expected", [
    ("added", "en", "Added"), ("removed", "en", "Removed"), ("changed", "en", "Changed"),
    ("added", "zh", "新增"), ("removed", "zh", "删除"), ("changed", "zh", "修改"),
])
def test_a_change_is_worded_in_the_readers_language(change, lang, expected):
    assert pr.change_label(change, lang) == expected
