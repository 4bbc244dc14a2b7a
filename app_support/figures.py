"""Plotly figures cached on plain values: store revision, as-of date, chart, language and the chart's
own arguments (scope, metric, deadline, breakdown ...).

Building a figure was most of a chart page's server time (issue 17) and was repeated for every session
and rerun; so was making it safe to show (``markup.safe_figure`` rebuilds and re-validates the whole
figure) and marking it 含未审核数据. ``figure`` caches the built figure, ``shown`` the figure as a page
shows it (safe text, the unreviewed mark when it applies), so a rerun hands ``st.plotly_chart`` a ready
figure. Both hand every session the same ``go.Figure`` object (cache_resource: cache_data would unpickle
it, and plotly re-validates a figure on unpickling, which is the cost being avoided). ``st.plotly_chart``
only reads the figure (``to_dict``), so a cached figure must never be changed by a page: a page that
adjusts a figure passes the adjustment as ``layout`` (plain pairs for ``update_layout``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import streamlit as st

from app_support import data
from metrics import chart_style, charts, tile_map
from metrics.markup import safe_figure
from metrics.side_by_side import side_by_side_chart
from metrics.settings import database_url

def side_by_side(progress: Any, regions: tuple[str, ...], names: tuple[tuple[str, str], ...], *,
                 lang: str) -> Any:
    """``side_by_side.side_by_side_chart`` on plain values: the regions and the custom metric names as tuples."""
    return side_by_side_chart(progress, list(regions), lang, dict(names))


# The builders whose figures are cached; each takes (progress, ..., lang=...).
BUILDERS: dict[str, Callable[..., Any]] = {
    "overview_bullets": charts.overview_bullets, "trajectory_chart": charts.trajectory_chart,
    "breakdown_chart": charts.breakdown_chart, "ranking_chart": charts.ranking_chart,
    "levels_chart": charts.levels_chart, "bullet_chart": charts.bullet_chart, "heatmap": charts.heatmap,
    "tile_map": tile_map.tile_map, "side_by_side": side_by_side,
}


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(url: str, rev: str, as_of: dt.date, name: str, lang: str, args: tuple, params: tuple,
            approved: bool = False, layout: tuple = ()) -> Any:
    fig = BUILDERS[name](data._progress(url, rev, as_of, approved), *args, lang=lang, **dict(params))
    if layout:
        fig.update_layout(**dict(layout))
    return fig


@st.cache_resource(show_spinner=False, max_entries=256)
def _shown(url: str, rev: str, as_of: dt.date, name: str, lang: str, args: tuple, params: tuple,
           approved: bool, layout: tuple, unreviewed: bool) -> Any:
    # safe_figure copies, so the mark never touches the cached built figure (issue 13).
    built = _figure(url, rev, as_of, name, lang, args, params, approved, layout)
    return chart_style.mark_unreviewed(safe_figure(built), unreviewed, lang)


def _key(name: str, params: dict[str, Any]) -> tuple[tuple, tuple]:
    if name not in BUILDERS:
        raise ValueError(f"not a cached chart builder: {name}")
    layout = tuple(sorted((params.pop("layout", None) or {}).items()))
    return tuple(sorted(params.items())), layout


def figure(name: str, as_of: dt.date, lang: str, *args: Any, **params: Any) -> Any:
    """``<builder name>(progress at as_of, *args, lang=lang, **params)``, built once per store revision;
    ``layout={...}`` (plain values) is applied with ``update_layout`` before caching.

    Arguments must be plain hashable values (strings, dates, None); the result is shared: never mutate it.
    """
    plain, layout = _key(name, params)
    # Keyed on the approved-only choice too: the figure shows the same numbers as the cards (issue 13).
    return _figure(database_url(), data.revision(), as_of, name, lang, tuple(args), plain, data.approved_only(),
                   layout)


def shown(name: str, as_of: dt.date, lang: str, *args: Any, **params: Any) -> Any:
    """``figure(...)`` as a page shows it: workbook text made safe (``markup.safe_figure``) and 含未审核数据
    after the subtitle when the figures include unreviewed submissions; cached on the same values and
    that flag. Hand it to ``ui.plot(..., prepared=True)``; never mutate it."""
    plain, layout = _key(name, params)
    return _shown(database_url(), data.revision(), as_of, name, lang, tuple(args), plain, data.approved_only(),
                  layout, data.includes_unreviewed())
