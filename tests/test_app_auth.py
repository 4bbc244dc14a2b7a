"""Accounts in the app (AppTest): off by default, the login gate, lock-out, a missing secret, and what
editors and viewers can and cannot change — enforced in the store, not only by hiding buttons."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from metrics import auth
from metrics.access import AccessDenied
from metrics.auth import Accounts
from metrics.i18n import t
from metrics.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
JIANGSU = SAMPLES / "示例数据_江苏省_进展填报.xlsx"
GUANGDONG = SAMPLES / "示例数据_广东省_进展填报.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECRET = "a-test-secret-that-is-long-enough-0123456789"
PASSWORD = "correct horse 9"
USERS = [("root", "admin", None), ("js_editor", "editor", "江苏省"), ("gd_editor", "editor", "广东省"),
         ("watcher", "viewer", None), ("js_viewer", "viewer", "江苏省")]


def edited(path: Path, changes: dict[tuple[str, str], str]) -> bytes:
    """A sample workbook with some cells changed (new bytes, so the store takes it as a new file)."""
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


MIXED = {("指标汇总", "A3"): "广东省", ("填报说明", "A3"): "mixed"}  # 基本信息 says 江苏省, one row 广东省


@pytest.fixture(scope="module")
def auth_store(tmp_path_factory) -> Path:
    """A store with the Jiangsu and Guangdong samples (Guangdong twice: one superseded) and five accounts."""
    from metrics.ingest import read_file

    rounds, auth.BCRYPT_ROUNDS = auth.BCRYPT_ROUNDS, 4  # fast hashes; verifying follows each hash's own cost
    path = tmp_path_factory.mktemp("auth") / "tracker.sqlite"
    store = Store(f"sqlite:///{path}")
    for name, content in [(JIANGSU.name, JIANGSU.read_bytes()), (GUANGDONG.name, GUANGDONG.read_bytes()),
                          ("广东省_更新.xlsx", edited(GUANGDONG, {("填报说明", "A3"): "v2"}))]:
        store.save_submission(read_file(content, name), content, name, uploader="setup", actor="setup")
    accounts = Accounts(store)
    for username, role, province in USERS:
        accounts.add(username, PASSWORD, role, province, actor="setup")
    auth.BCRYPT_ROUNDS = rounds
    store.close()
    return path


@pytest.fixture()
def url(auth_store, tmp_path, monkeypatch) -> str:
    """A copy of the store for one test, with accounts switched on."""
    shutil.copyfile(auth_store, tmp_path / "tracker.sqlite")
    url = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_SAMPLE_DATA", "off")
    monkeypatch.setenv("TRACKER_AUTH", "on")
    monkeypatch.setenv("TRACKER_SECRET", SECRET)
    return url


def app() -> AppTest:
    return AppTest.from_file("../dashboard.py", default_timeout=120)


def signed_in(url: str, username: str) -> AppTest:
    """The dashboard in a session that already holds ``username``'s signed token (as after a reload)."""
    at = app()
    at.session_state["auth_token"] = Accounts(Store(url)).open_session(username)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button}


def log_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="auth_username").input(username)
    at.text_input(key="auth_password").input(password)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    goto(at, "upload")
    at.file_uploader(key="upload_files").set_value((name, content, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def history_ids(url: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for h in Store(url).history():
        out.setdefault(h["province"], []).append(h["id"])
    return out


# ---- switched off, switched on, no secret --------------------------------------------------------
def test_with_accounts_off_everything_works_without_a_login(url, monkeypatch):
    monkeypatch.setenv("TRACKER_AUTH", "off")
    monkeypatch.delenv("TRACKER_SECRET")
    at = app().run()
    assert not at.exception and at.title[0].value == t("app_page_overview")
    assert not any(w.key == "auth_username" for w in at.text_input)
    upload(at, "江苏省_新.xlsx", edited(JIANGSU, {("填报说明", "A3"): "new"}))
    assert t("app_upload_store") in labels(at)
    goto(at, "history")
    assert {"history_rollback", "history_delete"} & keys(at)


@pytest.mark.parametrize("secret, key", [("", "auth_secret_missing"), ("short", "auth_secret_short")])
def test_accounts_on_without_a_usable_secret_stop_the_app_with_a_clear_message(url, monkeypatch, secret, key):
    monkeypatch.setenv("TRACKER_SECRET", secret)
    at = app().run()
    assert not at.exception
    assert t(key, "zh", n=auth.MIN_SECRET_CHARS) in texts(at, "error")
    assert not at.title and not at.text_input  # no page, no login form: never a silent open door


def test_accounts_can_be_switched_on_in_the_streamlit_secrets(url, monkeypatch):
    monkeypatch.delenv("TRACKER_AUTH")
    monkeypatch.delenv("TRACKER_SECRET")
    at = app()
    at.secrets["auth"] = {"enabled": "on"}
    at.run()
    assert t("auth_secret_missing") in texts(at, "error")
    at = app()
    at.secrets["auth"] = {"enabled": "on", "secret": SECRET}
    at.run()
    assert not at.exception and at.text_input(key="auth_username") is not None
    log_in(at, "root", PASSWORD)
    assert at.title[0].value == t("app_page_overview")


# ---- login, logout, lock-out ---------------------------------------------------------------------
def test_a_wrong_password_is_refused_and_the_right_one_signs_in_and_out(url):
    at = app().run()
    assert not at.exception and t("auth_login_title") in texts(at, "subheader")
    assert not any(w.key == "scope" for w in at.selectbox)  # no sidebar, no page before signing in
    log_in(at, "js_editor", "wrong password")
    assert t("auth_login_failed") in texts(at, "error") and texts(at, "title") == [t("app_title")]
    log_in(at, "nobody", PASSWORD)
    assert t("auth_login_failed") in texts(at, "error")
    log_in(at, "js_editor", PASSWORD)
    assert at.title[0].value == t("app_page_overview")
    assert any("js_editor" in c for c in texts(at.sidebar, "caption"))
    assert at.session_state["scope"] == "江苏省"  # a province's user starts on that province
    at.button(key="auth_logout").click().run()
    assert t("auth_logged_out") in texts(at, "success")
    assert t("auth_login_title") in texts(at, "subheader") and "auth_user" not in at.session_state


def test_repeated_failures_lock_the_account_with_a_message(url, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "2")
    at = app().run()
    log_in(at, "js_editor", "wrong password")
    log_in(at, "js_editor", "wrong password")
    locked = t("auth_login_wait").split("{")[0]
    assert any(e.startswith(locked) for e in texts(at, "error"))
    log_in(at, "js_editor", PASSWORD)  # the right password does not open a locked account
    assert any(e.startswith(locked) for e in texts(at, "error")) and not any(
        x.value == t("app_page_overview") for x in at.title)
    # newest first: the refused try while locked (audited since issue 18), then the lock
    assert [a["action"] for a in Store(url).audit()][:2] == ["login_failed", "user_locked"]


def test_a_token_of_a_removed_account_signs_nobody_in(url):
    token = Accounts(Store(url)).open_session("gd_editor")
    Accounts(Store(url)).remove("gd_editor")
    at = app()
    at.session_state["auth_token"] = token
    at.run()
    assert t("auth_login_title") in texts(at, "subheader") and "auth_user" not in at.session_state


# ---- server-side sessions (issue 18) -------------------------------------------------------------
def signed_out(at: AppTest) -> bool:
    return (t("auth_login_title") in texts(at, "subheader") and "auth_user" not in at.session_state
            and not any(x.value == t("app_page_overview") for x in at.title))


def test_the_cookie_carries_only_the_session_id_and_logout_ends_it_on_the_server(url):
    at = log_in(app().run(), "js_editor", PASSWORD)
    session_id = at.session_state["auth_token"]
    cookie_html = [str(h.proto.body) for h in at.get("html")]
    assert any(f'data-value="{session_id}"' in h for h in cookie_html)  # the id, in a data attribute only
    assert all("js_editor" not in h for h in cookie_html)
    assert Accounts(Store(url)).session_user(session_id) is not None
    at.button(key="auth_logout").click().run()
    assert signed_out(at)
    assert Accounts(Store(url)).session_user(session_id) is None
    copied = app()  # the cookie, copied to another browser after the logout
    copied.session_state["auth_token"] = session_id
    assert signed_out(copied.run())


@pytest.mark.parametrize("change", ["password", "remove"])
def test_a_password_change_or_removal_signs_an_open_session_out_on_its_next_rerun(url, change):
    at = signed_in(url, "js_editor")
    assert at.title[0].value == t("app_page_overview")
    other = signed_in(url, "gd_editor")
    goto(at, "gaps")
    accounts = Accounts(Store(url))
    if change == "password":
        accounts.set_password("js_editor", "a brand new password", actor="root")
    else:
        accounts.remove("js_editor", actor="root")
    at.run()
    assert signed_out(at)
    assert not other.run().exception and other.title[0].value == t("app_page_overview")  # others stay


def test_an_outsider_hammering_the_admin_does_not_lock_the_admin_out(url, monkeypatch):
    """The app counts failures per client: the stranger's browser backs off, the admin's signs in."""
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "3")
    stranger = app()
    stranger.run()
    for _ in range(3):
        log_in(stranger, "root", "guess")
    wait = t("auth_login_wait").split("{")[0]
    assert any(e.startswith(wait) for e in texts(stranger, "error"))
    log_in(stranger, "nobody", "guess")  # an unknown name gets the very same answer
    assert any(e.startswith(wait) for e in texts(stranger, "error"))
    # The admin's own office: another client address (the X-Forwarded-For nginx sets)
    monkeypatch.setattr("app_support.login.client", lambda: "10.1.2.3")
    admin = log_in(app().run(), "root", PASSWORD)
    assert admin.title[0].value == t("app_page_overview")


# ---- editors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, content", [
    ("广东省.xlsx", edited(GUANGDONG, {("填报说明", "A3"): "other"})),
    ("混合.xlsx", edited(JIANGSU, MIXED)),
], ids=["other-province", "mixed-provinces"])
def test_an_editor_cannot_store_another_provinces_workbook(url, name, content):
    before = Store(url).history()
    at = upload(signed_in(url, "js_editor"), name, content)
    refusal = t("auth_upload_refused").split("{")[0]
    assert any(e.startswith(refusal) and "广东省" in e for e in texts(at, "error"))
    assert t("app_upload_store") not in labels(at)
    assert Store(url).history() == before


def test_an_editor_stores_its_own_province_and_the_audit_log_names_the_editor(url):
    at = upload(signed_in(url, "js_editor"), "江苏省_新.xlsx", edited(JIANGSU, {("填报说明", "A3"): "new"}))
    next(b for b in at.button if b.label == t("app_upload_store")).click().run()
    assert not at.exception and any("已保存" in s for s in texts(at, "success"))
    latest = Store(url).audit()[0]
    assert (latest["actor"], latest["action"], latest["province"]) == ("js_editor", "upload", "江苏省")
    assert Store(url).history("江苏省")[0]["uploader"] == "js_editor"
    goto(at, "history")
    audit = next(d.value for d in at.dataframe if t("app_col_actor") in d.value.columns)
    assert audit[t("app_col_actor")].iloc[0] == "js_editor"
    assert set(audit[t("app_col_province")]) == {"江苏省"}
    assert {d.label for d in at.download_button} >= {t("auth_audit_export_csv"), t("auth_audit_export_xlsx")}


def test_an_editor_cannot_roll_back_or_delete_another_provinces_submission(url):
    ids = history_ids(url)
    at = signed_in(url, "js_editor")
    at.session_state["scope"] = "national"
    goto(at, "history")
    for other in ids["广东省"]:  # the current one and the superseded one
        at.selectbox(key="history_chosen").select(other).run()
        assert not at.exception
        assert not {"history_rollback", "history_delete", "history_restore"} & keys(at)
        assert t("auth_history_readonly") in texts(at, "caption")
    at.selectbox(key="history_chosen").select(ids["江苏省"][0]).run()
    assert "history_delete" in keys(at)
    at.button(key="history_delete").click().run()
    at.button(key="history_delete_yes").click().run()
    assert not at.exception
    latest = Store(url).audit()[0]
    assert (latest["actor"], latest["action"], latest["submission_id"]) == ("js_editor", "delete", ids["江苏省"][0])


def test_an_admin_may_change_any_province_and_is_recorded(url):
    ids = history_ids(url)
    at = signed_in(url, "root")
    goto(at, "history")
    superseded = min(ids["广东省"])
    at.selectbox(key="history_chosen").select(superseded).run()
    at.button(key="history_rollback").click().run()
    assert not at.exception
    latest = Store(url).audit()[0]
    assert (latest["actor"], latest["action"], latest["submission_id"]) == ("root", "rollback", superseded)


# ---- viewers and crafted requests -------------------------------------------------------------------
def test_a_viewer_sees_no_upload_rollback_delete_or_clear_controls(url):
    at = signed_in(url, "js_viewer")
    assert "clear_samples" not in keys(at)
    upload(at, "江苏省_新.xlsx", edited(JIANGSU, {("填报说明", "A3"): "new"}))
    assert t("auth_viewer_readonly") in texts(at, "info") and t("app_upload_store") not in labels(at)
    at.session_state["scope"] = "national"
    goto(at, "history")
    for sub in [h["id"] for h in Store(url).history()]:
        at.selectbox(key="history_chosen").select(sub).run()
        assert not {"history_rollback", "history_delete", "history_restore"} & keys(at)
        assert "history_download" in {d.key for d in at.download_button}  # reading stays open


def test_a_crafted_request_in_a_viewers_session_writes_nothing(url):
    ids = history_ids(url)
    before = (Store(url).history(), len(Store(url).audit()))
    at = signed_in(url, "watcher")
    viewer = at.session_state["auth_user"]
    # A delete confirmation the viewer never got: the confirm button is not drawn, so it cannot be pressed.
    at.session_state["history_confirm_delete"] = ids["江苏省"][0]
    at.session_state["history_chosen"] = ids["江苏省"][0]
    goto(at, "history")
    assert "history_delete_yes" not in keys(at)
    # An undo offer planted in the session: the button is drawn, and the store refuses the write.
    at.session_state["history_undo"] = ids["江苏省"][0]
    at.run()
    at.button(key="history_undo_button").click().run()
    assert not at.exception
    assert any(e.startswith(t("auth_denied_role").split("{")[0]) for e in texts(at, "error"))
    # The store's own methods called directly with the viewer's session user.
    store = Store(url)
    for call in (lambda: store.delete(ids["江苏省"][0], user=viewer),
                 lambda: store.rollback(min(ids["广东省"]), user=viewer),
                 lambda: store.clear_samples(user=viewer),
                 lambda: store.save_submission(*_jiangsu_upload(), user=viewer)):
        with pytest.raises(AccessDenied):
            call()
    assert (Store(url).history(), len(Store(url).audit())) == before


def _jiangsu_upload() -> tuple:
    from metrics.ingest import read_file

    content = edited(JIANGSU, {("填报说明", "A3"): "crafted"})
    return read_file(content, "crafted.xlsx"), content, "crafted.xlsx"


@pytest.mark.parametrize("username, provinces", [
    ("root", {"江苏省", "广东省", ""}), ("js_editor", {"江苏省"}), ("js_viewer", {"江苏省"}), ("watcher", set()),
])
def test_the_audit_log_is_shown_to_admins_and_the_provinces_own_users(url, username, provinces):
    at = signed_in(url, username)
    at.session_state["scope"] = "national"
    goto(at, "history")
    audit = next(d.value for d in at.dataframe if t("app_col_actor") in d.value.columns)
    assert set(audit[t("app_col_province")].fillna("")) == provinces
    assert (t("auth_audit_hidden") in texts(at, "caption")) is (username != "root")


# ---- single sign-on through Streamlit's st.login (TRACKER_AUTH=oidc) ---------------------------------
def test_oidc_without_provider_settings_stops_with_a_message(url, monkeypatch):
    monkeypatch.setenv("TRACKER_AUTH", "oidc")
    at = app().run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("auth_oidc_unconfigured", "zh")]
    assert not at.button and not at.text_input  # no page, no local login form: never an open door


def test_oidc_with_provider_settings_offers_the_provider_sign_in_and_nothing_else(url, monkeypatch):
    monkeypatch.setenv("TRACKER_AUTH", "oidc")
    at = app()
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": SECRET,
                          "client_id": "tracker", "client_secret": "x",
                          "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == [t("auth_oidc_button", "zh")]
    assert not at.text_input and not at.error
