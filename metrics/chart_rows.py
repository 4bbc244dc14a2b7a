"""The progress rows each chart and report table shows: one scope's targets, a metric's regions ranked,
the heat map's region × metric cells, breakdowns, a trajectory's points, goal and task level counts, and
the units and target words they are shown with."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .catalog import Catalog, load_catalog
from .chart_style import chart_style
from .i18n import t
from .presentation import is_missing

def as_of_of(progress: Any) -> dt.date | None:
    """The as-of date the progress was computed for."""
    d = getattr(progress, "as_of", None)
    return None if is_missing(d) else pd.Timestamp(d).date()


def scope_rows(progress: Any, scope_type: str = "national", scope: str = "national") -> pd.DataFrame:
    """The progress rows of one scope (countable metrics), ordered by deadline then catalog order."""
    rows = progress.rows
    sel = rows[(rows["scope_type"] == scope_type) & (rows["scope"] == scope)]
    return sel[sel["kind"] != "qualitative"].reset_index(drop=True)


def unit_label(catalog: Catalog, metric: str, unit: Any, lang: str) -> str:
    m = catalog.metric_by_id.get(metric)
    if m is not None:
        return m.unit_label(lang)
    return "" if is_missing(unit) else str(unit)


def no_number_note(row: Any, lang: str) -> str:
    """Why a row has no percent: the policy's 一批 (a target without a number), or no target set at all."""
    return t("chart_no_numeric_target" if row.get("target_source") != "none" else "chart_no_target_set", lang)


def target_words(row: Any, catalog: Catalog, lang: str) -> str:
    """The target as the policy words it ("百项", "a batch"), in ``lang``; the engine's text otherwise."""
    deadline = None if is_missing(row["deadline"]) else pd.Timestamp(row["deadline"]).date()
    if row.get("target_source") == "national":
        spec = catalog.national_target(row["metric"], deadline)
        if spec is not None:
            text = spec.text_en if lang == "en" else spec.text_zh
            if text:
                return text
    if is_missing(row["target_text"]) or not str(row["target_text"]):
        return t("target_batch", lang) if row.get("target_source") != "none" else ""
    return str(row["target_text"])


def scope_label(catalog: Catalog, scope_type: str, scope: str, lang: str) -> str:
    if scope_type == "national":
        return t("scope_national", lang)
    return catalog.label(scope_type, scope, lang)


def trajectory_points(progress: Any, metric: str, scope_type: str, scope: str, deadline: Any,
                      catalog: Catalog) -> dict[str, Any]:
    """The lines of a trajectory chart as plain data (shared by the plotly figure and the image)."""
    rows = scope_rows(progress, scope_type, scope)
    rows = rows[rows["metric"] == metric]
    if deadline is not None:
        rows = rows[pd.to_datetime(rows["deadline"]) == pd.Timestamp(deadline)]
    s = progress.series
    s = s[(s["scope_type"] == scope_type) & (s["scope"] == scope) & (s["metric"] == metric)].sort_values("month")
    as_of = as_of_of(progress)
    months = list(pd.to_datetime(s["month"]))
    if as_of is not None:
        # The engine counts each month up to min(month end, as-of): the last point is the as-of figure,
        # so it is drawn at the as-of date, never at a month end after it (issue 13, point 6).
        months = [min(m, pd.Timestamp(as_of)) for m in months]
    out: dict[str, Any] = {"months": months, "cumulative": list(s["cumulative"]),
                           "row": rows.iloc[0] if len(rows) else None}
    r = out["row"]
    if r is not None:
        dl = pd.Timestamp(r["deadline"]) if not is_missing(r["deadline"]) else pd.Timestamp(as_of or catalog.policy.date)
        base = getattr(progress, "baseline", None)
        start = pd.Timestamp(base if base is not None else catalog.policy.date)
        out["deadline"] = dl
        if not is_missing(r["target"]):
            out["target"] = float(r["target"])
            out["pace"] = ([start, dl], [0.0, float(r["target"])])
        if as_of and not is_missing(r["projected"]) and pd.Timestamp(as_of) < dl:
            out["projection"] = ([pd.Timestamp(as_of), dl], [float(r["actual"]), float(r["projected"])])
    out["as_of"] = pd.Timestamp(as_of) if as_of else None
    return out


def breakdown_rows(progress: Any, metric: str, by: str) -> pd.DataFrame:
    """Progress rows of one metric broken down by direction or flagship category."""
    rows = progress.rows
    return rows[(rows["scope_type"] == by) & (rows["metric"] == metric)].sort_values("actual", ascending=False)


def heatmap_rows(progress: Any, value: str = "percent") -> pd.DataFrame:
    """The province row behind each heat-map cell: per region and metric the earliest deadline that has
    a ``value`` (percent or contribution_percent), else the earliest deadline."""
    rows = progress.rows
    rows = rows[(rows["scope_type"] == "province") & (rows["kind"] != "qualitative")]
    if rows.empty:
        return rows
    rows = rows.assign(_empty=rows[value].isna()).sort_values(["_empty", "deadline"], kind="stable")
    return rows.drop_duplicates(["scope", "metric"]).drop(columns="_empty")


def heatmap_grid(rows: pd.DataFrame, value: str, catalog: Catalog) -> pd.DataFrame:
    """Region × metric pivot of ``value`` in catalog order (regions as in regions.yaml)."""
    m = rows.pivot(index="scope", columns="metric", values=value)
    order = [x.id for x in catalog.all_metrics if x.id in m.columns] + [c for c in m.columns
                                                                        if c not in catalog.metric_by_id]
    region_order = [r.name for r in catalog.regions if r.name in m.index] + [i for i in m.index
                                                                             if i not in catalog.region_by_name]
    return m.loc[region_order, order].astype(float)


def heatmap_matrix(progress: Any, value: str = "percent", catalog: Catalog | None = None) -> pd.DataFrame:
    """Province × metric matrix of ``value`` (percent or contribution_percent), catalog order."""
    catalog = catalog or load_catalog()
    rows = heatmap_rows(progress, value)
    if rows.empty:
        return pd.DataFrame()
    return heatmap_grid(rows, value, catalog).dropna(axis=1, how="all")


def ranking_rows(progress: Any, metric: str) -> pd.DataFrame:
    """Province rows of one metric ordered from most to fewest counted items."""
    rows = progress.rows
    rows = rows[(rows["scope_type"] == "province") & (rows["metric"] == metric)]
    rows = rows.sort_values("deadline").drop_duplicates("scope")
    return rows.sort_values(["actual", "scope"], ascending=[False, True]).reset_index(drop=True)


def is_money(kind: Any, unit: Any) -> bool:
    """A money figure: a value metric counted in 亿元 (worded by presentation.fmt_money)."""
    return kind == "value" and str(unit) in ("亿元", "100 million yuan")


def level_counts(progress: Any, kind: str = "goals") -> pd.DataFrame:
    """Long frame (item, level, count) of self-assessed levels for goals or tasks."""
    df = getattr(progress, kind)
    if df is None or len(df) == 0:
        return pd.DataFrame(columns=["item", "level", "count"])
    key = "goal" if kind == "goals" else "task"
    if "level" in df.columns and "count" in df.columns:
        out = df[[key, "level", "count"]].rename(columns={key: "item"})
    else:
        # wide frame: one column per level id
        levels = [c for c in df.columns if c in chart_style()["level_colors"]]
        out = df.melt(id_vars=[key], value_vars=levels, var_name="level", value_name="count").rename(columns={key: "item"})
    return out.reset_index(drop=True)
