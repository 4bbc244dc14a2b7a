"""The several-process deployment (issue 17 point 4): uploads made at once through the file chooser of
two ``streamlit run`` processes on one PostgreSQL are each stored exactly once (the same file through
both: once in all), and ``deploy/nginx.conf`` holds what the README promises.

``nginx -t`` runs on the file (scripts/setup.sh installs nginx-light; a missing nginx fails the test), and
the structural check: the file is tokenised as nginx does (comments, quotes, blocks, ``;``) and the
directives the README names are looked up in their blocks. The cookie locations are run by real nginx in
tests/test_proxy_cookie.py.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SECURITY_CONF = ROOT / "deploy" / "nginx-security.conf"


# ---- nginx.conf -----------------------------------------------------------------------------------
def _tokens(text: str) -> list[str]:
    """nginx's tokens: words (quotes kept together), ``{``, ``}`` and ``;``; comments dropped."""
    out = []
    for m in re.finditer(r"#[^\n]*|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[{};]|[^\s{};#\"']+", text):
        tok = m.group(0)
        if not tok.startswith("#"):
            out.append(tok.strip("'\"") if tok[0] in "'\"" else tok)
    return out


def parse_nginx(text: str) -> list[tuple[list[str], list | None]]:
    """Directives as (words, block or None), nested; ValueError on an unbalanced or unterminated file."""
    stack: list[list] = [[]]
    words: list[str] = []
    for tok in _tokens(text):
        if tok == ";":
            if not words:
                raise ValueError("an empty directive")
            stack[-1].append((words, None))
            words = []
        elif tok == "{":
            block: list = []
            stack[-1].append((words, block))
            stack.append(block)
            words = []
        elif tok == "}":
            if words or len(stack) == 1:
                raise ValueError(f"unexpected }} after {words}")
            stack.pop()
        else:
            words.append(tok)
    if words or len(stack) != 1:
        raise ValueError("the file ends inside a directive or a block")
    return stack[0]


def _find(block: list, *names: str) -> list[tuple[list[str], list | None]]:
    return [d for d in block if d[0][: len(names)] == list(names)]


def _one(block: list, *names: str) -> tuple[list[str], list | None]:
    found = _find(block, *names)
    assert len(found) == 1, (names, found)
    return found[0]


@pytest.fixture(scope="module")
def conf() -> list:
    return parse_nginx(NGINX_CONF.read_text(encoding="utf-8"))


def test_the_parser_refuses_what_nginx_refuses():
    for bad in ("server { listen 80;", "listen 80", "}", "server { ; }"):
        with pytest.raises(ValueError):
            parse_nginx(bad)
    assert parse_nginx("a 'b c' \"d;\"; # x;\n e { f; }") == [(["a", "b c", "d;"], None), (["e"], [(["f"], None)])]


def test_sticky_sessions_over_two_app_processes(conf):
    _, upstream = _one(conf, "upstream", "tracker_app")
    assert _find(upstream, "ip_hash")
    servers = [words[1] for words, _ in _find(upstream, "server")]
    assert servers == ["127.0.0.1:8501", "127.0.0.1:8502"]


def test_the_websocket_is_upgraded_with_a_long_read_timeout(conf):
    words, mapping = _one(conf, "map", "$http_upgrade")
    assert words == ["map", "$http_upgrade", "$connection_upgrade"]
    assert [w for w, _ in mapping] == [["default", "upgrade"], ["", "close"]]
    _, server = _one(conf, "server")
    _, stream = _one(server, "location", "/_stcore/stream")
    assert _one(stream, "proxy_pass")[0] == ["proxy_pass", "http://tracker_app"]
    assert _one(stream, "proxy_http_version")[0][1] == "1.1"
    headers = {w[1]: w[2] for w, _ in _find(stream, "proxy_set_header")}
    assert headers["Upgrade"] == "$http_upgrade" and headers["Connection"] == "$connection_upgrade"
    assert _one(stream, "proxy_read_timeout")[0][1] == "1h"
    _, root = _one(server, "location", "/")
    assert _one(root, "proxy_pass")[0] == ["proxy_pass", "http://tracker_app"]
    assert _one(root, "proxy_request_buffering")[0][1] == "off"  # uploads stream to the session's process
    # both tell the app it is behind the proxy (its login cookie then goes through /_tracker/session)
    for block in (stream, root):
        assert {w[1]: w[2] for w, _ in _find(block, "proxy_set_header")}["X-Tracker-Proxy"] == "cookie-endpoint"


def test_gzip_for_the_static_javascript_and_the_security_include(conf):
    _, server = _one(conf, "server")
    assert _one(server, "gzip")[0] == ["gzip", "on"]
    types = _one(server, "gzip_types")[0][1:]
    assert {"application/javascript", "text/javascript", "text/css"} <= set(types)
    assert _one(server, "include")[0] == ["include", "/etc/nginx/tracker/nginx-security.conf"]
    # add_header is inherited only by blocks that set none: no location may set one (README), except the
    # two that set the login cookie and answer an empty 204 (tests/test_proxy_cookie.py).
    own = []
    for words, block in server:
        if words[0] == "location" and _find(block, "add_header"):
            own.append(words[1:])
    assert own == [["=", "/_tracker/session"], ["=", "/_tracker/logout"]]
    security = parse_nginx(SECURITY_CONF.read_text(encoding="utf-8"))
    assert _find(security, "add_header")  # the headers the include brings


def test_nginx_accepts_the_configuration(tmp_path):
    # scripts/setup.sh installs nginx-light for the tests: a missing nginx fails here rather than skip.
    assert shutil.which("nginx"), "nginx is not installed: run bash scripts/setup.sh test"
    (tmp_path / "tracker").mkdir()
    shutil.copy(SECURITY_CONF, tmp_path / "tracker" / "nginx-security.conf")
    site = NGINX_CONF.read_text(encoding="utf-8").replace("/etc/nginx/tracker/", f"{tmp_path}/tracker/")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n", encoding="utf-8")
    out = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


# ---- uploads through two app processes at once -----------------------------------------------------
def _choose(page, base: str, path: Path) -> None:
    """Open the upload page of one process and choose ``path`` in its file chooser, up to the store button."""
    from bench.server import IDLE

    page.goto(f"{base}/upload")
    page.wait_for_selector(IDLE, timeout=120_000)
    with page.expect_file_chooser() as chooser:
        page.locator("[data-testid='stFileUploaderDropzone'] button").first.click()
    chooser.value.set_files(str(path))
    page.get_by_role("button", name="确认保存").wait_for(timeout=180_000)


def _stored(page) -> str:
    """Wait for the page's answer to the store button: stored, or the same file already stored."""
    answer = page.get_by_text(re.compile("已保存|这个文件已经上传过"))
    answer.first.wait_for(timeout=180_000)
    return answer.first.inner_text()


def _upload_together(one, two, files) -> list[str]:
    """Four browser sessions on the two processes click their store buttons at once; their answers."""
    from playwright.sync_api import sync_playwright

    from bench.server import CHROMIUM, CHROMIUM_ARGS, EXCEPTION

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for _ in range(4):
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            pages.append(context.new_page())
        # Two different files, one through each process; then one file through both.
        plan = [(pages[0], one, files[0]), (pages[1], two, files[1]),
                (pages[2], one, files[2]), (pages[3], two, files[2])]
        for page, server, path in plan:
            _choose(page, server.base, path)
        for page, _, _ in plan:  # the four store buttons clicked together, no wait between them
            page.get_by_role("button", name="确认保存").click(no_wait_after=True)
        answers = [_stored(page) for page, _, _ in plan]
        for page in pages:
            assert page.locator(EXCEPTION).count() == 0
        browser.close()
    return answers


def test_uploads_at_once_through_two_app_processes_are_each_stored_once(pg_url, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from bench.server import serve
    from metrics.store import Store
    from sample_data.generate import sample_files

    files = sample_files()
    assert len(files) >= 3
    Store(pg_url).close()  # migrated once before the two processes open it
    with serve(pg_url, tmp_path) as one, serve(pg_url, tmp_path) as two:
        # Its own thread: the browser tests leave Playwright's event loop running in the main thread,
        # where the sync API refuses to start again.
        with ThreadPoolExecutor(1) as pool:
            answers = pool.submit(_upload_together, one, two, files).result()
        for server in (one, two):
            assert "Traceback" not in server.log_text(), server.log_text()[-3000:]
    assert all(a.startswith("已保存") for a in answers[:2]), answers
    history = Store(pg_url).history()
    names = [h["filename"] for h in history]
    assert [names.count(f.name) for f in files[:3]] == [1, 1, 1], names
    assert all(h["state"] == "current" for h in history)
