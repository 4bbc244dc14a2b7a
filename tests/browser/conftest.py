"""A real app in a real headless Chromium: the session starts ``streamlit run dashboard.py`` on a free
port against a temporary store (filled with the sample data on first start, as a new user sees it)."""
from __future__ import annotations

from pathlib import Path

import pytest

# One way to start the app and the browser, shared with the benchmarks.
from bench.server import CHROMIUM_ARGS, IDLE, serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> str:
    """Base URL of a running app; the server is stopped at the end of the session."""
    folder = tmp_path_factory.mktemp("browser_store")
    with serve(f"sqlite:///{folder / 'tracker.sqlite'}", folder, env={"TRACKER_SAMPLE_DATA": "on"}) as server:
        yield server.base
    # The error boundary logs what it caught: a browser test must not have needed it.
    text = server.log_text()
    assert "Traceback" not in text, text[-4000:]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def wait_idle(page) -> None:
    """Wait until the app has finished its current run (and started at least one)."""
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(300)  # a rerun triggered by the last event may start just after
    page.wait_for_selector(IDLE, timeout=90_000)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Streamlit scrolls inside its main container, so a "full page" shot needs a viewport that tall.
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height) + 40, size["height"]), 8000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def store_with_editor(folder: Path, password: str) -> str:
    """A SQLite store in ``folder`` holding one 江苏省 editor, js_editor (bcrypt at 4 rounds: tests only)."""
    from metrics import auth
    from metrics.auth import Accounts
    from metrics.store import Store

    db = f"sqlite:///{folder / 'tracker.sqlite'}"
    rounds, auth.BCRYPT_ROUNDS = auth.BCRYPT_ROUNDS, 4
    try:
        Accounts(Store(db)).add("js_editor", password, "editor", "江苏省")
    finally:
        auth.BCRYPT_ROUNDS = rounds
    return db
