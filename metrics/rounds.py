"""Reporting rounds, review of submissions and the completeness board (issue 13, points 3-4).

A round is a national call for figures as of one date (``2025年第四季度``: as of 2025-12-31, due
2026-01-15) from a list of expected regions (by default all 37 of ``regions.yaml``). A submission
belongs to the round the uploader picked (``submissions.round_name``) or else to the round whose
as-of date equals its own. Its review state is the latest decision in ``reviews``.

Coverage states, per expected region: ``approved`` / ``returned`` (latest review of the region's
newest submission in the round), ``submitted`` (no review yet), ``not_submitted`` before the due
date and ``overdue`` after it. The due date is a calendar day in Beijing time (TRACKER_TIMEZONE):
a file stored on the due day is on time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from .access import Principal, actor_name, check_can_manage, check_can_review
from .errors import TrackerError
from .schema import reviews, rounds, submissions

if TYPE_CHECKING:
    from .model import Dataset
    from .store import Store

STATES = ("not_submitted", "submitted", "overdue", "returned", "approved")
DECISIONS = ("approved", "returned")


@dataclass(frozen=True)
class Round:
    name: str
    as_of: dt.date
    due: dt.date
    regions: list[str]
    closed: bool = False
    created_at: str = ""
    created_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "as_of": self.as_of.isoformat(), "due": self.due.isoformat(),
                "regions": list(self.regions), "closed": self.closed, "created_at": self.created_at,
                "created_by": self.created_by}


@dataclass(frozen=True)
class CoverageRow:
    region: str
    state: str
    submission_id: int | None = None
    submitted_at: str | None = None
    submitted_by: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    comment: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def label(self, lang: str = "zh") -> str:
        """The state as people read it (未报送 / 已报送 / 逾期 / 已退回 / 已审核)."""
        from .i18n import t

        return t(f"rounds_state_{self.state}", lang)


class RoundError(TrackerError):
    """A refused round or review operation; ``code`` names the message in rounds.yaml."""


def _tz() -> ZoneInfo:
    """The one time zone setting (``metrics.presentation.tracker_timezone``; bad names fall back to Beijing)."""
    from .presentation import tracker_timezone

    return tracker_timezone()


def _local_day(now: dt.datetime) -> dt.date:
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)  # naive clocks in this code base are UTC
    return now.astimezone(_tz()).date()


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat()


def all_regions() -> list[str]:
    """Every region of regions.yaml, in its order (31 provinces, 5 计划单列市, 兵团)."""
    from .catalog import load_catalog

    return [r.name for r in load_catalog().regions]


def _round(row: Any) -> Round:
    return Round(name=row.name, as_of=row.as_of, due=row.due, regions=list(row.regions or []),
                 closed=bool(row.closed), created_at=_iso(row.created_at) or "", created_by=row.created_by or "")


def list_rounds(store: "Store") -> list[Round]:
    """Every round, newest as-of date first."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(rounds).order_by(rounds.c.as_of.desc(), rounds.c.name)).all()
    return [_round(r) for r in rows]


def latest_round(store: "Store") -> Round | None:
    """The round with the latest as-of date (open ones first), or None when none is defined."""
    found = list_rounds(store)
    open_ = [r for r in found if not r.closed]
    return (open_ or found or [None])[0]


def get_round(store: "Store", name: str) -> Round:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(rounds).where(rounds.c.name == name)).first()
    if row is None:
        raise RoundError("rounds_unknown", name=name)
    return _round(row)


def round_for(store: "Store", as_of: dt.date) -> Round | None:
    """The open round whose as-of date is ``as_of`` (the default round of an upload)."""
    return next((r for r in list_rounds(store) if r.as_of == as_of and not r.closed), None)


def add_round(store: "Store", name: str, as_of: dt.date, due: dt.date, regions: list[str] | None = None, *,
              user: Principal | None = None, actor: str = "") -> Round:
    """Define a round (admins only). Region names may be aliases; unknown ones are refused."""
    from .catalog import load_catalog

    check_can_manage(user, "rounds")
    name = (name or "").strip()
    if not name:
        raise RoundError("rounds_name_required")
    if due < as_of:
        raise RoundError("rounds_due_before_as_of", due=due.isoformat(), as_of=as_of.isoformat())
    catalog = load_catalog()
    expected: list[str] = []
    for text in regions or all_regions():
        canonical = catalog.resolve_province(text)
        if canonical is None:
            raise RoundError("rounds_unknown_region", region=text)
        if canonical not in expected:
            expected.append(canonical)
    who = actor_name(user, actor)
    with store._write("__rounds__") as conn:
        if conn.execute(sa.select(rounds.c.name).where(rounds.c.name == name)).first() is not None:
            raise RoundError("rounds_exists", name=name)
        conn.execute(rounds.insert().values(name=name, as_of=as_of, due=due, regions=expected, closed=False,
                                            created_at=dt.datetime.now(dt.timezone.utc), created_by=who))
        store._audit(conn, who, "round_add", None, None, None,
                     {"round": name, "as_of": as_of.isoformat(), "due": due.isoformat(), "regions": len(expected)})
    return get_round(store, name)


def close_round(store: "Store", name: str, *, user: Principal | None = None, actor: str = "",
                reopen: bool = False) -> Round:
    """Close (or reopen) a round: a closed round is no upload's default any more."""
    check_can_manage(user, "rounds")
    get_round(store, name)
    who = actor_name(user, actor)
    with store._write("__rounds__") as conn:
        conn.execute(rounds.update().where(rounds.c.name == name).values(closed=not reopen))
        store._audit(conn, who, "round_reopen" if reopen else "round_close", None, None, None, {"round": name})
    return get_round(store, name)


def assign_round(store: "Store", submission_id: int, round_name: str | None, *,
                 user: Principal | None = None, actor: str = "") -> None:
    """File a stored submission under the round the uploader picked (None: by its as-of date)."""
    from .access import check_can_write

    if round_name is not None:
        get_round(store, round_name)
    province = store._province_of(submission_id)
    check_can_write(user, [province], "upload")
    who = actor_name(user, actor)
    with store._write(province) as conn:
        conn.execute(submissions.update().where(submissions.c.id == submission_id).values(round_name=round_name))
        store._audit(conn, who, "round_assign", submission_id, province, None, {"round": round_name})


def parse_row_comment(text: str) -> dict[str, Any]:
    """``SHEET:ROW=TEXT`` (the CLI's --row) as ``{"sheet", "row", "text"}``; RoundError when malformed."""
    where, sep, comment = (text or "").partition("=")
    sheet, sep2, row = where.rpartition(":")
    if not sep or not sep2 or not sheet.strip() or not row.strip().isdigit() or not comment.strip():
        raise RoundError("rounds_bad_row_comment", value=text)
    return {"sheet": sheet.strip(), "row": int(row), "text": comment.strip()}


def review(store: "Store", submission_id: int, decision: str, comment: str = "",
           rows: list[dict[str, Any]] | None = None, *, user: Principal | None = None, actor: str = "",
           now: dt.datetime | None = None) -> dict[str, Any]:
    """Approve or return a submission (reviewers and admins). Returning needs a comment: the province
    must learn what to correct."""
    check_can_review(user)
    if decision not in DECISIONS:
        raise RoundError("rounds_bad_decision", decision=decision)
    comment = (comment or "").strip()
    if decision == "returned" and not comment and not rows:
        raise RoundError("rounds_return_needs_comment")
    province = store._province_of(submission_id)
    who = actor_name(user, actor)
    at = now or dt.datetime.now(dt.timezone.utc)
    with store._write(province) as conn:
        conn.execute(reviews.insert().values(submission_id=submission_id, decision=decision, reviewer=who, at=at,
                                             comment=comment, rows=list(rows or [])))
        store._audit(conn, who, f"review_{decision}", submission_id, province, None,
                     {"comment": comment, "rows": list(rows or [])})
    return {"submission_id": submission_id, "province": province, "decision": decision, "reviewer": who,
            "at": _iso(at), "comment": comment, "rows": list(rows or [])}


def reviews_by_submission(store: "Store", ids: list[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Submission id -> its reviews, oldest first (all submissions when ``ids`` is None)."""
    q = sa.select(reviews).order_by(reviews.c.at, reviews.c.id)
    if ids is not None:
        if not ids:
            return {}
        q = q.where(reviews.c.submission_id.in_(ids))
    out: dict[int, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            out.setdefault(r.submission_id, []).append(
                {"decision": r.decision, "reviewer": r.reviewer, "at": _iso(r.at), "comment": r.comment,
                 "rows": list(r.rows or [])})
    return out


def returned_notices(store: "Store", province: str | None) -> list[dict[str, Any]]:
    """The returned submissions of ``province`` whose return is their latest review and that no later
    upload of the same round replaced: what the province's editors must correct."""
    if not province:
        return []
    with store.engine.connect() as conn:
        subs = conn.execute(sa.select(submissions).where(submissions.c.province == province,
                                                         submissions.c.state != "deleted")
                            .order_by(submissions.c.uploaded_at, submissions.c.id)).all()
    found = list_rounds(store)
    latest_per_key: dict[Any, Any] = {}
    for s in subs:
        latest_per_key[_round_of(s, found) or ("as_of", s.as_of)] = s
    by_id = reviews_by_submission(store, [s.id for s in latest_per_key.values()])
    out = []
    for key, s in latest_per_key.items():
        last = (by_id.get(s.id) or [None])[-1]
        if last and last["decision"] == "returned":
            out.append({"submission_id": s.id, "filename": s.filename, "as_of": s.as_of.isoformat(),
                        "round": key if isinstance(key, str) else None, **last})
    return out


def _round_of(sub: Any, found: list[Round]) -> str | None:
    """The round a submission row belongs to: the one picked, else the one of its as-of date."""
    if getattr(sub, "round_name", None):
        return sub.round_name
    return next((r.name for r in found if r.as_of == sub.as_of), None)


def coverage(store: "Store", round_name: str, now: dt.datetime) -> list[CoverageRow]:
    """Every expected region of the round with its state, newest submission and its latest review."""
    rnd = get_round(store, round_name)
    found = list_rounds(store)
    with store.engine.connect() as conn:
        subs = conn.execute(sa.select(submissions).where(submissions.c.state != "deleted",
                                                         submissions.c.province.in_(rnd.regions))
                            .order_by(submissions.c.uploaded_at, submissions.c.id)).all()
    newest: dict[str, Any] = {}
    for s in subs:
        if _round_of(s, found) == rnd.name:
            newest[s.province] = s  # later uploads win: a corrected file replaces the returned one
    by_id = reviews_by_submission(store, [s.id for s in newest.values()])
    late = _local_day(now) > rnd.due
    out = []
    for region in rnd.regions:
        s = newest.get(region)
        if s is None:
            out.append(CoverageRow(region=region, state="overdue" if late else "not_submitted"))
            continue
        last = (by_id.get(s.id) or [None])[-1]
        state = last["decision"] if last else "submitted"
        out.append(CoverageRow(region=region, state=state, submission_id=s.id, submitted_at=_iso(s.uploaded_at),
                               submitted_by=s.uploader or None, reviewed_by=last["reviewer"] if last else None,
                               reviewed_at=last["at"] if last else None, comment=last["comment"] if last else None,
                               rows=last["rows"] if last else []))
    return out


def coverage_counts(rows: list[CoverageRow]) -> dict[str, int]:
    """How many regions are in each state (every state listed, zero included)."""
    return {s: sum(1 for r in rows if r.state == s) for s in STATES}


def missing_frame(rows: list[CoverageRow], lang: str = "zh"):  # noqa: ANN201 - pandas imported lazily
    """The regions that have not reported (not submitted or overdue) with translated headers."""
    import pandas as pd

    from .i18n import t

    missing = [{"region": r.region, "state": r.label(lang)} for r in rows if r.state in ("not_submitted", "overdue")]
    df = pd.DataFrame(missing, columns=["region", "state"])
    return df.rename(columns={"region": t("rounds_col_region", lang), "state": t("rounds_col_state", lang)})


def missing_csv(rows: list[CoverageRow], lang: str = "zh") -> bytes:
    """The missing regions as UTF-8 CSV with a byte-order mark (Excel keeps the Chinese)."""
    return missing_frame(rows, lang).to_csv(index=False).encode("utf-8-sig")


def missing_xlsx(rows: list[CoverageRow], lang: str = "zh") -> bytes:
    """The missing regions as an Excel workbook; every cell written as text, never as a formula."""
    import io

    from openpyxl import Workbook

    from .xlsx_safe import safe_row

    df = missing_frame(rows, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "missing"
    ws.append(list(df.columns))
    for rec in df.itertuples(index=False):
        ws.append(safe_row(list(rec)))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- national figures on approved submissions only (point 4) ------------------------------------
def approved_submission_ids(store: "Store", ids: list[int]) -> set[int]:
    """The ids among ``ids`` whose latest review approves them."""
    by_id = reviews_by_submission(store, ids)
    return {i for i, found in by_id.items() if found and found[-1]["decision"] == "approved"}


def includes_unreviewed(data: "Dataset", store: "Store") -> bool:
    """Whether figures computed on ``data`` rest on any submission not (yet) approved: charts and
    reports then carry the note 含未审核数据 (``unreviewed_note``)."""
    ids = [int(s["submission_id"]) for s in data.sources if s.get("submission_id") is not None]
    return bool(ids) and not set(ids) <= approved_submission_ids(store, ids)


def unreviewed_note(lang: str = "zh") -> str:
    """The words every chart and report shows when its figures include unreviewed data."""
    from .i18n import t

    return t("rounds_unreviewed_note", lang)


def current_dataset(store: "Store", province: str | None = None, *, approved_only: bool = False) -> "Dataset":
    """The current rows for progress: every province's current submission, or with ``approved_only``
    only those whose current submission a reviewer approved (a province whose file is waiting or
    returned then counts as not reported, rather than with an older approved file, so a figure
    never mixes dates silently)."""
    data = store.dataset(province)
    if not approved_only:
        return data
    ids = [int(s["submission_id"]) for s in data.sources]
    ok = approved_submission_ids(store, ids)
    keep = {s["province"] for s in data.sources if int(s["submission_id"]) in ok}
    from .model import FRAMES

    frames = {}
    for kind in FRAMES:
        df = getattr(data, kind)
        frames[kind] = df[df["province"].isin(keep)].reset_index(drop=True) if "province" in df else df
    return type(data)(**frames, sources=[s for s in data.sources if s["province"] in keep],
                      problems=list(data.problems))


def annotate_history(store: "Store", history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History records with their round and reviews added (``history --json`` gains these two fields)."""
    found = list_rounds(store)
    ids = [int(h["id"]) for h in history]
    picked: dict[int, str | None] = {}
    if ids:
        with store.engine.connect() as conn:
            picked = dict(conn.execute(sa.select(submissions.c.id, submissions.c.round_name)
                                       .where(submissions.c.id.in_(ids))).all())
    by_id = reviews_by_submission(store, ids)
    out = []
    for h in history:
        as_of = dt.date.fromisoformat(h["as_of"])
        name = picked.get(int(h["id"])) or next((r.name for r in found if r.as_of == as_of), None)
        out.append({**h, "round": name, "reviews": by_id.get(int(h["id"]), [])})
    return out
