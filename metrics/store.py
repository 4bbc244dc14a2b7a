"""The store of submissions: every accepted upload with its original file, report and rows.

SQLite (a file, WAL mode) by default, PostgreSQL for shared deployments, both through SQLAlchemy 2
Core. The schema is created and upgraded by the Alembic migrations in ``metrics/migrations`` when a
``Store`` opens. Every write is one transaction: SQLite writers take the write lock at ``BEGIN
IMMEDIATE`` and queue behind each other (busy timeout); PostgreSQL writers take a transaction-scoped
advisory lock per province, so concurrent uploads of one province are applied one after another.

States: the newest upload for a province and as-of date is ``current`` and the ones it replaced are
``superseded`` (kept in history); ``deleted`` is a soft delete that ``restore`` undoes.
``dataset()`` returns, for each province, the rows of its current submission with the latest as-of
date (then the latest upload).
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import re
import zipfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from . import schema
from .access import Principal, actor_name, check_can_manage, check_can_write
from .clean_text import clean_cell
from .errors import TrackerError
from .model import FRAMES, Dataset, IngestResult, Problem, conform, empty_frame
from .schema import ROW_TABLES, audit_log, originals, snapshots, submissions, upload_snapshots, users
from .settings import busy_timeout_seconds, database_url
from .store_guard import FileIdentity, StoreFileError, check_sqlite_file, opening_lock, sqlite_path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BACKUP_FORMAT = 1
_LOCK_NAMESPACE = 0x7E57  # first key of every advisory lock this store takes (PostgreSQL)
_GLOBAL_LOCK = "*"        # the lock name of writes that touch every province (migrations, backup import)
_INSERT_CHUNK = 5000      # rows per executemany: bounded memory, same speed
PART = "_part"            # the column of an upload snapshot naming the province (submission) of each row

# Columns compared by diff() for each frame, and the columns naming one row.
DIFF_KEYS = {
    "items": ["province", "metric", "key"],
    "totals": ["province", "metric", "as_of"],
    "targets": ["province", "metric", "deadline"],
    "assessments": ["province", "goal"],
    "tasks": ["province", "task"],
}
_NOT_COMPARED = {"source", "sheet", "row"}


class StoreError(TrackerError):
    """A storage problem to show the user (a code and its values, texts in errors.yaml), never a traceback."""

    text_prefix = "error_"


@dataclass
class SaveOutcome:
    """What ``save_submission`` did with one file.

    ``reason``: "" (stored), "duplicate" (every part already stored: nothing new), "unreadable",
    "strict" (rows invalid and strict mode: nothing stored) or "empty" (no province, no rows).
    A workbook holding several provinces is stored as one submission per province
    (``submission_ids``); ``submission_id`` is the first of them, or the duplicate found.
    """

    submission_id: int | None = None
    created: bool = False
    duplicate_of: int | None = None
    superseded: list[int] = field(default_factory=list)
    submission_ids: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- migrations ------------------------------------------------------------------------------
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]([^'\"]+)['\"]\s*$", re.M)


@functools.lru_cache(maxsize=1)
def migration_head() -> str | None:
    """The newest revision of ``metrics/migrations/versions`` read from the files' ``revision`` and
    ``down_revision`` lines (no Alembic import); None unless exactly one head is found."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None  # a file this reader does not understand: let Alembic decide
        revisions.add(found["revision"])
        if "down_revision" in found:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


# ---- engine ----------------------------------------------------------------------------------
def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder, WAL mode, a busy timeout and
    ``BEGIN IMMEDIATE`` for connections marked ``write`` (so writers queue instead of failing)."""
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return sa.create_engine(sa_url, pool_pre_ping=True)
    if sa_url.database and sa_url.database != ":memory:":
        Path(sa_url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    timeout = busy_timeout_seconds()
    engine = sa.create_engine(sa_url, connect_args={"timeout": timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite would defer it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")  # durable in WAL mode across process crashes
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC datetime (SQLite hands times back without their zone)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _as_date(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# ---- frames <-> rows ---------------------------------------------------------------------------
def frame_values(df: pd.DataFrame, kind: str, iso_dates: bool = False, *, conformed: bool = False) -> list[tuple]:
    """The rows of a frame as tuples in the schema's column order, ready for executemany
    (missing values as None; dates as dates, or as ISO text where the database stores text).
    ``conformed``: the frame already has the schema (the caller conformed it once)."""
    if not conformed:
        df = conform(df, kind)
    columns: list[list[Any]] = []
    for name, dtype in FRAMES[kind].items():
        s = df[name]
        if dtype.startswith("datetime64"):
            s = s.dt.strftime("%Y-%m-%d") if iso_dates else s.dt.date
        # One conversion per column, missing values straight to None (Python ints, floats, text, dates).
        columns.append(s.to_numpy(dtype=object, na_value=None).tolist())
    return list(zip(*columns))


def frame_parquet(df: pd.DataFrame, kind: str) -> bytes:
    """A frame of ``kind`` as Parquet bytes (the snapshot kept beside the row tables)."""
    buf = io.BytesIO()
    conform(df, kind).to_parquet(buf, index=False)
    return buf.getvalue()


def rows_frame(rows: list[Any], kind: str) -> pd.DataFrame:
    """Rows read from a row table (the frame's columns, in order) as a conformed frame."""
    if not rows:
        return empty_frame(kind)
    return conform(pd.DataFrame(rows, columns=list(FRAMES[kind])), kind)


@dataclass
class FileParts:
    """One read file's rows conformed once per frame and sorted (stably) by the province of the
    submission each row belongs to, with where each province's rows start and end."""

    provinces: list[str]
    frames: dict[str, pd.DataFrame]             # kind -> conformed rows, grouped by province
    parts: dict[str, np.ndarray]                # kind -> the province of each row (sorted)
    bounds: dict[str, dict[str, slice]]         # kind -> province -> its rows in frames[kind]

    def rows(self, kind: str, province: str) -> pd.DataFrame:
        """The rows of ``kind`` of one province (a view of the sorted frame)."""
        where = self.bounds.get(kind, {}).get(province)
        if where is None:
            return empty_frame(kind)
        return self.frames[kind].iloc[where]


def _group_by_part(df: pd.DataFrame, part: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, dict[str, slice]]:
    """``df`` and ``part`` stably sorted by part, and each part's slice of rows."""
    order = np.argsort(part, kind="stable")
    if (order != np.arange(len(order))).any():
        df, part = df.take(order).reset_index(drop=True), part[order]
    names, starts = np.unique(part, return_index=True)
    ends = [*starts[1:], len(part)]
    return df, part, {str(n): slice(int(a), int(b)) for n, a, b in zip(names, starts, ends)}


def file_parts(result: IngestResult) -> FileParts:
    """The file's rows per province (rows without one belong to the file's province), each frame
    conformed once: the store writes one snapshot per frame and slices the row-table inserts from it."""
    fallback = result.province or ""
    frames, parts, bounds, names = {}, {}, {}, set()
    for kind in FRAMES:
        df = getattr(result, kind)
        if not len(df):
            continue
        df = conform(df, kind)
        part = df["province"].fillna(fallback).replace("", fallback).to_numpy(dtype=object)
        frames[kind], parts[kind], bounds[kind] = _group_by_part(df, part)
        names.update(bounds[kind])
    if not names and result.province:
        names.add(result.province)
    return FileParts(sorted(names), frames, parts, bounds)


def part_snapshot(df: pd.DataFrame, part: np.ndarray) -> bytes:
    """Rows grouped by part (``_group_by_part``) with the ``_part`` column, as one uncompressed Arrow
    IPC stream: read back without decoding (LZ4 cost 0.1-0.4 s per national frame to decompress at 10×,
    Parquet its decoder and the pyarrow.dataset import), for ~3× the bytes of LZ4."""
    table = pa.Table.from_pandas(df.assign(**{PART: pd.array(part, dtype="string")}), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def read_part_snapshot(content: bytes) -> pa.Table:
    """An upload snapshot written by ``part_snapshot`` (or, as first written on this branch, Parquet)."""
    if content[:4] == b"PAR1":
        return pq.read_table(io.BytesIO(content))
    with pa.ipc.open_stream(pa.py_buffer(content)) as reader:
        return reader.read_all()


def split_by_province(result: IngestResult) -> dict[str, dict[str, pd.DataFrame]]:
    """The file's frames per province (rows without one belong to the file's province)."""
    parts: dict[str, dict[str, pd.DataFrame]] = {}
    fallback = result.province or ""
    for kind in FRAMES:
        df = getattr(result, kind)
        if not len(df):
            continue
        prov = df["province"].astype("string").fillna(fallback).replace("", fallback)
        for name, part in df.groupby(prov.to_numpy(), sort=True):
            parts.setdefault(str(name), {})[kind] = part
    if not parts and result.province:
        parts[result.province] = {}
    return parts


def part_as_of(result: IngestResult, frames: dict[str, pd.DataFrame], today: dt.date) -> dt.date:
    """The as-of date of one province's part: the file's, else its latest total's, else today."""
    if result.as_of:
        return _as_date(result.as_of)  # type: ignore[return-value]
    totals = frames.get("totals")
    if totals is not None and len(totals) and totals["as_of"].notna().any():
        return pd.Timestamp(totals["as_of"].max()).date()
    return today


def report_of(result: IngestResult) -> dict[str, Any]:
    """The validation report kept with a submission (JSON-ready)."""
    return {
        "file": result.file,
        "readable": bool(result.readable),
        "province": result.province,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "contact": result.contact,
        "exit_code": result.exit_code,
        "problems": [json.loads(json.dumps(p.to_dict(), ensure_ascii=False, default=str)) for p in result.problems],
        "sheets": {name: c.to_dict() for name, c in result.sheets.items()},
    }


def _json_value(value: Any) -> Any:
    """A frame cell as a JSON value: missing → None, dates → ISO text, numpy scalars → Python."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def frame_diff(old: pd.DataFrame, new: pd.DataFrame, kind: str) -> dict[str, list[dict[str, Any]]]:
    """Rows added, removed and changed between two frames of ``kind``, matched by DIFF_KEYS."""
    keys = DIFF_KEYS[kind]
    fields = [c for c in FRAMES[kind] if c not in keys and c not in _NOT_COMPARED]

    def records(df: pd.DataFrame) -> dict[tuple, dict[str, Any]]:
        out: dict[tuple, dict[str, Any]] = {}
        for rec in df.to_dict("records"):
            rec = {k: _json_value(v) for k, v in rec.items()}
            out.setdefault(tuple(rec[k] for k in keys), rec)  # first copy wins, as in counting
        return out

    a, b = records(old), records(new)
    added = [b[k] for k in b if k not in a]
    removed = [a[k] for k in a if k not in b]
    changed = []
    for k in a.keys() & b.keys():
        changes = {f: [a[k][f], b[k][f]] for f in fields if a[k][f] != b[k][f]}
        if changes:
            named = {"name": b[k]["name"]} if kind == "items" else {}  # the preview names the changed item
            changed.append({**{key: b[k][key] for key in keys}, **named, "changes": changes})
    order = lambda r: tuple("" if r[k] is None else str(r[k]) for k in keys)  # noqa: E731
    return {"added": sorted(added, key=order), "removed": sorted(removed, key=order),
            "changed": sorted(changed, key=order)}


# ---- the store ---------------------------------------------------------------------------------
class Store:
    """Submissions, their rows and their history in one database (see the module docstring)."""

    def __init__(self, url: str | None = None, *, migrate: bool = True, create: bool = True):
        """Open (and migrate) the store at ``url``; ``create=False`` (the app) refuses a missing data folder."""
        self.url = database_url(url)
        self._file: FileIdentity | None = None
        try:
            path = sqlite_path(self.url)
            with opening_lock(path, create):
                if path is not None:
                    check_sqlite_file(path, create)
                self.engine = make_engine(self.url)
                self.dialect = self.engine.dialect.name
                if migrate:
                    self.migrate()
            if path is not None:
                self._file = FileIdentity.of(path)
        except StoreFileError as exc:
            raise StoreError(exc.code, **exc.params) from exc
        except StoreError:
            raise
        except (sa.exc.SQLAlchemyError, OSError, ValueError, ImportError) as exc:
            raise StoreError("store_unavailable", url=self.safe_url(), kind=type(exc).__name__,
                             error=(str(exc).splitlines() or [""])[0]) from exc
        self._cache: tuple[Any, Dataset] | None = None

    def safe_url(self) -> str:
        """The URL with any password hidden (for messages and logs)."""
        try:
            return sa.make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - an unparsable URL is shown as the user gave it
            return self.url

    def __repr__(self) -> str:
        return f"Store({self.safe_url()!r})"

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- transactions and locks
    @contextmanager
    def _write(self, *provinces: str) -> Iterator[Connection]:
        """One write transaction holding the write lock for ``provinces``; commits or rolls back whole."""
        with self.engine.connect().execution_options(write=True) as conn:
            with conn.begin():
                self._lock(conn, provinces)
                yield conn
        self._cache = None
        self.check_durable()

    def check_durable(self) -> None:
        """StoreError when the SQLite file was deleted or replaced since it was opened (a commit into it is lost)."""
        if self._file is not None:
            try:
                self._file.check_still_there()
            except StoreFileError as exc:
                raise StoreError(exc.code, **exc.params) from exc

    def _lock(self, conn: Connection, provinces: tuple[str, ...] | list[str]) -> None:
        if self.dialect != "postgresql":
            return  # SQLite: BEGIN IMMEDIATE already holds the database's single write lock
        # Sorted, so two writers locking several provinces cannot deadlock.
        for name in sorted(set(provinces)):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:ns, hashtext(:name))"),
                         {"ns": _LOCK_NAMESPACE, "name": name})

    def at_head(self) -> bool:
        """Whether the schema is at the newest migration, read without importing Alembic (whose import
        was ~0.5-1 s of a new process's ``status``): the ``alembic_version`` row against the one head of
        the migration files. False when unsure (no table, several heads): ``migrate`` then asks Alembic."""
        head = migration_head()
        if head is None:
            return False
        path = sqlite_path(self.url)
        if path is not None and (not path.exists() or path.stat().st_size == 0):
            # A new SQLite file: connecting would create it empty, and other processes opening it at the
            # same moment refuse an empty file (store_guard); Alembic creates and fills it under the lock.
            return False
        try:
            with self.engine.connect() as conn:
                versions = list(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
        except sa.exc.SQLAlchemyError:
            return False
        return versions == [head]

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration (one writer at a time)."""
        if self.at_head():
            return
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with self.engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        with self._write(_GLOBAL_LOCK) as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    # -- writing
    def save_submission(self, result: IngestResult, content: bytes, filename: str, uploader: str = "", *,
                        actor: str | None = None, sample: bool = False, strict: bool = False,
                        user: Principal | None = None) -> SaveOutcome:
        """Store the valid rows of one read file with its original bytes and report.

        Nothing is stored for an unreadable file, or in strict mode when any row is invalid; the same
        bytes for the same province again store nothing new (``duplicate_of``). With ``user`` (accounts
        on), ``access.AccessDenied`` is raised before anything is stored unless the user may write every
        province any row names; the audit log then records the user's name.
        """
        if not result.readable:
            return SaveOutcome(reason="unreadable")
        if strict and result.errors:
            return SaveOutcome(reason="strict")
        parts = file_parts(result)
        if user is not None:
            check_can_write(user, set(parts.provinces) | set(result.provinces()), "upload")
            actor, uploader = user.username, uploader or user.username
        if not parts.provinces:
            return SaveOutcome(reason="empty")
        sha = hashlib.sha256(content).hexdigest()
        report = report_of(result)
        today = _utcnow().date()
        # Build the rows before taking the lock, so other writers wait only for the inserts: every frame
        # conformed once, its rows turned into tuples once and sliced per province, one snapshot per frame.
        values = {kind: self._row_values(df, kind, conformed=True) for kind, df in parts.frames.items()}
        snapshot = {kind: part_snapshot(df, parts.parts[kind]) for kind, df in parts.frames.items()}
        prepared = {prov: (part_as_of(result, {"totals": parts.rows("totals", prov)}, today),
                           {kind: values[kind][b[prov]] for kind, b in parts.bounds.items() if prov in b})
                    for prov in parts.provinces}
        out = SaveOutcome(provinces=sorted(prepared))
        with self._write(*prepared) as conn:
            conn.execute(self._insert_ignore(originals), {"sha256": sha, "size": len(content), "content": content})
            now = _utcnow()
            snapshot_id = None
            for prov in sorted(prepared):
                as_of, rows = prepared[prov]
                dup = conn.execute(sa.select(submissions.c.id).where(
                    submissions.c.province == prov, submissions.c.sha256 == sha,
                    submissions.c.state != "deleted").order_by(submissions.c.id).limit(1)).scalar()
                if dup is not None:
                    out.duplicates.append(dup)
                    continue
                if snapshot_id is None:  # written once, with the first province that is not a duplicate
                    snapshot_id = conn.execute(upload_snapshots.insert().values(**snapshot)).inserted_primary_key[0]
                sub_id, older = self._insert_submission(
                    conn, prov, as_of, rows, snapshot_id, now,
                    dict(uploader=uploader or "", filename=filename, sha256=sha, sample=sample, report=report),
                    actor if actor is not None else uploader)
                out.submission_ids.append(sub_id)
                out.superseded.extend(older)
        out.created = bool(out.submission_ids)
        out.submission_id = (out.submission_ids or out.duplicates or [None])[0]
        if not out.created:
            out.duplicate_of = out.duplicates[0]
            out.reason = "duplicate"
        return out

    def _insert_submission(self, conn: Connection, prov: str, as_of: dt.date, rows: dict[str, list[tuple]],
                           snapshot_id: int, now: dt.datetime, fields: dict[str, Any],
                           actor: str) -> tuple[int, list[int]]:
        """One province's submission of a file: its record, its rows, the current ones of the same as-of date
        superseded, and the audit entry; (its id, the ids it superseded)."""
        counts = {kind: len(rows.get(kind, [])) for kind in FRAMES}
        sub_id = conn.execute(submissions.insert().values(
            province=prov, as_of=as_of, uploaded_at=now, state="current", counts=counts, snapshot_id=snapshot_id,
            **fields)).inserted_primary_key[0]
        older = list(conn.execute(sa.select(submissions.c.id).where(
            submissions.c.province == prov, submissions.c.as_of == as_of,
            submissions.c.state == "current", submissions.c.id != sub_id)).scalars())
        if older:
            conn.execute(submissions.update().where(submissions.c.id.in_(older))
                         .values(state="superseded", replaced_by=sub_id))
        for kind, kind_rows in rows.items():
            self._insert_rows(conn, kind, sub_id, kind_rows)
        self._audit(conn, actor, "upload", sub_id, prov, fields["sha256"],
                    {"filename": fields["filename"], "as_of": as_of.isoformat(), "superseded": older,
                     "counts": counts, "sample": fields["sample"]})
        return sub_id, older

    def _row_values(self, df: pd.DataFrame, kind: str, conformed: bool = False) -> list[tuple]:
        return frame_values(df, kind, iso_dates=self.dialect == "sqlite", conformed=conformed)

    def _insert_rows(self, conn: Connection, kind: str, submission_id: int, values: list[tuple]) -> None:
        """Insert many rows of one submission through the driver's executemany (the fast path)."""
        if not values:
            return
        quote = self.engine.dialect.identifier_preparer.quote
        names = ["submission_id", *FRAMES[kind]]
        mark = "?" if self.dialect == "sqlite" else "%s"
        sql = (f"INSERT INTO {quote(kind)} ({', '.join(quote(n) for n in names)}) "
               f"VALUES ({', '.join([mark] * len(names))})")
        for start in range(0, len(values), _INSERT_CHUNK):
            conn.exec_driver_sql(sql, [(submission_id, *v) for v in values[start:start + _INSERT_CHUNK]])

    def _insert_ignore(self, table: sa.Table):  # noqa: ANN202 - dialect-specific Insert
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table).on_conflict_do_nothing()

    def _audit(self, conn: Connection, actor: str | None, action: str, submission_id: int | None,
               province: str | None, sha: str | None, detail: dict[str, Any] | None = None) -> None:
        conn.execute(audit_log.insert().values(at=_utcnow(), actor=actor or "", action=action,
                                               submission_id=submission_id, province=province, sha256=sha,
                                               detail=detail or {}))

    def _submission_row(self, conn: Connection, submission_id: int) -> Any:
        row = conn.execute(sa.select(submissions).where(submissions.c.id == submission_id)).first()
        if row is None:
            raise StoreError("store_unknown_submission", id=submission_id)
        return row

    def _province_of(self, submission_id: int) -> str:
        with self.engine.connect() as conn:
            return self._submission_row(conn, submission_id).province

    def _make_current(self, conn: Connection, sub: Any) -> list[int]:
        """Make ``sub`` the current submission of its province and as-of date unless a later upload
        already is (then ``sub`` is superseded by it); returns the ids it superseded."""
        other = conn.execute(sa.select(submissions.c.id).where(
            submissions.c.province == sub.province, submissions.c.as_of == sub.as_of,
            submissions.c.state == "current", submissions.c.id != sub.id)).scalars().all()
        later = [i for i in other if i > sub.id]
        if later:
            conn.execute(submissions.update().where(submissions.c.id == sub.id)
                         .values(state="superseded", replaced_by=max(later), deleted_from=None))
            return []
        if other:
            conn.execute(submissions.update().where(submissions.c.id.in_(other))
                         .values(state="superseded", replaced_by=sub.id))
        conn.execute(submissions.update().where(submissions.c.id == sub.id)
                     .values(state="current", replaced_by=None, deleted_from=None))
        return list(other)

    def rollback(self, submission_id: int, actor: str | None = None, *,
                 user: Principal | None = None) -> dict[str, Any]:
        """Make an earlier submission the one used for its province again (recorded in the audit log).

        Every current submission of the province with the same or a later as-of date is superseded by it.
        """
        province = self._province_of(submission_id)
        check_can_write(user, [province], "rollback")  # accounts on: only the province's editors and admins
        actor = actor_name(user, actor or "")
        with self._write(province) as conn:
            sub = self._submission_row(conn, submission_id)
            if sub.state == "deleted":
                raise StoreError("store_rollback_deleted", id=submission_id)
            newer = list(conn.execute(sa.select(submissions.c.id).where(
                submissions.c.province == sub.province, submissions.c.as_of >= sub.as_of,
                submissions.c.state == "current", submissions.c.id != sub.id)).scalars())
            if newer:
                conn.execute(submissions.update().where(submissions.c.id.in_(newer))
                             .values(state="superseded", replaced_by=sub.id))
            conn.execute(submissions.update().where(submissions.c.id == sub.id)
                         .values(state="current", replaced_by=None))
            self._audit(conn, actor, "rollback", sub.id, sub.province, sub.sha256,
                        {"superseded": newer, "previous_state": sub.state})
        return {"submission_id": submission_id, "province": province, "superseded": newer}

    def delete(self, submission_id: int, actor: str | None = None, *,
               user: Principal | None = None) -> dict[str, Any]:
        """Soft-delete a submission (``restore`` undoes it); what it had replaced is used again."""
        province = self._province_of(submission_id)
        check_can_write(user, [province], "delete")  # accounts on: only the province's editors and admins
        actor = actor_name(user, actor or "")
        revived: list[int] = []
        with self._write(province) as conn:
            sub = self._submission_row(conn, submission_id)
            if sub.state == "deleted":
                return {"submission_id": submission_id, "province": province, "revived": [], "changed": False}
            conn.execute(submissions.update().where(submissions.c.id == sub.id)
                         .values(state="deleted", deleted_from=sub.state))
            if sub.state == "current":
                replaced = conn.execute(sa.select(submissions).where(
                    submissions.c.replaced_by == sub.id, submissions.c.state == "superseded")
                    .order_by(submissions.c.id)).all()
                for old in replaced:
                    self._make_current(conn, old)
                    revived.append(old.id)
            self._audit(conn, actor, "delete", sub.id, sub.province, sub.sha256,
                        {"previous_state": sub.state, "revived": revived})
        return {"submission_id": submission_id, "province": province, "revived": revived, "changed": True}

    def restore(self, submission_id: int, actor: str | None = None, *,
                user: Principal | None = None) -> dict[str, Any]:
        """Undo a soft delete: the submission returns to the state it had, unless a later upload replaced it."""
        province = self._province_of(submission_id)
        check_can_write(user, [province], "restore")  # accounts on: only the province's editors and admins
        actor = actor_name(user, actor or "")
        with self._write(province) as conn:
            sub = self._submission_row(conn, submission_id)
            if sub.state != "deleted":
                return {"submission_id": submission_id, "province": province, "superseded": [], "changed": False}
            replacer = (conn.execute(sa.select(submissions.c.state).where(submissions.c.id == sub.replaced_by))
                        .scalar() if sub.replaced_by is not None else None)
            superseded: list[int] = []
            if sub.deleted_from == "superseded" and replacer not in (None, "deleted"):
                conn.execute(submissions.update().where(submissions.c.id == sub.id)
                             .values(state="superseded", deleted_from=None))
            else:
                # Undo exactly: what the delete brought back (and is still current) steps aside again.
                revived = conn.execute(sa.select(audit_log.c.detail).where(
                    audit_log.c.submission_id == sub.id, audit_log.c.action == "delete")
                    .order_by(audit_log.c.id.desc()).limit(1)).scalar() or {}
                again = list(conn.execute(sa.select(submissions.c.id).where(
                    submissions.c.id.in_(revived.get("revived", [])), submissions.c.state == "current")).scalars())
                if again:
                    conn.execute(submissions.update().where(submissions.c.id.in_(again))
                                 .values(state="superseded", replaced_by=sub.id))
                superseded = again + self._make_current(conn, sub)
            self._audit(conn, actor, "restore", sub.id, sub.province, sub.sha256, {"superseded": superseded})
        return {"submission_id": submission_id, "province": province, "superseded": superseded, "changed": True}

    def clear_samples(self, actor: str | None = None, *, user: Principal | None = None) -> int:
        """Remove the sample submissions (and their rows and files) for good; returns how many."""
        check_can_manage(user, "clear_samples")  # accounts on: administrators only
        actor = actor_name(user, actor or "")
        with self._write(_GLOBAL_LOCK) as conn:
            ids = list(conn.execute(sa.select(submissions.c.id).where(submissions.c.sample.is_(True))).scalars())
            if not ids:
                return 0
            for table in (*ROW_TABLES.values(), snapshots):
                conn.execute(table.delete().where(table.c.submission_id.in_(ids)))
            conn.execute(submissions.delete().where(submissions.c.id.in_(ids)))
            pointed = sa.select(submissions.c.snapshot_id).where(submissions.c.snapshot_id.is_not(None))
            conn.execute(upload_snapshots.delete().where(upload_snapshots.c.id.not_in(pointed)))
            used = sa.select(submissions.c.sha256)
            conn.execute(originals.delete().where(originals.c.sha256.not_in(used)))
            self._audit(conn, actor, "clear_samples", None, None, None, {"removed": ids})
        return len(ids)

    # -- reading
    def has_data(self) -> bool:
        """Whether any submission that is not deleted is stored."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(submissions.c.id).where(submissions.c.state != "deleted").limit(1)
                                ).first() is not None

    def revision(self) -> str:
        """A text naming the stored state, the one the store's own cache uses: it changes with every
        write (each write adds an audit row). Cache keys of the app take it."""
        with self.engine.connect() as conn:
            count, last = self._revision(conn)
        return f"{count}:{last}"

    def _revision(self, conn: Connection) -> tuple[int, int]:
        # Every write adds an audit row, so the audit log's size names the store's state.
        return tuple(conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(audit_log.c.id), 0))
                                  ).one())  # type: ignore[return-value]

    def latest_submissions(self, conn: Connection, province: str | None = None, *,
                           columns: list[sa.Column] | None = None) -> list[Any]:
        """The submission used for each province: current, latest as-of date, then latest upload
        (with only ``columns`` when given; they must include id, province, as_of and uploaded_at)."""
        q = (sa.select(*columns) if columns else sa.select(submissions)).where(submissions.c.state == "current")
        if province:
            q = q.where(submissions.c.province == province)
        best: dict[str, Any] = {}
        for row in conn.execute(q.order_by(submissions.c.as_of, submissions.c.uploaded_at, submissions.c.id)):
            best[row.province] = row  # later rows in this order win
        return [best[p] for p in sorted(best)]

    def _frames(self, conn: Connection, ids: list[int]) -> dict[str, pd.DataFrame]:
        """The rows of the given submissions in this order: sliced from their save's upload snapshot
        (one Parquet per frame for every province of a file), else from their own per-submission
        snapshots (stored before issue 17), else from the row tables (stored before snapshots)."""
        where: dict[int, tuple[str, int | None]] = {}
        if ids:
            where = {r.id: (r.province, r.snapshot_id) for r in conn.execute(
                sa.select(submissions.c.id, submissions.c.province, submissions.c.snapshot_id)
                .where(submissions.c.id.in_(ids)))}
        set_ids = sorted({sid for _, sid in where.values() if sid is not None})
        sets: dict[int, dict[str, bytes | None]] = {}
        if set_ids:
            for row in conn.execute(sa.select(upload_snapshots).where(upload_snapshots.c.id.in_(set_ids))):
                sets[row.id] = {kind: (None if row._mapping[kind] is None else bytes(row._mapping[kind]))
                                for kind in FRAMES}
        in_set = [i for i in ids if where.get(i, ("", None))[1] in sets]
        legacy = [i for i in ids if i not in set(in_set)]
        snaps: dict[int, dict[str, bytes]] = {}
        if legacy:
            for sub_id, kind, content in conn.execute(sa.select(
                    snapshots.c.submission_id, snapshots.c.kind, snapshots.c.content)
                    .where(snapshots.c.submission_id.in_(legacy))):
                snaps.setdefault(sub_id, {})[kind] = bytes(content)
        from_tables = self._table_frames(conn, [i for i in legacy if i not in snaps])
        frames = {}
        for kind in FRAMES:
            # Arrow slices (zero-copy) of each submission in order, converted and conformed once per frame.
            read: dict[int, tuple[pa.Table, np.ndarray]] = {}
            pieces: list[pa.Table | pd.DataFrame] = []
            for i in ids:
                if i in snaps:
                    if kind in snaps[i]:
                        pieces.append(pq.read_table(io.BytesIO(snaps[i][kind])))
                    continue
                if i in from_tables[kind]:
                    pieces.append(from_tables[kind][i])
                    continue
                province, sid = where[i]
                if sets[sid][kind] is None:
                    continue
                if sid not in read:
                    table = read_part_snapshot(sets[sid][kind])
                    read[sid] = (table, table.column(PART).to_numpy(zero_copy_only=False))
                table, part = read[sid]
                a, b = np.searchsorted(part, province, "left"), np.searchsorted(part, province, "right")
                if b > a:
                    pieces.append(table.slice(int(a), int(b - a)))
            frames[kind] = _concat_pieces(pieces, kind)
        return frames

    def _table_frames(self, conn: Connection, ids: list[int]) -> dict[str, dict[int, pd.DataFrame]]:
        """kind -> submission id -> its rows, read from the row tables (raw driver rows: the fast path)."""
        out: dict[str, dict[int, pd.DataFrame]] = {kind: {} for kind in FRAMES}
        if not ids:
            return out
        quote = self.engine.dialect.identifier_preparer.quote
        id_list = ", ".join(str(int(i)) for i in ids)
        for kind in FRAMES:
            cols = ", ".join(quote(n) for n in ["submission_id", *FRAMES[kind]])
            # A plain driver cursor: plain tuples are several times faster for pandas than Row objects.
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute(f"SELECT {cols} FROM {quote(kind)} WHERE submission_id IN ({id_list}) "
                               f"ORDER BY submission_id, id")
                rows = cursor.fetchall()
            finally:
                cursor.close()
            by_id: dict[int, list[Any]] = {i: [] for i in ids}
            for row in rows:
                by_id[row[0]].append(row[1:])
            out[kind] = {i: rows_frame(r, kind) for i, r in by_id.items()}
        return out

    def dataset(self, province: str | None = None) -> Dataset:
        """The rows of the latest current submission of each province (or of one province)."""
        with self.engine.connect() as conn:
            revision = self._revision(conn)
            if self._cache and self._cache[0] == (revision, province):
                return _copy(self._cache[1])
            c = submissions.c
            # Without the reports: a national workbook's report (every problem of the file) is stored with
            # each of its 31 submissions; it is read once per file below.
            subs = self.latest_submissions(conn, province, columns=[
                c.id, c.province, c.as_of, c.uploaded_at, c.filename, c.sha256, c.uploader, c.sample])
            frames = self._frames(conn, [s.id for s in subs])
            first: dict[str, int] = {}
            for s in subs:
                first.setdefault(s.sha256, s.id)
            reports = dict(conn.execute(sa.select(c.id, c.report).where(c.id.in_(list(first.values())))).all()) \
                if first else {}
        sources, problems = [], []
        for s in subs:
            sources.append({"label": s.filename, "province": s.province, "as_of": s.as_of.isoformat(),
                            "uploaded_at": _utc(s.uploaded_at).isoformat(), "sha256": s.sha256,
                            "submission_id": s.id, "uploader": s.uploader, "sample": bool(s.sample)})
            if first.get(s.sha256) == s.id:  # a national workbook's problems once, not once per province
                problems.extend(Problem(**p) for p in (reports.get(s.id) or {}).get("problems", []))
        data = Dataset(**frames, sources=sources, problems=problems)
        self._cache = ((revision, province), data)
        return _copy(data)

    def submission_rows(self, submission_id: int) -> Dataset:
        """The rows of one stored submission, whatever its state."""
        with self.engine.connect() as conn:
            sub = self._submission_row(conn, submission_id)
            frames = self._frames(conn, [submission_id])
        return Dataset(**frames, sources=[self._record(sub)],
                       problems=[Problem(**p) for p in sub.report.get("problems", [])])

    @staticmethod
    def _record(row: Any) -> dict[str, Any]:
        errors = sum(1 for p in row.report.get("problems", []) if p.get("severity") == "error")
        return {"id": row.id, "province": row.province, "as_of": row.as_of.isoformat(),
                "uploaded_at": _utc(row.uploaded_at).isoformat(), "uploader": row.uploader,
                "filename": row.filename, "sha256": row.sha256, "state": row.state, "sample": bool(row.sample),
                "replaced_by": row.replaced_by, "counts": dict(row.counts),
                "errors": errors, "warnings": len(row.report.get("problems", [])) - errors}

    def history(self, province: str | None = None) -> list[dict[str, Any]]:
        """Every submission (newest first), each with its state and row counts."""
        q = sa.select(submissions)
        if province:
            q = q.where(submissions.c.province == province)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(submissions.c.uploaded_at.desc(), submissions.c.id.desc())).all()
        return [self._record(r) for r in rows]

    def submission(self, submission_id: int) -> dict[str, Any]:
        """One submission's history record with its full validation report."""
        with self.engine.connect() as conn:
            row = self._submission_row(conn, submission_id)
        return {**self._record(row), "report": row.report}

    def original(self, submission_id: int) -> tuple[str, bytes]:
        """The uploaded file of a submission: (file name, bytes as uploaded)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(submissions.c.filename, originals.c.content)
                               .join(originals, originals.c.sha256 == submissions.c.sha256)
                               .where(submissions.c.id == submission_id)).first()
        if row is None:
            raise StoreError("store_unknown_submission", id=submission_id)
        return row.filename, bytes(row.content)

    def diff(self, a: int, b: int) -> dict[str, Any]:
        """What changed from submission ``a`` to submission ``b``: rows added, removed and changed per table."""
        old, new = self.submission_rows(a), self.submission_rows(b)
        tables = {kind: frame_diff(getattr(old, kind), getattr(new, kind), kind) for kind in FRAMES}
        summary = {kind: {k: len(v) for k, v in d.items()} for kind, d in tables.items()}
        return {"a": a, "b": b, **tables, "summary": summary}

    def record_refusal(self, actor: str | None, filename: str, content: bytes, code: str,
                       province: str | None = None) -> None:
        """Audit an upload that was refused before storing (too large, wrong type, unreadable, over budget)."""
        with self._write() as conn:
            self._audit(conn, actor, "upload_refused", None, province, hashlib.sha256(content).hexdigest(),
                        {"file": clean_cell(filename, max_chars=255)[0], "size": len(content), "code": code})

    def audit(self, province: str | None = None) -> list[dict[str, Any]]:
        """The audit log (newest first): who uploaded, rolled back, deleted or restored what, and when."""
        q = sa.select(audit_log)
        if province:
            q = q.where(audit_log.c.province == province)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(audit_log.c.id.desc())).all()
        return [{"id": r.id, "at": _utc(r.at).isoformat(), "actor": r.actor, "action": r.action,
                 "submission_id": r.submission_id, "province": r.province, "sha256": r.sha256,
                 "detail": r.detail or {}} for r in rows]

    # -- backup
    def export_backup(self, path: str | Path) -> dict[str, Any]:
        """Write everything stored to one zip: manifest.json, the original files, the rows (Parquet)."""
        path = Path(path)
        with self.engine.connect() as conn:
            subs = conn.execute(sa.select(submissions).order_by(submissions.c.id)).all()
            frames = {}
            for kind, table in ROW_TABLES.items():
                cols = [table.c.submission_id, *[table.c[n] for n in FRAMES[kind]]]
                rows = conn.execute(sa.select(*cols).order_by(table.c.id)).all()
                df = rows_frame([r[1:] for r in rows], kind)
                df.insert(0, "submission_id", pd.array([r[0] for r in rows], dtype="Int64"))
                frames[kind] = df
            user_rows = conn.execute(sa.select(users).order_by(users.c.id)).all()
            audit_rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).all()
            carried = {table.name: _backup_rows(conn, table) for table in BACKUP_TABLES}
            shas = sorted({s.sha256 for s in subs})
            blobs = {r.sha256: bytes(r.content) for r in conn.execute(
                sa.select(originals.c.sha256, originals.c.content).where(originals.c.sha256.in_(shas)))}
        manifest = {
            "format": "future-industries-tracker-backup", "version": BACKUP_FORMAT,
            "exported_at": _utcnow().isoformat(),
            "submissions": [{"id": s.id, "province": s.province, "as_of": s.as_of.isoformat(),
                             "uploader": s.uploader, "uploaded_at": _utc(s.uploaded_at).isoformat(),
                             "filename": s.filename, "sha256": s.sha256, "state": s.state,
                             "deleted_from": s.deleted_from, "replaced_by": s.replaced_by, "sample": bool(s.sample),
                             "report": s.report, "counts": s.counts, "round_name": s.round_name} for s in subs],
            "originals": {sha: f"originals/{sha}" for sha in shas},
            "rows": {kind: f"rows/{kind}.parquet" for kind in FRAMES},
            "users": [{c: (_utc(v).isoformat() if isinstance(v, dt.datetime) else v)
                       for c, v in r._mapping.items()} for r in user_rows],
            "audit_log": [{"id": r.id, "at": _utc(r.at).isoformat(), "actor": r.actor, "action": r.action,
                           "submission_id": r.submission_id, "province": r.province, "sha256": r.sha256,
                           "detail": r.detail} for r in audit_rows],
            "tables": carried,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            for sha, content in blobs.items():
                zf.writestr(f"originals/{sha}", content)
            for kind, df in frames.items():
                buf = io.BytesIO()
                df.to_parquet(buf, index=False)
                zf.writestr(f"rows/{kind}.parquet", buf.getvalue())
        tmp.replace(path)  # a crash mid-export never leaves a truncated backup under the real name
        return {"path": str(path), "submissions": len(subs), "originals": len(blobs),
                "rows": {kind: len(df) for kind, df in frames.items()},
                "tables": {name: len(rows) for name, rows in carried.items()}}

    def import_backup(self, path: str | Path, actor: str | None = None) -> dict[str, Any]:
        """Load a backup written by ``export_backup`` into this store, which must hold no submission."""
        try:
            zf = zipfile.ZipFile(path)
            manifest = json.loads(zf.read("manifest.json"))
            if manifest.get("format") != "future-industries-tracker-backup":
                raise ValueError("not a tracker backup")
            blobs = {sha: zf.read(name) for sha, name in manifest["originals"].items()}
            frames = {kind: pd.read_parquet(io.BytesIO(zf.read(name))) for kind, name in manifest["rows"].items()}
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise StoreError("store_bad_backup", error=str(exc)) from exc
        for sha, content in blobs.items():
            if hashlib.sha256(content).hexdigest() != sha:
                raise StoreError("store_backup_mismatch")
        subs = manifest["submissions"]
        with self._write(_GLOBAL_LOCK, *{s["province"] for s in subs}) as conn:
            if conn.execute(sa.select(submissions.c.id).limit(1)).first() is not None:
                raise StoreError("store_not_empty")
            for sha, content in blobs.items():
                conn.execute(self._insert_ignore(originals), {"sha256": sha, "size": len(content), "content": content})
            if subs:
                conn.execute(submissions.insert(), [{
                    **s, "as_of": _as_date(s["as_of"]), "uploaded_at": _utc(s["uploaded_at"])} for s in subs])
            for kind, df in frames.items():
                ids = df["submission_id"].astype("Int64")
                for sub_id in ids.dropna().unique():
                    part = df[(ids == sub_id).fillna(False).to_numpy()].drop(columns=["submission_id"])
                    self._insert_rows(conn, kind, int(sub_id), self._row_values(part, kind))
            # Snapshots are derived data: rebuilt, not carried in the backup; one per stored file again.
            for group in _saves(subs):
                snapshot = _group_snapshot(frames, {s["id"]: s["province"] for s in group})
                snapshot_id = conn.execute(upload_snapshots.insert().values(**snapshot)).inserted_primary_key[0]
                conn.execute(submissions.update().where(submissions.c.id.in_([s["id"] for s in group]))
                             .values(snapshot_id=snapshot_id))
            known = set(conn.execute(sa.select(users.c.username)).scalars())
            for u in manifest.get("users", []):
                if u["username"] in known:
                    continue
                # the two timestamps are converted, not copied: passing them twice was a TypeError
                conn.execute(users.insert().values(**{k: v for k, v in u.items()
                                                      if k not in ("id", "locked_until", "created_at")},
                                                   **{k: _utc(u[k]) for k in ("locked_until", "created_at")}))
            if manifest.get("audit_log"):
                conn.execute(audit_log.insert(), [{**a, "at": _utc(a["at"])} for a in manifest["audit_log"]])
            carried = manifest.get("tables") or {}  # a backup written before mapping profiles has none
            for table in BACKUP_TABLES:
                if carried.get(table.name):
                    conn.execute(table.insert(), [_restored_row(table, r) for r in carried[table.name]])
            if self.dialect == "postgresql":
                for table in ("submissions", "audit_log", *(tb.name for tb in BACKUP_TABLES if "id" in tb.c)):
                    conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                         f"GREATEST((SELECT max(id) FROM {table}), 1))"))
            self._audit(conn, actor, "import_backup", None, None, None,
                        {"file": Path(path).name, "submissions": len(subs)})
        return {"submissions": len(subs), "originals": len(blobs),
                "rows": {kind: len(df) for kind, df in frames.items()},
                "tables": {table.name: len(carried.get(table.name) or []) for table in BACKUP_TABLES}}


def _concat_pieces(pieces: list[pa.Table | pd.DataFrame], kind: str) -> pd.DataFrame:
    """One conformed frame from Arrow tables and frames, in order (consecutive tables concatenated
    and converted together: per-piece conversion was ~1 s for 31 provinces × 5 frames)."""
    parts: list[pd.DataFrame] = []
    run: list[pa.Table] = []

    def flush() -> None:
        if run:
            parts.append(pa.concat_tables(run, promote_options="default").to_pandas()
                         if len(run) > 1 else run[0].to_pandas())
            run.clear()

    for piece in pieces:
        if isinstance(piece, pa.Table):
            run.append(piece)
        else:
            flush()
            parts.append(piece)
    flush()
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_frame(kind)
    df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    if PART in df.columns:
        df = df.drop(columns=[PART])
    if list(df.columns) == list(FRAMES[kind]) and all(
            str(df[c].dtype) == t for c, t in FRAMES[kind].items()):
        return df  # read back from a snapshot with the schema's columns and dtypes: already conformed
    return conform(df, kind)


# Tables a backup carries whole, row by row, besides submissions, originals, row tables, users and the audit
# log: what officers chose and decided (mapping profiles, reporting rounds, reviews, report findings). Not
# carried: snapshots (rebuilt from the rows), login sessions and throttles (a restored store starts with no
# one signed in and no one blocked).
BACKUP_TABLES = (schema.mapping_profiles, schema.rounds, schema.reviews, schema.report_findings)


def _backup_rows(conn: Connection, table: sa.Table) -> list[dict[str, Any]]:
    """Every row of ``table`` as JSON-ready values (times in UTC, dates as ISO text), in key order."""
    rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings().all()
    return [{c: (_utc(v).isoformat() if isinstance(v, dt.datetime) else
                 v.isoformat() if isinstance(v, dt.date) else v) for c, v in r.items()} for r in rows]


def _restored_row(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``_backup_rows`` back as the table's values (unknown columns dropped)."""
    out = {}
    for c in table.columns:
        if c.name in row:
            v = row[c.name]
            out[c.name] = (_utc(v) if isinstance(c.type, sa.DateTime) else
                           _as_date(v) if isinstance(c.type, sa.Date) else v)
    return out


def _saves(subs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Backed-up submissions grouped by the save that stored them (same file, same upload time, one
    province each); a group that names a province twice is split into single submissions."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for s in subs:
        groups.setdefault((s["sha256"], s["uploaded_at"]), []).append(s)
    out = []
    for group in groups.values():
        if len({s["province"] for s in group}) == len(group):
            out.append(group)
        else:
            out.extend([s] for s in group)
    return out


def _group_snapshot(frames: dict[str, pd.DataFrame], provinces: dict[int, str]) -> dict[str, bytes | None]:
    """The upload snapshot of the submissions ``provinces`` (id -> province) from a backup's frames."""
    out: dict[str, bytes | None] = {kind: None for kind in FRAMES}
    for kind, df in frames.items():
        if kind not in FRAMES:
            continue
        ids = df["submission_id"].astype("Int64")
        mask = ids.isin(list(provinces)).fillna(False).to_numpy()
        if not mask.any():
            continue
        part = ids[mask].map(provinces).to_numpy(dtype=object)
        rows, part, _ = _group_by_part(conform(df[mask].drop(columns=["submission_id"]), kind), part)
        out[kind] = part_snapshot(rows, part)
    return out


def _copy(data: Dataset) -> Dataset:
    """A copy callers may change without touching the cached one."""
    return Dataset(**{kind: getattr(data, kind).copy() for kind in FRAMES},
                   sources=[dict(s) for s in data.sources], problems=list(data.problems))


__all__ = ["Store", "StoreError", "SaveOutcome", "make_engine", "frame_diff", "frame_values", "split_by_province",
           "schema"]
