"""Where the tracker's settings come from: environment variables with documented defaults.

Each setting has a name, a default and a one-line help text (``SETTINGS``); read them with
``setting(name)`` or the typed helpers below. Other parts of the package (ingest limits, the app,
accounts) read their settings here so that one table documents them all.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB_PATH = REPO_ROOT / "data" / "tracker.sqlite"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("DATABASE_URL", f"sqlite:///{DEFAULT_DB_PATH}",
            "SQLAlchemy URL of the store: a SQLite file (default; scripts/setup.sh creates its data/ folder) or "
            "postgresql+psycopg://user:password@host/db for shared deployments"),
    Setting("TRACKER_MAX_UPLOAD_MB", "50", "largest accepted upload, in megabytes"),
    Setting("TRACKER_AUTH", "off", "on: login with the tracker's own accounts and province-scoped writes (shared "
            "deployments); oidc: sign-in through an OIDC provider with Streamlit's st.login, roles from the "
            "same accounts table; off: no login"),
    Setting("TRACKER_SECRET", "", "secret that signs login session cookies (required when TRACKER_AUTH is on; "
            "or auth.secret in .streamlit/secrets.toml); at least 32 characters"),
    Setting("TRACKER_LOGIN_MAX_FAILURES", "5", "failed logins in a row that lock an account"),
    Setting("TRACKER_LOGIN_LOCK_MINUTES", "15", "minutes a locked account stays locked"),
    Setting("TRACKER_SESSION_HOURS", "12", "hours a login stays valid (across page reloads)"),
    Setting("TRACKER_MAX_ROWS", "200000", "rows a workbook's sheets may declare in all, checked before reading"),
    Setting("TRACKER_PARSE_WORKERS", "2", "uploads parsed at the same time, each in its own worker process"),
    Setting("TRACKER_PARSE_SECONDS", "120", "seconds a worker may take to read one file before it is stopped"),
    Setting("TRACKER_PARSE_MEMORY_MB", "768", "memory a parse worker may add while reading one file, in megabytes "
            "(RLIMIT_AS set to the worker's size at start plus this)"),
    Setting("TRACKER_DB_BUSY_TIMEOUT_S", "60",
            "seconds a SQLite writer waits for another writer before giving up"),
    Setting("TRACKER_TIMEZONE", "Asia/Shanghai", "IANA time zone every page and report shows times in "
            "(Beijing time by default)"),
    Setting("TRACKER_SAMPLE_DATA", "on", "on: an empty, never-used store is filled with the sample workbooks "
            "(marked 示例数据) at first start; off/false/0/no: it stays empty"),
]}


def samples_enabled() -> bool:
    """Whether an empty, never-used store is filled with the sample workbooks (``TRACKER_SAMPLE_DATA``)."""
    return setting("TRACKER_SAMPLE_DATA").lower() not in {"off", "false", "0", "no"}


def setting(name: str) -> str:
    """The value of a setting: the environment variable when set and not empty, else its default."""
    value = os.environ.get(name, "").strip()
    return value or SETTINGS[name].default


def database_url(url: str | None = None) -> str:
    """The store's URL: ``url`` when given, else ``DATABASE_URL``, else the SQLite file under data/."""
    return (url or "").strip() or setting("DATABASE_URL")


def max_upload_bytes() -> int:
    """The upload size limit in bytes (``TRACKER_MAX_UPLOAD_MB``, 50 by default)."""
    try:
        mb = float(setting("TRACKER_MAX_UPLOAD_MB"))
    except ValueError:
        mb = float(SETTINGS["TRACKER_MAX_UPLOAD_MB"].default)
    return int(mb * 2**20)


def auth_mode(value: str | None = None) -> str:
    """How users sign in: ``off``, ``local`` (``TRACKER_AUTH`` = on/true/1/yes) or ``oidc``."""
    value = (setting("TRACKER_AUTH") if value is None else value).strip().lower()
    if value == "oidc":
        return "oidc"
    return "local" if value in {"on", "true", "1", "yes", "local"} else "off"


def busy_timeout_seconds() -> float:
    """How long a SQLite writer waits for the write lock (``TRACKER_DB_BUSY_TIMEOUT_S``)."""
    try:
        return float(setting("TRACKER_DB_BUSY_TIMEOUT_S"))
    except ValueError:
        return float(SETTINGS["TRACKER_DB_BUSY_TIMEOUT_S"].default)
