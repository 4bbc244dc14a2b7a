"""The HttpOnly login cookie behind the proxy (issue 18): real nginx runs ``deploy/nginx.conf`` on a
loopback port in front of a small upstream that echoes the headers it receives. ``/_tracker/session``
answers a same-origin POST carrying the session id in ``X-Tracker-Session`` with a Set-Cookie that is
HttpOnly, Secure and SameSite=Strict; an id or a lifetime that could add a cookie attribute is refused
with no cookie at all; ``/_tracker/logout`` expires it; and the app learns it is behind the proxy from
``X-Tracker-Proxy``, which nginx sets whatever the client sent. The page's side: the cookie element names
the endpoint only behind the proxy (AppTest), and the one script does what nginx expects (its text)."""
from __future__ import annotations

import http.client
import http.server
import json
import re
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
NGINX_PORT, UPSTREAM_PORT = 8721, 8722  # the range this work is given (8700-8799)
SESSION_ID = "Zq3_-x9KpL2vN8rT4wY6bA1cD5eF7gH0iJ2kL4mN6oP"  # the shape of secrets.token_urlsafe(32)
COOKIE_FLAGS = "; HttpOnly; Secure; SameSite=Strict; Path=/"


class _Echo(http.server.BaseHTTPRequestHandler):
    """The stand-in app: answers every request with the headers it was sent, as JSON."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _wait_port(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not listen on {port}: {log.read_text(errors='replace')}")


def nginx_site(folder: Path, listen: int, upstream: int) -> Path:
    """deploy/nginx.conf as it is, but listening on 127.0.0.1:``listen`` with one app process on ``upstream``,
    wrapped in a main configuration whose paths are all under ``folder``."""
    (folder / "tracker").mkdir(parents=True)
    shutil.copy(ROOT / "deploy" / "nginx-security.conf", folder / "tracker" / "nginx-security.conf")
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/nginx/tracker/", f"{folder}/tracker/")
    site, listens = re.subn(r"\n    listen 80;", f"\n    listen 127.0.0.1:{listen};", site)
    site, servers = re.subn(r"\n    server 127\.0\.0\.1:850\d [^;]*;", "", site)
    site = site.replace("    ip_hash;\n", f"    ip_hash;\n    server 127.0.0.1:{upstream};\n")
    assert (listens, servers) == (1, 2)  # the shape this rewrite expects is still the file's
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temp = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = folder / "nginx.conf"
    main.write_text(f"pid {folder}/nginx.pid; error_log {folder}/error.log; daemon off; events {{}}\n"
                    f"http {{ access_log off; {temp} include {folder}/site.conf; }}\n", encoding="utf-8")
    return main


@contextmanager
def running_nginx(folder: Path, listen: int, upstream: int) -> Iterator[int]:
    """Real nginx on 127.0.0.1:``listen`` running deploy/nginx.conf in front of ``upstream``; stopped on exit."""
    assert shutil.which("nginx"), "nginx is not installed: run bash scripts/setup.sh test"
    main = nginx_site(folder, listen, upstream)
    proc = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(main)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_port(listen, proc, folder / "error.log")
        yield listen
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """nginx on NGINX_PORT running deploy/nginx.conf, in front of the echoing upstream on UPSTREAM_PORT."""
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", UPSTREAM_PORT), _Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        with running_nginx(tmp_path_factory.mktemp("nginx"), NGINX_PORT, UPSTREAM_PORT) as port:
            yield port
    finally:
        upstream.shutdown()
        upstream.server_close()


def ask(port: int, method: str, path: str, headers: dict[str, str]) -> tuple[int, list[str], bytes]:
    """One request: the status, every Set-Cookie header, the body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers)
        r = conn.getresponse()
        return r.status, r.headers.get_all("Set-Cookie") or [], r.read()
    finally:
        conn.close()


def session_headers(session_id: str = SESSION_ID, max_age: str = "43200", **more: str) -> dict[str, str]:
    return {"X-Tracker-Session": session_id, "X-Tracker-Session-Max-Age": max_age, **more}


def test_a_same_origin_post_gets_the_cookie_httponly_secure_and_strict(proxy):
    for extra in ({}, {"Sec-Fetch-Site": "same-origin"}):  # a browser's fetch from the page, and a bare client
        status, cookies, body = ask(proxy, "POST", "/_tracker/session", session_headers(**extra))
        assert (status, body) == (204, b"")
        assert cookies == [f"tracker_session={SESSION_ID}{COOKIE_FLAGS}; Max-Age=43200"]


@pytest.mark.parametrize("session_id, max_age", [
    (SESSION_ID + "; Domain=evil.example", "43200"),   # a second attribute
    (SESSION_ID + ";Path=/admin", "43200"),
    (SESSION_ID[:20] + " " + SESSION_ID[21:], "43200"),  # a space
    (SESSION_ID + "=", "43200"),                        # "=" (standard base64 padding) is not the app's shape
    (SESSION_ID[:20] + "%3B" + SESSION_ID[23:], "43200"),  # an encoded ";"
    ("short", "43200"),                                 # too short to be a session id
    ("x" * 129, "43200"),                               # too long
    ("", "43200"),
    (SESSION_ID, "43200; Domain=evil.example"),         # the lifetime carries an attribute
    (SESSION_ID, "-1"),
    (SESSION_ID, "12 34"),
    (SESSION_ID, ""),
])
def test_an_id_or_lifetime_that_could_add_a_cookie_attribute_is_refused_with_no_cookie(proxy, session_id, max_age):
    status, cookies, _ = ask(proxy, "POST", "/_tracker/session", session_headers(session_id, max_age))
    assert (status, cookies) == (400, [])


@pytest.mark.parametrize("method, headers", [
    ("GET", session_headers()),                                      # a link or an image cannot set it
    ("POST", session_headers(**{"Sec-Fetch-Site": "cross-site"})),   # another site's page
    ("POST", session_headers(**{"Sec-Fetch-Site": "same-site"})),    # a sibling host's page
    ("POST", {}),
])
def test_only_a_post_from_the_sites_own_page_sets_the_cookie(proxy, method, headers):
    status, cookies, _ = ask(proxy, method, "/_tracker/session", headers)
    assert (status, cookies) == (400, [])


def test_logout_expires_the_cookie_for_the_sites_own_page_only(proxy):
    status, cookies, _ = ask(proxy, "POST", "/_tracker/logout", {"X-Tracker-Logout": "1", "Sec-Fetch-Site": "same-origin"})
    assert (status, cookies) == (204, [f"tracker_session={COOKIE_FLAGS}; Max-Age=0"])
    for method, headers in (("POST", {}), ("GET", {"X-Tracker-Logout": "1"}),
                            ("POST", {"X-Tracker-Logout": "1", "Sec-Fetch-Site": "cross-site"})):
        assert ask(proxy, method, "/_tracker/logout", headers)[:2] == (400, [])


def test_the_app_is_told_it_is_behind_the_proxy_whatever_the_client_sends(proxy):
    from app_support.login import PROXY_HEADER, PROXY_VALUE

    for sent in ({}, {PROXY_HEADER: "something else"}):
        status, _, body = ask(proxy, "GET", "/", sent)
        assert status == 200
        assert json.loads(body)[PROXY_HEADER.lower()] == PROXY_VALUE
    status, _, body = ask(proxy, "GET", "/_stcore/stream", {PROXY_HEADER: "x"})  # the websocket's location
    assert json.loads(body)[PROXY_HEADER.lower()] == PROXY_VALUE


def test_the_page_script_sends_what_the_proxy_checks():
    """The one constant script: behind the proxy a POST with the id and lifetime headers (or the logout
    header), to the endpoint the element names; else document.cookie, as before."""
    from app_support.login import COOKIE_ENDPOINT, COOKIE_SCRIPT, _cookie_script

    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert f"location = {COOKIE_ENDPOINT}/session" in site and f"location = {COOKIE_ENDPOINT}/logout" in site
    for header in ("X-Tracker-Session", "X-Tracker-Session-Max-Age", "X-Tracker-Logout"):
        assert f"'{header}'" in COOKIE_SCRIPT and f"$http_{header.lower().replace('-', '_')}" in site
    assert "method:'POST'" in COOKIE_SCRIPT and "'/session'" in COOKIE_SCRIPT and "'/logout'" in COOKIE_SCRIPT
    assert f'data-endpoint="{COOKIE_ENDPOINT}"' in _cookie_script("abc", 60, COOKIE_ENDPOINT)
    assert "data-endpoint=" not in _cookie_script("abc", 60)  # a direct run: the script writes the cookie
