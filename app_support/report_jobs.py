"""Reports built in a background thread, so the report page (and every other page) stays usable.

A job is keyed on everything its file depends on (database revision, scope, date, language,
format, style, findings): asking again for the same report returns the running or finished job,
and a changed finding starts a new one. One worker thread per process: two large reports at once
would only slow both down on a shared CPU. Finished jobs are kept (bounded) for download.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import streamlit as st

from app_support import data

MAX_JOBS = 16


@dataclass
class Job:
    key: str
    future: Future
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def seconds(self) -> float:
        return round((self.finished or time.monotonic()) - self.started, 1)


@st.cache_resource(show_spinner=False)
def _pool() -> tuple[ThreadPoolExecutor, dict[str, Job], threading.Lock]:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="report"), {}, threading.Lock()


def job_key(rev: str, scope: str, as_of: dt.date, lang: str, fmt: str, style: str, findings: dict[str, str],
            coverage: str = "") -> str:
    """A digest of everything a report file depends on (``coverage``: the round and its regions' states)."""
    text = json.dumps([rev, scope, as_of.isoformat(), lang, fmt, style, findings, coverage], ensure_ascii=False,
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _build(progress, dataset, scope: str, lang: str, fmt: str, style: str, findings: dict[str, str],
           unreviewed: bool = False, rnd=None, coverage_rows=None, since=None) -> bytes:
    from metrics.report import build_report, render

    return render(build_report(progress, dataset, scope=scope, lang=lang, findings=findings, style=style,
                               unreviewed=unreviewed, rnd=rnd, coverage_rows=coverage_rows, since=since), fmt)


def round_coverage(as_of: dt.date):  # noqa: ANN201 - (rounds.Round | None, [rounds.CoverageRow] | None)
    """The reporting round a report as of ``as_of`` covers and its coverage now (``rounds.coverage``)."""
    from metrics.report.leader import report_coverage

    return report_coverage(data.store(), as_of)


def submit(scope: str, as_of: dt.date, lang: str, fmt: str, style: str, findings: dict[str, str]) -> Job:
    """The job building this report: the existing one for the same key, else a new one."""
    pool, jobs, lock = _pool()
    rev = data.revision()
    # The approved-only choice and 含未审核数据 change the file: both are part of its key (issue 13);
    # so do the round's coverage states (a review changes page one).
    unreviewed = data.includes_unreviewed()
    rnd, cov = round_coverage(as_of)
    states = "" if rnd is None else rnd.name + "|" + ",".join(f"{r.region}:{r.state}" for r in cov or [])
    key = job_key(f"{rev}:{data.approved_only()}:{unreviewed}", scope, as_of, lang, fmt, style, findings, states)
    with lock:
        if key in jobs and not (jobs[key].future.done() and jobs[key].future.exception()):
            return jobs[key]
        # Read the cached engine results here, in the script thread (Streamlit's caches belong to it).
        progress = data.progress(as_of)
        dataset = data.dataset(None)
        from metrics.report.leader import previous_round_as_of

        since = previous_round_as_of(data.store(), rnd)  # "what changed since" the round before
        job = Job(key, pool.submit(_build, progress, dataset, scope, lang, fmt, style, dict(findings), unreviewed,
                                   rnd, cov, since))
        job.future.add_done_callback(lambda _f, j=job: setattr(j, "finished", time.monotonic()))
        jobs[key] = job
        # Drop the oldest finished jobs beyond the bound (a running one is never dropped).
        for old in [k for k, j in jobs.items() if j.future.done()][:max(0, len(jobs) - MAX_JOBS)]:
            jobs.pop(old)
    return job


def get(key: str) -> Job | None:
    """A job by key (None once it has been dropped)."""
    return _pool()[1].get(key)


@st.cache_resource(show_spinner=False, max_entries=16)
def _drafts(url: str, rev: str, scope: str, as_of: dt.date, lang: str) -> dict[str, str]:
    from metrics.report import build_report

    return build_report(data._progress(url, rev, as_of), data._dataset(url, rev, None), scope=scope, lang=lang).findings


def drafts(scope: str, as_of: dt.date, lang: str) -> dict[str, str]:
    """The generated first drafts of the findings for a scope and date."""
    return _drafts(data.database_url(), data.revision(), scope, as_of, lang)
