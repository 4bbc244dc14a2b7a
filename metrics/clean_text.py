"""Text made safe at ingest, the same for every database (issue 18).

One stray byte must not lose a file, nor behave differently on SQLite and PostgreSQL (which
refuses NUL in text), and a displayed name must read as what is stored. So every string cell of
every sheet passes through ``clean_cell`` before anything else reads it:

- NUL and the other C0/C1 control characters are removed (tab, newline and carriage return are
  kept: notes and evidence use line breaks);
- bidirectional embeddings/overrides/isolates and zero-width characters are removed, so
  ``\u202eRTLtxt.exe\u200b`` cannot pose as another name, code or province;
- a cell longer than ``MAX_CELL_CHARS`` is cut to that length.

Each change is reported, so ingest notes it on the row as a problem (``text_cleaned``,
``text_too_long``): nothing is changed silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_CELL_CHARS = 10_000  # longer than any real name, note or evidence; far below a 100,000-char attack cell

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# LRM/RLM/ALM, embeddings and overrides (202A-202E), isolates (2066-2069), zero-width space/joiners,
# word joiner and invisible operators (2060-2064), BOM / zero-width no-break space.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class Change:
    """What ``clean_cell`` did to one cell: codes of the problems to note on its row."""

    removed_control: int = 0     # NUL and other control characters removed
    removed_invisible: int = 0   # bidi controls and zero-width characters removed
    truncated_from: int = 0      # original length when cut to MAX_CELL_CHARS, else 0

    def __bool__(self) -> bool:
        return bool(self.removed_control or self.removed_invisible or self.truncated_from)


NO_CHANGE = Change()


def clean_cell(value: Any, max_chars: int = MAX_CELL_CHARS) -> tuple[Any, Change]:
    """The cell's value made safe, and what was changed (``NO_CHANGE`` for non-strings and clean text)."""
    if not isinstance(value, str):
        return value, NO_CHANGE
    text = value
    long = len(text) > max_chars
    if not long and _NEEDS_WORK.search(text) is None:  # the common case: one regex scan, no copy
        return value, NO_CHANGE
    text, n_control = _CONTROL.subn("", text)
    text, n_invisible = _INVISIBLE.subn("", text)
    cut = 0
    if len(text) > max_chars:
        cut, text = len(text), text[:max_chars]
    return text, Change(n_control, n_invisible, cut)


def clean_rows(rows: list[list[Any]], max_chars: int = MAX_CELL_CHARS) -> list[tuple[int, int, Change]]:
    """Clean every string cell of a sheet grid in place; (0-based row, 0-based column, change) per changed cell."""
    changes: list[tuple[int, int, Change]] = []
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, str):
                new, change = clean_cell(v, max_chars)
                if change:
                    row[j] = new
                    changes.append((i, j, change))
    return changes


def display_safe(text: Any) -> str:
    """A string for showing user text as plain text: controls and invisible characters removed."""
    return clean_cell(str(text), max_chars=10**9)[0] if text is not None else ""


__all__ = ["MAX_CELL_CHARS", "Change", "clean_cell", "clean_rows", "display_safe"]
