"""What a cell names in the catalog's terms: the qualitative goal (``resolve_goal``) and the key task
(``resolve_task``, by number in Arabic or Chinese numerals, or by name).
"""
from __future__ import annotations

import re
from typing import Any

from .catalog import Catalog
from .text import alias_key
from .values import cell_text


def _goal_index(catalog: Catalog) -> list[tuple[str, list[str]]]:
    return [(m.id, [alias_key(x) for x in (m.id, m.name_zh, m.name_en, *m.aliases)])
            for m in catalog.qualitative_metrics]


def resolve_goal(catalog: Catalog, text: str) -> str | None:
    """The qualitative goal a text names: by id or name, or loosely (one contains the other)."""
    key = alias_key(text)
    if not key:
        return None
    index = _goal_index(catalog)
    for gid, names in index:
        if key in names:
            return gid
    hits = [gid for gid, names in index if len(key) >= 4 and any(key in n or (len(n) >= 4 and n in key)
                                                                    for n in names[1:3])]
    return hits[0] if len(hits) == 1 else None


_TASK_NUMBER = re.compile(r"^\D{0,6}?(\d{1,2})(?!\d)")
_CN_NUMBERS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
# A task number in Chinese numerals: "任务三", "重点任务十二", "第三项", "三、促进成果转化", "十六".
_CN_TASK = re.compile(r"^(?:重点)?任务([一二三四五六七八九十]{1,3})"
                      r"|^第?([一二三四五六七八九十]{1,3})(?:项|个)?(?:重点)?(?:任务)?(?=$|[、.．:：\s,，)）])")


def cn_number(text: str) -> int | None:
    """The value of a Chinese numeral from 一 to 九十九 (None for anything else)."""
    if "十" not in text:
        return _CN_NUMBERS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    high = _CN_NUMBERS.get(tens) if tens else 1
    low = _CN_NUMBERS.get(ones) if ones else 0
    return None if high is None or low is None else high * 10 + low


def resolve_task(catalog: Catalog, value: Any) -> int | None:
    """The key task (1–16) a cell names: by number ("3", "任务3", "3.促进成果转化", "任务三", "三、促进成果转化")
    or by name."""
    text = cell_text(value)
    if not text:
        return None
    found = catalog.resolve("task", text)
    if found:
        return int(found)
    m = _TASK_NUMBER.match(text)
    if m and 1 <= int(m.group(1)) <= 16:
        return int(m.group(1))
    m = _CN_TASK.match(text)
    number = cn_number(m.group(1) or m.group(2)) if m else None
    if number is not None and 1 <= number <= 16:
        return number
    key = alias_key(text)
    hits = [t.number for t in catalog.tasks
            if len(key) >= 4 and (alias_key(t.name_zh) in key or key in alias_key(t.name_zh))]
    return hits[0] if len(hits) == 1 else None
