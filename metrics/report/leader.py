"""Page one of a report (what a leader reads in a minute), the officer's findings prefilled, provenance in words.

Every function returns worded text in one language; the renderers lay it out. Coverage is derived
from the submissions the report counts (``coverage``) until reporting rounds exist: it is the one
place to swap for ``metrics.rounds.coverage``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..presentation import tracker_timezone  # times in TRACKER_TIMEZONE (Beijing by default)
from ..catalog import Catalog
from ..charts import fmt_date, fmt_number, is_missing, status_label, unit_label
from ..i18n import t

FINDING_KEYS = ("progress", "problems", "next_steps", "notes")
BEHIND = ("off_track", "at_risk", "missed")
TOP_N = 3
# The findings written as their own chapters (报送说明 goes to the appendix), with their headings.
FINDING_HEADINGS = [("progress", "rl_h_progress"), ("problems", "rl_h_problems"), ("next_steps", "rl_h_next")]


def paragraphs(text: str) -> list[str]:
    """An officer's text split at its line breaks (each line a paragraph)."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@dataclass
class CoverageRow:
    region: str
    state: str                 # submitted | not_submitted (rounds add overdue/returned/approved)
    submitted_at: str = ""


@dataclass
class PageOne:
    """The worded blocks of page one, each a heading and its paragraphs."""

    round_name: str
    blocks: list[tuple[str, list[str]]] = field(default_factory=list)


def round_name(as_of: dt.date | None, lang: str) -> str:
    """The round a report belongs to: until rounds exist, the data's as-of date."""
    return t("rl_round_as_of", lang, date=fmt_date(as_of, lang))


def previous_round_date(as_of: dt.date | None) -> dt.date | None:
    """The end of the quarter before ``as_of`` (the previous reporting round until rounds exist)."""
    if as_of is None:
        return None
    q_start = dt.date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    last = q_start - dt.timedelta(days=1)
    return last if last < as_of else None


def coverage(sources: list[dict[str, Any]], catalog: Catalog) -> list[CoverageRow]:
    """Each expected region (the 37 of regions.yaml) and whether a current submission counts for it."""
    seen: dict[str, str] = {}
    for s in sources:
        prov = s.get("province")
        if prov:
            seen[str(prov)] = max(seen.get(str(prov), ""), str(s.get("uploaded_at") or ""))
    return [CoverageRow(r.name, "submitted" if r.name in seen else "not_submitted", seen.get(r.name, ""))
            for r in catalog.regions]


def coverage_sentences(rows: list[CoverageRow], scope_type: str, scope: str, rnd: str,
                       catalog: Catalog, lang: str) -> list[str]:
    if scope_type != "national":
        row = next((r for r in rows if r.region == scope), None)
        state = "rl_state_reported" if row and row.state != "not_submitted" else "rl_state_not_reported"
        return [t("rl_coverage_province", lang, round=rnd, region=catalog.label("province", scope, lang),
                  state=t(state, lang))]
    missing = [catalog.label("province", r.region, lang) for r in rows if r.state == "not_submitted"]
    out = [t("rl_coverage", lang, round=rnd, expected=len(rows), reported=len(rows) - len(missing))]
    out.append(t("rl_coverage_missing", lang, regions=t("report_list_sep", lang).join(missing)) if missing
               else t("rl_coverage_all", lang))
    return out


def _name(row: Any, lang: str) -> str:
    return str(row["name_en"] if lang == "en" and not is_missing(row["name_en"]) else row["name_zh"])


def behind_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The targets missed at a passed deadline (lowest share first), then those behind their pace (furthest first)."""
    if rows.empty:
        return rows
    missed = rows[rows["status"] == "missed"]
    missed = missed.assign(_k=missed["actual_at_deadline"].astype(float) / missed["target"].astype(float)) \
        .sort_values("_k", kind="stable").drop(columns="_k") if len(missed) else missed
    late = rows[rows["status"].isin([s for s in BEHIND if s != "missed"]) & rows["gap_pp"].notna()]
    return pd.concat([missed, late.sort_values("gap_pp", kind="stable")])


def behind_sentence(r: Any, catalog: Catalog, lang: str) -> str:
    """One target behind: a passed deadline as it ended (at the deadline, then what came after), else the gap to pace.

    Until the shared presentation layer words deadlines, this is the one place that does it for reports.
    """
    unit = unit_label(catalog, r["metric"], r["unit"], lang)
    if r["status"] == "missed" and not is_missing(r["actual_at_deadline"]):
        at = float(r["actual_at_deadline"])
        since = max(0.0, float(r["actual"]) - at) if not is_missing(r["actual"]) else 0.0
        key = "rl_missed_target_since" if since else "rl_missed_target"
        return t(key, lang, metric=_name(r, lang), deadline=fmt_date(r["deadline"], lang), at=fmt_number(at),
                 target=fmt_number(r["target"]), unit=unit, status=status_label(r["status"], lang),
                 since=fmt_number(since))
    return t("rl_behind_target", lang, metric=_name(r, lang), percent=fmt_number(r["percent"]),
             gap=fmt_number(abs(float(r["gap_pp"]))), status=status_label(r["status"], lang))


def behind_sentences(rows: pd.DataFrame, progress: Any, scope_type: str, catalog: Catalog, lang: str) -> list[str]:
    """The targets furthest behind, and (nationally) the regions contributing least to the furthest one."""
    sel = behind_rows(rows).head(TOP_N)
    out = [behind_sentence(r, catalog, lang) for _, r in sel.iterrows()] or [t("rl_behind_none", lang)]
    if scope_type == "national" and len(sel):
        metric = sel["metric"].iloc[0]
        regions = progress.rows[(progress.rows["scope_type"] == "province") & (progress.rows["metric"] == metric)]
        regions = regions.sort_values("contribution_percent", kind="stable", na_position="first").head(5)
        if len(regions):
            names = [t("rl_region_share", lang, region=catalog.label("province", r["scope"], lang),
                       share=fmt_number(0 if is_missing(r["contribution_percent"]) else r["contribution_percent"]))
                     for _, r in regions.iterrows()]
            out.append(t("rl_behind_regions", lang, metric=_name(sel.iloc[0], lang),
                         regions=t("report_list_sep", lang).join(names)))
    return out


def change_sentences(new_counts: dict[str, int], rows: pd.DataFrame, since: dt.date | None,
                     catalog: Catalog, lang: str) -> list[str]:
    """What was added since the previous round, per target (counted items dated after ``since``)."""
    if since is None:
        return []
    out = []
    for _, r in rows.drop_duplicates("metric").iterrows():
        n = int(new_counts.get(r["metric"], 0))
        if n:
            out.append(t("rl_change", lang, metric=_name(r, lang), date=fmt_date(since, lang), n=fmt_number(n),
                         unit=unit_label(catalog, r["metric"], r["unit"], lang)))
    return out or [t("rl_change_none", lang, date=fmt_date(since, lang))]


def new_since(found: pd.DataFrame, since: dt.date | None) -> int:
    """How many counted items are dated after ``since``."""
    if since is None or found.empty or "date" not in found:
        return 0
    return int((pd.to_datetime(found["date"], errors="coerce") > pd.Timestamp(since)).sum())


def headline_sentences(rows: pd.DataFrame, summary: list[str], catalog: Catalog, lang: str) -> list[str]:
    """The overall count, one sentence per target with a number, and the targets without one in a single line.

    A leader does not need six near-identical "一批, no numeric target" sentences on page one; the
    details chapter keeps every sentence.
    """
    if rows.empty or len(summary) != len(rows) + 1:
        return summary
    def own_line(r: Any) -> bool:  # a number to compare with, or something achieved (a province's share)
        return not is_missing(r["target"]) or (not is_missing(r["actual"]) and float(r["actual"]) > 0)

    # A passed deadline is reported as it ended (the summary sentence counts everything to date).
    numeric = [behind_sentence(r, catalog, lang) if r["status"] == "missed" else s
               for s, (_, r) in zip(summary[1:], rows.iterrows()) if own_line(r)]
    others = [r for _, r in rows.iterrows() if not own_line(r)]
    out = [summary[0], *numeric]
    if others:
        items = t("report_list_sep", lang).join(
            t("rl_headline_item", lang, metric=_name(r, lang), actual=fmt_number(r["actual"]),
              unit=unit_label(catalog, r["metric"], r["unit"], lang)) for r in others)
        out.append(t("rl_headline_no_number", lang, items=items))
    return out


def page_one(*, rows: pd.DataFrame, progress: Any, sources: list[dict[str, Any]], catalog: Catalog,
             scope_type: str, scope: str, as_of: dt.date | None, headlines: list[str],
             new_counts: dict[str, int], lang: str, coverage_rows: list[CoverageRow] | None = None) -> PageOne:
    """Page one: coverage, each target's headline, furthest behind, changes since the previous round."""
    rnd = round_name(as_of, lang)
    cov = coverage_rows if coverage_rows is not None else coverage(sources, catalog)
    blocks = [(t("rl_h_coverage", lang), coverage_sentences(cov, scope_type, scope, rnd, catalog, lang)),
              (t("rl_h_headlines", lang), headline_sentences(rows, headlines, catalog, lang)),
              (t("rl_h_behind", lang), behind_sentences(rows, progress, scope_type, catalog, lang))]
    changes = change_sentences(new_counts, rows, previous_round_date(as_of), catalog, lang)
    if changes:
        blocks.append((t("rl_h_changes", lang), changes))
    return PageOne(rnd, blocks)


def prefilled_findings(rows: pd.DataFrame, n_sources: int, as_of: dt.date | None, catalog: Catalog,
                       lang: str) -> dict[str, str]:
    """Generated first drafts of 主要进展, 存在问题, 下一步工作 and 报送说明, for the officer to edit."""
    good = rows[rows["status"].isin(["met", "on_track"])] if len(rows) else rows
    progress = [t("rl_prefill_progress", lang, metric=_name(r, lang), actual=fmt_number(r["actual"]),
                  unit=unit_label(catalog, r["metric"], r["unit"], lang), percent=fmt_number(r["percent"]))
                for _, r in good.iterrows() if not is_missing(r["percent"])]
    behind = behind_rows(rows)
    problems = [behind_sentence(r, catalog, lang) for _, r in behind.iterrows()]
    names = t("report_list_sep", lang).join(_name(r, lang) for _, r in behind.head(TOP_N).iterrows())
    sep = "" if lang == "zh" else " "
    return {
        "progress": sep.join(progress) or t("rl_prefill_progress_none", lang),
        "problems": sep.join(problems) or t("rl_prefill_problems_none", lang),
        "next_steps": t("rl_prefill_next_steps", lang, metrics=names) if names else t("rl_prefill_next_steps_none", lang),
        "notes": t("rl_prefill_notes", lang, n=n_sources, date=fmt_date(as_of, lang)),
    }


def _when(text: str, lang: str) -> str:
    """An upload time as people write it: the date only, never seconds or microseconds."""
    ts = pd.to_datetime(text, errors="coerce")
    if pd.isna(ts):
        return text
    # Stored times are UTC; the date an officer saw is Beijing's (as in the Excel sources sheet).
    return fmt_date((ts.tz_convert(tracker_timezone()) if ts.tzinfo else ts).date(), lang)


def provenance_sentences(sources: pd.DataFrame, catalog: Catalog, lang: str) -> list[str]:
    """The data sources in words, for the appendix (no hashes, no internal ids)."""
    out = []
    for _, s in sources.iterrows():
        region = catalog.label("province", s["province"], lang) if s.get("province") else t("rl_source_unknown_region", lang)
        out.append(t("rl_source_sentence", lang, region=region, label=s["label"], uploaded=_when(s["uploaded_at"], lang),
                     as_of=_when(s["as_of"], lang)))
    return out


def round_key(as_of: dt.date | None) -> str:
    """The language-neutral key findings are stored under: until rounds exist, the as-of date (ISO)."""
    return as_of.isoformat() if as_of else "none"
