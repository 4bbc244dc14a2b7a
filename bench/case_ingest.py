"""Ingest + validation of the synthetic 31 × 2,000-item workbook against bare pandas reads of it.

Budget (issue 3): at most 1.5× ``pandas.read_excel(engine="calamine", sheet_name=None)`` of the
same file measured in the same run, and peak resident memory under 400 MB (measured in a fresh
subprocess that only ingests, so the baselines' memory does not count).
Run ``python -m bench.case_ingest [--scale 10]`` or as part of ``python -m bench``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import median_seconds, result
from bench.data import scale_label, workbook

BUDGET_RATIO = 1.5
BUDGET_RSS_MB = 400
TODAY = dt.date(2026, 11, 30)


def peak_rss_mb(path: Path) -> float:
    """Peak resident memory (MB) of a fresh Python process that ingests the file once."""
    code = ("import resource, datetime as dt; from metrics.ingest import read_file; "
            f"r = read_file({str(path)!r}, today=dt.date({TODAY.year}, {TODAY.month}, {TODAY.day})); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    return int(out.stdout.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def run(scale: float = 10.0) -> list[dict[str, Any]]:
    """Benchmark rows at ``scale`` × 31 × 200 items: ingest vs bare calamine and openpyxl reads."""
    import pandas as pd

    from metrics.ingest import read_file

    path = workbook(scale)
    content = path.read_bytes()
    repeat = 5 if scale <= 10 else 2
    checked = read_file(content, path.name, today=TODAY)
    calamine = median_seconds(lambda: pd.read_excel(path, engine="calamine", sheet_name=None), repeat=repeat)
    ingest = median_seconds(lambda: read_file(content, path.name, today=TODAY), repeat=repeat)
    openpyxl_s = median_seconds(lambda: pd.read_excel(path, engine="openpyxl", sheet_name=None), repeat=1, warmup=0)
    rss = peak_rss_mb(path)
    label = scale_label(scale)
    common = dict(rows=checked.row_counts.total, errors=len(checked.errors), peak_rss_mb=round(rss, 1))
    return [
        result("ingest_vs_calamine", label, ingest, "pandas.read_excel(engine='calamine')", calamine,
               budget=f"<= {BUDGET_RATIO}x, peak < {BUDGET_RSS_MB} MB", **common),
        result("ingest_vs_openpyxl", label, ingest, "pandas.read_excel(engine='openpyxl')", openpyxl_s, **common),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=10.0, help="multiple of 31 x 200 items (10 = the budget point)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    rows = run(args.scale)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(f"{r['case']:<22} {r['scale']:<9} ingest {r['seconds']:.3f}s  {r['baseline']}: "
              f"{r['baseline_seconds']:.3f}s  ratio {r['ratio']:.2f}  {r['budget']}")
    first = rows[0]
    ok = first["ratio"] <= BUDGET_RATIO and first["peak_rss_mb"] < BUDGET_RSS_MB
    print(f"rows read {first['rows']}, errors {first['errors']}, peak RSS {first['peak_rss_mb']} MB "
          f"(budget < {BUDGET_RSS_MB} MB), within budget: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
