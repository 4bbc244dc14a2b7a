"""``python -m metrics delete SUBMISSION_ID [--undo] [--actor NAME] [--db URL] [--json] [--lang zh|en]``"""
from __future__ import annotations

import argparse

HELP = "删除一个提交(可撤销)/ soft-delete a submission (--undo restores it)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("submission_id", metavar="SUBMISSION_ID", type=int, help="the id shown by 'history'")
    p.add_argument("--undo", action="store_true", help="restore a deleted submission")
    p.add_argument("--actor", metavar="NAME", default="", help="who deletes (kept in the audit log)")
    p.add_argument("--json", action="store_true", help="one JSON object describing what changed")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    from ._common import print_json
    from ._store import ids_text, say, store_action

    done = store_action(args, lambda store: (store.restore if args.undo else store.delete)(
        args.submission_id, actor=args.actor))
    if done is None:
        return 2
    if args.json:
        print_json(done)
    elif not done["changed"]:
        say("store_unchanged", args.lang, id=args.submission_id)
    elif args.undo:
        say("store_undeleted", args.lang, id=args.submission_id)
    else:
        say("store_deleted", args.lang, id=args.submission_id, ids=ids_text(done["revived"]))
    return 0
