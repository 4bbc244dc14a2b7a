"""The audit log as a table and as downloadable CSV / Excel files (labels in Chinese or English).

Rows come from ``Store.audit()`` (already filtered by ``access.visible_audit``). Names and file
names in the log were typed by users, so every cell is written as text, never as a formula.
"""
from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from .i18n import t, translations
from .xlsx_safe import csv_bytes, safe_row

AUDIT_COLUMNS = {"at": "auth_col_at", "actor": "auth_col_actor", "action": "auth_col_action",
                 "submission_id": "auth_col_submission", "province": "auth_col_province",
                 "sha256": "auth_col_sha256", "detail": "auth_col_detail"}


def action_label(action: str, lang: str) -> str:
    """The translated name of an audit action; the action itself when it has no label yet."""
    key = f"app_action_{action}"
    return t(key, lang) if key in translations() else action


def audit_frame(rows: list[dict[str, Any]], lang: str = "zh") -> pd.DataFrame:
    """The audit entries with translated headers and action names; full SHA-256, detail as JSON text."""
    records = [{"at": r.get("at") or "", "actor": r.get("actor") or "",
                "action": action_label(str(r.get("action") or ""), lang),
                "submission_id": r.get("submission_id"), "province": r.get("province") or "",
                "sha256": r.get("sha256") or "",
                "detail": json.dumps(r.get("detail") or {}, ensure_ascii=False, sort_keys=True)} for r in rows]
    df = pd.DataFrame(records, columns=list(AUDIT_COLUMNS))
    df["submission_id"] = df["submission_id"].astype("Int64")
    return df.rename(columns={c: t(k, lang) for c, k in AUDIT_COLUMNS.items()})


def audit_csv(rows: list[dict[str, Any]], lang: str = "zh") -> bytes:
    """The audit log as UTF-8 CSV with a byte-order mark (Excel opens it with the Chinese intact)."""
    return csv_bytes(audit_frame(rows, lang))


def _xlsx_value(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def audit_xlsx(rows: list[dict[str, Any]], lang: str = "zh") -> bytes:
    """The audit log as an Excel workbook (one sheet, frozen header, every text cell stored as text)."""
    from openpyxl import Workbook

    df = audit_frame(rows, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "audit"
    ws.append(list(df.columns))
    for rec in df.astype(object).itertuples(index=False):
        ws.append(safe_row([_xlsx_value(v) for v in rec]))
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (26, 14, 14, 10, 12, 66, 60)):
        ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
