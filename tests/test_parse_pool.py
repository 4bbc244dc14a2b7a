"""The bounded parse pool (issue 18): uploads and the CLI read each file in a worker process with a
wall-clock and a memory limit; a parse past a limit is an unreadable file with a problem naming the
limit, never a crash or a hung app. Limits are set so that the outcome does not depend on the speed
of the machine (a 1 ms wall clock cannot be met; 64 MB of address space cannot hold the parser)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from ingest_files import item_row, register
from metrics.ingest import read_file
from metrics import parse_pool
from metrics.parse_pool import Limits, bounded_read_file, bounded_read_file_stats, limits

ROOT = Path(__file__).resolve().parents[1]
JIANGSU = ROOT / "sample_data" / "示例数据_江苏省_进展填报.xlsx"


def test_a_file_read_through_the_pool_gives_what_a_direct_read_gives():
    content = JIANGSU.read_bytes()
    direct = read_file(content, JIANGSU.name)
    pooled, stats = bounded_read_file_stats(content, JIANGSU.name)
    assert stats.outcome == "ok" and stats.peak_rss_mb > 0
    assert pooled.readable and pooled.province == direct.province == "江苏省"
    for kind in ("items", "totals", "targets", "assessments", "tasks"):
        pd.testing.assert_frame_equal(getattr(pooled, kind), getattr(direct, kind), check_like=False)
    assert [(p.code, p.row) for p in pooled.problems] == [(p.code, p.row) for p in direct.problems]
    assert pooled.sheets == direct.sheets


def test_a_parse_past_the_wall_clock_is_ended_and_told_with_the_limit():
    result, stats = bounded_read_file_stats(JIANGSU.read_bytes(), JIANGSU.name, bounds=Limits(2, 0.001, 2048))
    assert stats.outcome == "timeout"
    assert not result.readable and [p.code for p in result.problems] == ["parse_too_slow"]
    assert "0.001 秒" in result.problems[0].message and "0.001 seconds" in result.problems[0].message_en
    assert result.exit_code == 2


def big_csv(rows: int = 100_000) -> bytes:
    head = "省份,指标,名称,状态,完成日期\n"
    return (head + "".join(f"江苏省,前沿关键核心技术,技术{i},已完成,2025-01-01\n" for i in range(rows))).encode()


def test_a_parse_past_the_memory_limit_is_refused_not_a_crash():
    # 100,000 rows need about 150 MB more than the worker has when it starts: 16 MB is not enough
    result, stats = bounded_read_file_stats(big_csv(), "big.csv", bounds=Limits(2, 60, 16))
    assert stats.outcome == "memory"
    assert [p.code for p in result.problems] == ["parse_too_big"]
    assert "16 MB" in result.problems[0].message and "more than 16 MB" in result.problems[0].message_en
    # the app's process is untouched, and the same file reads with the default limit
    assert bounded_read_file(register(item_row(名称="甲")), "ok.xlsx").row_counts.valid == 1
    assert bounded_read_file(big_csv(), "big.csv").row_counts.valid == 100_000


def test_the_pool_runs_parses_side_by_side_up_to_its_size():
    files = [register(item_row(名称=f"项目{i}")) for i in range(4)]
    out: dict[int, object] = {}

    def parse(i: int) -> None:
        out[i] = bounded_read_file(files[i], f"{i}.xlsx", bounds=Limits(2, 60, 2048))

    threads = [threading.Thread(target=parse, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert sorted(out) == [0, 1, 2, 3]
    assert [list(out[i].items["name"]) for i in range(4)] == [[f"项目{i}"] for i in range(4)]


def test_the_limits_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("TRACKER_PARSE_WORKERS", "3")
    monkeypatch.setenv("TRACKER_PARSE_SECONDS", "30")
    monkeypatch.setenv("TRACKER_PARSE_MEMORY_MB", "900")
    assert limits() == Limits(3, 30.0, 900)
    monkeypatch.setenv("TRACKER_PARSE_SECONDS", "soon")  # unusable: the default, not a crash
    assert limits().seconds == 120


@pytest.mark.parametrize("command", ["validate", "import"])
def test_the_cli_reads_through_the_same_bounded_path(tmp_path, command):
    path = tmp_path / "江苏省.xlsx"
    path.write_bytes(JIANGSU.read_bytes())
    env = {**os.environ, "TRACKER_PARSE_SECONDS": "0.001", "DATABASE_URL": f"sqlite:///{tmp_path / 't.sqlite'}"}
    proc = subprocess.run([sys.executable, "-m", "metrics", command, str(path), "--json"], capture_output=True,
                          text=True, timeout=180, cwd=ROOT, env=env)
    assert "Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert out["readable"] is False and proc.returncode == 2
    assert "parse_too_slow" in json.dumps(out, ensure_ascii=False)


@pytest.mark.parametrize("threads, max_rss_mb, method", [
    (1, 100_000, "fork"),      # the CLI: one thread, a lean process
    (3, 100_000, "forkserver"),  # the app: threads
    (1, 0, "forkserver"),      # one thread but big (a long test session): a forked worker's limit would not hold
])
def test_a_lean_single_threaded_caller_forks_its_workers_and_the_app_uses_the_fork_server(
        monkeypatch, threads, max_rss_mb, method):
    monkeypatch.setattr(parse_pool.threading, "active_count", lambda: threads)
    monkeypatch.setattr(parse_pool, "FORK_MAX_RSS_MB", max_rss_mb)
    assert parse_pool._ctx().get_start_method() == method
    result = bounded_read_file(JIANGSU.read_bytes(), JIANGSU.name)
    assert result.readable and result.province == "江苏省"


def test_a_worker_does_not_re_run_the_app_script_that_is_main(tmp_path, monkeypatch):
    """Under ``streamlit run`` (and after an AppTest) ``__main__`` is dashboard.py; a worker must not run it."""
    import types

    marker = tmp_path / "ran.txt"
    script = tmp_path / "app_script.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('the app ran')\n", encoding="utf-8")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setattr(parse_pool.threading, "active_count", lambda: 3)  # as in the app: the fork server
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    result = bounded_read_file(JIANGSU.read_bytes(), JIANGSU.name)
    assert result.readable and result.province == "江苏省"
    assert not marker.exists()
    assert sys.modules["__main__"] is fake_main  # put back after the start


def test_warming_up_starts_the_fork_server_once_in_the_background():
    thread = parse_pool.warm_up()
    assert parse_pool.warm_up() is thread and thread.daemon  # once per process, never holding up the exit
    thread.join(120)
    assert parse_pool.is_warm()
    pid = parse_pool.fork_server_pid()
    import psutil

    assert "multiprocessing.forkserver" in " ".join(psutil.Process(pid).cmdline())
    from multiprocessing import forkserver

    assert forkserver._forkserver._preload_modules == parse_pool._PRELOAD  # it has imported the ingest code
    assert bounded_read_file(JIANGSU.read_bytes(), JIANGSU.name).province == "江苏省"  # the next parse uses it
    assert parse_pool.fork_server_pid() == pid


def test_the_app_warms_the_pool_when_it_starts(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "off")
    monkeypatch.setattr(parse_pool, "_warming", None)
    monkeypatch.setattr(parse_pool, "_warm", threading.Event())
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    assert parse_pool._warming is not None and parse_pool._warming.name == "tracker-parse-warmup"
    parse_pool._warming.join(120)
    assert parse_pool.is_warm()
