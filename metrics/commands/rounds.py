"""``python -m metrics rounds add NAME --as-of DATE --due DATE [--region NAME ...] | list | close NAME [--reopen]
[--actor NAME] [--json] [--db URL] [--lang zh|en]``"""
from __future__ import annotations

import argparse
import datetime as dt

HELP = "定义、列出、关闭报送轮次 / define, list and close reporting rounds"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="define a round")
    add.add_argument("name", metavar="NAME", help="e.g. 2025年第四季度")
    add.add_argument("--as-of", type=_date, required=True, help="the date the figures are as of")
    add.add_argument("--due", type=_date, required=True, help="the last day to report")
    add.add_argument("--region", action="append", metavar="NAME",
                     help="an expected region (repeat); default: all 37 regions")
    lst = sub.add_parser("list", help="list the rounds")
    close = sub.add_parser("close", help="close (or --reopen) a round")
    close.add_argument("name", metavar="NAME")
    close.add_argument("--reopen", action="store_true")
    for q in (add, lst, close):
        q.add_argument("--actor", metavar="NAME", default="", help="who acts (kept in the audit log)")
        q.add_argument("--json", action="store_true",
                       help="round objects: name, as_of, due, regions, closed, created_at, created_by")
        add_db_argument(q)


def run(args: argparse.Namespace) -> int:
    from .. import rounds
    from ..i18n import t
    from ..presentation import counted
    from ._common import print_json, print_table
    from ._store import open_store, refuse, say

    store = open_store(args)
    if store is None:
        return 2
    lang = args.lang
    try:
        if args.action == "add":
            rnd = rounds.add_round(store, args.name, args.as_of, args.due, args.region, actor=args.actor)
            if args.json:
                print_json(rnd.to_dict())
            else:
                say("rounds_added", lang, name=rnd.name, as_of=rnd.as_of, due=rnd.due,
                    n=counted(len(rnd.regions), "region", lang))
            return 0
        if args.action == "close":
            rnd = rounds.close_round(store, args.name, actor=args.actor, reopen=args.reopen)
            if args.json:
                print_json(rnd.to_dict())
            else:
                say("rounds_reopened" if args.reopen else "rounds_closed", lang, name=rnd.name)
            return 0
    except rounds.RoundError as exc:
        return refuse(exc)
    found = rounds.list_rounds(store)
    if args.json:
        print_json([r.to_dict() for r in found])
    elif not found:
        say("rounds_none", lang)
    else:
        rows = [{"name": r.name, "as_of": r.as_of, "due": r.due, "regions": len(r.regions),
                 "open": t("rounds_closed_label" if r.closed else "rounds_open", lang)} for r in found]
        cols = ["name", "as_of", "due", "regions", "open"]
        print_table(rows, cols, [t(f"rounds_col_{c}", lang) for c in cols])
    return 0
