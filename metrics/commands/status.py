"""``python -m metrics status [FILES...] [--as-of YYYY-MM-DD] [--province NAME] [--json] [--db URL] [--lang zh|en]
[--all-scopes]``"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

HELP = "目标完成进度与状态 / progress and status of every target"

JSON_FIELDS = ["scope_type", "scope", "metric", "name_zh", "name_en", "unit", "kind", "deadline", "actual", "target",
               "qualifier", "target_text", "target_source", "percent", "pace_percent", "pace_value", "gap_items",
               "gap_pp", "required_rate", "projected", "projected_percent", "status", "contribution_percent", "n_rows",
               "basis", "actual_at_deadline", "met_on", "clause_section", "clause_quote",
               # Added for issue 13 (a passed deadline reported as it ended): whether the deadline has passed,
               # the value now, and how much came after the deadline (null while the deadline is ahead).
               "passed", "actual_now", "after_deadline"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="provincial workbooks; none: the stored submissions")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date the figures are computed for (default: today)")
    p.add_argument("--province", metavar="NAME", help="only this province's rows")
    p.add_argument("--json", action="store_true", help="machine-readable list of rows")
    p.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL or data/tracker.sqlite)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--all-scopes", action="store_true", help="also the direction and flagship-category rows")


def run(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..model import Dataset
    from ..progress import compute_progress
    from ._store import fail

    as_of = None
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            return fail("progress_bad_date", value=args.as_of)
    catalog = load_catalog()
    province = None
    if args.province:
        province = catalog.resolve_province(args.province)
        if province is None:
            return fail("progress_unknown_province", value=args.province)
    if args.files:
        from ..ingest import read_file

        results = []
        for name in args.files:
            path = Path(name)
            if not path.is_file():
                return fail("progress_file_unreadable", file=name)
            result = read_file(path.read_bytes(), path.name, catalog=catalog)
            if not result.readable:
                return fail("progress_file_unreadable", file=name)
            results.append(result)
        data = Dataset.from_results(results)
    else:
        from ..store import Store, StoreError
        from ._store import refuse

        try:
            data = Store(args.db).dataset()
        except StoreError as exc:
            return refuse(exc, "progress_store_unavailable")
    progress = compute_progress(data, catalog, as_of=as_of)
    scope_types = ("national", "province", "direction", "flagship") if args.all_scopes else ("national", "province")
    records = progress.records(scope_types)
    if province:
        records = [r for r in records if r["scope"] == province]
    if args.json:
        from ._common import print_json

        print_json([{k: r[k] for k in JSON_FIELDS} for r in records])
        return 0
    _print_readable(records, progress, catalog, args.lang)
    return 0


def _print_readable(records: list[dict[str, Any]], progress: Any, catalog: Any, lang: str) -> None:
    from ..i18n import t
    from ..presentation import deadline_sentence, fmt_count, fmt_number, metric_name, scope_label, status_label
    from ._common import print_table

    def number(v: Any, count: bool = False) -> str:
        if v is None:
            return "-"
        return fmt_count(v) if count else fmt_number(v)

    rows, passed = [], []
    for r in records:
        scope = scope_label(catalog, r["scope_type"], r["scope"], lang)
        if r.get("passed"):
            passed.append(f"{scope} · {metric_name(r, lang)}: {deadline_sentence(r, lang)}")
        target = number(r["target"]) if r["target"] is not None else (r["target_text"] or "-")
        rows.append({"scope": scope, "metric": metric_name(r, lang),
                     "deadline": r["deadline"] or "-", "actual": number(r["actual"]), "target": target,
                     "unit": r["unit"], "percent": number(r["percent"]), "pace": number(r["pace_percent"]),
                     "projected": number(r["projected"], r["kind"] == "count"), "status": status_label(r["status"], lang),
                     "source": t(f"progress_source_{r['target_source']}", lang)})
    sys.stdout.write(t("progress_as_of", lang, date=progress.as_of.isoformat()) + "\n")
    cols = ["scope", "metric", "deadline", "actual", "target", "unit", "percent", "pace", "projected", "status",
            "source"]
    heads = ["progress_col_scope", "progress_col_metric", "progress_col_deadline", "progress_col_actual",
             "progress_col_target", "progress_col_unit", "progress_col_percent", "progress_col_pace",
             "progress_col_projected", "progress_col_status", "progress_col_source"]
    print_table(rows, cols, [t(h, lang) for h in heads])
    if passed:  # passed deadlines as they ended, with what came after kept apart
        sys.stdout.write("\n" + "".join(f"- {line}\n" for line in passed))
    notes = [w for w in progress.warnings[f"message_{lang}"]] + [o for o in progress.overclaims[f"message_{lang}"]]
    if notes:
        sys.stdout.write("\n" + t("progress_warnings", lang) + ":\n" + "".join(f"- {n}\n" for n in notes))
