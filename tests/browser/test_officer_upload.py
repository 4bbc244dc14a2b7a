"""A provincial officer's own workbook in a real browser, in English and Chinese (warts): a title row naming
the province and the date, a merged two-level header and a 合计 row, built with openpyxl. Every sentence of
the upload page is in the page's language, with its counts in the singular after one, and no raw key."""
from __future__ import annotations

import re

import pytest
from openpyxl import Workbook

from conftest import screenshot, wait_idle

pytestmark = pytest.mark.browser

HEADERS = ["省份", "指标", "名称", "编号", "方向", "标志性产品类别", "牵头单位", "状态", "完成日期", "证明材料", "备注"]


def officer_workbook(path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "成果清单"
    ws.append(["湖南省未来产业发展目标进展表（截至2025年9月30日）"])
    ws.merge_cells("A1:K1")
    ws.append(["基本情况", "", "", "", "", "", "成果情况", "", "", "", ""])
    ws.merge_cells("A2:F2")
    ws.merge_cells("G2:K2")
    ws.append(HEADERS)
    ws.append(["湖南省", "前沿关键核心技术", "先进轨道交通控制技术", "", "未来制造", "", "中车株洲所", "已完成", "2025-03-15", "", ""])
    ws.append(["湖南省", "领军企业", "湖南某智能装备有限公司", "", "未来制造", "", "", "已完成", "2025-05-20", "", ""])
    ws.append(["湖南省", "前沿关键核心技术", "超高速磁浮关键技术", "", "未来制造", "", "国防科大", "已完成", "不详", "", ""])
    ws.append(["合计", "", "3", "", "", "", "", "", "", "", ""])
    wb.save(path)


EXPECTED = {
    "en": ["Hunan", "30 September 2025", "Validation report: 1 error, 0 warnings, 3 notes",
           "2 added, 0 removed, 0 changed", "2 rows will be stored, 2 rows skipped",
           "I understand: 1 row with errors will not be stored; only the other 2 rows will"],
    "zh": ["湖南省", "2025年9月30日", "校验报告：1 个错误，0 个提示，3 条说明", "新增 2 条,删除 0 条,修改 0 条",
           "将保存 2 行，跳过 2 行", "我已知悉：有错误的 1 行不会保存，只保存其余 2 行"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_officers_own_workbook_is_worded_in_the_pages_language(page, app_url, tmp_path, lang):
    path = tmp_path / "湖南省进展表.xlsx"
    officer_workbook(path)
    page.goto(f"{app_url}/upload?lang={lang}")
    wait_idle(page)
    with page.expect_file_chooser() as chooser:
        page.locator("[data-testid='stFileUploaderDropzone'] button").first.click()
    chooser.value.set_files(str(path))
    page.wait_for_selector("[data-testid='stCheckbox']", timeout=90_000)
    wait_idle(page)
    main = page.inner_text("[data-testid='stMain']")
    for sentence in EXPECTED[lang]:
        assert sentence in main, sentence
    assert not re.search(r"\b(app|count|presentation|ingest)_[a-z_]+\b", main)  # no raw translation key
    # The tables are drawn on a canvas: their words are checked in test_app_upload_confirm (AppTest).
    screenshot(page, f"officer_upload_{lang}")
