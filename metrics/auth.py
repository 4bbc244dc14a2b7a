"""Accounts kept in the store: add, remove, list, change passwords, verify logins, session tokens.

Passwords are hashed with bcrypt (the hash carries its own salt and cost) and never stored, logged
or written to the audit log in clear. After ``TRACKER_LOGIN_MAX_FAILURES`` wrong passwords in a row
an account is locked for ``TRACKER_LOGIN_LOCK_MINUTES``; while locked, no password is even checked.
A login is a server-side session (``sessions`` table): the cookie carries only a random id, the
store keeps its SHA-256, and every page run looks it up, so logging out, a new password or the
account's removal ends the session at once, wherever the cookie was copied to. Failed sign-ins are
also counted per client address (``login_throttle``): a client that keeps failing backs off, while
the account stays open to clients that have not failed, so no stranger can lock an admin out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Iterator

import bcrypt
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .access import ROLES, Principal
from .errors import TrackerError
from .schema import audit_log, login_throttle, sessions, users
from .settings import setting

if TYPE_CHECKING:
    from .store import Store

BCRYPT_ROUNDS = 12            # ~0.25 s per hash on one core: slow for guessing, quick for one login
MAX_PASSWORD_BYTES = 72       # bcrypt reads no further (and bcrypt 5 refuses longer input)
MIN_PASSWORD_CHARS = 8
MIN_SECRET_CHARS = 32
MIN_SECRET_BITS = 100  # a guessable or repetitive key (32 × "a") signs any cookie an outsider likes
MAX_BACKOFF_MINUTES = 24 * 60   # a client's back-off never exceeds a day
_USERNAME = re.compile(r"^[\w.@-]{1,64}$")  # \w includes CJK characters: 张三 is a valid name
_DUMMY_HASH: bytes | None = None


class AuthError(TrackerError):
    """A refused account operation (bad name, role, province or password): an auth.yaml code and its values."""


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
            conn.execute(sessions.delete().where(sessions.c.user_id == row.id))  # SQLite may run without FK cascade
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
            self._end_user_sessions(conn, row.id, _utcnow())
            self._audit(conn, actor, "user_password", row.province, {"username": username})

    def unlock(self, username: str, *, actor: str = "") -> None:
        """Lift a lock-out before it runs out."""
        with self._write() as conn:
            row = self._row(conn, username)
            if row is None:
                raise AuthError("auth_no_such_user", username=username)
            conn.execute(users.update().where(users.c.id == row.id).values(failed_attempts=0, locked_until=None))
            self._audit(conn, actor, "user_unlock", row.province, {"username": username})

    # -- sign-in throttling
    @staticmethod
    def _throttle_row(conn: Connection, key: str) -> Any:
        return conn.execute(sa.select(login_throttle).where(login_throttle.c.key == key).with_for_update()).first()

    @staticmethod
    def _count_attempt(conn: Connection, key: str, row: Any, now: dt.datetime) -> None:
        """One more attempt under ``key`` (counted before the password is checked, like the account's)."""
        if row is None:
            conn.execute(login_throttle.insert().values(key=key, failures=1, strikes=0, last_at=now,
                                                        blocked_until=None))
        else:
            conn.execute(login_throttle.update().where(login_throttle.c.key == key)
                         .values(failures=login_throttle.c.failures + 1, last_at=now))

    @staticmethod
    def _throttle_failed(conn: Connection, key: str, now: dt.datetime, limit: int) -> dt.datetime | None:
        """After a wrong password: block ``key`` once its count reaches ``limit``, each block twice as long
        as the one before (capped at a day); the time it is blocked until, or None."""
        row = conn.execute(sa.select(login_throttle).where(login_throttle.c.key == key).with_for_update()).first()
        if row is None or row.failures < limit:
            return None
        strikes = int(row.strikes or 0)
        minutes = min(lock_minutes() * 2 ** min(strikes, 10), MAX_BACKOFF_MINUTES)
        until = now + dt.timedelta(minutes=minutes)
        conn.execute(login_throttle.update().where(login_throttle.c.key == key)
                     .values(failures=0, strikes=strikes + 1, blocked_until=until, last_at=now))
        return until

    def clear_throttle(self, client: str | None = None, *, name: str | None = None, actor: str = "") -> int:
        """Forget the failed sign-ins (and lift the block) of one client address, of one sign-in name (an
        account's lock too: ``unlock``), or of every client and name when neither is given; audited
        (``throttle_cleared``). How many throttle entries went."""
        with self._write() as conn:
            q = login_throttle.delete()
            detail: dict[str, Any] = {"client": None, "username": None}
            province = None
            if client is not None:
                q = q.where(login_throttle.c.key == client_key(client))
                detail["client"] = client_key(client)[7:]
            elif name is not None:
                name = name.strip()
                row = self._row(conn, name)
                if row is not None:
                    conn.execute(users.update().where(users.c.id == row.id)
                                 .values(failed_attempts=0, locked_until=None))
                    province = row.province
                q = q.where(login_throttle.c.key == "name:" + name[:100])
                detail["username"] = name[:100]
            cleared = conn.execute(q).rowcount
            self._audit(conn, actor, "throttle_cleared", province, {**detail, "cleared": int(cleared)})
            return int(cleared)

    def verify(self, username: str, password: str, now: dt.datetime | None = None,
               client: str | None = None) -> LoginResult:
        """Check a login: ok (and the failure counts reset), invalid, or locked (password not checked).

        Each attempt is counted in the database *before* the password is checked, in a write
        transaction that holds the rows (BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL): once
        ``max_failures()`` attempts are counted, further ones, parallel or not, are refused without
        a check, so 16 simultaneous guesses cannot all be tried. Every failure is audited.

        ``client`` is the address the attempt came from (the app passes it; None means no client is
        known, as for the CLI and store-level callers, and only the account's count applies). With a
        client, failures are counted per client too: a client that fails ``max_failures()`` times is
        refused for ``lock_minutes()``, then twice as long after each further block (back-off). A
        locked account stays open to a client that has not failed (the real user's office), so an
        outsider hammering the admin's name locks out only the outsider; the right password from such
        a client lifts the account's lock. An unknown name is counted like an account (``name:`` key),
        so the n-th answer for an unknown name is the same as for a known one.
        """
        now = now or _utcnow()
        name = (username or "").strip()
        limit = max_failures()
        ckey = client_key(client) if client is not None else None
        with self.engine.connect() as conn:
            row = self._row(conn, name)
        known = row is not None and not row.disabled
        user, refused = self._admit_attempt(name, row, known, ckey, now, limit)
        if refused is not None:
            return refused
        # The hash is checked outside the write transaction: other writers never wait for bcrypt.
        if known and password_matches(password, row.password_hash):
            self._login_succeeded(row.id, ckey)
            return LoginResult("ok", user=user.principal())  # type: ignore[union-attr]
        if not known:
            _burn_time(password)  # an unknown name answers as slowly as a known one
        return self._login_failed(name, row, user, known, ckey, now, limit)

    def _admit_attempt(self, name: str, row: Any, known: bool, ckey: str | None, now: dt.datetime,
                       limit: int) -> tuple["User | None", LoginResult | None]:
        """Count the attempt before any password check; (the account, None) to go on checking, or
        (None, the refusal) when the client, the account or the unknown name is blocked or out of tries."""
        user: User | None = None
        with self._write() as conn:
            clean = True
            if ckey is not None:
                crow = self._throttle_row(conn, ckey)
                if crow is not None and _utc(crow.blocked_until) is not None and _utc(crow.blocked_until) > now:
                    self._audit(conn, name[:100], "login_failed", row.province if known else None,
                                {"username": name[:100], "reason": "client_blocked", "client": ckey[7:]})
                    return None, LoginResult("locked", locked_until=_utc(crow.blocked_until))
                clean = crow is None or int(crow.failures or 0) == 0
                self._count_attempt(conn, ckey, crow, now)
            strict = ckey is None or not clean  # the account's lock holds against this attempt
            if known:
                current = conn.execute(sa.select(users).where(users.c.id == row.id).with_for_update()).first()
                user = _user(current)
                if strict and user.locked(now):
                    self._audit(conn, name, "login_failed", user.province, {"username": name, "reason": "locked"})
                    return None, LoginResult("locked", locked_until=user.locked_until)
                if strict and current.failed_attempts >= limit:  # the tries are used up by attempts in flight
                    self._audit(conn, name, "login_failed", user.province, {"username": name, "reason": "in_flight"})
                    return None, LoginResult("locked", locked_until=now + dt.timedelta(minutes=lock_minutes()))
                conn.execute(users.update().where(users.c.id == row.id)
                             .values(failed_attempts=users.c.failed_attempts + 1))
            else:
                nkey = "name:" + name[:100]
                nrow = self._throttle_row(conn, nkey)
                blocked = _utc(nrow.blocked_until) if nrow is not None else None
                if strict and blocked is not None and blocked > now:
                    self._audit(conn, name[:100], "login_failed", None, {"username": name[:100], "reason": "locked"})
                    return None, LoginResult("locked", locked_until=blocked)
                if strict and nrow is not None and nrow.failures >= limit:
                    self._audit(conn, name[:100], "login_failed", None, {"username": name[:100], "reason": "in_flight"})
                    return None, LoginResult("locked", locked_until=now + dt.timedelta(minutes=lock_minutes()))
                self._count_attempt(conn, nkey, nrow, now)
        return user, None

    def _login_succeeded(self, user_id: int, ckey: str | None) -> None:
        """The right password: the account's and the client's failure counts start again."""
        with self._write() as conn:
            conn.execute(users.update().where(users.c.id == user_id).values(failed_attempts=0, locked_until=None))
            if ckey is not None:
                conn.execute(login_throttle.update().where(login_throttle.c.key == ckey)
                             .values(failures=0, strikes=0, blocked_until=None))

    def _login_failed(self, name: str, row: Any, user: "User | None", known: bool, ckey: str | None,
                      now: dt.datetime, limit: int) -> LoginResult:
        """A wrong password (or an unknown name): audited, counted, and a lock once the tries are used up."""
        with self._write() as conn:
            province = user.province if user else None
            self._audit(conn, name[:100], "login_failed", province, {"username": name[:100], "reason": "invalid"})
            untils = []
            if ckey is not None:
                untils.append(self._throttle_failed(conn, ckey, now, limit))
            if known:
                failures = conn.execute(sa.select(users.c.failed_attempts).where(users.c.id == row.id)
                                        .with_for_update()).scalar_one()
                if failures >= limit:
                    until = now + dt.timedelta(minutes=lock_minutes())
                    # The count starts again, so after the lock the user has the full number of tries.
                    conn.execute(users.update().where(users.c.id == row.id)
                                 .values(failed_attempts=0, locked_until=until))
                    self._audit(conn, user.username, "user_locked", user.province,  # type: ignore[union-attr]
                                {"username": name, "failures": int(failures), "until": until.isoformat()})
                    untils.append(until)
            else:
                # Same count, same lock as an account (but no back-off: an account's lock has none either).
                nkey = "name:" + name[:100]
                nrow = conn.execute(sa.select(login_throttle).where(login_throttle.c.key == nkey)).first()
                if nrow is not None and nrow.failures >= limit:
                    until = now + dt.timedelta(minutes=lock_minutes())
                    conn.execute(login_throttle.update().where(login_throttle.c.key == nkey)
                                 .values(failures=0, blocked_until=until))
                    untils.append(until)
        untils = [u for u in untils if u is not None]
        if untils:
            return LoginResult("locked", locked_until=max(untils))
        return LoginResult("invalid")

    # -- server-side sessions
    def open_session(self, username: str, *, client: str = "", now: dt.datetime | None = None) -> str:
        """Start a session for ``username``: a random id for the cookie (the store keeps only its SHA-256)."""
        now = now or _utcnow()
        session_id = secrets.token_urlsafe(32)
        with self._write() as conn:
            row = self._row(conn, username)
            if row is None:
                raise AuthError("auth_no_such_user", username=username)
            # Housekeeping on each sign-in: sessions over for a day and stale throttle counts go.
            conn.execute(sessions.delete().where(sessions.c.expires_at < now - dt.timedelta(days=1)))
            conn.execute(login_throttle.delete().where(
                login_throttle.c.last_at < now - dt.timedelta(days=1),
                sa.or_(login_throttle.c.blocked_until.is_(None), login_throttle.c.blocked_until < now)))
            conn.execute(sessions.insert().values(id_hash=session_digest(session_id), user_id=row.id,
                                                  client=(client or "")[:100], created_at=now,
                                                  expires_at=now + dt.timedelta(seconds=session_seconds()),
                                                  ended_at=None))
        return session_id

    def session_user(self, session_id: str, now: dt.datetime | None = None) -> Principal | None:
        """The user a session id signs in, or None when it is unknown, ended, expired, or its account is
        removed or disabled. (A lock-out does not end a session: a stranger's guesses must not sign the
        real user out.)"""
        if not session_id or not isinstance(session_id, str) or len(session_id) > 200:
            return None
        now = now or _utcnow()
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(sessions.c.expires_at, sessions.c.ended_at, users)
                                 .join(users, users.c.id == sessions.c.user_id)
                                 .where(sessions.c.id_hash == session_digest(session_id))).first()
        if found is None or found.ended_at is not None or _utc(found.expires_at) <= now or found.disabled:
            return None
        return _user(found).principal()

    def end_session(self, session_id: str, now: dt.datetime | None = None) -> None:
        """Sign one session out (logout): its id is refused from now on, wherever it was copied to."""
        if not session_id:
            return
        with self._write() as conn:
            conn.execute(sessions.update().where(sessions.c.id_hash == session_digest(session_id),
                                                 sessions.c.ended_at.is_(None))
                         .values(ended_at=now or _utcnow()))

    def end_sessions(self, username: str, now: dt.datetime | None = None, *, actor: str = "") -> int:
        """Sign every session of ``username`` out (audited as ``user_logout``); how many were open."""
        with self._write() as conn:
            row = self._row(conn, username)
            if row is None:
                raise AuthError("auth_no_such_user", username=username)
            ended = self._end_user_sessions(conn, row.id, now or _utcnow())
            self._audit(conn, actor, "user_logout", row.province, {"username": username, "sessions": int(ended)})
            return int(ended)

    @staticmethod
    def _end_user_sessions(conn: Connection, user_id: int, now: dt.datetime) -> int:
        return conn.execute(sessions.update().where(sessions.c.user_id == user_id, sessions.c.ended_at.is_(None))
                            .values(ended_at=now)).rowcount

    def open_sessions(self, username: str, now: dt.datetime | None = None) -> int:
        """How many sessions of ``username`` are open at ``now``."""
        now = now or _utcnow()
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(sessions).join(users)
                                .where(users.c.username == username, sessions.c.ended_at.is_(None),
                                       sessions.c.expires_at > now)).scalar_one()


def session_digest(session_id: str) -> str:
    """What the store keeps of a session id: its SHA-256 (hex)."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def client_key(client: str | None) -> str:
    """The throttling key of a client address ("client:unknown" when none is known)."""
    return "client:" + ((client or "").strip()[:64] or "unknown")


def client_address(forwarded_for: str | None, socket_ip: str | None) -> str:
    """The address a request came from: behind the proxy (the app sees a loopback peer, which Streamlit
    reports as no address) the last X-Forwarded-For entry, the one nginx itself appended
    ($proxy_add_x_forwarded_for) -- earlier entries are whatever the client claimed; else the socket's."""
    if socket_ip:
        return socket_ip.strip()
    parts = [p.strip() for p in (forwarded_for or "").split(",") if p.strip()]
    return parts[-1] if parts else ""


__all__ = ["Accounts", "AuthError", "LoginResult", "Principal", "User", "account_scope", "checked_secret",
           "client_address", "client_key", "hash_password", "lock_minutes", "max_failures", "password_matches", "session_seconds"]
