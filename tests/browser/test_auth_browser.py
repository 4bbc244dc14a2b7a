"""Sign-in in a real headless Chromium: the login form, a wrong password, a login that survives a page
reload (the signed cookie), and a sign-out that also survives a reload."""
from __future__ import annotations

import pytest

from conftest import screenshot, serve, store_with_editor, wait_idle

SECRET = "browser-test-secret-0123456789-abcdefghij"
PASSWORD = "correct horse 9"


@pytest.fixture(scope="module")
def auth_url(tmp_path_factory) -> str:
    """A running app with accounts switched on and one editor account; stopped after the module."""
    folder = tmp_path_factory.mktemp("auth_browser")
    db = store_with_editor(folder, PASSWORD)
    with serve(db, folder, env={"TRACKER_AUTH": "on", "TRACKER_SECRET": SECRET}) as server:
        yield server.base
    text = server.log_text()
    assert "Traceback" not in text, text[-4000:]
    assert PASSWORD not in text and "wrong password 1" not in text  # never logged in clear


@pytest.fixture()
def auth_page(browser, auth_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def submit_login(page, username: str, password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    wait_idle(page)


def test_login_form_wrong_password_login_reload_and_logout(auth_page, auth_url):
    page = auth_page
    page.goto(auth_url)
    wait_idle(page)
    assert page.get_by_role("heading", name="登录").is_visible()
    assert page.locator("[data-testid='stSidebarNav']").count() == 0  # no page reachable before signing in
    screenshot(page, "auth_login_form")

    submit_login(page, "js_editor", "wrong password 1")
    assert page.get_by_text("用户名或密码错误。").is_visible()
    screenshot(page, "auth_wrong_password")

    submit_login(page, "js_editor", PASSWORD)
    page.get_by_text("当前用户:js_editor").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert any(c["name"] == "tracker_session" for c in page.context.cookies())
    screenshot(page, "auth_signed_in")

    page.reload()  # a new Streamlit session: the signed cookie keeps the login
    wait_idle(page)
    page.get_by_text("当前用户:js_editor").wait_for()

    page.get_by_role("button", name="退出登录").click()
    wait_idle(page)
    page.get_by_text("您已退出登录。").wait_for()
    assert not any(c["name"] == "tracker_session" and c["value"] for c in page.context.cookies())
    page.reload()
    wait_idle(page)
    assert page.get_by_role("heading", name="登录").is_visible()
    assert page.get_by_text("当前用户:js_editor").count() == 0
    screenshot(page, "auth_signed_out")


def test_the_proxys_content_security_policy_lets_the_login_cookie_be_written(browser, auth_url):
    """The cookie is written by one constant inline script, allowed by its hash in
    deploy/nginx-security.conf: under that policy a login still survives a reload, with no violation."""
    import re

    from conftest import CHROMIUM_ARGS, ROOT

    csp = re.search(r'add_header Content-Security-Policy "([^"]+)"',
                    (ROOT / "deploy" / "nginx-security.conf").read_text(encoding="utf-8")).group(1)
    # A document fulfilled by the test counts as non-local to Chromium's Local Network Access checks,
    # which would then refuse its websocket to 127.0.0.1: those checks are off in this browser.
    own = browser.browser_type.launch(executable_path="/usr/bin/chromium",
                                      args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"])
    context = own.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    def with_csp(route):
        if route.request.resource_type != "document":
            return route.continue_()
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")}
        route.fulfill(status=response.status, body=response.body(), headers={**headers, "content-security-policy": csp})

    page.route("**/*", with_csp)
    try:
        page.goto(auth_url)
        wait_idle(page)
        submit_login(page, "js_editor", PASSWORD)
        page.get_by_text("当前用户:js_editor").wait_for()
        page.wait_for_function("document.cookie.includes('tracker_session=')")
        session = next(c for c in context.cookies() if c["name"] == "tracker_session")
        assert len(session["value"]) >= 43  # the random session id, nothing else
        page.reload()
        wait_idle(page)
        page.get_by_text("当前用户:js_editor").wait_for()
        assert violations == []
    finally:
        context.close()
        own.close()
