"""What storing an uploaded file will do, said before it is done (issue 12): how many rows are stored,
which are skipped and why, and a proposed as-of date for a file that names none.

No streamlit here: the upload page shows these, the tests check them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .model import IngestResult

PLAN_COLUMNS = ["sheet", "row", "reason"]


@dataclass(frozen=True)
class StorePlan:
    """Rows that will be stored, rows that will not (invalid or not data), and the latter listed."""

    stored: int
    skipped: int
    rows: pd.DataFrame  # sheet, row (Excel row number, missing for a whole sheet), reason


def store_plan(result: IngestResult, lang: str = "zh") -> StorePlan:
    """The rows a store of ``result`` keeps and leaves out, each left-out row with its first reason.

    Invalid rows carry their first error; rows that are not data (合计, 注, 填表人 …) their note; a
    sheet refused as a whole (a missing column) is one line without a row number.
    """
    counts = result.row_counts
    seen: dict[tuple[str, int | None], str] = {}
    for p in result.problems:
        if not (p.severity == "error" or p.code == "non_data_row"):
            continue
        key = (p.sheet or "", p.row)
        if key in seen:
            continue
        seen[key] = p.statement(lang).strip()  # the problem without its fix
    rows = pd.DataFrame([{"sheet": s, "row": r, "reason": m} for (s, r), m in seen.items()], columns=PLAN_COLUMNS)
    rows["row"] = rows["row"].astype("Int64")
    rows = rows.sort_values(["sheet", "row"], kind="stable", na_position="first").reset_index(drop=True)
    return StorePlan(stored=counts.valid, skipped=counts.invalid + counts.skipped, rows=rows)


def as_of_guess(result: IngestResult) -> dt.date | None:
    """A proposed as-of date for a file that names none: the latest date any of its rows carries
    (an achieved item's date, a total's date). Only a guess: the page shows it as one and asks."""
    dates: list[pd.Timestamp] = []
    for frame, column in ((result.items, "date"), (result.totals, "as_of")):
        if len(frame) and column in frame:
            latest = pd.to_datetime(frame[column], errors="coerce").max()
            if pd.notna(latest):
                dates.append(latest)
    return max(dates).date() if dates else None
