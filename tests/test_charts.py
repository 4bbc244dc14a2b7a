"""Plotly figures and static images of the progress engine's result on a hand-computed case."""
from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pytest
import yaml

from metrics import charts
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
    assert fig.layout.title.text and fig.layout.title.text != charts.t("chart_no_data", lang)
    assert date_text in fig.layout.title.subtitle.text
    assert fig.layout.xaxis.title.text
    if unit and lang == "zh":
        assert unit in fig.layout.xaxis.title.text + (fig.layout.yaxis.title.text or "")
    assert all(tr.hovertemplate or tr.hoverinfo == "skip" for tr in fig.data)
    assert "Noto Sans CJK SC" in fig.layout.font.family


def test_status_colours_come_from_status_yaml():
    defs = yaml.safe_load((ROOT / "metrics/data/status.yaml").read_text(encoding="utf-8"))["statuses"]
    assert {d["id"]: charts.status_color(d["id"]) for d in defs} == {d["id"]: d["colour"] for d in defs}
    assert charts.status_color("off_track") == "#D55E00"
    assert charts.status_label("off_track", "zh") == "滞后"


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
    actual = by_name[charts.t("chart_actual", "zh")]
    assert actual.y[-1] == 3 and pd.Timestamp(actual.x[-1]) == pd.Timestamp(AS_OF)
    pace = by_name[charts.t("chart_pace_line", "zh")]
    assert [pd.Timestamp(x).date().isoformat() for x in pace.x] == ["2024-01-18", "2025-12-31"]
    assert list(pace.y) == [0.0, 100.0]
    assert list(by_name[charts.t("chart_target", "zh")].y) == [100.0, 100.0]
    proj = by_name[charts.t("chart_projection", "zh")]
    assert proj.y[0] == 3 and pd.Timestamp(proj.x[0]) == pd.Timestamp(AS_OF)
    assert pd.Timestamp(proj.x[1]).date().isoformat() == "2025-12-31"


def test_heatmap_and_ranking_show_each_province_share(case):
    _, progress = case
    fig = charts.heatmap(progress, value="contribution_percent", lang="zh")
    hm = fig.data[0]
    z = dict(zip(hm.y, [row[list(hm.x).index("前沿关键核心技术")] for row in hm.z]))
    assert z == {"江苏省": pytest.approx(1.0), "广东省": pytest.approx(3.0)}
    rank = charts.ranking_chart(progress, "tech", lang="en").data[0]
    assert list(rank.y) == ["Guangdong", "Jiangsu"] or list(rank.y)[:2] == [
        charts.load_catalog().label("province", "广东省", "en"), charts.load_catalog().label("province", "江苏省", "en")]
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
    goal = charts.load_catalog().label("metric", "q2025_model", "zh")
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
    assert png[12:16] == b"IHDR" and width == round(images.WIDTH_IN * images.DPI) and 0 < height < width


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
    assert charts._template().layout.font.size is None
    assert b.layout.template.layout.font.size is None
    assert charts._template.cache_info().currsize == 1


# ---- issue 13, point 6: whole counts on axes, no point after the as-of date ---------------------------
@pytest.mark.parametrize("top, step", [(0, 1), (3, 1), (7, 2), (44, 10), (100, 20), (3125, 1000)])
def test_count_axes_step_by_whole_numbers(top, step):
    assert charts.whole_ticks(top) == {"tickmode": "linear", "tick0": 0, "dtick": step, "tickformat": ",d"}


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
    points = charts.trajectory_points(progress, "tech", "national", "national", None, charts.load_catalog())
    assert max(points["months"]) == pd.Timestamp("2025-06-15")
    assert pd.Timestamp("2025-06-30") not in points["months"]
    fig = charts.trajectory_chart(progress, "tech", lang="en")
    actual = next(tr for tr in fig.data if tr.name == charts.t("chart_actual", "en"))
    assert max(pd.Timestamp(x) for x in actual.x) == pd.Timestamp("2025-06-15")
