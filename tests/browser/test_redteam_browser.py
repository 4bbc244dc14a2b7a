"""Hostile workbook text in a real Chromium (issue 18): with the proxy's Content-Security-Policy put on
the page, the overview and gaps pages of a province whose names, units and notes carry script, HTML
and Markdown payloads open no dialog, fetch nothing from the payloads' host, run no injected handler
and hold no injected link, image or script in the DOM."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import CHROMIUM_ARGS, ROOT, serve, wait_idle

sys.path.insert(0, str(ROOT / "tests"))
from test_redteam_app import EVIL, hostile_workbook  # noqa: E402

CSP = re.search(r'add_header Content-Security-Policy "([^"]+)"',
                (ROOT / "deploy" / "nginx-security.conf").read_text(encoding="utf-8")).group(1)


def test_hostile_text_opens_no_dialog_fetches_nothing_and_injects_no_element(browser, tmp_path):
    from metrics.ingest import read_file
    from metrics.store import Store

    db = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    content = hostile_workbook()
    Store(db).save_submission(read_file(content, "江苏省_hostile.xlsx"), content, "江苏省_hostile.xlsx",
                              uploader="redteam", actor="redteam")
    # A page fulfilled by the test (to carry the policy) counts as non-local to Chromium's Local Network
    # Access checks, which would then refuse its websocket to 127.0.0.1: those checks are off here.
    own = browser.browser_type.launch(executable_path="/usr/bin/chromium",
                                      args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"])
    with serve(db, tmp_path) as server:
        context = own.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(60_000)
        dialogs, fetched, blocked = [], [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: fetched.append(r.url) if EVIL in r.url else None)
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

        def with_csp(route):  # the proxy's policy on every page load, as nginx sends it
            if route.request.resource_type != "document":
                return route.continue_()
            response = route.fetch()
            headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")}
            route.fulfill(status=response.status, body=response.body(),
                          headers={**headers, "content-security-policy": CSP})

        page.route("**/*", with_csp)
        for path in ("/?scope=江苏省", "/gaps?scope=江苏省"):
            page.goto(server.base + path)
            try:
                wait_idle(page)
            except Exception as exc:
                raise AssertionError((path, blocked[:5], page.content()[:1500])) from exc
            page.wait_for_selector("[data-testid='stMain'] h1")
            assert page.locator("[data-testid='stException']").count() == 0, (path, blocked)
            injected = page.evaluate(f"""() => ({{
                xss: window.__xss === undefined ? null : window.__xss,
                links: [...document.querySelectorAll('a[href*="{EVIL}"]')].map(a => a.closest('[data-testid]')?.getAttribute('data-testid') + ':' + a.outerHTML.slice(0, 200)),
                images: document.querySelectorAll('img[src*="{EVIL}"], img[onerror]').length,
                scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__xss')).length,
                text: document.body.innerText.includes('自定义指标'),
            }})""")
            assert injected == {"xss": None, "links": [], "images": 0, "scripts": 0, "text": True}, (path, injected)
        context.close()
    own.close()
    assert dialogs == [] and fetched == []
    assert blocked == []  # the policy blocks nothing the app itself needs
    assert "Traceback" not in server.log_text()
