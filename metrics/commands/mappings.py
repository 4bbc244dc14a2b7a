"""``python -m metrics mappings [--province NAME] [--export NAME --out FILE.yaml] [--json] [--db URL]``"""
from __future__ import annotations

import argparse

HELP = "列出或导出已保存的列映射方案 / list or export the stored column mapping profiles"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ._store import add_db_argument

    p.add_argument("--province", metavar="NAME", help="only the profiles of this province")
    p.add_argument("--export", metavar="NAME", help="the profile to write as YAML (the file --mapping takes)")
    p.add_argument("--out", metavar="FILE.yaml", help="where --export writes (default: standard output)")
    p.add_argument("--json", action="store_true", help="a list of {name, province, signature, sheets}")
    add_db_argument(p)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from ..mapping import list_profiles, to_yaml
    from ._common import print_json, print_table
    from ._store import fail, open_store

    store = open_store(args)
    if store is None:
        return 2
    province = store_province(args.province)
    profiles = [p for p in list_profiles(store) if province is None or p.province == province]
    if args.export:
        found = [p for p in profiles if p.name == args.export]
        if not found:
            return fail("mapping_unknown_profile", name=args.export)
        text = to_yaml(found[0])
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if args.json:
        print_json([{"name": p.name, "province": p.province, "signature": p.signature, "sheets": p.sheets}
                    for p in profiles])
        return 0
    rows = [{"name": p.name, "province": p.province, "signature": p.signature, "sheets": "、".join(p.sheets)}
            for p in profiles]
    print_table(rows, ["name", "province", "signature", "sheets"])
    return 0


def store_province(text: str | None) -> str | None:
    """The canonical province of --province (aliases allowed), the text itself when unknown."""
    if not text:
        return None
    from ..catalog import load_catalog

    return load_catalog().resolve_province(text) or text
