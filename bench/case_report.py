"""Benchmark: the national status report of the synthetic set in every format.

Budgets (issue 14), for 31 regions × 2,000 items (scale 10): Excel < 5 s, Word < 8 s, PDF < 10 s,
HTML < 5 s; each format also prints its ratio to the report content build of the same run, and
Word and PDF their ratio to rendering the HTML of the same content (the same document without
static images or page layout: what the images and the layout cost on top of it). The Dataset comes from the seeded synthetic workbook read by ingest (not timed); the
report content is built once, and each format's rendering is timed from that content plus the
content build itself. Baseline of the same run: ``compute_progress`` on the same Dataset (the work
every report shares). Run on its own:

    python -m bench.case_report [SCALE]
"""
from __future__ import annotations

import os
import sys
from typing import Any

from bench.common import median_seconds, result
from bench.data import scale_label, workbook

AS_OF_TEXT = "2026-11-28"
BUDGETS = {"xlsx": "< 5 s", "docx": "< 8 s", "pdf": "< 10 s", "html": "< 5 s"}


def synthetic_data(scale: float):
    """The synthetic national workbook at ``scale`` read into a Dataset."""
    from metrics.ingest import read_file
    from metrics.model import Dataset

    path = workbook(scale)
    content = path.read_bytes()
    res = read_file(content, path.name, max_bytes=max(len(content) + 1, 50 * 2**20))
    return Dataset.from_results([res])


def run(scale: float = 10) -> list[dict[str, Any]]:
    import datetime as dt

    from metrics.catalog import load_catalog
    from metrics.progress import compute_progress
    from metrics.report import FORMATS, build_report, render

    repeat = int(os.environ.get("BENCH_REPEAT") or (3 if float(scale) <= 10 else 1))
    catalog = load_catalog()
    data = synthetic_data(scale)
    as_of = dt.date.fromisoformat(AS_OF_TEXT)
    base = median_seconds(lambda: compute_progress(data, catalog, as_of=as_of), repeat=repeat)
    progress = compute_progress(data, catalog, as_of=as_of)
    label = scale_label(scale)
    content_s = median_seconds(lambda: build_report(progress, data, catalog, scope="national"), repeat=repeat)
    content = build_report(progress, data, catalog, scope="national")
    rows = [result("report national content", label, content_s, "compute_progress", base, budget="",
                   items=len(data.items))]
    seconds: dict[str, float] = {}
    wanted = (os.environ.get("BENCH_FORMATS") or ",".join(FORMATS)).split(",")  # e.g. html,docx,pdf
    for fmt in [f for f in ("html", *[f for f in FORMATS if f != "html"]) if f in wanted]:
        sizes: list[int] = []
        s = median_seconds(lambda: sizes.append(len(render(content, fmt))), repeat=repeat, warmup=0 if fmt in
                           ("docx", "pdf") else 1)
        seconds[fmt] = s
        # The budget is for the whole report: content plus rendering.
        rows.append(result(f"report national {fmt}", label, s + content_s, "compute_progress", base,
                           budget=BUDGETS[fmt], render_seconds=round(s, 3), bytes=sizes[-1],
                           ratio_to_content=round((s + content_s) / content_s, 2) if content_s else None,
                           ratio_to_html=round(s / seconds["html"], 2) if seconds.get("html") else None))
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    scale = float(argv[0]) if argv else 10.0
    for row in run(scale):
        print(f"{row['case']:<28} {row['scale']:<16} {row['seconds']:>8.3f} s  budget {row['budget'] or '-':<7} "
              f"ratio to {row['baseline']} {row['ratio']}  ratio to content {row.get('ratio_to_content', '-')}  "
              f"render/html {row.get('ratio_to_html', '-')}")
    with open("/proc/loadavg") as f:  # other engineers share the cores: read the numbers beside the load
        print("loadavg", f.read().strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
