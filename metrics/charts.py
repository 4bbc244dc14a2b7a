"""Plotly figures of progress data, used by the app pages and the HTML report.

Every builder takes the progress engine's result (``Progress``: ``rows``, ``series``, ``goals``,
``tasks``, ``as_of``) and a language, and returns a ``go.Figure`` with a title, the as-of date as
subtitle, axis labels with units and hover values. Text comes from the translation table
(``metrics/data/i18n/charts.yaml``), status words and colours, numbers and dates from
``metrics.presentation``, other styling from ``metrics.chart_style``; the rows they draw from
``metrics.chart_rows``.
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .catalog import Catalog, load_catalog
from .chart_rows import (as_of_of, breakdown_rows, heatmap_grid, heatmap_rows, is_money, level_counts,
                         no_number_note, ranking_rows, scope_label, scope_rows, target_words, trajectory_points,
                         unit_label)
from .chart_style import chart_style, count_axis, layout, level_color, status_legend
from .i18n import t
from .presentation import (deadline_sentence, fmt_count, fmt_number, fmt_percent, fmt_value, is_missing, metric_name,
                           region_name, status_colour, status_label, year_of)


# ---- the figures --------------------------------------------------------------------------------
def _row_label(row: Any, lang: str, multi: bool) -> str:
    name = metric_name(row, lang)
    return f"{name} ({year_of(row['deadline'])})" if multi else name


def bullet_chart(progress: Any, metric: str, *, scope_type: str = "national", scope: str = "national",
                 deadline: Any = None, lang: str = "zh", catalog: Catalog | None = None) -> go.Figure:
    """One target: the actual bar in its status colour against the pace marker and the target line."""
    catalog = catalog or load_catalog()
    rows = scope_rows(progress, scope_type, scope)
    rows = rows[rows["metric"] == metric]
    if deadline is not None:
        rows = rows[pd.to_datetime(rows["deadline"]) == pd.Timestamp(deadline)]
    fig = go.Figure()
    if rows.empty:
        return layout(fig, t("chart_no_data", lang), as_of_of(progress), lang, height=220)
    r = rows.iloc[0]
    money = is_money(r["kind"], r["unit"])
    # Money is drawn in the unit fmt_money words it: 亿元 in Chinese, billion yuan (÷ 10) in English.
    unit = t("chart_money_unit", lang) if money else unit_label(catalog, metric, r["unit"], lang)
    axis, factor = amount_axis(r["kind"], r["unit"] if money else unit, lang)

    def drawn(v: Any) -> Any:
        return v if is_missing(v) else float(v) * factor

    name = metric_name(r, lang)
    label = [name]
    target, actual, pace = drawn(r["target"]), drawn(r["actual"]), drawn(r["pace_value"])
    if not is_missing(target):
        fig.add_trace(go.Bar(x=[target], y=label, orientation="h", name=t("chart_target", lang),
                             marker_color=chart_style()["target_band"], width=0.8,
                             hovertemplate=f"{t('chart_target', lang)}: %{{x:,}} {unit}<extra></extra>"))
    fig.add_trace(go.Bar(x=[actual], y=label, orientation="h", width=0.4,
                         name=f"{t('chart_actual', lang)} · {status_label(r['status'], lang)}",
                         marker_color=status_colour(r["status"]),
                         text=[fmt_value(r["actual"], r["kind"], r["unit"] if money else unit, lang)],
                         textposition="outside",
                         hovertemplate=f"{t('chart_actual', lang)}: %{{x:,}} {unit}<extra></extra>"))
    if not is_missing(pace) and not is_missing(target):
        fig.add_trace(go.Scatter(x=[pace], y=label, mode="markers", name=t("chart_pace", lang),
                                 marker={"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": chart_style()["pace_line"]}},
                                 hovertemplate=f"{t('chart_pace', lang)}: %{{x:,.1f}} {unit}<extra></extra>"))
    if not is_missing(target):
        fig.add_trace(go.Scatter(x=[target], y=label, mode="markers", name=t("chart_target", lang),
                                 marker={"symbol": "line-ns", "size": 40, "line": {"width": 3, "color": chart_style()["target_line"]}},
                                 showlegend=False, hovertemplate=f"{t('chart_target', lang)}: %{{x:,}} {unit}<extra></extra>"))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=axis, rangemode="tozero")
    count_axis(fig, "x", [actual, target, pace], r["kind"])
    title = t("chart_bullet_title", lang, metric=name, year=year_of(r["deadline"]))
    return layout(fig, title, as_of_of(progress), lang, height=240)


def overview_bullets(progress: Any, *, scope_type: str = "national", scope: str = "national", lang: str = "zh",
                     catalog: Catalog | None = None) -> go.Figure:
    """All targets of a scope, compact: percent of target per metric, pace marker, 100 % line."""
    catalog = catalog or load_catalog()
    rows = scope_rows(progress, scope_type, scope)
    fig = go.Figure()
    if rows.empty:
        return layout(fig, t("chart_no_data", lang), as_of_of(progress), lang, height=220)
    multi = rows["metric"].duplicated(keep=False)
    labels = [_row_label(r, lang, bool(m)) for (_, r), m in zip(rows.iterrows(), multi)]
    pct = [0.0 if is_missing(p) else float(p) for p in rows["percent"]]
    texts, hovers = [], []
    for _, r in rows.iterrows():
        unit = unit_label(catalog, r["metric"], r["unit"], lang)
        actual = fmt_value(r["actual"], r["kind"], unit, lang)  # money: "312.58 billion yuan"
        if is_missing(r["target"]):
            texts.append(f"{actual} · {no_number_note(r, lang)}")
        else:
            texts.append(f"{fmt_number(r['percent'])}% ({actual} / {fmt_number(r['target'])})")
        hovers.append(t("chart_hover_target", lang, actual=actual, target=target_words(r, catalog, lang),
                        percent=fmt_number(r["percent"]), pace=fmt_number(r["pace_percent"]),
                        status=status_label(r["status"], lang)))
    fig.add_trace(go.Bar(x=pct, y=labels, orientation="h", marker_color=[status_colour(s) for s in rows["status"]],
                         text=texts, textposition="outside", cliponaxis=False, showlegend=False,
                         customdata=hovers, hovertemplate="%{customdata}<extra></extra>"))
    has_pace = rows["pace_percent"].notna() & rows["target"].notna()
    fig.add_trace(go.Scatter(x=rows.loc[has_pace, "pace_percent"], y=[labels[i] for i in rows.index[has_pace]],
                             mode="markers", name=t("chart_pace", lang),
                             marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": chart_style()["pace_line"]}},
                             hovertemplate=f"{t('chart_pace', lang)}: %{{x:.1f}}%<extra></extra>"))
    status_legend(fig, list(rows["status"]), lang)
    fig.add_vline(x=100, line_dash="dash", line_color=chart_style()["target_line"])
    top = max([100.0, *pct]) * 1.35
    fig.update_xaxes(title_text=t("chart_percent_axis", lang), range=[0, top])
    fig.update_yaxes(autorange="reversed")
    title = t("chart_overview_title", lang, scope=scope_label(catalog, scope_type, scope, lang))
    return layout(fig, title, as_of_of(progress), lang, height=140 + 42 * len(rows))


def trajectory_chart(progress: Any, metric: str, *, scope_type: str = "national", scope: str = "national",
                     deadline: Any = None, lang: str = "zh", catalog: Catalog | None = None) -> go.Figure:
    """Monthly cumulative series with the target line, the linear pace line, the projection and as-of."""
    catalog = catalog or load_catalog()
    p = trajectory_points(progress, metric, scope_type, scope, deadline, catalog)
    r = p["row"]
    fig = go.Figure()
    if r is None:
        return layout(fig, t("chart_no_data", lang), as_of_of(progress), lang, height=300)
    unit = unit_label(catalog, metric, r["unit"], lang)
    style = chart_style()
    fig.add_trace(go.Scatter(x=p["months"], y=p["cumulative"], mode="lines+markers", name=t("chart_actual", lang),
                             line={"color": style["series_line"], "width": 2.5},
                             hovertemplate=f"%{{x|%Y-%m}}: %{{y:,}} {unit}<extra></extra>"))
    if "pace" in p:
        fig.add_trace(go.Scatter(x=p["pace"][0], y=p["pace"][1], mode="lines", name=t("chart_pace_line", lang),
                                 line={"color": style["pace_line"], "dash": "dot"},
                                 hovertemplate=f"{t('chart_pace', lang)}: %{{y:,.1f}} {unit}<extra></extra>"))
        fig.add_trace(go.Scatter(x=[p["pace"][0][0], p["deadline"]], y=[p["target"], p["target"]], mode="lines",
                                 name=t("chart_target", lang), line={"color": style["target_line"], "dash": "dash"},
                                 hovertemplate=f"{t('chart_target', lang)}: %{{y:,}} {unit}<extra></extra>"))
    if "projection" in p:
        fig.add_trace(go.Scatter(x=p["projection"][0], y=p["projection"][1], mode="lines+markers",
                                 name=t("chart_projection", lang), line={"color": style["projection_line"], "dash": "dash"},
                                 hovertemplate=f"{t('chart_projection', lang)}: %{{y:,.1f}} {unit}<extra></extra>"))
    if p["as_of"] is not None:
        fig.add_shape(type="line", x0=p["as_of"], x1=p["as_of"], y0=0, y1=1, yref="paper",
                      line={"color": "#666666", "width": 1, "dash": "dot"})
        fig.add_annotation(x=p["as_of"], y=1, yref="paper", text=t("chart_as_of_marker", lang), showarrow=False,
                           yanchor="bottom", font={"size": 11, "color": "#444444"})
    fig.update_xaxes(title_text=t("chart_month_axis", lang), tickformat="%Y-%m")
    fig.update_yaxes(title_text=f"{t('chart_cumulative_axis', lang)} ({unit})", rangemode="tozero")
    top = max([0.0, *p["cumulative"], p.get("target", 0.0), *(p["projection"][1] if "projection" in p else [])])
    if r["kind"] == "count":
        # Whole items: never a fractional tick (0.5 项), however empty or full the series.
        count_axis(fig, "y", [top])
        if top < 5:
            fig.update_yaxes(range=[0, max(top, 1.0) * 1.1])
    title = t("chart_trajectory_title", lang, metric=metric_name(r, lang),
              scope=scope_label(catalog, scope_type, scope, lang))
    return layout(fig, title, as_of_of(progress), lang, height=420)


def breakdown_chart(progress: Any, metric: str, *, by: str = "direction", lang: str = "zh",
                    catalog: Catalog | None = None) -> go.Figure:
    """Counted items of one metric by direction (六大方向) or flagship product category (十类产品)."""
    catalog = catalog or load_catalog()
    rows = breakdown_rows(progress, metric, by)
    fig = go.Figure()
    m = catalog.metric_by_id.get(metric)
    name = m.name(lang) if m else metric
    if rows.empty:
        return layout(fig, t("chart_no_data", lang), as_of_of(progress), lang, height=260)
    unit = unit_label(catalog, metric, rows["unit"].iloc[0], lang)
    labels = [catalog.label(by, s, lang) for s in rows["scope"]]
    fig.add_trace(go.Bar(x=list(rows["actual"]), y=labels, orientation="h", marker_color=chart_style()["pace_line"],
                         text=[fmt_number(v) for v in rows["actual"]], textposition="outside", cliponaxis=False,
                         showlegend=False, hovertemplate=f"%{{y}}: %{{x:,}} {unit}<extra></extra>"))
    fig.update_xaxes(title_text=f"{t('chart_count_axis', lang)} ({unit})", rangemode="tozero")
    count_axis(fig, "x", rows["actual"], rows["kind"].iloc[0] if "kind" in rows else "count")
    fig.update_yaxes(title_text=t(f"chart_by_{by}", lang), autorange="reversed")
    title = t(f"chart_breakdown_{by}_title", lang, metric=name)
    return layout(fig, title, as_of_of(progress), lang, height=140 + 34 * len(rows))


# Percentage points ahead of or behind the time-elapsed pace at which a cell takes the scale's end colour.
HEAT_CAP = 50.0


def pace_position(row: Any) -> float:
    """Where a target sits on the heat map's diverging scale, in percentage points from the time pace:
    ahead > 0, behind < 0, clipped to ±HEAT_CAP. A target already reached sits at the "ahead" end and a
    passed deadline at the end of its final result (met: ahead end, missed: behind end). NaN when the
    target has no number."""
    if is_missing(row["percent"]):
        return float("nan")
    if row["status"] == "met":
        return HEAT_CAP
    if bool(row["passed"]) or row["status"] == "missed":
        return -HEAT_CAP
    if is_missing(row["pace_percent"]):
        return float("nan")
    return float(max(-HEAT_CAP, min(HEAT_CAP, float(row["percent"]) - float(row["pace_percent"]))))


_WIDE_CHARS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"


_WIDE = re.compile(f"[{_WIDE_CHARS}]+")


_TOKEN = re.compile(f"(\\s*)([{_WIDE_CHARS}]+|[^\\s{_WIDE_CHARS}]+)")


def _pieces(token: str, width: int) -> list[str]:
    """A run of Chinese characters too wide for one line, cut into equal pieces (前沿关键 / 核心技术)."""
    if not _WIDE.fullmatch(token) or 2 * len(token) <= width:
        return [token]
    n = -(-2 * len(token) // width)
    size = -(-len(token) // n)
    return [token[i:i + size] for i in range(0, len(token), size)]


def wrap_label(text: str, width: int = 12) -> str:
    """A label broken onto lines of at most ``width`` columns (a Chinese character takes two) with <br>:
    at spaces between words, and a run of Chinese characters kept whole when it fits on a line, else
    cut into equal pieces; never cut short."""
    lines: list[str] = []
    line, used = "", 0
    for space, token in _TOKEN.findall(str(text)):
        for i, piece in enumerate(_pieces(token, width)):
            size = 2 * len(piece) if _WIDE.fullmatch(piece) else len(piece)
            gap = " " if space and line and i == 0 else ""
            if line and (i > 0 or used + len(gap) + size > width):
                lines.append(line)
                line, used = piece, size
            else:
                line, used = line + gap + piece, used + len(gap) + size
    return "<br>".join([*lines, line]) if line or lines else str(text)


def _heat_cell_text(row: Any, lang: str) -> str:
    """A cell's own words: the percent, and for a passed deadline its final result under it."""
    if is_missing(row["percent"]):
        return ""
    text = fmt_percent(row["percent"])
    return f"{text}<br>{status_label(row['status'], lang)}" if bool(row["passed"]) else text


def _heat_hover(row: Any, lang: str, catalog: Catalog) -> str:
    """Region · metric, the deadline sentence, and for a live target the points ahead of or behind pace."""
    head = f"{region_name(catalog, row['scope'], lang)} · {metric_name(row, lang)}"
    if is_missing(row["percent"]):
        return f"{head}<br>{no_number_note(row, lang)}"
    unit = unit_label(catalog, row["metric"], row["unit"], lang)
    lines = [head, deadline_sentence(row, lang, unit)]
    if not bool(row["passed"]) and not is_missing(row["pace_percent"]):
        gap = float(row["percent"]) - float(row["pace_percent"])
        key = "chart_heat_hover_ahead" if gap >= 0 else "chart_heat_hover_behind"
        lines.append(t(key, lang, percent=fmt_percent(row["percent"]), pace=fmt_percent(row["pace_percent"]),
                       points=fmt_number(abs(gap))))
    return "<br>".join(lines)


def _heat_colourbar(value: str, lang: str) -> dict[str, Any]:
    """The legend of the colours, in words: behind / on pace / ahead (and what a passed target shows)."""
    if value != "percent":
        return {"title": {"text": t("chart_heat_contribution_scale", lang)}}
    cap = fmt_number(HEAT_CAP)
    half = fmt_number(HEAT_CAP / 2)
    return {"title": {"text": t("chart_heat_scale_title", lang), "side": "top"}, "len": 1.0, "y": 0.5,
            "tickvals": [-HEAT_CAP, -HEAT_CAP / 2, 0, HEAT_CAP / 2, HEAT_CAP],
            "ticktext": [t("chart_heat_behind_end", lang, points=cap), t("chart_heat_behind", lang, points=half),
                         t("chart_heat_on_pace", lang), t("chart_heat_ahead", lang, points=half),
                         t("chart_heat_ahead_end", lang, points=cap)]}


def heatmap(progress: Any, *, value: str = "percent", lang: str = "zh", catalog: Catalog | None = None) -> go.Figure:
    """Province × metric heat map.

    ``value="percent"``: each cell shows the percent of target and is coloured on a diverging scale
    centred on the time-elapsed pace (behind: vermillion, on pace: light grey, ahead: blue); a passed
    deadline is coloured by its final result (met: the blue end, missed: the vermillion end) and says
    it. Regions without any target with a number are left out and counted in a note.
    ``value="contribution_percent"``: each region's share of the national target, sequential scale.
    """
    catalog = catalog or load_catalog()
    rows = heatmap_rows(progress, value)
    fig = go.Figure()
    grid = pd.DataFrame() if rows.empty else heatmap_grid(rows, value, catalog)
    shown = grid.dropna(axis=1, how="all").dropna(axis=0, how="all") if len(grid) else grid
    if shown.empty:
        return layout(fig, t("chart_no_data", lang), as_of_of(progress), lang, height=260)
    cell = {(r["scope"], r["metric"]): r for _, r in rows.iterrows()}
    cells = [[cell.get((p, m)) for m in shown.columns] for p in shown.index]
    names = {m: metric_name(cell[next(p for p in shown.index if (p, m) in cell), m], lang) for m in shown.columns}
    # Column labels on top wrap onto lines of a few words instead of tilting over the title.
    xs = [wrap_label(names[m]) for m in shown.columns]
    ys = [region_name(catalog, p, lang) for p in shown.index]
    empty_hover = t("chart_no_target_set", lang)
    hover = [[empty_hover if r is None else _heat_hover(r, lang, catalog) for r in row] for row in cells]
    if value == "percent":
        z = [[float("nan") if r is None else pace_position(r) for r in row] for row in cells]
        text = [["" if r is None else _heat_cell_text(r, lang) for r in row] for row in cells]
        style = chart_style()["heatmap_diverging"]
        # The scale runs a little past ±HEAT_CAP (flat at the ends) so the end ticks' words sit inside the bar.
        end = HEAT_CAP / (2 * HEAT_CAP * 1.1)
        scale = {"colorscale": [[0.0, style["behind"]], [0.5 - end, style["behind"]], [0.5, style["on_pace"]],
                                [0.5 + end, style["ahead"]], [1.0, style["ahead"]]],
                 "zmin": -HEAT_CAP * 1.1, "zmax": HEAT_CAP * 1.1, "zmid": 0}
    else:
        z = shown.to_numpy()
        text = [[fmt_number(v) for v in row] for row in z]
        scale = {"colorscale": chart_style()["heatmap_scale"], "zmin": 0}
    fig.add_trace(go.Heatmap(z=z, x=xs, y=ys, text=text, texttemplate="%{text}", customdata=hover, **scale,
                             colorbar=_heat_colourbar(value, lang), xgap=1, ygap=1, hoverongaps=False,
                             hovertemplate="%{customdata}<extra></extra>"))
    fig.update_xaxes(title_text=t("chart_metric_axis", lang), side="top", tickangle=0)
    fig.update_yaxes(title_text=t("chart_province_axis", lang), autorange="reversed")
    left_out = len(grid.index) - len(shown.index)
    if left_out:
        fig.add_annotation(text=t(f"chart_heat_left_out_{value}", lang, n=left_out), xref="paper", yref="paper",
                           x=0, y=0, yshift=-36, xanchor="left", yanchor="top", showarrow=False,
                           font={"size": 11, "color": "#444444"})
    title = t(f"chart_heatmap_{value}_title", lang)
    layout(fig, title, as_of_of(progress), lang, height=max(420, 260 + 30 * len(ys)))
    # Room for the subtitle above the metric labels on top, and for the note under the grid.
    fig.update_layout(margin={"t": 175, "b": 70 if left_out else 30})
    return fig


def amount_axis(kind: Any, unit: str, lang: str) -> tuple[str, float]:
    """The title of an axis of cumulative figures and the factor its 亿元 values are drawn at:
    累计金额（亿元） / Cumulative amount (billion yuan, values ÷ 10) for money, 累计数量（项） /
    Cumulative count (technologies) for counts, 累计值 / Cumulative value otherwise."""
    if is_money(kind, unit):
        factor = 0.1 if lang == "en" else 1.0
        return t("chart_amount_axis", lang), factor
    key = "chart_count_axis_unit" if kind == "count" else "chart_value_axis_unit"
    return t(key, lang, unit=unit), 1.0


def ranking_chart(progress: Any, metric: str, *, lang: str = "zh", catalog: Catalog | None = None) -> go.Figure:
    """Provinces ranked by their counted items (or amount) of one metric, coloured by status, with contribution."""
    catalog = catalog or load_catalog()
    rows = ranking_rows(progress, metric)
    fig = go.Figure()
    if rows.empty:
        return layout(fig, t("chart_no_data", lang), as_of_of(progress), lang, height=260)
    name = metric_name(rows.iloc[0], lang)
    kind, raw_unit = rows["kind"].iloc[0], rows["unit"].iloc[0]
    # Money keeps its 亿元 unit so fmt_value words it (billion yuan in English); counts take their label.
    unit = raw_unit if is_money(kind, raw_unit) else unit_label(catalog, metric, raw_unit, lang)
    axis, factor = amount_axis(kind, unit, lang)
    labels = [region_name(catalog, p, lang) for p in rows["scope"]]
    hovers = []
    for i, (_, r) in enumerate(rows.iterrows()):
        figure = fmt_value(r["actual"], kind, unit, lang)
        key = "chart_hover_rank_value" if is_missing(r["contribution_percent"]) else "chart_hover_rank_share"
        hovers.append(t(key, lang, rank=i + 1, actual=figure, contribution=fmt_number(r["contribution_percent"]),
                        status=status_label(r["status"], lang)))
    xs = [0.0 if is_missing(v) else float(v) * factor for v in rows["actual"]]
    fig.add_trace(go.Bar(x=xs, y=labels, orientation="h",
                         marker_color=[status_colour(s) for s in rows["status"]], showlegend=False,
                         text=[fmt_count(v) if kind == "count" else fmt_number(v, 2) for v in xs],
                         textposition="outside", cliponaxis=False,
                         customdata=hovers, hovertemplate="%{y}: %{customdata}<extra></extra>"))
    status_legend(fig, list(rows["status"]), lang)
    fig.update_xaxes(title_text=axis, rangemode="tozero")
    count_axis(fig, "x", xs, kind)
    fig.update_yaxes(autorange="reversed")
    layout(fig, t("chart_ranking_title", lang, metric=name), as_of_of(progress), lang, height=190 + 24 * len(rows))
    # The status legend below the axis title, never over it.
    fig.update_layout(legend={"yref": "container", "y": 0.01, "yanchor": "bottom"}, margin={"b": 85})
    return fig


def levels_chart(progress: Any, *, kind: str = "goals", lang: str = "zh", catalog: Catalog | None = None) -> go.Figure:
    """Distribution of self-assessed levels across provinces, one stacked bar per goal or task."""
    catalog = catalog or load_catalog()
    counts = level_counts(progress, kind)
    fig = go.Figure()
    if counts.empty:
        return layout(fig, t("chart_no_data", lang), as_of_of(progress), lang, height=260)
    items = list(dict.fromkeys(counts["item"]))
    dim = "metric" if kind == "goals" else "task"
    labels = [(f"{int(i)}. " if kind == "tasks" else "") + catalog.label(dim, str(i), lang) for i in items]
    for lv in chart_style()["level_colors"]:
        sub = counts[counts["level"] == lv].set_index("item")["count"]
        ys = [float(sub.get(i, 0) or 0) for i in items]
        fig.add_trace(go.Bar(x=ys, y=labels, orientation="h", name=catalog.label("level", lv, lang),
                             marker_color=level_color(lv),
                             hovertemplate=f"%{{y}} · {catalog.label('level', lv, lang)}: %{{x}}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("chart_provinces_axis", lang))
    # provinces are whole: the stacked total of a bar is at most the number of regions reporting
    count_axis(fig, "x", [counts.groupby("item")["count"].sum().max()])
    fig.update_yaxes(autorange="reversed")
    return layout(fig, t(f"chart_levels_{kind}_title", lang), as_of_of(progress), lang, height=160 + 28 * len(items))
