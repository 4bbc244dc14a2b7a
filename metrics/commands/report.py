"""``python -m metrics report [FILES...] --format xlsx|docx|pdf|html --out PATH [--province NAME] [--as-of DATE]
[--lang zh|en] [--db URL]``"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Any

HELP = "导出进展情况报告 / export a status report (Excel, Word, PDF, HTML)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="provincial workbooks; none: the stored submissions")
    p.add_argument("--format", choices=["xlsx", "docx", "pdf", "html"], default=None,
                   help="report format (default: from the --out file's extension)")
    p.add_argument("--out", required=True, metavar="PATH", help="where to write the report")
    p.add_argument("--province", metavar="NAME", help="a province's report instead of the national one")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date the figures are computed for (default: today)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--style", choices=["official", "briefing"], default="official",
                   help="Word/PDF layout: GB/T 9704 official document (default) or a plainer work briefing")
    p.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL or data/tracker.sqlite)")


def _files_dataset(files: list[str], catalog: Any) -> Any:
    """The workbooks named on the command line as one dataset, or the exit code of a refusal."""
    from ..ingest import read_file
    from ..model import Dataset
    from ._store import fail

    results, hashes = [], []
    for name in files:
        path = Path(name)
        if not path.is_file():
            return fail("cli_report_no_file", file=name)
        content = path.read_bytes()
        results.append(read_file(content, path.name, catalog=catalog))
        hashes.append((hashlib.sha256(content).hexdigest(),
                       dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0).isoformat()))
    unreadable = [r.file for r in results if not r.readable]
    if unreadable:
        return fail("cli_report_unreadable", files=", ".join(unreadable))
    data = Dataset.from_results(results)
    for source, (sha, mtime) in zip(data.sources, hashes):
        source.setdefault("sha256", sha)
        source.setdefault("uploaded_at", mtime)
    return data


def _stored_dataset(db: str | None) -> Any:
    """(store, dataset, includes unreviewed) of the stored submissions, or the exit code of a refusal."""
    from ..rounds import includes_unreviewed
    from ..store import Store, StoreError
    from ._store import refuse

    try:
        store = Store(db)
        data = store.dataset()
        # 含未审核数据 when any stored submission counted here is not approved (issue 13)
        return store, data, includes_unreviewed(data, store)
    except StoreError as exc:
        return refuse(exc, "progress_store_unavailable")


def run(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..progress import compute_progress
    from ..report import FORMATS, build_report, render
    from ._store import fail

    out = Path(args.out)
    fmt = args.format or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        return fail("cli_report_no_format")
    as_of = None
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            return fail("cli_report_bad_as_of", value=args.as_of)
    catalog = load_catalog()
    scope = "national"
    if args.province:
        scope = catalog.resolve_province(args.province)
        if scope is None:
            return fail("cli_report_unknown_region", value=args.province)
    store = rnd = coverage_rows = since = None
    if args.files:
        data = _files_dataset(args.files, catalog)
        unreviewed = False  # files given on the command line are no stored submissions: nothing to review
    else:
        stored = _stored_dataset(args.db)
        if isinstance(stored, int):
            return stored
        store, data, unreviewed = stored
    if isinstance(data, int):
        return data
    progress = compute_progress(data, catalog, as_of=as_of)
    if store is not None:
        from ..chart_rows import as_of_of
        from ..report.leader import previous_round_as_of, report_coverage

        # Page one states the coverage of the reporting round the report covers (files alone have none).
        rnd, coverage_rows = report_coverage(store, as_of_of(progress))
        since = previous_round_as_of(store, rnd)
    content = build_report(progress, data, catalog, scope=scope, lang=args.lang, style=args.style,
                           unreviewed=unreviewed, rnd=rnd, coverage_rows=coverage_rows, since=since)
    body = render(content, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    sys.stdout.write(f"{out} ({len(body):,} bytes)\n")
    return 0
