"""Size budgets checked before a workbook is read (issue 18).

calamine parses a whole sheet before it can say how large it is: a 1,048,576 × 193 sheet that
compresses to a few MB cost minutes and gigabytes. The sheet's own metadata says it first: every
worksheet part starts with ``<dimension ref="A1:GK1048576"/>``. ``check_budget`` reads only the
first kilobytes of each worksheet part (a bounded inflate, near-constant memory) and refuses a file
whose sheets claim more rows (summed over sheets) or cells than the limits, before any parsing.
A sheet without a dimension element is left to the readers' own limits (used range, zip bomb caps).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from .readers import MAX_CELLS, ReadError
from .settings import setting

HEAD_BYTES = 64 * 1024  # the dimension element comes right after <worksheet …> and <sheetPr>
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ALT = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def max_file_rows() -> int:
    """Rows a workbook may hold over all its sheets (``TRACKER_MAX_ROWS``, 200,000 by default)."""
    try:
        return max(1, int(float(setting("TRACKER_MAX_ROWS"))))
    except ValueError:
        return 200_000


@dataclass(frozen=True)
class SheetSize:
    """One worksheet's used range as its metadata declares it."""

    name: str
    rows: int
    columns: int


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The first HEAD_BYTES of an entry, inflating no more than that."""
    with zf.open(info) as fh:
        return fh.read(HEAD_BYTES)


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part path -> the sheet's name, from the workbook and its relationships."""
    try:
        book = zf.read("xl/workbook.xml")[:4 * 2**20]
        rels = zf.read("xl/_rels/workbook.xml.rels")[:4 * 2**20]
    except (KeyError, RuntimeError, OSError, ValueError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return {}  # missing or encrypted parts: names fall back to part names; the readers explain the rest
    targets = {i: t for i, t in _REL.findall(rels)} | {i: t for t, i in _REL_ALT.findall(rels)}
    pairs = _SHEET.findall(book) + [(n, i) for i, n in _SHEET_ALT.findall(book)]
    out = {}
    for name, rid in pairs:
        target = targets.get(rid)
        if target:
            path = target.decode("utf-8", "replace").lstrip("/")
            out[path if path.startswith("xl/") else f"xl/{path}"] = name.decode("utf-8", "replace")
    return out


def sheet_sizes(content: bytes) -> list[SheetSize]:
    """Declared size of every worksheet of an xlsx package (sheets without a dimension left out)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        return []  # the readers say what is wrong with the package
    with zf:
        names = _sheet_names(zf)
        sizes = []
        for info in zf.infolist():
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                continue
            try:
                head = _head(zf, info)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, zlib.error):
                continue
            m = _DIMENSION.search(head)
            if not m:
                continue
            last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
            sizes.append(SheetSize(names.get(info.filename, info.filename.rsplit("/", 1)[-1]),
                                   int(last_row), _column_number(last_col)))
    return sizes


def check_budget(content: bytes, max_rows: int | None = None, max_cells: int | None = None) -> None:
    """Raise ReadError when the package declares more rows (over all sheets) or cells (in one sheet) than allowed."""
    max_rows = max_rows or max_file_rows()
    max_cells = max_cells or MAX_CELLS
    sizes = sheet_sizes(content)
    for s in sizes:
        if s.rows * s.columns > max_cells:
            raise ReadError("sheet_too_large", "", sheet=s.name, limit=f"{max_cells:,}")
    total = sum(s.rows for s in sizes)
    if total > max_rows:
        raise ReadError("file_too_many_rows", "", rows=f"{total:,}", limit=f"{max_rows:,}")


__all__ = ["SheetSize", "check_budget", "max_file_rows", "sheet_sizes"]
