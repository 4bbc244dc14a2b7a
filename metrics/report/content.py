"""The content of a status report, built once from the progress engine and rendered by every format.

``build_report`` gathers everything a report shows — title, scope, dates, data sources, the summary
paragraph, the targets table, the charts to draw, goals and tasks, and the appendix — as plain
frames and strings in one language. The renderers (``xlsx``, ``docx``, ``pdf``, ``html``) only lay
it out; none of them computes a number.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..catalog import Catalog, load_catalog
from ..chart_rows import as_of_of, scope_rows, target_words, unit_label
from ..presentation import fmt_date, fmt_number, is_missing, status_colour, status_label, year_of
from ..i18n import t, translations
from ..model import Dataset
from ..presentation import (deadline_sentence, fmt_count, fmt_iso_date, fmt_money, fmt_value, metric_name,  # noqa: F401
                            status_ids, target_figure, tracker_timezone, unreviewed_mark)

# Word and PDF list at most this many counted items per metric; the Excel file has them all.
APPENDIX_LIMIT = 20


@dataclass
class ChartSpec:
    """One chart of the report: the builder's name in ``metrics.charts`` / ``report.images``, its arguments."""

    kind: str
    kwargs: dict[str, Any]
    title: str


@dataclass
class ReportContent:
    """Everything one status report shows, in one language."""

    lang: str
    scope_type: str            # national | province
    scope: str                 # "national" or a canonical province name
    scope_label: str
    title: str
    policy: str
    as_of: dt.date | None
    generated: dt.datetime
    sources: pd.DataFrame
    summary: list[str]
    targets: pd.DataFrame      # one row per target: raw numbers + display texts + status colour
    charts: list[ChartSpec]
    goals: pd.DataFrame
    tasks: pd.DataFrame
    assessments: pd.DataFrame  # each region's level and evidence per goal / task
    items: dict[str, pd.DataFrame]
    item_titles: dict[str, str]
    shared_items: pd.DataFrame
    problems: pd.DataFrame
    progress: Any = field(repr=False)
    catalog: Catalog = field(repr=False)
    page_one: Any = None                       # leader.PageOne: worded blocks of page one
    findings: dict[str, str] = field(default_factory=dict)  # progress, problems, next_steps, notes
    provenance: list[str] = field(default_factory=list)     # the sources in words (appendix)
    style: str = "official"                    # report_styles.yaml: official | briefing
    unreviewed: bool = False                   # the figures include unreviewed submissions (含未审核数据)

    def text(self, key: str, **values: Any) -> str:
        """A label of the report in its language."""
        return t(key, self.lang, **values)


# ---- the summary paragraph ------------------------------------------------------------------
def scope_word(catalog: Catalog, scope_type: str, scope: str, lang: str) -> str:
    """全国 / 全省 / 全市 / 全区 … as a work report says it."""
    if scope_type == "national":
        return t("report_scope_word_national", lang)
    region = catalog.region_by_name.get(scope)
    return t(f"report_scope_word_{region.kind if region else 'province'}", lang)


def metric_verb(metric: str, lang: str) -> str:
    """The verb the policy uses for a metric (突破 technologies, 培育 institutions …)."""
    key = f"report_verb_{metric}"
    return t(key if key in translations() else "report_verb_default", lang)


def _figure(row: Any, value: Any, unit: str, lang: str) -> tuple[str, str]:
    """A figure and the unit to write after it, by the metric's kind (money worded by ``fmt_money``)."""
    kind = row.get("kind", "count")
    if unit in ("亿元", "100 million yuan"):
        return fmt_money(value, lang), ""
    return (fmt_count(value) if kind == "count" else fmt_number(value)), unit


def has_number(row: Any) -> bool:
    """Whether a target row has a numeric target (a figure to compare with)."""
    return not is_missing(row["target"])


def target_sentence(row: Any, catalog: Catalog, scope_type: str, scope: str, as_of: dt.date | None, lang: str) -> str:
    """One sentence of the summary, every number taken from a progress row."""
    from .leader import target_fact

    unit = unit_label(catalog, row["metric"], row["unit"], lang)
    if bool(row.get("passed")):  # a passed deadline is said as it ended, by the one deadline wording
        return target_fact(row, catalog, lang)
    actual, unit = _figure(row, row["actual"], unit, lang)
    values = {"date": fmt_date(as_of, lang), "scope": scope_word(catalog, scope_type, scope, lang),
              "verb": metric_verb(row["metric"], lang), "metric": _name(row, lang),
              "actual": actual, "unit": unit, "year": year_of(row["deadline"]),
              "percent": fmt_number(row["percent"]), "status": status_label(row["status"], lang),
              "target": target_words(row, catalog, lang)}
    if is_missing(row["target"]) and row["target_source"] == "none":
        if scope_type == "province" and not is_missing(row["contribution_percent"]):
            return _tidy(t("report_sentence_no_local_target", lang, contribution=fmt_number(row["contribution_percent"]),
                     **values))
        return _tidy(t("report_sentence_target_not_set", lang, **values))
    if is_missing(row["target"]):
        return _tidy(t("report_sentence_no_target", lang, **values))
    gap = row["gap_pp"]
    if is_missing(gap) or abs(float(gap)) < 0.05:
        return _tidy(t("report_sentence_on_pace", lang, **values))
    # gap_pp is actual percent minus pace percent: negative means behind the time-elapsed pace.
    key = "report_sentence_behind" if float(gap) < 0 else "report_sentence_ahead"
    return _tidy(t(key, lang, gap=fmt_number(abs(float(gap))), **values))


def _tidy(text: str) -> str:
    """One space where an empty unit left two (money carries its unit in the figure)."""
    return re.sub(r" {2,}", " ", text)


def no_number_sentence(rows: pd.DataFrame, catalog: Catalog, scope_type: str, scope: str,
                       as_of: dt.date | None, lang: str) -> str:
    """The targets without a number in one sentence: each metric's figure to date (a province's share of
    the national target when it has one)."""
    parts = []
    for _, r in rows.iterrows():
        now = r.get("actual_now")
        value = r["actual"] if is_missing(now) else now
        figure, unit = _figure(r, value if not is_missing(value) else 0, unit_label(catalog, r["metric"], r["unit"], lang),
                               lang)
        item = t("rl_headline_item", lang, metric=_name(r, lang), actual=figure, unit=unit).strip()
        if scope_type == "province" and not is_missing(r["contribution_percent"]) and float(value or 0) > 0:
            item += t("report_no_number_share", lang, share=fmt_number(r["contribution_percent"]))
        parts.append(item)
    return t("report_summary_no_number", lang, date=fmt_date(as_of, lang),
             scope=scope_word(catalog, scope_type, scope, lang), n=len(parts),
             items=t("report_list_sep", lang).join(parts))


def passed_group_sentence(rows: pd.DataFrame, catalog: Catalog, lang: str) -> str:
    """Several targets of one passed deadline and one outcome: the deadline and outcome once, then each
    target's figure at the deadline (``presentation.target_figure``) and what came after."""
    items = []
    for _, r in rows.iterrows():
        unit = unit_label(catalog, r["metric"], r["unit"], lang)
        item = t("report_passed_item", lang, metric=_name(r, lang), figure=target_figure(r, unit, lang))
        after = r.get("after_deadline")
        if not is_missing(after) and float(after) > 0:
            item += t("report_passed_item_after", lang, after=fmt_value(after, r.get("kind", "count"), unit, lang))
        items.append(item)
    first = rows.iloc[0]
    return t("report_passed_group", lang, date=fmt_date(first["deadline"], lang), n=len(rows),
             status=status_label(first["status"], lang), items=t("report_list_sep", lang).join(items))


def summary_paragraphs(rows: pd.DataFrame, catalog: Catalog, scope_type: str, scope: str,
                       as_of: dt.date | None, lang: str) -> list[str]:
    """The summary: an overall count of statuses, one sentence per target with a number, and the
    targets without one folded into a single sentence (never a run of near-identical sentences)."""
    if rows.empty:
        return [t("report_summary_empty", lang, date=fmt_date(as_of, lang))]
    counts = rows["status"].value_counts()
    parts = [t("report_status_count", lang, status=status_label(s, lang), n=int(counts[s]))
             for s in status_ids() if s in counts]
    overall = t("report_summary_overall", lang, date=fmt_date(as_of, lang),
                scope=scope_word(catalog, scope_type, scope, lang), n=len(rows),
                statuses=t("report_list_sep", lang).join(parts))
    numbered = rows[[has_number(r) for _, r in rows.iterrows()]]
    others = rows[[not has_number(r) for _, r in rows.iterrows()]]
    # Targets whose deadline passed with the same outcome are said in one sentence (the policy's 2025
    # targets: six "missed" sentences differing only in their figures would read as a list anyway).
    passed = numbered[numbered["passed"].astype(bool)] if "passed" in numbered else numbered.iloc[:0]
    groups = {k: g for k, g in passed.groupby(["deadline", "status"], sort=False) if len(g) > 1}
    sentences = []
    for _, r in numbered.iterrows():
        key = (r["deadline"], r["status"])
        if bool(r.get("passed")) and key in groups:
            if groups[key] is not None:
                sentences.append(passed_group_sentence(groups[key], catalog, lang))
                groups[key] = None
            continue
        sentences.append(target_sentence(r, catalog, scope_type, scope, as_of, lang))
    if len(others):
        sentences.append(no_number_sentence(others, catalog, scope_type, scope, as_of, lang))
    return [overall, *sentences]


def _name(row: Any, lang: str) -> str:
    return metric_name(row, lang)


# ---- tables ---------------------------------------------------------------------------------
def targets_table(rows: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """The targets table: raw numbers for Excel and charts, display texts for documents."""
    out = []
    for _, r in rows.iterrows():
        unit = unit_label(catalog, r["metric"], r["unit"], lang)
        has_target = not is_missing(r["target"])
        out.append({
            "metric": r["metric"], "name": _name(r, lang), "unit": unit,
            "target": None if not has_target else float(r["target"]),
            "target_text": (fmt_number(r["target"]) if has_target else
                            t("report_no_local_target", lang) if r["target_source"] == "none"
                            else target_words(r, catalog, lang)),
            "deadline": None if is_missing(r["deadline"]) else pd.Timestamp(r["deadline"]).date(),
            "actual": float(r["actual"]) if not is_missing(r["actual"]) else 0.0,
            "percent": None if is_missing(r["percent"]) else float(r["percent"]),
            "pace_percent": None if is_missing(r["pace_percent"]) or not has_target else float(r["pace_percent"]),
            "projected": None if is_missing(r["projected"]) else float(r["projected"]),
            "projected_percent": None if is_missing(r["projected_percent"]) else float(r["projected_percent"]),
            "required_rate": None if is_missing(r["required_rate"]) else float(r["required_rate"]),
            "status": r["status"], "status_label": status_label(r["status"], lang),
            "color": status_colour(r["status"]),
            "clause": "" if is_missing(r["clause_quote"]) else f"{r['clause_section']}:{r['clause_quote']}",
            "source": r["target_source"],
        })
    return pd.DataFrame(out)


TARGET_COLUMNS = [("name", "report_col_metric"), ("target_text", "report_col_target"),
                  ("deadline", "report_col_deadline"), ("actual", "report_col_actual"),
                  ("percent", "report_col_percent"), ("pace_percent", "report_col_pace"),
                  ("projected", "report_col_projected"), ("status_label", "report_col_status")]


def display_targets(content: ReportContent) -> tuple[list[str], list[list[str]]]:
    """The targets table as header texts and rows of texts (Word, PDF, HTML)."""
    head = [content.text(k) for _, k in TARGET_COLUMNS]
    body = []
    for _, r in content.targets.iterrows():
        target = f"{r['target_text']} {r['unit']}".strip() if not is_missing(r["target"]) else r["target_text"]
        body.append([r["name"], target, fmt_date(r["deadline"], content.lang),
                     f"{fmt_number(r['actual'])} {r['unit']}".strip(),
                     "" if is_missing(r["percent"]) else f"{fmt_number(r['percent'])}%",
                     "" if is_missing(r["pace_percent"]) else f"{fmt_number(r['pace_percent'])}%",
                     fmt_number(r["projected"]), r["status_label"]])
    return head, body


def sources_table(data: Dataset) -> pd.DataFrame:
    """The submissions the report counts: label, region, as-of, upload time, SHA-256."""
    cols = ["label", "province", "as_of", "uploaded_at", "sha256"]
    rows = [{c: ("" if s.get(c) is None else str(s.get(c))) for c in cols} for s in data.sources]
    return pd.DataFrame(rows, columns=cols)


def problems_table(data: Dataset, lang: str) -> pd.DataFrame:
    """Validation problems still open in the sources."""
    rows = [{"sheet": p.sheet or "", "row": "" if p.row is None else str(p.row), "column": p.column or "",
             "code": p.code, "severity": p.severity,
             "message": (p.message_en or p.message) if lang == "en" else p.message,
             "value": "" if p.value is None else str(p.value)} for p in data.problems]
    return pd.DataFrame(rows, columns=["sheet", "row", "column", "code", "severity", "message", "value"])


def level_tables(progress: Any, catalog: Catalog, scope_type: str, scope: str,
                 lang: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Goals and tasks with the count of regions at each level, and each region's level and evidence.

    For a province the counts are its own (one region); the engine's evidence frames give the levels.
    """
    from ..chart_rows import level_counts

    level_ids = [lv.id for lv in catalog.levels]
    evidence_frames = {"goals": getattr(progress, "goal_evidence", pd.DataFrame()),
                       "tasks": getattr(progress, "task_evidence", pd.DataFrame())}

    def item_name(kind: str, i: Any) -> str:
        return (catalog.label("metric", str(i), lang) if kind == "goals"
                else f"{int(i)}. {catalog.label('task', str(int(i)), lang)}")

    def table(kind: str) -> pd.DataFrame:
        key = "goal" if kind == "goals" else "task"
        if scope_type == "national":
            counts = level_counts(progress, kind)
        else:
            ev = evidence_frames[kind]
            ev = ev[ev["province"] == scope] if len(ev) else ev
            counts = (ev.assign(count=1).rename(columns={key: "item"})[["item", "level", "count"]] if len(ev)
                      else pd.DataFrame(columns=["item", "level", "count"]))
        items = ([m.id for m in catalog.qualitative_metrics] if kind == "goals" else [x.number for x in catalog.tasks])
        out = []
        for i in items:
            sub = counts[counts["item"].astype(str) == str(i)].groupby("level")["count"].sum()
            rec: dict[str, Any] = {"id": str(i), "name": item_name(kind, i)}
            if kind == "goals":
                rec["deadline"] = catalog.metric(i).targets[0].deadline
            for lv in level_ids:
                rec[lv] = int(sub.get(lv, 0) or 0)
            out.append(rec)
        return pd.DataFrame(out)

    frames = []
    for kind, ev in evidence_frames.items():
        if ev is None or len(ev) == 0:
            continue
        key = "goal" if kind == "goals" else "task"
        sel = ev if scope_type == "national" else ev[ev["province"] == scope]
        frames.append(pd.DataFrame({
            "kind": t(f"report_{kind}", lang),
            "province": [catalog.label("province", p, lang) for p in sel["province"]],
            "item": [item_name(kind, g) for g in sel[key]],
            "level": [catalog.label("level", str(lv), lang) if not is_missing(lv) else "" for lv in sel["level"]],
            "evidence": ["" if is_missing(e) else str(e) for e in sel["evidence"]],
        }))
    assessments = (pd.concat(frames, ignore_index=True) if frames else
                   pd.DataFrame(columns=["kind", "province", "item", "level", "evidence"]))
    return table("goals"), table("tasks"), assessments


ITEM_FIELDS = ["name", "code", "province", "direction", "flagship", "date", "evidence", "source", "row"]


def _date_text(dates: pd.Series, precision: pd.Series) -> list[str]:
    """Completion dates as written: 2025-03-01, 2025-03 (month precision) or 2025 (year precision)."""
    return [fmt_iso_date(d, str(p)) for d, p in zip(dates, precision.astype(object).fillna("day"))]


def items_table(items: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Counted items with labels in the report's language, sorted by region then date."""
    cols = [c for c in ITEM_FIELDS if c in items.columns]
    df = items[cols].copy()
    if "date" in df:
        df = df.sort_values("date", na_position="last", kind="stable")
        precision = items.loc[df.index, "date_precision"] if "date_precision" in items else pd.Series("day", df.index)
        df["date"] = _date_text(df["date"], precision)
    if "province" in df:
        labels = {p: catalog.label("province", p, lang) for p in df["province"].dropna().unique()}
        df["province"] = df["province"].astype(object).map(labels).astype(object).fillna("")
        df = df.sort_values("province", kind="stable")
    for dim in ("direction", "flagship"):
        if dim in df:
            labels = {v: catalog.label(dim, v, lang) for v in df[dim].dropna().unique() if v}
            df[dim] = df[dim].astype(object).map(labels).astype(object).fillna("")
    return df.reset_index(drop=True)


def metric_subsets(data: Dataset) -> dict[str, Dataset]:
    """The Dataset split by metric, so each list of counted items scans only its own rows."""
    items = {m: df.reset_index(drop=True) for m, df in data.items.groupby("metric", sort=False)}
    totals = {m: df.reset_index(drop=True) for m, df in data.totals.groupby("metric", sort=False)}
    return {m: Dataset(items=items.get(m, data.items.iloc[:0]), totals=totals.get(m, data.totals.iloc[:0]),
                       targets=data.targets, sources=data.sources)
            for m in set(items) | set(totals)}


def shared_table(progress: Any, catalog: Catalog, scope_type: str, scope: str, lang: str) -> pd.DataFrame:
    """Items reported by two or more regions (for a province: those it shares)."""
    df = getattr(progress, "shared_items", None)
    if df is None or len(df) == 0:
        return pd.DataFrame()
    df = df.copy()
    if scope_type == "province" and "provinces" in df.columns:
        df = df[[scope in str(p) for p in df["provinces"]]]
    if "metric" in df.columns:
        df["metric"] = [catalog.label("metric", m, lang) for m in df["metric"]]
    return df.reset_index(drop=True)


# ---- the builder ----------------------------------------------------------------------------
def build_report(progress: Any, data: Dataset, catalog: Catalog | None = None, *, scope: str = "national",
                 lang: str = "zh", generated: dt.datetime | None = None, findings: dict[str, str] | None = None,
                 style: str = "official", coverage_rows: list[Any] | None = None,
                 unreviewed: bool = False, rnd: Any = None, since: dt.date | None = None) -> ReportContent:
    """The report of one scope ("national" or a canonical province name) in one language.

    ``findings`` are the officer's texts (keys of ``leader.FINDING_KEYS``); a missing or blank one
    is prefilled with generated sentences. ``rnd`` is the reporting round the report covers and
    ``coverage_rows`` its ``rounds.coverage`` (``leader.report_coverage``); without them page one
    says no round is defined; ``since`` is the previous round's as-of date ("what changed since", by default
    the end of the previous quarter). ``unreviewed``: the figures include submissions no reviewer approved
    (``rounds.includes_unreviewed``); the report then says 含未审核数据 under its title and on every chart.
    """
    from . import leader
    from .style import report_style

    report_style(style)  # refuse an unknown style before any work

    catalog = catalog or load_catalog()
    scope_type = "national" if scope == "national" else "province"
    as_of = as_of_of(progress)
    rows = scope_rows(progress, scope_type, scope)
    s_label = t("scope_national", lang) if scope_type == "national" else catalog.label("province", scope, lang)
    targets = targets_table(rows, catalog, lang)
    goals, tasks, assessments = level_tables(progress, catalog, scope_type, scope, lang)
    charts = chart_specs(targets, goals, tasks, catalog, scope_type, scope, lang, unreviewed)
    since = since or leader.previous_round_date(as_of)
    items, item_titles, new_counts = item_lists(data, targets, catalog, scope_type, scope, as_of, since, lang)

    summary = summary_paragraphs(rows, catalog, scope_type, scope, as_of, lang)
    sources = sources_table(data)
    first = leader.page_one(rows=rows, progress=progress, catalog=catalog, scope_type=scope_type, scope=scope,
                            as_of=as_of, headlines=summary, new_counts=new_counts, lang=lang,
                            coverage_rows=coverage_rows, rnd=rnd, since=since)
    drafts = leader.prefilled_findings(rows, len(data.sources), as_of, catalog, lang)
    given = {k: str(v).strip() for k, v in (findings or {}).items() if k in leader.FINDING_KEYS and str(v or "").strip()}
    return ReportContent(
        lang=lang, scope_type=scope_type, scope=scope, scope_label=s_label,
        title=t("report_title", lang, scope=s_label), policy=policy_line(catalog, lang),
        as_of=as_of, generated=generated or dt.datetime.now(tracker_timezone()).replace(microsecond=0),  # Beijing time
        sources=sources, summary=summary,
        targets=targets, charts=charts, goals=goals, tasks=tasks, assessments=assessments,
        items=items, item_titles=item_titles, shared_items=shared_table(progress, catalog, scope_type, scope, lang),
        problems=problems_table(data, lang), progress=progress, catalog=catalog, page_one=first,
        findings={k: given.get(k, drafts[k]) for k in leader.FINDING_KEYS},
        provenance=leader.provenance_sentences(sources, catalog, lang), style=style, unreviewed=unreviewed)


def policy_line(catalog: Catalog, lang: str) -> str:
    """The policy a report rests on, with its number: 《…》(国办发〔…〕号) / Title (No. …)."""
    if lang == "zh":
        return f"{catalog.policy.title_zh}({catalog.policy.number})"
    return f"{catalog.policy.title_en} ({catalog.policy.number})"


def chart_specs(targets: pd.DataFrame, goals: pd.DataFrame, tasks: pd.DataFrame, catalog: Catalog,
                scope_type: str, scope: str, lang: str, unreviewed: bool) -> list[ChartSpec]:
    """The report's charts in reading order: the overview, a trend per target, then (national reports)
    the heat map, the ranking of the lead target and the level distributions of goals and tasks."""
    charts = [ChartSpec("overview_bullets", {"scope_type": scope_type, "scope": scope},
                        t("report_chart_overview", lang))]
    for _, r in targets.iterrows():
        # A trend is drawn for every numeric target and for any figure with something counted.
        if is_missing(r["target"]) and not r["actual"]:
            continue
        charts.append(ChartSpec("trajectory_chart", {"metric": r["metric"], "scope_type": scope_type, "scope": scope,
                                                     "deadline": r["deadline"]}, r["name"]))
    if scope_type == "national":
        charts.append(ChartSpec("heatmap", {"value": "contribution_percent"}, t("report_chart_heatmap", lang)))
        lead = next((m for m in targets["metric"] if not targets.empty), None) if len(targets) else None
        numeric = targets[targets["target"].notna()] if len(targets) else targets
        lead = numeric["metric"].iloc[0] if len(numeric) else lead
        if lead:
            charts.append(ChartSpec("ranking_chart", {"metric": lead}, t("report_chart_ranking", lang)))
    # The level distributions are across regions: a national view (a province's own levels are in the table).
    if scope_type == "national" and goals[[lv.id for lv in catalog.levels]].to_numpy().sum() > 0:
        charts.append(ChartSpec("levels_chart", {"kind": "goals"}, t("report_chart_goals", lang)))
    if scope_type == "national" and len(tasks) and tasks[[lv.id for lv in catalog.levels]].to_numpy().sum() > 0:
        charts.append(ChartSpec("levels_chart", {"kind": "tasks"}, t("report_chart_tasks", lang)))
    # 含未审核数据 on every chart's caption when the figures include unreviewed submissions.
    return [ChartSpec(c.kind, c.kwargs, unreviewed_mark(c.title, unreviewed, lang)) for c in charts]


def item_lists(data: Dataset, targets: pd.DataFrame, catalog: Catalog, scope_type: str, scope: str,
               as_of: dt.date | None, since: dt.date | None, lang: str
               ) -> tuple[dict[str, pd.DataFrame], dict[str, str], dict[str, int]]:
    """Per metric of the targets: the counted items as a table, its title, and how many are new since
    ``since`` (what page one says changed)."""
    from ..progress import counted_items
    from . import leader

    items: dict[str, pd.DataFrame] = {}
    item_titles: dict[str, str] = {}
    new_counts: dict[str, int] = {}
    subsets = metric_subsets(data)
    for _, r in (targets.drop_duplicates("metric").iterrows() if len(targets) else []):
        sub = subsets.get(r["metric"])
        found = counted_items(sub, catalog, scope_type, scope, r["metric"], as_of) if sub is not None else pd.DataFrame()
        if len(found):
            # The rows that make up the figure: register items counted once (totals-only regions have no list).
            found = found[found["counted"].astype(bool) & (found["origin"] == "item")]
            new_counts[r["metric"]] = leader.new_since(found, since)
        items[r["metric"]] = items_table(found, catalog, lang) if len(found) else pd.DataFrame(columns=ITEM_FIELDS)
        item_titles[r["metric"]] = r["name"]
    return items, item_titles, new_counts


# ---- the document view shared by Word, PDF and HTML ---------------------------------------------
@dataclass
class TextTable:
    """A table as text: a caption, header texts, rows of texts, and how many rows were left out."""

    caption: str
    head: list[str]
    body: list[list[str]]
    more: int = 0
    colors: list[str | None] = field(default_factory=list)  # status colour of each row (targets table)


def _cell(v: Any) -> str:
    if is_missing(v):
        return ""
    if isinstance(v, (dt.date, pd.Timestamp)):
        return pd.Timestamp(v).date().isoformat()
    if isinstance(v, float):
        return fmt_number(v)
    return str(v)


def frame_table(content: ReportContent, caption: str, df: pd.DataFrame, columns: list[str],
                limit: int | None = None) -> TextTable:
    """Some columns of a frame as a text table with translated headers, at most ``limit`` rows."""
    cols = [c for c in columns if c in df.columns]
    shown = df if limit is None else df.head(limit)
    body = [[_cell(v) for v in rec] for rec in shown[cols].itertuples(index=False, name=None)]
    return TextTable(caption, [content.text(f"report_col_{c}") for c in cols], body, more=len(df) - len(shown))


def document_tables(content: ReportContent, limit: int | None = APPENDIX_LIMIT) -> dict[str, Any]:
    """Every table of the document (Word, PDF, HTML), the item lists cut to ``limit`` rows per metric."""
    head, body = display_targets(content)
    targets = TextTable(content.text("report_section_targets"), head, body,
                        colors=list(content.targets["color"]) if len(content.targets) else [])
    level_ids = [lv.id for lv in content.catalog.levels]
    level_head = [content.catalog.label("level", lv, content.lang) for lv in level_ids]

    def levels(df: pd.DataFrame, key: str) -> TextTable:
        body = [[r["name"], *[str(int(r[lv])) for lv in level_ids]] for _, r in df.iterrows()]
        return TextTable(content.text(key), [content.text("report_col_item"), *level_head], body)

    items = {m: frame_table(content, content.item_titles[m], df,
                            ["name", "province", "direction", "date", "evidence"], limit)
             for m, df in content.items.items()}
    shared = frame_table(content, content.text("report_section_shared"), content.shared_items,
                         ["metric", "name", "code", "provinces"], limit)
    problems = frame_table(content, content.text("report_section_problems"), content.problems,
                           ["sheet", "row", "column", "message", "value"], limit)
    sources = frame_table(content, content.text("report_section_sources"), content.sources,
                          ["label", "province", "as_of", "uploaded_at", "sha256"])
    assessments = frame_table(content, content.text("report_section_assessments"), content.assessments,
                              ["province", "item", "level", "evidence"], limit)
    return {"targets": targets, "goals": levels(content.goals, "report_goals"),
            "tasks": levels(content.tasks, "report_tasks"), "assessments": assessments, "items": items,
            "shared": shared, "problems": problems, "sources": sources}


def meta_lines(content: ReportContent) -> list[tuple[str, str]]:
    """The label/value lines under the title."""
    return [(content.text("report_label_scope"), content.scope_label),
            (content.text("report_label_policy"), content.policy),
            (content.text("report_label_as_of"), fmt_date(content.as_of, content.lang)),
            (content.text("report_label_generated"), content.generated.strftime("%Y-%m-%d %H:%M")),
            *([(content.text("calendar2_report_label_review"), unreviewed_mark("", True, content.lang))]
              if content.unreviewed else [])]
