"""Load test: the app under 10 browsing sessions and 3 uploading sessions at once (case ``load``).

``streamlit run dashboard.py`` serves a temporary SQLite store holding the synthetic set (10 = 31 × 2,000
items) on 127.0.0.1. One headless Chromium opens 13 contexts (separate sessions): 10 move between the
pages through the sidebar for ``BENCH_LOAD_SECONDS`` (60 by default, counted from when all 10 have
loaded their first page), 3 upload one-province workbooks
through the upload page's file chooser and confirm storing them. Reported: page latency (click → new
title shown, the run finished and, on chart pages, a chart drawn) median and p95, errors (an exception
element, a failed navigation or upload, a traceback in the server log), and whether every uploaded file
is in the store exactly once. Budget (issue 9): p95 < 2 s, 0 errors. The run stops by itself. Run:

    python -m bench.load [SCALE] [SECONDS]
"""
from __future__ import annotations

import asyncio
import hashlib
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import result, run_async
from bench.data import ROOT, scale_label, stored_workbook, upload_workbook
from bench.server import CHART, CHROMIUM, CHROMIUM_ARGS, EXCEPTION, IDLE, serve

BROWSERS = 10
UPLOADERS = 3
UPLOADS_EACH = 3
# (url path, translation key of the title, whether the page draws a chart)
# The overview is the default page: its address is the root (/overview is "page not found").
PAGES = [("", "app_page_overview", True), ("gaps", "app_page_gaps", True),
         ("compare", "app_page_compare", True), ("goals", "app_page_goals", True),
         ("history", "app_page_history", False), ("catalog", "catalog_title", False),
         ("report", "app_page_report", False)]
TIMEOUT_MS = 60_000


class Window:
    """The measured window: it opens once every browsing session has loaded its first page, then lasts
    ``seconds`` (the first loads all at once are the baseline, not the navigation being measured)."""

    def __init__(self, sessions: int, seconds: float) -> None:
        self.waiting, self.seconds = sessions, seconds
        self.open = asyncio.Event()
        self.deadline = float("inf")

    def loaded(self) -> None:
        """One browsing session is ready (or gave up); the last one opens the window."""
        self.waiting -= 1
        if self.waiting == 0:
            self.deadline = time.monotonic() + self.seconds
            self.open.set()

    def is_open(self) -> bool:
        return time.monotonic() < self.deadline


class Tally:
    """What every session saw: page latencies, upload times, stored files, errors."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.first_loads: list[float] = []
        self.uploads: list[float] = []
        self.stored: list[str] = []  # sha256 of each file the app said it stored
        self.errors: list[str] = []


def _title(key: str) -> str:
    from metrics.i18n import t

    return t(key, "zh")


async def _settle(page: Any, title: str, chart: bool, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the page titled ``title`` has finished its run (and drawn a chart if it has one)."""
    await page.wait_for_selector(f"h1:has-text('{title}')", timeout=timeout)
    await page.wait_for_selector(IDLE, timeout=timeout)
    if chart:
        await page.wait_for_selector(CHART, state="visible", timeout=timeout)
    if await page.locator(EXCEPTION).count():
        raise RuntimeError(f"an exception is shown on {page.url}")


async def browse(browser: Any, base: str, start: int, window: Window, tally: Tally) -> None:
    """One session moving from page to page through the sidebar until the deadline."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = await context.new_page()
    try:
        path, key, chart = PAGES[start % len(PAGES)]
        t0 = time.perf_counter()
        # The first load of a session (new websocket, whole app script) is the baseline, not a navigation.
        try:
            await page.goto(f"{base}/{path}", wait_until="commit")
            await _settle(page, _title(key), chart, timeout=3 * TIMEOUT_MS)
            tally.first_loads.append(time.perf_counter() - t0)
        finally:
            window.loaded()
        await window.open.wait()
        i = start
        while window.is_open():
            i += 1
            path, key, chart = PAGES[i % len(PAGES)]
            try:
                t0 = time.perf_counter()
                await page.locator(f"[data-testid='stSidebarNav'] a[href='{base}/{path}']").first.click(
                    timeout=TIMEOUT_MS)
                await _settle(page, _title(key), chart)
                tally.latencies.append(time.perf_counter() - t0)
            except Exception as exc:  # noqa: BLE001 - counted as an error; the session starts over
                tally.errors.append(f"browse {path}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
                await page.goto(f"{base}/{path}", wait_until="commit")
    except Exception as exc:  # noqa: BLE001
        tally.errors.append(f"browse session {start}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


async def upload(browser: Any, base: str, files: list[Path], window: Window, tally: Tally) -> None:
    """One session uploading ``files`` one after another through the file chooser, confirming each."""
    from metrics.i18n import t

    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = await context.new_page()
    stored_text = t("app_upload_stored", "zh", ids="").split("(")[0]
    try:
        await window.open.wait()
        for path in files:
            if not window.is_open():
                break
            try:
                t0 = time.perf_counter()
                await page.goto(f"{base}/upload", wait_until="commit")
                await _settle(page, _title("app_page_upload"), False, timeout=3 * TIMEOUT_MS)
                async with page.expect_file_chooser() as chooser:
                    await page.locator("[data-testid='stFileUploaderDropzone'] button").first.click()
                await (await chooser.value).set_files(str(path))
                button = page.get_by_role("button", name=t("app_upload_store", "zh"))
                await button.click(timeout=TIMEOUT_MS * 2)
                await page.wait_for_selector(f"text={stored_text}", timeout=TIMEOUT_MS * 2)
                await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
                if await page.locator(EXCEPTION).count():
                    raise RuntimeError("an exception is shown on the upload page")
                tally.uploads.append(time.perf_counter() - t0)
                tally.stored.append(hashlib.sha256(path.read_bytes()).hexdigest())
            except Exception as exc:  # noqa: BLE001 - counted as an error
                tally.errors.append(f"upload {path.name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


async def drive(base: str, seconds: float, files: list[list[Path]]) -> Tally:
    """All sessions at once in one headless Chromium; returns when the last one has stopped."""
    from playwright.async_api import async_playwright

    tally = Tally()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        window = Window(BROWSERS, seconds)
        await asyncio.gather(*[browse(browser, base, i, window, tally) for i in range(BROWSERS)],
                             *[upload(browser, base, f, window, tally) for f in files])
        await browser.close()
    return tally


def stored_counts(url: str, shas: list[str]) -> dict[str, int]:
    """How many submissions in the store hold each uploaded file."""
    from metrics.store import Store

    store = Store(url)
    history = store.history()
    store.close()
    return {sha: sum(1 for h in history if h.get("sha256") == sha) for sha in shas}


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else float("nan")


def run(scale: float = 10.0, seconds: float | None = None) -> list[dict[str, Any]]:
    """Latency, errors and upload rows of one bounded load run at ``scale``."""
    seconds = float(seconds or os.environ.get("BENCH_LOAD_SECONDS") or 60)
    files = [[upload_workbook(u * UPLOADS_EACH + k) for k in range(UPLOADS_EACH)] for u in range(UPLOADERS)]
    label = scale_label(scale)
    with tempfile.TemporaryDirectory(prefix="bench_load_") as folder:
        url = stored_workbook(float(scale), folder)
        with serve(url, folder) as server:
            t0, cpu0 = time.perf_counter(), server.cpu_seconds
            tally = run_async(drive(server.base, seconds, files))
            elapsed = time.perf_counter() - t0
            # Share of one core the server used: near 1.0 means the server (one Python process) is the limit,
            # well below it means the browsers on the same cores are.
            server_cpu = round((server.cpu_seconds - cpu0) / elapsed, 2)
            log = server.log_text()
            peak = round(server.peak_mb, 1)
        # Keep the server's log for a look afterwards (bench/out/ is not committed).
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "load_streamlit.log").write_text(log, encoding="utf-8")
        tracebacks = log.count("Traceback")
        if tracebacks:
            last = log[log.rindex("Traceback"):]
            tally.errors.append(f"the server logged {tracebacks} traceback(s), see bench/out/load_streamlit.log; "
                                f"last: {' | '.join(last.strip().splitlines()[-3:])[:400]}")
        every = [sha for group in files for sha in (hashlib.sha256(p.read_bytes()).hexdigest() for p in group)]
        attempted = every[:len(tally.stored) + sum(1 for e in tally.errors if e.startswith("upload"))]
        counts = stored_counts(url, every)
    # Every file the app said it stored is there exactly once; files not confirmed are not there twice.
    not_once = sum(1 for sha in tally.stored if counts[sha] != 1) + sum(1 for sha, n in counts.items() if n > 1)
    lat = tally.latencies
    median = statistics.median(lat) if lat else float("nan")
    first = statistics.median(tally.first_loads) if tally.first_loads else None
    return [
        result("load_page_latency", label, median, "first load of a session", first, budget="p95 < 2 s, 0 errors",
               p95_seconds=round(p95(lat), 3), navigations=len(lat), sessions=BROWSERS + UPLOADERS,
               errors=len(tally.errors), error_sample=tally.errors[:5], run_seconds=round(elapsed, 1),
               server_cpu_cores=server_cpu, load_average=round(os.getloadavg()[0], 1), peak_mb=peak),
        result("load_uploads", label, statistics.median(tally.uploads) if tally.uploads else float("nan"),
               budget="each stored exactly once", uploads_confirmed=len(tally.stored), uploads_tried=len(attempted),
               stored_not_once=not_once, errors=sum(1 for e in tally.errors if e.startswith("upload")),
               peak_mb=peak),
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rows = run(float(argv[0]) if argv else 10.0, float(argv[1]) if len(argv) > 1 else None)
    for r in rows:
        print(r)
    return 0 if all(r.get("errors") == 0 for r in rows) and rows[1]["stored_not_once"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
