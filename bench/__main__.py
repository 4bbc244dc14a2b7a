"""The benchmark suite: every case at every scale, each in a fresh process, against the issues' budgets.

    python -m bench [--scales 1,10,100] [--cases ingest,progress,store,report,app,load] [--repeat N]
                    [--json OUT] [--load-scale 10] [--load-seconds 60] [--timeout 2400]

A scale is a multiple of a realistic national set (31 regions × 200 items, every sheet filled):
1 = 31 × 200, 10 = 31 × 2,000 (the issues' budget point), 100 = 31 × 20,000. The seeded synthetic
workbook of each scale is generated first (``bench/data.py``). Each case then runs once per scale in
its own ``python -m bench.child`` process, which times its work as medians after a warm-up and against
a baseline measured in the same process; this driver reads the child's peak resident memory from
``os.wait4`` and prints the figures, the budgets beside them, and how time and memory grow with scale.
The load test (``load``) runs once, at ``--load-scale``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.budgets import verdicts
from bench.data import ROOT, items_per_region, scale_label, workbook

CASES = ("ingest", "progress", "store", "report", "app", "load")
# Cases that read the synthetic workbook (the progress case builds its frames directly).
NEEDS_WORKBOOK = {"ingest", "store", "report", "app", "load"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="1,10,100", help="comma-separated multiples of 31 × 200 items")
    p.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from {', '.join(CASES)}")
    p.add_argument("--repeat", type=int, default=None, help="timed runs per figure after the warm-up "
                   "(default: each case's own, usually 5; fewer at 100×)")
    p.add_argument("--json", dest="json_out", default=None, help="also write every row and the machine to OUT")
    p.add_argument("--load-scale", type=float, default=10.0, help="scale of the data stored for the load test")
    p.add_argument("--load-seconds", type=float, default=60.0, help="how long the load test navigates")
    p.add_argument("--timeout", type=float, default=2400.0, help="seconds one case at one scale may take")
    args = p.parse_args(argv)
    args.scale_list = [float(s) for s in args.scales.split(",") if s.strip()]
    args.case_list = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in args.case_list if c not in CASES]
    if unknown:
        p.error(f"unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
    return args


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import psutil

    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu": _cpu_model(), "date": time.strftime("%Y-%m-%d %H:%M"),
            "load_average_1m": round(os.getloadavg()[0], 1)}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def run_child(case: str, scale: float, env: dict[str, str], timeout: float, log_dir: Path) -> dict[str, Any]:
    """Run one case at one scale in a fresh interpreter; its rows, errors, and peak RSS from wait4."""
    out = log_dir / f"{case}_{scale:g}.json"
    log_path = log_dir / f"{case}_{scale:g}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bench.child", case, repr(scale), str(out)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, 9)  # the child's own session: it and whatever it started
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {"case": case, "scale": scale, "rows": [], "peak_mb": round(usage.ru_maxrss / 1024, 1),
                        "error": f"stopped after {timeout:g} s (--timeout): too slow at this scale",
                        "log": str(log_path)}
            time.sleep(0.2)
        proc.returncode = os.waitstatus_to_exitcode(status)
    outcome: dict[str, Any] = {"case": case, "scale": scale, "rows": [], "error": None}
    if out.exists():
        outcome.update(json.loads(out.read_text(encoding="utf-8")))
    elif proc.returncode:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-1500:]
        outcome["error"] = f"exit code {proc.returncode}: {tail}"
    outcome["peak_mb"] = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux: the child and what it waited for
    outcome["log"] = str(log_path)
    return outcome


def fmt_seconds(value: Any) -> str:
    if value is None:
        return "–"
    v = float(value)
    return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"


def row_peak(outcome: dict[str, Any], row: dict[str, Any]) -> float | None:
    """The peak that belongs to the row: its own (e.g. a server's) when the case measured one."""
    for key in ("peak_mb", "peak_rss_mb"):
        if row.get(key) is not None:
            return row[key]
    return outcome.get("peak_mb")


def print_results(outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The main table: one line per row, with its ratio, peak, budgets and verdicts; the flat rows."""
    flat = []
    head = f"{'case':<34} {'scale':<18} {'median':>10} {'baseline':<28} {'ratio':>7} {'peak MB':>8}  budgets"
    print(head)
    print("-" * len(head))
    for o in outcomes:
        if o.get("error"):
            print(f"{o['case']:<34} {scale_label(o['scale']):<18} ERROR: {o['error'].strip().splitlines()[-1]}"
                  f"  (log: {o.get('log')})")
        for i, r in enumerate(o.get("rows", [])):
            peak = row_peak(o, r)
            # The process's peak is judged once per run (its first row); a row's own peak always.
            own = any(r.get(k) is not None for k in ("peak_mb", "peak_rss_mb"))
            checks = verdicts(r, o["scale"], peak if own or i == 0 else None)
            ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else "–"
            base = f"{r.get('baseline') or '–'} {fmt_seconds(r.get('baseline_seconds'))}" \
                if r.get("baseline") else "–"
            seconds = r.get("seconds")
            print(f"{r['case']:<34} {scale_label(o['scale']):<18} {fmt_seconds(seconds):>10} {base[:28]:<28} "
                  f"{ratio:>7} {peak if peak is not None else '–':>8}  "
                  + "; ".join(f"{text} {v}" for text, v in checks))
            extra = {k: v for k, v in r.items() if k not in {"case", "scale", "seconds", "baseline",
                                                               "baseline_seconds", "ratio", "budget", "peak_mb",
                                                               "peak_rss_mb"}}
            if extra:
                print(f"{'':<34}   " + ", ".join(f"{k}={v}" for k, v in extra.items()))
            flat.append({**r, "scale_factor": o["scale"], "scale": scale_label(o["scale"]), "peak_mb": peak,
                         "verdicts": checks})
    return flat


def print_scaling(outcomes: list[dict[str, Any]]) -> None:
    """Time and peak per scale for every row name, and the growth from one scale to the next."""
    by_case: dict[str, dict[float, tuple[float | None, float | None]]] = {}
    for o in outcomes:
        for r in o.get("rows", []):
            by_case.setdefault(r["case"], {})[o["scale"]] = (r.get("seconds"), row_peak(o, r))
    scales = sorted({o["scale"] for o in outcomes})
    if len(scales) < 2:
        return
    print("\nScaling (time / peak RSS per scale; growth = factor over the previous scale, for ×data more items;"
          " growth ≈ data factor is linear)")
    head = f"{'case':<34} " + " ".join(f"{scale_label(s):>26}" for s in scales) + "   time growth"
    print(head)
    print("-" * len(head))
    for case, per in by_case.items():
        cells, growth = [], []
        prev = None
        for s in scales:
            seconds, peak = per.get(s, (None, None))
            cells.append(f"{fmt_seconds(seconds):>12} {peak if peak is not None else '–':>7} MB ")
            if prev is not None and seconds and per.get(prev, (None,))[0]:
                factor = seconds / per[prev][0]
                data_factor = items_per_region(s) / items_per_region(prev)
                tag = "linear or better" if factor <= data_factor * 1.25 else "WORSE than linear"
                growth.append(f"×{factor:.1f} for ×{data_factor:g} data ({tag})")
            prev = s
        print(f"{case:<34} " + " ".join(f"{c:>26}" for c in cells) + "   " + "; ".join(growth))


def write_json(path: str, info: dict[str, Any], outcomes: list[dict[str, Any]],
               flat: list[dict[str, Any]] | None = None) -> None:
    """The machine, every row (with its verdicts once printed) and every child run, as JSON."""
    rows = flat if flat is not None else [{**r, "scale_factor": o["scale"]} for o in outcomes for r in o["rows"]]
    Path(path).write_text(json.dumps({"machine": info, "rows": rows, "runs": [
        {k: v for k, v in o.items() if k != "log_tail"} for o in outcomes]},
        ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    print(f"Machine: {info['cpus']} cores, {info['memory_gb']} GB, {info['cpu']}, Python {info['python']}, "
          f"load average {info['load_average_1m']} at start (other work on the machine slows every figure)")
    print(f"Scales: " + ", ".join(scale_label(s) for s in args.scale_list) + f"; cases: {', '.join(args.case_list)}")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "TRACKER_SAMPLE_DATA": "off",
           "BENCH_LOAD_SECONDS": str(args.load_seconds)}
    if args.repeat:
        env["BENCH_REPEAT"] = str(args.repeat)
    # Smallest scale first, every case, then the next: the budget point (10x) is done before the slow 100x.
    plan = [(c, s) for s in sorted(args.scale_list) for c in args.case_list if c != "load"]
    if "load" in args.case_list:
        later = [i for i, (_, s) in enumerate(plan) if s > args.load_scale]
        plan.insert(later[0] if later else len(plan), ("load", args.load_scale))
    for s in sorted({s for c, s in plan if c in NEEDS_WORKBOOK}):
        t0 = time.perf_counter()
        path = workbook(s)
        print(f"data {scale_label(s)}: {path.name} ({path.stat().st_size / 2**20:.1f} MB, "
              f"ready in {time.perf_counter() - t0:.1f} s)", flush=True)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="bench_") as tmp:
        for case, scale in plan:
            t0 = time.perf_counter()
            print(f"running {case} at {scale_label(scale)} ...", flush=True)
            outcome = run_child(case, scale, env, args.timeout, Path(tmp))
            outcome["wall_seconds"] = round(time.perf_counter() - t0, 1)
            if outcome.get("error"):
                outcome["log_tail"] = Path(outcome["log"]).read_text(errors="replace")[-3000:]
            outcomes.append(outcome)
            print(f"  done in {outcome['wall_seconds']} s" + (" (error)" if outcome.get("error") else ""), flush=True)
            if args.json_out:  # after every case, so an interrupted run keeps what it measured
                write_json(args.json_out, info, outcomes)
        print()
        flat = print_results(outcomes)
        print_scaling(outcomes)
        for o in outcomes:
            if o.get("error"):
                print(f"\n{o['case']} at {scale_label(o['scale'])} failed:\n{o.get('log_tail', o['error'])}")
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")
    over = [(r["case"], r["scale"], text) for r in flat for text, v in r["verdicts"] if v == "OVER"]
    judged = sum(1 for r in flat for _, v in r["verdicts"] if v in ("PASS", "OVER"))
    print(f"\nBudgets judged: {judged} ({'none: no 31x2000 (10x) run' if not judged else 'PASS ' + str(judged - len(over))}"
          + (f"; {len(over)} OVER: " + "; ".join(f"{c} at {s}: {t}" for c, s, t in over) if over else "") + ")")
    if args.json_out:
        write_json(args.json_out, info, outcomes, flat)
    return 1 if any(o.get("error") for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
