"""Sign-in for shared deployments: the login gate, the session cookie, the account box, page checks.

Off by default (``TRACKER_AUTH``): then every function here lets everything through and the app is
the one-person tool it always was. On: ``require_login`` runs in ``dashboard.py`` before navigation;
it stops the app with a clear message when no signing secret is set, shows the login form until a
user signs in, and keeps the login across page reloads with a cookie. The cookie holds only the random
id of a server-side session (``metrics.auth``): every run looks the session up, so a logout, a new
password or a removed account signs the session out on its next rerun, and a copied cookie is
refused once its session ended. Streamlit has no API to set a cookie, so the cookie is written by
one constant script (``COOKIE_SCRIPT``, allowed by its hash in the proxy's Content-Security-Policy)
that reads the id from the element before it; the cookie is therefore not HttpOnly, which the
server-side session makes harmless to copy once signed out.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
from typing import Any

import streamlit as st

from metrics.access import AccessDenied, Principal, can_manage_users, can_upload, refused_provinces
from metrics.auth import Accounts, AuthError, checked_secret, client_address, session_seconds
from metrics.i18n import LANGS, t
from metrics.settings import auth_mode as _env_auth_mode

from .session import current_lang

log = logging.getLogger("tracker.auth")

COOKIE = "tracker_session"
USER_KEY = "auth_user"          # the signed-in Principal
TOKEN_KEY = "auth_token"        # the session token (re-checked against the store on every run)
DEAD_KEY = "auth_dead_token"    # the cookie this browser sent before signing out: never accepted again
SET_COOKIE_KEY = "auth_set_cookie"
CLEAR_COOKIE_KEY = "auth_clear_cookie"


def _secrets_section() -> dict[str, Any]:
    """``[auth]`` of .streamlit/secrets.toml plus its root ``TRACKER_AUTH`` (empty without the file)."""
    try:
        section = dict(st.secrets.get("auth", {}) or {})
        if "TRACKER_AUTH" in st.secrets:
            section.setdefault("enabled", st.secrets["TRACKER_AUTH"])
        return section
    except Exception:  # noqa: BLE001 - no secrets file (StreamlitSecretNotFoundError) or an unreadable one
        return {}


def auth_mode() -> str:
    """``off``, ``local`` (the tracker's own accounts) or ``oidc`` (Streamlit's ``st.login``), from
    ``TRACKER_AUTH`` in the environment or in secrets.toml."""
    mode = _env_auth_mode()
    return mode if mode != "off" else _env_auth_mode(str(_secrets_section().get("enabled", "") or "off"))


def auth_on() -> bool:
    """Whether sign-in is switched on (local accounts or OIDC)."""
    return auth_mode() != "off"


def current_user() -> Principal | None:
    """The signed-in user, or None (accounts off, or nobody signed in yet)."""
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, Principal) and auth_on() else None


def page_user() -> Principal | None:
    """For pages: None when accounts are off; the signed-in user; else stop (a page never runs unsigned)."""
    if not auth_on():
        return None
    user = current_user()
    if user is None:
        st.warning(t("auth_login_needed", current_lang()))
        st.stop()
    return user


def denied(exc: AccessDenied) -> None:
    """Show a refused write as a clear message."""
    log.warning("refused: %s", exc.message("en"))
    st.error(exc.message(current_lang()), icon=":material/block:")


def upload_permitted(user: Principal | None, provinces: list[str], lang: str) -> bool:
    """Whether the store button may be shown for a file naming ``provinces``; says why not when it may not."""
    if not can_upload(user):
        st.info(t("auth_viewer_readonly", lang), icon=":material/visibility:")
        return False
    refused = refused_provinces(user, provinces or [""])
    if user is not None and refused:
        unnamed = t("auth_no_province", lang)
        st.error(t("auth_upload_refused", lang, provinces="、".join(p or unnamed for p in refused),
                   own=user.province or unnamed), icon=":material/block:")
        return False
    return True


def may_clear_samples() -> bool:
    """Whether the signed-in user (anyone when accounts are off) may clear the sample data."""
    return can_manage_users(current_user())


# ---- cookie -----------------------------------------------------------------------------------
# One constant script (its SHA-256 is in deploy/nginx-security.conf's script-src, checked by a test):
# it reads the value and lifetime from the element just before it, so no session id is ever script text.
COOKIE_SCRIPT = ("(function(){var s=document.currentScript,e=s&&s.previousElementSibling;if(!e)return;"
                 "document.cookie='" + COOKIE + "='+encodeURIComponent(e.getAttribute('data-value')||'')"
                 "+'; path=/; max-age='+(parseInt(e.getAttribute('data-max-age'),10)||0)+'; SameSite=Strict'"
                 "+(window.location.protocol==='https:'?'; Secure':'');})();")


def _cookie_script(value: str, max_age: int) -> str:
    # The session id is URL-safe base64 (secrets.token_urlsafe); html.escape keeps the attribute sound anyway.
    return (f'<span hidden data-value="{html.escape(value, quote=True)}" data-max-age="{int(max_age)}"></span>'
            f"<script>{COOKIE_SCRIPT}</script>")


def _write_pending_cookie() -> None:
    """Set or clear the browser's cookie when a sign-in or sign-out asked for it (on a run that completes)."""
    if st.session_state.pop(SET_COOKIE_KEY, False) and st.session_state.get(TOKEN_KEY):
        st.html(_cookie_script(st.session_state[TOKEN_KEY], session_seconds()), unsafe_allow_javascript=True)
    if st.session_state.pop(CLEAR_COOKIE_KEY, False):
        st.html(_cookie_script("", 0), unsafe_allow_javascript=True)


def client() -> str:
    """This browser's address: behind nginx the last X-Forwarded-For entry (the one the proxy added), else
    the socket's; "" when neither is known (tests)."""
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser behind this session
        return ""
    # Only text is an address (a test harness hands back stand-in objects).
    return client_address(forwarded if isinstance(forwarded, str) else None, ip if isinstance(ip, str) else None)


def _browser_cookie() -> str:
    try:
        return str(st.context.cookies.get(COOKIE) or "")
    except Exception:  # noqa: BLE001 - no browser behind this session (tests, bare mode)
        return ""


# ---- the gate ---------------------------------------------------------------------------------
def _secret() -> str:
    return checked_secret(str(_secrets_section().get("secret", "") or ""))


def _signed_in(user: Principal, token: str) -> None:
    st.session_state[USER_KEY] = user
    st.session_state[TOKEN_KEY] = token
    if user.province and "scope" not in st.session_state:
        st.session_state["scope"] = user.province  # a province's users start on their own province


def _local_time(moment: dt.datetime | None) -> str:
    """A time in the browser's time zone when known (else the tracker's, Beijing time), to the minute."""
    if moment is None:
        return ""
    from metrics.presentation import local_time

    local = local_time(moment)
    try:
        from zoneinfo import ZoneInfo

        zone = st.context.timezone
        local = moment.astimezone(ZoneInfo(zone)) if zone else local
    except Exception:  # noqa: BLE001 - unknown zone name or no browser: the tracker's zone
        pass
    return local.strftime("%Y-%m-%d %H:%M %Z").strip()


def _login_form(accounts: Accounts) -> None:
    with st.sidebar:
        st.radio(t("language", current_lang()), list(LANGS), key="lang", horizontal=True,
                 format_func=lambda v: "中文" if v == "zh" else "English")
    lang = current_lang()
    st.title(t("app_title", lang))
    st.subheader(t("auth_login_title", lang))
    if st.session_state.pop("auth_signed_out", False):
        st.success(t("auth_logged_out", lang))
    st.caption(t("auth_login_intro", lang))
    if not accounts.list_users():
        st.warning(t("auth_no_users", lang))
    with st.form("auth_login_form", clear_on_submit=False):
        username = st.text_input(t("auth_username", lang), key="auth_username", max_chars=64)
        password = st.text_input(t("auth_password", lang), type="password", key="auth_password", max_chars=200)
        submitted = st.form_submit_button(t("auth_login_button", lang), type="primary")
    if not submitted:
        return
    address = client()
    result = accounts.verify(username, password, client=address)
    if result.ok and result.user is not None:
        log.info("sign-in: %s from %s", result.user.username, address or "?")
        _signed_in(result.user, accounts.open_session(result.user.username, client=address))
        st.session_state[SET_COOKIE_KEY] = True
        st.session_state.pop("auth_password", None)
        st.rerun()
    elif result.reason == "locked":
        # One answer for a locked account, an unknown name and a client backing off: nothing to tell them apart.
        log.warning("sign-in refused, too many failures: %r from %s", username, address or "?")
        st.error(t("auth_login_wait", lang, until=_local_time(result.locked_until)), icon=":material/lock:")
    else:
        log.warning("sign-in failed for %r", username)  # the name only: never the password
        st.error(t("auth_login_failed", lang), icon=":material/error:")


def _oidc_login(store: Any) -> Principal:
    """Sign-in through the OIDC provider configured for ``st.login``; the role comes from the accounts table,
    where an admin has added the user under the e-mail (or preferred user name) the provider returns."""
    lang = current_lang()
    section = _secrets_section()
    if not section.get("redirect_uri") or not section.get("cookie_secret"):
        # Never a silent open door: without the provider's settings nothing past this point runs.
        log.error("TRACKER_AUTH=oidc but [auth] redirect_uri/cookie_secret are missing in secrets.toml")
        st.error(t("auth_oidc_unconfigured", lang), icon=":material/key_off:")
        st.stop()
    if not st.user.get("is_logged_in", False):
        st.title(t("app_title", lang))
        st.subheader(t("auth_login_title", lang))
        if st.button(t("auth_oidc_button", lang), type="primary", key="auth_oidc_login"):
            st.login(section.get("provider") or None)
        st.stop()
    name = str(st.user.get("email") or st.user.get("preferred_username") or st.user.get("sub") or "")
    account = Accounts(store).get(name) if name else None
    if account is None or account.disabled:
        log.warning("OIDC sign-in of %r has no tracker account", name)
        st.error(t("auth_oidc_no_account", lang, user=name), icon=":material/block:")
        if st.button(t("auth_logout", lang), key="auth_oidc_logout"):
            st.logout()
        st.stop()
    user = account.principal()
    st.session_state[USER_KEY] = user
    if user.province and "scope" not in st.session_state:
        st.session_state["scope"] = user.province
    return user


_STORE_KEY = "auth_store"  # which store this session signed in to (sign_out ends the session there)


def require_login(store: Any) -> Principal | None:
    """The gate: None when accounts are off; else the signed-in user, or stop after the login form."""
    if not auth_on():
        return None
    if auth_mode() == "oidc":
        return _oidc_login(store)
    lang = current_lang()
    try:
        _secret()  # still required with accounts on (the cookie no longer needs it): a weak setup never opens
    except AuthError as exc:
        # Never a silent open door: without a secret nothing past this point runs.
        log.error("sign-in is on but the secret is unusable: %s", exc.code)
        st.error(exc.message(lang), icon=":material/key_off:")
        st.stop()
    accounts = Accounts(store)
    st.session_state[_STORE_KEY] = store
    token = st.session_state.get(TOKEN_KEY) or ""
    if not token:
        cookie = _browser_cookie()
        if cookie and cookie != st.session_state.get(DEAD_KEY):
            token = cookie
    user = accounts.session_user(token) if token else None
    if user is None:
        for key in (USER_KEY, TOKEN_KEY):
            st.session_state.pop(key, None)
        _write_pending_cookie()
        _login_form(accounts)
        st.stop()
    _signed_in(user, token)
    _write_pending_cookie()
    return user


def sign_out() -> None:
    """End the session's login; the browser's cookie is cleared on the next run."""
    if auth_mode() == "oidc":
        st.session_state.pop(USER_KEY, None)
        st.logout()
        return
    token = st.session_state.pop(TOKEN_KEY, None)
    user = st.session_state.pop(USER_KEY, None)
    store = st.session_state.get(_STORE_KEY)
    if store is not None and token:
        Accounts(store).end_session(token)  # ended on the server: the cookie, wherever copied, is dead
    st.session_state[DEAD_KEY] = _browser_cookie() or token
    st.session_state[CLEAR_COOKIE_KEY] = True
    st.session_state["auth_signed_out"] = True
    if isinstance(user, Principal):
        log.info("sign-out: %s", user.username)


def draw_account_box(user: Principal | None) -> None:
    """Who is signed in, with the sign-out button (nothing when accounts are off)."""
    if user is None:
        return
    lang = current_lang()
    province = f" · {user.province}" if user.province else ""
    with st.sidebar:
        st.divider()
        st.caption(t("auth_signed_in_as", lang, user=user.username, role=t(f"auth_role_{user.role}", lang),
                     province=province))
        if st.button(t("auth_logout", lang), key="auth_logout", icon=":material/logout:"):
            sign_out()
            st.rerun()


def audit_downloads(rows: list[dict[str, Any]], lang: str) -> None:
    """CSV and Excel downloads of the audit entries the user may read."""
    from metrics.audit import audit_csv, audit_xlsx
    from app_support.uploads import XLSX_MIME

    if not rows:
        return
    c1, c2 = st.columns(2)
    c1.download_button(t("auth_audit_export_csv", lang), audit_csv(rows, lang), file_name="audit_log.csv",
                       mime="text/csv", key="audit_csv", icon=":material/download:")
    c2.download_button(t("auth_audit_export_xlsx", lang), audit_xlsx(rows, lang), file_name="audit_log.xlsx",
                       mime=XLSX_MIME, key="audit_xlsx", icon=":material/download:")
