"""Benchmark: every scope × metric × deadline of the progress engine on a synthetic national set.

Budget: < 200 ms for 31 regions × 2,000 items (after ingest), growing linearly with the items.
The Dataset is built directly (seeded numpy), so only the engine is timed. Run:

    python -m bench.case_progress
"""
from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import numpy as np
import pandas as pd

import statistics
import time

from bench.common import median_seconds, result
from metrics.catalog import load_catalog
from metrics.model import Dataset, conform
from metrics.progress import compute_progress

AS_OF = dt.date(2026, 11, 28)
BUDGET_SECONDS = 0.200


def synthetic_dataset(items_per_region: int = 2000, regions: int = 31, seed: int = 42) -> Dataset:
    """A national set like the synthetic workbook: registers, a few totals, targets and self-assessments."""
    rng = np.random.default_rng(seed)
    cat = load_catalog()
    provinces = [r.name for r in cat.regions if r.kind != "plan_city" and r.kind != "corps"][:regions]
    metrics = [m.id for m in cat.countable_metrics] + ["platform", "talent_team", "tech_park"]
    n = items_per_region * len(provinces)
    prov = np.repeat(np.array(provinces, dtype=object), items_per_region)
    metric = np.array(metrics, dtype=object)[rng.integers(0, len(metrics), n)]
    # About one item in eight is also reported by another region (same code or same name).
    serial = rng.integers(0, int(n * 0.9), n)
    has_code = rng.random(n) < 0.7
    code = np.where(has_code, np.char.add("91110000MA", serial.astype(str)).astype(object), "")
    name = np.char.add("未来产业成果", serial.astype(str)).astype(object)
    key = np.where(has_code, np.char.lower(code.astype(str)), name.astype(str)).astype(object)
    status = np.array(["achieved", "in_progress", "planned"], dtype=object)[rng.choice(3, n, p=[0.7, 0.2, 0.1])]
    start = np.datetime64("2023-10-01")
    date = start + rng.integers(0, 1150, n).astype("timedelta64[D]")
    precision = np.array(["day", "month", "year"], dtype=object)[rng.choice(3, n, p=[0.8, 0.15, 0.05])]
    directions = [d.id for d in cat.directions]
    flagship = [f.id for f in cat.flagship] + [""] * 10
    items = conform(pd.DataFrame({
        "province": prov, "metric": metric, "name": name, "code": code, "key": key, "status": status,
        "direction": np.array(directions, dtype=object)[rng.integers(0, len(directions), n)],
        "flagship": np.array(flagship, dtype=object)[rng.integers(0, len(flagship), n)],
        "date": date, "date_precision": precision, "source": "synthetic.xlsx", "sheet": "成果清单",
        "row": np.arange(n) % items_per_region + 2}), "items")
    totals = conform(pd.DataFrame({
        "province": np.repeat(provinces, 4), "metric": "industry_scale",
        "as_of": np.tile(pd.to_datetime(["2024-06-30", "2024-12-31", "2025-12-31", "2026-09-30"]), len(provinces)),
        "value": rng.uniform(100, 3000, 4 * len(provinces)), "source": "synthetic.xlsx", "sheet": "指标汇总"}), "totals")
    targets = conform(pd.DataFrame({
        "province": np.repeat(provinces, 3), "metric": np.tile(["tech", "standard", "industry_scale"], len(provinces)),
        "kind": np.tile(["count", "count", "value"], len(provinces)),
        "unit": np.tile(["项", "项", "亿元"], len(provinces)),
        "value": np.tile([5.0, 3.0, 4000.0], len(provinces)), "qualifier": "ge",
        "deadline": np.tile(pd.to_datetime(["2025-12-31", "2027-12-31", "2026-12-31"]), len(provinces))}), "targets")
    levels = np.array(["achieved", "basically", "in_progress", "not_started"], dtype=object)
    goals = [m.id for m in cat.qualitative_metrics]
    assessments = conform(pd.DataFrame({
        "province": np.repeat(provinces, len(goals)), "goal": np.tile(goals, len(provinces)),
        "level": levels[rng.integers(0, 4, len(goals) * len(provinces))]}), "assessments")
    tasks = conform(pd.DataFrame({
        "province": np.repeat(provinces, 16), "task": np.tile(np.arange(1, 17), len(provinces)),
        "level": levels[rng.integers(0, 4, 16 * len(provinces))]}), "tasks")
    return Dataset(items=items, totals=totals, targets=targets, assessments=assessments, tasks=tasks)


def cpu_seconds(fn: Any, repeat: int) -> float:
    """Median CPU time of ``fn`` (this process only: steadier than wall time on a shared machine)."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def run(scale: str | float = "all") -> list[dict[str, Any]]:
    """Time the engine at 31 × 2,000 (the budget) and at 1×, 10×, 100× of 31 × 200 items.

    A number is one scale of the suite (``python -m bench``): that size only, against the 1× time.
    """
    catalog = load_catalog()
    compute_progress(synthetic_dataset(50), catalog, AS_OF)  # warm imports and caches
    if not isinstance(scale, str):
        from bench.data import items_per_region, scale_label

        sizes = {"31x200 (1x)": 200, scale_label(scale): items_per_region(scale)}
        return run_sizes(catalog, sizes)[-1:]
    sizes = {"31x2000": 2000} if scale == "budget" else {"31x200 (1x)": 200, "31x2000 (10x)": 2000,
                                                         "31x20000 (100x)": 20000}
    return run_sizes(catalog, sizes)


def run_sizes(catalog: Any, sizes: dict[str, int]) -> list[dict[str, Any]]:
    """One row per size; the first size is the baseline of the ratios."""
    rows: list[dict[str, Any]] = []
    base = None
    for label, per_region in sizes.items():
        data = synthetic_dataset(per_region)
        repeat = 3 if per_region >= 20000 else 7
        seconds = median_seconds(lambda: compute_progress(data, catalog, AS_OF), repeat=repeat)
        base = base or seconds
        n_rows = len(compute_progress(data, catalog, AS_OF).rows)
        cpu = cpu_seconds(lambda: compute_progress(data, catalog, AS_OF), repeat)
        rows.append(result("progress_all_scopes", label, seconds, "31x200 (1x)", base,
                           budget="< 0.200 s at 31x2000", items=len(data.items), output_rows=n_rows,
                           cpu_seconds=round(cpu, 4),
                           us_per_item=round(seconds / len(data.items) * 1e6, 2)))
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    rows = run(argv[0] if argv else "all")
    for r in rows:
        print(f"{r['scale']:>18}: {r['seconds'] * 1000:8.1f} ms (cpu {r['cpu_seconds'] * 1000:7.1f} ms)  "
              f"items={r['items']:>7}  "
              f"ratio to 1x={r['ratio']:6.2f}  {r['us_per_item']} µs/item  rows={r['output_rows']}")
    at_budget = next((r for r in rows if r["scale"].startswith("31x2000")), None)
    if at_budget is not None:
        ok = at_budget["seconds"] < BUDGET_SECONDS
        print(f"31 × 2,000 items: {at_budget['seconds'] * 1000:.1f} ms (budget 200 ms) -> {'OK' if ok else 'OVER BUDGET'}")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
