"""``python -m metrics coverage [--round NAME] [--json] [--db URL] [--lang zh|en]``"""
from __future__ import annotations

import argparse

HELP = "报送轮次的完成情况(每个应报地区一行)/ the completeness board of a reporting round"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("--round", metavar="NAME", help="the round (default: the latest open one)")
    p.add_argument("--json", action="store_true",
                   help="one object per expected region: region, state (not_submitted/submitted/overdue/"
                        "returned/approved), label, submission_id, submitted_at, submitted_by, reviewed_by, "
                        "reviewed_at, comment, rows")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from .. import rounds
    from ..i18n import t
    from ._common import print_json, print_table
    from ._store import fail, open_store, refuse

    store = open_store(args)
    if store is None:
        return 2
    name = args.round
    if not name:
        latest = rounds.latest_round(store)
        if latest is None:
            return fail("rounds_none")
        name = latest.name
    try:
        rows = rounds.coverage(store, name, dt.datetime.now(dt.timezone.utc))
    except rounds.RoundError as exc:
        return refuse(exc)
    lang = args.lang
    if args.json:
        print_json([{**r.to_dict(), "label": r.label(lang)} for r in rows])
        return 0
    table = [{**r.to_dict(), "state": r.label(lang), "submission": r.submission_id,
              "submitted_at": (r.submitted_at or "")[:19].replace("T", " ")} for r in rows]
    cols = ["region", "state", "submission", "submitted_at", "submitted_by", "reviewed_by", "comment"]
    print_table(table, cols, [t(f"rounds_col_{c}", lang) for c in cols])
    return 0
