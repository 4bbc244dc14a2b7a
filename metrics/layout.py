"""What an officer's own workbook says about itself outside its tables: province and as-of date.

Officers put the province and the reporting period in a merged title row
("湖南省未来产业发展进展情况表（2025年三季度）"), a 填报单位 row or the file name, not in a
基本信息 sheet. These functions find them in plain text; ``ingest`` decides which source wins
and records each inference as a note.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Iterable

from .text import alias_key

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"(20\d\d)\s*年?"
_DAY = re.compile(r"(20\d\d)\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"(20\d\d)\s*[年./\-]\s*(\d{1,2})\s*月?(?:底|末)?(?!\d)")
_QUARTER_RE = re.compile(_YEAR + r"\s*(?:第\s*)?([一二三四1-4])\s*季度|" + r"(20\d\d)\s*[年\-\s]?\s*Q([1-4])", re.I)
_HALF = re.compile(_YEAR + r"\s*(上|下)\s*半\s*年")
_YEAR_ONLY = re.compile(r"(20\d\d)\s*年(?:度|底|末)?(?![\d一二三四上下第])")
_CN_NUMERAL = re.compile(r"[〇零○一二三四五六七八九]{4}")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _arabic(text: str) -> str:
    """二〇二五年六月 -> 2025年6月 (Chinese numerals of a year and a month written out)."""
    def year(m: re.Match[str]) -> str:
        return "".join(str(_CN_DIGIT[c]) for c in m.group(0))
    text = _CN_NUMERAL.sub(year, text)
    months = {"十二": "12", "十一": "11", "十": "10", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
    return re.sub(r"(20\d\d年)(十二|十一|十|[一二三四五六七八九])月", lambda m: m.group(1) + months[m.group(2)] + "月", text)


def as_of_in_text(text: str) -> tuple[dt.date, str] | None:
    """(last day of the period, precision) a title or file name names, or None.

    截至2025年9月30日 -> 2025-09-30 day; （2025年三季度） -> 2025-09-30 quarter; 2025年上半年 ->
    2025-06-30 half; 2025年6月底 -> 2025-06-30 month; 2025年 -> 2025-12-31 year.
    Checked from the most precise form to the least, so a day is never read as its month.
    """
    text = _arabic(text or "")
    if m := _DAY.search(text):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), "day"
        except ValueError:
            pass
    if m := _QUARTER_RE.search(text):
        year, q = (m[1], m[2]) if m[1] else (m[3], m[4])
        return _month_end(int(year), 3 * _QUARTER[q]), "quarter"
    if m := _HALF.search(text):
        return _month_end(int(m[1]), 6 if m[2] == "上" else 12), "half"
    if (m := _MONTH.search(text)) and 1 <= int(m[2]) <= 12:
        return _month_end(int(m[1]), int(m[2])), "month"
    if m := _YEAR_ONLY.search(text):
        return dt.date(int(m[1]), 12, 31), "year"
    return None


def province_in_text(text: str, aliases: dict[str, str]) -> str | None:
    """The province a title, 填报单位 or file name names (longest Chinese alias found inside it)."""
    key = alias_key(text or "")
    if not key:
        return None
    best: tuple[int, str] | None = None
    for alias, name in aliases.items():
        if len(alias) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in alias) and alias in key:
            if best is None or len(alias) > best[0]:
                best = (len(alias), name)
    return best[1] if best else None


def title_texts(rows: list[list[object]], above: int) -> Iterable[tuple[int, str]]:
    """(0-based row, joined text) of the rows above a table's header: title and 填报单位 rows."""
    for r, row in enumerate(rows[:above]):
        seen: list[str] = []
        for v in row:
            s = str(v).strip() if v is not None else ""
            if s and s not in seen:  # a merged title is filled into every cell of its range
                seen.append(s)
        if seen:
            yield r, " ".join(seen)
