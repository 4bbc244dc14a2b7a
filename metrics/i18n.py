"""One translation table for every label, title and message: metrics/data/i18n/*.yaml.

Each file maps keys to {zh: …, en: …}; keys are unique across files (a test checks both
languages cover every key and that no key is defined twice).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any


from .datafiles import parse_yaml

I18N_DIR = Path(__file__).parent / "data" / "i18n"
LANGS = ("zh", "en")


@lru_cache(maxsize=1)
def translations() -> dict[str, dict[str, str]]:
    """All keys of all translation files: key -> {lang: text}."""
    table: dict[str, dict[str, str]] = {}
    for path in sorted(I18N_DIR.glob("*.yaml")):
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if key in table:
                raise ValueError(f"{path.name}: translation key '{key}' is defined twice")
            table[key] = texts
    return table


def t(key: str, lang: str = "zh", **values: Any) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled; the key itself when unknown.

    An English sentence counting ``{n}`` may carry its singular as ``en_one`` ("1 more is not listed"),
    used when ``n`` is exactly one; Chinese has no plural."""
    texts = translations().get(key)
    if texts is None:
        return key
    one = lang == "en" and "en_one" in texts and str(values.get("n", "")).strip() in ("1", "1.0")
    text = texts["en_one"] if one else texts.get(lang) or texts.get("zh") or key
    return text.format(**values) if values else text
