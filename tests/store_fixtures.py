"""Ingest results built by hand for the storage tests, and workers the concurrency tests spawn.

Workers live in an importable module because multiprocessing's spawn start method imports them
in a fresh interpreter.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from typing import Any

import pandas as pd
import pytest

from metrics.model import IngestResult, Problem, SheetCount, conform


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """The URL of an empty store: a SQLite file in tmp_path, or a database on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    return request.getfixturevalue("pg_url")


def make_result(province: str = "广东省", names: list[str] | None = None, *, as_of: dt.date = dt.date(2025, 6, 30),
                file: str = "progress.xlsx", totals: dict[str, float] | None = None,
                targets: dict[str, float] | None = None, status: dict[str, str] | None = None,
                problems: list[Problem] | None = None, n_items: int | None = None) -> IngestResult:
    """One file's ingest result for ``province``: an item per name, totals and targets by metric."""
    if names is None:
        names = [f"成果{i:05d}" for i in range(n_items if n_items is not None else 3)]
    status = status or {}
    n = len(names)
    items = conform(pd.DataFrame({
        "province": [province] * n, "metric": ["tech"] * n, "name": names, "code": [None] * n,
        "direction": ["manufacturing"] * n, "status": [status.get(x, "achieved") for x in names],
        "date": pd.to_datetime(["2025-03-15"] * n), "date_precision": ["day"] * n,
        "key": [x.lower() for x in names], "source": [file] * n, "sheet": ["成果清单"] * n,
        "row": list(range(2, n + 2)),
    }), "items")
    totals = totals if totals is not None else {"platform": 12.0}
    total_frame = conform(pd.DataFrame({
        "province": [province] * len(totals), "metric": list(totals), "as_of": [pd.Timestamp(as_of)] * len(totals),
        "value": list(totals.values()), "source": [file] * len(totals), "sheet": ["指标汇总"] * len(totals),
        "row": list(range(2, len(totals) + 2)),
    }), "totals")
    targets = targets or {}
    target_frame = conform(pd.DataFrame({
        "province": [province] * len(targets), "metric": list(targets), "unit": ["项"] * len(targets),
        "kind": ["count"] * len(targets), "value": list(targets.values()), "qualifier": ["ge"] * len(targets),
        "text": [f"{v:g}项以上" for v in targets.values()], "deadline": [pd.Timestamp("2027-12-31")] * len(targets),
        "source": [file] * len(targets), "sheet": ["目标设定"] * len(targets), "row": list(range(2, len(targets) + 2)),
    }), "targets")
    problems = problems or []
    sheets = {"成果清单": SheetCount(total=n + len(problems), valid=n, invalid=len(problems)),
              "指标汇总": SheetCount(total=len(totals), valid=len(totals))}
    return IngestResult(file=file, readable=True, province=province, as_of=as_of, items=items, totals=total_frame,
                        targets=target_frame, problems=problems, sheets=sheets)


def content_of(result: IngestResult, salt: str = "") -> bytes:
    """Stand-in file bytes that differ whenever the rows differ (the store keeps and hashes them)."""
    text = result.items.to_csv() + result.totals.to_csv() + result.targets.to_csv() + salt
    return text.encode("utf-8")


def upload_worker(url: str, province: str, salt: str, n_items: int = 20) -> dict[str, Any]:
    """Open the store in this process and upload one file; errors come back as text, never raised."""
    from metrics.store import Store

    try:
        store = Store(url)
        result = make_result(province, n_items=n_items, file=f"{province}{salt}.xlsx")
        outcome = store.save_submission(result, content_of(result, salt), result.file, uploader=f"user{salt}")
        store.close()
        return {"ok": True, "outcome": outcome.to_dict(), "sha256": hashlib.sha256(content_of(result, salt)).hexdigest()}
    except Exception:  # noqa: BLE001 - the test asserts that no user ever saw an error
        return {"ok": False, "error": traceback.format_exc()}


def upload_at_once(url: str, province: str, salt: str, barrier: Any, queue: Any) -> None:
    """Open the store, wait until every sibling process is ready, then upload (for the concurrency tests)."""
    from metrics.store import Store

    try:
        Store(url).close()  # migrations (on a fresh store) race here too
        barrier.wait(timeout=120)
    except Exception:  # noqa: BLE001
        queue.put({"ok": False, "error": traceback.format_exc()})
        return
    queue.put(upload_worker(url, province, salt))


def import_until_killed(url: str, n_items: int) -> None:
    """Start a big import and stop forever in the middle of its transaction, after the first rows went in.

    Prints ``inserting`` once the transaction holds rows, so the test can SIGKILL this process there.
    """
    import sys
    import time

    from sqlalchemy import event

    from metrics.store import Store

    store = Store(url)

    @event.listens_for(store.engine, "after_cursor_execute")
    def _pause(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith('INSERT INTO ITEMS') or statement.startswith('INSERT INTO "items"'):
            sys.stdout.write("inserting\n")
            sys.stdout.flush()
            time.sleep(600)

    result = make_result("浙江省", n_items=n_items, file="big.xlsx")
    store.save_submission(result, content_of(result), result.file, uploader="killed")
