"""The upload page's facts about a file: whether it is refused before it is read, its validation report
and row counts, whether the same bytes were stored before, and the names of the files it offers."""
from __future__ import annotations

from typing import Any, Iterable

import pandas as pd

from metrics.model import Problem, SheetCount

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What the uploader offers; the file's content is checked again by ingest (magic bytes, zip bombs).
UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "csv")


def upload_refusal(filename: str, size: int, max_bytes: int) -> str | None:
    """The translation key of the reason a file is refused before it is read, or None to read it."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in UPLOAD_TYPES:
        return "app_upload_bad_type"
    if size > max_bytes:
        return "app_upload_too_big"
    if size == 0:
        return "app_upload_empty"
    return None


def problem_table(problems: Iterable[Problem], lang: str = "zh") -> pd.DataFrame:
    """The validation report: one row per problem with sheet, Excel row, column, value, problem, fix.

    Errors come before warnings, then sheet and row order, as the user walks the workbook.
    """
    records = []
    for p in problems:
        records.append({
            "severity": p.severity,
            "sheet": p.sheet or "",
            "row": p.row,
            "column": (p.column or "") + (f" ({p.header})" if p.header else ""),
            "value": "" if p.value is None else str(p.value),
            "problem": p.statement(lang),
            "fix": p.fix_text(lang).strip(),
            "code": p.code,
        })
    df = pd.DataFrame(records, columns=["severity", "sheet", "row", "column", "value", "problem", "fix", "code"])
    df["row"] = df["row"].astype("Int64")
    order = df["severity"].map({"error": 0, "warning": 1}).fillna(2)
    return df.assign(_o=order).sort_values(["_o", "sheet", "row"], kind="stable").drop(columns="_o").reset_index(drop=True)


def sheet_count_table(sheets: dict[str, SheetCount]) -> pd.DataFrame:
    """Valid / invalid / blank / total rows per sheet, in the order the file has them."""
    rows = [{"sheet": name, "valid": c.valid, "invalid": c.invalid, "blank": c.blank, "total": c.total}
            for name, c in sheets.items()]
    return pd.DataFrame(rows, columns=["sheet", "valid", "invalid", "blank", "total"])


def same_file(history: list[dict[str, Any]], sha256: str) -> dict[str, Any] | None:
    """The earliest stored submission (not deleted) of exactly these bytes, if any."""
    hits = [h for h in history or [] if h.get("sha256") == sha256 and h.get("state") != "deleted"]
    return min(hits, key=lambda h: h.get("id") or 0) if hits else None


def template_filename(province: str | None, prefilled: bool) -> str:
    """未来产业进展表_模板.xlsx, or with the province and 上次报送 for a pre-filled one."""
    parts = ["未来产业进展表", province or "", "上次报送" if prefilled else "模板"]
    return "_".join(p for p in parts if p) + ".xlsx"


def annotated_filename(filename: str) -> str:
    """The name of the annotated copy of an uploaded workbook: 原名_校验结果.xlsx."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{stem}_校验结果.xlsx"
