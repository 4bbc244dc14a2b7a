"""Long tables in pages: the first rows on screen, the full list as a download (issue 17: at 10x the gaps
page sent 2.8 MB per view, almost all of it one 10,455-row table)."""
from __future__ import annotations

import pandas as pd

from metrics.xlsx_safe import is_formula_like

FIRST_ROWS = 200


def _safe(value: object) -> object:
    # A spreadsheet opening the CSV would run "=..." as a formula: a leading apostrophe keeps it text.
    return f"'{value}" if isinstance(value, str) and is_formula_like(value) else value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a BOM (Excel then reads Chinese correctly), formula-like text neutralised."""
    safe = df.copy()
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(_safe)
    return safe.to_csv(index=False).encode("utf-8-sig")
