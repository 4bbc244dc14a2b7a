"""Cell values as people type them: dates, numbers and text, one cell at a time.

Ingest applies these to the distinct values of a column only (then maps the results back), so
they may be plain Python without slowing down a 60,000-row sheet.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any

from .quantity import Quantity, parse_quantity
from .text import fold_width

EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (with the 1900 leap-year bug folded in)
_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份|底|末|份底)?$")
# Periods officers write for a completion date: stored as the period's last day, precision kept.
_QUARTER = re.compile(r"^(\d{4})\s*年?\s*(?:第\s*)?([一二三四1-4])\s*季度(?:末|底)?$|^(\d{4})\s*[-年\s]?\s*Q([1-4])$", re.I)
_HALF = re.compile(r"^(\d{4})\s*年?\s*(上|下)\s*半\s*年(?:末|底)?$")
_QUARTER_NO = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = re.compile(r"^(\d{4})\s*年?(?:底|末|年底|年末)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, NaN, or text of white space only."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def cell_text(value: Any) -> str:
    """A cell as the text the user sees: whole numbers without '.0', dates as ISO, text stripped."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).replace("\u3000", " ").strip()


def _serial(days: float) -> dt.datetime | None:
    if not 1 <= days < 2958466:  # 1900-01-01 .. 9999-12-31
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(days))


def _make(y: int, m: int, d: int) -> dt.datetime | None:
    try:
        return dt.datetime(y, m, d)
    except ValueError:
        return None


def parse_date(value: Any) -> tuple[dt.datetime | None, str]:
    """(date, precision) of a cell: precision is day, month, quarter, half or year; (None, "") when not a date.

    Month and year precision give the first day of the month or year (counted at its end by
    progress); quarter and half give the period's last day (2025年三季度 -> 2025-09-30). A whole number from 1900 to
    2100 is a year; other numbers are Excel date serials.
    """
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day), "day"
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), "day"
    if isinstance(value, bool) or value is None:
        return None, ""
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None, ""
        if float(value).is_integer() and 1900 <= value <= 2100:
            return dt.datetime(int(value), 1, 1), "year"
        d = _serial(float(value))
        return (d, "day") if d else (None, "")
    s = fold_width(str(value)).strip()
    if not s:
        return None, ""
    if re.search("[〇零○一二三四五六七八九十]", s) and "季" not in s:
        from .layout import _arabic
        s = _arabic(s)  # 二〇二五年六月 -> 2025年6月
    m = _QUARTER.match(s)
    if m:
        year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        month = 3 * _QUARTER_NO[q]
        return dt.datetime(int(year), month, calendar.monthrange(int(year), month)[1]), "quarter"
    m = _HALF.match(s)
    if m:
        return dt.datetime(int(m.group(1)), 6 if m.group(2) == "上" else 12, 30 if m.group(2) == "上" else 31), "half"
    m = _DAY.match(s) or _COMPACT.match(s)
    if m:
        d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (d, "day") if d else (None, "")
    m = _MONTH.match(s)
    if m:
        d = _make(int(m.group(1)), int(m.group(2)), 1)
        return (d, "month") if d else (None, "")
    m = _YEAR.match(s)
    if m and 1900 <= int(m.group(1)) <= 2100:
        return dt.datetime(int(m.group(1)), 1, 1), "year"
    if _SERIAL.match(s):
        d = _serial(float(s))
        return (d, "day") if d else (None, "")
    return None, ""


def period_end(date: dt.datetime, precision: str) -> dt.datetime:
    """The last day of the period a date stands for: 2026 -> 2026-12-31, 2026年6月 -> 2026-06-30."""
    if precision == "year":
        return dt.datetime(date.year, 12, 31)
    if precision == "month":
        return dt.datetime(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return date


def parse_number(value: Any, unit: str = "") -> Quantity | None:
    """A number with its qualifier ("12项", "1,200", "１２", "100项以上"); None when there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return None
    return parse_quantity(value, unit)
