"""``python -m metrics backup --out FILE.zip [--db URL]``: everything stored, in one zip."""
from __future__ import annotations

import argparse

HELP = "导出全部数据为一个备份文件 / export everything stored to one backup zip"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("--out", metavar="FILE", required=True,
                   help="the zip to write: manifest.json, originals/<sha256>, rows/<table>.parquet")
    p.add_argument("--json", action="store_true", help="one JSON object: path, submissions, originals, rows, tables")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    from ..presentation import counted
    from ._common import print_json
    from ._store import fail, open_store, say

    store = open_store(args)
    if store is None:
        return 2
    try:
        done = store.export_backup(args.out)
    except OSError as exc:
        return fail("store_unavailable", error=str(exc))
    if args.json:
        print_json(done)
    else:
        say("store_backup_written", args.lang, path=done["path"],
            n=counted(done["submissions"], "submission", args.lang),
            files=counted(done["originals"], "original_file", args.lang),
            profiles=counted(done["tables"]["mapping_profiles"], "mapping_profile", args.lang))
    return 0
