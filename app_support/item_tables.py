"""The items behind a figure (目标差距), searchable, with their canonical keys shown by name."""
from __future__ import annotations

from typing import Any

import pandas as pd

SEARCH_COLUMNS = ("name", "code", "province", "lead_unit", "evidence", "note", "direction", "flagship")


def search_items(items: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows whose name, code, province, lead unit, evidence or note contain every word of ``query``."""
    words = [w for w in (query or "").lower().split() if w]
    if not words or items.empty:
        return items
    cols = [c for c in SEARCH_COLUMNS if c in items.columns]
    haystack = items[cols].astype("string").fillna("").agg(" ".join, axis=1).str.lower()
    mask = pd.Series(True, index=items.index)
    for w in words:
        mask &= haystack.str.contains(w, regex=False)
    return items[mask]


def counted_rows(rows: pd.DataFrame, catalog: Any, lang: str = "zh") -> pd.DataFrame:
    """The rows that make up a figure (``progress.counted_items`` marks them ``counted``), with
    province, direction and flagship category by name."""
    if "counted" in rows.columns:
        rows = rows[rows["counted"].fillna(False).astype(bool)]
    return by_name(rows, catalog, lang, ("province", "direction", "flagship")).reset_index(drop=True)


def by_name(rows: pd.DataFrame, catalog: Any, lang: str = "zh",
            columns: tuple[str, ...] = ("province", "metric", "status", "direction", "flagship")) -> pd.DataFrame:
    """A copy of ``rows`` with the canonical keys in ``columns`` shown by their names in ``lang``
    (江苏省 / Jiangsu, enterprise → 领军企业, in_progress → 推进中); a custom metric keeps its id."""
    rows = rows.copy()
    for column in columns:
        if column in rows.columns:
            rows[column] = [catalog.label(column, v, lang) if isinstance(v, str) and v else ""
                            for v in rows[column]]
    return rows
