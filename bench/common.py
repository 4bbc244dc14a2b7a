"""Timing helpers shared by the benchmark cases: medians after a warm-up, never in tests."""
from __future__ import annotations

import asyncio
import gc
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable


def median_seconds(fn: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs after ``warmup`` runs."""
    # The suite driver (python -m bench --repeat N) sets BENCH_REPEAT for every case it runs.
    repeat = int(os.environ.get("BENCH_REPEAT") or repeat)
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def result(case: str, scale: str, seconds: float, baseline: str | None = None, baseline_seconds: float | None = None,
           budget: str = "", **extra: Any) -> dict[str, Any]:
    """One benchmark row: the case, its median time, and its ratio to the baseline of the same run."""
    ratio = seconds / baseline_seconds if baseline_seconds else None
    return {"case": case, "scale": scale, "seconds": round(seconds, 4), "baseline": baseline,
            "baseline_seconds": round(baseline_seconds, 4) if baseline_seconds else None,
            "ratio": round(ratio, 3) if ratio else None, "budget": budget, **extra}


def run_async(coro: Awaitable[Any]) -> Any:
    """Run ``coro`` to completion on a new event loop in its own thread.

    Playwright's sync API (the browser tests and benches, earlier in the same process) leaves an event loop
    running in the main thread, where ``asyncio.run`` refuses to start a second one.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
