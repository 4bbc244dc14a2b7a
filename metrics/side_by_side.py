"""Side by side: every target of two or more regions next to each other (a table and a chart)."""
from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .catalog import load_catalog
from .chart_rows import unit_label
from .presentation import fmt_number, is_missing, status_label
from .i18n import t
from .presentation import target_figure


def side_by_side_rows(progress: Any, regions: list[str]) -> pd.DataFrame:
    """The numeric targets of ``regions`` (canonical names): one row per region × metric × deadline."""
    rows = getattr(progress, "rows", pd.DataFrame())
    if not len(rows) or not regions:
        return pd.DataFrame(columns=["scope", "metric", "deadline", "actual", "target", "percent", "status", "unit"])
    rows = rows[(rows["scope_type"] == "province") & rows["scope"].isin(regions) & (rows["kind"] != "qualitative")]
    return rows.reset_index(drop=True)


def cell_text(row: dict[str, Any], lang: str) -> str:
    """One region's figure for one target: "12 / 20 项 · 60%" or "3 项 · 无目标"; the figure worded by
    ``presentation.target_figure`` as on the cards (money in 亿元 / billion yuan, "1 incubator")."""
    unit = unit_label(load_catalog(), str(row.get("metric")), row.get("unit"), lang)
    figure = target_figure(row, unit, lang)
    if is_missing(row.get("target")):
        return f"{figure} · {status_label(row.get('status'), lang)}".strip()
    pct = "" if is_missing(row.get("percent")) else f" · {fmt_number(row['percent'])}%"
    return f"{figure}{pct}".strip()


def side_by_side_table(progress: Any, regions: list[str], lang: str = "zh",
                       names: dict[str, str] | None = None) -> pd.DataFrame:
    """Targets as rows (name and deadline year), the regions as columns, each cell ``cell_text``."""
    catalog = load_catalog()
    df = side_by_side_rows(progress, regions)
    target_col, names = t("app_col_metric", lang), names or {}
    if df.empty:
        return pd.DataFrame(columns=[target_col, *[catalog.label("province", r, lang) for r in regions]])
    df = df.assign(target_name=[f"{names.get(m) or catalog.label('metric', m, lang)}"
                                + (f" ({pd.Timestamp(d).year})" if not is_missing(d) else "")
                                for m, d in zip(df["metric"], df["deadline"])],
                   cell=[cell_text(r, lang) for r in df.to_dict("records")])
    order = list(dict.fromkeys(df["target_name"]))
    wide = df.pivot_table(index="target_name", columns="scope", values="cell", aggfunc="first").reindex(order)
    wide = wide.reindex(columns=[r for r in regions if r in wide.columns]).fillna("–")
    wide.columns = [catalog.label("province", r, lang) for r in wide.columns]
    return wide.reset_index().rename(columns={"target_name": target_col})


def side_by_side_chart(progress: Any, regions: list[str], lang: str = "zh",
                       names: dict[str, str] | None = None) -> go.Figure:
    """Percent of target per target, one bar group per target and one colour per region."""
    catalog = load_catalog()
    df = side_by_side_rows(progress, regions)
    df = df[df["percent"].notna()] if len(df) else df
    fig = go.Figure()
    for region in regions:
        part = df[df["scope"] == region] if len(df) else df
        labels = [f"{(names or {}).get(m) or catalog.label('metric', m, lang)}"
                  + (f" ({pd.Timestamp(d).year})" if not is_missing(d) else "")
                  for m, d in zip(part["metric"], part["deadline"])]
        fig.add_trace(go.Bar(y=labels, x=part["percent"], orientation="h", name=catalog.label("province", region, lang),
                             text=[f"{fmt_number(p)}%" for p in part["percent"]], textposition="outside",
                             hovertemplate="%{y}<br>%{x:.1f}%<extra>" + catalog.label("province", region, lang)
                             + "</extra>"))
    fig.update_layout(barmode="group", title=t("side_by_side_chart", lang), xaxis_title=t("app_col_percent", lang),
                      height=max(300, 60 + 28 * len(set(zip(df["metric"], df["deadline"]))) * max(len(regions), 1))
                      if len(df) else 300, yaxis={"autorange": "reversed", "automargin": True},
                      legend={"orientation": "h", "y": -0.15})
    fig.add_vline(x=100, line_dash="dot", line_color="#555")
    return fig


def default_regions(progress: Any, n: int = 2) -> list[str]:
    """The regions to show first: those with the most targets that have a percent (then catalog order)."""
    rows = getattr(progress, "rows", pd.DataFrame())
    if not len(rows):
        return []
    rows = rows[(rows["scope_type"] == "province") & (rows["kind"] != "qualitative")]
    counts = rows.assign(has=rows["percent"].notna()).groupby("scope", sort=False)["has"].sum()
    return list(counts.sort_values(ascending=False, kind="stable").index[:n])
