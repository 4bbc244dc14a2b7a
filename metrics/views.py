"""Tables the dashboard shows, built from plain data (frames, records) — no streamlit here.

Each function takes what ``progress``, ``ingest`` or ``store`` return and gives back the rows a
page (or the CLI, or a report) lays out: the overview's target cards, the validation report as a
table, what an upload would change, the items behind a figure, goal evidence, history and audit tables.
Figures are ``metrics.charts``'s, the province × metric matrix ``metrics.chart_rows``'s; numbers are ``metrics.progress``'s.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable

import pandas as pd

from .presentation import fmt_number
from .i18n import t
from .model import Problem, SheetCount
from .presentation import deadline_sentence, fmt_time, metric_name, provincial_metric_name, target_figure, target_in_words


# ---- target cards -----------------------------------------------------------------------------
def _number(value: Any) -> float | None:
    """A finite float, or None for NaN / NA / missing."""
    if value is None or value is pd.NA:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _iso(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def target_cards(rows: pd.DataFrame, lang: str = "zh", catalog: Any = None) -> list[dict[str, Any]]:
    """One card per target (metric × deadline) of the progress rows of one scope, in their order.

    Units and a target written as words (一批) come from the catalog in ``lang`` where it knows them.
    """
    cards = []
    for r in rows.to_dict("records"):
        m = catalog.metric_by_id.get(r["metric"]) if catalog is not None else None
        unit = m.unit_label(lang) if m is not None else (r.get("unit") or "")
        text = r.get("target_text") or ""
        if m is not None and lang == "en" and r.get("target_source") == "national":
            spec = next((s for s in m.targets if s.province is None and _iso(s.deadline) == _iso(r.get("deadline"))),
                        None)
            text = (spec.text_en or text) if spec is not None else text
        number = _number(r.get("target"))
        cards.append({
            "metric": r["metric"],
            "kind": r.get("kind") or "count",
            "name": metric_name(r, lang),
            "unit": unit,
            "deadline": _iso(r.get("deadline")),
            "actual": _number(r.get("actual")),
            "target": _number(r.get("target")),
            "target_text": "" if pd.isna(text) else str(text),
            # A target with no number (一批) has no percent to show, whatever a column holds.
            "percent": _number(r.get("percent")) if number is not None else None,
            "no_number": number is None and bool(r.get("deadline")) and not pd.isna(r.get("deadline")),
            "pace_percent": _number(r.get("pace_percent")),
            "gap_items": _number(r.get("gap_items")),
            "required_rate": _number(r.get("required_rate")),
            "projected": _number(r.get("projected")),
            "status": r.get("status") or "no_target",
            "target_source": r.get("target_source") or "none",
            "clause_section": r.get("clause_section") or "",
            "clause_quote": r.get("clause_quote") or "",
            # Issue 13: a passed deadline shows as it ended, in the one deadline wording.
            "passed": bool(r.get("passed")),
            "after_deadline": _number(r.get("after_deadline")),
            "sentence": deadline_sentence(r, lang, unit),
        })
    return cards


def calendar_sections(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[int, pd.DataFrame]]]:
    """(live rows, [(deadline year, passed rows) …]) of one scope's progress rows: the targets still
    ahead (the 2027 goals, provincial plans, metrics with no deadline) lead; each passed deadline year
    gets its own final section, latest year first. Needs the engine's ``passed`` column."""
    passed = rows["passed"].fillna(False).astype(bool) if "passed" in rows else pd.Series(False, index=rows.index)
    live = rows[~passed].reset_index(drop=True)
    done = rows[passed]
    years = pd.to_datetime(done["deadline"]).dt.year
    finals = [(int(y), done[years == y].reset_index(drop=True)) for y in sorted(years.unique(), reverse=True)]
    return live, finals


def card_headline(card: dict[str, Any], lang: str = "zh") -> str:
    """"actual / target unit" of a card; the target as written when it has no number (一批);
    just "actual unit" when there is no target at all; money as ``fmt_money`` says it
    (``presentation.target_figure``, the one wording of a figure)."""
    return target_figure({"kind": card.get("kind", "count"), "actual": card["actual"], "target": card["target"],
                          "target_text": card["target_text"]}, card["unit"], lang)


# ---- validation report ------------------------------------------------------------------------
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


# ---- what changes ---------------------------------------------------------------------------
# Row tables of a submission, in the order the diff is shown; the name column of each, if any.
DIFF_TABLES = ("items", "totals", "targets", "assessments", "tasks")
_NAME_FIELD = {"items": "name", "totals": "as_of", "targets": "deadline", "assessments": "goal", "tasks": "task"}


def diff_rows(diff: dict[str, Any]) -> pd.DataFrame:
    """The rows of a diff (``store.diff`` or ``store.frame_diff`` per table) as one table.

    Columns: change (added|removed|changed), table, province, metric, name, fields (changed fields).
    """
    cols = ["change", "table", "province", "metric", "name", "fields"]
    out = []
    for table in DIFF_TABLES:
        d = diff.get(table) or {}
        for change in ("added", "removed", "changed"):
            for r in d.get(change, []):
                name = r.get(_NAME_FIELD[table])
                out.append({"change": change, "table": table, "province": r.get("province") or "",
                            "metric": r.get("metric") or "", "name": "" if name is None else str(name),
                            "fields": ", ".join(sorted(r.get("changes", {}))) if change == "changed" else ""})
    return pd.DataFrame(out, columns=cols)


def diff_counts(diff: dict[str, Any]) -> pd.DataFrame:
    """Rows added, removed and changed per table of a diff (tables with no change left out)."""
    rows = []
    for table in DIFF_TABLES:
        d = diff.get(table) or {}
        n = {c: len(d.get(c, [])) for c in ("added", "removed", "changed")}
        if any(n.values()):
            rows.append({"table": table, **n})
    return pd.DataFrame(rows, columns=["table", "added", "removed", "changed"])


# ---- items behind a figure --------------------------------------------------------------------
SEARCH_COLUMNS = ("name", "code", "province", "lead_unit", "evidence", "note", "direction", "flagship")


def search_items(items: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows whose name, code, province, lead unit, evidence or note contain every word of ``query``."""
    words = [w for w in (query or "").lower().split() if w]
    if not words or items.empty:
        return items
    cols = [c for c in SEARCH_COLUMNS if c in items.columns]
    haystack = items[cols].astype("string").fillna("").agg(" ".join, axis=1).str.lower()
    mask = pd.Series(True, index=items.index)
    for w in words:
        mask &= haystack.str.contains(w, regex=False)
    return items[mask]


def counted_rows(rows: pd.DataFrame, catalog: Any, lang: str = "zh") -> pd.DataFrame:
    """The rows that make up a figure (``progress.counted_items`` marks them ``counted``), with
    province, direction and flagship category by name."""
    if "counted" in rows.columns:
        rows = rows[rows["counted"].fillna(False).astype(bool)]
    return by_name(rows, catalog, lang, ("province", "direction", "flagship")).reset_index(drop=True)


def by_name(rows: pd.DataFrame, catalog: Any, lang: str = "zh",
            columns: tuple[str, ...] = ("province", "metric", "status", "direction", "flagship")) -> pd.DataFrame:
    """A copy of ``rows`` with the canonical keys in ``columns`` shown by their names in ``lang``
    (江苏省 / Jiangsu, enterprise → 领军企业, in_progress → 推进中); a custom metric keeps its id."""
    rows = rows.copy()
    for column in columns:
        if column in rows.columns:
            rows[column] = [catalog.label(column, v, lang) if isinstance(v, str) and v else ""
                            for v in rows[column]]
    return rows


def minute_text(moment: Any) -> str:
    """A stored time stamp to the minute in the tracker's time zone (Beijing time by default,
    ``TRACKER_TIMEZONE``), as every page shows times: "2026-11-29 08:40"; a naive stamp as written."""
    if moment is None or (isinstance(moment, float) and math.isnan(moment)):
        return ""
    try:
        ts = pd.Timestamp(moment)
    except (ValueError, TypeError):
        return str(moment)
    return fmt_time(ts) if ts.tzinfo is not None else ts.strftime("%Y-%m-%d %H:%M")


# ---- history --------------------------------------------------------------------------------
def history_table(history: list[dict[str, Any]]) -> pd.DataFrame:
    """Stored submissions, newest first: id, province, as_of, uploaded_at, uploader, filename, state, sample."""
    cols = ["id", "province", "as_of", "uploaded_at", "uploader", "filename", "state", "sample", "sha256"]
    df = pd.DataFrame(history or [], columns=cols)
    if df.empty:
        return df
    df["sha256"] = df["sha256"].astype(str).str[:12]
    df["uploaded_at"] = df["uploaded_at"].map(minute_text)
    return df.sort_values(["uploaded_at", "id"], ascending=False, kind="stable").reset_index(drop=True)


def latest_pairs(history: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(previous, current) submission of every province that has both, newest upload first.

    The previous one is the latest earlier submission that is not deleted.
    """
    by_province: dict[str, list[dict[str, Any]]] = {}
    for h in history or []:
        if h.get("state") != "deleted":
            by_province.setdefault(str(h.get("province")), []).append(h)
    pairs = []
    for subs in by_province.values():
        subs = sorted(subs, key=lambda h: (str(h.get("uploaded_at")), h.get("id")))
        current = [i for i, h in enumerate(subs) if h.get("state") == "current"]
        if current and current[-1] > 0:
            i = current[-1]
            pairs.append((subs[i - 1], subs[i]))
    return sorted(pairs, key=lambda p: (str(p[1].get("uploaded_at")), p[1].get("id")), reverse=True)


def latest_two(history: list[dict[str, Any]], province: str) -> tuple[int, int] | None:
    """(older, newer) ids of the two latest submissions of ``province``, by upload time: the default pair
    of 比较两次报送. Deleted ones count only when fewer than two others exist; None with fewer than two."""
    mine = [h for h in history or [] if str(h.get("province")) == province]
    kept = [h for h in mine if h.get("state") != "deleted"]
    pool = sorted(kept if len(kept) >= 2 else mine, key=lambda h: (str(h.get("uploaded_at")), h.get("id")))
    return (pool[-2]["id"], pool[-1]["id"]) if len(pool) >= 2 else None


def diff_provinces(history: list[dict[str, Any]]) -> list[str]:
    """Provinces with two or more submissions (so two can be compared), the latest upload's first."""
    newest = sorted(history or [], key=lambda h: (str(h.get("uploaded_at")), h.get("id")), reverse=True)
    counts: dict[str, int] = {}
    for h in newest:
        counts[str(h.get("province"))] = counts.get(str(h.get("province")), 0) + 1
    return [p for p in dict.fromkeys(str(h.get("province")) for h in newest) if counts[p] >= 2]


def short_hash(sha256: Any) -> str:
    """The first 12 hex digits of a file's SHA-256 (enough to tell two files apart at a glance)."""
    return "" if sha256 is None or (isinstance(sha256, float) and math.isnan(sha256)) else str(sha256)[:12]


# ---- uploads --------------------------------------------------------------------------------
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


def same_file(history: list[dict[str, Any]], sha256: str) -> dict[str, Any] | None:
    """The earliest stored submission (not deleted) of exactly these bytes, if any."""
    hits = [h for h in history or [] if h.get("sha256") == sha256 and h.get("state") != "deleted"]
    return min(hits, key=lambda h: h.get("id") or 0) if hits else None


def outcome_ids(outcome: Any) -> str:
    """The submission id(s) a save created, as text (one workbook may hold several provinces)."""
    ids = getattr(outcome, "submission_ids", None) or [getattr(outcome, "submission_id", None)]
    return "、".join(str(i) for i in ids if i is not None)


def template_filename(province: str | None, prefilled: bool) -> str:
    """未来产业进展表_模板.xlsx, or with the province and 上次报送 for a pre-filled one."""
    parts = ["未来产业进展表", province or "", "上次报送" if prefilled else "模板"]
    return "_".join(p for p in parts if p) + ".xlsx"


def annotated_filename(filename: str) -> str:
    """The name of the annotated copy of an uploaded workbook: 原名_校验结果.xlsx."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{stem}_校验结果.xlsx"


# ---- one target in depth ----------------------------------------------------------------------
def target_choices(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The targets (metric × deadline) of one scope's progress rows, as records in their order."""
    return rows.to_dict("records")


def first_numeric_target(choices: list[dict[str, Any]]) -> int:
    """The position of the first target with a number (the policy's 一批 has none), else 0."""
    return next((i for i, r in enumerate(choices) if _number(r.get("target")) is not None), 0)


def target_choice_label(row: dict[str, Any], lang: str = "zh") -> str:
    """"name (deadline year)" for a target picker."""
    name = metric_name(row, lang)
    year = pd.Timestamp(row["deadline"]).year if not pd.isna(row.get("deadline")) else ""
    return f"{name} ({year})" if year else str(name)


def target_text(row: dict[str, Any], lang: str, unit: str) -> str:
    """The target as a number with its unit, or as the policy writes it (一批) when it has none."""
    value = _number(row.get("target"))
    if value is not None:
        return f"{fmt_number(value)} {unit}".strip()
    return target_in_words(row.get("target_text"), lang) or "–"  # 一批 reads 'a batch' in English


def percent_text(value: Any) -> str:
    """A 0–100 percent as "42.5%", or – when there is none."""
    v = _number(value)
    return "–" if v is None else f"{fmt_number(v)}%"


def rate_text(value: Any, unit: str, lang: str = "zh") -> str:
    """A required rate per month: "3.2 项/月" / "3.2 technologies/month"; – when none is needed."""
    v = _number(value)
    if v is None:
        return "–"
    return f"{fmt_number(v)} {unit}/月" if lang == "zh" else f"{fmt_number(v)} {unit}/month"


def upload_diff(current: Any, result: Any) -> dict[str, Any]:
    """What storing an ingested file would change: per table, rows added, removed and changed
    against the current rows of the provinces the file covers (``current`` is a ``Dataset``)."""
    from .store import frame_diff

    provinces = result.provinces()
    out: dict[str, Any] = {}
    for kind in DIFF_TABLES:
        new = getattr(result, kind)
        if len(new) and result.province:
            new = new.assign(province=new["province"].astype("string").fillna(result.province)
                             .replace("", result.province))
        old = getattr(current, kind)
        old = old[old["province"].isin(provinces)]
        out[kind] = frame_diff(old, new, kind)
    return out


# ---- goals and tasks --------------------------------------------------------------------------
def goal_label(catalog: Any, goal: str, lang: str = "zh") -> str:
    """"2025 · name" of a qualitative goal (its deadline year first, so 2025 and 2027 goals sort apart)."""
    m = catalog.metric(goal)
    year = m.targets[0].deadline.year if m.targets else ""
    return f"{year} · {m.name(lang)}" if year else m.name(lang)


def evidence_table(frame: pd.DataFrame, column: str, key: Any, catalog: Any, lang: str = "zh") -> pd.DataFrame:
    """Each province's self-assessed level and evidence for one goal (column ``goal``) or task (``task``),
    best level first, then catalog order of the regions."""
    cols = ["province", "level", "evidence"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    sel = frame[frame[column].astype(str) == str(key)]
    if sel.empty:
        return pd.DataFrame(columns=cols)
    level_rank = {lv.id: i for i, lv in enumerate(catalog.levels)}
    region_rank = {r.name: i for i, r in enumerate(catalog.regions)}
    sel = sel.assign(_l=sel["level"].map(level_rank).fillna(99), _r=sel["province"].map(region_rank).fillna(999))
    sel = sel.sort_values(["_l", "_r"], kind="stable")
    return pd.DataFrame({
        "province": [catalog.label("province", p, lang) for p in sel["province"]],
        "level": [catalog.label("level", lv, lang) if isinstance(lv, str) else "" for lv in sel["level"]],
        "evidence": sel["evidence"].fillna("").astype(str).tolist(),
    })


def audit_table(audit: list[dict[str, Any]]) -> pd.DataFrame:
    """The audit log as a table: at, actor, action, submission_id, province, sha256 (first 12 hex digits)."""
    cols = ["at", "actor", "action", "submission_id", "province", "sha256"]
    df = pd.DataFrame(audit or [], columns=[*cols, "detail"])[cols]
    if len(df):
        df["sha256"] = df["sha256"].fillna("").astype(str).str[:12]
        df["at"] = df["at"].map(minute_text)
        df["submission_id"] = df["submission_id"].astype("Int64")
    return df


# ---- reports ----------------------------------------------------------------------------------
REPORT_LABELS = {"xlsx": "Excel", "docx": "Word", "pdf": "PDF", "html": "HTML"}


def report_filename(scope: str, as_of: dt.date, lang: str, fmt: str) -> str:
    """未来产业目标进展报告_全国_2025-06-30.pdf / future-industries-status_national_2025-06-30_en.pdf."""
    if lang == "en":
        return f"future-industries-status_{scope}_{as_of.isoformat()}_en.{fmt}"
    where = "全国" if scope == "national" else scope
    return f"未来产业目标进展报告_{where}_{as_of.isoformat()}.{fmt}"


# ---- catalog ----------------------------------------------------------------------------------
def overlay_table(catalog: Any, targets: pd.DataFrame, lang: str = "zh",
                  provinces: list[str] | None = None) -> pd.DataFrame:
    """National targets and each province's own targets side by side: one row per metric and
    deadline year, a column for the national target and one per province (its target as written).

    ``targets`` is a ``Dataset.targets`` frame (the 目标设定 sheets); ``provinces`` limits the columns.
    """
    national_label = t("scope_national", lang)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for m in catalog.countable_metrics:
        for spec in m.targets:
            if spec.province is None:
                text = fmt_number(spec.value) if spec.value is not None else (
                    spec.text_en if lang == "en" and spec.text_en else spec.text_zh or "")
                rows[(m.id, spec.deadline.year)] = {"metric": m.name(lang), "unit": m.unit_label(lang),
                                                    "year": spec.deadline.year, national_label: text}
    columns: list[str] = []
    sel = targets if provinces is None else targets[targets["province"].isin(provinces)]
    region_rank = {r.name: i for i, r in enumerate(catalog.regions)}
    sel = sel.assign(_r=sel["province"].map(region_rank).fillna(999)).sort_values(["_r", "metric", "deadline"])
    for r in sel.to_dict("records"):
        if pd.isna(r.get("deadline")) or pd.isna(r.get("province")):
            continue
        year = pd.Timestamp(r["deadline"]).year
        metric = str(r["metric"])
        m = catalog.metric_by_id.get(metric)
        row = rows.setdefault((metric, year), {
            "metric": m.name(lang) if m else str(r.get("name_zh") or metric),
            "unit": m.unit_label(lang) if m else str(r.get("unit") or ""), "year": year, national_label: ""})
        column = catalog.label("province", r["province"], lang)
        if column not in columns:
            columns.append(column)
        text = r.get("text")
        row[column] = str(text) if isinstance(text, str) and text else fmt_number(r.get("value"))
    order = {m.id: i for i, m in enumerate(catalog.all_metrics)}
    keys = sorted(rows, key=lambda k: (order.get(k[0], 999), k[1]))
    return pd.DataFrame([rows[k] for k in keys], columns=["metric", "unit", "year", national_label, *columns]).fillna("")


def custom_metric_names(targets: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """custom_… metric id -> its name in ``lang``: the name the province gave it in its 目标设定 sheet,
    in English "Provincial metric: <that name>" (``presentation.provincial_metric_name``)."""
    if targets.empty:
        return {}
    custom = targets[targets["metric"].astype("string").str.startswith("custom_", na=False)]
    return {str(m): provincial_metric_name(str(n), lang) for m, n in zip(custom["metric"], custom["name_zh"])
            if isinstance(n, str) and n}
