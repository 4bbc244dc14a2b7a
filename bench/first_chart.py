"""The first chart's time to show in a real browser (issue 17 point 5), against the page's first text.

Headless Chromium (Playwright, /usr/bin/chromium) opens each page in a new browser context (a new
session: no cached session state, the browser's HTTP cache empty) and records, from the start of the
navigation, when the page's title (its first ``h1``) and its first Plotly chart are visible. The same is
measured in the same run on a bare Streamlit page holding only a title and one small plotly chart, served
with the same ``.streamlit/config.toml``: the stack's own floor. Printed per page (medians of ``--repeat``
visits after one warm-up): first text, first chart, chart ÷ text, and chart ÷ the bare page's chart
(issue 17's budget: ≤ 1.5×), with the load average; and, for the app's pages, when the server sent the first
chart to a new session over Streamlit's own protocol (no browser: ``server_chart_s``), which separates the
server's share of the time from the browser's. Run:

    python -m bench.first_chart [SCALE|sample] [--repeat 5] [--pages overview,gaps,compare,goals]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from bench.server import CHART, CHROMIUM, CHROMIUM_ARGS, EXCEPTION, IDLE, free_port, serve, start_streamlit, wait_healthy

TITLE = "[data-testid='stMain'] h1"
URL_PATHS = {"overview": "", "gaps": "gaps", "compare": "compare", "goals": "goals"}
BARE_SCRIPT = '''
import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))
'''


@contextmanager
def serve_bare(folder: Path, timeout: float = 120) -> Iterator[str]:
    """A bare one-chart Streamlit page on 127.0.0.1, run from the repository (its config.toml applies)."""
    script = folder / "bare_one_chart.py"
    script.write_text(BARE_SCRIPT, encoding="utf-8")
    port = free_port()
    log = open(folder / f"bare_{port}.log", "wb")
    proc = start_streamlit(script, port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, base, timeout, lambda: "the bare streamlit page did not start")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def visit(browser: Any, url: str) -> tuple[float, float]:
    """Seconds from the navigation's start to the first title and to the first chart, in a new session."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(TITLE, state="visible", timeout=120_000)
        text = time.perf_counter() - t0
        page.wait_for_selector(CHART, state="visible", timeout=120_000)
        chart = time.perf_counter() - t0
        page.wait_for_selector(IDLE, timeout=120_000)
        if page.locator(EXCEPTION).count():
            raise RuntimeError(f"{url}: an exception is shown on the page")
        return text, chart
    finally:
        context.close()


def medians(browser: Any, url: str, repeat: int) -> tuple[float, float]:
    visit(browser, url)  # warm-up: the server's first run of the page (store read, progress, figures)
    runs = [visit(browser, url) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def fill_store(folder: str, scale: str) -> str:
    from bench.capacity import fill_store as fill

    return fill(folder, scale)


def server_chart_seconds(base: str, page: str, repeat: int) -> float:
    """Median seconds from opening a new session's websocket to the delta that carries its first plotly chart."""
    from bench.common import run_async

    return statistics.median(run_async(_first_chart_delta(base, page)) for _ in range(repeat + 1))


async def _first_chart_delta(base: str, page: str) -> float:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    port = base.rsplit(":", 1)[1]
    began = time.perf_counter()
    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  origin=f"http://127.0.0.1:{port}", max_size=None) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
                    and fwd.delta.new_element.WhichOneof("type") == "plotly_chart":
                return time.perf_counter() - began
            if kind == "script_finished":
                raise RuntimeError(f"page {page!r} finished without a chart")


def run(scale: str = "sample", repeat: int = 5, pages: list[str] | None = None) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    pages = pages or list(URL_PATHS)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_chart_") as tmp:
        folder = Path(tmp)
        url = fill_store(tmp, scale)
        with serve(url, folder) as app, serve_bare(folder) as bare, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            load_before = os.getloadavg()[0]
            bare_text, bare_chart = medians(browser, bare, repeat)
            rows.append({"page": "bare one-chart page", "text_s": bare_text, "chart_s": bare_chart})
            for name in pages:
                text, chart = medians(browser, f"{app.base}/{URL_PATHS[name]}", repeat)
                rows.append({"page": name, "text_s": text, "chart_s": chart,
                             "server_chart_s": round(server_chart_seconds(app.base, URL_PATHS[name], repeat), 3)})
            browser.close()
            load_after = os.getloadavg()[0]
            if "Traceback" in app.log_text():
                raise RuntimeError(f"the server logged a traceback: {app.log_text()[-3000:]}")
    for r in rows:
        r.update(scale=scale, chart_to_text=round(r["chart_s"] / r["text_s"], 2),
                 chart_to_bare_chart=round(r["chart_s"] / bare_chart, 2), text_s=round(r["text_s"], 3),
                 chart_s=round(r["chart_s"], 3), load_average=f"{load_before:.2f}-{load_after:.2f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scale", nargs="?", default="sample", help="'sample' or a multiple of 31 × 200 items")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--pages", default=",".join(URL_PATHS))
    args = p.parse_args(argv)
    rows = run(args.scale, args.repeat, [x for x in args.pages.split(",") if x])
    print(f"{'page':<22} {'first text':>10} {'first chart':>11} {'chart/text':>10} {'chart/bare chart':>16} "
          f"{'server: chart sent':>18}  load")
    for r in rows:
        sent = f"{r['server_chart_s']:.3f}s" if "server_chart_s" in r else "–"
        print(f"{r['page']:<22} {r['text_s']:>9.3f}s {r['chart_s']:>10.3f}s {r['chart_to_text']:>10.2f} "
              f"{r['chart_to_bare_chart']:>16.2f} {sent:>18}  {r['load_average']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
