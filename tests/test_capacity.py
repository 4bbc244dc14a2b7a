"""bench.capacity's own arithmetic (its timings are benchmarks, not tests) and its bounds."""
from __future__ import annotations

import pytest

from bench import capacity


@pytest.mark.parametrize("values, expected", [
    ([], 0.0),
    ([0.4], 0.4),
    ([1.0, 2.0], 2.0),
    ([float(i) for i in range(1, 21)], 19.0),
    ([float(i) for i in range(1, 101)], 95.0),
    ([5.0, 1.0, 3.0, 2.0, 4.0], 5.0),
])
def test_p95_is_the_nearest_rank(values, expected):
    assert capacity.p95(values) == expected


def test_the_benchmark_is_bounded_and_covers_the_issue_configurations():
    assert capacity.SESSIONS == (1, 3, 6, 12)
    assert capacity.PROCESSES == (1, 2)
    assert max(capacity.SESSIONS) <= capacity.MAX_SESSIONS == 12
    assert capacity.VIEW_TIMEOUT == 120.0
    assert {"", "gaps", "compare", "goals", "history", "catalog", "report"} == set(capacity.PAGES)


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-x", "'-x"), ("@a", "'@a"), ("量子计算", "量子计算"), ("a=b", "a=b"),
])
def test_the_items_csv_keeps_formula_like_text_as_text(cell, expected):
    import pandas as pd

    from app_support.tables import csv_bytes

    out = csv_bytes(pd.DataFrame({"名称": [cell], "行": [3]}))
    assert out.startswith(b"\xef\xbb\xbf")
    assert out.decode("utf-8-sig").splitlines() == ["名称,行", f"{expected},3"]


def test_the_first_chart_benchmark_visits_chart_pages_the_capacity_run_also_views():
    from bench import first_chart

    compile(first_chart.BARE_SCRIPT, "bare_one_chart.py", "exec")  # the bare page is a valid script
    assert set(first_chart.URL_PATHS.values()) <= set(capacity.PAGES)
    assert first_chart.TITLE.endswith("h1") and "stPlotlyChart" in first_chart.CHART


def test_a_port_range_hands_out_free_ports_inside_it_never_the_same_twice(monkeypatch):
    from bench import server

    monkeypatch.setattr(server, "_handed_out", set())
    monkeypatch.setenv("TRACKER_TEST_PORT", "8690-8699")
    ports = [server.free_port(), server.free_port(), server.free_port()]
    assert len(set(ports)) == 3 and all(8690 <= p <= 8699 for p in ports)
    monkeypatch.setenv("TRACKER_TEST_PORT", "8642")
    assert server.free_port() == 8642


def test_a_full_port_range_is_an_error_not_a_port_outside_it(monkeypatch):
    from bench import server

    monkeypatch.setattr(server, "_handed_out", set(range(8690, 8700)))
    monkeypatch.setenv("TRACKER_TEST_PORT", "8690-8699")
    with pytest.raises(RuntimeError, match="no free port in TRACKER_TEST_PORT=8690-8699"):
        server.free_port()


@pytest.mark.slow
def test_cpu_by_page_views_every_page_of_a_running_app(tmp_path, monkeypatch):
    from bench.server import serve

    monkeypatch.setenv("TRACKER_TEST_PORT", "8600-8699")
    url = capacity.fill_store(str(tmp_path), "sample")
    with serve(url, tmp_path) as app:
        by_page = capacity.cpu_by_page(app, repeat=1)
        # the first-chart bench's server share: a new session is sent a plotly chart on every chart page
        from bench.first_chart import URL_PATHS, server_chart_seconds

        sent = {name: server_chart_seconds(app.base, path, repeat=1) for name, path in URL_PATHS.items()}
        assert "Traceback" not in app.log_text()
    assert set(by_page) == {p or "overview" for p in capacity.PAGES}
    assert all(v >= 0 for v in by_page.values())
    assert set(sent) == {"overview", "gaps", "compare", "goals"} and all(0 < v < 120 for v in sent.values())
