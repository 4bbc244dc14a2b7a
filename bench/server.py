"""The real app for the browser benchmarks: ``streamlit run dashboard.py`` on a loopback port against a
given store, with its peak resident memory sampled while it serves; and the headless Chromium options."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from bench.data import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
# The app has finished its current run (Streamlit marks the root element).
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg"
EXCEPTION = "[data-testid='stException']"


_handed_out: set[int] = set()


def free_port() -> int:
    """A free TCP port on the loopback interface. ``TRACKER_TEST_PORT`` pins it (``8600``) or names a range
    (``8600-8699``, a shared machine that hands each engineer a port range): the first port of the range that
    is free and not yet handed out by this process (two app processes never get the same one)."""
    pinned = os.environ.get("TRACKER_TEST_PORT", "")
    if pinned and "-" not in pinned:
        return int(pinned)
    candidates = range(int(pinned.split("-")[0]), int(pinned.split("-")[1]) + 1) if pinned else [0]
    for candidate in candidates:
        if candidate in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            port = s.getsockname()[1]
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port in TRACKER_TEST_PORT={pinned}")


class Server:
    """A running app: its base URL, its process, and the peak RSS seen so far (sampled every 0.1 s)."""

    def __init__(self, proc: subprocess.Popen, base: str, log: Path):
        self.proc, self.base, self.log = proc, base, log
        self.peak_mb = 0.0
        self.cpu_seconds = 0.0  # user + system CPU of the server so far
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        try:
            p = psutil.Process(self.proc.pid)
            while not self._stop.is_set():
                self.peak_mb = max(self.peak_mb, p.memory_info().rss / 2**20)
                cpu = p.cpu_times()
                self.cpu_seconds = cpu.user + cpu.system
                time.sleep(0.1)
        except psutil.Error:
            return

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self._stop.set()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_streamlit(script: str | Path, port: int, log: Any, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run SCRIPT`` headless on 127.0.0.1:``port`` from the repository (its config.toml applies)."""
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(proc: subprocess.Popen, base: str, timeout: float, why: Any) -> None:
    """Poll ``/_stcore/health`` until it answers 200; RuntimeError(``why()``) if the process ends or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(why())
        time.sleep(0.2)


@contextmanager
def serve(url: str, folder: str | Path, timeout: float = 120, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``streamlit run dashboard.py`` against the store at ``url``, on 127.0.0.1 only; stopped on exit.

    ``env`` adds settings (accounts, sample data …); the browser tests start the app through here too.
    """
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_SAMPLE_DATA": "off", "PYTHONDONTWRITEBYTECODE": "1",
           **(env or {})}
    log_path = Path(folder) / f"streamlit_{port}.log"
    log = open(log_path, "wb")
    proc = start_streamlit("dashboard.py", port, log, env)
    base = f"http://127.0.0.1:{port}"
    server = Server(proc, base, log_path)
    try:
        wait_healthy(proc, base, timeout, lambda: f"streamlit did not start: {server.log_text()[-2000:]}")
        yield server
    finally:
        server.stop()
        log.close()
