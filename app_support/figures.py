"""Plotly figures cached on plain values: store revision, as-of date, chart, language and the chart's
own arguments (scope, metric, deadline, breakdown ...).

Building a figure was most of a chart page's server time (issue 17) and was repeated for every session
and rerun. The cache hands every session the same ``go.Figure`` object (cache_resource: cache_data would
unpickle it, and plotly re-validates a figure on unpickling, which is the cost being avoided).
``st.plotly_chart`` only reads the figure (``to_dict``), so a cached figure must never be changed by a
page: figures a page adjusts afterwards are built with ``charts`` directly.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from app_support import data
from metrics import charts
from metrics.settings import database_url

# The builders whose figures are cached; each takes (progress, ..., lang=...).
CACHED = frozenset({"overview_bullets", "trajectory_chart", "breakdown_chart", "ranking_chart", "levels_chart"})


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(url: str, rev: str, as_of: dt.date, name: str, lang: str, args: tuple, params: tuple,
            approved: bool = False) -> Any:
    return getattr(charts, name)(data._progress(url, rev, as_of, approved), *args, lang=lang, **dict(params))


def figure(name: str, as_of: dt.date, lang: str, *args: Any, **params: Any) -> Any:
    """``charts.<name>(progress at as_of, *args, lang=lang, **params)``, built once per store revision.

    Arguments must be plain hashable values (strings, dates, None); the result is shared: never mutate it.
    """
    if name not in CACHED:
        raise ValueError(f"not a cached chart builder: {name}")
    # Keyed on the approved-only choice too: the figure shows the same numbers as the cards (issue 13).
    return _figure(database_url(), data.revision(), as_of, name, lang, tuple(args), tuple(sorted(params.items())),
                   data.approved_only())
