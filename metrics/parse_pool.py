"""Uploaded files parsed in a bounded pool of worker processes (issue 18).

On a shared server every office's upload runs inside the one app process; a hostile or careless
file must not take it down. So ``read_file`` runs in a separate process for each file, with at most
``TRACKER_PARSE_WORKERS`` at a time (further files wait for a free slot: one huge file never holds
up more than its own slot), a wall-clock limit (``TRACKER_PARSE_SECONDS``: the process is killed
when it runs out) and a memory limit (``TRACKER_PARSE_MEMORY_MB``, ``RLIMIT_AS`` set in the worker,
counted beyond what the worker maps when it starts, so an allocation past it fails inside the
worker, never in the app). A parse past a limit is
answered as an unreadable file with a problem that names the limit (``parse_too_slow``,
``parse_too_big``, ``parse_crashed``), never a crash. The CLI's ``import`` and ``validate`` use the
same path (``bounded_read_file``).

In the app, workers are forked from a forkserver that has imported the ingest code once, so a worker
starts in milliseconds, and never from the app process itself (whose threads must not be forked); a
single-threaded caller (the CLI) forks its workers directly. Starting that fork server costs 3-4 s
(it imports and warms the readers), so the app calls ``warm_up()`` when it starts: one tiny parse on a
background thread, so the first upload after a restart finds the pool warm instead of paying for it.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import sys
import threading
import time
import types
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import IngestResult
from .settings import setting

log = logging.getLogger("tracker.parse_pool")

# Imported once in the forkserver, so a worker neither pays for them nor maps them under its memory limit.
_PRELOAD = ["metrics.ingest", "metrics.parse_pool", "metrics.budget", "python_calamine", "openpyxl", "xlrd",
            "charset_normalizer", "metrics._parse_warmup"]
_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None
_slots_size = 0
_context: Any = None
_warming: threading.Thread | None = None
_warm = threading.Event()
_WARM_CSV = "省份,指标,名称\n江苏省,前沿关键核心技术,预热\n".encode("utf-8")


@dataclass(frozen=True)
class Limits:
    """The bounds of one parse: worker count, wall-clock seconds, address-space megabytes."""

    workers: int
    seconds: float
    memory_mb: int


def _number(name: str, default: float) -> float:
    try:
        return float(setting(name))
    except (KeyError, ValueError):
        return default


def limits() -> Limits:
    """The configured bounds (``TRACKER_PARSE_WORKERS``, ``TRACKER_PARSE_SECONDS``, ``TRACKER_PARSE_MEMORY_MB``)."""
    return Limits(workers=max(1, int(_number("TRACKER_PARSE_WORKERS", 2))),
                  seconds=max(0.001, _number("TRACKER_PARSE_SECONDS", 120)),
                  memory_mb=max(16, int(_number("TRACKER_PARSE_MEMORY_MB", 768))))


# A single-threaded caller bigger than this (resident MB) starts its workers from the fork server too.
FORK_MAX_RSS_MB = 400


def _ctx() -> Any:
    """How workers start. A process with one thread (the CLI) forks them itself: nothing is imported
    again and no fork server starts (that cost a one-file ``validate`` 0.6 s, doubling it). A threaded
    process (the app) must not fork itself, so its workers come from a fork server that has preloaded
    the ingest code once."""
    global _context
    # Only a lean process forks itself: a worker's memory limit counts from its size as forked, and a
    # forked worker can reuse the parent's free heap without that size growing (after a long run — a
    # test session, say — a 100,000-row parse fitted "within" a 16 MB limit). A fork server child is lean.
    if threading.active_count() == 1 and _status_kb("self", "VmRSS") < FORK_MAX_RSS_MB * 1024:
        return mp.get_context("fork")
    with _lock:
        if _context is None:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


@contextmanager
def _no_main_module() -> Any:
    """Start a worker without the app script as its ``__main__``.

    multiprocessing has each child re-run the parent's ``__main__`` file, and under ``streamlit run``
    (or after an AppTest) that module is dashboard.py: every worker would run the whole app (open the
    store, draw the pages) before reading its file. A bare module in its place for the instant of the
    start gives the child nothing to re-run.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _slot(workers: int) -> threading.BoundedSemaphore:
    global _slots, _slots_size
    with _lock:
        if _slots is None or _slots_size != workers:
            _slots, _slots_size = threading.BoundedSemaphore(workers), workers
        return _slots


def _worker(conn: Any, source: Any, filename: str | None, province: str | None, kwargs: dict[str, Any],
            memory_bytes: int) -> None:
    """In the worker process: limit the address space, read the file, send back the result (or why not)."""
    import resource

    try:
        # The limit is what the parse may add to the worker as forked: the libraries it starts with
        # reserve far more address space than they touch (about 1.4 GB mapped, 150 MB resident).
        cap = _vm_size_kb() * 1024 + memory_bytes
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = cap if hard == resource.RLIM_INFINITY else min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # pragma: no cover - a platform without RLIMIT_AS: the wall clock still holds
        pass
    try:
        from . import ingest
        from .ingest import read_file

        ingest.RAISE_MEMORY_ERROR = True
        result = read_file(source, filename, province, **kwargs)
        conn.send(("ok", result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    except MemoryError:
        conn.send(("memory", None, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    except BaseException as exc:  # noqa: BLE001 - any failure is an answer, never a hung parent
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:500], 0))
        except BaseException:  # noqa: BLE001
            pass
    finally:
        conn.close()


def _status_kb(pid: int | str | None, field: str) -> int:
    """One size field of /proc/<pid>/status in KiB (VmHWM, VmSize …), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _peak_rss_kb(pid: int | None) -> int:
    """A live process's peak resident size in KiB (VmHWM), 0 when unknown."""
    return _status_kb(pid, "VmHWM")


def _vm_size_kb() -> int:
    """This process's mapped address space in KiB (VmSize)."""
    return _status_kb("self", "VmSize")


def _refused(label: str, code: str, **params: Any) -> IngestResult:
    from .problems import make_problem

    return IngestResult(file=label, readable=False, problems=[make_problem(code, **params)])


def _label(source: Any, filename: str | None) -> str:
    return filename or (Path(source).name if isinstance(source, (str, Path)) else "upload")


@dataclass(frozen=True)
class ParseStats:
    """How one bounded parse went: ``outcome`` (ok, timeout, memory, died, error), seconds, worker peak RSS."""

    outcome: str
    seconds: float
    peak_rss_mb: float


def bounded_read_file(source: str | Path | bytes, filename: str | None = None, province: str | None = None, *,
                      bounds: Limits | None = None, **kwargs: Any) -> IngestResult:
    """``read_file`` in a worker process of the bounded pool, within the wall-clock and memory limits.

    Takes the arguments of ``metrics.ingest.read_file``; a parse past a limit returns an unreadable
    result whose one problem says which limit and its value.
    """
    return bounded_read_file_stats(source, filename, province, bounds=bounds, **kwargs)[0]


def bounded_read_file_stats(source: str | Path | bytes, filename: str | None = None, province: str | None = None, *,
                            bounds: Limits | None = None, **kwargs: Any) -> tuple[IngestResult, ParseStats]:
    """``bounded_read_file`` and how it went (for the benchmark and the log)."""
    bounds = bounds or limits()
    label = _label(source, filename)
    if isinstance(source, Path):
        source = str(source)
    ctx = _ctx()
    with _slot(bounds.workers):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, name="tracker-parse", daemon=True,
                           args=(child, source, filename, province, kwargs, bounds.memory_mb * 2**20))
        started = time.monotonic()
        with _lock, _no_main_module():
            proc.start()
        child.close()
        hwm, deadline = 0, started + bounds.seconds
        try:
            # Wait in short steps, noting the worker's peak memory (a worker that dies cannot report it).
            while not parent.poll(max(0.0, min(0.5, deadline - time.monotonic()))):
                hwm = max(hwm, _peak_rss_kb(proc.pid))
                if time.monotonic() >= deadline or not proc.is_alive():
                    break
            message = parent.recv() if parent.poll(0) else None
            if message is None and not proc.is_alive():
                message = ("died", None, hwm)
        except (EOFError, OSError):  # the worker died before answering
            message = ("died", None, hwm)
        finally:
            parent.close()
        elapsed = time.monotonic() - started
        if message is None:
            hwm = max(hwm, _peak_rss_kb(proc.pid))  # read before the kill: how far the worker got
            proc.kill()
        proc.join(5)
        if proc.is_alive():  # pragma: no cover - a worker that ignores SIGKILL cannot exist; belt and braces
            proc.kill()
            proc.join()
    kind, payload, peak_kb = message if message is not None else ("timeout", None, hwm)
    stats = ParseStats(kind, elapsed, peak_kb / 1024)
    if kind == "ok":
        return payload, stats
    log.warning("parse of %r refused (%s after %.1f s): %s", label, kind, elapsed, payload or "")
    if kind == "timeout":
        return _refused(label, "parse_too_slow", seconds=f"{bounds.seconds:g}"), stats
    if kind == "memory" or (kind == "died" and proc.exitcode is not None and proc.exitcode < 0):
        # Killed by a signal (the kernel's OOM killer, a segfault in a C reader): the limit is the likeliest cause.
        return _refused(label, "parse_too_big", limit_mb=f"{bounds.memory_mb:,}"), stats
    return _refused(label, "parse_crashed"), stats


def _warm_pool() -> None:
    try:
        _, stats = bounded_read_file_stats(_WARM_CSV, "warmup.csv")
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first upload its 3-4 s
        log.exception("warming the parse pool failed")
        return
    if stats.outcome == "ok" and _context is not None:
        _warm.set()
    else:
        log.warning("warming the parse pool: %s after %.1f s", stats.outcome, stats.seconds)


def warm_up() -> threading.Thread:
    """Start the fork server now, on a background thread, by one tiny parse through the pool; once per
    process (later calls return the same thread). The app calls it at start, so no page waits for it."""
    global _warming
    with _lock:
        if _warming is None:
            _warming = threading.Thread(target=_warm_pool, name="tracker-parse-warmup", daemon=True)
            _warming.start()
        return _warming


def fork_server_pid() -> int | None:
    """The running fork server's process id, None when none runs in this process."""
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if pid is None:
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return pid


def is_warm() -> bool:
    """Whether a parse has gone through a running fork server: the ingest code is loaded in it, and the
    next worker is forked from it without the start-up cost."""
    return _warm.is_set() and fork_server_pid() is not None


__all__ = ["Limits", "ParseStats", "bounded_read_file", "bounded_read_file_stats", "fork_server_pid", "is_warm",
           "limits", "warm_up"]
