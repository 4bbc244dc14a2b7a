"""The bounded parse pool (issue 18): its cost on a normal file, and what a hostile file costs.

Prints, measured in the same run:
- the time to read the sample workbook and the synthetic national workbook (``--scale``, 10 =
  31 × 2,000 items) through the pool (``metrics.parse_pool.bounded_read_file``: a forked worker,
  the bytes and the result pickled across) against ``read_file`` in this process, as a ratio
  (budget: <= 1.5x on the national workbook; the sample shows the fixed cost of a fork, about 0.1 s);
- for each hostile file, the answer, the wall time, the worker's and this process's peak resident
  memory (budget: < 1 GB each, answered within the pool's wall-clock limit). The files:
  ``declared``: the 1,048,576 × 193 sheet of the issue, which says its size in its metadata;
  ``undeclared``: 1,048,576 filled rows with no dimension element (so only parsing can find out),
  a few MB zipped, which the worker's memory or time limit must end.

Run ``python -m bench.case_parse_pool [--scale 10] [--rows 1048576] [--repeat 5]``.
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "示例数据_江苏省_进展填报.xlsx"
BUDGET_RATIO = 1.5
BUDGET_RSS_MB = 1024

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="成果清单" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>')


def hostile_workbook(rows: int, cols: int, declared: str | None) -> bytes:
    """A one-sheet .xlsx of ``rows`` × ``cols`` inline-string cells, with the dimension element ``declared``
    (e.g. "A1:GK1048576") or none."""
    letters = [chr(65 + j) if j < 26 else chr(64 + j // 26) + chr(65 + j % 26) for j in range(cols)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            dim = f'<dimension ref="{declared}"/>' if declared else ""
            part.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        f'{dim}<sheetData>').encode())
            chunk = []
            for i in range(1, rows + 1):
                cells = "".join(f'<c r="{c}{i}" t="inlineStr"><is><t>x{j}</t></is></c>' for j, c in enumerate(letters))
                chunk.append(f'<row r="{i}">{cells}</row>')
                if len(chunk) == 20_000:
                    part.write("".join(chunk).encode())
                    chunk = []
            part.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return buf.getvalue()


def _median(fn, repeat: int) -> float:
    fn()  # warm-up: the forkserver starts once per process, as in the app
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def run(rows: int = 1_048_576, repeat: int = 5, scale: float = 10) -> list[dict]:
    from bench.data import workbook
    from metrics.ingest import read_file
    from metrics.parse_pool import bounded_read_file, bounded_read_file_stats, limits

    out = []
    national = workbook(scale)
    for path, budgeted in ((SAMPLE, False), (national, True)):
        content = path.read_bytes()
        n = repeat if budgeted is False else max(1, repeat // 2)
        direct = _median(lambda: read_file(content, path.name), n)
        pooled = _median(lambda: bounded_read_file(content, path.name), n)
        out.append({"case": "pool_vs_direct", "file": path.name, "pool_s": round(pooled, 3),
                    "direct_s": round(direct, 3), "ratio": round(pooled / direct, 2),
                    "budget": f"<= {BUDGET_RATIO}x" if budgeted else "(fixed cost of a fork)",
                    "ok": pooled / direct <= BUDGET_RATIO if budgeted else True})
    bounds = limits()
    # declared: the sheet says A1:GK1048576 (1,048,576 × 193) over a few real rows, as a sparse,
    # well-compressed file does; undeclared: ``rows`` real rows and no dimension element at all.
    for name, n, cols, declared in (("declared", 1_000, 12, "A1:GK1048576"), ("undeclared", rows, 12, None)):
        built = time.perf_counter()
        hostile = hostile_workbook(n, cols, declared)
        built = time.perf_counter() - built
        result, stats = bounded_read_file_stats(hostile, f"{name}.xlsx")
        app_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append({"case": f"hostile_{name}", "rows": n, "cols": cols, "declared": declared, "zipped_mb": round(len(hostile) / 2**20, 1),
                    "built_s": round(built, 1), "answer": [p.code for p in result.problems][:3],
                    "readable": result.readable, "outcome": stats.outcome, "seconds": round(stats.seconds, 2),
                    "worker_peak_rss_mb": round(stats.peak_rss_mb, 1), "app_peak_rss_mb": round(app_rss, 1),
                    "limits": {"seconds": bounds.seconds, "memory_mb": bounds.memory_mb},
                    "budget": f"refused within {bounds.seconds:g} s, peak < {BUDGET_RSS_MB} MB",
                    # a file past the row budget must be refused; any answer must come within the limits
                    "ok": (result.readable is False or n <= 200_000) and stats.seconds <= bounds.seconds + 5
                    and max(stats.peak_rss_mb, app_rss) < BUDGET_RSS_MB})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_048_576, help="rows of the hostile workbooks")
    p.add_argument("--repeat", type=int, default=5, help="timed runs of the sample after a warm-up")
    p.add_argument("--scale", type=float, default=10, help="the national workbook's scale (bench/data.py)")
    args = p.parse_args(argv)
    rows = run(args.rows, args.repeat, args.scale)
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
