"""The one place that words and formats facts for the app, the CLI and every report.

Numbers are computed by the progress engine (``metrics.progress``); this module only says them:
status labels and colours (the one reader of ``metrics/data/status.yaml``), metric, region and scope
names by language, numbers, counts, money, dates at their precision, times in the tracker's time zone,
"is this value missing", the deadline wording of the calendar (``deadline_sentence``), and the cells of
the dashboard's tables and pickers (``percent_text``, ``rate_text``, ``target_text``, ``minute_text``,
``custom_metric_names``; "–" where a cell has no value).
Texts come from the translation table (``metrics/data/i18n/presentation.yaml``). Never imports streamlit.

Rules chosen here (documented once, used everywhere):
- a missing value is None, NaN (any float type), pd.NA or NaT — nothing else (0 and "" are values);
- counts are always whole: ``fmt_count`` rounds half up and never prints a fraction;
- other numbers keep at most ``digits`` decimals without trailing zeros, with thousands separators,
  so float noise (7.000000000000001) prints as 7;
- money in 亿元 (the policy's unit) reads "445.6 亿元" in Chinese and "44.56 billion yuan" in English
  (1 亿 = 100 million, so the English figure is the 亿元 figure divided by ten);
- dates print at the precision they were reported with: 2025年 / 2025年3月 / 2025年3月1日,
  2025 / March 2025 / 1 March 2025;
- times are shown in ``TRACKER_TIMEZONE`` (default Asia/Shanghai, Beijing time).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from .datafiles import parse_yaml
from .i18n import t

STATUS_FILE = Path(__file__).parent / "data" / "status.yaml"
DEFAULT_TIMEZONE = "Asia/Shanghai"
_FALLBACK_COLOUR = "#999999"


# ---- missing values -------------------------------------------------------------------------------
def is_missing(x: Any) -> bool:
    """None, NaN (Python or numpy float), pd.NA or NaT: a scalar with no value. 0 and "" are values."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    if isinstance(x, (float, np.floating)):
        return math.isnan(float(x))
    return bool(isinstance(x, (np.datetime64, np.timedelta64)) and np.isnat(x))


# ---- statuses (the one parser of status.yaml) -----------------------------------------------------
@lru_cache(maxsize=1)
def status_file() -> dict[str, Any]:
    """status.yaml as read: ``statuses`` in display order and the default ``thresholds``."""
    return parse_yaml(STATUS_FILE.read_text(encoding="utf-8"))


def status_definitions() -> list[dict[str, str]]:
    """Status ids in display order with zh/en labels, help texts and colours (copies: callers may edit)."""
    return [dict(s) for s in status_file()["statuses"]]


def status_ids() -> tuple[str, ...]:
    """Status ids in display order (best first, no_target last)."""
    return tuple(s["id"] for s in status_file()["statuses"])


def _status(status: Any) -> Mapping[str, str] | None:
    for s in status_file()["statuses"]:
        if s["id"] == status:
            return s
    return None


def status_label(status: Any, lang: str = "zh") -> str:
    """The label of a status id in ``lang`` (已达标 / Met …); the id itself when unknown."""
    s = _status(status)
    return s["name_en" if lang == "en" else "name_zh"] if s else str(status)


def status_colour(status: Any) -> str:
    """The one colour of a status everywhere (charts, cards, Excel, Word, PDF); grey when unknown."""
    s = _status(status)
    return s["colour"] if s else (_status("no_target") or {}).get("colour", _FALLBACK_COLOUR)


def status_colours() -> dict[str, str]:
    """Status id -> hex colour (Okabe–Ito)."""
    return {s["id"]: s["colour"] for s in status_file()["statuses"]}


# ---- names by language -----------------------------------------------------------------------------
def metric_name(row: Mapping[str, Any], lang: str = "zh") -> str:
    """The metric name of a progress row in ``lang`` (the Chinese name when no English one is known)."""
    en = row.get("name_en") if hasattr(row, "get") else None
    return str(en if lang == "en" and not is_missing(en) and en else row["name_zh"])


def provincial_metric_name(name_zh: str, lang: str = "zh") -> str:
    """A metric of a province's own plan that the catalog does not know, named in ``lang``: its own
    Chinese name, and in English "Provincial metric: <Chinese name>" (no English name is known for it;
    a metric the catalog lists under ``provincial_metrics`` has its catalog name instead)."""
    return str(name_zh) if lang != "en" else t("presentation_provincial_metric", "en", name=name_zh)


def region_name(catalog: Any, name: str, lang: str = "zh") -> str:
    """A region's name in ``lang`` (English names from regions.yaml); the text itself when unknown."""
    r = catalog.region_by_name.get(name)
    if r is None:
        return str(name)
    return r.name_en if lang == "en" else r.name


def scope_label(catalog: Any, scope_type: str, scope: str, lang: str = "zh") -> str:
    """全国 / National, a region, a direction or a flagship category in ``lang``."""
    if scope_type == "national" or scope == "national":
        return t("scope_national", lang)
    if scope_type == "province":
        return region_name(catalog, scope, lang)
    return catalog.label(scope_type, scope, lang)


# ---- numbers ------------------------------------------------------------------------------------------
def fmt_count(x: Any) -> str:
    """A count, always whole (half up): 10.2 -> "10", 10.5 -> "11", 1234 -> "1,234"; "" when missing."""
    if is_missing(x):
        return ""
    return f"{int(Decimal(str(float(x))).quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"


def fmt_number(x: Any, digits: int = 1) -> str:
    """A number as people write it: 32, 32.5, 1,234; at most ``digits`` decimals, no float noise."""
    if is_missing(x):
        return ""
    x = float(x)
    if abs(x - round(x)) < 10 ** -(digits + 1):
        return f"{int(round(x)):,}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def fmt_percent(x: Any) -> str:
    """"70%" / "" when missing (one decimal at most)."""
    return "" if is_missing(x) else f"{fmt_number(x)}%"


def fmt_money(yi_yuan: Any, lang: str = "zh") -> str:
    """An amount given in 亿元: "445.6 亿元" / "44.56 billion yuan" (1 亿 = 0.1 billion)."""
    if is_missing(yi_yuan):
        return ""
    if lang == "en":
        return f"{fmt_number(float(yi_yuan) / 10, 2)} billion yuan"
    return f"{fmt_number(yi_yuan, 1)} 亿元"


def count_unit(x: Any, unit: str, lang: str = "zh") -> str:
    """The unit after a count: English catalog units are plural nouns, said in the singular after 1
    ("1 incubator", "1 technology"); Chinese units never change."""
    if lang != "en" or not unit or is_missing(x) or float(x) != 1:
        return unit
    if unit.endswith("ies"):
        return unit[:-3] + "y"
    return unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit


def fmt_value(x: Any, kind: str = "count", unit: str = "", lang: str = "zh") -> str:
    """A figure with its unit by the metric's kind: counts whole, money in 亿元 worded, other values plain."""
    if is_missing(x):
        return ""
    if kind == "count":
        return f"{fmt_count(x)} {count_unit(x, unit, lang)}".strip()
    if unit == "亿元" or unit == "100 million yuan":
        return fmt_money(x, lang)
    return f"{fmt_number(x)} {unit}".strip()


# ---- dates and times -----------------------------------------------------------------------------------
def fmt_date(d: Any, lang: str = "zh", precision: str = "day") -> str:
    """A date at its precision: 2025年12月31日 / 2025年12月 / 2025年; 31 December 2025 / December 2025 / 2025."""
    if is_missing(d) or d == "":
        return ""
    d = pd.Timestamp(d).date()
    if precision == "year":
        return f"{d.year}年" if lang == "zh" else str(d.year)
    if precision == "month":
        return f"{d.year}年{d.month}月" if lang == "zh" else f"{d.strftime('%B')} {d.year}"
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d.strftime('%B')} {d.year}"


def fmt_iso_date(d: Any, precision: str = "day") -> str:
    """A date for tables at its precision: 2025-03-01, 2025-03 or 2025; "" when missing."""
    if is_missing(d) or d == "":
        return ""
    iso = pd.Timestamp(d).date().isoformat()
    return iso[:4] if precision == "year" else iso[:7] if precision == "month" else iso


def year_of(d: Any) -> str:
    """The year of a date as text ("" when there is no date)."""
    return "" if is_missing(d) or d == "" else str(pd.Timestamp(d).year)


def tracker_timezone() -> ZoneInfo:
    """The time zone times are shown in: ``TRACKER_TIMEZONE`` (default Asia/Shanghai; unknown names fall
    back to it rather than crash — the settings check reports them)."""
    from .settings import setting

    try:
        return ZoneInfo(setting("TRACKER_TIMEZONE"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_time(ts: Any) -> dt.datetime | None:
    """A moment in the tracker's time zone; naive times are taken as UTC (how the store writes them)."""
    if is_missing(ts) or ts == "":
        return None
    stamp = pd.Timestamp(ts)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert(tracker_timezone()).to_pydatetime()


def fmt_time(ts: Any, lang: str = "zh") -> str:
    """"2026-12-01 08:30" in the tracker's time zone; "" when missing."""
    local = local_time(ts)
    return "" if local is None else local.strftime("%Y-%m-%d %H:%M")


# ---- the deadline wording (issue 13) --------------------------------------------------------------------
MONEY_UNITS = ("亿元", "100 million yuan")


def target_in_words(text: Any, lang: str = "zh") -> str:
    """A target the policy gives in words, in the reader's language: the catalog keeps 一批, English reads
    'a batch'; any other wording is shown as written ("" when missing)."""
    if text is None or is_missing(text) or not str(text):
        return ""
    return t("target_batch", lang) if str(text) == t("target_batch", "zh") else str(text)


def target_figure(row: Mapping[str, Any], unit: str, lang: str = "zh") -> str:
    """"44 / 100 项" with a number, "13 个 / 一批" for a target in words, "13 个" with none; money worded
    by ``fmt_money`` ("312.58 billion yuan", never "3,125.8 100 million yuan"). Cards and the deadline
    sentence both say a figure this way."""
    kind = row.get("kind", "count")
    raw = 0 if is_missing(row.get("actual")) else row.get("actual")
    money = unit in MONEY_UNITS
    actual = fmt_value(raw, kind, unit if money else "", lang) or "0"
    if not is_missing(row.get("target")):
        return f"{actual} / {fmt_value(row['target'], kind, unit, lang)}"
    text = row.get("target_text")
    if text and not is_missing(text):
        text = target_in_words(text, lang)
        return f"{actual} {'' if money else unit} / {text}".replace("  ", " ").strip()
    return actual if money else f"{actual} {count_unit(raw, unit, lang)}".strip()


def deadline_sentence(row: Mapping[str, Any], lang: str = "zh", unit: str | None = None) -> str:
    """The one wording of where a target stands against its deadline, for cards, 目标差距, 地区对比,
    ``status`` and the reports.

    ``row`` is a progress row (``compute_progress(...).rows``; needs ``deadline``, ``actual``, ``target``,
    ``status`` and, after the deadline, ``passed``, ``after_deadline``, ``met_on``). A passed deadline is
    said as it ended — "2025年12月31日到期：完成 44 / 100 项，未完成。此后新增 25 项，2026年11月达到目标。"
    — with no pace or projection; a live one says the current figure, its status and, when the engine
    has one, the projection to the deadline in whole counts.
    """
    unit = row.get("unit", "") if unit is None else unit
    unit = "" if is_missing(unit) else str(unit)
    kind = row.get("kind", "count")
    deadline = row.get("deadline")
    values = {"date": fmt_date(deadline, lang), "figure": target_figure(row, unit, lang),
              "status": status_label(row.get("status"), lang), "unit": unit}
    if bool(row.get("passed")) and not is_missing(deadline):
        text = t("presentation_deadline_passed", lang, **values)
        after = row.get("after_deadline")
        if not is_missing(after) and float(after) > 0:
            text += t("presentation_after_deadline", lang, after=fmt_value(after, kind, unit, lang))
        met_on = row.get("met_on")
        if row.get("status") == "missed" and not is_missing(met_on) and met_on:
            text += t("presentation_met_later", lang, month=fmt_date(met_on, lang, "month"))
        return text
    if is_missing(deadline) or deadline is None:
        return t("presentation_no_deadline", lang, **values)
    text = t("presentation_deadline_live", lang, **values)
    projected = row.get("projected")
    if not is_missing(projected) and not is_missing(row.get("target")):
        text += t("presentation_projected", lang, value=fmt_value(projected, kind, unit, lang))
    return text


# ---- data that includes unreviewed submissions (issue 13, point 4) ----------------------------------------
def unreviewed_mark(text: str, unreviewed: bool, lang: str = "zh") -> str:
    """The one way a chart title, caption or report line says its figures include unreviewed data:
    "截至2026年11月30日 · 含未审核数据" / "as of … · includes unreviewed data"; the note alone for an
    empty text; ``text`` unchanged when everything shown is approved (or review is not in use)."""
    if not unreviewed:
        return text
    note = t("rounds_unreviewed_note", lang)
    return f"{text} · {note}" if text else note


# ---- figures in the dashboard's tables and pickers ("–" where a table cell has no value) ------------------
def finite_number(value: Any) -> float | None:
    """A finite float, or None for NaN / NA / missing."""
    if value is None or value is pd.NA:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def minute_text(moment: Any) -> str:
    """A stored time stamp to the minute in the tracker's time zone (Beijing time by default,
    ``TRACKER_TIMEZONE``), as every page shows times: "2026-11-29 08:40"; a naive stamp as written."""
    if moment is None or (isinstance(moment, float) and math.isnan(moment)):
        return ""
    try:
        ts = pd.Timestamp(moment)
    except (ValueError, TypeError):
        return str(moment)
    return fmt_time(ts) if ts.tzinfo is not None else ts.strftime("%Y-%m-%d %H:%M")


def percent_text(value: Any) -> str:
    """A 0–100 percent as "42.5%", or – when there is none."""
    return fmt_percent(finite_number(value)) or "–"


def rate_text(value: Any, unit: str, lang: str = "zh") -> str:
    """A required rate per month: "3.2 项/月" / "3.2 technologies/month"; – when none is needed."""
    v = finite_number(value)
    if v is None:
        return "–"
    return f"{fmt_number(v)} {unit}/月" if lang == "zh" else f"{fmt_number(v)} {unit}/month"


def target_text(row: dict[str, Any], lang: str, unit: str) -> str:
    """The target as a number with its unit, or as the policy writes it (一批) when it has none."""
    value = finite_number(row.get("target"))
    if value is not None:
        return f"{fmt_number(value)} {unit}".strip()
    return target_in_words(row.get("target_text"), lang) or "–"  # 一批 reads 'a batch' in English


def custom_metric_names(targets: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """custom_… metric id -> its name in ``lang``: the name the province gave it in its 目标设定 sheet,
    in English "Provincial metric: <that name>" (``presentation.provincial_metric_name``)."""
    if targets.empty:
        return {}
    custom = targets[targets["metric"].astype("string").str.startswith("custom_", na=False)]
    return {str(m): provincial_metric_name(str(n), lang) for m, n in zip(custom["metric"], custom["name_zh"])
            if isinstance(n, str) and n}


# ---- a count with its noun (warts: "1 rows will be stored") ---------------------------------------------
def counted(n: Any, noun: str, lang: str = "zh", **values: Any) -> str:
    """A count with its noun in ``lang``, singular after exactly one in English: "1 row", "0 rows",
    "2 rows"; Chinese keeps its measure word ("1 行", "3 个错误"). The nouns are the ``count_<noun>``
    (and, for one, ``count_<noun>_one``) keys of ``metrics/data/i18n/warts.yaml``; the count is whole
    (``fmt_count``), so 1.2 reads as one. ``values`` fill a noun's other placeholders: a list said with
    its noun, "submission 7" / "submissions 7, 8" (``count_submission_ids``, ids=...)."""
    whole = fmt_count(n)
    return t(f"count_{noun}_one" if whole == "1" else f"count_{noun}", lang, n=whole, **values)


def change_label(change: str, lang: str = "zh") -> str:
    """What a re-upload does to a stored row — added, removed or changed — as a table shows it in ``lang``
    (新增 / Added); the word itself when unknown."""
    return t(f"presentation_change_{change}", lang) if change in ("added", "removed", "changed") else str(change)
