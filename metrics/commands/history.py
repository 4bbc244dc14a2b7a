"""``python -m metrics history [--province NAME] [--json] [--db URL] [--lang zh|en]``"""
from __future__ import annotations

import argparse

HELP = "列出已保存的提交及其状态 / list the stored submissions and their state"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("--province", metavar="NAME", help="only this province's submissions")
    p.add_argument("--json", action="store_true",
                   help="a list of submissions: id, province, as_of, uploaded_at, uploader, filename, sha256, "
                        "state (current/superseded/deleted), sample, replaced_by, counts, errors, warnings, "
                        "round, reviews (decision, reviewer, at, comment, rows)")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..i18n import t
    from ._common import print_json, print_table
    from ._store import fail, open_store, say

    province = None
    if args.province:
        province = load_catalog().resolve_province(args.province)
        if province is None:
            return fail("store_unknown_province", value=args.province)
    store = open_store(args)
    if store is None:
        return 2
    history = store.history(province)
    from ..rounds import annotate_history

    history = annotate_history(store, history)
    if args.json:
        print_json(history)
        return 0
    if not history:
        say("store_no_history", args.lang)
        return 0
    lang = args.lang
    rows = [{**h, "uploaded_at": h["uploaded_at"][:19].replace("T", " "), "state": t(f"store_state_{h['state']}", lang),
             "items": h["counts"].get("items", 0)} for h in history]
    cols = ["id", "province", "as_of", "uploaded_at", "uploader", "filename", "state", "items", "errors"]
    print_table(rows, cols, [t(f"store_col_{c}", lang) for c in cols])
    return 0
