"""How every chart looks: fonts and colours (``metrics/data/chart_style.yaml``), the plotly template, the
layout every figure shares (title, as-of subtitle, legend), whole-number ticks on count axes, the status
legend, and the 含未审核数据 mark."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from .datafiles import parse_yaml
from .i18n import t
from .presentation import fmt_date, is_missing, status_colour, status_label, unreviewed_mark

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def chart_style() -> dict[str, Any]:
    """Fonts, level colours and neutral colours of every chart (chart_style.yaml)."""
    return parse_yaml((DATA_DIR / "chart_style.yaml").read_text(encoding="utf-8"))


def level_color(level: str) -> str:
    return chart_style()["level_colors"].get(level, "#999999")


@lru_cache(maxsize=1)
def _template() -> go.layout.Template:
    """plotly_white, validated once per process."""
    import plotly.io as pio

    return go.layout.Template(pio.templates["plotly_white"])


def _set_template(fig: go.Figure) -> None:
    # `template="plotly_white"` re-validates the whole template on every figure (~60 ms each, most of
    # the overview's script time, issue 17). The cached one is already valid, so assign it with
    # validation off -- what plotly itself does for its default template (Figure._initialize_layout_
    # template). The assignment still copies, so a figure never mutates the cached template.
    layout = fig.layout
    before = layout._validate
    layout._validate = False
    try:
        layout.template = _template()
    finally:
        layout._validate = before


def layout(fig: go.Figure, title: str, as_of: dt.date | None, lang: str, *, height: int | None = None) -> go.Figure:
    """The layout every chart shares: title, the as-of date as subtitle, fonts, margins, the legend below."""
    d = as_of
    subtitle = t("chart_as_of", lang, date=fmt_date(d, lang)) if d else ""
    _set_template(fig)
    fig.update_layout(
        title={"text": title, "subtitle": {"text": subtitle}, "x": 0.01, "xanchor": "left"},
        font={"family": chart_style()["font_family"], "size": 13},
        margin={"l": 10, "r": 20, "t": 80, "b": 40},
        legend={"orientation": "h", "y": -0.18, "x": 0},
        hoverlabel={"font": {"family": chart_style()["font_family"]}},
    )
    if height:
        fig.update_layout(height=height)
    return fig


def mark_unreviewed(fig: go.Figure, unreviewed: bool, lang: str = "zh") -> go.Figure:
    """The figure with 含未审核数据 after its as-of subtitle (``presentation.unreviewed_mark``) when its
    figures include unreviewed submissions; changes ``fig`` in place, so never pass a cached figure."""
    if unreviewed:
        title = fig.layout.title
        sub = title.subtitle.text if title.subtitle and title.subtitle.text else ""
        fig.update_layout(title={"subtitle": {"text": unreviewed_mark(sub, True, lang)}})
    return fig


def whole_ticks(top: float, target_ticks: int = 6) -> dict[str, Any]:
    """Axis settings for a count: ticks on whole numbers only (1, 2, 5 × 10ⁿ steps, never 0.5 项)."""
    raw = max(float(top or 0.0), 1.0) / target_ticks
    mag = 1
    while mag * 10 <= raw:
        mag *= 10
    step = next(int(mag * f) for f in (1, 2, 5, 10) if mag * f >= raw)
    return {"tickmode": "linear", "tick0": 0, "dtick": max(step, 1), "tickformat": ",d"}


def count_axis(fig: go.Figure, axis: str, values: Any, kind: str = "count") -> None:
    """Whole-number ticks on a count axis (``axis`` "x" or "y"); amounts (亿元) keep plotly's own ticks."""
    if kind != "count":
        return
    nums = [float(v) for v in values if not is_missing(v)]
    settings = whole_ticks(max([0.0, *nums]))
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**settings)


def status_legend(fig: go.Figure, statuses: list[str], lang: str) -> None:
    """Legend entries (no data) for the statuses shown, so colour is never the only cue."""
    for s in dict.fromkeys(statuses):
        fig.add_trace(go.Bar(x=[None], y=[None], orientation="h", name=status_label(s, lang),
                             marker_color=status_colour(s), showlegend=True, hoverinfo="skip"))
