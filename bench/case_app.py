"""Benchmark: the app with the synthetic set stored — page rerun server time and first chart in a browser.

Budgets (issue 6), for 31 × 2,000 items stored: a rerun after changing the scope or the as-of date on
the overview and gaps pages < 500 ms of server time (AppTest runs the script in this process, so its
run time is the server's time); the first chart visible in headless Chromium < 3 s after navigation
(``streamlit run`` on loopback). Baselines of the same run: a rerun with nothing changed, and the time
until the title of the catalog page (no stored data) is visible. Run on its own:

    python -m bench.case_app [SCALE]
"""
from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from typing import Any, Callable

from bench.common import median_seconds, result
from bench.data import ROOT, scale_label, stored_workbook
from bench.server import CHART, CHROMIUM, CHROMIUM_ARGS, EXCEPTION, IDLE, serve

PAGES = ("overview", "gaps")
# The overview is the default page: its address is the root (/overview is "page not found").
URL_PATHS = {"overview": "", "gaps": "gaps", "catalog": "catalog"}
SCOPES = ("广东省", "江苏省", "national", "浙江省", "北京市")


def _repeat(default: int) -> int:
    return int(os.environ.get("BENCH_REPEAT") or default)


def rerun_rows(url: str, scale: float) -> list[dict[str, Any]]:
    """Server time of a rerun after a scope or as-of change on each page, against an unchanged rerun."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    os.environ["TRACKER_SAMPLE_DATA"] = "off"
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)
    at.run()
    label = scale_label(scale)
    rows = []
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        _scope_box(at).set_value("national").run()
        _check(at, page)
        base = median_seconds(lambda: at.run(), repeat=_repeat(5))
        scopes = iter(SCOPES * 100)
        scope_s = median_seconds(lambda: _scope_box(at).set_value(next(scopes)).run(), repeat=_repeat(5))
        _check(at, page)
        _scope_box(at).set_value("national").run()
        # Every as-of date is new, so progress is computed afresh each time (a cache miss, the slow path).
        start = at.date_input(key="as_of").value
        days = iter(range(1, 1000))
        as_of_s = median_seconds(
            lambda: at.date_input(key="as_of").set_value(start - dt.timedelta(days=next(days))).run(),
            repeat=_repeat(5))
        _check(at, page)
        at.date_input(key="as_of").set_value(start).run()
        for what, seconds in (("scope", scope_s), ("as_of", as_of_s)):
            rows.append(result(f"app_rerun_{page}_{what}", label, seconds, "rerun unchanged", base,
                               budget="< 0.5 s server time"))
    # This process is the server here; later browser rows would add Chromium's memory to its children.
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return [{**r, "peak_mb": peak} for r in rows]


def _scope_box(at: Any) -> Any:
    """The sidebar's scope picker (its widget key carries the language: ``scope__zh``)."""
    keys = [e.key for e in at.selectbox]
    return at.selectbox(key="scope__zh" if "scope__zh" in keys else "scope")


def _check(at: Any, page: str) -> None:
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")


def _time_until(page: Any, url: str, selector: str) -> float:
    """Seconds from starting the navigation to ``selector`` being visible."""
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, state="visible", timeout=120_000)
    return time.perf_counter() - t0


def first_chart_rows(url: str, scale: float, folder: str) -> list[dict[str, Any]]:
    """First chart visible after navigating to each chart page in a new browser session."""
    from playwright.sync_api import sync_playwright

    from metrics.i18n import t

    label = scale_label(scale)
    rows = []
    with serve(url, folder) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def visit(path: str, selector: str) -> float:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page = context.new_page()
            try:
                seconds = _time_until(page, f"{server.base}/{URL_PATHS[path]}", selector)
                page.wait_for_selector(IDLE, timeout=120_000)
                if page.locator(EXCEPTION).count():
                    raise RuntimeError(f"{path}: an exception is shown on the page")
                return seconds
            finally:
                context.close()

        # The first visit after the server starts also loads the stored rows and computes progress.
        cold = visit("overview", CHART)
        catalog_title = f"h1:has-text('{t('catalog_title', 'zh')}')"
        base = _median(lambda: visit("catalog", catalog_title), _repeat(5))
        rows.append(result("app_first_chart_overview_cold", label, cold, "catalog page title", base,
                           budget="< 3 s", server_peak_mb=round(server.peak_mb, 1)))
        for path in PAGES:
            seconds = _median(lambda: visit(path, CHART), _repeat(5))
            rows.append(result(f"app_first_chart_{path}", label, seconds, "catalog page title", base,
                               budget="< 3 s", server_peak_mb=round(server.peak_mb, 1)))
        browser.close()
        if "Traceback" in server.log_text():
            raise RuntimeError(f"the server logged a traceback: {server.log_text()[-3000:]}")
        for r in rows:
            r["peak_mb"] = round(server.peak_mb, 1)  # the server's peak, not the browser's
    return rows


def _median(fn: Callable[[], float], repeat: int) -> float:
    fn()  # warm-up
    return statistics.median(fn() for _ in range(repeat))


def run(scale: float = 10.0) -> list[dict[str, Any]]:
    """Rerun and first-chart rows at ``scale`` × 31 × 200 items (10 = the budget's 31 × 2,000)."""
    with tempfile.TemporaryDirectory(prefix="bench_app_") as folder:
        url = stored_workbook(float(scale), folder)
        return rerun_rows(url, float(scale)) + first_chart_rows(url, float(scale), folder)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for r in run(float(argv[0]) if argv else 10.0):
        print(f"{r['case']:<34} {r['scale']:<18} {r['seconds'] * 1000:8.1f} ms  "
              f"ratio to {r['baseline']} = {r['ratio']}  ({r['budget']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
