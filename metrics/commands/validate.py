"""``python -m metrics validate FILE [--province NAME] [--as-of DATE] [--mapping FILE.yaml] [--json] [--lang zh|en]``"""
from __future__ import annotations

import argparse

HELP = "校验进展表并逐行报告问题 / validate a progress spreadsheet row by row"


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._common import add_mapping_argument

    p.add_argument("file", metavar="FILE", help="the .xlsx, .xlsm, .xls or .csv file to check")
    p.add_argument("--province", metavar="NAME", help="the province of the file when the file names none")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, dest="as_of",
                   help="the as-of date of the file when the file names none (never the upload day by default)")
    add_mapping_argument(p)
    p.add_argument("--json", action="store_true", help="one JSON object: file, readable, province, as_of, items, rows, errors")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the messages")


def run(args: argparse.Namespace) -> int:
    from ..i18n import t
    from ..result_json import result_records
    from ..presentation import counted
    from ..parse_pool import bounded_read_file
    from ._common import load_mapping, print_json, print_table

    lang = args.lang
    mapping, failed = load_mapping(args.mapping, lang)
    if failed:
        return failed
    # The app's bounded path: a worker process with a time and memory limit (metrics.parse_pool).
    result = bounded_read_file(args.file, province=args.province, as_of=args.as_of, mapping=mapping)
    if args.json:
        print_json(result_records(result, lang))
        return result.exit_code
    lines = [f"{t('ingest_report_title', lang)}", f"{t('ingest_file', lang)}: {result.file}"]
    if result.readable:
        lines.append(f"{t('ingest_province', lang)}: {result.province or '-'}    "
                     f"{t('ingest_as_of', lang)}: {result.as_of.isoformat() if result.as_of else '-'}")
        for sheet, c in result.sheets.items():
            rows = {**c.to_dict(), "total": counted(c.total, "row", lang)}
            lines.append(t("ingest_sheet_rows", lang, sheet=sheet, **rows))
        counts = result.row_counts
        lines.append(t("ingest_rows", lang, **{**counts.to_dict(), "total": counted(counts.total, "row", lang)}))
    else:
        lines.append(t("ingest_unreadable", lang))
    print("\n".join(lines) + "\n")
    if not result.problems:
        print(t("ingest_no_problems", lang))
        return result.exit_code
    rows = [{"sheet": p.sheet or "", "row": p.row or "", "column": p.column or "",
             "severity": t(f"ingest_severity_{p.severity}", lang),
             "code": p.code, "message": p.message_en if lang == "en" else p.message} for p in result.problems]
    cols = ["sheet", "row", "column", "severity", "code", "message"]
    print_table(rows, cols, [t(f"ingest_col_{c}", lang) for c in cols])
    return result.exit_code
