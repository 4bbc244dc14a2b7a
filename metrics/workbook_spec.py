"""The provincial workbook's sheets and columns, read from ``metrics/data/workbook.yaml``."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any


from .datafiles import parse_yaml

WORKBOOK_FILE = Path(__file__).parent / "data" / "workbook.yaml"


@lru_cache(maxsize=1)
def workbook_sheets() -> tuple[dict[str, Any], ...]:
    """Every sheet definition of workbook.yaml, in order (key, name_zh, layout, columns …)."""
    data = parse_yaml(WORKBOOK_FILE.read_text(encoding="utf-8")) or {}
    return tuple(data.get("sheets") or [])


def sheet_spec(key: str) -> dict[str, Any]:
    """The definition of one sheet by its key (guide, info, items, totals, targets, goals, tasks)."""
    for sheet in workbook_sheets():
        if sheet["key"] == key:
            return sheet
    raise KeyError(key)


def sheet_name(key: str) -> str:
    """The Chinese sheet name the template uses for a sheet key."""
    return str(sheet_spec(key)["name_zh"])


def headers(key: str) -> list[str]:
    """The template's Chinese headers of a sheet, in column order."""
    return [str(c["header_zh"]) for c in sheet_spec(key).get("columns", [])]


def column_keys(key: str) -> list[str]:
    """The column keys of a sheet, in column order."""
    return [str(c["key"]) for c in sheet_spec(key).get("columns", [])]
