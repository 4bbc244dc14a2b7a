"""``python -m metrics diff A B [--json] [--db URL] [--lang zh|en]``"""
from __future__ import annotations

import argparse

HELP = "比较两个提交:新增、删除、修改的行 / what changed between two submissions"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("a", metavar="A", type=int, help="the earlier submission id")
    p.add_argument("b", metavar="B", type=int, help="the later submission id")
    p.add_argument("--json", action="store_true",
                   help="one object: a, b, and for items/totals/targets/assessments/tasks the rows added, removed "
                        "and changed (with the old and new value of each changed field), plus summary counts")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    import sys

    from ..i18n import t
    from ..store import StoreError
    from ._common import print_json
    from ._store import open_store, refuse, say

    store = open_store(args)
    if store is None:
        return 2
    try:
        diff = store.diff(args.a, args.b)
    except StoreError as exc:
        return refuse(exc)
    if args.json:
        print_json(diff)
        return 0
    lang = args.lang
    say("store_diff_title", lang, a=args.a, b=args.b)
    for kind, counts in diff["summary"].items():
        say("store_diff_line", lang, table=t(f"store_table_{kind}", lang), **counts)
        for sign, part in (("+", "added"), ("-", "removed")):
            for row in diff[kind][part]:
                sys.stdout.write(f"  {sign} {row.get('name') or row.get('metric') or row.get('goal') or row.get('task')}"
                                 f" {row.get('key') or row.get('as_of') or row.get('deadline') or ''}\n")
        for row in diff[kind]["changed"]:
            changes = "; ".join(f"{f}: {old} → {new}" for f, (old, new) in row["changes"].items())
            sys.stdout.write(f"  ~ {row.get('key') or row.get('metric') or row.get('goal') or row.get('task')}: "
                             f"{changes}\n")
    return 0
