"""Writing untrusted text into spreadsheet cells so that it stays text.

openpyxl turns any string starting with ``=`` into a formula, and Excel, WPS and LibreOffice
treat text starting with ``+``, ``-``, ``@``, a tab or a carriage return as the start of a
formula when a user edits the cell or opens a CSV export (CSV/formula injection).
``safe_cell_text`` returns a value that openpyxl always writes as an inline string (a one-run
rich text, which skips openpyxl's formula detection) and that every reader reads back as the
original text; it also drops the control characters that XML forbids, which openpyxl would
otherwise reject with an exception.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openpyxl.cell.rich_text import CellRichText
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

if TYPE_CHECKING:
    import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Text without the control characters XML forbids, cut to Excel's cell limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


def safe_cell_text(value: Any) -> Any:
    """A value safe to assign to an openpyxl cell (or append to a write-only sheet).

    Non-strings are returned unchanged; strings are cleaned, and formula-like strings are
    wrapped so that they are written as text, never as a formula.
    """
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if is_formula_like(text):
        return CellRichText(text)
    return text


def safe_row(values: list[Any]) -> list[Any]:
    """``safe_cell_text`` applied to every value of a row."""
    return [safe_cell_text(v) for v in values]


def safe_csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet program opens as text: formula-like text gets a leading apostrophe."""
    return f"'{value}" if isinstance(value, str) and is_formula_like(value) else value


def csv_bytes(df: "pd.DataFrame") -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (Excel keeps the Chinese) and no cell that runs as a formula.

    This is the only CSV export of the app: Streamlit's own table download is switched off
    (``client.disableDataExport``) because it writes ``=…``, ``+…``, ``-…``, ``@…`` cells verbatim.
    """
    out = df.apply(lambda col: col.map(safe_csv_cell)) if len(df) else df
    return out.to_csv(index=False).encode("utf-8-sig")
