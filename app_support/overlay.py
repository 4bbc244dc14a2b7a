"""The catalog page's overlay: national targets and each province's own targets side by side."""
from __future__ import annotations

from typing import Any

import pandas as pd

from metrics.i18n import t
from metrics.presentation import fmt_number


def overlay_table(catalog: Any, targets: pd.DataFrame, lang: str = "zh",
                  provinces: list[str] | None = None) -> pd.DataFrame:
    """National targets and each province's own targets side by side: one row per metric and
    deadline year, a column for the national target and one per province (its target as written).

    ``targets`` is a ``Dataset.targets`` frame (the 目标设定 sheets); ``provinces`` limits the columns.
    """
    national_label = t("scope_national", lang)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for m in catalog.countable_metrics:
        for spec in m.targets:
            if spec.province is None:
                text = fmt_number(spec.value) if spec.value is not None else (
                    spec.text_en if lang == "en" and spec.text_en else spec.text_zh or "")
                rows[(m.id, spec.deadline.year)] = {"metric": m.name(lang), "unit": m.unit_label(lang),
                                                    "year": spec.deadline.year, national_label: text}
    columns: list[str] = []
    sel = targets if provinces is None else targets[targets["province"].isin(provinces)]
    region_rank = {r.name: i for i, r in enumerate(catalog.regions)}
    sel = sel.assign(_r=sel["province"].map(region_rank).fillna(999)).sort_values(["_r", "metric", "deadline"])
    for r in sel.to_dict("records"):
        if pd.isna(r.get("deadline")) or pd.isna(r.get("province")):
            continue
        year = pd.Timestamp(r["deadline"]).year
        metric = str(r["metric"])
        m = catalog.metric_by_id.get(metric)
        row = rows.setdefault((metric, year), {
            "metric": m.name(lang) if m else str(r.get("name_zh") or metric),
            "unit": m.unit_label(lang) if m else str(r.get("unit") or ""), "year": year, national_label: ""})
        column = catalog.label("province", r["province"], lang)
        if column not in columns:
            columns.append(column)
        text = r.get("text")
        row[column] = str(text) if isinstance(text, str) and text else fmt_number(r.get("value"))
    order = {m.id: i for i, m in enumerate(catalog.all_metrics)}
    keys = sorted(rows, key=lambda k: (order.get(k[0], 999), k[1]))
    return pd.DataFrame([rows[k] for k in keys], columns=["metric", "unit", "year", national_label, *columns]).fillna("")
