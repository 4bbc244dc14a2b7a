"""The huge workbook uploaded through the real app while another session keeps viewing pages (issue 18).

Issue 18's done-when: *the huge workbook is refused in under 10 s with the server's peak memory under 1 GB
and another session's page answering meanwhile*. This benchmark:

1. writes the workbook once (cached under /tmp): one sheet 成果清单 of 1,048,576 rows × 193 columns, every
   cell filled, with the ``<dimension ref="A1:GK1048576"/>`` element Excel writes; the sheet XML is streamed
   into the zip row by row, so writing it needs no more memory than one row;
2. starts the app (``streamlit run dashboard.py``, accounts on, the sample data stored) on 127.0.0.1;
3. signs two users in (server-side sessions opened in the store, their cookies handed to the clients);
4. has one protocol-level client (Streamlit's websocket protocol, as ``bench.capacity``) view the pages in
   turn, first alone (the baseline), then while
5. headless Chromium uploads the workbook through the upload page's file chooser (``--repeat`` times, a
   fresh page each), timed from choosing the file until the page shows the refusal and has finished its run;
6. samples, every 50 ms, the resident memory of the app process plus all its descendants (the parse pool's
   fork server and workers), summed: the server's peak.

Printed: seconds to the refusal and the problem shown, the server's peak RSS (sum, and the app process
alone), the other session's view latency p50/p95/max during the upload against the baseline, the load
average; exit 1 when a budget is missed (refusal < 10 s, peak < 1 GB, every view answered). Run:

    python -m bench.hostile_upload [--rows 1048576] [--cols 193] [--no-dimension] [--repeat 5] [--baseline-seconds 10]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

from bench.capacity import PAGES, VIEW_TIMEOUT, fill_store, p95
from bench.case_parse_pool import _CT, _RELS, _WB, _WB_RELS
from bench.server import CHROMIUM, CHROMIUM_ARGS, EXCEPTION, IDLE, serve

ROWS, COLS = 1_048_576, 193
BUDGET_SECONDS = 10.0
BUDGET_MB = 1024
SECRET = "bench-hostile-upload-secret-0123456789abcdef"
ERROR = "[data-testid='stAlertContentError']"


def _column(n: int) -> str:
    """Spreadsheet column letters of 1-based column ``n`` (193 -> GK)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def huge_workbook(rows: int = ROWS, cols: int = COLS, folder: Path = Path(tempfile.gettempdir()),
                  dimension: bool = True) -> Path:
    """The ``rows`` × ``cols`` workbook, written once into ``folder`` (reused while it exists); without
    ``dimension`` the sheet does not declare its size (only reading it would tell)."""
    path = folder / f"tracker_bench_huge_{rows}x{cols}{'' if dimension else '_undeclared'}.xlsx"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        + (f'<dimension ref="A1:{_column(cols)}{rows}"/>' if dimension else "")
                        + "<sheetData>").encode())
            header = "".join(f'<c t="inlineStr"><is><t>列{j}</t></is></c>' for j in range(1, cols + 1))
            part.write(f'<row r="1">{header}</row>'.encode())
            batch: list[str] = []
            for i in range(2, rows + 1):
                # Numbers that change from row to row, as a filled sheet's would (not one repeated cell).
                batch.append(f'<row r="{i}"><c><v>{i}</v></c>' + f"<c><v>{i % 997}.5</v></c>" * (cols - 1) + "</row>")
                if len(batch) == 2_000:
                    part.write("".join(batch).encode())
                    batch = []
            part.write(("".join(batch) + "</sheetData></worksheet>").encode())
    partial.rename(path)
    return path


class TreeMemory:
    """Peak resident memory of a process and all its descendants, summed, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_mb = 0.0       # the process tree, summed
        self.peak_app_mb = 0.0   # the app process alone
        self.peak_processes = 0  # the most processes seen in the tree at once
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def reset(self) -> None:
        self.peak_mb = self.peak_app_mb = 0.0
        self.peak_processes = 0

    def _run(self) -> None:
        import psutil

        root = psutil.Process(self.pid)
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                total = 0.0
                for p in procs:
                    try:
                        rss = p.memory_info().rss / 2**20
                    except psutil.Error:
                        continue  # a worker that ended between the listing and the read
                    total += rss
                    if p.pid == self.pid:
                        self.peak_app_mb = max(self.peak_app_mb, rss)
                self.peak_mb = max(self.peak_mb, total)
                self.peak_processes = max(self.peak_processes, len(procs))
            except psutil.Error:
                return
            time.sleep(0.05)


class Viewer:
    """One protocol-level session (a signed-in cookie) viewing the pages in turn on its own thread;
    every view's start time and seconds are kept."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.views: list[tuple[float, float]] = []  # (monotonic start, seconds)
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(VIEW_TIMEOUT + 5)

    def between(self, start: float, end: float) -> list[float]:
        """Seconds of the views that overlapped the window [start, end]."""
        return [s for began, s in self.views if began <= end and began + s >= start]

    async def _run(self) -> None:
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            async with websockets.connect(f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"],
                                          origin=f"http://127.0.0.1:{self.port}", max_size=None,
                                          additional_headers={"Cookie": f"tracker_session={self.cookie}"}) as ws:
                i = 0
                while not self._stop.is_set():
                    msg = BackMsg()
                    msg.rerun_script.query_string = ""
                    msg.rerun_script.page_name = PAGES[i % len(PAGES)]
                    began = time.monotonic()
                    await ws.send(msg.SerializeToString())
                    signed_in = False
                    while True:
                        fwd = ForwardMsg()
                        fwd.ParseFromString(await asyncio.wait_for(ws.recv(), VIEW_TIMEOUT))
                        kind = fwd.WhichOneof("type")
                        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                            element = fwd.delta.new_element
                            if element.WhichOneof("type") == "exception":
                                self.errors.append(f"exception on page {PAGES[i % len(PAGES)]!r}")
                            if element.WhichOneof("type") == "markdown" and "bench_viewer" in element.markdown.body:
                                signed_in = True  # the account box names the user: the page, not the login form
                        if kind == "script_finished":
                            break
                    if not signed_in:
                        self.errors.append(f"page {PAGES[i % len(PAGES)]!r} did not show the signed-in user")
                    self.views.append((began, time.monotonic() - began))
                    i += 1
        except Exception as exc:  # noqa: BLE001 - counted and printed, never silent
            self.errors.append(f"{type(exc).__name__}: {exc}")


def _figures(latencies: list[float]) -> dict[str, Any]:
    if not latencies:
        return {"views": 0, "p50_s": None, "p95_s": None, "max_s": None}
    return {"views": len(latencies), "p50_s": round(statistics.median(latencies), 3),
            "p95_s": round(p95(latencies), 3), "max_s": round(max(latencies), 3)}


def upload_in_browser(base: str, cookie: str, path: Path, repeat: int) -> list[tuple[float, float, str]]:
    """Chromium signed in by ``cookie`` uploads ``path`` on the upload page ``repeat`` times (a fresh page
    each time); for each: (monotonic start of the upload, seconds until the refusal is shown and the run
    has finished, the refusal's text)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(repeat):
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
                context.add_cookies([{"name": "tracker_session", "value": cookie, "url": base}])
                page = context.new_page()
                page.set_default_timeout(120_000)
                page.goto(f"{base}/upload")
                page.wait_for_selector("[data-testid='stFileUploaderDropzone'] button")
                page.wait_for_selector(IDLE)
                with page.expect_file_chooser() as chooser:
                    page.locator("[data-testid='stFileUploaderDropzone'] button").first.click()
                began = time.monotonic()
                chooser.value.set_files(str(path))
                page.wait_for_selector(ERROR, state="visible")
                page.wait_for_selector(IDLE)
                seconds = time.monotonic() - began
                if page.locator(EXCEPTION).count():
                    raise RuntimeError("an exception is shown on the upload page")
                out.append((began, seconds, " | ".join(page.locator(ERROR).all_inner_texts())))
                context.close()
                time.sleep(1.0)  # a gap between uploads: the viewer's views in it are not counted as during
        finally:
            browser.close()
    return out


def run(rows: int = ROWS, cols: int = COLS, baseline_seconds: float = 10.0, dimension: bool = True,
        repeat: int = 5) -> dict[str, Any]:
    import logging

    from metrics import auth
    from metrics.auth import Accounts
    from metrics.store import Store

    # Filling the store outside a Streamlit runtime warns once per cached function: noise here.
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    built = time.perf_counter()
    path = huge_workbook(rows, cols, dimension=dimension)
    built = time.perf_counter() - built
    with tempfile.TemporaryDirectory(prefix="bench_hostile_") as tmp:
        url = fill_store(tmp, "sample")
        accounts = Accounts(Store(url))
        rounds, auth.BCRYPT_ROUNDS = auth.BCRYPT_ROUNDS, 4
        try:
            accounts.add("bench_uploader", "bench password 1", "editor", "江苏省")
            accounts.add("bench_viewer", "bench password 2", "viewer")
        finally:
            auth.BCRYPT_ROUNDS = rounds
        uploader, viewer_cookie = accounts.open_session("bench_uploader"), accounts.open_session("bench_viewer")
        with serve(url, tmp, env={"TRACKER_AUTH": "on", "TRACKER_SECRET": SECRET}) as server, \
                TreeMemory(server.proc.pid) as memory:
            port = int(server.base.rsplit(":", 1)[1])
            viewer = Viewer(port, viewer_cookie)
            viewer.start()
            time.sleep(baseline_seconds)
            idle_mb = memory.peak_mb
            memory.reset()
            load_before = os.getloadavg()[0]
            uploads = upload_in_browser(server.base, uploader, path, repeat)
            load_after = os.getloadavg()[0]
            viewer.stop()
            log = server.log_text()
        first = uploads[0][0]
        during = [s for began, seconds, _ in uploads for s in viewer.between(began, began + seconds)]
        baseline = [s for b, s in viewer.views if b + s < first]
    times = [seconds for _, seconds, _ in uploads]
    refusals = {text for _, _, text in uploads}
    out = {"rows": rows, "cols": cols, "dimension": dimension, "file_mb": round(path.stat().st_size / 2**20, 1),
           "built_s": round(built, 1), "uploads": len(uploads), "refused_median_s": round(statistics.median(times), 2),
           "refused_max_s": round(max(times), 2), "refusal": " / ".join(sorted(refusals))[:300],
           "server_peak_mb": round(memory.peak_mb), "app_process_peak_mb": round(memory.peak_app_mb),
           "processes_seen": memory.peak_processes, "server_before_upload_mb": round(idle_mb),
           "viewer_during_upload": _figures(during), "viewer_baseline": _figures(baseline),
           "viewer_errors": viewer.errors[:3], "traceback_in_log": "Traceback" in log,
           "load_average": f"{load_before:.2f}-{load_after:.2f}"}
    out["ok"] = (max(times) < BUDGET_SECONDS and memory.peak_mb < BUDGET_MB and all(refusals) and not viewer.errors
                 and out["viewer_during_upload"]["views"] > 0 and not out["traceback_in_log"])
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=ROWS)
    p.add_argument("--cols", type=int, default=COLS)
    p.add_argument("--no-dimension", action="store_true",
                   help="the sheet does not declare its size (the zip and parse limits must stop it)")
    p.add_argument("--baseline-seconds", type=float, default=10.0, help="the viewer alone before the upload")
    p.add_argument("--repeat", type=int, default=5, help="uploads of the workbook, one after another")
    args = p.parse_args(argv)
    r = run(args.rows, args.cols, args.baseline_seconds, not args.no_dimension, args.repeat)
    during, base = r["viewer_during_upload"], r["viewer_baseline"]
    print(f"workbook: {r['rows']:,} rows x {r['cols']} columns, {r['file_mb']} MB zipped (written in {r['built_s']} s), "
          f"{'size declared' if r['dimension'] else 'no dimension element'}")
    print(f"refused after {r['refused_median_s']} s median, {r['refused_max_s']} s at most over {r['uploads']} uploads "
          f"(budget < {BUDGET_SECONDS:g} s): {r['refusal']}")
    print(f"server peak RSS {r['server_peak_mb']} MB (app + parse pool, {r['processes_seen']} processes at most; "
          f"app process alone {r['app_process_peak_mb']} MB; before the upload {r['server_before_upload_mb']} MB; "
          f"budget < {BUDGET_MB} MB)")
    print(f"other session during the upload: {during['views']} views, p50 {during['p50_s']} s, p95 {during['p95_s']} s, "
          f"max {during['max_s']} s (alone before: {base['views']} views, p50 {base['p50_s']} s, "
          f"p95 {base['p95_s']} s, max {base['max_s']} s)")
    print(f"viewer errors: {r['viewer_errors'] or 'none'}; traceback in the server log: {r['traceback_in_log']}; "
          f"load average {r['load_average']}")
    print("ok" if r["ok"] else "BUDGET MISSED")
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
