"""Run one benchmark case at one scale in this (fresh) process and write its rows as JSON.

The suite driver starts ``python -m bench.child CASE SCALE OUT.json`` once per case and scale, so
each case starts from a cold interpreter and its peak resident memory is its own.
"""
from __future__ import annotations

import importlib
import json
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

# Cases whose module is not bench/case_<name>.py.
MODULES = {"load": "bench.load"}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_case(case: str, scale: float) -> dict[str, Any]:
    """The rows of ``bench.case_<case>.run(scale)``, or the error that stopped it, with timing and memory."""
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(MODULES.get(case, f"bench.case_{case}"))
        rows = module.run(scale)
        error = None
    except Exception:  # noqa: BLE001 - a broken case is reported in the table, the suite goes on
        rows, error = [], traceback.format_exc()
    return {"case": case, "scale": scale, "rows": rows, "error": error,
            "wall_seconds": round(time.perf_counter() - t0, 2), "self_peak_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    case, scale, out = argv[0], float(argv[1]), Path(argv[2])
    outcome = run_case(case, scale)
    out.write_text(json.dumps(outcome, ensure_ascii=False, default=str), encoding="utf-8")
    if outcome["error"]:
        print(outcome["error"], file=sys.stderr)
    return 0 if outcome["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
