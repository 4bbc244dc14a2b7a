"""Many processes writing at once, and a process killed mid-import, on SQLite and PostgreSQL."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
import sqlalchemy as sa

from metrics.catalog import load_catalog
from metrics.store import Store
from tests.store_fixtures import content_of, db_url, make_result, upload_at_once  # noqa: F401 - db_url fixture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_at_once(url: str, jobs: list[tuple[str, str]]) -> list[dict]:
    """Run one upload per (province, salt) in its own process, all released together.

    A fork server (a fresh interpreter, not this test process) preloads the store's modules once, so
    the workers start quickly yet inherit no connection, thread or state of the test process.
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.store_fixtures", "metrics.store"])
    barrier, queue = ctx.Barrier(len(jobs)), ctx.Queue()
    procs = [ctx.Process(target=upload_at_once, args=(url, prov, salt, barrier, queue)) for prov, salt in jobs]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0] * len(procs)
    return results


def assert_one_current_per_province_and_date(store: Store) -> None:
    current = Counter((h["province"], h["as_of"]) for h in store.history() if h["state"] == "current")
    assert all(n == 1 for n in current.values()), current


def assert_rows_match_counts(store: Store) -> None:
    """Every stored row belongs to a recorded submission, and every submission has all its rows."""
    from metrics.schema import ROW_TABLES

    with store.engine.connect() as conn:
        for kind, table in ROW_TABLES.items():
            stored = dict(conn.execute(sa.select(table.c.submission_id, sa.func.count())
                                       .group_by(table.c.submission_id)).all())
            expected = {h["id"]: h["counts"][kind] for h in store.history() if h["counts"][kind]}
            assert stored == expected, kind


def test_31_provinces_uploading_at_once_give_31_submissions(db_url):
    provinces = [r.name for r in load_catalog().regions if r.parent is None][:31]
    assert len(set(provinces)) == 31
    results = run_at_once(db_url, [(p, "") for p in provinces])
    assert [r for r in results if not r["ok"]] == []
    assert all(r["outcome"]["created"] for r in results)
    store = Store(db_url)
    assert sorted(h["province"] for h in store.history()) == sorted(provinces)
    assert store.dataset().provinces() == sorted(provinces)
    assert_rows_match_counts(store)


@pytest.mark.parametrize("same_file", [False, True], ids=["ten_files", "one_file_ten_times"])
def test_10_uploads_of_one_province_at_once_give_a_consistent_history(db_url, same_file):
    jobs = [("广东省", "" if same_file else f"-{i}") for i in range(10)]
    results = run_at_once(db_url, jobs)
    assert [r for r in results if not r["ok"]] == []
    store = Store(db_url)
    history = store.history()
    created = [r["outcome"]["submission_id"] for r in results if r["outcome"]["created"]]
    if same_file:  # stored once; the other nine were told it is a duplicate of that one
        assert len(history) == 1 and len(created) == 1
        assert {r["outcome"]["duplicate_of"] for r in results if not r["outcome"]["created"]} == set(created)
    else:  # all ten recorded, the last one applied is current, every other one names what replaced it
        assert sorted(h["id"] for h in history) == sorted(created) and len(created) == 10
        assert len({r["sha256"] for r in results}) == 10
        latest = max(created)
        assert {h["id"]: h["state"] for h in history} == {i: "current" if i == latest else "superseded"
                                                           for i in created}
        assert all(h["replaced_by"] is not None for h in history if h["state"] == "superseded")
        assert [s["submission_id"] for s in store.dataset().sources] == [latest]
    assert_one_current_per_province_and_date(store)
    assert_rows_match_counts(store)
    assert len([a for a in store.audit() if a["action"] == "upload"]) == len(created)


def test_a_process_killed_during_an_import_leaves_all_or_nothing(db_url):
    store = Store(db_url)
    kept = make_result("浙江省", names=["A", "B"])
    before = store.save_submission(kept, content_of(kept), kept.file)
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from tests.store_fixtures import import_until_killed; "
                               "import_until_killed(sys.argv[1], 30000)", db_url],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "inserting", child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    after = Store(db_url)
    assert [h["id"] for h in after.history()] == [before.submission_id]  # none of the killed import
    assert after.dataset().items["name"].tolist() == ["A", "B"]
    assert_rows_match_counts(after)
    # The store is not left locked: the next writer goes through at once.
    again = make_result("浙江省", names=["A", "B", "C"])
    assert after.save_submission(again, content_of(again), again.file).created
    assert_one_current_per_province_and_date(after)
