"""The shapes of the data that flows between ingest, progress, storage and reports.

Rows travel as pandas DataFrames with the columns named here (fast for 60,000+ items);
problems travel as a list of ``Problem`` records. Every module builds and reads frames
through ``empty_frame``/``conform`` so that a missing column is a bug caught at once.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Literal

import pandas as pd

# ---- frame schemas: column -> pandas dtype -------------------------------------------------
# Common to every frame: where the row came from, so every number can be traced to its rows.
SOURCE_COLUMNS = {
    "source": "string",      # file name (or submission label) the row came from
    "sheet": "string",       # sheet name as the user sees it
    "row": "Int64",          # Excel row number (1-based, as shown in Excel)
}

ITEM_COLUMNS = {
    "province": "string",    # canonical region name, e.g. 广东省
    "metric": "string",      # catalog metric id, or a custom_… id
    "name": "string",        # 名称
    "code": "string",        # 编号: credit code, standard number or free text (may be empty)
    "direction": "string",   # direction id (manufacturing …) or empty
    "flagship": "string",    # flagship product category id or empty
    "lead_unit": "string",   # 牵头单位
    "status": "string",      # achieved | in_progress | planned
    "date": "datetime64[ns]",   # 完成日期 as given (first day of the month for month precision)
    "date_precision": "string",  # day | month | year | "" (no date)
    "evidence": "string",    # 证明材料
    "note": "string",        # 备注
    "key": "string",         # de-duplication key: normalised code, or normalised name without one
    **SOURCE_COLUMNS,
}

TOTAL_COLUMNS = {
    "province": "string",
    "metric": "string",
    "as_of": "datetime64[ns]",   # 截至日期
    "value": "float64",          # 累计值 (items, or 亿元 for money metrics)
    "note": "string",
    **SOURCE_COLUMNS,
}

TARGET_COLUMNS = {
    "province": "string",
    "metric": "string",          # catalog id or custom_… id
    "name_zh": "string",         # the metric's name as the province wrote it (custom metrics)
    "unit": "string",
    "kind": "string",            # count | value
    "value": "float64",          # NaN for 一批
    "qualifier": "string",       # eq | ge | gt | le | lt | about
    "text": "string",            # the target as written: "100项以上"
    "deadline": "datetime64[ns]",
    "note": "string",
    **SOURCE_COLUMNS,
}

ASSESSMENT_COLUMNS = {
    "province": "string",
    "goal": "string",            # qualitative metric id (q2025_…)
    "level": "string",           # achieved | basically | in_progress | not_started
    "evidence": "string",
    **SOURCE_COLUMNS,
}

TASK_COLUMNS = {
    "province": "string",
    "task": "Int64",             # 1..16
    "level": "string",
    "evidence": "string",
    **SOURCE_COLUMNS,
}

FRAMES = {
    "items": ITEM_COLUMNS,
    "totals": TOTAL_COLUMNS,
    "targets": TARGET_COLUMNS,
    "assessments": ASSESSMENT_COLUMNS,
    "tasks": TASK_COLUMNS,
}

LEVELS = ("achieved", "basically", "in_progress", "not_started")


@functools.lru_cache(maxsize=None)
def _empty(kind: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in FRAMES[kind].items()})


def empty_frame(kind: str) -> pd.DataFrame:
    """An empty frame of one of the schemas in FRAMES ('items', 'totals', …)."""
    # Built once per kind and copied: the store makes one per province and table (bench: store import).
    return _empty(kind).copy()


def conform(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The frame with exactly the schema's columns, in order and of their dtypes.

    Missing columns are added empty; extra columns are dropped.
    """
    cols = FRAMES[kind]
    n = len(df)
    data = {}
    for c, t in cols.items():
        s = df[c].reset_index(drop=True) if c in df.columns else pd.Series(pd.NA, index=pd.RangeIndex(n))
        if t.startswith("datetime64"):
            s = pd.to_datetime(s, errors="coerce").astype("datetime64[ns]")
        else:
            s = s.astype(t)
        data[c] = s
    # One frame from all columns at once: inserting them one by one was most of a small frame's cost.
    return pd.DataFrame(data, index=pd.RangeIndex(n))


# ---- problems ------------------------------------------------------------------------------
Severity = Literal["error", "warning", "info"]  # info: a note on what was inferred or skipped


@dataclass
class Problem:
    """One validation problem, located where the user will look for it."""

    code: str                  # stable code, e.g. missing_value (see metrics/data/problems.yaml)
    severity: Severity
    message: str               # Chinese: the problem, then how to fix it (as stored and printed)
    message_en: str = ""
    sheet: str | None = None
    row: int | None = None     # Excel row number as the user sees it
    column: str | None = None  # Excel column letter
    header: str | None = None  # the header text in the user's file
    value: Any = None          # the offending value, as text
    fix: str = ""              # Chinese: how to fix it ("" when nothing to do)
    fix_en: str = ""
    # The code's own parameters ({limit}, {reason} …); None in a record stored before problems kept them.
    params: dict[str, Any] | None = None

    def statement(self, lang: str = "zh") -> str:
        """The problem alone, without how to fix it, in ``lang`` (rendered from its code's template)."""
        if self.params is None:  # an old record: its message is all there is, fix included
            return ((self.message_en or self.message) if lang == "en" else self.message).strip()
        from .problems import render_part

        return render_part(self, "message", lang).strip()

    def fix_text(self, lang: str = "zh") -> str:
        """How to fix it, in ``lang`` ("" when there is nothing to do, or the record's message says it)."""
        if self.params is None:
            return ""
        from .problems import render_part

        return render_part(self, "fix", lang).strip()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["value"] is not None and not isinstance(d["value"], (str, int, float, bool)):
            d["value"] = str(d["value"])
        if self.params is not None:  # translated parameters keep their key, to render in either language
            d["params"] = {k: v.to_dict() if hasattr(v, "to_dict") else v for k, v in self.params.items()}
        return d


@dataclass
class SheetCount:
    total: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0
    skipped: int = 0  # rows that are not data (合计, 注, 填表人 …): listed as notes, never errors

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class IngestResult:
    """Everything read from one file: rows that passed, problems found, and counts per sheet.

    For every sheet, total == valid + invalid + blank: nothing is dropped silently.
    """

    file: str
    readable: bool
    province: str | None = None
    as_of: dt.date | None = None
    contact: str | None = None
    items: pd.DataFrame = field(default_factory=lambda: empty_frame("items"))
    totals: pd.DataFrame = field(default_factory=lambda: empty_frame("totals"))
    targets: pd.DataFrame = field(default_factory=lambda: empty_frame("targets"))
    assessments: pd.DataFrame = field(default_factory=lambda: empty_frame("assessments"))
    tasks: pd.DataFrame = field(default_factory=lambda: empty_frame("tasks"))
    problems: list[Problem] = field(default_factory=list)
    sheets: dict[str, SheetCount] = field(default_factory=dict)
    # The workbook's shape (sheet names and header words, issue 12): the key of a mapping profile.
    shape_signature: str = ""
    # Columns with data under a header that maps to no field: [{sheet, sheet_kind, column, header}].
    unmapped: list[dict[str, str]] = field(default_factory=list)
    mapping_profile: str | None = None  # the name of the mapping profile the file was read with

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def as_of_missing(self) -> bool:
        """True when the file is readable but names no as-of date anywhere (基本信息, title rows, file
        name, 指标汇总's dates): the caller must ask for one rather than stamp the upload day."""
        if not self.readable or self.as_of is not None:
            return False
        return not (len(self.totals) and self.totals["as_of"].notna().any())

    @property
    def row_counts(self) -> SheetCount:
        out = SheetCount()
        for c in self.sheets.values():
            out.total += c.total
            out.valid += c.valid
            out.invalid += c.invalid
            out.blank += c.blank
            out.skipped += c.skipped
        return out

    @property
    def exit_code(self) -> int:
        """0: no error (warnings allowed); 1: some rows invalid; 2: the file cannot be read."""
        if not self.readable:
            return 2
        return 1 if self.errors else 0

    def provinces(self) -> list[str]:
        """Every province named by any row of the file (for access checks)."""
        names: set[str] = set()
        for kind in FRAMES:
            df = getattr(self, kind)
            if len(df):
                names.update(str(p) for p in df["province"].dropna().unique())
        if self.province:
            names.add(self.province)
        return sorted(names)


@dataclass
class Dataset:
    """Rows from one or many files or submissions, ready for the progress engine."""

    items: pd.DataFrame = field(default_factory=lambda: empty_frame("items"))
    totals: pd.DataFrame = field(default_factory=lambda: empty_frame("totals"))
    targets: pd.DataFrame = field(default_factory=lambda: empty_frame("targets"))
    assessments: pd.DataFrame = field(default_factory=lambda: empty_frame("assessments"))
    tasks: pd.DataFrame = field(default_factory=lambda: empty_frame("tasks"))
    # Where the rows came from: one record per file or submission
    # (label, province, as_of, uploaded_at, sha256, submission id where stored).
    sources: list[dict[str, Any]] = field(default_factory=list)
    # Problems still open in the sources (shown in the report's appendix).
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def from_results(cls, results: Iterable[IngestResult]) -> "Dataset":
        """Concatenate the rows of several ingested files."""
        results = list(results)
        frames: dict[str, pd.DataFrame] = {}
        for kind in FRAMES:
            parts = [getattr(r, kind) for r in results if len(getattr(r, kind))]
            frames[kind] = conform(pd.concat(parts, ignore_index=True), kind) if parts else empty_frame(kind)
        sources = [{"label": r.file, "province": r.province,
                    "as_of": r.as_of.isoformat() if r.as_of else None} for r in results]
        problems = [p for r in results for p in r.problems]
        return cls(**frames, sources=sources, problems=problems)

    def provinces(self) -> list[str]:
        names: set[str] = set()
        for kind in FRAMES:
            df = getattr(self, kind)
            if len(df):
                names.update(str(p) for p in df["province"].dropna().unique())
        return sorted(names)

    def for_province(self, province: str) -> "Dataset":
        """The rows of one province only."""
        frames = {k: getattr(self, k)[getattr(self, k)["province"] == province].reset_index(drop=True)
                  for k in FRAMES}
        return Dataset(**frames, sources=[s for s in self.sources if s.get("province") in (province, None)],
                       problems=self.problems)
