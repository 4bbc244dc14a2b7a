"""Numbers as people write them: "12项", "1,200", "１２", "100项以上", "约80个", "≥100", "1.2万亿元"."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from .text import fold_width

Qualifier = Literal["eq", "ge", "gt", "le", "lt", "about"]

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PREFIX = [
    ("≥", "ge"), (">=", "ge"), ("不少于", "ge"), ("不低于", "ge"), ("至少", "ge"), ("达到", "eq"), ("达", "eq"),
    ("超过", "gt"), ("突破", "gt"), (">", "gt"),
    ("≤", "le"), ("<=", "le"), ("不超过", "le"), ("不高于", "le"), ("<", "lt"),
    ("约", "about"), ("大约", "about"), ("近", "about"), ("~", "about"), ("～", "about"),
]
_SUFFIX = [
    ("以上", "ge"), ("及以上", "ge"), ("以内", "le"), ("以下", "le"), ("左右", "about"), ("上下", "about"), ("余", "ge"), ("多", "ge"),
]
# Chinese magnitude words written before the unit: 1.2万亿元 with unit 亿元 is 12000 亿元.
_MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}


@dataclass(frozen=True)
class Quantity:
    value: float
    qualifier: Qualifier = "eq"
    unit: str = ""


def parse_quantity(text: object, unit: str = "") -> Quantity | None:
    """Parse a number with its qualifier and unit words; None when there is no number.

    ``unit`` is the metric's unit; a magnitude word before it (万, 亿) scales the value.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        if isinstance(text, float) and math.isnan(text):
            return None
        return Quantity(float(text))
    s = fold_width(str(text)).strip().replace(",", "").replace(" ", "")
    if not s:
        return None
    s = s.replace("百项", "100项").replace("百家", "100家") if s in ("百项", "百家") else s
    qualifier: Qualifier = "eq"
    for word, q in _PREFIX:
        if s.startswith(word):
            qualifier, s = q, s[len(word):]
            break
    m = _NUMBER.search(s)
    if not m or m.start() != 0:
        return None
    value = float(m.group())
    rest = s[m.end():]
    for word, q in _SUFFIX:
        if rest.endswith(word):
            qualifier, rest = (q if qualifier == "eq" else qualifier), rest[: -len(word)]
            break
    for word, q in _SUFFIX:  # 100项以上 / 以上100项 both occur
        if rest.startswith(word):
            qualifier, rest = (q if qualifier == "eq" else qualifier), rest[len(word):]
    if rest and unit and rest != unit and rest.endswith(unit):
        scale = 1.0
        for ch in rest[: -len(unit)]:
            if ch not in _MAGNITUDE:
                scale = 0
                break
            scale *= _MAGNITUDE[ch]
        if scale:
            value, rest = value * scale, unit
    if rest and not re.fullmatch(r"[^\d]{1,8}", rest):
        return None
    return Quantity(value, qualifier, rest)
