"""Benchmark inputs: the seeded synthetic national workbook at a scale, written once and reused.

Scale 1 is a realistic national set, 31 regions × 200 items with every sheet filled; scale 10 is the
issues' budget point (31 × 2,000), scale 100 is 31 × 20,000. Files are cached by size and seed in
``BENCH_DATA_DIR`` (default: ``bench/.data``), so every case of a run reads the same bytes.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGIONS = 31
ITEMS_AT_1X = 200
SEED = 42


def items_per_region(scale: float) -> int:
    """Items per region at ``scale`` × the realistic national set (at least one)."""
    return max(1, int(round(ITEMS_AT_1X * float(scale))))


def scale_label(scale: float) -> str:
    """A row label such as ``31x2000 (10x)``."""
    return f"{REGIONS}x{items_per_region(scale)} ({float(scale):g}x)"


def data_dir() -> Path:
    """Where generated workbooks are kept between runs."""
    folder = Path(os.environ.get("BENCH_DATA_DIR") or ROOT / "bench" / ".data")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def workbook(scale: float, seed: int = SEED) -> Path:
    """The synthetic national workbook at ``scale`` (generated on first use, then reused)."""
    n = items_per_region(scale)
    path = data_dir() / f"synthetic_{REGIONS}x{n}_seed{seed}.xlsx"
    if not path.exists():
        from sample_data.generate import synthetic_workbook

        partial = path.with_suffix(".partial.xlsx")
        synthetic_workbook(partial, items_per_region=n, regions=REGIONS, seed=seed)
        partial.replace(path)  # a killed run never leaves a half-written workbook behind
    return path


def upload_workbook(index: int, items: int = 200) -> Path:
    """A one-province workbook whose bytes differ for every ``index`` (uploads in the load test)."""
    path = data_dir() / f"upload_1x{items}_seed{1000 + index}.xlsx"
    if not path.exists():
        from sample_data.generate import synthetic_workbook

        partial = path.with_suffix(".partial.xlsx")
        synthetic_workbook(partial, items_per_region=items, regions=1, seed=1000 + index)
        partial.replace(path)
    return path


def stored_workbook(scale: float, folder: str | Path) -> str:
    """The URL of a new SQLite store in ``folder`` holding the synthetic workbook at ``scale``."""
    from metrics.ingest import read_file
    from metrics.store import Store

    path = workbook(scale)
    content = path.read_bytes()
    url = f"sqlite:///{Path(folder) / 'tracker.sqlite'}"
    result = read_file(content, path.name, max_bytes=max(len(content) + 1, 50 * 2**20))
    store = Store(url)
    outcome = store.save_submission(result, content, path.name, uploader="bench")
    store.close()
    if not outcome.submission_ids:
        raise RuntimeError(f"the synthetic workbook was not stored: {outcome}")
    return url
