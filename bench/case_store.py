"""Storage: import of the synthetic national workbook into SQLite against ingest alone, and status
(every scope) computed from the store.

Budgets (issue 5), at 31 × 2,000 items (scale 10): import (ingest + store) ≤ 2× ingest alone, measured
in the same run; ``compute_progress(store.dataset())`` for all scopes < 300 ms. Status is timed both
from a freshly opened store (the CLI: rows read from the database) and from an open one (the app:
the dataset is cached until the next write). Run:

    python -m bench.case_store [--scale 10]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
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


def run(scale: float = 10.0, repeat: int | None = None) -> list[dict[str, Any]]:
    """Benchmark rows: store import vs ingest, dataset load, status from the store (cold and warm)."""
    from metrics.catalog import load_catalog
    from metrics.ingest import read_file
    from metrics.progress import compute_progress
    from metrics.store import Store

    repeat = repeat or (1 if scale >= 100 else 3)
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
    return [
        result("store_import_vs_ingest", label, import_s, "read_file alone", ingest_s, budget="<= 2x",
               items=n_items, store_seconds=round(store_s, 4)),
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
