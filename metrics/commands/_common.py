"""Small helpers shared by the CLI commands."""
from __future__ import annotations

import json
import sys
from typing import Any


def print_json(data: Any) -> None:
    """Print data as UTF-8 JSON (Chinese kept readable, dates as ISO strings)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    return str(o)


def print_table(rows: list[dict[str, Any]], columns: list[str], headers: list[str] | None = None) -> None:
    """Print records as a plain aligned table, wide characters counted as two columns."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    headers = headers or columns
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([width(h)] + [width(row[i]) for row in cells]) for i, h in enumerate(headers)]

    def line(vals: list[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells]
    sys.stdout.write("\n".join(out) + "\n")


def add_mapping_argument(p: Any) -> None:
    p.add_argument("--mapping", metavar="FILE.yaml",
                   help="a mapping profile (exported from the upload page): the field of each column the headers do not name")


def load_mapping(path: str | None, lang: str):
    """The mapping profile a --mapping file holds; (None, 0) without one, (None, 2) when it is unusable."""
    if not path:
        return None, 0
    from pathlib import Path

    from ..errors import render
    from ..i18n import t
    from ..mapping import MappingError, from_yaml

    file = Path(path)
    try:
        return from_yaml(file.read_text(encoding="utf-8")), 0
    except OSError:
        sys.stderr.write(t("mapping_file_missing", lang, file=path) + "\n")
    except (MappingError, UnicodeDecodeError) as exc:
        reason = exc if isinstance(exc, MappingError) else MappingError("mapping_bad_yaml", error="not UTF-8")
        sys.stderr.write(t("mapping_unusable", lang, file=path, reason=render(reason, lang)) + "\n")
    return None, 2
