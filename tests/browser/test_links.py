"""Shareable links in a real browser: a copied URL opens the same view in a new browser, a picker
change updates the URL, a bad value is ignored with a note; and every page in English by link."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from conftest import screenshot, wait_idle
from metrics.i18n import t

pytestmark = pytest.mark.browser

LINK = "gaps?lang=en&scope=%E5%B9%BF%E4%B8%9C%E7%9C%81&as_of=2026-12-01&metric=tech"  # scope=广东省


def view_of(page) -> tuple[str, str]:
    """What the reader sees the view as: the title and the scope · date caption under it."""
    return page.locator("h1").first.inner_text().strip(), page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()


def test_a_copied_link_opens_the_same_view_in_a_new_browser(browser, page, app_url):
    page.goto(f"{app_url}/{LINK}")
    wait_idle(page)
    title, caption = view_of(page)
    assert title == t("app_page_gaps", "en") and "Guangdong" in caption and "2026" in caption
    query = parse_qs(urlparse(page.url).query)
    assert query["lang"] == ["en"] and query["scope"] == ["广东省"] and query["metric"] == ["tech"]
    copied = page.url
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        fresh = other.new_page()
        fresh.goto(copied)
        wait_idle(fresh)
        assert view_of(fresh) == (title, caption)
    finally:
        other.close()


def test_changing_the_language_updates_the_url(page, app_url):
    page.goto(f"{app_url}/{LINK}")
    wait_idle(page)
    page.get_by_text("中文", exact=True).click()
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('lang=zh')")
    assert parse_qs(urlparse(page.url).query)["scope"] == ["广东省"]


def test_a_bad_link_value_is_noted_not_a_crash(page, app_url):
    page.goto(f"{app_url}/overview?lang=en&scope=Atlantis")
    wait_idle(page)
    assert "scope=Atlantis" in page.inner_text("body")
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("name", ["overview", "upload", "gaps", "compare", "goals", "catalog", "history", "report"])
def test_every_page_opens_in_english_by_link(page, app_url, name):
    page.goto(f"{app_url}/{name}?lang=en")
    wait_idle(page)
    if name in ("overview", "gaps", "compare", "goals"):
        page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, f"{name}_en")
