"""``python -m metrics restore FILE.zip [--db URL]``: load a backup into an empty store."""
from __future__ import annotations

import argparse

HELP = "把备份文件导入空的数据库 / import a backup zip into an empty store"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("file", metavar="FILE", help="a zip written by 'python -m metrics backup'")
    p.add_argument("--actor", metavar="NAME", default="", help="who restores (kept in the audit log)")
    p.add_argument("--json", action="store_true", help="one JSON object: submissions, originals, rows, tables")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    from ..presentation import counted
    from ._common import print_json
    from ._store import say, store_action

    done = store_action(args, lambda store: store.import_backup(args.file, actor=args.actor))
    if done is None:
        return 2
    if args.json:
        print_json(done)
    else:
        say("store_backup_restored", args.lang, n=counted(done["submissions"], "submission", args.lang),
            profiles=counted(done["tables"]["mapping_profiles"], "mapping_profile", args.lang))
    return 0
