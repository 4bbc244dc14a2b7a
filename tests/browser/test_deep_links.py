"""Every page opens by its own path (warts): /overview is the home page's own address as well as "/", so a
shared /overview link shows the overview, never Streamlit's "Page not found" dialog."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import screenshot, wait_idle
from metrics.i18n import t

pytestmark = pytest.mark.browser

PATHS = [("", "app_page_overview"), ("overview", "app_page_overview"), ("upload", "app_page_upload"),
         ("gaps", "app_page_gaps"), ("compare", "app_page_compare"), ("goals", "app_page_goals"),
         ("catalog", "catalog_title"), ("history", "app_page_history"), ("rounds", "rounds_page_title"),
         ("report", "app_page_report")]


@pytest.mark.parametrize("path, title", PATHS, ids=[p or "root" for p, _ in PATHS])
def test_each_page_opens_at_its_own_path(page, app_url, path, title):
    page.goto(f"{app_url}/{path}?lang=en")
    wait_idle(page)
    body = page.inner_text("body")
    assert "Page not found" not in body and "does not seem to exist" not in body
    assert page.locator("[data-testid='stException']").count() == 0
    assert t(title, "en") in page.locator("h1").first.inner_text()
    assert urlparse(page.url).path.strip("/") == path  # the address stays the one that was shared
    if path in ("", "overview"):
        screenshot(page, f"deep_link_{path or 'root'}_en")
