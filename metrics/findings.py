"""The officer's findings of a report, kept with the round, the scope and the language.

``save_findings`` writes (or overwrites) the four texts of one round and scope; ``load_findings``
returns those of the round, or else the latest saved for the scope (reused next time), so the
report page can prefill what the officer wrote before. Texts are stored as typed; every renderer
writes them as text.

The round is the reporting round's name (``rounds.Round.name``, e.g. 2025年第四季度; see
``report.leader.round_key``). Rows saved before rounds existed are keyed by the report's as-of date
in ISO form (2025-12-31): ``findings_key`` gives the keys to look under, the round's name first and
then its as-of date, so those rows are still read as the round's own (no column or migration is
needed: the key column holds either).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from .report.leader import FINDING_KEYS
from .schema import report_findings
from .store import Store

MAX_CHARS = 20_000  # per text: a page of findings is ~1,000 characters; more is a paste gone wrong


@dataclass
class SavedFindings:
    round: str
    scope: str
    lang: str
    texts: dict[str, str]
    updated_at: dt.datetime
    updated_by: str
    same_round: bool = True  # False when reused from an earlier round


def clean(texts: dict[str, str]) -> dict[str, str]:
    """The four texts, stripped and cut to ``MAX_CHARS``; unknown keys refused."""
    unknown = set(texts) - set(FINDING_KEYS)
    if unknown:
        raise ValueError(f"unknown findings {', '.join(sorted(unknown))}; expected {', '.join(FINDING_KEYS)}")
    return {k: str(texts.get(k) or "").strip()[:MAX_CHARS] for k in FINDING_KEYS}


def save_findings(store: Store, round_name: str, scope: str, lang: str, texts: dict[str, str], *,
                  by: str = "", now: dt.datetime | None = None) -> SavedFindings:
    """Store the findings of a round and scope (overwriting an earlier save of the same)."""
    values = clean(texts)
    at = now or dt.datetime.now(dt.timezone.utc)
    key = (report_findings.c.round == round_name) & (report_findings.c.scope == scope) & \
        (report_findings.c.lang == lang)
    with store.engine.connect().execution_options(write=True) as conn:
        with conn.begin():
            updated = conn.execute(report_findings.update().where(key).values(**values, updated_at=at, updated_by=by))
            if not updated.rowcount:
                conn.execute(report_findings.insert().values(round=round_name, scope=scope, lang=lang, **values,
                                                             updated_at=at, updated_by=by))
    return SavedFindings(round_name, scope, lang, values, at, by)


def findings_keys(rnd: object | None, as_of: dt.date | None) -> list[str]:
    """The keys a report's findings are found under: the round's name, then (rows from before rounds)
    the round's as-of date and the report's own as-of date in ISO form; without a round, the date only."""
    keys = [str(rnd.name)] if rnd is not None else []  # type: ignore[attr-defined]
    for d in (getattr(rnd, "as_of", None), as_of):
        if d is not None and d.isoformat() not in keys:
            keys.append(d.isoformat())
    return keys or ["none"]


def load_findings(store: Store, round_name: str | list[str], scope: str, lang: str) -> SavedFindings | None:
    """The findings of the round and scope, else the latest saved for the scope, else None.

    ``round_name`` may be a list of keys (``findings_keys``): the first one saved wins, and counts as
    the same round (an older row keyed by the round's as-of date is that round's)."""
    c = report_findings.c
    keys = [round_name] if isinstance(round_name, str) else list(round_name)
    with store.engine.connect() as conn:
        found = {r["round"]: r for r in conn.execute(sa.select(report_findings).where(
            c.round.in_(keys) & (c.scope == scope) & (c.lang == lang))).mappings()}
        row = next((found[k] for k in keys if k in found), None)
        same = row is not None
        if row is None:
            row = conn.execute(sa.select(report_findings).where((c.scope == scope) & (c.lang == lang))
                               .order_by(c.updated_at.desc(), c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return None
    return SavedFindings(row["round"], row["scope"], row["lang"], {k: row[k] for k in FINDING_KEYS},
                         row["updated_at"], row["updated_by"], same_round=same)
