"""Plotly figures and static images of the progress engine's result on a hand-computed case."""
from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pytest
import yaml

from metrics import chart_rows, chart_style, charts, presentation
from metrics.catalog import load_catalog
from metrics.i18n import t
from metrics.report import images
from report_case import AS_OF, PACE, hand_progress

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def case():
    return hand_progress()


BUILDERS = [
    ("overview_bullets", {}, "%"),
    ("bullet_chart", {"metric": "tech"}, "项"),
    ("trajectory_chart", {"metric": "tech"}, "项"),
    ("breakdown_chart", {"metric": "tech", "by": "direction"}, "项"),
    ("heatmap", {"value": "contribution_percent"}, None),
    ("ranking_chart", {"metric": "tech"}, "项"),
    ("levels_chart", {"kind": "goals"}, None),
    ("levels_chart", {"kind": "tasks"}, None),
]


@pytest.mark.parametrize("name,kwargs,unit", BUILDERS)
@pytest.mark.parametrize("lang,date_text", [("zh", "2025年6月30日"), ("en", "30 June 2025")])
def test_every_figure_has_a_title_the_as_of_date_axis_titles_and_hover_values(case, name, kwargs, unit, lang,
                                                                                date_text):
    _, progress = case
    fig = getattr(charts, name)(progress, **kwargs, lang=lang)
    assert fig.layout.title.text and fig.layout.title.text != t("chart_no_data", lang)
    assert date_text in fig.layout.title.subtitle.text
    assert fig.layout.xaxis.title.text
    if unit and lang == "zh":
        assert unit in fig.layout.xaxis.title.text + (fig.layout.yaxis.title.text or "")
    assert all(tr.hovertemplate or tr.hoverinfo == "skip" for tr in fig.data)
    assert "Noto Sans CJK SC" in fig.layout.font.family


def test_status_colours_come_from_status_yaml():
    defs = yaml.safe_load((ROOT / "metrics/data/status.yaml").read_text(encoding="utf-8"))["statuses"]
    assert {d["id"]: presentation.status_colour(d["id"]) for d in defs} == {d["id"]: d["colour"] for d in defs}
    assert presentation.status_colour("off_track") == "#D55E00"
    assert presentation.status_label("off_track", "zh") == "滞后"


def test_overview_bars_show_percent_in_status_colour_and_pace(case):
    _, progress = case
    fig = charts.overview_bullets(progress, lang="zh")
    bars = fig.data[0]
    i = list(bars.y).index("前沿关键核心技术")
    assert bars.x[i] == pytest.approx(3.0)
    assert bars.marker.color[i] == "#D55E00"
    pace = fig.data[1]
    j = list(pace.y).index("前沿关键核心技术")
    assert pace.x[j] == pytest.approx(PACE)


def test_trajectory_has_series_pace_from_baseline_target_and_projection(case):
    _, progress = case
    fig = charts.trajectory_chart(progress, "tech", lang="zh")
    by_name = {tr.name: tr for tr in fig.data}
    actual = by_name[t("chart_actual", "zh")]
    assert actual.y[-1] == 3 and pd.Timestamp(actual.x[-1]) == pd.Timestamp(AS_OF)
    pace = by_name[t("chart_pace_line", "zh")]
    assert [pd.Timestamp(x).date().isoformat() for x in pace.x] == ["2024-01-18", "2025-12-31"]
    assert list(pace.y) == [0.0, 100.0]
    assert list(by_name[t("chart_target", "zh")].y) == [100.0, 100.0]
    proj = by_name[t("chart_projection", "zh")]
    assert proj.y[0] == 3 and pd.Timestamp(proj.x[0]) == pd.Timestamp(AS_OF)
    assert pd.Timestamp(proj.x[1]).date().isoformat() == "2025-12-31"


def test_heatmap_and_ranking_show_each_province_share(case):
    _, progress = case
    fig = charts.heatmap(progress, value="contribution_percent", lang="zh")
    hm = fig.data[0]
    z = dict(zip(hm.y, [row[list(hm.x).index(charts.wrap_label("前沿关键核心技术"))] for row in hm.z]))
    assert z == {"江苏省": pytest.approx(1.0), "广东省": pytest.approx(3.0)}
    rank = charts.ranking_chart(progress, "tech", lang="en").data[0]
    assert list(rank.y) == ["Guangdong", "Jiangsu"] or list(rank.y)[:2] == [
        load_catalog().label("province", "广东省", "en"), load_catalog().label("province", "江苏省", "en")]
    assert list(rank.x) == [3, 1]


def test_breakdown_counts_items_by_direction(case):
    _, progress = case
    bars = charts.breakdown_chart(progress, "tech", by="direction", lang="zh").data[0]
    got = {y: x for y, x in zip(bars.y, bars.x) if x}
    assert got == {"未来信息": 1, "未来制造": 2}


def test_levels_chart_stacks_the_self_assessments(case):
    _, progress = case
    fig = charts.levels_chart(progress, kind="goals", lang="zh")
    by_level = {tr.name: dict(zip(tr.y, tr.x)) for tr in fig.data}
    goal = load_catalog().label("metric", "q2025_model", "zh")
    assert by_level["已实现"][goal] == 1 and by_level["推进中"][goal] == 1 and by_level["未启动"][goal] == 0


@pytest.mark.parametrize("name,kwargs", [(n, k) for n, k, _ in BUILDERS])
def test_static_images_are_png(case, name, kwargs):
    _, progress = case
    png = getattr(images, name)(progress, **kwargs, lang="zh")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_chart_png_is_saved_for_a_look(case):
    _, progress = case
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    png = images.overview_bullets(progress, lang="zh")
    (out / "chart_overview.png").write_bytes(png)
    (out / "chart_trajectory.png").write_bytes(images.trajectory_chart(progress, "tech", lang="zh"))
    # The saved image is the report's width (the PNG header's IHDR holds width and height in pixels).
    width, height = struct.unpack(">II", png[16:24])
    # matplotlib truncates the fractional pixel (156 mm at 176 dpi is 1080.9 px)
    assert png[12:16] == b"IHDR" and width == int(images.WIDTH_IN * images.DPI) and 0 < height < width


def test_every_figure_carries_plotly_white_from_one_cached_template_it_cannot_mutate(case):
    """The template is validated once per process (issue 17); each figure gets its own copy."""
    import plotly.io as pio

    _, progress = case
    a = charts.bullet_chart(progress, metric="tech", lang="zh")
    b = charts.trajectory_chart(progress, metric="tech", lang="zh")
    white = pio.templates["plotly_white"].to_plotly_json()
    assert a.layout.template.to_plotly_json() == white
    assert b.layout.template.to_plotly_json() == white
    a.layout.template.layout.font.size = 99
    assert chart_style._template().layout.font.size is None
    assert b.layout.template.layout.font.size is None
    assert chart_style._template.cache_info().currsize == 1


# ---- issue 13, point 6: whole counts on axes, no point after the as-of date ---------------------------
@pytest.mark.parametrize("top, step", [(0, 1), (3, 1), (7, 2), (44, 10), (100, 20), (3125, 1000)])
def test_count_axes_step_by_whole_numbers(top, step):
    assert chart_style.whole_ticks(top) == {"tickmode": "linear", "tick0": 0, "dtick": step, "tickformat": ",d"}


@pytest.mark.parametrize("name, kwargs, axis", [("bullet_chart", {"metric": "tech"}, "xaxis"),
                                                ("trajectory_chart", {"metric": "tech"}, "yaxis"),
                                                ("breakdown_chart", {"metric": "tech", "by": "direction"}, "xaxis"),
                                                ("ranking_chart", {"metric": "tech"}, "xaxis"),
                                                ("levels_chart", {"kind": "goals"}, "xaxis")])
def test_every_count_axis_has_whole_ticks(case, name, kwargs, axis):
    _, progress = case
    ax = getattr(getattr(charts, name)(progress, lang="zh", **kwargs).layout, axis)
    assert ax.tickformat == ",d" and ax.dtick >= 1 and float(ax.dtick).is_integer()


def test_a_trajectory_ends_at_the_as_of_date_not_the_month_end_after_it(case):
    import datetime as dt

    from metrics.progress import compute_progress

    data, _ = case
    progress = compute_progress(data, as_of=dt.date(2025, 6, 15))
    points = chart_rows.trajectory_points(progress, "tech", "national", "national", None, load_catalog())
    assert max(points["months"]) == pd.Timestamp("2025-06-15")
    assert pd.Timestamp("2025-06-30") not in points["months"]
    fig = charts.trajectory_chart(progress, "tech", lang="en")
    actual = next(tr for tr in fig.data if tr.name == t("chart_actual", "en"))
    assert max(pd.Timestamp(x) for x in actual.x) == pd.Timestamp("2025-06-15")


# ---- the heat map's diverging scale and the ranking's axis (issue 15) ---------------------------------
def _with_targets(as_of):
    """The hand case with provincial targets: 广东省 3 of 4 technologies, 江苏省 1 of 10 and 1 of 1 product,
    all due 2025-12-31; 上海市 has no target (a region the percent heat map leaves out)."""
    from dataclasses import replace

    from metrics.model import conform
    from metrics.progress import compute_progress
    from report_case import hand_dataset

    data = hand_dataset()
    rows = [dict(province=p, metric=m, name_zh=n, unit="项", kind="count", value=v, qualifier="ge", text=f"{v}项",
                 deadline=pd.Timestamp("2025-12-31"), source="x.xlsx", sheet="目标设定", row=i + 2)
            for i, (p, m, n, v) in enumerate([("广东省", "tech", "前沿关键核心技术", 4.0),
                                              ("江苏省", "tech", "前沿关键核心技术", 10.0),
                                              ("江苏省", "product", "标志性产品", 1.0)])]
    items = pd.concat([data.items, conform(pd.DataFrame([dict(
        province="上海市", metric="tech", name="上海成果", code="", direction="information", flagship="",
        status="achieved", date="2025-01-10", date_precision="day", evidence="", key="上海成果", source="sh.xlsx",
        sheet="项目清单", row=2, lead_unit="")]), "items")], ignore_index=True)
    data = replace(data, items=conform(items, "items"), targets=conform(pd.DataFrame(rows), "targets"))
    return compute_progress(data, as_of=as_of)


def _cells(fig):
    hm = fig.data[0]
    # keyed by the column's name unwrapped
    return {(y, x.replace("<br>", " " if x.isascii() else "")): (z, txt)
            for y, zr, tr in zip(hm.y, hm.z, hm.text) for x, z, txt in zip(hm.x, zr, tr)}


def test_heatmap_diverges_around_the_pace_and_says_what_the_colours_mean():
    progress = _with_targets(AS_OF)
    fig = charts.heatmap(progress, value="percent", lang="zh")
    cells = _cells(fig)
    # 广东省 75 % against a pace of 74.19 %: 0.81 points ahead; 江苏省 10 %: 64.2 behind, drawn at the -50 end;
    # 江苏省's one product of one is met: the ahead end.
    assert cells[("广东省", "前沿关键核心技术")][0] == pytest.approx(75 - PACE)
    assert cells[("广东省", "前沿关键核心技术")][1] == "75%"
    assert cells[("江苏省", "前沿关键核心技术")][0] == -charts.HEAT_CAP
    assert cells[("江苏省", "标志性产品")][0] == charts.HEAT_CAP
    hm = fig.data[0]
    assert hm.zmid == 0 and hm.colorscale[0][1] == "#D55E00" and hm.colorscale[-1][1] == "#0072B2"
    assert list(hm.colorbar.ticktext) == ["落后50个百分点以上<br>或到期未完成", "落后25个百分点", "与时间进度持平",
                                          "超前25个百分点", "超前50个百分点以上<br>或已达标"]
    assert hm.colorbar.title.text == "相对时间进度"
    assert "上海市" not in hm.y  # no target with a number: left out, and said
    assert fig.layout.annotations[0].text == "另有 1 个地区未设定可计算完成比例的数值目标，未列出。"
    hover = dict(zip(hm.y, [row[list(hm.x).index("前沿关键<br>核心技术")] for row in hm.customdata]))
    assert "落后 64.2 个百分点" in hover["江苏省"]
    en = charts.heatmap(progress, value="percent", lang="en").data[0]
    assert en.colorbar.title.text == "Against the time-elapsed pace"
    assert en.colorbar.ticktext[2] == "On pace" and list(en.y) == ["Jiangsu", "Guangdong"]


def test_heatmap_colours_a_passed_deadline_by_its_final_result():
    import datetime as dt

    progress = _with_targets(dt.date(2026, 3, 1))
    cells = _cells(charts.heatmap(progress, value="percent", lang="zh"))
    assert cells[("广东省", "前沿关键核心技术")] == (-charts.HEAT_CAP, "75%<br>未完成")
    assert cells[("江苏省", "标志性产品")] == (charts.HEAT_CAP, "100%<br>已达标")
    en = _cells(charts.heatmap(progress, value="percent", lang="en"))
    assert en[("Guangdong", "Frontier key core technologies")][1] == "75%<br>Missed"


def test_ranking_axis_says_money_as_money_and_counts_with_their_unit(case):
    _, progress = case
    assert charts.ranking_chart(progress, "tech", lang="zh").layout.xaxis.title.text == "累计数量（项）"
    assert charts.ranking_chart(progress, "tech", lang="en").layout.xaxis.title.text == \
        "Cumulative count (technologies)"
    rows = progress.rows.copy()
    money = rows[(rows["scope_type"] == "province") & (rows["metric"] == "tech")].assign(
        metric="industry_scale", kind="value", unit="亿元", actual=[445.6, 120.0], contribution_percent=float("nan"))
    fake = type("P", (), {"rows": pd.concat([rows, money]), "as_of": AS_OF})()
    zh = charts.ranking_chart(fake, "industry_scale", lang="zh")
    assert zh.layout.xaxis.title.text == "累计金额（亿元）" and list(zh.data[0].x) == [445.6, 120.0]
    assert zh.data[0].customdata[0].startswith("第1位，445.6 亿元，状态：")
    en = charts.ranking_chart(fake, "industry_scale", lang="en")
    assert en.layout.xaxis.title.text == "Cumulative amount (billion yuan)"
    assert list(en.data[0].x) == pytest.approx([44.56, 12.0]) and list(en.data[0].text) == ["44.56", "12"]
    assert en.data[0].customdata[0].startswith("Rank 1, 44.56 billion yuan, status: ")
    assert "None" not in " ".join(en.data[0].customdata) and "%" not in en.data[0].customdata[0]


@pytest.mark.parametrize("text, wrapped", [
    ("Frontier key core technologies", "Frontier key<br>core<br>technologies"),
    ("前沿关键核心技术", "前沿关键<br>核心技术"),  # a Chinese character takes two columns
    ("未来产业规模", "未来产业规模"),
    ("Provincial metric: 科技园区和先导区", "Provincial<br>metric:<br>科技园区<br>和先导区"),
])
def test_heat_map_labels_wrap_and_are_never_cut(text, wrapped):
    assert charts.wrap_label(text) == wrapped
    assert charts.wrap_label(text).replace("<br>", "").replace(" ", "") == text.replace(" ", "")


def test_a_money_bullet_is_drawn_in_the_unit_its_words_use(case):
    _, progress = case
    rows = progress.rows.copy()
    money = rows[(rows["scope_type"] == "province") & (rows["scope"] == "广东省") & (rows["metric"] == "tech")].assign(
        metric="industry_scale", kind="value", unit="亿元", actual=445.6, target=700.0, pace_value=500.0)
    fake = type("P", (), {"rows": pd.concat([rows, money]), "as_of": AS_OF})()
    zh = charts.bullet_chart(fake, "industry_scale", scope_type="province", scope="广东省", lang="zh")
    assert zh.layout.xaxis.title.text == "累计金额（亿元）" and zh.data[1].text == ("445.6 亿元",)
    en = charts.bullet_chart(fake, "industry_scale", scope_type="province", scope="广东省", lang="en")
    assert en.layout.xaxis.title.text == "Cumulative amount (billion yuan)"
    assert en.data[0].x == (70.0,) and en.data[1].x == pytest.approx((44.56,)) and en.data[2].x == (50.0,)
    assert en.data[1].text == ("44.56 billion yuan",)


def test_the_region_matrix_takes_no_language_and_keeps_catalog_order(case):
    import inspect

    _, progress = case
    m = chart_rows.heatmap_matrix(progress, "contribution_percent")
    assert list(m.index) == ["江苏省", "广东省"]  # regions.yaml order
    assert list(m.columns) == ["tech", "product", "enterprise", "scenario", "standard", "service_org"]
    assert (m.loc["广东省", "tech"], m.loc["江苏省", "tech"], m.loc["江苏省", "product"]) == (3.0, 1.0, 1.0)
    assert list(inspect.signature(chart_rows.heatmap_matrix).parameters) == ["progress", "value", "catalog"]
