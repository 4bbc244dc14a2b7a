"""Capacity without browsers: N sessions speaking Streamlit's own websocket protocol (issue 17).

Each session opens ``/_stcore/stream`` on one app process (sessions spread round-robin over 1 or 2
``streamlit run`` processes on the same store), then asks for the pages in turn with ``BackMsg.rerun_script``
and counts a view as done at ``script_finished``. No browser runs, so the box measures the server. Bounded:
at most ``MAX_SESSIONS`` sessions, ``seconds`` per configuration, loopback only (127.0.0.1). Printed per
configuration: p50/p95 of a view, views/s, server CPU seconds per view (psutil, summed over the processes),
the clients' own CPU per view (they run on the same cores), peak resident memory of the largest process,
errors, and the load average; before the 1-process rows, the server CPU of one view of each page
(``cpu_by_page``). Run:

    python -m bench.capacity [SCALE|sample] [SECONDS]     # default: sample data, 20 s per configuration
"""
from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.common import run_async
from bench.server import serve

SESSIONS = (1, 3, 6, 12)
PROCESSES = (1, 2)
MAX_SESSIONS = 12
# Page url paths as st.navigation names them; "" is the default page (总览).
PAGES = ["", "gaps", "compare", "goals", "history", "catalog", "report"]
VIEW_TIMEOUT = 120.0


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank) of ``values``; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = -(-95 * len(ordered) // 100)  # ceil(0.95 n) in integers: no float rounding at exact ranks
    return ordered[rank - 1]


async def session(port: int, start: int, deadline: float, latencies: list[float], errors: list[str],
                  by_page: dict[str, list[float]] | None = None) -> None:
    """One protocol-level client: view pages in turn until ``deadline``; each view's seconds into ``latencies``."""
    import websockets

    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      origin=f"http://127.0.0.1:{port}", max_size=None) as ws:
            i = start
            while time.monotonic() < deadline:
                began = time.monotonic()
                if await _view(ws, PAGES[i % len(PAGES)]):
                    errors.append(f"exception on page {PAGES[i % len(PAGES)]!r}")
                latencies.append(time.monotonic() - began)
                if by_page is not None:
                    by_page.setdefault(PAGES[i % len(PAGES)] or "overview", []).append(latencies[-1])
                i += 1
    except (OSError, asyncio.TimeoutError, Exception) as exc:  # noqa: BLE001 - counted and printed, never silent
        errors.append(f"{type(exc).__name__}: {exc}")


async def _view(ws: Any, page: str) -> bool:
    """One view of ``page`` on an open session, to ``script_finished``; whether it showed an exception."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = page
    await ws.send(msg.SerializeToString())
    failed = False
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await asyncio.wait_for(ws.recv(), VIEW_TIMEOUT))
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
                and fwd.delta.new_element.WhichOneof("type") == "exception":
            failed = True
        if kind == "script_finished":
            return failed


def cpu_by_page(server: Any, repeat: int = 5) -> dict[str, float]:
    """Server CPU seconds (user + system, read from the process right before and after) of one view of
    each page, one session viewing the pages in turn ``repeat`` times; the median per page. One client
    and nothing else on the process, so the figure is the page's own cost, whatever the machine's load."""
    import psutil
    import websockets

    proc = psutil.Process(server.proc.pid)
    port = int(server.base.rsplit(":", 1)[1])
    seconds: dict[str, list[float]] = {}

    def cpu() -> float:
        t = proc.cpu_times()
        return t.user + t.system

    async def run() -> None:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      origin=f"http://127.0.0.1:{port}", max_size=None) as ws:
            for page in PAGES:  # warm-up: the first view of a page builds its cached figures and tables
                await _view(ws, page)
            for _ in range(repeat):
                for page in PAGES:
                    before = cpu()
                    if await _view(ws, page):
                        raise RuntimeError(f"exception on page {page!r}")
                    seconds.setdefault(page or "overview", []).append(cpu() - before)

    run_async(run())
    return {page: round(statistics.median(v), 3) for page, v in sorted(seconds.items())}


def measure(servers: list[Any], sessions: int, seconds: float) -> dict[str, Any]:
    """``sessions`` clients over ``servers`` for ``seconds``; the figures of that configuration."""
    sessions = min(sessions, MAX_SESSIONS)
    ports = [int(s.base.rsplit(":", 1)[1]) for s in servers]
    latencies: list[float] = []
    errors: list[str] = []
    by_page: dict[str, list[float]] = {}
    cpu_before = sum(s.cpu_seconds for s in servers)
    client_before = time.process_time()  # this process: the clients share the servers' cores
    began = time.monotonic()
    deadline = began + seconds

    async def run() -> None:
        await asyncio.gather(*(session(ports[k % len(ports)], k, deadline, latencies, errors, by_page)
                               for k in range(sessions)))

    run_async(run())
    elapsed = time.monotonic() - began
    client = time.process_time() - client_before
    time.sleep(0.3)  # let the samplers read the servers' CPU after the last view
    cpu = sum(s.cpu_seconds for s in servers) - cpu_before
    views = len(latencies)
    return {"processes": len(servers), "sessions": sessions, "views": views,
            "p50_s": round(statistics.median(latencies), 3) if latencies else None,
            "p95_s": round(p95(latencies), 3) if latencies else None,
            "views_per_s": round(views / elapsed, 2), "cpu_s_per_view": round(cpu / views, 3) if views else None,
            "client_cpu_s_per_view": round(client / views, 3) if views else None,
            "peak_mb": round(max(s.peak_mb for s in servers)), "errors": len(errors),
            "first_error": errors[0] if errors else "", "load_average": round(os.getloadavg()[0], 2),
            "p95_by_page": {page: round(p95(v), 3) for page, v in sorted(by_page.items())}}


def fill_store(folder: str, scale: str) -> str:
    """A SQLite store in ``folder`` holding the sample workbooks, or the synthetic national set at ``scale``,
    filled once before the servers start (so two processes never both seed it); its URL."""
    if scale != "sample":
        from bench.data import stored_workbook

        return stored_workbook(float(scale), folder)
    from app_support.data import load_samples
    from metrics.store import Store

    url = f"sqlite:///{Path(folder) / 'tracker.sqlite'}"
    load_samples(Store(url))
    return url


def run(scale: str = "sample", seconds: float = 20.0) -> list[dict[str, Any]]:
    """Every configuration (1 and 2 processes × 1, 3, 6, 12 sessions); one row each."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        url = fill_store(folder, scale)
        for processes in PROCESSES:
            with ExitStack() as stack:
                servers = [stack.enter_context(serve(url, folder)) for _ in range(processes)]
                measure(servers, 1, 3)  # warm-up: imports, the first store read and progress in each process
                if processes == 2:
                    measure(servers[1:], 1, 3)
                else:
                    by_page = cpu_by_page(servers[0])
                    print({"scale": scale, "cpu_s_per_view_by_page": by_page,
                           "load_average": round(os.getloadavg()[0], 2)}, flush=True)
                for n in SESSIONS:
                    row = {"scale": scale, **measure(servers, n, seconds)}
                    rows.append(row)
                    print(row, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    scale = args[0] if args else "sample"
    seconds = float(args[1]) if len(args) > 1 else 20.0
    rows = run(scale, seconds)
    print("processes sessions views p50 p95 views/s cpu/view client-cpu/view peak errors load")
    for r in rows:
        print(f"{r['processes']} {r['sessions']:>2} {r['views']:>4} {r['p50_s']} {r['p95_s']} {r['views_per_s']} "
              f"{r['cpu_s_per_view']} {r['client_cpu_s_per_view']} {r['peak_mb']} MB {r['errors']} "
              f"{r['load_average']}")
    print("p95 per page (s):")
    for r in rows:
        print(f"{r['processes']} {r['sessions']:>2} " + " ".join(f"{k}={v}" for k, v in r["p95_by_page"].items()))
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
