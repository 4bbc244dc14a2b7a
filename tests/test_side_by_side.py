"""Side by side: every target of the picked regions next to each other, figures as the reader reads them."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from metrics.side_by_side import cell_text, side_by_side_chart, side_by_side_table
from test_app_pages import open_app, sample_url  # noqa: F401 - fixture

COLUMNS = ["scope_type", "scope", "metric", "deadline", "actual", "target", "percent", "status", "unit", "kind"]
ROWS = pd.DataFrame([
    ("province", "广东省", "tech", pd.Timestamp("2025-12-31"), 12.0, 20.0, 60.0, "missed", "项", "count"),
    ("province", "江苏省", "tech", pd.Timestamp("2025-12-31"), 30.0, 25.0, 120.0, "achieved", "项", "count"),
    ("province", "江苏省", "scale", pd.Timestamp("2027-12-31"), 560.8, None, None, "no_target", "亿元", "sum"),
    ("province", "浙江省", "tech", pd.Timestamp("2025-12-31"), 1.0, 10.0, 10.0, "missed", "项", "count"),
], columns=COLUMNS)
PROGRESS = SimpleNamespace(rows=ROWS)


@pytest.mark.parametrize("row, lang, expected", [
    (ROWS.iloc[0].to_dict(), "zh", "12 / 20 项 · 60%"),
    (ROWS.iloc[2].to_dict(), "zh", "560.8 亿元 · 无目标"),
    (ROWS.iloc[0].to_dict(), "en", "12 / 20 technologies · 60%"),
    (ROWS.iloc[2].to_dict(), "en", "56.08 billion yuan · 无目标"),  # money as fmt_money words it
    ({**ROWS.iloc[2].to_dict(), "metric": "incubator", "unit": "个", "actual": 1.0, "kind": "count"}, "en",
     "1 incubator · 无目标"),
])
def test_a_cell_reads_actual_target_and_percent(row, lang, expected):
    from metrics.presentation import status_label

    assert cell_text(row, lang) == expected.replace("无目标", status_label("no_target", lang))


def test_the_table_puts_the_picked_regions_side_by_side_in_their_order():
    table = side_by_side_table(PROGRESS, ["江苏省", "广东省"], "en")
    assert list(table.columns)[1:] == ["Jiangsu", "Guangdong"]
    assert len(table) == 2  # tech (2025) and scale (2027)
    tech = table[table.iloc[:, 0].str.endswith("(2025)")].iloc[0]
    assert (tech["Jiangsu"], tech["Guangdong"]) == ("30 / 25 technologies · 120%", "12 / 20 technologies · 60%")
    scale = table[table.iloc[:, 0].str.endswith("(2027)")].iloc[0]
    assert scale["Guangdong"] == "–"  # Guangdong reports no such target: a dash, never None


def test_the_chart_has_one_bar_series_per_region_with_its_percents():
    fig = side_by_side_chart(PROGRESS, ["广东省", "浙江省"], "zh")
    assert [tr.name for tr in fig.data] == ["广东省", "浙江省"]
    assert [list(tr.x) for tr in fig.data] == [[60.0], [10.0]]


def test_the_first_regions_shown_are_those_with_the_most_percents():
    from metrics.side_by_side import default_regions

    assert default_regions(PROGRESS) == ["广东省", "江苏省"]  # 1 percent each, catalog-stable order; 浙江 also 1


def test_the_picked_regions_stay_picked_when_the_language_is_switched(sample_url, monkeypatch):
    at = open_app(sample_url, monkeypatch, samples=True)
    at.session_state["compare_tab"] = "side_by_side"
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.multiselect(key="side_by_side__zh").set_value(["浙江省", "北京市", "上海市"]).run()
    assert at.session_state["side_by_side"] == ["浙江省", "北京市", "上海市"]
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # The same regions, stored by canonical name, shown under their English names.
    picker = at.multiselect(key="side_by_side__en")
    assert picker.value == ["浙江省", "北京市", "上海市"]
    assert picker.format_func("北京市") == "Beijing"
    table = next(d.value for d in at.dataframe if "Beijing" in d.value.columns)
    assert list(table.columns)[1:] == ["Zhejiang", "Beijing", "Shanghai"]
    at.multiselect(key="side_by_side__en").unselect("上海市").run()
    at.session_state["lang"] = "zh"
    at.run()
    assert at.multiselect(key="side_by_side__zh").value == ["浙江省", "北京市"]
