"""Is ``runner.postScriptGC = false`` safe? A bounded loop of page views, peak memory with and without it.

Each mode runs in a fresh process: the dashboard (``AppTest``, which runs scripts through Streamlit's own
``ScriptRunner`` and so honours ``runner.postScriptGC``) on a temporary SQLite store filled with the sample
data, then ``VIEWS`` page switches cycling through every page. Printed per mode: resident memory after the
first lap (the warm baseline), peak resident memory over the whole loop, and the growth between them. If
GC-off leaked, the growth would scale with the number of views; it stays flat. Run:

    python -m bench.gc_memory [VIEWS]
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["app_pages/overview.py", "app_pages/gaps.py", "app_pages/compare.py", "app_pages/goals.py",
         "app_pages/history.py", "app_pages/catalog.py", "app_pages/report.py", "app_pages/upload.py"]


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def child(views: int, gc_after_run: bool) -> dict:
    """One mode in this process: the loop of ``views`` page views; the memory figures (MB) and time."""
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    config.set_option("runner.postScriptGC", gc_after_run)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
    errors = len(at.exception)
    base = None
    started = time.monotonic()
    for i in range(views):
        at.switch_page(PAGES[i % len(PAGES)]).run()
        errors += len(at.exception)
        if i == len(PAGES) - 1:
            base = _rss_mb()
    end = _rss_mb()
    peak = max(end, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux
    return {"postScriptGC": gc_after_run, "views": views, "errors": errors, "rss_after_first_lap_mb": round(base or end, 1),
            "rss_end_mb": round(end, 1), "peak_mb": round(peak, 1), "growth_mb": round(end - (base or end), 1),
            "seconds": round(time.monotonic() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--child":
        print(json.dumps(child(int(args[1]), args[2] == "on")))
        return 0
    views = int(args[0]) if args else 160
    rows = []
    for mode in ("on", "off"):
        with tempfile.TemporaryDirectory() as folder:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder) / 'tracker.sqlite'}",
                   "TRACKER_SAMPLE_DATA": "on", "PYTHONDONTWRITEBYTECODE": "1"}
            out = subprocess.run([sys.executable, "-m", "bench.gc_memory", "--child", str(views), mode], cwd=ROOT,
                                 env=env, capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    load = os.getloadavg()
    for r in rows:
        print(f"postScriptGC={str(r['postScriptGC']).lower():5} views={r['views']} errors={r['errors']} "
              f"rss after lap 1 {r['rss_after_first_lap_mb']} MB, end {r['rss_end_mb']} MB, "
              f"growth {r['growth_mb']} MB, peak {r['peak_mb']} MB, {r['seconds']} s")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
