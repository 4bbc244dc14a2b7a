"""Static PNG images of the report charts for Word and PDF, drawn with matplotlib.

Why matplotlib and not kaleido (plotly's exporter): kaleido v1 starts a Chromium process for its
exports, which a report server should not need; matplotlib with the Agg backend draws in-process,
works offline, is fast (tens of milliseconds a chart, no browser start-up) and gives the same bytes
for the same data. The images draw the same data as the interactive plotly figures: each function
reads it through the selection helpers of ``metrics.charts`` and uses its colours and labels.
Chinese text uses "Noto Sans CJK SC" from Debian's fonts-noto-cjk (chart_style.yaml).
"""
from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .. import charts  # noqa: E402
from ..catalog import Catalog, load_catalog  # noqa: E402
from ..chart_rows import (as_of_of, breakdown_rows, heatmap_matrix, level_counts, no_number_note,  # noqa: E402
                          ranking_rows, scope_label, scope_rows, trajectory_points, unit_label)
from ..chart_style import chart_style, level_color  # noqa: E402
from ..i18n import t  # noqa: E402
from ..presentation import (fmt_date, fmt_number, fmt_value, is_missing, metric_name, status_colour,  # noqa: E402
                            status_label, year_of)

# Drawn at the printed size, so a font size here is the size on paper: the type area of the official
# style is 156 mm wide (6.14 in; Word and the PDF place the image across it). 176 dpi keeps the
# 1,080 px of before. Axis, tick and legend text is never below PRINT_PT (9 pt, readable in print).
WIDTH_IN = 156 / 25.4
DPI = 176
HEIGHT_SCALE = 0.8  # heights below were set for a 9 in wide canvas shown at two thirds of its size
PRINT_PT = 9
PNG_LEVEL = 1  # zlib level: charts are flat colours, level 1 is a little larger and several times faster


def _figure(height: float) -> tuple[Figure, Any]:
    plt.rcParams["font.family"] = ["sans-serif"]
    plt.rcParams["font.sans-serif"] = [chart_style()["image_font"], "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig = Figure(figsize=(WIDTH_IN, height * HEIGHT_SCALE), dpi=DPI)
    ax = fig.add_subplot(111)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _text_inches(text: str, pt: float = PRINT_PT) -> float:
    """An estimate of a label's width: CJK characters a full em, others a little over half one."""
    lines = str(text).split("\n") or [""]
    return max(sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in line) for line in lines) * pt / 72


def _fit(text: str, inches: float) -> str:
    """A label cut with "…" to fit ``inches`` at 9 pt (the full names are in the table under the chart)."""
    if _text_inches(text) <= inches:
        return text
    while text and _text_inches(text + "…") > inches:
        text = text[:-1]
    return text.rstrip() + "…"


def _legend_row(fig: Figure, ax: Any, handles: list[Any] | None = None) -> None:
    """The legend as one row between the title and the as-of line, right-aligned (inside the plot it
    covered value labels; beside the as-of line it ran into it)."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [h.get_label() for h in handles]
    fig.legend(handles, labels, loc="upper right", bbox_to_anchor=(0.995, 1 - 0.3 / fig.get_figheight()),
               ncol=len(handles), fontsize=PRINT_PT, frameon=False, borderaxespad=0, handlelength=1.6)


def auto_margins(fig: Figure, ax: Any, *, legend_above: bool = False, right_in: float = 0.12) -> dict[str, float]:
    """Subplot margins from the labels' sizes, computed without drawing.

    ``tight_layout`` draws the whole figure once more to measure it; with a dozen charts of 37
    regions that extra draw was about a fifth of a Word or PDF report's time. The labels here are
    known (region and metric names, 9 pt), so their room is estimated from their characters.
    """
    w, h = fig.get_size_inches()
    # Named ticks (regions, metrics) have their texts before drawing; numeric ones are empty until then.
    ticks = [x.get_text() for x in ax.get_yticklabels()]
    left = max([_text_inches(x) for x in ticks] or [_text_inches("0000")]) + 0.15
    if ax.get_ylabel():
        left += PRINT_PT * 1.6 / 72
    xlines = max([x.get_text().count("\n") + 1 for x in ax.get_xticklabels()] or [1])
    bottom = 0.1 + xlines * PRINT_PT * 1.3 / 72 + (PRINT_PT * 1.6 / 72 if ax.get_xlabel() else 0)
    top = 0.62 + (PRINT_PT * 1.8 / 72 if legend_above else 0)
    return {"left": min(left / w, 0.5), "right": 1 - right_in / w, "top": 1 - top / h, "bottom": bottom / h}


def _finish(fig: Figure, ax: Any, title: str, progress: Any, lang: str,
            margins: dict[str, float] | None = None, legend_above: bool = False, right_in: float = 0.12) -> bytes:
    d = as_of_of(progress)
    fig.suptitle(title, x=0.01, y=1 - 0.08 / fig.get_figheight(), ha="left", va="top", fontsize=11,
                 fontweight="bold")
    if d:
        ax.set_title(t("chart_as_of", lang, date=fmt_date(d, lang)), loc="left", fontsize=PRINT_PT, color="#555555")
    # Known label sizes: no tight_layout (its extra draw of the figure).
    fig.subplots_adjust(**(margins or auto_margins(fig, ax, legend_above=legend_above, right_in=right_in)))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": PNG_LEVEL})
    return buf.getvalue()


def _empty(progress: Any, lang: str) -> bytes:
    fig, ax = _figure(1.6)
    ax.axis("off")
    ax.text(0.5, 0.5, t("chart_no_data", lang), ha="center", va="center")
    return _finish(fig, ax, t("chart_no_data", lang), progress, lang)


def overview_bullets(progress: Any, *, scope_type: str = "national", scope: str = "national", lang: str = "zh",
                     catalog: Catalog | None = None) -> bytes:
    """All targets of a scope: percent of target bars in status colours, pace ticks, the 100 % line."""
    catalog = catalog or load_catalog()
    rows = scope_rows(progress, scope_type, scope)
    if rows.empty:
        return _empty(progress, lang)
    fig, ax = _figure(1.3 + 0.42 * len(rows))
    multi = rows["metric"].duplicated(keep=False)
    labels = [charts._row_label(r, lang, bool(m)) for (_, r), m in zip(rows.iterrows(), multi)]
    y = np.arange(len(rows))
    pct = np.array([0.0 if is_missing(p) else float(p) for p in rows["percent"]])
    ax.barh(y, pct, color=[status_colour(s) for s in rows["status"]], height=0.6)
    for i, (_, r) in enumerate(rows.iterrows()):
        unit = unit_label(catalog, r["metric"], r["unit"], lang)
        if is_missing(r["target"]):
            txt = f"{fmt_value(r['actual'], r['kind'], unit, lang)} · {no_number_note(r, lang)}"
        else:
            txt = f"{fmt_number(r['percent'])}%  ({fmt_number(r['actual'])}/{fmt_number(r['target'])})"
            if not is_missing(r["pace_percent"]):
                ax.plot([r["pace_percent"]] * 2, [i - 0.38, i + 0.38], color=chart_style()["pace_line"], lw=2.5)
        ax.text(pct[i] + 1.5, i, f"{txt}  {status_label(r['status'], lang)}", va="center", fontsize=PRINT_PT)
    ax.axvline(100, color=chart_style()["target_line"], ls="--", lw=1)
    ax.set_yticks(y, labels, fontsize=PRINT_PT)
    ax.invert_yaxis()
    ax.set_xlim(0, max(100.0, float(pct.max())) * 1.55)
    ax.set_xlabel(t("chart_percent_axis", lang))
    ax.plot([], [], color=chart_style()["pace_line"], lw=2.5, label=t("chart_pace", lang))
    ax.plot([], [], color=chart_style()["target_line"], ls="--", lw=1, label=t("chart_target", lang) + " 100%")
    _legend_row(fig, ax)
    title = t("chart_overview_title", lang, scope=scope_label(catalog, scope_type, scope, lang))
    return _finish(fig, ax, title, progress, lang, legend_above=True)


def bullet_chart(progress: Any, metric: str, *, scope_type: str = "national", scope: str = "national",
                 deadline: Any = None, lang: str = "zh", catalog: Catalog | None = None) -> bytes:
    """One target: actual bar in its status colour, pace tick, target line."""
    catalog = catalog or load_catalog()
    rows = scope_rows(progress, scope_type, scope)
    rows = rows[rows["metric"] == metric]
    if deadline is not None:
        rows = rows[pd.to_datetime(rows["deadline"]) == pd.Timestamp(deadline)]
    if rows.empty:
        return _empty(progress, lang)
    r = rows.iloc[0]
    style = chart_style()
    unit = unit_label(catalog, metric, r["unit"], lang)
    fig, ax = _figure(1.9)
    if not is_missing(r["target"]):
        ax.barh([0], [float(r["target"])], color=style["target_band"], height=0.8)
        ax.axvline(float(r["target"]), color=style["target_line"], lw=2, label=t("chart_target", lang))
        if not is_missing(r["pace_value"]):
            ax.plot([r["pace_value"]] * 2, [-0.4, 0.4], color=style["pace_line"], lw=3, label=t("chart_pace", lang))
    ax.barh([0], [float(r["actual"])], color=status_colour(r["status"]), height=0.35,
            label=f"{t('chart_actual', lang)} · {status_label(r['status'], lang)}")
    ax.text(float(r["actual"]), 0, f" {fmt_value(r['actual'], r['kind'], unit, lang)}", va="center",
            fontsize=PRINT_PT)
    ax.set_yticks([0], [metric_name(r, lang)])
    ax.set_xlabel(f"{t('chart_count_axis', lang)} ({unit})")
    ax.legend(loc="upper right", fontsize=PRINT_PT, frameon=False, ncol=3, bbox_to_anchor=(1, 1.35))
    title = t("chart_bullet_title", lang, metric=metric_name(r, lang), year=year_of(r["deadline"]))
    return _finish(fig, ax, title, progress, lang, legend_above=True)


def trajectory_chart(progress: Any, metric: str, *, scope_type: str = "national", scope: str = "national",
                     deadline: Any = None, lang: str = "zh", catalog: Catalog | None = None) -> bytes:
    """Monthly cumulative series, target line, linear pace line, projection and as-of marker."""
    catalog = catalog or load_catalog()
    p = trajectory_points(progress, metric, scope_type, scope, deadline, catalog)
    r = p["row"]
    if r is None:
        return _empty(progress, lang)
    style = chart_style()
    unit = unit_label(catalog, metric, r["unit"], lang)
    fig, ax = _figure(3.6)
    if p["months"]:
        ax.plot(p["months"], p["cumulative"], marker="o", ms=3, color=style["series_line"], lw=2,
                label=t("chart_actual", lang))
        ax.annotate(fmt_number(p["cumulative"][-1]), (p["months"][-1], p["cumulative"][-1]),
                    textcoords="offset points", xytext=(4, 4), fontsize=PRINT_PT)
    if "pace" in p:
        ax.plot(*p["pace"], color=style["pace_line"], ls=":", lw=1.5, label=t("chart_pace_line", lang))
        ax.plot([p["pace"][0][0], p["deadline"]], [p["target"]] * 2, color=style["target_line"], ls="--", lw=1,
                label=f"{t('chart_target', lang)} {fmt_number(p['target'])}")
    if "projection" in p:
        ax.plot(*p["projection"], color=style["projection_line"], ls="--", marker="o", ms=3,
                label=f"{t('chart_projection', lang)} {fmt_number(p['projection'][1][-1])}")
    top = max([1.0, *p["cumulative"], p.get("target", 0.0), *(p["projection"][1] if "projection" in p else [])])
    ax.set_ylim(0, top * 1.08)
    if r["kind"] == "count":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if p["as_of"] is not None:
        ax.axvline(p["as_of"], color="#666666", ls=":", lw=1)
        ax.text(p["as_of"], ax.get_ylim()[1], t("chart_as_of_marker", lang), fontsize=PRINT_PT, ha="center", va="bottom",
                color="#444444")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_xlabel(t("chart_month_axis", lang))
    ax.set_ylabel(f"{t('chart_cumulative_axis', lang)} ({unit})")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=4, fontsize=PRINT_PT, frameon=False)
    ax.grid(axis="y", color="#eeeeee")
    title = t("chart_trajectory_title", lang, metric=metric_name(r, lang),
              scope=scope_label(catalog, scope_type, scope, lang))
    return _finish(fig, ax, title, progress, lang,
                   margins={"left": 0.085, "right": 0.985, "top": 0.80, "bottom": 0.27})


def _wrap(text: str, lang: str) -> str:
    """A column label over at most three short lines (Chinese by six characters, English by words)."""
    import textwrap

    if lang == "zh" and " " not in text:
        return "\n".join(text[i:i + 6] for i in range(0, len(text), 6))
    return textwrap.fill(text, 12)


def pace_colours() -> Any:
    """The app's diverging scale of the percent heat map (chart_style.yaml ``heatmap_diverging``), as a
    matplotlib colour map over ``pace_range()``: behind (vermillion) - on pace (light grey) - ahead (blue),
    flat past ±HEAT_CAP exactly as ``charts.heatmap`` builds its plotly colour scale."""
    from matplotlib.colors import LinearSegmentedColormap

    style = charts.chart_style()["heatmap_diverging"]
    end = charts.HEAT_CAP / (2 * charts.HEAT_CAP * 1.1)
    return LinearSegmentedColormap.from_list("pace", [(0.0, style["behind"]), (0.5 - end, style["behind"]),
                                                      (0.5, style["on_pace"]), (0.5 + end, style["ahead"]),
                                                      (1.0, style["ahead"])], N=255)  # odd: 0 falls on a step


def pace_range() -> tuple[float, float]:
    """The values at the two ends of the diverging scale (percentage points from the pace), as in the app."""
    return -charts.HEAT_CAP * 1.1, charts.HEAT_CAP * 1.1


def _pace_cells(progress: Any, m: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, np.ndarray, list[list[str]], int]:
    """The percent heat map as the app draws it: regions with no target with a number left out (counted),
    each cell placed on the pace scale (``charts.pace_position``) and worded as its percent, with the final
    result under it for a passed deadline."""
    from ..presentation import fmt_percent, status_label

    rows = charts.heatmap_rows(progress, "percent")
    cell = {(r["scope"], r["metric"]): r for _, r in rows.iterrows()}
    shown = m.dropna(axis=0, how="all")
    z = np.array([[charts.pace_position(cell[(p, c)]) if (p, c) in cell else np.nan for c in shown.columns]
                  for p in shown.index], dtype=float)
    text = [["" if (p, c) not in cell or charts.is_missing(cell[(p, c)]["percent"]) else
             fmt_percent(cell[(p, c)]["percent"]) + (f"\n{status_label(cell[(p, c)]['status'], lang)}"
                                                     if bool(cell[(p, c)]["passed"]) else "")
             for c in shown.columns] for p in shown.index]
    return shown, z, text, len(m.index) - len(shown.index)


def heatmap(progress: Any, *, value: str = "percent", lang: str = "zh", catalog: Catalog | None = None) -> bytes:
    """Region × metric matrix with the value printed in each cell, on the app's scale: the percent of target
    on the diverging scale centred on the time-elapsed pace (``charts.heatmap``), the contribution to the
    national target on the sequential scale (chart_style.yaml ``heatmap_scale``)."""
    catalog = catalog or load_catalog()
    m = heatmap_matrix(progress, value, catalog)
    if m.empty:
        return _empty(progress, lang)
    left_out = 0
    if value == "percent":
        m, z, text, left_out = _pace_cells(progress, m, lang)
        cmap, (vmin, vmax) = pace_colours(), pace_range()
    else:
        z = m.to_numpy()
        text = [[charts.fmt_number(v) if np.isfinite(v) else "" for v in row] for row in z]
        cmap, vmin, vmax = plt.get_cmap(charts.chart_style()["heatmap_scale"].lower()), 0, None
    # A row per region at least a 9 pt line and a half high; the metric names wrapped under the columns
    # (rotated names took the height of the rows and made the region names overlap).
    fig, ax = _figure((1.6 + (0.42 if value == "percent" else 0.3) * len(m.index) + 0.3 * bool(left_out))
                      / HEIGHT_SCALE)
    im = ax.imshow(np.ma.masked_invalid(z), aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xticks(range(len(m.columns)), [_wrap(catalog.label("metric", c, lang), lang) for c in m.columns],
                  fontsize=PRINT_PT)
    ax.set_yticks(range(len(m.index)), [catalog.label("province", p, lang) for p in m.index], fontsize=PRINT_PT)
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            if np.isfinite(z[i, j]) and text[i][j]:
                r, g, b, _ = im.cmap(im.norm(z[i, j]))
                dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5  # white words on a dark cell
                size = PRINT_PT - (1 if "\n" in text[i][j] else 0)  # two lines: the final result under
                ax.text(j, i, text[i][j], ha="center", va="center", fontsize=size, color="white" if dark else "black")
    if value == "percent":
        bar = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
        cap, half = charts.HEAT_CAP, charts.HEAT_CAP / 2
        words = [t("chart_heat_behind_end", lang, points=charts.fmt_number(cap)),
                 t("chart_heat_behind", lang, points=charts.fmt_number(half)), t("chart_heat_on_pace", lang),
                 t("chart_heat_ahead", lang, points=charts.fmt_number(half)),
                 t("chart_heat_ahead_end", lang, points=charts.fmt_number(cap))]
        bar.set_ticks([-cap, -half, 0, half, cap], labels=[w.replace("<br>", "\n") for w in words])
        bar.ax.tick_params(labelsize=PRINT_PT - 1)
        bar.set_label(t("chart_heat_scale_title", lang), fontsize=PRINT_PT)
    else:
        fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="%")
    if left_out:
        from ..presentation import counted

        fig.text(0.01, 0.01, t("report_heat_left_out", lang, regions=counted(left_out, "region", lang)),
                 fontsize=PRINT_PT, color="#444444", ha="left", va="bottom")
    margins = auto_margins(fig, ax, right_in=1.55 if value == "percent" else 0.45)  # the bar and its words
    margins["bottom"] += 0.25 / fig.get_figheight() if left_out else 0  # the note under the metric names
    return _finish(fig, ax, t(f"chart_heatmap_{value}_title", lang), progress, lang, margins)


def m_kind_count(catalog: Catalog, metric: str) -> bool:
    """Whether a metric counts things (whole numbers on its axis) rather than measuring money."""
    m = catalog.metric_by_id.get(metric)
    return m is None or getattr(m, "kind", "count") == "count"


def ranking_chart(progress: Any, metric: str, *, lang: str = "zh", catalog: Catalog | None = None) -> bytes:
    """Regions ranked by counted items of one metric, bars in status colours."""
    catalog = catalog or load_catalog()
    rows = ranking_rows(progress, metric)
    if rows.empty:
        return _empty(progress, lang)
    unit = unit_label(catalog, metric, rows["unit"].iloc[0], lang)
    fig, ax = _figure((1.3 + 0.26 * len(rows)) / HEIGHT_SCALE)
    y = np.arange(len(rows))
    ax.barh(y, rows["actual"].astype(float), color=[status_colour(s) for s in rows["status"]], height=0.7)
    for i, v in enumerate(rows["actual"]):
        ax.text(float(v), i, " " + fmt_number(v), va="center", fontsize=PRINT_PT)
    ax.set_yticks(y, [catalog.label("province", p, lang) for p in rows["scope"]], fontsize=PRINT_PT)
    ax.invert_yaxis()
    ax.set_xlabel(f"{t('chart_count_axis', lang)} ({unit})")
    # The bar colours are statuses: say which (every status drawn, in the order of the catalogue).
    from matplotlib.patches import Patch

    shown = list(dict.fromkeys(rows["status"]))
    _legend_row(fig, ax, handles=[Patch(color=status_colour(s), label=status_label(s, lang))
                                  for s in shown])
    if m_kind_count(catalog, metric):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    m = catalog.metric_by_id.get(metric)
    return _finish(fig, ax, t("chart_ranking_title", lang, metric=m.name(lang) if m else metric), progress, lang,
                   legend_above=True)


def breakdown_chart(progress: Any, metric: str, *, by: str = "direction", lang: str = "zh",
                    catalog: Catalog | None = None) -> bytes:
    """Counted items of one metric by direction or flagship category."""
    catalog = catalog or load_catalog()
    rows = breakdown_rows(progress, metric, by)
    if rows.empty:
        return _empty(progress, lang)
    fig, ax = _figure(1.2 + 0.3 * len(rows))
    y = np.arange(len(rows))
    ax.barh(y, rows["actual"].astype(float), color=chart_style()["pace_line"], height=0.6)
    ax.set_yticks(y, [catalog.label(by, s, lang) for s in rows["scope"]], fontsize=PRINT_PT)
    ax.invert_yaxis()
    unit = unit_label(catalog, metric, rows["unit"].iloc[0], lang)
    ax.set_xlabel(f"{t('chart_count_axis', lang)} ({unit})")
    m = catalog.metric_by_id.get(metric)
    return _finish(fig, ax, t(f"chart_breakdown_{by}_title", lang, metric=m.name(lang) if m else metric), progress, lang)


def levels_chart(progress: Any, *, kind: str = "goals", lang: str = "zh", catalog: Catalog | None = None) -> bytes:
    """Stacked bars of self-assessed levels per goal or task."""
    catalog = catalog or load_catalog()
    counts = level_counts(progress, kind)
    if counts.empty:
        return _empty(progress, lang)
    items = list(dict.fromkeys(counts["item"]))
    dim = "metric" if kind == "goals" else "task"
    labels = [_fit((f"{int(i)}. " if kind == "tasks" else "") + catalog.label(dim, str(i), lang),
                   0.5 * WIDTH_IN - 0.2) for i in items]
    fig, ax = _figure(1.4 + 0.3 * len(items))
    left = np.zeros(len(items))
    y = np.arange(len(items))
    for lv in chart_style()["level_colors"]:
        sub = counts[counts["level"] == lv].set_index("item")["count"]
        vals = np.array([float(sub.get(i, 0) or 0) for i in items])
        ax.barh(y, vals, left=left, color=level_color(lv), height=0.6, label=catalog.label("level", lv, lang))
        left += vals
    ax.set_yticks(y, labels, fontsize=PRINT_PT)
    ax.invert_yaxis()
    ax.set_xlabel(t("chart_provinces_axis", lang))
    _legend_row(fig, ax)
    return _finish(fig, ax, t(f"chart_levels_{kind}_title", lang), progress, lang, legend_above=True)


def _trajectory_panel(ax: Any, progress: Any, spec_kwargs: dict[str, Any], lang: str, catalog: Catalog) -> None:
    """One small trajectory panel: series, pace line, target line, projection, as-of marker."""
    style = chart_style()
    p = trajectory_points(progress, spec_kwargs["metric"], spec_kwargs.get("scope_type", "national"),
                                 spec_kwargs.get("scope", "national"), spec_kwargs.get("deadline"), catalog)
    r = p["row"]
    ax.spines[["top", "right"]].set_visible(False)
    if r is None:
        ax.axis("off")
        return
    if p["months"]:
        ax.plot(p["months"], p["cumulative"], color=style["series_line"], lw=1.8, label=t("chart_actual", lang))
    if "pace" in p:
        ax.plot(*p["pace"], color=style["pace_line"], ls=":", lw=1.3, label=t("chart_pace_line", lang))
        ax.plot([p["pace"][0][0], p["deadline"]], [p["target"]] * 2, color=style["target_line"], ls="--", lw=0.9,
                label=t("chart_target", lang))
    if "projection" in p:
        ax.plot(*p["projection"], color=style["projection_line"], ls="--", lw=1.3, label=t("chart_projection", lang))
    top = max([1.0, *p["cumulative"], p.get("target", 0.0), *(p["projection"][1] if "projection" in p else [])])
    ax.set_ylim(0, top * 1.1)
    if r["kind"] == "count":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    if p["as_of"] is not None:
        ax.axvline(p["as_of"], color="#666666", ls=":", lw=0.8)
    unit = unit_label(catalog, r["metric"], r["unit"], lang)
    # A passed deadline is titled as it ended (the figure at the deadline, as every report sentence says it).
    last = (fmt_number(r["actual"]) if bool(r.get("passed")) and not is_missing(r["actual"])
            else fmt_number(p["cumulative"][-1]) if p["cumulative"] else "0")
    target = f" / {fmt_number(p['target'])}" if "target" in p else ""
    # The name on one line, the figure and status on the next: one line overflowed a half-width panel.
    ax.set_title(f"{metric_name(r, lang)}\n{last}{target} {unit} · {status_label(r['status'], lang)}",
                 loc="left", fontsize=PRINT_PT, color="#222222")
    # Each panel has its own axis, labelled with its unit: 亿元 never shares an axis with counts.
    ax.set_ylabel(unit, fontsize=PRINT_PT)
    # Years only: half-year "2025-07" labels ran into each other at 9 pt in a half-width panel.
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(labelsize=PRINT_PT)
    ax.grid(axis="y", color="#eeeeee")


def trajectory_grid(progress: Any, specs: list[Any], *, lang: str = "zh", catalog: Catalog | None = None) -> bytes:
    """Small multiples: the trajectories of up to six targets in one image (one draw, one page)."""
    catalog = catalog or load_catalog()
    n = len(specs)
    rows = (n + 1) // 2
    plt.rcParams["font.family"] = ["sans-serif"]
    plt.rcParams["font.sans-serif"] = [chart_style()["image_font"], "DejaVu Sans"]
    fig = Figure(figsize=(WIDTH_IN, 1.4 + 2.3 * rows), dpi=DPI)
    axes = fig.subplots(rows, 2, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < n:
            _trajectory_panel(ax, progress, specs[i].kwargs, lang, catalog)
        else:
            ax.axis("off")
    # The legend gathers every kind of line drawn in any panel (the first panel may have no pace or projection).
    seen: dict[str, Any] = {}
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, h)
    handles, labels = list(seen.values()), list(seen)
    ncol = 4 if lang == "zh" else 2  # the English labels are too long for one row of four
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize=PRINT_PT, frameon=False)
    d = as_of_of(progress)
    title = t("chart_trajectory_grid_title", lang)
    if d:
        fig.text(0.01, 1 - 0.5 / fig.get_figheight(), t("chart_as_of", lang, date=fmt_date(d, lang)),
                 fontsize=PRINT_PT, color="#555555", va="top")
    fig.suptitle(title, x=0.01, y=1 - 0.1 / fig.get_figheight(), ha="left", va="top", fontsize=11, fontweight="bold")
    fig.subplots_adjust(left=0.07, right=0.99, top=1 - 1.0 / fig.get_figheight(),
                        bottom=(0.55 if lang == "zh" else 0.75) / fig.get_figheight(), hspace=0.75, wspace=0.2)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": PNG_LEVEL})
    return buf.getvalue()


def chart_png(content: Any, spec: Any) -> bytes:
    """The PNG of one chart of a report."""
    return globals()[spec.kind](content.progress, **spec.kwargs, lang=content.lang, catalog=content.catalog)


GRID_SIZE = 6


def report_images(content: Any) -> list[tuple[Any, bytes]]:
    """The charts of a report as (spec or list of specs, PNG bytes), trajectories as grids of six."""
    out: list[tuple[Any, bytes]] = []
    trajectories = [s for s in content.charts if s.kind == "trajectory_chart"]
    for spec in content.charts:
        if spec.kind != "trajectory_chart":
            out.append((spec, chart_png(content, spec)))
        elif spec is trajectories[0]:
            for i in range(0, len(trajectories), GRID_SIZE):
                group = trajectories[i:i + GRID_SIZE]
                out.append((group, trajectory_grid(content.progress, group, lang=content.lang,
                                                   catalog=content.catalog)))
    return out
