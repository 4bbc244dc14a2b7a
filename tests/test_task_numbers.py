"""A key task is read by its number in Arabic or Chinese numerals, or by its name."""
from __future__ import annotations

import pytest

from metrics.catalog import load_catalog
from metrics.resolvers import cn_number, resolve_task


@pytest.mark.parametrize("cell, task", [
    ("任务三", 3), ("重点任务十二", 12), ("第三项", 3), ("三、促进成果转化", 3), ("十六", 16), ("任务十一 打造特色产业链", 11),
    ("任务3", 3), ("3.促进成果转化", 3), ("促进成果转化", 3), ("十", 10),
    ("十七", None), ("任务二十", None), ("一体化", None), ("", None),
])
def test_task_numbers_in_arabic_and_chinese_numerals(cell, task):
    assert resolve_task(load_catalog(), cell) == task


def test_chinese_numerals_up_to_ninety_nine():
    assert [cn_number(x) for x in ["一", "九", "十", "十一", "二十", "三十五", "九十九"]] == [1, 9, 10, 11, 20, 35, 99]
    assert [cn_number(x) for x in ["", "十十", "一一", "百", "一百"]] == [None] * 5
