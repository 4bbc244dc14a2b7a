"""``python -m metrics import FILE [--province NAME] [--as-of DATE] [--mapping FILE.yaml] [--uploader NAME] [--strict] [--db URL] [--json] [--lang zh|en]``"""
from __future__ import annotations

import argparse
from typing import Any

HELP = "校验并保存进展表(保存有效行,列出无效行) / validate a progress spreadsheet and store its valid rows"


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._common import add_mapping_argument
    from ._store import add_db_argument

    p.add_argument("file", metavar="FILE", help="the .xlsx, .xlsm, .xls or .csv file to store")
    p.add_argument("--province", metavar="NAME", help="the province of the file when the file names none")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, dest="as_of",
                   help="the as-of date of the file when the file names none (never the upload day by default)")
    add_mapping_argument(p)
    p.add_argument("--uploader", metavar="NAME", default="", help="who uploads (kept in the history)")
    p.add_argument("--strict", action="store_true", help="store nothing when any row is invalid")
    p.add_argument("--json", action="store_true",
                   help="one JSON object: the validate object plus 'stored' and 'outcome'")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from ..i18n import t
    from ..result_json import result_records
    from ..parse_pool import bounded_read_file
    from ..settings import max_upload_bytes
    from ..store import StoreError
    from ._common import load_mapping, print_json
    from ._store import fail, open_store, refuse

    path = Path(args.file)
    if not path.is_file():
        return fail("store_file_missing", file=args.file)
    store = open_store(args)
    if store is None:
        return 2
    lang = args.lang
    mapping, failed = load_mapping(args.mapping, lang)
    if failed:
        return failed
    content = path.read_bytes()
    # The app's bounded path: a worker process with a time and memory limit (metrics.parse_pool).
    result = bounded_read_file(content, path.name, province=args.province, max_bytes=max_upload_bytes(),
                               as_of=args.as_of, mapping=mapping)
    if result.as_of_missing:
        # No silent default: a file without an as-of date is not stamped with today. The exit code
        # stays validate's (check.py and scripts compare them); the JSON says nothing was stored.
        from ..store import SaveOutcome

        outcome = SaveOutcome(reason="as_of_missing")
        if args.json:
            print_json({**result_records(result, lang), "stored": False, "outcome": outcome.to_dict()})
        else:
            sys.stderr.write(t("store_reason_as_of_missing", lang) + "\n")
        return result.exit_code
    try:
        outcome = store.save_submission(result, content, path.name, uploader=args.uploader, actor=args.uploader,
                                        strict=args.strict)
    except StoreError as exc:
        return refuse(exc, "store_unavailable")
    if args.json:
        print_json({**result_records(result, lang), "stored": outcome.created, "outcome": outcome.to_dict()})
        return result.exit_code
    _say_outcome(store, result, outcome, lang)
    return result.exit_code


def _say_outcome(store: Any, result: Any, outcome: Any, lang: str) -> None:
    """What an import stored, superseded or refused, then every problem of the file, as lines and a table."""
    import sys

    from ..i18n import t
    from ..presentation import counted
    from ._common import print_table
    from ._store import ids_text, say

    say("store_rows_summary", lang, **result.row_counts.to_dict())
    if outcome.created:
        for sub in store.history():
            if sub["id"] in outcome.submission_ids:
                say("store_saved", lang, province=sub["province"], as_of=sub["as_of"], id=sub["id"])
        if outcome.superseded:
            say("store_superseded", lang, ids=ids_text(outcome.superseded))
    elif outcome.reason == "duplicate":
        say("store_duplicate", lang, id=outcome.duplicate_of)
    else:
        sys.stdout.write(t(f"store_reason_{outcome.reason}", lang) + "\n")
    if result.problems:
        say("store_invalid_rows", lang, n=counted(len(result.problems), "problem", lang))
        rows = [{"sheet": p.sheet or "", "row": p.row or "", "column": p.column or "",
                 "severity": t(f"ingest_severity_{p.severity}", lang), "code": p.code,
                 "message": p.message_en if lang == "en" else p.message} for p in result.problems]
        cols = ["sheet", "row", "column", "severity", "code", "message"]
        print_table(rows, cols, [t(f"ingest_col_{c}", lang) for c in cols])
