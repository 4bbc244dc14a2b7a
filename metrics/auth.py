"""Accounts kept in the store: add, remove, list, change passwords, verify logins, session tokens.

Passwords are hashed with bcrypt (the hash carries its own salt and cost) and never stored, logged
or written to the audit log in clear. After ``TRACKER_LOGIN_MAX_FAILURES`` wrong passwords in a row
an account is locked for ``TRACKER_LOGIN_LOCK_MINUTES``; while locked, no password is even checked.
A login is carried across page reloads by a token signed with the deployment's secret
(itsdangerous); the token names the user and a digest of the password hash, so changing a password
ends every session of that user, and the user is read again from the store on each use (a removed
or disabled account is signed out at once).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Iterator

import bcrypt
import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.engine import Connection

from .access import ROLES, Principal
from .i18n import t
from .schema import audit_log, users
from .settings import setting

if TYPE_CHECKING:
    from .store import Store

BCRYPT_ROUNDS = 12            # ~0.25 s per hash on one core: slow for guessing, quick for one login
MAX_PASSWORD_BYTES = 72       # bcrypt reads no further (and bcrypt 5 refuses longer input)
MIN_PASSWORD_CHARS = 8
MIN_SECRET_CHARS = 32
MIN_SECRET_BITS = 100  # a guessable or repetitive key (32 × "a") signs any cookie an outsider likes
TOKEN_SALT = "future-industries-tracker-session"
_USERNAME = re.compile(r"^[\w.@-]{1,64}$")  # \w includes CJK characters: 张三 is a valid name
_DUMMY_HASH: bytes | None = None


class AuthError(Exception):
    """A refused account operation (bad name, role, province or password), in Chinese and English."""

    def __init__(self, code: str, **values: Any):
        self.code = code
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        """The reason in ``lang``."""
        return t(self.code, lang, **self.values)

    def __str__(self) -> str:
        return f"{self.message('zh')} / {self.message('en')}"


@dataclass(frozen=True)
class User:
    """One account as stored (without its password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    province: str | None
    failed_attempts: int
    locked_until: dt.datetime | None
    disabled: bool
    created_at: dt.datetime

    def principal(self) -> Principal:
        """The user as the permission rules see it."""
        return Principal(self.username, self.role, self.province, self.display_name)

    def locked(self, now: dt.datetime | None = None) -> bool:
        """Whether the account is locked at ``now`` after too many failed logins."""
        return self.locked_until is not None and self.locked_until > (now or _utcnow())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (times as ISO text)."""
        d = asdict(self)
        for k in ("locked_until", "created_at"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass(frozen=True)
class LoginResult:
    """The outcome of one login attempt: ``reason`` is ok, invalid or locked."""

    reason: str
    user: Principal | None = None
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


# ---- settings --------------------------------------------------------------------------------
def _int_setting(name: str) -> int:
    try:
        return max(1, int(float(setting(name))))
    except ValueError:
        from .settings import SETTINGS

        return int(SETTINGS[name].default)


def max_failures() -> int:
    """Failed logins in a row that lock an account (``TRACKER_LOGIN_MAX_FAILURES``)."""
    return _int_setting("TRACKER_LOGIN_MAX_FAILURES")


def lock_minutes() -> int:
    """Minutes a locked account stays locked (``TRACKER_LOGIN_LOCK_MINUTES``)."""
    return _int_setting("TRACKER_LOGIN_LOCK_MINUTES")


def session_seconds() -> int:
    """How long a login stays valid, in seconds (``TRACKER_SESSION_HOURS``)."""
    return _int_setting("TRACKER_SESSION_HOURS") * 3600


def checked_secret(secret: str | None) -> str:
    """The signing secret (``secret`` when given, else ``TRACKER_SECRET``); raises AuthError when it is
    missing or too short, so that auth switched on never runs with a guessable key."""
    value = (secret or "").strip() or setting("TRACKER_SECRET").strip()
    if not value:
        raise AuthError("auth_secret_missing")
    if len(value) < MIN_SECRET_CHARS:
        raise AuthError("auth_secret_short", n=MIN_SECRET_CHARS)
    if secret_bits(value) < MIN_SECRET_BITS:
        raise AuthError("auth_secret_weak", bits=MIN_SECRET_BITS)
    return value


def secret_bits(value: str) -> float:
    """An estimate of a secret's strength in bits: its length times the Shannon entropy of its characters.

    32 × "a" scores 0 and "abab…" 32; a secrets.token_urlsafe(32) scores about 200, a token_hex(16) about 115.
    """
    counts = Counter(value)
    n = len(value)
    return -n * sum(c / n * math.log2(c / n) for c in counts.values())


# ---- passwords -------------------------------------------------------------------------------
def check_password_rules(password: str) -> None:
    """Raise AuthError when ``password`` is too short or too long for bcrypt."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AuthError("auth_password_short", n=MIN_PASSWORD_CHARS)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AuthError("auth_password_long", n=MAX_PASSWORD_BYTES)


def hash_password(password: str) -> str:
    """The bcrypt hash of ``password`` (salted; the text stored in ``users.password_hash``)."""
    check_password_rules(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode("ascii")


def password_matches(password: str, password_hash: str) -> bool:
    """Whether ``password`` is the one ``password_hash`` was made from (constant time)."""
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES or not password_hash:
        _burn_time(password)
        return False
    try:
        return bcrypt.checkpw(raw, password_hash.encode("ascii"))
    except ValueError:  # not a bcrypt hash
        return False


def _burn_time(password: str) -> None:
    """Spend the time of one bcrypt check, so an unknown user answers as slowly as a known one."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=BCRYPT_ROUNDS))
    bcrypt.checkpw(password.encode("utf-8")[:MAX_PASSWORD_BYTES], _DUMMY_HASH)


def password_version(password_hash: str) -> str:
    """A short digest of the hash, put in session tokens so a new password ends old sessions."""
    return hashlib.sha256(password_hash.encode("ascii")).hexdigest()[:16]


# ---- accounts in the store -------------------------------------------------------------------
def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _user(row: Any) -> User:
    return User(id=row.id, username=row.username, display_name=row.display_name or "", role=row.role,
                province=row.province, failed_attempts=int(row.failed_attempts or 0),
                locked_until=_utc(row.locked_until), disabled=bool(row.disabled), created_at=_utc(row.created_at))


def canonical_province(province: str | None) -> str | None:
    """The catalog's name of ``province`` (accepts 江苏, 江苏省, Jiangsu …); AuthError when unknown."""
    if province is None or not str(province).strip():
        return None
    from .catalog import load_catalog

    name = load_catalog().resolve_province(str(province).strip())
    if not name:
        raise AuthError("auth_unknown_province", province=province)
    return name


def account_scope(role: str, province: str | None) -> str | None:
    """The province an account of ``role`` is bound to; AuthError when the pair makes no sense."""
    if role not in ROLES:
        raise AuthError("auth_unknown_role", role=role, roles=", ".join(ROLES))
    name = canonical_province(province)
    if role == "admin" and name:
        raise AuthError("auth_admin_province")
    if role == "editor" and not name:
        raise AuthError("auth_editor_needs_province")
    return name


class Accounts:
    """The users of one store (``users`` table) and their logins."""

    def __init__(self, store: "Store"):
        self.store = store
        self.engine = store.engine

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        # write=True: the store's SQLite engine begins with BEGIN IMMEDIATE (writers queue, never fail).
        with self.engine.connect().execution_options(write=True) as conn:
            with conn.begin():
                yield conn

    def _row(self, conn: Connection, username: str) -> Any:
        return conn.execute(sa.select(users).where(users.c.username == username)).first()

    @staticmethod
    def _audit(conn: Connection, actor: str, action: str, province: str | None, detail: dict[str, Any]) -> None:
        conn.execute(audit_log.insert().values(at=_utcnow(), actor=actor or "", action=action, submission_id=None,
                                               province=province, sha256=None, detail=detail))

    def get(self, username: str) -> User | None:
        """The account named ``username``, or None."""
        with self.engine.connect() as conn:
            row = self._row(conn, username)
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        """Every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.username)).all()
        return [_user(r) for r in rows]

    def add(self, username: str, password: str, role: str, province: str | None = None, *,
            display_name: str = "", actor: str = "") -> User:
        """Create an account; AuthError when the name is taken or invalid, or role/province/password are not."""
        username = (username or "").strip()
        if not _USERNAME.match(username):
            raise AuthError("auth_bad_username")
        scope = account_scope(role, province)
        password_hash = hash_password(password)
        with self._write() as conn:
            if self._row(conn, username) is not None:
                raise AuthError("auth_user_exists", username=username)
            conn.execute(users.insert().values(username=username, display_name=display_name.strip(),
                                               password_hash=password_hash, role=role, province=scope,
                                               failed_attempts=0, locked_until=None, disabled=False,
                                               created_at=_utcnow()))
            self._audit(conn, actor, "user_add", scope, {"username": username, "role": role})
        return self.get(username)  # type: ignore[return-value]

    def remove(self, username: str, *, actor: str = "") -> None:
        """Delete an account (its past actions stay in the audit log under its name)."""
        with self._write() as conn:
            row = self._row(conn, username)
            if row is None:
                raise AuthError("auth_no_such_user", username=username)
            conn.execute(users.delete().where(users.c.id == row.id))
            self._audit(conn, actor, "user_remove", row.province, {"username": username, "role": row.role})

    def set_password(self, username: str, password: str, *, actor: str = "") -> None:
        """Replace a password (ends the user's sessions) and lift any lock."""
        password_hash = hash_password(password)
        with self._write() as conn:
            row = self._row(conn, username)
            if row is None:
                raise AuthError("auth_no_such_user", username=username)
            conn.execute(users.update().where(users.c.id == row.id)
                         .values(password_hash=password_hash, failed_attempts=0, locked_until=None))
            self._audit(conn, actor, "user_password", row.province, {"username": username})

    def unlock(self, username: str, *, actor: str = "") -> None:
        """Lift a lock-out before it runs out."""
        with self._write() as conn:
            row = self._row(conn, username)
            if row is None:
                raise AuthError("auth_no_such_user", username=username)
            conn.execute(users.update().where(users.c.id == row.id).values(failed_attempts=0, locked_until=None))
            self._audit(conn, actor, "user_unlock", row.province, {"username": username})

    def verify(self, username: str, password: str, now: dt.datetime | None = None) -> LoginResult:
        """Check a login: ok (and the failure count reset), invalid, or locked (password not checked).

        Each attempt is counted in the database *before* the password is checked, in a write
        transaction that holds the row (BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL): once
        ``max_failures()`` attempts are counted, further ones, parallel or not, are refused without
        a check, so 16 simultaneous guesses cannot all be tried. Every failure is audited.
        """
        now = now or _utcnow()
        name = (username or "").strip()
        with self.engine.connect() as conn:
            row = self._row(conn, name)
        if row is None or row.disabled:
            _burn_time(password)
            with self._write() as conn:
                self._audit(conn, name, "login_failed", None, {"username": name[:100], "reason": "invalid"})
            return LoginResult("invalid")
        limit = max_failures()
        with self._write() as conn:
            current = conn.execute(sa.select(users).where(users.c.id == row.id).with_for_update()).first()
            user = _user(current)
            if user.locked(now):
                self._audit(conn, name, "login_failed", user.province, {"username": name, "reason": "locked"})
                return LoginResult("locked", locked_until=user.locked_until)
            if current.failed_attempts >= limit:  # the tries are used up by attempts still being checked
                self._audit(conn, name, "login_failed", user.province, {"username": name, "reason": "in_flight"})
                return LoginResult("locked", locked_until=now + dt.timedelta(minutes=lock_minutes()))
            conn.execute(users.update().where(users.c.id == row.id)
                         .values(failed_attempts=users.c.failed_attempts + 1))
        # The hash is checked outside the write transaction: other writers never wait for bcrypt.
        if password_matches(password, row.password_hash):
            with self._write() as conn:
                conn.execute(users.update().where(users.c.id == row.id).values(failed_attempts=0, locked_until=None))
            return LoginResult("ok", user=user.principal())
        with self._write() as conn:
            failures = conn.execute(sa.select(users.c.failed_attempts).where(users.c.id == row.id)
                                    .with_for_update()).scalar_one()
            self._audit(conn, name, "login_failed", user.province, {"username": name, "reason": "invalid"})
            if failures < limit:
                return LoginResult("invalid")
            until = now + dt.timedelta(minutes=lock_minutes())
            # The count starts again, so after the lock the user has the full number of tries.
            conn.execute(users.update().where(users.c.id == row.id).values(failed_attempts=0, locked_until=until))
            self._audit(conn, user.username, "user_locked", user.province,
                        {"username": user.username, "failures": int(failures), "until": until.isoformat()})
        return LoginResult("locked", locked_until=until)

    # -- sessions
    def session_token(self, username: str, secret: str) -> str:
        """A signed, timestamped token naming ``username`` (for the session cookie)."""
        with self.engine.connect() as conn:
            row = self._row(conn, username)
        if row is None:
            raise AuthError("auth_no_such_user", username=username)
        return _serializer(secret).dumps({"u": row.username, "v": password_version(row.password_hash)})

    def session_user(self, token: str, secret: str, max_age: int | None = None) -> Principal | None:
        """The user a token signs in, or None when it is forged, expired, or the account changed."""
        if not token:
            return None
        try:
            data = _serializer(secret).loads(token, max_age=max_age if max_age is not None else session_seconds())
        except (SignatureExpired, BadSignature):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), str):
            return None
        with self.engine.connect() as conn:
            row = self._row(conn, data["u"])
        if row is None or row.disabled or data.get("v") != password_version(row.password_hash):
            return None
        user = _user(row)
        return None if user.locked() else user.principal()


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=TOKEN_SALT)


__all__ = ["Accounts", "AuthError", "LoginResult", "Principal", "User", "account_scope", "checked_secret",
           "hash_password", "lock_minutes", "max_failures", "password_matches", "session_seconds"]
