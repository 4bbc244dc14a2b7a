"""``python -m metrics review approve|return SUBMISSION_ID --comment TEXT [--row SHEET:ROW=TEXT ...]
[--actor NAME] [--json] [--db URL] [--lang zh|en]``"""
from __future__ import annotations

import argparse

HELP = "审核一个提交:通过或退回 / approve or return a submission"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("decision", choices=["approve", "return"])
    p.add_argument("submission_id", metavar="SUBMISSION_ID", type=int, help="the id shown by 'history'")
    p.add_argument("--comment", default="", help="the comment on the file (required to return)")
    p.add_argument("--row", action="append", default=[], metavar="SHEET:ROW=TEXT", help="a comment on one row")
    p.add_argument("--actor", metavar="NAME", default="", help="who reviews (kept in the audit log)")
    p.add_argument("--json", action="store_true",
                   help="the review: submission_id, province, decision, reviewer, at, comment, rows")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    from .. import rounds
    from ..i18n import t
    from ..store import StoreError
    from ._common import print_json
    from ._store import open_store, refuse, say

    decision = {"approve": "approved", "return": "returned"}[args.decision]
    try:
        rows = [rounds.parse_row_comment(r) for r in args.row]
    except rounds.RoundError as exc:
        return refuse(exc)
    store = open_store(args)
    if store is None:
        return 2
    try:
        done = rounds.review(store, args.submission_id, decision, args.comment, rows, actor=args.actor)
    except rounds.RoundError as exc:
        return refuse(exc)
    except StoreError as exc:
        return refuse(exc)
    if args.json:
        print_json(done)
    else:
        say("rounds_reviewed", args.lang, id=args.submission_id, decision=t(f"rounds_state_{decision}", args.lang))
    return 0
