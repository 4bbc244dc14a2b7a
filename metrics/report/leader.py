"""Page one of a report (what a leader reads in a minute), the officer's findings prefilled, provenance in words.

Every function returns worded text in one language; the renderers lay it out. Coverage is the
reporting round's (``metrics.rounds.coverage``: a region that has not reported, overdue or not yet
due, is missing); ``report_round`` picks the round a report covers. Deadlines are worded by
``presentation.deadline_sentence`` only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..catalog import Catalog
from ..chart_rows import unit_label
from ..presentation import fmt_date, fmt_number, is_missing
from ..i18n import t
from ..presentation import deadline_sentence, metric_name, region_name, tracker_timezone

FINDING_KEYS = ("progress", "problems", "next_steps", "notes")
BEHIND = ("off_track", "at_risk", "missed")
TOP_N = 3
# The findings written as their own chapters (报送说明 goes to the appendix), with their headings.
FINDING_HEADINGS = [("progress", "rl_h_progress"), ("problems", "rl_h_problems"), ("next_steps", "rl_h_next")]


def paragraphs(text: str) -> list[str]:
    """An officer's text split at its line breaks (each line a paragraph)."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


MISSING_STATES = ("not_submitted", "overdue")  # a region that has not reported in the round


@dataclass
class PageOne:
    """The worded blocks of page one, each a heading and its paragraphs."""

    round_name: str
    blocks: list[tuple[str, list[str]]] = field(default_factory=list)


def round_name(as_of: dt.date | None, lang: str, rnd: Any = None) -> str:
    """The round a report belongs to: the reporting round's name, else (no round defined) its as-of date."""
    if rnd is not None:
        return str(rnd.name)
    return t("rl_round_as_of", lang, date=fmt_date(as_of, lang))


def report_round(store: Any, as_of: dt.date | None) -> Any:
    """The reporting round a report as of ``as_of`` covers: the round of that as-of date, else the latest
    round as of an earlier date (open ones first, as ``rounds.latest_round``), else None."""
    from .. import rounds

    found = rounds.list_rounds(store)
    if as_of is None:
        return rounds.latest_round(store)
    same = [r for r in found if r.as_of == as_of]
    if same:
        return next((r for r in same if not r.closed), same[0])
    earlier = [r for r in found if r.as_of <= as_of]
    return next((r for r in earlier if not r.closed), earlier[0] if earlier else None)


def report_coverage(store: Any, as_of: dt.date | None, now: dt.datetime | None = None) -> tuple[Any, list[Any] | None]:
    """The round a report covers and its coverage (``rounds.coverage``); (None, None) without a round."""
    from .. import rounds

    rnd = report_round(store, as_of)
    if rnd is None:
        return None, None
    return rnd, rounds.coverage(store, rnd.name, now or dt.datetime.now(dt.timezone.utc))


def previous_round_as_of(store: Any, rnd: Any) -> dt.date | None:
    """The as-of date of the reporting round before ``rnd`` (the latest defined round as of an earlier
    date), or None when ``rnd`` is None or is the first round."""
    from .. import rounds

    if rnd is None:
        return None
    earlier = [r.as_of for r in rounds.list_rounds(store) if r.as_of < rnd.as_of]
    return max(earlier) if earlier else None


def previous_round_date(as_of: dt.date | None) -> dt.date | None:
    """The end of the quarter before ``as_of`` (the previous reporting round's as-of date by default)."""
    if as_of is None:
        return None
    q_start = dt.date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    last = q_start - dt.timedelta(days=1)
    return last if last < as_of else None


def coverage_sentences(rows: list[Any] | None, scope_type: str, scope: str, rnd: str,
                       catalog: Catalog, lang: str) -> list[str]:
    """Who reported in the round (``rounds.CoverageRow`` list); without a round, a sentence saying so."""
    if rows is None:
        return [t("rl_coverage_no_round", lang, round=rnd)]
    if scope_type != "national":
        row = next((r for r in rows if r.region == scope), None)
        if row is None:
            return [t("rl_coverage_not_expected", lang, round=rnd, region=region_name(catalog, scope, lang))]
        state = "rl_state_not_reported" if row.state in MISSING_STATES else "rl_state_reported"
        return [t("rl_coverage_province", lang, round=rnd, region=region_name(catalog, scope, lang),
                  state=t(state, lang))]
    missing = [region_name(catalog, r.region, lang) for r in rows if r.state in MISSING_STATES]
    out = [t("rl_coverage", lang, round=rnd, expected=len(rows), reported=len(rows) - len(missing))]
    out.append(t("rl_coverage_missing", lang, regions=t("report_list_sep", lang).join(missing)) if missing
               else t("rl_coverage_all", lang))
    return out


def _name(row: Any, lang: str) -> str:
    return metric_name(row, lang)


def behind_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The targets missed at a passed deadline (lowest share first), then those behind their pace (furthest first)."""
    if rows.empty:
        return rows
    missed = rows[rows["status"] == "missed"]
    missed = missed.assign(_k=missed["actual_at_deadline"].astype(float) / missed["target"].astype(float)) \
        .sort_values("_k", kind="stable").drop(columns="_k") if len(missed) else missed
    late = rows[rows["status"].isin([s for s in BEHIND if s != "missed"]) & rows["gap_pp"].notna()]
    return pd.concat([missed, late.sort_values("gap_pp", kind="stable")])


def target_fact(r: Any, catalog: Catalog, lang: str) -> str:
    """A target's state against its deadline: the metric, then ``presentation.deadline_sentence`` (a
    passed deadline as it ended, a live one with its figure, status and projection). The one wording
    of that fact in every report (summary, page one, findings)."""
    unit = unit_label(catalog, r["metric"], r["unit"], lang)
    return t("rl_target_fact", lang, metric=_name(r, lang), sentence=deadline_sentence(r, lang, unit))


def behind_sentence(r: Any, catalog: Catalog, lang: str) -> str:
    """One target behind: its ``target_fact``, then the gap to the time-elapsed pace when a live one lags."""
    sentence = target_fact(r, catalog, lang)
    gap = r.get("gap_pp")
    if not bool(r.get("passed")) and not is_missing(gap) and float(gap) <= -0.05:
        sentence += t("rl_behind_pace", lang, gap=fmt_number(abs(float(gap))))
    return sentence


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


def page_one(*, rows: pd.DataFrame, progress: Any, catalog: Catalog, scope_type: str, scope: str,
             as_of: dt.date | None, headlines: list[str], new_counts: dict[str, int], lang: str,
             coverage_rows: list[Any] | None = None, rnd: Any = None, since: dt.date | None = None) -> PageOne:
    """Page one: the round's coverage (``rounds.coverage`` rows; None: no round defined), each target's
    headline, furthest behind, changes since the previous round."""
    name = round_name(as_of, lang, rnd)
    blocks = [(t("rl_h_coverage", lang), coverage_sentences(coverage_rows, scope_type, scope, name, catalog, lang)),
              # The summary (``content.summary_paragraphs``) already says each target with a number once
              # and folds the targets without one into a single line: page one repeats it as it is.
              (t("rl_h_headlines", lang), list(headlines)),
              (t("rl_h_behind", lang), behind_sentences(rows, progress, scope_type, catalog, lang))]
    # Since the previous defined round; without rounds, since the end of the previous quarter.
    since = since or previous_round_date(as_of)
    changes = change_sentences(new_counts, rows, since, catalog, lang)
    if changes:
        blocks.append((t("rl_h_changes", lang), changes))
    return PageOne(name, blocks)


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


def round_key(as_of: dt.date | None, rnd: Any = None) -> str:
    """The language-neutral key findings are stored under: the reporting round's name, else (no round
    defined, and rows saved before rounds existed) the as-of date in ISO form."""
    if rnd is not None:
        return str(rnd.name)
    return as_of.isoformat() if as_of else "none"
