"""Text normalisation shared by alias matching and de-duplication."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Notes in brackets after a header or value: 名称(必填), 名称（必填）, 名称【必填】, 名称[必填].
_BRACKETS = re.compile(r"[\(\[【〔{<《].*?[\)\]】〕}>》]")
_SPACE = re.compile(r"\s+")
# Everything that is neither a letter nor a digit (punctuation, symbols, spaces), after NFKC.
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation to their half-width forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def alias_key(text: str) -> str:
    """The key under which a header or an alias is matched: width folded, lower case,
    bracketed notes, spaces and punctuation removed."""
    s = fold_width(str(text)).strip()
    s = _BRACKETS.sub("", s)
    s = _NON_WORD.sub("", s).lower()
    return s


def item_key(text: str) -> str:
    """The key under which two item names (or identifiers) count as the same item."""
    s = fold_width(str(text)).lower()
    return _NON_WORD.sub("", s)


def clean_cell(value: object) -> str:
    """A cell as stripped text with inner runs of white space folded to one space."""
    if value is None:
        return ""
    s = str(value)
    return _SPACE.sub(" ", s.replace("\u3000", " ")).strip()
