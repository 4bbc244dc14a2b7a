"""``python -m metrics catalog [--json] [--lang zh|en] [--overlay FILE]``"""
from __future__ import annotations

import argparse
import sys

HELP = "列出政策目标指标 / print the metric catalog of the policy"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable list of metric objects")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--overlay", metavar="FILE", help="a province's own targets (YAML) to show beside the national ones")


def run(args: argparse.Namespace) -> int:
    from ..catalog import CatalogError, catalog_as_records, load_catalog, load_overlay_file
    from ..errors import render
    from ..i18n import t
    from ._common import print_json, print_table

    try:
        catalog = load_catalog()
        if args.overlay:
            catalog = catalog.with_overlay(load_overlay_file(args.overlay, catalog))
    except CatalogError as exc:
        sys.stderr.write(f"目录文件有误:{render(exc, 'zh')} / catalog file is invalid: {render(exc, 'en')}\n")
        return 2
    records = catalog_as_records(catalog, args.lang)
    if args.json:
        print_json(records)
        return 0
    lang = args.lang
    rows = []
    for r in records:
        target = r["target"]
        shown = (t("target_batch", lang) if target is None and r["kind"] != "qualitative" else
                 "" if target is None else f"{target:g}")
        rows.append({"id": r["id"], "name": r["name_en"] if lang == "en" else r["name_zh"],
                     "unit": r["unit_en"] if lang == "en" else r["unit"], "kind": t("kind_" + r["kind"], lang),
                     "target": shown, "deadline": r["deadline"] or "", "province": r["province"] or "",
                     "clause": r["clause"]["quote"] if r["clause"] else ""})
    cols = ["id", "name", "unit", "kind", "target", "deadline", "province", "clause"]
    print_table(rows, cols, [t(k, lang) for k in ["col_id", "col_name", "col_unit", "col_kind", "col_target",
                                                   "col_deadline", "col_province", "col_clause"]])
    return 0
