"""Read a provincial progress file into rows and validation problems: ``read_file``.

Sheets are found by name or by their columns (``metrics/data/workbook.yaml``), wherever the header
row is; every cell is normalised, every problem is a record (``metrics/data/problems.yaml``), and
for every sheet total = valid + invalid + blank. Columns are normalised on their distinct values
and the results mapped back, so a 60,000-row register costs little more than reading it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from .catalog import Catalog, load_catalog
from .clean_text import MAX_CELL_CHARS, clean_cell, clean_rows
from .errors import Text
from .identifiers import classify_identifier, identifier_key_of
from .layout import as_of_in_text, province_in_text, title_texts
from .mapping import IGNORE, Mapping, shape_signature
from .model import IngestResult, Problem, SheetCount, conform
from .problems import date_param, make_problem, problem_specs
from .readers import MAX_BYTES, MAX_CELLS, ReadError, SheetGrid, read_workbook
from .resolvers import resolve_goal, resolve_task
from .sheets import (HEADER_SCAN, SHEET_KIND, SHEET_METRIC, Column, Header, SheetDef, column_letter, field_limits,
                     find_header, info_fields, sheet_by_columns, sheet_by_name, sheet_def)
from .text import alias_key, item_key
from .values import cell_text, is_blank, parse_date, parse_number, period_end

MAX_MERGE_FILL = 2_000_000  # cells filled from merged ranges, at most
# The template's example row: its first cell or its note starts with one of these (case ignored).
EXAMPLE_MARK = re.compile(r"^\s*(示例|样例|例[:：]|例如|example|e\.g\.)", re.I)
FRAME_OF = {"items": "items", "totals": "totals", "targets": "targets", "goals": "assessments", "tasks": "tasks"}
# Rows officers add around the data: totals, notes, sign-off lines, separators (first filled cell).
NON_DATA_ROW = re.compile(r"^\s*(合\s*计|小\s*计|总\s*计|共\s*计|注\s*[:：\d一二三四五六七八九十、.．]|注\s*$|说\s*明\s*[:：]|"
                          r"备\s*注\s*[:：]|填\s*表\s*人|填\s*报\s*人|审\s*核\s*人|审\s*核|负\s*责\s*人|"
                          r"联\s*系\s*人|联\s*系\s*电\s*话|填\s*报\s*日\s*期|填\s*表\s*日\s*期|total\b|subtotal\b|"
                          r"note[s]?\s*:)", re.I)
SEPARATOR = re.compile(r"^[\s\-—–=_*·.。~～]+$")
TABLE_ORDER = ("targets", "items", "totals", "goals", "tasks")  # targets first: they define custom metrics


# Set by a parse worker (metrics.parse_pool) so that running out of its memory limit reaches the pool,
# which names the limit, instead of being answered as an unreadable file.
RAISE_MEMORY_ERROR = False


def _fill_merged(grid: SheetGrid) -> None:
    """Give every cell of a merged range the value of its top-left cell, as the user sees it."""
    rows = grid.rows
    budget = MAX_MERGE_FILL
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= len(rows):
            continue
        r1 = min(r1, len(rows) - 1)
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if area > budget:
            break
        budget -= area
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if is_blank(value):
            continue
        for r in range(r0, r1 + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if is_blank(row[c]):
                    row[c] = value


# ---- vectorised column helpers ----------------------------------------------------------------
def map_unique(values: Iterable[Any], fn: Callable[[Any], Any]) -> np.ndarray:
    """fn applied once per distinct value, the results laid out like ``values`` (object array)."""
    values = values if isinstance(values, (list, tuple, np.ndarray)) else list(values)
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    try:
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    except TypeError:  # unhashable or incomparable mixtures: fall back to one call per cell
        return np.array([fn(v) for v in arr] + [None], dtype=object)[:-1]
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(uniques):
        results[i] = fn(u)
    results[-1] = fn(None)
    return results[codes]


def _texts(values: Any) -> np.ndarray:
    """Cells as text; strings (nearly every cell) take a fast path without a function call."""
    out = np.empty(len(values), dtype=object)
    out[:] = [v.strip() if type(v) is str else cell_text(v) for v in values]
    return out


# ---- the reader -----------------------------------------------------------------------------
@dataclass
class _Context:
    catalog: Catalog
    label: str
    province: str | None           # from 基本信息 or the caller
    as_of: dt.date | None
    today: dt.date
    problems: list[Problem] = field(default_factory=list)
    sheets: dict[str, SheetCount] = field(default_factory=dict)
    custom: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias key -> (custom id, name)
    item_keys: pd.DataFrame | None = None  # province, metric, key and row of every item read so far
    frames: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    sheet_metric: dict[str, str] = field(default_factory=dict)  # sheet name -> metric its name stands for
    unknown_columns: list[dict[str, str]] = field(default_factory=list)  # header words of unknown sheets

    def add(self, code: str, **kw: Any) -> None:
        self.problems.append(make_problem(code, **kw))

    @property
    def limit(self) -> dt.datetime:
        day = min(self.as_of, self.today) if self.as_of else self.today
        return dt.datetime(day.year, day.month, day.day)


def read_file(source: str | Path | bytes, filename: str | None = None, province: str | None = None, *,
              catalog: Catalog | None = None, today: dt.date | None = None,
              max_bytes: int = MAX_BYTES, as_of: dt.date | None = None,
              mapping: Mapping | None = None) -> IngestResult:
    """Read one uploaded file into rows and problems; never raises on bad input.

    ``mapping``: the officer's choice of field for columns the headers do not name (a profile)."""
    label = filename or (Path(source).name if isinstance(source, (str, Path)) else "upload")
    try:
        content = _content(source, max_bytes)
        wb = read_workbook(content, max_bytes=max_bytes)
    except ReadError as exc:
        return _unreadable(label, exc)
    except (MemoryError, RecursionError, OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        if isinstance(exc, MemoryError) and RAISE_MEMORY_ERROR:
            raise  # in a parse worker: the pool answers with its memory limit (metrics.parse_pool)
        return _unreadable(label, ReadError("unreadable_file", "ingest_reason_unexpected", kind=type(exc).__name__))
    catalog = catalog or load_catalog()
    return ingest_grids(wb.sheets, label, province, catalog=catalog, today=today or dt.date.today(), as_of=as_of,
                        mapping=mapping)


def _content(source: str | Path | bytes, max_bytes: int) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    path = Path(source)
    if not path.is_file():
        raise ReadError("unreadable_file", "ingest_reason_missing_file", path=str(path))
    size = path.stat().st_size
    if size > max_bytes:
        raise ReadError("too_large", "", size_mb=round(size / 2**20, 1), limit_mb=round(max_bytes / 2**20, 1))
    return path.read_bytes()


def _unreadable(label: str, exc: ReadError) -> IngestResult:
    params: dict[str, Any] = dict(exc.params)
    if exc.reason:
        params["reason"] = Text(exc.reason, tuple(exc.params.items()))
    problem = make_problem(exc.code, **params)
    return IngestResult(file=label, readable=False, problems=[problem])


def _clean_grid_text(ctx: _Context, grid: SheetGrid) -> None:
    """Controls, bidi and zero-width characters out of every cell and the sheet name, each change noted.

    Done once here, before any reader of cells, so SQLite and PostgreSQL store the same rows.
    """
    grid.name = clean_cell(grid.name, max_chars=255)[0]
    for i, j, change in clean_rows(grid.rows):
        if change.removed_control or change.removed_invisible:
            ctx.add("text_cleaned", sheet=grid.name, row=i + 1, column=column_letter(j),
                    control=change.removed_control, invisible=change.removed_invisible)
        if change.truncated_from:
            ctx.add("text_too_long", sheet=grid.name, row=i + 1, column=column_letter(j),
                    length=f"{change.truncated_from:,}", limit=f"{MAX_CELL_CHARS:,}")


def ingest_grids(grids: list[SheetGrid], label: str, province: str | None = None, *,
                 catalog: Catalog | None = None, today: dt.date | None = None,
                 as_of: dt.date | None = None, mapping: Mapping | None = None) -> IngestResult:
    """Rows and problems from raw sheet grids (the part of ``read_file`` after the bytes are read).

    ``as_of`` is the caller's date for a file that names none (the CLI's --as-of, the page's answer);
    a date the file names wins, as for ``province``.
    """
    catalog = catalog or load_catalog()
    today = today or dt.date.today()
    caller = catalog.resolve_province(province) if province else None
    ctx = _Context(catalog, label, caller, None, today)
    plan, signature = _plan_sheets(ctx, grids, mapping)
    _detect_layout(ctx, plan, caller)
    if ctx.as_of is None and as_of is not None:
        ctx.as_of = as_of
    for key in TABLE_ORDER:
        for d, grid, header in plan:
            if d.key == key:
                _read_table(ctx, d, grid, header)
    if not any(c.valid + c.invalid for c in ctx.sheets.values()) and not any(p.code in ("missing_column", "no_province")
                                                                 for p in ctx.problems):
        # Sheets were recognised but every row is blank (e.g. an unfilled template): say so,
        # rather than claiming no table was found.
        ctx.add("no_rows" if ctx.sheets else "no_data")
    return _result(ctx, grids, plan, signature, mapping)


_Plan = list[tuple[SheetDef, SheetGrid, "Header | None"]]


def _plan_sheets(ctx: _Context, grids: list[SheetGrid], mapping: Mapping | None) -> tuple[_Plan, str]:
    """What each sheet is and where its header is (the 基本信息 read on the way), and the workbook's shape."""
    plan: _Plan = []
    shape: list[tuple[str, list[str]]] = []
    for grid in grids:
        planned = _plan_sheet(ctx, grid, mapping, shape)
        if planned is not None:
            plan.append(planned)
    for d, grid, _ in plan:
        if d.key == "info":
            _read_info(ctx, grid)
    plan = [(d, g, h or (find_header(g.rows, d) if d.layout == "table" else None)) for d, g, h in plan]
    signature = shape_signature(shape)
    if mapping is not None:
        plan = [(d, g, _apply_mapping(ctx, mapping, d, g, h)) for d, g, h in plan]
        if mapping.signature and mapping.signature != signature:  # a profile made for another shape
            ctx.add("mapping_other_shape", profile=mapping.name)
    return plan, signature


def _result(ctx: _Context, grids: list[SheetGrid], plan: _Plan, signature: str,
            mapping: Mapping | None) -> IngestResult:
    """The read rows and problems as one result, problems and sheets in workbook order."""
    order = {g.name: i for i, g in enumerate(grids)}
    frames = {FRAME_OF[k]: conform(pd.concat(v, ignore_index=True), FRAME_OF[k]) for k, v in ctx.frames.items()}
    ctx.problems.sort(key=lambda p: (order.get(p.sheet or "", -1), p.row or 0))
    ctx.sheets = dict(sorted(ctx.sheets.items(), key=lambda kv: order.get(kv[0], 0)))
    result = IngestResult(file=ctx.label, readable=True, province=ctx.province, as_of=ctx.as_of,
                          problems=ctx.problems, sheets=ctx.sheets, **frames)
    result.contact = getattr(ctx, "contact", None)
    result.shape_signature = signature
    result.mapping_profile = mapping.name if mapping is not None else None
    result.unmapped = [{"sheet": g.name, "sheet_kind": d.key, "column": column_letter(j), "header": h.texts[j]}
                       for d, g, h in plan if h is not None for j in h.unknown
                       if j < len(g.rows[h.row]) and _column_has_data(g.rows, h.row, j)] + ctx.unknown_columns
    if result.province is None:
        names = result.provinces()
        result.province = names[0] if len(names) == 1 else None
    return result


def _plan_sheet(ctx: _Context, grid: SheetGrid, mapping: Mapping | None,
                shape: list[tuple[str, list[str]]]) -> tuple[SheetDef, SheetGrid, Header | None] | None:
    """What a sheet is (by name, by the metric its name names, by its columns, or by the mapping
    profile's choice), or None for a sheet that is skipped (noted)."""
    if grid.too_large:
        ctx.add("sheet_too_large", sheet=grid.name, limit=f"{MAX_CELLS:,}")
        return None
    _clean_grid_text(ctx, grid)
    if not any(any(not is_blank(v) for v in row) for row in grid.rows[:HEADER_SCAN + 1]) and \
            not _any_data(grid.rows):
        return None
    _fill_merged(grid)
    header_words = _likely_header(grid.rows)
    shape.append((grid.name, header_words))
    chosen = mapping.sheets.get(grid.name) if mapping is not None else None
    kind = (chosen or {}).get(SHEET_KIND)
    if kind in FRAME_OF:  # the profile says what the sheet is; a sheet named after a metric keeps it
        found = (kind == "items" and _sheet_of_metric(ctx, grid, chosen)) or (_mapped(sheet_def(kind), chosen), None)
    elif (d := sheet_by_name(grid.name)) is not None:
        found = (_mapped(d, chosen), None)
    else:
        found = _sheet_of_metric(ctx, grid, chosen) or sheet_by_columns(grid.rows)
    if found is not None and found[0].key == "guide":
        return None
    if found is None:
        if grid.visible != "visible":  # hidden helper sheets (drop-down lists) are not data: say so
            ctx.add("hidden_sheet_ignored", sheet=grid.name)
            return None
        ctx.add("unknown_sheet", sheet=grid.name)
        ctx.unknown_columns += [{"sheet": grid.name, "sheet_kind": "", "column": column_letter(j), "header": h}
                                for j, h in enumerate(header_words) if h]
        return None
    d, header = found
    if grid.visible != "visible":
        ctx.add("hidden_sheet", sheet=grid.name)
    metric = ctx.catalog.resolve_metric((chosen or {}).get(SHEET_METRIC) or "")
    if d.key == "items" and metric is not None:  # the profile says which metric the whole sheet holds
        ctx.sheet_metric[grid.name] = metric
    return d, grid, header


def _likely_header(rows: list[list[Any]]) -> list[str]:
    """The texts of the row with the most distinct filled cells near the top (the first such row):
    the header words a workbook's shape is known by, before anything is recognised."""
    best: list[str] = []
    best_n = 0
    for row in rows[:HEADER_SCAN]:
        texts = [cell_text(v) for v in row]
        n = len({x for x in texts if x})
        if n > best_n:
            best, best_n = texts, n
    while best and not best[-1]:
        best = best[:-1]
    return best


def _mapped(d: SheetDef, chosen: dict[str, str] | None) -> SheetDef:
    """The sheet definition with the profile's headers added as aliases of the fields they hold."""
    if not chosen:
        return d
    extra: dict[str, list[str]] = {}
    for header, target in chosen.items():
        if header not in (SHEET_KIND, SHEET_METRIC) and target not in (IGNORE, None):
            extra.setdefault(target, []).append(header)
    columns = tuple(Column(c.key, c.header_zh, c.header_en, c.required, (*c.names, *extra.get(c.key, ())))
                    for c in d.columns)
    return SheetDef(d.key, d.name_zh, d.layout, d.names, columns)


def _apply_mapping(ctx: _Context, mapping: Mapping, d: SheetDef, grid: SheetGrid, header: Header | None) -> Header | None:
    """The header with the profile's choices for the sheet's columns (a field, or ignored), noted."""
    chosen = mapping.for_sheet(grid.name)
    if header is None or not chosen:
        return header
    fields = {c.key for c in d.columns}
    columns = dict(header.columns)
    unknown, applied = list(header.unknown), 0
    for j, text in header.texts.items():
        target = chosen.get(alias_key(text))
        if target is None or (target != IGNORE and target not in fields):
            continue
        applied += 1
        if j in unknown:
            unknown.remove(j)
        if target == IGNORE:
            columns = {k: v for k, v in columns.items() if v != j}
        else:
            if target in columns and columns[target] != j:
                unknown.append(columns[target])
            columns = {k: v for k, v in columns.items() if v != j}
            columns[target] = j
    if applied:
        ctx.add("mapping_applied", sheet=grid.name, profile=mapping.name, count=applied)
    duplicate = [j for j in header.duplicate if alias_key(header.texts.get(j, "")) not in chosen]
    return Header(header.row, columns, header.texts, sorted(unknown), duplicate)


def _sheet_of_metric(ctx: _Context, grid: SheetGrid,
                     chosen: dict[str, str] | None = None) -> tuple[SheetDef, Header] | None:
    """A sheet named after a countable metric (领军企业, 应用场景 …) is an item register of that metric."""
    mid = ctx.catalog.resolve_metric(grid.name)
    if mid is None or ctx.catalog.metric(mid).kind != "count":
        return None
    d = _mapped(sheet_def("items"), chosen)
    header = find_header(grid.rows, d)
    if header is None or "name" not in header.columns:
        return None
    ctx.sheet_metric[grid.name] = mid
    ctx.add("metric_from_sheet", sheet=grid.name, value=ctx.catalog.metric(mid).name_zh)
    return d, header


def _detect_layout(ctx: _Context, plan: list[tuple[SheetDef, SheetGrid, Header | None]], caller: str | None) -> None:
    """Province and as-of date from the title rows, the file name or the sheet names, each a note.

    基本信息 (read before) and the caller's --province come first; every other source that names a
    different province is an error, never a silent choice.
    """
    aliases = ctx.catalog._alias_tables["province"]
    found: list[tuple[str, str, dict[str, Any]]] = []  # (province, source key, location)
    dates: list[tuple[dt.date, str, str, dict[str, Any]]] = []
    for d, grid, header in plan:
        if d.layout != "table":
            continue
        above = header.row if header is not None else 3
        for r, text in title_texts(grid.rows, min(above, HEADER_SCAN)):
            loc = dict(sheet=grid.name, row=r + 1, value=text[:60])
            if (name := province_in_text(text, aliases)):
                found.append((name, "ingest_source_title", loc))
            if (when := as_of_in_text(text)):
                dates.append((*when, "ingest_source_title", loc))
        if (name := province_in_text(grid.name, aliases)):
            found.append((name, "ingest_source_sheet", dict(sheet=grid.name, value=grid.name)))
    stem = Path(ctx.label).stem
    if (name := province_in_text(stem, aliases)):
        found.append((name, "ingest_source_file", dict(value=ctx.label)))
    if (when := as_of_in_text(stem)):
        dates.append((*when, "ingest_source_file", dict(value=ctx.label)))
    chosen = ctx.province or caller
    for name, source, loc in found:
        if chosen is None:
            chosen = name
            ctx.add("detected_province", **loc, province=name, source=Text(source))
        elif name != chosen:
            ctx.add("province_conflict", **loc, province=name, chosen=chosen, source=Text(source))
    ctx.province = chosen
    if ctx.as_of is None and dates:
        date, precision, source, loc = dates[0]
        ctx.as_of = date
        ctx.add("detected_as_of", **loc, date=date_param(date), precision=Text(f"ingest_precision_{precision}"),
                source=Text(source))
        if date > ctx.today:
            ctx.add("future_as_of", **{**loc, "value": date.isoformat()}, limit=date_param(ctx.today))


def _any_data(rows: list[list[Any]]) -> bool:
    return any(any(not is_blank(v) for v in row) for row in rows)


# ---- 基本信息 -----------------------------------------------------------------------------------


def _read_info(ctx: _Context, grid: SheetGrid) -> None:
    d = sheet_def("info")
    for r, j, key, value in info_fields(grid.rows):
        loc = dict(sheet=grid.name, row=r + 1, column=column_letter(j), header=d.column(key).header_zh,
                   header_en=d.column(key).header_en, value=value)
        if key == "province":
            name = ctx.catalog.resolve_province(cell_text(value))
            if name is None:
                ctx.add("unknown_province", **loc)
            else:
                ctx.province = name
        elif key == "as_of":
            date, _ = parse_date(value)
            if date is None:
                ctx.add("bad_date", **loc)
            else:
                ctx.as_of = date.date()
                if ctx.as_of > ctx.today:
                    ctx.add("future_as_of", **{**loc, "value": ctx.as_of.isoformat()},
                            limit=date_param(ctx.today))
        elif key == "contact":
            ctx.contact = cell_text(value)  # type: ignore[attr-defined]


# ---- tables -----------------------------------------------------------------------------------
def _data_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows below a header up to the last one written in, padded to one width."""
    last = len(rows)
    while last and all(is_blank(v) for v in rows[last - 1]):
        last -= 1  # trailing blank (formatted) rows are not rows the user wrote
    rows = rows[:last]
    width = max(map(len, rows), default=0)
    if len(set(map(len, rows))) > 1:  # CSV and xlrd rows may be ragged
        rows = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows]
    return rows


class _Table:
    """One table sheet's data rows as columns, with a per-row error flag and the problems found."""

    def __init__(self, ctx: _Context, d: SheetDef, grid: SheetGrid, header: Header):
        self.ctx, self.d, self.grid, self.header = ctx, d, grid, header
        self.rows = _data_rows(grid.rows[header.row + 1:])
        self.n = len(self.rows)
        self.first_excel_row = header.row + 2
        self.cols = list(zip(*self.rows)) if self.n else []
        self.invalid = np.zeros(self.n, dtype=bool)
        self._texts: dict[str, np.ndarray] = {}
        blank = self._blank_rows()
        self.skipped = self._non_data(blank)
        self.blank = blank | self.skipped  # skipped rows are never flagged; counted apart in count()
        self._mark_example()
        self._check_lengths()

    def _blank_rows(self) -> np.ndarray:
        """Rows with nothing in them: mapped columns judged on their cleaned text, the others on the cell."""
        mapped = {j: k for k, j in self.header.columns.items()}
        blank = np.ones(self.n, dtype=bool)
        for j, col in enumerate(self.cols):
            if j in mapped:
                blank &= self.text(mapped[j]) == ""
            else:
                blank &= map_unique(col, is_blank).astype(bool)
        return blank

    def _check_lengths(self) -> None:
        """Each mapped column's text against its limit (``field_limits.yaml``): longer is an error on the row."""
        limits = field_limits()
        for key in self.header.columns:
            limit = limits.get(key)
            if limit is None:
                continue
            texts = self.text(key)
            lengths = map_unique(texts, lambda v: len(v) if isinstance(v, str) else 0).astype(int)
            over = lengths > limit
            if over.any():
                shown = np.array([v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v for v in texts], dtype=object)
                self.flag(over, "field_too_long", key, values=shown, length=lengths, limit=f"{limit:,}")

    def _non_data(self, blank: np.ndarray) -> np.ndarray:
        """Rows that are not data (合计/小计, 注/说明, 填表人/联系电话, separators), each listed as a note."""
        # The first filled cell of every row, column by column on distinct values (a per-row
        # Python loop would double the cost of reading a 60,000-row register).
        first = np.full(self.n, "", dtype=object)
        pending = ~blank
        for col in self.cols:
            if not pending.any():
                break
            texts = _texts(col)
            hit = pending & (texts != "")
            first[hit] = texts[hit]
            pending &= ~hit
        flagged = map_unique(first, lambda s: bool(s) and bool(NON_DATA_ROW.match(s) or SEPARATOR.match(s)))
        skipped = np.zeros(self.n, dtype=bool)
        for i in np.flatnonzero(flagged.astype(bool) & ~blank):
            text = first[i]
            if not NON_DATA_ROW.match(text):  # a separator only when every filled cell is one
                if not all(SEPARATOR.match(cell_text(v)) for v in self.rows[i] if not is_blank(v)):
                    continue
            skipped[i] = True
            self.ctx.add("non_data_row", sheet=self.grid.name, row=self.first_excel_row + int(i), value=text[:40])
        return skipped

    def _mark_example(self) -> None:
        """The template's example row (first filled row, first cell or note starting 示例) counts as blank."""
        nonblank = np.flatnonzero(~self.blank)
        if not len(nonblank):
            return
        i = int(nonblank[0])
        row = self.rows[i]
        first = next((v for v in row if not is_blank(v)), "")
        note_col = self.header.columns.get("note")
        note = row[note_col] if note_col is not None and note_col < len(row) else ""
        if EXAMPLE_MARK.match(cell_text(first)) or EXAMPLE_MARK.match(cell_text(note)):
            self.blank[i] = True

    def text(self, key: str) -> np.ndarray:
        """The column's cells as text (computed once per column)."""
        if key not in self._texts:
            self._texts[key] = _texts(self.raw(key))
        return self._texts[key]

    def has(self, key: str) -> bool:
        return key in self.header.columns

    def raw(self, key: str) -> Any:
        j = self.header.columns.get(key)
        if j is None or j >= len(self.cols):
            return [""] * self.n
        return self.cols[j]

    def loc(self, key: str, i: int) -> dict[str, Any]:
        j = self.header.columns.get(key)
        c = self.d.column(key)
        return dict(sheet=self.grid.name, row=self.first_excel_row + i,
                    column=column_letter(j) if j is not None else None,
                    header=self.header.texts.get(j, c.header_zh) if j is not None else c.header_zh,
                    header_en=c.header_en)

    def flag(self, mask: np.ndarray, code: str, key: str, values: Any = None, **params: Any) -> None:
        """Record a problem on every live row where ``mask`` is set (errors make the row invalid)."""
        mask = mask & ~self.blank
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        raw = self.raw(key) if values is None else values
        per_row = {k: v for k, v in params.items() if isinstance(v, np.ndarray)}
        fixed = {k: v for k, v in params.items() if not isinstance(v, np.ndarray)}
        for i in idx:
            extra = {k: v[i] for k, v in per_row.items()}
            self.ctx.add(code, **self.loc(key, int(i)), value=raw[i], **fixed, **extra)
        if problem_specs()[code]["severity"] == "error":
            self.invalid[idx] = True

    def require(self, key: str, present: np.ndarray) -> None:
        self.flag(~present, "missing_value", key, values=[None] * self.n)

    def provinces(self) -> np.ndarray:
        """Canonical province per row: the row's own, else 基本信息's or the caller's."""
        cat = self.ctx.catalog
        text = _texts(self.raw("province"))
        names = map_unique(text, lambda s: cat.resolve_province(s) if s else "")
        unknown = np.array([n is None for n in names], dtype=bool)
        self.flag(unknown, "unknown_province", "province")
        empty = np.array([n == "" for n in names], dtype=bool)
        if self.ctx.province:
            names[empty] = self.ctx.province
        elif (empty & ~self.blank).any():
            self.ctx.add("no_province", sheet=self.grid.name)
            self.invalid |= empty & ~self.blank
        names[unknown] = None
        return names

    def dates(self, key: str, required: np.ndarray | bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(datetime per row or None, precision per row) with bad dates and missing ones flagged."""
        parsed = map_unique(self.raw(key), parse_date)
        dates = np.array([p[0] for p in parsed], dtype=object)
        precision = np.array([p[1] for p in parsed], dtype=object)
        blank = self.text(key) == ""
        self.flag(~blank & (precision == ""), "bad_date", key)
        self.flag(blank & required, "missing_value", key, values=[None] * self.n)
        return dates, precision

    def future(self, key: str, dates: np.ndarray, which: np.ndarray) -> None:
        """Flag dates after the as-of date or today on the rows in ``which``."""
        ctx = self.ctx
        limit = ctx.limit
        late = np.array([d is not None and d > limit for d in dates], dtype=bool) & which
        if not late.any():
            return
        by_as_of = ctx.as_of is not None and ctx.as_of <= ctx.today
        self.flag(late, "future_date", key, values=[d.date().isoformat() if d else None for d in dates],
                  limit=limit.date().isoformat(),
                  limit_zh=Text("ingest_limit_as_of" if by_as_of else "ingest_limit_today"),
                  limit_en=Text("ingest_limit_as_of" if by_as_of else "ingest_limit_today"))

    def live(self) -> np.ndarray:
        return ~self.blank & ~self.invalid

    def count(self) -> None:
        skipped = int(self.skipped.sum())
        blank = int(self.blank.sum()) - skipped
        invalid = int((self.invalid & ~self.blank).sum())
        name = self.grid.name
        prev = self.ctx.sheets.get(name, SheetCount())
        self.ctx.sheets[name] = SheetCount(prev.total + self.n, prev.valid + self.n - blank - invalid - skipped,
                                           prev.invalid + invalid, prev.blank + blank, prev.skipped + skipped)

    def source(self, keep: np.ndarray) -> dict[str, Any]:
        idx = np.flatnonzero(keep)
        return {"source": self.ctx.label, "sheet": self.grid.name, "row": idx + self.first_excel_row}


def _read_table(ctx: _Context, d: SheetDef, grid: SheetGrid, header: Header | None) -> None:
    header = header or find_header(grid.rows, d)
    if header is None:
        rows = [r for r in grid.rows if any(not is_blank(v) for v in r)]
        for c in d.columns:
            if c.required:
                ctx.add("missing_column", sheet=grid.name, header=c.header_zh, header_en=c.header_en,
                        aliases="、".join((c.header_zh, *c.names[:5])))
        ctx.sheets[grid.name] = SheetCount(len(rows), 0, len(rows), 0)
        return
    for j in header.unknown:
        if j < len(grid.rows[header.row]) and _column_has_data(grid.rows, header.row, j):
            ctx.add("unknown_column", sheet=grid.name, row=header.row + 1, column=column_letter(j),
                    header=header.texts[j])
    for j in header.duplicate:
        ctx.add("duplicate_column", sheet=grid.name, row=header.row + 1, column=column_letter(j),
                header=header.texts[j])
    table = _Table(ctx, d, grid, header)
    missing = [c for c in d.columns if c.required and c.key not in header.columns
               and not (c.key == "metric" and grid.name in ctx.sheet_metric)]
    for c in missing:
        ctx.add("missing_column", sheet=grid.name, header=c.header_zh, header_en=c.header_en,
                aliases="、".join((c.header_zh, *c.names[:5])))
    if missing:
        table.invalid[:] = True
        table.count()
        return
    frame = READERS[d.key](table)
    table.count()
    if frame is not None and len(frame):
        ctx.frames.setdefault(d.key, []).append(frame)


def _column_has_data(rows: list[list[Any]], header_row: int, j: int) -> bool:
    return any(j < len(r) and not is_blank(r[j]) for r in rows[header_row + 1:])


def _mask(values: np.ndarray, fn: Callable[[Any], bool]) -> np.ndarray:
    return np.fromiter((fn(v) for v in values), dtype=bool, count=len(values))


def _none(values: np.ndarray) -> np.ndarray:
    """Elementwise ``is None`` of an object array (unresolved values)."""
    return np.asarray(values == None, dtype=bool)  # noqa: E711 (elementwise on object arrays)


def _metric_ids(table: _Table, allow_custom: bool, kinds: tuple[str, ...] = ("count", "value")) -> np.ndarray:
    """Metric id per row (catalog ids, or custom ids named in this file's targets); unknown flagged."""
    ctx = table.ctx
    cat = ctx.catalog

    def resolve(text: str) -> str | None:
        if not text:
            return ""
        mid = cat.resolve_metric(text)
        if mid is not None:
            return mid if cat.metric(mid).kind in kinds else None
        custom = ctx.custom.get(alias_key(text))
        if custom:
            return custom[0]
        if allow_custom:
            return cat.custom_metric_id(text)
        return None

    text = table.text("metric")
    ids = map_unique(text, resolve)
    sheet_metric = ctx.sheet_metric.get(table.grid.name)
    if sheet_metric:
        # The sheet is named after its metric: a blank cell, or a sub-category (国家级, 第一批) in a
        # 认定类别 column, is that metric rather than an unknown one.
        ids[(ids == "") | _none(ids)] = sheet_metric
    examples = "、".join(m.name_zh for m in cat.countable_metrics[:4])
    table.flag(_none(ids), "unknown_metric", "metric", examples=examples)
    table.require("metric", ids != "")
    return ids


def _read_items(table: _Table) -> pd.DataFrame | None:
    ctx, cat = table.ctx, table.ctx.catalog
    provinces = table.provinces()
    metrics = _metric_ids(table, allow_custom=False)
    names = table.text("name")
    table.require("name", names != "")
    status_text = table.text("status")
    status = map_unique(status_text, lambda s: cat.resolve("status", s) if s else "achieved")
    table.flag(_none(status), "unknown_status", "status")
    taken = int(((status_text == "") & ~table.blank).sum())
    if taken:  # a blank status is achieved (docs/progress.md); the report says how many rows were taken so
        ctx.add("blank_status_achieved", sheet=table.grid.name, count=taken)
    achieved = status == "achieved"
    # docs/progress.md: an achieved item without a date counts from the file's as-of date (warned);
    # only with no as-of date at all is the missing date an error.
    dates, precision = table.dates("date", required=achieved & (ctx.as_of is None))
    if ctx.as_of is not None:
        undated = achieved & (table.text("date") == "") & ~table.blank
        if undated.any():
            table.flag(undated, "achieved_without_date", "date", values=[None] * table.n, as_of=date_param(ctx.as_of))
            dates[undated] = dt.datetime(ctx.as_of.year, ctx.as_of.month, ctx.as_of.day)
            precision[undated] = "day"
    table.future("date", dates, achieved)
    codes = table.text("code")
    keys = _check_codes(table, codes, names, metrics)
    flagship = map_unique(table.text("flagship"), lambda s: cat.resolve("flagship", s) if s else "")
    table.flag(_none(flagship), "unknown_flagship", "flagship")
    flagship[_none(flagship)] = ""
    direction = map_unique(table.text("direction"), lambda s: cat.resolve("direction", s) if s else "")
    table.flag(_none(direction), "unknown_direction", "direction")
    direction[_none(direction)] = ""
    # A flagship category belongs to one direction: fill the direction the row left empty.
    fill = (direction == "") & (flagship != "")
    if fill.any():
        direction[fill] = [cat.flagship_by_id[f].direction for f in flagship[fill]]
    _flag_duplicates(table, provinces, metrics, keys, codes)
    keep = table.live()
    if not keep.any():
        return None
    date_col = pd.to_datetime(pd.Series(dates[keep], dtype=object), errors="coerce")
    frame = _frame({
        "province": provinces[keep], "metric": metrics[keep], "name": names[keep], "code": codes[keep],
        "direction": direction[keep], "flagship": flagship[keep],
        "lead_unit": table.text("lead_unit")[keep], "status": status[keep], "date": date_col.to_numpy(),
        "date_precision": precision[keep], "evidence": table.text("evidence")[keep],
        "note": _with_id_notes(table.text("note"), getattr(table, "id_notes", None))[keep], "key": keys[keep],
        **table.source(keep)})
    return frame


def _with_id_notes(notes: np.ndarray, id_notes: np.ndarray | None) -> np.ndarray:
    """The row's note with the identifier's own note (代替GB/T …) appended, so neither is lost."""
    if id_notes is None or not (id_notes != "").any():
        return notes
    out = notes.copy()
    for i in np.flatnonzero(id_notes != ""):
        out[i] = f"{out[i]}；{id_notes[i]}" if out[i] else id_notes[i]
    return out


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A frame of object columns (no string inference: ``conform`` sets the dtypes once)."""
    return pd.DataFrame({k: pd.Series(v, dtype=object) if isinstance(v, np.ndarray) and v.dtype == object else v
                         for k, v in columns.items()})


def _check_codes(table: _Table, codes: np.ndarray, names: np.ndarray, metrics: np.ndarray) -> np.ndarray:
    """Flag malformed identifiers; return the de-duplication key of every row (code, else name)."""
    keys = map_unique(names, lambda s: item_key(s) if s else "")
    memo: dict[tuple[str, str], Any] = {}
    bad = np.zeros(table.n, dtype=bool)
    as_number = np.zeros(table.n, dtype=bool)
    old_org = np.zeros(table.n, dtype=bool)
    notes = np.full(table.n, "", dtype=object)  # a standard's 代替… note, kept in the row's note
    reasons = np.empty(table.n, dtype=object)
    for i in np.flatnonzero(codes != ""):
        k = (codes[i], metrics[i] or "")
        ident = memo.get(k)
        if ident is None:
            ident = memo[k] = classify_identifier(*k)
        if ident.valid:
            keys[i] = identifier_key_of(ident)
            if ident.warning:
                old_org[i] = True
            if ident.note:
                notes[i] = ident.note
        elif ident.reason == "credit_number":
            as_number[i] = True  # never a de-duplication key: the row keeps its name's key
        else:
            bad[i] = True
            reasons[i] = Text(f"ingest_id_{ident.reason}", (("expected", ident.expected),))
    table.flag(bad, "bad_identifier", "code", reason=reasons)
    table.flag(as_number, "code_as_number", "code")
    table.flag(old_org, "old_org_code", "code")
    table.id_notes = notes
    return keys


def _flag_duplicates(table: _Table, provinces: np.ndarray, metrics: np.ndarray, keys: np.ndarray,
                     codes: np.ndarray) -> None:
    """Flag the second and later copies of an item (same province, metric and key), across sheets too."""
    idx = np.flatnonzero(table.live() & (keys != ""))
    if not len(idx):
        return
    cur = pd.DataFrame({"p": provinces[idx], "m": metrics[idx], "k": keys[idx],
                        "row": idx + table.first_excel_row, "i": idx}, copy=False)
    prev = table.ctx.item_keys
    both = pd.concat([prev, cur], ignore_index=True) if prev is not None else cur
    dup = both.duplicated(["p", "m", "k"], keep="first").to_numpy()
    table.ctx.item_keys = both.loc[~dup, ["p", "m", "k", "row"]].assign(i=-1)
    cur_dup = dup[len(both) - len(cur):]
    if not cur_dup.any():
        return
    first = table.ctx.item_keys.set_index(["p", "m", "k"])["row"]
    mask = np.zeros(table.n, dtype=bool)
    first_rows = np.empty(table.n, dtype=object)
    basis = np.empty(table.n, dtype=object)
    for i in cur["i"].to_numpy()[cur_dup]:
        mask[i] = True
        first_rows[i] = int(first.loc[(provinces[i], metrics[i], keys[i])])
        basis[i] = Text("ingest_basis_code" if codes[i] else "ingest_basis_name")
    table.flag(mask, "duplicate_item", "name", first_row=first_rows, basis=basis)


def _read_totals(table: _Table) -> pd.DataFrame | None:
    provinces = table.provinces()
    metrics = _metric_ids(table, allow_custom=False)
    dates, _ = table.dates("as_of", required=True)
    table.future("as_of", dates, np.ones(table.n, dtype=bool))
    values = _numbers(table, "value", required=True)
    keep = table.live()
    if not keep.any():
        return None
    return pd.DataFrame({"province": provinces[keep], "metric": metrics[keep],
                         "as_of": pd.to_datetime(pd.Series(dates[keep], dtype=object)).to_numpy(),
                         "value": np.array([q.value for q in values[keep]], dtype=float),
                         "note": table.text("note")[keep], **table.source(keep)})


def _numbers(table: _Table, key: str, required: bool, units: np.ndarray | None = None,
             batch_ok: bool = False) -> np.ndarray:
    """Quantity per row (None where empty or bad), flagging bad, missing and negative numbers."""
    raw = table.raw(key)
    if units is None:
        parsed = map_unique(raw, lambda v: None if is_blank(v) else parse_number(v))
    else:
        memo: dict[tuple[Any, str], Any] = {}
        parsed = np.empty(table.n, dtype=object)
        for i, (v, u) in enumerate(zip(raw, units)):
            k = (v if not isinstance(v, float) else float(v), u)
            if k not in memo:
                memo[k] = None if is_blank(v) else parse_number(v, u)
            parsed[i] = memo[k]
    blank = table.text(key) == ""
    batch = np.isin(table.text(key), ["一批", "若干"]) if batch_ok else np.zeros(table.n, bool)
    none = _mask(parsed, lambda q: q is None)
    table.flag(~blank & none & ~batch, "bad_number", key)
    if required:
        table.flag(blank, "missing_value", key, values=[None] * table.n)
    table.flag(_mask(parsed, lambda q: q is not None and q.value < 0), "negative_value", key)
    return parsed


def _read_targets(table: _Table) -> pd.DataFrame | None:
    ctx, cat = table.ctx, table.ctx.catalog
    provinces = table.provinces()
    metric_text = table.text("metric")
    metrics = _metric_ids(table, allow_custom=True)
    for text, mid in zip(metric_text, metrics):
        if mid and mid not in cat.metric_by_id:
            ctx.custom.setdefault(alias_key(text), (mid, text))
    unit_text = table.text("unit")
    metric_units = np.array([cat.metric(m).unit if m in cat.metric_by_id else "" for m in metrics], dtype=object)
    units = np.where(unit_text != "", unit_text, metric_units)
    values = _numbers(table, "value", required=True, units=units, batch_ok=True)
    dates, precision = table.dates("deadline", required=True)
    deadlines = np.array([period_end(d, p) if d is not None else None for d, p in zip(dates, precision)],
                         dtype=object)
    # One target per metric and deadline.
    seen: dict[tuple[Any, Any, Any], int] = {}
    dup = np.zeros(table.n, dtype=bool)
    first = np.empty(table.n, dtype=object)
    for i in np.flatnonzero(table.live()):
        k = (provinces[i], metrics[i], deadlines[i])
        if k in seen:
            dup[i], first[i] = True, seen[k]
        else:
            seen[k] = int(i) + table.first_excel_row
    table.flag(dup, "duplicate_target", "metric", first_row=first)
    keep = table.live()
    if not keep.any():
        return None
    idx = np.flatnonzero(keep)
    rows = []
    for i in idx:
        m, q = metrics[i], values[i]
        known = cat.metric_by_id.get(m)
        unit = unit_text[i] or (known.unit if known else (q.unit if q else ""))
        kind = known.kind if known else ("value" if unit.endswith("元") else "count")
        rows.append({"province": provinces[i], "metric": m,
                     "name_zh": known.name_zh if known else metric_text[i], "unit": unit, "kind": kind,
                     "value": q.value if q else np.nan, "qualifier": q.qualifier if q else "eq",
                     "text": cell_text(table.raw("value")[i]), "deadline": deadlines[i],
                     "note": table.text("note")[i]})
    frame = pd.DataFrame(rows)
    for k, v in table.source(keep).items():
        frame[k] = v
    return frame



def _skip_unfilled(table: _Table) -> None:
    """The template lists every goal and task in advance: a listed row left without level and
    evidence has not been filled in, and counts as blank."""
    table.blank |= (table.text("level") == "") & (table.text("evidence") == "")


def _levels(table: _Table) -> np.ndarray:
    cat = table.ctx.catalog
    levels = map_unique(table.text("level"), lambda s: cat.resolve("level", s) if s else "")
    table.flag(_none(levels), "unknown_level", "level")
    table.require("level", (levels != ""))
    return levels


def _read_goals(table: _Table) -> pd.DataFrame | None:
    cat = table.ctx.catalog
    _skip_unfilled(table)
    provinces = table.provinces()
    goals = map_unique(table.text("goal"), lambda s: resolve_goal(cat, s) if s else "")
    table.flag(_none(goals), "unknown_goal", "goal")
    table.require("goal", (goals != ""))
    levels = _levels(table)
    keep = table.live()
    if not keep.any():
        return None
    return pd.DataFrame({"province": provinces[keep], "goal": goals[keep], "level": levels[keep],
                         "evidence": table.text("evidence")[keep], **table.source(keep)})


def _read_tasks(table: _Table) -> pd.DataFrame | None:
    cat = table.ctx.catalog
    _skip_unfilled(table)
    provinces = table.provinces()
    tasks = map_unique(table.raw("task"), lambda v: "" if is_blank(v) else resolve_task(cat, v))
    table.flag(_none(tasks), "unknown_task", "task")
    table.require("task", (tasks != ""))
    levels = _levels(table)
    keep = table.live()
    if not keep.any():
        return None
    return pd.DataFrame({"province": provinces[keep], "task": np.array(list(tasks[keep]), dtype="int64"),
                         "level": levels[keep], "evidence": table.text("evidence")[keep],
                         **table.source(keep)})


READERS: dict[str, Callable[[_Table], pd.DataFrame | None]] = {
    "items": _read_items, "totals": _read_totals, "targets": _read_targets,
    "goals": _read_goals, "tasks": _read_tasks,
}

