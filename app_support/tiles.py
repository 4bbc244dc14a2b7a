"""The tile map on a page: a target and colour picker, the map, and a click that opens the region."""
from __future__ import annotations

from typing import Any

import streamlit as st

from metrics.catalog import load_catalog
from metrics.i18n import t
from metrics.tile_map import default_metric

from . import figures
from .session import NATIONAL, choice, current_as_of


def clicked_region(event: Any) -> str | None:
    """The canonical name of the tracked region a plotly selection event points at, if any."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    names = load_catalog().region_by_name
    for p in points or []:
        name = p.get("customdata")
        name = name[0] if isinstance(name, list) and name else name
        if isinstance(name, str) and name in names:
            return name
    return None


def draw_tile_map(progress: Any, metrics: list[str], lang: str, key: str, label_of) -> None:
    """Pick a target and a colouring, draw the map; a click on a region sets the scope to it and opens
    the overview (on the overview itself: reruns it for that region)."""
    if not metrics:
        return
    left, right = st.columns([3, 2])
    with left:
        metric = choice(st.selectbox, t("tile_metric", lang), metrics, f"{key}_tile_metric", label_of,
                        index=default_metric(progress, metrics))
    with right:
        colour_by = choice(st.radio, t("tile_colour_by", lang), ["status", "percent"], f"{key}_tile_colour",
                           lambda v: t(f"tile_colour_{v}", lang), horizontal=True)
    # Built once per revision, as-of, target, colouring and language, with 含未审核数据 when it applies.
    figure = figures.shown("tile_map", current_as_of(), lang, metric, colour_by=colour_by, title=t("tile_title", lang))
    event = st.plotly_chart(figure, key=f"{key}_tiles", width="stretch", on_select="rerun",
                            selection_mode="points", config={"displaylogo": False, "displayModeBar": False})
    region = clicked_region(event)
    if region and region != st.session_state.get("scope", NATIONAL):
        st.session_state["scope"] = region
        st.switch_page("app_pages/overview.py")
