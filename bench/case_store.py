"""Storage: import of the synthetic national workbook into SQLite against ingest alone, and status
(every scope) computed from the store.

Budgets at 31 × 2,000 items (scale 10): import (ingest + store) ≤ 1.5× ingest alone, measured in the
same run (issue 17; issue 5 said 2×); ``compute_progress(store.dataset())`` for all scopes < 300 ms;
progress alone < 200 ms (issue 4). Status is timed from a freshly opened store in this process, from an
open one (the app: the dataset is cached until the next write), and as issue 17 asks, in a new Python
process the way ``python -m metrics status --json`` runs it: the store's work there (open the store, read
the dataset) < 0.3 s, against compute_progress timed in that same process; the whole CLI command's wall
time is printed against ``python -m metrics --help`` (the interpreter and its imports). Run:

    python -m bench.case_store [--scale 10]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import median_seconds, result

AS_OF = dt.date(2026, 11, 28)


def synthetic_path(scale: float) -> tuple[Path, str]:
    """The synthetic national workbook at ``scale`` (× 31 regions × 200 items) and its row label."""
    from bench.data import scale_label, workbook

    return workbook(scale), scale_label(scale)


# A new interpreter's status: imports, then the store's work (open + dataset), then progress, each timed.
_COLD_CHILD = """
import json, sys, time, datetime as dt
t0 = time.perf_counter()
from metrics.catalog import load_catalog
from metrics.progress import compute_progress
from metrics.store import Store
t1 = time.perf_counter()
store = Store(sys.argv[1])
t2 = time.perf_counter()
data = store.dataset()
t3 = time.perf_counter()
records = compute_progress(data, load_catalog(), as_of=dt.date(2026, 11, 28)).records(("national", "province"))
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "open": t2 - t1, "dataset": t3 - t2, "progress": t4 - t3,
                  "records": len(records)}))
"""


def cold_process(url: str, repeat: int) -> dict[str, float]:
    """Median figures of ``repeat`` new interpreters computing status from the store at ``url``."""
    import subprocess

    from bench.data import ROOT

    runs = []
    for _ in range(repeat + 1):  # the first warms the page cache
        out = subprocess.run([sys.executable, "-c", _COLD_CHILD, url], cwd=ROOT, capture_output=True, text=True,
                             check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    runs = runs[1:]
    figures = {k: statistics.median(r[k] for r in runs) for k in ("imports", "open", "dataset", "progress")}
    figures["store"] = statistics.median(r["open"] + r["dataset"] for r in runs)
    figures["records"] = runs[0]["records"]
    return figures


def cli_seconds(url: str, repeat: int) -> tuple[float, float]:
    """Median wall time of ``python -m metrics status --json`` on the store, and of ``--help`` (the floor)."""
    import subprocess

    from bench.data import ROOT

    def wall(args: list[str]) -> float:
        times = []
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        return statistics.median(times[1:])

    return (wall(["status", "--json", "--db", url, "--as-of", AS_OF.isoformat()]), wall(["--help"]))


def run(scale: float = 10.0, repeat: int | None = None) -> list[dict[str, Any]]:
    """Benchmark rows: store import vs ingest, dataset load, status from the store (cold and warm)."""
    from metrics.catalog import load_catalog
    from metrics.ingest import read_file
    from metrics.progress import compute_progress
    from metrics.store import Store

    repeat = repeat or int(os.environ.get("BENCH_REPEAT") or 0) or (1 if scale >= 100 else 3)
    path, label = synthetic_path(scale)
    content = path.read_bytes()
    max_bytes = max(len(content) + 1, 50 * 2**20)
    catalog = load_catalog()
    scopes = ("national", "province", "direction", "flagship")

    def ingest() -> Any:
        return read_file(content, path.name, max_bytes=max_bytes, catalog=catalog)

    with tempfile.TemporaryDirectory() as tmp:
        ingest_s = median_seconds(ingest, repeat=repeat)
        # One fresh store per timed import (migrations are setup, not import).
        stores = [Store(f"sqlite:///{Path(tmp) / f'import{i}.sqlite'}") for i in range(repeat + 1)]
        import_times, store_times = [], []
        for i, store in enumerate(stores):
            t0 = time.perf_counter()
            res = ingest()
            t1 = time.perf_counter()
            outcome = store.save_submission(res, content, path.name, uploader="bench")
            t2 = time.perf_counter()
            if not outcome.created:
                raise RuntimeError(f"nothing stored: {outcome}")
            if i:  # the first run warms up
                import_times.append(t2 - t0)
                store_times.append(t2 - t1)
        import_s, store_s = statistics.median(import_times), statistics.median(store_times)
        url = stores[-1].url
        n_items = len(res.items)
        for s in stores:
            s.close()

        def load_cold() -> Any:
            s = Store(url)
            data = s.dataset()
            s.close()
            return data

        def status_cold() -> Any:
            s = Store(url)
            progress = compute_progress(s.dataset(), catalog, as_of=AS_OF)
            s.close()
            return progress.records(scopes)

        open_store = Store(url)
        open_store.dataset()

        def status_warm() -> Any:
            return compute_progress(open_store.dataset(), catalog, as_of=AS_OF).records(scopes)

        load_s = median_seconds(load_cold, repeat=max(repeat, 3))
        cold_s = median_seconds(status_cold, repeat=max(repeat, 3))
        warm_s = median_seconds(status_warm, repeat=max(repeat, 3))
        compute_s = median_seconds(lambda: compute_progress(open_store.dataset(), catalog, as_of=AS_OF),
                                   repeat=max(repeat, 3))
        open_store.close()
        cold = cold_process(url, repeat)  # new processes: --repeat of them after one warm-up
        cli_s, help_s = cli_seconds(url, repeat)
    return [
        result("store_import_vs_ingest", label, import_s, "read_file alone", ingest_s, budget="<= 1.5x",
               items=n_items, store_seconds=round(store_s, 4)),
        result("store_status_new_process_store_work", label, cold["store"],
               "compute_progress in the same process", cold["progress"], budget="< 0.3 s", items=n_items,
               open_seconds=round(cold["open"], 4), dataset_seconds=round(cold["dataset"], 4),
               imports_seconds=round(cold["imports"], 4)),
        result("status_cli_wall", label, cli_s, "python -m metrics --help", help_s, items=n_items),
        result("progress_on_stored_dataset", label, compute_s, "status from the open store (progress + records)",
               warm_s, budget="< 0.2 s", items=n_items),
        result("store_dataset_load_cold", label, load_s, items=n_items),
        result("store_status_cold", label, cold_s, "compute_progress on the open store's dataset", compute_s,
               budget="< 0.3 s", items=n_items),
        result("store_status_warm", label, warm_s, budget="< 0.3 s", items=n_items),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=10.0, help="multiple of 31 regions × 200 items (10 = 31 × 2,000)")
    p.add_argument("--repeat", type=int, default=None)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    rows = run(args.scale, args.repeat)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        base = f"  {r['baseline']}: {r['baseline_seconds']:.3f}s  ratio {r['ratio']:.2f}" if r["baseline"] else ""
        print(f"{r['case']:<26} {r['scale']:<16} {r['seconds']:.3f}s{base}  {r['budget']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
