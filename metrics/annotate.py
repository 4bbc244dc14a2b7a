"""An annotated copy of the user's own workbook: problem cells filled and commented, so they fix it there."""
from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from .i18n import t
from .model import IngestResult, Problem
from .readers import ReadError, read_workbook
from .xlsx_safe import safe_cell_text

ERROR_FILL = "FFC7CE"    # light red, as Excel's "bad" cell style
WARNING_FILL = "FFEB9C"  # light yellow, as Excel's "neutral" cell style


def annotate_workbook(content: bytes, filename: str, result: IngestResult, lang: str = "zh") -> bytes:
    """An .xlsx copy of the file with every located problem's cell (or row) filled and commented.

    The comments are the problems' messages in ``lang`` (the reader's language), one per line, without
    codes: the user reads how to fix the cell, not our identifiers.

    .xlsx/.xlsm keep the user's own workbook (formatting, other sheets); .xls and CSV become an
    .xlsx of the same grid. Problems without a row are listed on the sheet's first cell.
    """
    from openpyxl import Workbook, load_workbook

    try:
        wb = read_workbook(content)
    except ReadError:
        wb = None
    if wb is not None and wb.kind == "xlsx":
        book = load_workbook(io.BytesIO(content), rich_text=False)
    else:
        book = Workbook()
        book.remove(book.active)
        for grid in (wb.sheets if wb is not None else []):
            ws = book.create_sheet(_sheet_title(grid.name))
            for row in grid.rows:
                ws.append([safe_cell_text(v) if v != "" else None for v in row])
        if wb is not None and wb.kind == "csv" and book.worksheets:
            book.worksheets[0].title = _sheet_title(filename.rsplit(".", 1)[0] or "CSV")
            renamed = {"CSV": book.worksheets[0].title}
        else:
            renamed = {}
        if not book.worksheets:
            book.create_sheet("Sheet1")
        result = _renamed(result, renamed)
    _mark(book, result.problems, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return name[:31] or "Sheet"


def _renamed(result: IngestResult, names: dict[str, str]) -> IngestResult:
    if not names:
        return result
    from dataclasses import replace

    problems = [replace(p, sheet=names.get(p.sheet, p.sheet)) if p.sheet else p for p in result.problems]
    return replace(result, problems=problems)


def _writable(ws: Any, cell: Any) -> Any:
    """The cell itself, or for a covered cell of a merged range its range's top-left cell.

    openpyxl's MergedCell takes no fill or comment (AttributeError): a problem on a merged 注 row
    or a merged header is shown on the cell the user sees.
    """
    from openpyxl.cell.cell import MergedCell

    if not isinstance(cell, MergedCell):
        return cell
    for rng in ws.merged_cells.ranges:
        if cell.coordinate in rng:
            return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def comment_text(problems: list[Problem], lang: str = "zh") -> str:
    """The note written on a cell: each problem's message in ``lang`` (English falls back to Chinese)."""
    return "\n".join(dict.fromkeys((p.message_en or p.message) if lang == "en" else p.message for p in problems))


def _mark(book: Any, problems: list[Problem], lang: str = "zh") -> None:
    from openpyxl.cell.cell import MergedCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    fills = {"error": PatternFill("solid", fgColor=ERROR_FILL), "warning": PatternFill("solid", fgColor=WARNING_FILL)}
    by_cell: dict[tuple[str, int, str | None], list[Problem]] = defaultdict(list)
    for p in problems:
        if p.severity == "info":  # notes on what was inferred or skipped: nothing to fix in the file
            continue
        sheet = p.sheet if p.sheet in book.sheetnames else (book.sheetnames[0] if book.sheetnames else None)
        if sheet is None:
            continue
        by_cell[(sheet, p.row or 1, p.column or ("A" if not p.row else None))].append(p)
    for (sheet, row, column), found in by_cell.items():
        ws = book[sheet]
        severity = "error" if any(p.severity == "error" for p in found) else "warning"
        text = comment_text(found, lang)
        if column:
            cell = _writable(ws, ws[f"{column}{row}"])
            cell.fill = fills[severity]
        else:
            width = max(ws.max_column, 1)
            for c in range(1, width + 1):
                target = ws.cell(row=row, column=c)
                if not isinstance(target, MergedCell):
                    target.fill = fills[severity]
            cell = _writable(ws, ws.cell(row=row, column=1))
        old = cell.comment.text + "\n" if cell.comment else ""
        # A comment is never a formula; its text is the messages only.
        cell.comment = Comment(old + text, t("ingest_comment_author", lang), width=360, height=160)

