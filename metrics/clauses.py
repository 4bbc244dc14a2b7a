"""The quoted policy clauses in the reader's language: Chinese as written, English as our own rendering
(metrics/data/clauses_en.yaml), always marked unofficial."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .datafiles import read_yaml

CLAUSES_EN = Path(__file__).resolve().parent / "data" / "clauses_en.yaml"


@lru_cache(maxsize=1)
def _renderings() -> dict[str, Any]:
    return read_yaml(CLAUSES_EN)


def clause_text(section: str, quote: str, lang: str = "zh") -> tuple[str, str, str | None]:
    """(section, quote, note) to show: in English the unofficial rendering and its note; the Chinese
    quote itself when no rendering exists (the note then says so as well)."""
    if lang != "en":
        return section, quote, None
    data = _renderings()
    return (data["sections"].get(section, section), data["quotes"].get(quote, quote),
            data["unofficial_note"]["en"])
