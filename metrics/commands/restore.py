"""``python -m metrics restore FILE.zip [--db URL]``: load a backup into an empty store."""
from __future__ import annotations

import argparse

HELP = "把备份文件导入空的数据库 / import a backup zip into an empty store"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("file", metavar="FILE", help="a zip written by 'python -m metrics backup'")
    p.add_argument("--actor", metavar="NAME", default="", help="who restores (kept in the audit log)")
    p.add_argument("--json", action="store_true", help="one JSON object: submissions, originals, rows")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    import sys

    from ..store import StoreError
    from ._common import print_json
    from ._store import open_store, say

    store = open_store(args)
    if store is None:
        return 2
    try:
        done = store.import_backup(args.file, actor=args.actor)
    except StoreError as exc:
        sys.stderr.write(f"{exc.message} / {exc.message_en}\n")
        return 2
    if args.json:
        print_json(done)
    else:
        say("store_backup_restored", args.lang, n=done["submissions"])
    return 0
