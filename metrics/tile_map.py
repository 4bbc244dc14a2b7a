"""A tile map of China's provincial-level regions: one same-size square per region, placed roughly where
it lies (grid in metrics/data/tile_grid.yaml), coloured by status or by percent of one target.

No boundary file is shipped or downloaded; the grid is data. Each tracked tile carries its canonical
region name as ``customdata`` so a click (plotly selection) can open that region.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .catalog import load_catalog
from .chart_rows import unit_label
from .presentation import fmt_number, is_missing, status_colour, status_label
from .datafiles import read_yaml
from .i18n import t

GRID_FILE = Path(__file__).resolve().parent / "data" / "tile_grid.yaml"
UNTRACKED_GREY = "#e6e6e6"
NO_DATA_GREY = "#bdbdbd"


@lru_cache(maxsize=1)
def tile_grid() -> dict[str, Any]:
    """The grid as read from its YAML file (tiles, untracked, strip_title)."""
    return read_yaml(GRID_FILE)


def tile_rows(progress: Any, metric: str, lang: str = "zh") -> pd.DataFrame:
    """One row per tile: region, row, col, text, hover, colour value (percent) and status of ``metric``'s
    earliest-deadline provincial target. Regions without a figure keep status ``no_data``."""
    catalog = load_catalog()
    rows = getattr(progress, "rows", pd.DataFrame())
    if len(rows):
        rows = rows[(rows["scope_type"] == "province") & (rows["metric"] == metric)]
        rows = rows.sort_values("deadline", na_position="last").drop_duplicates("scope")
    by_scope = {r["scope"]: r for r in rows.to_dict("records")} if len(rows) else {}
    out = []
    for name, tile in tile_grid()["tiles"].items():
        region = catalog.region_by_name.get(name)
        full = (region.name_en if lang == "en" else region.name) if region else name
        short = tile["abbr_en"] if lang == "en" else (region.short if region else name)
        r = by_scope.get(name)
        unit = unit_label(catalog, metric, r.get("unit") if r is not None else None, lang)
        status = r["status"] if r is not None else "no_data"
        percent = None if r is None or is_missing(r.get("percent")) else float(r["percent"])
        hover = [full, f"{t('app_col_status', lang)}: {status_label(status, lang)}"]
        if r is not None:
            hover.append(f"{t('app_col_actual', lang)}: {fmt_number(r['actual']) or 0} {unit}".strip())
            if not is_missing(r.get("target")):
                hover.append(f"{t('app_col_target', lang)}: {fmt_number(r['target'])} {unit}".strip())
            if percent is not None:
                hover.append(f"{t('app_col_percent', lang)}: {fmt_number(percent)}%")
        out.append({"region": name, "row": tile["at"][0], "col": tile["at"][1], "text": short,
                    "hover": "<br>".join(hover), "percent": percent, "status": status, "tracked": True})
    for name, tile in tile_grid().get("untracked", {}).items():
        out.append({"region": name, "row": tile["at"][0], "col": tile["at"][1], "text": tile[lang],
                    "hover": f"{name if lang == 'zh' else tile['name_en']}<br>{t('tile_untracked', lang)}",
                    "percent": None, "status": "untracked", "tracked": False})
    return pd.DataFrame(out)


def tile_map(progress: Any, metric: str, *, colour_by: str = "status", lang: str = "zh",
             title: str | None = None) -> go.Figure:
    """The tile map of ``metric``; ``colour_by`` is ``status`` (the status colours) or ``percent``
    (percent of target on a scale that diverges at 100%: short of target ↔ reached)."""
    df = tile_rows(progress, metric, lang)
    fig = go.Figure()
    tracked = df[df["tracked"]]
    if colour_by == "percent":
        has = tracked[tracked["percent"].notna()]
        none = tracked[tracked["percent"].isna()]
        fig.add_trace(_tiles(has, lang, marker_color=has["percent"].clip(upper=150), colorscale="RdYlBu",
                             cmin=0, cmax=150, colorbar={"title": {"text": "%"}, "thickness": 12},
                             name=t("tile_percent", lang)))
        fig.add_trace(_tiles(none, lang, marker_color=NO_DATA_GREY, name=t("tile_no_figure", lang)))
    else:
        for status, part in tracked.groupby("status", sort=False):
            colour = NO_DATA_GREY if status == "no_data" else status_colour(status)
            label = t("tile_no_figure", lang) if status == "no_data" else status_label(status, lang)
            fig.add_trace(_tiles(part, lang, marker_color=colour, name=label))
    untracked = df[~df["tracked"]]
    fig.add_trace(_tiles(untracked, lang, marker_color=UNTRACKED_GREY, name=t("tile_untracked", lang),
                         text_colour="#777"))
    strip = tile_grid().get("strip_title")
    if strip:
        fig.add_annotation(x=strip["at"][1], y=-strip["at"][0], text=t("tile_strip", lang), showarrow=False,
                           font={"size": 11, "color": "#555"})
    fig.update_layout(title=title, height=460, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
                      plot_bgcolor="white", clickmode="event+select", dragmode=False,
                      legend={"orientation": "h", "y": -0.02},
                      xaxis={"visible": False, "range": [-0.6, 9.6], "fixedrange": True},
                      yaxis={"visible": False, "range": [-7.6, 0.6], "fixedrange": True, "scaleanchor": "x"})
    return fig


def _tiles(part: pd.DataFrame, lang: str, *, marker_color: Any, name: str, text_colour: str = "#111",
           **marker: Any) -> go.Scatter:
    return go.Scatter(x=part["col"], y=-part["row"], mode="markers+text", name=name, text=part["text"],
                      customdata=part["region"], hovertext=part["hover"], hoverinfo="text",
                      textfont={"size": 12 if lang == "zh" else 11, "color": text_colour},
                      marker={"symbol": "square", "size": 40, "color": marker_color,
                              "line": {"width": 1, "color": "white"}, **marker})


def default_metric(progress: Any, metrics: list[str]) -> int:
    """The position in ``metrics`` of the first one with a provincial percent (a map of 一批 is all grey)."""
    rows = getattr(progress, "rows", pd.DataFrame())
    if len(rows):
        rows = rows[(rows["scope_type"] == "province") & rows["percent"].notna()]
    with_percent = set(rows["metric"]) if len(rows) else set()
    return next((i for i, m in enumerate(metrics) if m in with_percent), 0)
