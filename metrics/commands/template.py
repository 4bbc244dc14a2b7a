"""``python -m metrics template --out FILE.xlsx [--province NAME]``"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "生成填报模板 / write the blank provincial workbook template (Excel)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write the template")
    p.add_argument("--province", metavar="NAME", help="fill in the province (广东省, 广东, Guangdong …)")


def run(args: argparse.Namespace) -> int:
    from ..catalog import load_catalog
    from ..i18n import t
    from ..template import build_template

    catalog = load_catalog()
    if args.province and catalog.resolve_province(args.province) is None:
        sys.stderr.write(t("template_unknown_province", "zh", name=args.province) + "\n"
                         + t("template_unknown_province", "en", name=args.province) + "\n")
        return 2
    content = build_template(args.province, catalog=catalog)
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    except OSError as exc:
        sys.stderr.write(t("template_cannot_write", "zh", path=out, error=exc.strerror or exc) + "\n"
                         + t("template_cannot_write", "en", path=out, error=exc.strerror or exc) + "\n")
        return 2
    sys.stdout.write(t("template_written", "zh", path=out) + " / " + t("template_written", "en", path=out) + "\n")
    return 0
