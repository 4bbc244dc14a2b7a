"""The login cookie behind the real proxy, in a real Chromium (issue 18): ``streamlit run dashboard.py``
with accounts on, real nginx running deploy/nginx.conf (and its security include: the CSP applies) in
front of it. Signing in through the proxy leaves an HttpOnly, Secure, SameSite=Strict cookie that the
page's script cannot read, the login survives a reload, and signing out expires the cookie."""
from __future__ import annotations

import pytest

from conftest import serve, store_with_editor, wait_idle
from test_proxy_cookie import running_nginx

SECRET = "browser-test-secret-0123456789-abcdefghij"
PASSWORD = "correct horse 9"
PROXY_PORT = 8724


@pytest.fixture(scope="module")
def proxied_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("proxy_cookie")
    db = store_with_editor(folder, PASSWORD)
    with serve(db, folder, env={"TRACKER_AUTH": "on", "TRACKER_SECRET": SECRET}) as server:
        app_port = int(server.base.rsplit(":", 1)[1])
        with running_nginx(folder / "nginx", PROXY_PORT, app_port) as port:
            yield f"http://127.0.0.1:{port}"
    text = server.log_text()
    assert "Traceback" not in text, text[-4000:]


def _session_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == "tracker_session" and c["value"]]


def test_through_the_proxy_the_login_cookie_is_httponly_and_survives_a_reload(browser, proxied_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(proxied_url)
        wait_idle(page)
        page.get_by_label("用户名").fill("js_editor")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        wait_idle(page)
        page.get_by_text("当前用户:js_editor").wait_for()
        for _ in range(50):  # the page's fetch to /_tracker/session is on its way
            if _session_cookies(context):
                break
            page.wait_for_timeout(100)
        [cookie] = _session_cookies(context)
        assert (cookie["httpOnly"], cookie["secure"], cookie["sameSite"], cookie["path"]) == (True, True, "Strict", "/")
        assert len(cookie["value"]) >= 43
        assert "tracker_session" not in page.evaluate("document.cookie")  # the page's script cannot read it
        page.reload()
        wait_idle(page)
        page.get_by_text("当前用户:js_editor").wait_for()
        page.get_by_role("button", name="退出登录").click()
        wait_idle(page)
        page.get_by_text("您已退出登录。").wait_for()
        for _ in range(50):
            if not _session_cookies(context):
                break
            page.wait_for_timeout(100)
        assert _session_cookies(context) == []
        page.reload()
        wait_idle(page)
        assert page.get_by_role("heading", name="登录").is_visible()
        assert violations == []
    finally:
        context.close()
