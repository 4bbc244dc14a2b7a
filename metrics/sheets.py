"""The sheet model: which sheets a workbook holds (``metrics/data/workbook.yaml``), their columns,
and where a sheet's header row is and which column holds which field.

Sheets are recognised by name or by their columns, wherever the header row is, with up to three merged
header levels; every name is compared on its alias key (spacing and width of letters ignored).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .datafiles import parse_yaml
from .text import alias_key
from .values import cell_text, is_blank
from .workbook_spec import workbook_sheets

HEADER_SCAN = 30           # rows searched for the header row (title rows above it are normal)
SHEET_KIND = "_kind"  # a mapping profile's entry naming what a sheet is (items, totals …)
SHEET_METRIC = "_metric"  # a mapping profile's entry naming the metric a whole item sheet holds
FIELD_LIMITS_FILE = Path(__file__).parent / "data" / "field_limits.yaml"


@lru_cache(maxsize=1)
def field_limits() -> dict[str, int]:
    """The longest text, in characters, each table column may hold (``metrics/data/field_limits.yaml``)."""
    data = parse_yaml(FIELD_LIMITS_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): int(v) for k, v in data.items()}


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


# ---- workbook definition --------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    header_zh: str
    header_en: str
    required: bool
    names: tuple[str, ...]


@dataclass(frozen=True)
class SheetDef:
    key: str
    name_zh: str
    layout: str
    names: frozenset[str]
    columns: tuple[Column, ...]

    @property
    def lookup(self) -> dict[str, str]:
        return _lookup(self)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@lru_cache(maxsize=None)
def _lookup(sheet: SheetDef) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in sheet.columns:
        for n in (c.key, c.header_zh, c.header_en, *c.names):
            out.setdefault(alias_key(n), c.key)
    return out


@lru_cache(maxsize=1)
def sheet_defs() -> tuple[SheetDef, ...]:
    """The sheets of metrics/data/workbook.yaml with alias keys ready for matching."""
    out = []
    for s in workbook_sheets():
        cols = tuple(Column(c["key"], c["header_zh"], c["header_en"], bool(c.get("required")),
                            tuple(c.get("aliases") or [])) for c in s.get("columns") or [])
        names = frozenset(alias_key(n) for n in (s["key"], s["name_zh"], s["name_en"], *(s.get("aliases") or [])))
        out.append(SheetDef(s["key"], s["name_zh"], s.get("layout", "table"), names, cols))
    return tuple(out)


def sheet_def(key: str) -> SheetDef:
    """The definition of the sheet ``key`` (items, totals, info …)."""
    return next(d for d in sheet_defs() if d.key == key)


# ---- finding sheets and headers -------------------------------------------------------------
@dataclass
class Header:
    """Where a table's header is and which column holds which field."""

    row: int                      # 0-based index of the last header row
    columns: dict[str, int]       # field key -> 0-based column index
    texts: dict[int, str]         # column index -> header text as written
    unknown: list[int] = field(default_factory=list)     # columns with a header that maps to nothing
    duplicate: list[int] = field(default_factory=list)   # columns repeating a field already mapped

    def score(self, sheet: SheetDef) -> tuple[int, int]:
        req = sum(1 for c in sheet.columns if c.required and c.key in self.columns)
        return req, len(self.columns)


HEADER_LEVELS = 3  # merged header levels read (基本信息 → 认定情况 → 认定类别 / 认定时间)


def _header_from(cells: list[Any], lookup: dict[str, str], row: int, above: list[list[Any]] = ()) -> Header:
    """The header a row makes with the rows ``above`` it (nearest first): a cell whose own text
    names no field takes the nearest upper text that does; a blank cell the nearest upper text."""
    columns: dict[str, int] = {}
    texts: dict[int, str] = {}
    unknown, duplicate = [], []
    for j, v in enumerate(cells):
        text = cell_text(v)
        key = lookup.get(alias_key(text)) if text else None
        uppers = [cell_text(r[j]) for r in above if j < len(r)]
        if key is None:
            for up in uppers:
                if up and (k := lookup.get(alias_key(up))) is not None:
                    key, text = k, up
                    break
        if not text:
            text = next((up for up in uppers if up), "")
        if not text:
            continue
        texts[j] = text
        if key is None:
            unknown.append(j)
        elif key in columns:
            duplicate.append(j)
        else:
            columns[key] = j
    return Header(row, columns, texts, unknown, duplicate)


def find_header(rows: list[list[Any]], sheet: SheetDef) -> Header | None:
    """The best header row for a sheet definition in the first rows (up to three merged levels)."""
    lookup = sheet.lookup
    best: Header | None = None
    best_score = (0, 0)
    for r in range(min(HEADER_SCAN, len(rows))):
        candidates = [_header_from(rows[r], lookup, r)]
        for levels in range(2, min(HEADER_LEVELS, r + 1) + 1):
            candidates.append(_header_from(rows[r], lookup, r, above=[rows[r - k] for k in range(1, levels)]))
        for h in candidates:
            s = h.score(sheet)
            # A header of more rows must add something over the fewer rows it ends on.
            if s > best_score:
                best, best_score = h, s
    if best is None or best_score[1] == 0:
        return None
    return best


def sheet_by_name(name: str) -> SheetDef | None:
    """The sheet definition a sheet's name stands for (exact alias, else a template name inside it)."""
    key = alias_key(name)
    for d in sheet_defs():
        if key in d.names:
            return d
    for d in sheet_defs():
        if alias_key(d.name_zh) in key:
            return d
    return None


def sheet_by_columns(rows: list[list[Any]]) -> tuple[SheetDef, Header] | None:
    """The table definition whose required columns a sheet's header row matches best."""
    best = None
    best_score = (0, 0)
    for d in sheet_defs():
        if d.layout != "table":
            continue
        h = find_header(rows, d)
        if h is None:
            continue
        req = sum(1 for c in d.columns if c.required)
        s = h.score(d)
        if s[0] == req and s[1] >= 2 and s > best_score:
            best, best_score = (d, h), s
    if best is None and info_fields(rows):
        return sheet_def("info"), Header(0, {}, {})
    return best


def info_fields(rows: list[list[Any]]) -> list[tuple[int, int, str, Any]]:
    """(row, value column, field key, value) of a label/value form: label in one cell, value in the next."""
    lookup = sheet_def("info").lookup
    out = []
    for r, row in enumerate(rows[:60]):
        cells = [(j, v) for j, v in enumerate(row) if not is_blank(v)]
        for i, (j, v) in enumerate(cells[:-1]):
            key = lookup.get(alias_key(cell_text(v).rstrip(":：")))
            if key:
                out.append((r, cells[i + 1][0], key, cells[i + 1][1]))
                break
    return out
