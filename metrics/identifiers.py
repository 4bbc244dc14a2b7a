"""Identifiers written in 编号: the 统一社会信用代码 (GB 32100-2015) and standard numbers.

``classify_identifier`` says what an identifier is, whether it is well formed, and its normalised
form; ``identifier_key`` is the de-duplication key built from it.
"""
from __future__ import annotations

import re
from operator import mul
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal


from .datafiles import parse_yaml
from .text import fold_width, item_key

# GB 32100-2015, 4.2 and annex: 31 characters (the digits and the capitals without I, O, S, V, Z),
# weights 3^i mod 31 for the 17 leading characters, check = 31 - (sum mod 31), 31 -> 0.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_VALUE = {ch: i for i, ch in enumerate(CREDIT_ALPHABET)}
_CREDIT_CHARS = frozenset(CREDIT_ALPHABET)
_CREDIT_SHAPE = re.compile(r"^[0-9A-Z]{15,20}$")
_SEPARATORS = re.compile(r"[\s\-_.·]+")
_DASHES = re.compile(r"[‐-―−－~～]")

_SPACES = re.compile(r"\s+")
_SLASH = re.compile(r"\s*/\s*")
_GBT = re.compile(r"^GB([TZ])(?=[\s\d])")

Kind = Literal["credit_code", "org_code", "standard", "text"]
# A code Excel turned into a number: 9.14403001922038E+17 (or its text in a CSV export). The digits
# past the 15th are lost, so it identifies nothing.
_E_NOTATION = re.compile(r"^[+-]?\d(?:\.\d+)?E\+?\d{1,3}$", re.I)
# GB 11714-1997 组织机构代码: 8 characters, a hyphen (often left out) and a check character.
_ORG_CODE = re.compile(r"^([0-9A-Z]{8})-?([0-9X])$")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# A standard number followed by its replacement note: GB 45438—2025（代替GB/T 1234—2010）.
_REPLACES = re.compile(r"\s*[（(]\s*((?:部分)?(?:代替|替代|代)\s*.*?)\s*[)）]?\s*$")


@dataclass(frozen=True)
class Identifier:
    """What a 编号 is: its kind, whether it is well formed, its normalised form and why it is not valid."""

    kind: Kind
    normalised: str
    valid: bool = True
    reason: str = ""          # credit_length | credit_chars | credit_check | standard_format
    expected: str = ""        # for credit_check: the check character the code should end with
    note: str = ""            # text kept beside the number (a standard's 代替… note)
    warning: str = ""         # a problem code for a usable but doubtful identifier (old_org_code)


@lru_cache(maxsize=1)
def _standard_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = parse_yaml((Path(__file__).parent / "data" / "standards.yaml").read_text(encoding="utf-8"))
    national = sorted(data["national"], key=len, reverse=True)
    industry = "|".join(sorted(data["industry"], key=len, reverse=True))
    intl = sorted(data["international"], key=len, reverse=True)
    cn_prefix = ("(?P<prefix>" + "|".join(re.escape(p) for p in national)
                 + rf"|(?:{industry})(?:/[TZ])?|DB\d{{2}}(?:/T)?|T/[A-Z]+|Q/[A-Z0-9]+)")
    intl_prefix = "(?P<prefix>" + "|".join(re.escape(p) for p in intl) + ")"
    chinese = re.compile(rf"^{cn_prefix} ?(?P<num>\d+(?:\.\d+)*) ?- ?(?P<year>\d{{4}}|\d{{2}})$")
    international = re.compile(rf"^{intl_prefix} ?(?P<num>\d+(?:[.-]\d+)*[A-Z]?) ?[:-] ?(?P<year>\d{{4}})$")
    looks = re.compile(rf"^(?:{cn_prefix}|{intl_prefix.replace('?P<prefix>', '')}) ?\d")
    return chinese, international, looks


def credit_check_char(first17: str) -> str:
    """The check character (18th) of a credit code from its first 17 characters."""
    total = sum(map(mul, map(_CREDIT_VALUE.__getitem__, first17), CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(text: str) -> str:
    """A credit code in upper case, half width, without spaces or separators."""
    text = str(text)
    if text.isascii() and text.isalnum():
        return text.upper()
    return _SEPARATORS.sub("", fold_width(text)).upper()


def is_valid_credit_code(text: str) -> bool:
    """True for an 18-character 统一社会信用代码 whose check character is right."""
    ident = classify_identifier(text)
    return ident.kind == "credit_code" and ident.valid


def _check_credit_code(code: str) -> Identifier:
    if len(code) != 18:
        return Identifier("credit_code", code, False, "credit_length")
    if not set(code) <= _CREDIT_CHARS:
        return Identifier("credit_code", code, False, "credit_chars")
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return Identifier("credit_code", code, False, "credit_check", expected)
    return Identifier("credit_code", code)


def org_check_char(first8: str) -> str | None:
    """GB 11714 check character of an 组织机构代码's 8 leading characters (None for other characters)."""
    total = 0
    for ch, w in zip(first8, _ORG_WEIGHTS):
        if ch.isdigit():
            v = int(ch)
        elif "A" <= ch <= "Z":
            v = ord(ch) - 55
        else:
            return None
        total += v * w
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _standard_text(text: str) -> str:
    s = str(text)
    if not s.isascii():
        s = re.sub("-{2,}", "-", _DASHES.sub("-", fold_width(s)))  # GB 45438——2025: a doubled dash
    s = _SPACES.sub(" ", s.upper().strip())
    if " /" in s or "/ " in s:
        s = _SLASH.sub("/", s)
    if s.startswith(("GBT", "GBZ")):
        s = _GBT.sub(r"GB/\1", s)  # GBT 12345-2024: the slash is often left out
    return s


def parse_standard_number(text: str) -> tuple[str, str, str] | None:
    """(prefix, number, year) of a well-formed standard number, else None."""
    s = _standard_text(text)
    chinese, international, _ = _standard_patterns()
    m = chinese.match(s) or international.match(s)
    if not m:
        return None
    return m.group("prefix"), m.group("num"), m.group("year")


def normalise_standard_number(text: str) -> str | None:
    """The canonical spelling (``GB/T 12345-2024``, ``ISO/IEC 27001:2022``), or None when malformed."""
    parts = parse_standard_number(text)
    if parts is None:
        return None
    prefix, num, year = parts
    _, international, _ = _standard_patterns()
    sep = ":" if international.match(_standard_text(text)) and not prefix.startswith("IEEE") else "-"
    return f"{prefix} {num}{sep}{year}"


# Metrics whose 编号 is a credit code or a standard number when it has that shape.
CREDIT_METRICS = frozenset({"enterprise", "eco_leader", "service_org"})
STANDARD_METRICS = frozenset({"standard"})


def classify_identifier(text: str, metric: str | None = None) -> Identifier:
    """What an identifier is and whether it is well formed.

    A standard number is checked when the metric is ``standard`` or the text starts like one;
    a credit code when the text has its shape. Anything else is free text, always valid.
    """
    raw = str(text).strip()
    if not raw:
        return Identifier("text", "")
    if _E_NOTATION.match(raw.replace(" ", "")):
        return Identifier("credit_code", raw, False, "credit_number")
    org = _ORG_CODE.match(fold_width(raw).strip().upper())
    if org and metric not in STANDARD_METRICS and org_check_char(org.group(1)) == org.group(2):
        return Identifier("org_code", f"{org.group(1)}-{org.group(2)}", warning="old_org_code")
    replaced = _REPLACES.search(raw)
    if replaced and replaced.start() > 0:
        ident = classify_identifier(raw[:replaced.start()], metric)
        if ident.kind == "standard" and ident.valid:
            return Identifier("standard", ident.normalised, note=replaced.group(1))
    compact = normalise_credit_code(raw)
    # 18 characters with the 6-digit administrative division in place, or a near miss (mostly digits).
    full_shape = len(compact) == 18 and compact.isalnum() and compact.isascii() and compact[2:8].isdigit()
    is_credit_shape = full_shape or (bool(_CREDIT_SHAPE.match(compact)) and sum(map(str.isdigit, compact)) >= 10)
    if metric not in STANDARD_METRICS and full_shape:
        return _check_credit_code(compact)  # the common case, decided without the standard patterns
    std = _standard_text(raw)
    chinese, international, looks = _standard_patterns()
    if metric in STANDARD_METRICS or looks.match(std):
        m = chinese.match(std) or international.match(std)
        if m:
            sep = ":" if m.re is international and not m.group("prefix").startswith("IEEE") else "-"
            return Identifier("standard", f"{m.group('prefix')} {m.group('num')}{sep}{m.group('year')}")
        return Identifier("standard", std, False, "standard_format")
    if is_credit_shape or (metric in CREDIT_METRICS and len(compact) == 18):
        return _check_credit_code(compact)
    return Identifier("text", fold_width(raw).strip())


def identifier_key(text: str, metric: str | None = None) -> str:
    """The de-duplication key of an identifier: its normalised form (free text through ``item_key``)."""
    return identifier_key_of(classify_identifier(text, metric))


def identifier_key_of(ident: Identifier) -> str:
    """The de-duplication key of a classified identifier."""
    if ident.kind == "standard" and ident.valid:
        return ident.normalised.replace(" ", "")
    if ident.kind in ("credit_code", "org_code"):
        return ident.normalised
    return item_key(ident.normalised)
