"""The overview's target cards: one card per target (metric × deadline) of a scope's progress rows,
split into the targets still ahead and one final section per passed deadline year."""
from __future__ import annotations

from typing import Any

import pandas as pd

from metrics.presentation import (deadline_sentence, finite_number, fmt_iso_date, is_missing, metric_name,
                                 target_figure)


def target_cards(rows: pd.DataFrame, lang: str = "zh", catalog: Any = None) -> list[dict[str, Any]]:
    """One card per target (metric × deadline) of the progress rows of one scope, in their order.

    Units and a target written as words (一批) come from the catalog in ``lang`` where it knows them.
    """
    cards = []
    for r in rows.to_dict("records"):
        m = catalog.metric_by_id.get(r["metric"]) if catalog is not None else None
        unit = m.unit_label(lang) if m is not None else (r.get("unit") or "")
        text = r.get("target_text") or ""
        deadline = r.get("deadline")
        if m is not None and lang == "en" and r.get("target_source") == "national" and not is_missing(deadline):
            spec = catalog.national_target(r["metric"], pd.Timestamp(deadline).date())
            text = (spec.text_en or text) if spec is not None else text
        number = finite_number(r.get("target"))
        cards.append({
            "metric": r["metric"],
            "kind": r.get("kind") or "count",
            "name": metric_name(r, lang),
            "unit": unit,
            "deadline": fmt_iso_date(r.get("deadline")),
            "actual": finite_number(r.get("actual")),
            "target": finite_number(r.get("target")),
            "target_text": "" if pd.isna(text) else str(text),
            # A target with no number (一批) has no percent to show, whatever a column holds.
            "percent": finite_number(r.get("percent")) if number is not None else None,
            "no_number": number is None and bool(r.get("deadline")) and not pd.isna(r.get("deadline")),
            "pace_percent": finite_number(r.get("pace_percent")),
            "gap_items": finite_number(r.get("gap_items")),
            "required_rate": finite_number(r.get("required_rate")),
            "projected": finite_number(r.get("projected")),
            "status": r.get("status") or "no_target",
            "target_source": r.get("target_source") or "none",
            "clause_section": r.get("clause_section") or "",
            "clause_quote": r.get("clause_quote") or "",
            # Issue 13: a passed deadline shows as it ended, in the one deadline wording.
            "passed": bool(r.get("passed")),
            "after_deadline": finite_number(r.get("after_deadline")),
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
