"""The dashboard in headless Chromium: every page, an upload through the file chooser, a gap chart,
a report download; no exception element anywhere; a screenshot of each page in artifacts/screenshots/."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, screenshot, wait_idle

pytestmark = pytest.mark.browser

PAGES = ["overview", "upload", "gaps", "compare", "goals", "catalog", "history", "report"]
FLAWED = ROOT / "sample_data" / "示例数据_问题示例_校验演示.xlsx"


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_in_chinese_without_an_exception(page, app_url, name):
    page.goto(f"{app_url}/" + ("" if name == "overview" else name))
    wait_idle(page)
    if name in ("overview", "gaps", "compare", "goals"):
        page.wait_for_selector(".js-plotly-plot .main-svg")
    no_exception(page)
    assert page.locator("h1").first.inner_text().strip()
    assert "示例数据" in page.inner_text("body")  # the banner: the sample data loaded on first start
    screenshot(page, f"{name}_zh")


def test_the_sidebar_switches_to_english(page, app_url):
    page.goto(f"{app_url}/")
    wait_idle(page)
    page.get_by_text("English", exact=True).click()
    wait_idle(page)
    page.wait_for_selector("h1:has-text('Overview')")
    no_exception(page)
    screenshot(page, "overview_en")


def test_an_uploaded_workbook_gets_its_validation_report(page, app_url):
    page.goto(f"{app_url}/upload")
    wait_idle(page)
    with page.expect_file_chooser() as chooser:
        page.locator("[data-testid='stFileUploaderDropzone'] button").first.click()
    chooser.value.set_files(str(FLAWED))
    page.wait_for_selector("text=校验报告", timeout=90_000)
    wait_idle(page)
    no_exception(page)
    assert page.locator("[data-testid='stDataFrame']").count() >= 2  # rows per sheet, the report
    assert page.get_by_text("下载标注问题的工作簿").count() == 1
    screenshot(page, "upload_report_zh")


def test_a_gap_chart_shows_target_pace_and_projection(page, app_url):
    page.goto(f"{app_url}/gaps")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    bullet, trajectory = page.locator(".js-plotly-plot").nth(0), page.locator(".js-plotly-plot").nth(1)
    assert "前沿关键核心技术" in bullet.inner_text()  # the first target with a number is shown first
    text = trajectory.inner_text()
    for label in ("数据截至", "目标", "时间进度线", "累计完成 (项)", "月份"):
        assert label in text
    trajectory.hover()
    no_exception(page)



def test_the_items_tab_and_the_as_of_popover_work_in_the_browser(page, app_url):
    """Issue 17: the items table is a tab drawn when opened; the as-of date sits in a sidebar popover whose
    label says the date. Opening the tab shows the table; a date typed in the popover recomputes the page."""
    page.goto(f"{app_url}/gaps?lang=en")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator("[data-testid='stDataFrame']").count() == 0  # not drawn until its tab is opened
    page.get_by_role("tab", name="Items counted").click()
    page.wait_for_selector("[data-testid='stDataFrame']")
    wait_idle(page)
    assert re.search(r"Showing \d+ of \d+", page.inner_text("[data-testid='stMain']"))
    popover = page.locator("[data-testid='stSidebar'] [data-testid='stPopover'] button").first
    assert re.search(r"As-of date \d{4}-\d{2}-\d{2}", popover.inner_text())
    assert "2026-06-30" not in popover.inner_text()
    popover.click()
    year = page.locator("[data-testid='stDateInput'] [role='spinbutton']").first
    year.click()
    page.keyboard.type("20260630")
    page.locator("h1").first.click()  # the field commits on blur, as outside a popover
    page.wait_for_function("() => document.body.innerText.includes('As of 30 June 2026')")
    wait_idle(page)
    assert "As-of date 2026-06-30" in popover.inner_text()
    assert page.get_by_role("tab", name="Items counted").get_attribute("aria-selected") == "true"  # still open
    no_exception(page)
    screenshot(page, "gaps_items_en")

def test_a_report_downloads_as_html(page, app_url):
    page.goto(f"{app_url}/report")
    wait_idle(page)
    page.get_by_text("HTML", exact=True).click()
    page.get_by_role("button", name="生成报告").click()
    page.wait_for_selector("[data-testid='stDownloadButton'] button", timeout=120_000)
    wait_idle(page)
    with page.expect_download() as download:
        page.locator("[data-testid='stDownloadButton'] button").first.click()
    body = open(download.value.path(), "rb").read()
    assert download.value.suggested_filename.endswith(".html")
    assert b"<html" in body[:2000].lower() and "目标".encode() in body
    no_exception(page)
    screenshot(page, "report_zh")
