"""Accounts: bcrypt hashing, lock-out, roles, the access rules, store enforcement, the users CLI, the audit export."""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from metrics import auth
from metrics.access import AccessDenied, Principal, can_see_audit, can_write, check_can_write, visible_audit
from metrics.audit import audit_csv, audit_xlsx
from metrics.auth import Accounts, AuthError, checked_secret, hash_password, password_matches
from metrics.i18n import t
from metrics.store import Store
from tests.store_fixtures import content_of, db_url, make_result  # noqa: F401 - db_url is a fixture

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse 9"
JIANGSU_EDITOR = Principal("js_editor", "editor", "江苏省")
GUANGDONG_EDITOR = Principal("gd_editor", "editor", "广东省")
ADMIN = Principal("root", "admin")
VIEWER = Principal("watcher", "viewer")
JIANGSU_VIEWER = Principal("js_viewer", "viewer", "江苏省")


@pytest.fixture(autouse=True)
def quick_bcrypt(monkeypatch):
    """The lowest bcrypt cost keeps the tests fast; the code path is the same."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    monkeypatch.setattr(auth, "_DUMMY_HASH", None)


@pytest.fixture()
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'tracker.sqlite'}")


# ---- passwords ---------------------------------------------------------------------------------
def test_a_hash_is_salted_bcrypt_and_checks_only_its_password():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$2b$") and first != second and PASSWORD not in first
    assert password_matches(PASSWORD, first) and password_matches(PASSWORD, second)
    assert not password_matches("correct horse 8", first)
    assert not password_matches(PASSWORD, "not a hash")


@pytest.mark.parametrize("password, code", [("short", "auth_password_short"), ("密" * 25, "auth_password_long")])
def test_unusable_passwords_are_refused_with_a_reason(password, code):
    with pytest.raises(AuthError) as err:
        hash_password(password)
    assert err.value.code == code and err.value.message("en") and err.value.message("zh")


def test_an_overlong_password_never_matches_and_does_not_raise():
    assert not password_matches("x" * 100, hash_password(PASSWORD))


@pytest.mark.parametrize("value, code", [("", "auth_secret_missing"), ("too-short", "auth_secret_short")])
def test_a_missing_or_short_secret_is_refused(value, code, monkeypatch):
    monkeypatch.delenv("TRACKER_SECRET", raising=False)
    with pytest.raises(AuthError) as err:
        checked_secret(value)
    assert err.value.code == code


def test_the_secret_comes_from_the_argument_or_the_environment(monkeypatch):
    # random-looking secrets: 32 × "a" is refused as weak since issue 18 (tests/test_redteam.py)
    monkeypatch.setenv("TRACKER_SECRET", "env-Secret-9fK2pQ7xZ1mB4vN8cL3hT6")
    assert checked_secret(None) == "env-Secret-9fK2pQ7xZ1mB4vN8cL3hT6"
    assert checked_secret("arg-Secret-3Jd8sK1qW5eR7tY9uI0oP2") == "arg-Secret-3Jd8sK1qW5eR7tY9uI0oP2"


# ---- accounts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role, province, stored", [
    ("admin", None, None), ("editor", "江苏", "江苏省"), ("editor", "Jiangsu", "江苏省"),
    ("viewer", None, None), ("viewer", "广东省", "广东省"),
])
def test_accounts_bind_roles_to_a_canonical_province(store, role, province, stored):
    user = Accounts(store).add("someone", PASSWORD, role, province)
    assert (user.role, user.province) == (role, stored)
    assert user.principal() == Principal("someone", role, stored, "")


@pytest.mark.parametrize("username, role, province, code", [
    ("bad name", "viewer", None, "auth_bad_username"),
    ("x", "owner", None, "auth_unknown_role"),
    ("x", "editor", None, "auth_editor_needs_province"),
    ("x", "admin", "江苏省", "auth_admin_province"),
    ("x", "viewer", "火星省", "auth_unknown_province"),
])
def test_invalid_accounts_are_refused_and_nothing_is_stored(store, username, role, province, code):
    accounts = Accounts(store)
    with pytest.raises(AuthError) as err:
        accounts.add(username, PASSWORD, role, province)
    assert err.value.code == code
    assert accounts.list_users() == []


def test_a_user_name_is_unique(store):
    accounts = Accounts(store)
    accounts.add("张三", PASSWORD, "viewer")
    with pytest.raises(AuthError) as err:
        accounts.add("张三", PASSWORD, "admin")
    assert err.value.code == "auth_user_exists"


def test_add_list_set_password_remove_round_trip_and_audit(store):
    accounts = Accounts(store)
    accounts.add("js_editor", PASSWORD, "editor", "江苏省", display_name="李四", actor="root")
    accounts.add("root", PASSWORD, "admin", actor="setup")
    assert [u.username for u in accounts.list_users()] == ["js_editor", "root"]
    accounts.set_password("js_editor", "a new password", actor="root")
    assert not accounts.verify("js_editor", PASSWORD).ok
    assert accounts.verify("js_editor", "a new password").ok
    accounts.remove("root", actor="js_editor")
    assert accounts.get("root") is None
    actions = [(a["actor"], a["action"], a["detail"]["username"]) for a in reversed(store.audit())]
    assert actions == [("root", "user_add", "js_editor"), ("setup", "user_add", "root"),
                       ("root", "user_password", "js_editor"), ("js_editor", "login_failed", "js_editor"),
                       ("js_editor", "user_remove", "root")]  # the old password's refusal is audited (issue 18)


@pytest.mark.parametrize("action", ["remove", "set_password", "unlock"])
def test_changing_an_unknown_user_says_so(store, action):
    args = ("ghost", PASSWORD) if action == "set_password" else ("ghost",)
    with pytest.raises(AuthError) as err:
        getattr(Accounts(store), action)(*args)
    assert err.value.code == "auth_no_such_user"


def test_no_password_is_stored_or_logged_in_clear(store, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    accounts = Accounts(store)
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    accounts.verify("js_editor", "wrong password 1")
    accounts.set_password("js_editor", "second secret 2")
    accounts.verify("js_editor", "second secret 2")
    raw = (tmp_path / "tracker.sqlite").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("tracker.sqlite-*"))
    dump = json.dumps([store.audit(), [u.to_dict() for u in accounts.list_users()]], ensure_ascii=False)
    for secret in (PASSWORD, "wrong password 1", "second secret 2"):
        assert secret.encode() not in raw
        assert secret not in dump and secret not in caplog.text
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$2b$") and password_matches("second secret 2", stored)


# ---- login and lock-out ------------------------------------------------------------------------
def test_login_succeeds_with_the_right_password_only(store):
    accounts = Accounts(store)
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    assert accounts.verify("js_editor", PASSWORD).user == Principal("js_editor", "editor", "江苏省", "")
    assert accounts.verify("js_editor", "wrong").reason == "invalid"
    assert accounts.verify("nobody", PASSWORD).reason == "invalid"  # same answer as a wrong password


def test_repeated_failures_lock_the_account_even_against_the_right_password(store, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("TRACKER_LOGIN_LOCK_MINUTES", "10")
    accounts = Accounts(store)
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    now = dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.timezone.utc)
    reasons = [accounts.verify("js_editor", "wrong", now=now).reason for _ in range(3)]
    assert reasons == ["invalid", "invalid", "locked"]
    locked = accounts.verify("js_editor", PASSWORD, now=now + dt.timedelta(minutes=9))
    assert locked.reason == "locked" and locked.locked_until == now + dt.timedelta(minutes=10)
    assert accounts.verify("js_editor", PASSWORD, now=now + dt.timedelta(minutes=11)).ok
    # newest first: the refused try while locked (audited since issue 18), then the lock itself
    assert [a["action"] for a in store.audit()][:2] == ["login_failed", "user_locked"]


def test_a_success_resets_the_failure_count(store, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "3")
    accounts = Accounts(store)
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    for attempt in ["wrong", "wrong", PASSWORD, "wrong", "wrong"]:
        accounts.verify("js_editor", attempt)
    assert accounts.get("js_editor").failed_attempts == 2
    assert accounts.verify("js_editor", PASSWORD).ok


def test_unlock_and_set_password_lift_a_lock(store, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "1")
    accounts = Accounts(store)
    accounts.add("a", PASSWORD, "viewer")
    accounts.add("b", PASSWORD, "viewer")
    assert accounts.verify("a", "wrong").reason == accounts.verify("b", "wrong").reason == "locked"
    accounts.unlock("a")
    accounts.set_password("b", "another password")
    assert accounts.verify("a", PASSWORD).ok and accounts.verify("b", "another password").ok


# ---- server-side sessions ---------------------------------------------------------------------
T0 = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.timezone.utc)


def test_a_session_id_is_random_stored_only_as_a_digest_and_signs_in_until_it_expires(store):
    from metrics.schema import sessions

    accounts = Accounts(store)
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    first = accounts.open_session("js_editor", client="10.0.0.1", now=T0)
    second = accounts.open_session("js_editor", now=T0)
    assert first != second and len(first) >= 43 and "js_editor" not in first  # only a random id
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(sessions)).all()
    assert {r.id_hash for r in stored} == {auth.session_digest(first), auth.session_digest(second)}
    assert not any(first in str(tuple(r)) for r in stored)  # a database read yields no live cookie
    expected = Principal("js_editor", "editor", "江苏省", "")
    assert accounts.session_user(first, now=T0 + dt.timedelta(hours=11, minutes=59)) == expected
    assert accounts.session_user(first, now=T0 + dt.timedelta(hours=12)) is None   # TRACKER_SESSION_HOURS
    assert accounts.session_user(first[:-2] + "xx", now=T0) is None                  # a guessed id
    assert accounts.session_user("", now=T0) is None and accounts.session_user("x" * 500, now=T0) is None
    assert accounts.open_sessions("js_editor", now=T0) == 2
    # a sign-in a day after they ran out clears them away, and stale failure counts with them
    accounts.verify("nobody", "wrong", now=T0, client="203.0.113.9")
    accounts.open_session("js_editor", now=T0 + dt.timedelta(hours=12, days=1, minutes=1))
    with store.engine.connect() as conn:
        assert auth.session_digest(first) not in set(conn.execute(sa.select(sessions.c.id_hash)).scalars())
        assert conn.execute(sa.select(sa.func.count()).select_from(auth.login_throttle)).scalar_one() == 0


@pytest.mark.parametrize("change", ["logout", "set_password", "end_sessions", "remove"])
def test_logout_a_new_password_or_a_removed_account_ends_sessions_at_once(store, change):
    accounts = Accounts(store)
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    accounts.add("gd_editor", PASSWORD, "editor", "广东省")
    mine, other_tab = accounts.open_session("js_editor"), accounts.open_session("js_editor")
    theirs = accounts.open_session("gd_editor")
    if change == "logout":
        accounts.end_session(mine)
        assert accounts.session_user(other_tab) is not None  # signing out one browser leaves the other
    elif change == "set_password":
        accounts.set_password("js_editor", "brand new password")
    elif change == "end_sessions":
        assert accounts.end_sessions("js_editor") == 2
    else:
        accounts.remove("js_editor")
    assert accounts.session_user(mine) is None
    if change != "logout":
        assert accounts.session_user(other_tab) is None
    assert accounts.session_user(theirs) == Principal("gd_editor", "editor", "广东省", "")


def test_a_locked_account_keeps_its_open_sessions(store, monkeypatch):
    """A stranger's wrong guesses lock the name, but must not sign its real user out."""
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "2")
    accounts = Accounts(store)
    accounts.add("root", PASSWORD, "admin")
    session = accounts.open_session("root", now=T0)
    for _ in range(2):
        accounts.verify("root", "wrong", now=T0, client="203.0.113.9")
    assert accounts.get("root").locked(T0)
    assert accounts.session_user(session, now=T0) == Principal("root", "admin", None, "")


# ---- throttling per client --------------------------------------------------------------------
STRANGER, OFFICE = "203.0.113.9", "10.1.2.3"


def _tries(accounts, name, n, client, now=T0, password="wrong"):
    return [(r.reason, r.locked_until) for r in (accounts.verify(name, password, now=now, client=client)
                                                for _ in range(n))]


def test_an_outsider_hammering_the_admins_name_locks_out_the_outsider_not_the_admin(store, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "5")
    monkeypatch.setenv("TRACKER_LOGIN_LOCK_MINUTES", "15")
    accounts = Accounts(store)
    accounts.add("root", PASSWORD, "admin")
    answers = _tries(accounts, "root", 20, STRANGER)
    until = T0 + dt.timedelta(minutes=15)
    assert answers == [("invalid", None)] * 4 + [("locked", until)] * 16
    # the stranger's right guess is not even checked while the stranger backs off
    assert accounts.verify("root", PASSWORD, now=T0, client=STRANGER).reason == "locked"
    # the admin, from an office that has not failed, signs in at once, and that lifts the account's lock
    assert accounts.get("root").locked(T0)
    assert accounts.verify("root", PASSWORD, now=T0, client=OFFICE).ok
    assert not accounts.get("root").locked(T0) and accounts.get("root").failed_attempts == 0
    # only 5 of the stranger's 21 tries reached a password check; the rest were refused and audited
    reasons = [a["detail"]["reason"] for a in store.audit() if a["action"] == "login_failed"]
    assert reasons.count("invalid") == 5 and reasons.count("client_blocked") == 16


def test_a_locked_account_refuses_an_office_once_it_has_failed_too(store, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "3")
    accounts = Accounts(store)
    accounts.add("root", PASSWORD, "admin")
    _tries(accounts, "root", 3, STRANGER)
    assert accounts.verify("root", "typo", now=T0, client=OFFICE).reason == "invalid"  # a clean client: checked
    assert accounts.verify("root", PASSWORD, now=T0, client=OFFICE).reason == "locked"  # no longer clean


def test_a_known_and_an_unknown_name_get_the_same_answers(store, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("TRACKER_LOGIN_LOCK_MINUTES", "10")
    accounts = Accounts(store)
    accounts.add("root", PASSWORD, "admin")
    for client in (None, "198.51.100.1"):  # the account's count alone, and with a client's count
        known = _tries(accounts, "root", 6, client)
        unknown = _tries(accounts, "no_such_admin", 6, None if client is None else "198.51.100.2")
        assert known == unknown, client
        assert [r for r, _ in known] == ["invalid", "invalid", "locked", "locked", "locked", "locked"]
        accounts.unlock("root")
        accounts.clear_throttle()


def test_a_client_that_keeps_failing_backs_off_twice_as_long_each_time(store, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("TRACKER_LOGIN_LOCK_MINUTES", "15")
    accounts = Accounts(store)
    now, blocks = T0, []
    for _ in range(4):
        answers = _tries(accounts, f"guess{len(blocks)}", 2, STRANGER, now=now)  # a new name each round
        assert answers[0] == ("invalid", None) and answers[1][0] == "locked"
        blocks.append(answers[1][1] - now)
        assert accounts.verify("x", "y", now=answers[1][1] - dt.timedelta(seconds=1), client=STRANGER).reason == "locked"
        now = answers[1][1]  # the block has run out: the next round starts
    assert blocks == [dt.timedelta(minutes=m) for m in (15, 30, 60, 120)]
    # another client is untouched, and a success from the stranger's address resets its back-off
    assert _tries(accounts, "guess9", 1, OFFICE, now=T0) == [("invalid", None)]
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    assert accounts.verify("js_editor", PASSWORD, now=now, client=STRANGER).ok
    assert _tries(accounts, "guess10", 2, STRANGER, now=now)[1] == ("locked", now + dt.timedelta(minutes=15))


@pytest.mark.parametrize("forwarded, socket_ip, expected", [
    ("203.0.113.9", None, "203.0.113.9"),                 # behind nginx: the app's peer is loopback
    ("1.1.1.1, 203.0.113.9", None, "203.0.113.9"),        # a forged first entry is ignored: nginx adds the last
    (None, "192.0.2.7", "192.0.2.7"),                     # no proxy: the socket's address
    ("1.1.1.1", "192.0.2.7", "192.0.2.7"),                # a header from a direct client is not believed
    (None, None, ""),
])
def test_the_client_address_is_the_proxys_last_forwarded_entry_or_the_socket(forwarded, socket_ip, expected):
    assert auth.client_address(forwarded, socket_ip) == expected


# ---- access rules ------------------------------------------------------------------------------
@pytest.mark.parametrize("user, province, allowed", [
    (None, "广东省", True), (ADMIN, "广东省", True), (ADMIN, "", True),
    (JIANGSU_EDITOR, "江苏省", True), (JIANGSU_EDITOR, "广东省", False), (JIANGSU_EDITOR, "", False),
    (VIEWER, "江苏省", False), (JIANGSU_VIEWER, "江苏省", False),
])
def test_who_may_write_which_province(user, province, allowed):
    assert can_write(user, province) is allowed


@pytest.mark.parametrize("user, provinces, refused", [
    (JIANGSU_EDITOR, ["江苏省"], None),
    (JIANGSU_EDITOR, ["广东省"], ["广东省"]),
    (JIANGSU_EDITOR, ["江苏省", "广东省"], ["广东省"]),
    (JIANGSU_EDITOR, [], [""]),
    (VIEWER, ["江苏省"], ["江苏省"]),
    (ADMIN, ["江苏省", "广东省"], None),
])
def test_a_write_is_checked_for_every_province_it_names(user, provinces, refused):
    if refused is None:
        check_can_write(user, provinces)
        return
    with pytest.raises(AccessDenied) as err:
        check_can_write(user, provinces)
    assert err.value.provinces == refused
    assert err.value.message("zh") and err.value.message("en")


def test_the_refusal_names_the_user_and_the_provinces():
    err = AccessDenied(JIANGSU_EDITOR, ["广东省"], "upload")
    assert "js_editor" in err.message("en") and "广东省" in err.message("en") and "江苏省" in err.message("zh")
    assert "viewer" in AccessDenied(VIEWER, ["江苏省"], "delete").message("en")


@pytest.mark.parametrize("user, visible", [
    (None, [1, 2, 3]), (ADMIN, [1, 2, 3]), (JIANGSU_EDITOR, [1]), (JIANGSU_VIEWER, [1]), (VIEWER, []),
])
def test_the_audit_log_is_shown_to_admins_and_the_provinces_own_users(user, visible):
    rows = [{"id": 1, "province": "江苏省"}, {"id": 2, "province": "广东省"}, {"id": 3, "province": None}]
    assert [r["id"] for r in visible_audit(user, rows)] == visible
    assert can_see_audit(user, "江苏省") is (1 in visible)


# ---- enforcement in the store (both databases) ---------------------------------------------------
def mixed_result():
    """One workbook whose 基本信息 says 江苏省 but whose rows also name 广东省."""
    js, gd = make_result("江苏省", ["成果A"]), make_result("广东省", ["成果B"])
    js.items = pd.concat([js.items, gd.items], ignore_index=True)
    return js


@pytest.mark.parametrize("result_of", [lambda: make_result("广东省"), mixed_result], ids=["other", "mixed"])
def test_an_editor_cannot_store_another_provinces_rows(db_url, result_of):  # noqa: F811 - fixture
    store = Store(db_url)
    result = result_of()
    with pytest.raises(AccessDenied) as err:
        store.save_submission(result, content_of(result), "x.xlsx", user=JIANGSU_EDITOR)
    assert err.value.provinces == ["广东省"]
    assert store.history() == [] and store.audit() == []


def test_writes_are_refused_to_viewers_and_other_provinces_and_recorded_with_the_right_user(db_url):  # noqa: F811
    store = Store(db_url)
    gd1, gd2 = make_result("广东省", ["甲"]), make_result("广东省", ["甲", "乙"])
    first = store.save_submission(gd1, content_of(gd1), "gd1.xlsx", user=GUANGDONG_EDITOR).submission_id
    second = store.save_submission(gd2, content_of(gd2), "gd2.xlsx", user=ADMIN).submission_id
    js = make_result("江苏省", ["丙"])
    own = store.save_submission(js, content_of(js), "js.xlsx", user=JIANGSU_EDITOR).submission_id
    before = (store.history(), store.audit())
    for user in (JIANGSU_EDITOR, VIEWER, JIANGSU_VIEWER):
        for action in ("rollback", "delete", "restore"):
            with pytest.raises(AccessDenied):
                getattr(store, action)(first if action == "rollback" else second, user=user)
    with pytest.raises(AccessDenied):
        store.save_submission(js, content_of(js, "again"), "js2.xlsx", user=VIEWER)
    with pytest.raises(AccessDenied):
        store.clear_samples(user=JIANGSU_EDITOR)
    assert (store.history(), store.audit()) == before
    store.rollback(first, user=GUANGDONG_EDITOR)
    store.delete(own, user=JIANGSU_EDITOR)
    store.restore(own, user=ADMIN)
    log = [(a["actor"], a["action"], a["submission_id"], a["province"]) for a in reversed(store.audit())]
    assert log == [("gd_editor", "upload", first, "广东省"), ("root", "upload", second, "广东省"),
                   ("js_editor", "upload", own, "江苏省"), ("gd_editor", "rollback", first, "广东省"),
                   ("js_editor", "delete", own, "江苏省"), ("root", "restore", own, "江苏省")]
    assert {h["id"]: h["uploader"] for h in store.history()}[first] == "gd_editor"
    assert store.audit()[-1]["sha256"] == [h for h in store.history() if h["id"] == first][0]["sha256"]


# ---- the audit export --------------------------------------------------------------------------
AUDIT = [{"id": 2, "at": "2025-07-01T08:00:00+00:00", "actor": "=HYPERLINK(\"x\")", "action": "upload",
          "submission_id": 7, "province": "江苏省", "sha256": "ab" * 32, "detail": {"filename": "@x.xlsx"}},
         {"id": 1, "at": "2025-06-30T08:00:00+00:00", "actor": "root", "action": "user_add",
          "submission_id": None, "province": None, "sha256": None, "detail": {"username": "张三"}}]


def test_the_audit_export_is_text_only_csv_and_xlsx():
    text = audit_csv(AUDIT, "zh").decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns)[:3] == ["时间(UTC)", "操作人", "操作"]
    assert frame.iloc[0]["操作人"] == "'=HYPERLINK(\"x\")" and frame.iloc[1]["操作"] == t("app_action_user_add")
    sheet = openpyxl.load_workbook(io.BytesIO(audit_xlsx(AUDIT, "en"))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:3] == ["Time (UTC)", "User", "Action"]
    assert rows[1][1] == "=HYPERLINK(\"x\")" and sheet["B2"].data_type == "s"
    assert rows[1][3] == 7 and rows[1][5] == "ab" * 32


# ---- the CLI -----------------------------------------------------------------------------------
def cli(*args: str, stdin: str = "", db: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "metrics", "users", *args, "--db", db], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_cli_round_trip_with_passwords_from_stdin(tmp_path):
    db = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    added = cli("add", "js_editor", "--role", "editor", "--province", "江苏", stdin=PASSWORD + "\n", db=db)
    assert added.returncode == 0, added.stderr
    assert cli("add", "root", "--role", "admin", stdin="admin password 1\n", db=db).returncode == 0
    listed = cli("list", "--json", db=db)
    users = json.loads(listed.stdout)
    assert [(u["username"], u["role"], u["province"]) for u in users] == [
        ("js_editor", "editor", "江苏省"), ("root", "admin", None)]
    assert all("password" not in key for u in users for key in u)
    assert cli("set-password", "js_editor", stdin="changed password 2\n", db=db).returncode == 0
    accounts = Accounts(Store(db))
    assert accounts.verify("js_editor", "changed password 2").ok and not accounts.verify("js_editor", PASSWORD).ok
    assert cli("remove", "root", db=db).returncode == 0
    table = cli("list", db=db, stdin="")
    assert "js_editor" in table.stdout and "root" not in table.stdout
    outputs = added.stdout + added.stderr + listed.stdout + table.stdout
    assert PASSWORD not in outputs and "changed password 2" not in outputs
    # the account changes are the CLI's; the old password's refusal above is audited under the name tried
    assert [a["actor"].startswith("cli:") for a in Store(db).audit() if a["action"] != "login_failed"] == [True] * 4


@pytest.mark.parametrize("args, stdin, message", [
    (["add", "x", "--role", "editor"], PASSWORD + "\n", "An editor needs one province"),
    (["add", "x", "--role", "viewer"], "short\n", "at least 8 characters"),
    (["add", "x", "--role", "viewer"], "", "No password was read"),
    (["remove", "ghost"], "", "No user ghost"),
    (["set-password", "ghost"], PASSWORD + "\n", "No user ghost"),
])
def test_cli_refusals_are_clear_messages_with_exit_status_1(tmp_path, args, stdin, message):
    done = cli(*args, "--lang", "en", stdin=stdin, db=f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_cli_takes_no_password_argument(tmp_path):
    done = cli("add", "x", "--role", "viewer", "--password", PASSWORD, db=f"sqlite:///{tmp_path / 't.sqlite'}")
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr


def _cli_audit(db: str, action: str) -> list[dict]:
    return [a for a in Store(db).audit() if a["action"] == action]


def test_cli_logout_ends_every_session_of_one_user_and_is_audited(tmp_path):
    db = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    accounts = Accounts(Store(db))
    accounts.add("js_editor", PASSWORD, "editor", "江苏省")
    accounts.add("root", "admin password 1", "admin")
    laptop, desk, other = (accounts.open_session("js_editor"), accounts.open_session("js_editor"),
                           accounts.open_session("root"))
    done = cli("logout", "js_editor", "--lang", "en", db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Ended 2 session(s) of user js_editor."
    assert accounts.session_user(laptop) is None and accounts.session_user(desk) is None
    assert accounts.session_user(other) == Principal("root", "admin")  # another user keeps signed in
    [entry] = _cli_audit(db, "user_logout")
    assert entry["actor"].startswith("cli:") and entry["province"] == "江苏省"
    assert entry["detail"] == {"username": "js_editor", "sessions": 2}
    assert t("app_action_user_logout", "en") == "Signed out by an admin"
    again = cli("logout", "js_editor", db=db)
    assert (again.returncode, again.stdout.strip()) == (0, "已结束用户 js_editor 的 0 个会话。")
    ghost = cli("logout", "ghost", "--lang", "en", db=db)
    assert ghost.returncode == 1 and ghost.stderr.strip() == "No user ghost."


def test_cli_unblock_lifts_a_clients_or_a_names_block_and_is_audited(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGIN_MAX_FAILURES", "2")
    db = f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    accounts = Accounts(Store(db))
    accounts.add("root", PASSWORD, "admin")
    # a client that guessed too often is refused even the right password, until its block is lifted
    _tries(accounts, "guess", 2, STRANGER)
    assert accounts.verify("root", PASSWORD, now=T0, client=STRANGER).reason == "locked"
    done = cli("unblock", "--client", STRANGER, "--lang", "en", db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Lifted the sign-in block of client {STRANGER} (1 record(s) cleared)."
    assert accounts.verify("root", PASSWORD, now=T0, client=STRANGER).ok
    # an account locked by failures without a client, and an unknown name's block, lifted by name
    _tries(accounts, "root", 2, None)
    _tries(accounts, "no_such_admin", 2, None)
    assert accounts.verify("root", PASSWORD, now=T0).reason == "locked"
    assert accounts.verify("no_such_admin", "x", now=T0).reason == "locked"
    assert cli("unblock", "--user", "root", db=db).returncode == 0
    assert accounts.verify("root", PASSWORD, now=T0).ok
    named = cli("unblock", "--user", "no_such_admin", "--lang", "en", db=db)
    assert named.stdout.strip() == "Lifted the sign-in block of the name no_such_admin (1 record(s) cleared)."
    assert accounts.verify("no_such_admin", "x", now=T0).reason == "invalid"
    _tries(accounts, "guess", 2, OFFICE)
    everyone = cli("unblock", "--all", db=db)
    # the stranger's (reset) and the office's counts, and the names guess and no_such_admin (tried once more)
    assert everyone.stdout.strip() == "已解除所有客户端和用户名的登录限制(清除 4 条记录)。"
    assert accounts.verify("root", PASSWORD, now=T0, client=OFFICE).ok
    entries = _cli_audit(db, "throttle_cleared")
    assert [e["detail"] for e in reversed(entries)] == [
        {"client": STRANGER, "username": None, "cleared": 1},
        {"client": None, "username": "root", "cleared": 0},
        {"client": None, "username": "no_such_admin", "cleared": 1},
        {"client": None, "username": None, "cleared": 4}]
    assert all(e["actor"].startswith("cli:") for e in entries)
    assert cli("unblock", db=db).returncode == 2  # which block to lift must be said
