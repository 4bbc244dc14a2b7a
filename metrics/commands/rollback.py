"""``python -m metrics rollback SUBMISSION_ID [--actor NAME] [--db URL] [--json] [--lang zh|en]``"""
from __future__ import annotations

import argparse

HELP = "回滚:让某省重新使用一个较早的提交 / roll a province back to an earlier submission"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("submission_id", metavar="SUBMISSION_ID", type=int, help="the id shown by 'history'")
    p.add_argument("--actor", metavar="NAME", default="", help="who rolls back (kept in the audit log)")
    p.add_argument("--json", action="store_true", help="one JSON object: submission_id, province, superseded")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    from ._common import print_json
    from ._store import ids_text, say, store_action

    done = store_action(args, lambda store: store.rollback(args.submission_id, actor=args.actor))
    if done is None:
        return 2
    if args.json:
        print_json(done)
    else:
        say("store_rolled_back", args.lang, province=done["province"], id=done["submission_id"],
            ids=ids_text(done["superseded"]))
    return 0
