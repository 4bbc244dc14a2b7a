"""Cached loaders: the store handle, the stored dataset, progress, and parsed uploads.

Caches are keyed on plain values only: the database URL, the store's revision (``Store.revision``,
which every write changes, so every session sees a new submission at once), the as-of date, and the
uploaded bytes themselves (never the file object). Saving, rolling back or deleting a submission
changes the revision; ``invalidate()`` also drops the superseded entries at once.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from metrics.model import Dataset, IngestResult
from metrics.settings import database_url

log = logging.getLogger("tracker.app")


def samples_enabled() -> bool:
    """Whether an empty, never-used store is filled with the sample workbooks at first start."""
    from metrics.settings import samples_enabled as enabled

    return enabled()


@st.cache_resource(show_spinner=False)
def _store(url: str):
    from metrics.store import Store

    # create=False: a deleted data folder stops the app with a message instead of a fresh, empty store
    return Store(url, create=False)


def store():
    """The store of this deployment (one handle per database URL, shared by every session)."""
    return _store(database_url())


def revision() -> str:
    """The store's revision (``Store.revision``): changes whenever anything is stored.

    Read once per script run: every cached loader, figure and flag of a page asks for it (10-15 times a
    run, each a database query, ~3 ms on a busy machine at 10x, issue 17). A write during the run calls
    ``invalidate()``, which drops the remembered value; a write by another process or session is seen at
    the next run, as before."""
    ctx = get_script_run_ctx(suppress_warning=True)
    url = database_url()
    if ctx is None:
        return _store(url).revision()
    seen = getattr(ctx, _REVISION_SEEN, None)
    # ctx.cursors is a new dict at the start of every run (ScriptRunContext.reset): it names the run.
    if seen is not None and seen[0] is ctx.cursors and seen[1] == url:
        return seen[2]
    rev = _store(url).revision()
    setattr(ctx, _REVISION_SEEN, (ctx.cursors, url, rev))
    return rev


_REVISION_SEEN = "_tracker_revision_seen"


def _forget_revision() -> None:
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and hasattr(ctx, _REVISION_SEEN):
        delattr(ctx, _REVISION_SEEN)


def load_samples(s) -> int:
    """Store the committed sample workbooks in ``s`` marked as sample data; the number stored."""
    from metrics.ingest import read_file
    from sample_data.generate import sample_files

    count = 0
    for path in sample_files():
        content = Path(path).read_bytes()
        result = read_file(content, Path(path).name)
        if result.readable:
            s.save_submission(result, content, Path(path).name, uploader="sample", actor="sample", sample=True)
            count += 1
    return count


@st.cache_resource(show_spinner=False)
def _seed_once(url: str) -> int:
    """Fill a never-used store with the sample workbooks; once per process and URL.

    A store that ever held anything (its audit log is not empty) is left alone, so sample data
    cleared by the user does not come back at the next start.
    """
    s = _store(url)
    if not samples_enabled() or s.has_data() or s.history() or s.audit():
        return 0
    count = load_samples(s)
    log.info("loaded %d sample workbooks into the empty store", count)
    return count


def seed_samples() -> int:
    """Load the sample workbooks into an empty store on first start; the number loaded."""
    return _seed_once(database_url())


# Dataset and Progress are read-only once built; cache_resource hands out the same object
# instead of unpickling a copy of 60,000 rows on every rerun (cache_data would copy).
@st.cache_resource(show_spinner=False, max_entries=8)
def _dataset(url: str, rev: str, province: str | None, approved: bool = False) -> Dataset:
    from metrics.rounds import current_dataset

    return current_dataset(_store(url), province, approved_only=approved)


def approved_only() -> bool:
    """The sidebar's choice: national figures from approved submissions only (issue 13; default off,
    so with accounts off everything counts as before)."""
    return bool(st.session_state.get("approved_only", False))


def dataset(province: str | None = None) -> Dataset:
    """The latest current submission of every province (or of one), from the store; only approved
    ones when the sidebar says so."""
    return _dataset(database_url(), revision(), province, approved_only())


@st.cache_resource(show_spinner=False, max_entries=16)
def _includes_unreviewed(url: str, rev: str, province: str | None, approved: bool) -> bool:
    from metrics.rounds import includes_unreviewed as unreviewed

    return unreviewed(_dataset(url, rev, province, approved), _store(url))


@st.cache_resource(show_spinner=False, max_entries=16)
def _custom_metric_names(url: str, rev: str, approved: bool, lang: str) -> dict[str, str]:
    from metrics.presentation import custom_metric_names as names

    return names(_dataset(url, rev, None, approved).targets, lang)


def custom_metric_names(lang: str) -> dict[str, str]:
    """``presentation.custom_metric_names`` of the stored targets (custom_… id -> its name in ``lang``), once per
    revision. Shared: read only."""
    return _custom_metric_names(database_url(), revision(), approved_only(), lang)


@st.cache_resource(show_spinner=False, max_entries=32)
def _side_by_side_table(url: str, rev: str, as_of: dt.date, approved: bool, regions: tuple[str, ...], lang: str):
    from metrics.side_by_side import side_by_side_table

    return side_by_side_table(_progress(url, rev, as_of, approved), list(regions), lang,
                              _custom_metric_names(url, rev, approved, lang))


def side_by_side_table(as_of: dt.date, regions: list[str], lang: str):
    """``side_by_side.side_by_side_table`` of ``regions`` at ``as_of`` (custom metrics by their names), once
    per revision: a pivot of every target's worded figure, the compare page's largest cost (issue 17).
    Shared: read only."""
    return _side_by_side_table(database_url(), revision(), as_of, approved_only(), tuple(regions), lang)


def includes_unreviewed(province: str | None = None) -> bool:
    """Whether the figures shown rest on any unapproved submission: charts and reports then say
    ``metrics.rounds.unreviewed_note(lang)`` (含未审核数据). Asked by every chart of a page, so it is
    cached on the revision (a review writes an audit row, so it changes the revision too)."""
    return _includes_unreviewed(database_url(), revision(), province, approved_only())


@st.cache_resource(show_spinner=False, max_entries=16)
def _progress(url: str, rev: str, as_of: dt.date, approved: bool = False):
    from metrics.progress import compute_progress

    return compute_progress(_dataset(url, rev, None, approved), as_of=as_of)


def progress(as_of: dt.date):
    """Progress of every scope at ``as_of`` over the stored data (approved only if so chosen)."""
    return _progress(database_url(), revision(), as_of, approved_only())


def invalidate() -> None:
    """After the store changed: forget this run's revision and drop the cached dataset, progress and what
    is derived from them at once (figures keyed on the old revision age out of their cache)."""
    _forget_revision()
    _dataset.clear()
    _progress.clear()
    _includes_unreviewed.clear()
    _counted_table.clear()
    _history.clear()
    _custom_metric_names.clear()
    _side_by_side_table.clear()


@st.cache_data(show_spinner=False, max_entries=64)
def _history(url: str, rev: str, province: str | None) -> list[dict]:
    return _store(url).history(province)


def history(province: str | None = None) -> list[dict]:
    """``Store.history(province)`` (every submission, newest first), read once per revision: the sidebar,
    the sample banner and the pages each asked the database for it on every run (issue 17)."""
    return _history(database_url(), revision(), province)


def default_as_of() -> dt.date:
    """The latest as-of date among the stored submissions, else today."""
    try:
        dates = [h["as_of"] for h in history() if h.get("state") == "current" and h.get("as_of")]
    except Exception:  # noqa: BLE001 - an unreachable store must not stop the sidebar from drawing
        log.exception("cannot read the store's history")
        return dt.date.today()
    parsed = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]) for d in dates]
    return max(parsed) if parsed else dt.date.today()


@st.cache_data(show_spinner=False, max_entries=32)
def parse_upload(content: bytes, filename: str, province: str | None, as_of: dt.date | None = None,
                 mapping: str | None = None) -> IngestResult:
    """Read one uploaded file once: keyed on its bytes, name, the province it is read for, the
    as-of date the officer confirmed for a file that names none and the mapping profile (as JSON).

    Read in a worker of the bounded parse pool (``metrics.parse_pool``): a huge or hostile file is
    stopped at its time or memory limit and answered as unreadable, and the app process stays free."""
    from metrics.mapping import Mapping
    from metrics.parse_pool import bounded_read_file

    return bounded_read_file(content, filename, province, as_of=as_of,
                             mapping=Mapping.from_json(mapping) if mapping else None)


@st.cache_data(show_spinner=False, max_entries=16)
def _annotated_workbook(content: bytes, filename: str, province: str | None, as_of: dt.date | None,
                        mapping: str | None, lang: str) -> bytes:
    from metrics.annotate import annotate_workbook

    return annotate_workbook(content, filename, parse_upload(content, filename, province, as_of, mapping), lang)


def annotated_workbook(content: bytes, filename: str, province: str | None, as_of: dt.date | None = None,
                       mapping: str | None = None, lang: str | None = None) -> bytes:
    """The user's workbook with problem cells highlighted and commented in the user's language
    (the page's language unless ``lang`` is given)."""
    from app_support.session import current_lang

    return _annotated_workbook(content, filename, province, as_of, mapping, lang or current_lang())


@st.cache_data(show_spinner=False, max_entries=40)
def template_bytes(province: str | None) -> bytes:
    """The blank workbook template (for one province when given)."""
    from metrics.template import build_template

    return build_template(province)


@st.cache_data(show_spinner=False, max_entries=8)
def _prefilled_template(url: str, rev: str, province: str) -> bytes:
    from metrics.template import build_template

    return build_template(province, prefill=_dataset(url, rev, province))


def prefilled_template_bytes(province: str) -> bytes:
    """The template pre-filled with the province's current submission."""
    return _prefilled_template(database_url(), revision(), province)


@st.cache_resource(show_spinner=False, max_entries=32)
def _counted(url: str, rev: str, scope_type: str, scope: str, metric: str, as_of: dt.date):
    from metrics.progress import counted_items

    return counted_items(_dataset(url, rev, None), None, scope_type, scope, metric, as_of)


def counted_items(scope_type: str, scope: str, metric: str, as_of: dt.date):
    """The rows behind one figure: the items counted for ``metric`` in a scope at ``as_of``."""
    return _counted(database_url(), revision(), scope_type, scope, metric, as_of)


def _dates_as_text(items):
    """The item list with its date column as YYYY-MM-DD; money and total metrics have no dated items
    (their rows carry amounts, not dates), so a frame without the column is returned as it is."""
    import pandas as pd

    if "date" not in items.columns or not len(items):
        return items
    return items.assign(date=pd.to_datetime(items["date"], errors="coerce").dt.strftime("%Y-%m-%d"))


@st.cache_resource(show_spinner=False, max_entries=32)
def _counted_table(url: str, rev: str, scope_type: str, scope: str, metric: str, as_of: dt.date, lang: str):
    from metrics.catalog import load_catalog
    from app_support.item_tables import counted_rows

    return _dates_as_text(counted_rows(_counted(url, rev, scope_type, scope, metric, as_of), load_catalog(), lang))


def counted_table(scope_type: str, scope: str, metric: str, as_of: dt.date, lang: str):
    """The counted items as the gaps page lists them (``item_tables.counted_rows``: province, direction and
    flagship by name in ``lang``; dates as YYYY-MM-DD), built once per revision: at 10x naming and
    dating 10,000 rows was a fifth of the page's server time on every rerun (issue 17). Shared: read only."""
    return _counted_table(database_url(), revision(), scope_type, scope, metric, as_of, lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _upload_diff(url: str, rev: str, content: bytes, filename: str, province: str | None,
                 as_of: dt.date | None = None, mapping: str | None = None) -> dict:
    """What storing an uploaded file would change against the current submissions (per table)."""
    from app_support.change_tables import upload_diff as diff

    return diff(_dataset(url, rev, None), parse_upload(content, filename, province, as_of, mapping))


def upload_diff(content: bytes, filename: str, province: str | None, as_of: dt.date | None = None,
                mapping: str | None = None) -> dict:
    """What storing an uploaded file would change against the current submissions (per table)."""
    return _upload_diff(database_url(), revision(), content, filename, province, as_of, mapping)


@st.cache_data(show_spinner=False, max_entries=64)
def _submission_diff(url: str, a: int, b: int) -> dict:
    return _store(url).diff(a, b)


def submission_diff(a: int, b: int) -> dict:
    """Rows added, removed and changed from submission ``a`` to ``b`` (stored rows never change)."""
    return _submission_diff(database_url(), a, b)


@st.cache_data(show_spinner=False, max_entries=16)
def _original_file(url: str, submission_id: int) -> tuple[str, bytes]:
    return _store(url).original(submission_id)


def original_file(submission_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of a stored submission's original upload (never changes once stored)."""
    return _original_file(database_url(), submission_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _report_file(url: str, rev: str, scope: str, as_of: dt.date, lang: str, fmt: str, approved: bool = False,
                 unreviewed: bool = False) -> bytes:
    from metrics.report import build_report, render

    content = build_report(_progress(url, rev, as_of, approved), _dataset(url, rev, None, approved), scope=scope,
                           lang=lang, unreviewed=unreviewed)
    return render(content, fmt)


def report_file(scope: str, as_of: dt.date, lang: str, fmt: str) -> bytes:
    """The status report of a scope at ``as_of`` in ``lang`` as a file of format ``fmt``, on the figures
    the sidebar chose, saying 含未审核数据 when they include unreviewed submissions."""
    return _report_file(database_url(), revision(), scope, as_of, lang, fmt, approved_only(), includes_unreviewed())
