"""Table definitions of the store (SQLAlchemy Core), one place for SQLite and PostgreSQL.

The row tables (items, totals, targets, assessments, tasks) have exactly the columns of the frame
schemas in ``metrics.model`` plus ``id`` and ``submission_id``, so rows go in and come out as frames
without renaming. Migrations under ``metrics/migrations/`` create this schema; a test checks that
the migrated database and these definitions agree.
"""
from __future__ import annotations

import sqlalchemy as sa

from .model import FRAMES

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# SQLite only makes INTEGER PRIMARY KEY an alias of the rowid (fast, auto-increment).
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SUBMISSION_STATES = ("current", "superseded", "deleted")
ROLES = ("admin", "editor", "viewer", "reviewer")


def column_type(dtype: str) -> sa.types.TypeEngine:
    """The SQL type that stores a frame column of pandas ``dtype``."""
    if dtype.startswith("datetime64"):
        return sa.Date()  # every frame date is a calendar date (precision kept in date_precision)
    if dtype == "Int64":
        return sa.Integer()
    if dtype == "float64":
        return sa.Float()
    return sa.Text()


# The original files, stored once per content (a national workbook may feed 31 submissions).
originals = sa.Table(
    "originals", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("province", sa.Text, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("uploader", sa.Text, nullable=False, server_default=""),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256"), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("deleted_from", sa.String(16), nullable=True),   # state before a soft delete, for restore
    sa.Column("replaced_by", sa.BigInteger, nullable=True),    # submission that superseded this one
    sa.Column("sample", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("report", sa.JSON, nullable=False),              # problems, per-sheet counts, readable
    sa.Column("counts", sa.JSON, nullable=False),              # stored rows per table
    sa.Column("round_name", sa.Text, nullable=True),           # reporting round the uploader picked (issue 13)
    sa.Column("snapshot_id", sa.BigInteger, nullable=True),    # upload_snapshots row of its save (issue 17)
    sa.CheckConstraint("state in ('current', 'superseded', 'deleted')", name="ck_submissions_state"),
    sa.Index("ix_submissions_province_as_of", "province", "as_of"),
    sa.Index("ix_submissions_sha256", "sha256"),
    sa.Index("ix_submissions_snapshot_id", "snapshot_id"),
)


def row_table(kind: str) -> sa.Table:
    """A table holding the rows of frame ``kind`` of every submission."""
    return sa.Table(
        kind, metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.BigInteger,
                  sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True),
        *[sa.Column(name, column_type(dtype), nullable=True) for name, dtype in FRAMES[kind].items()],
    )


ROW_TABLES: dict[str, sa.Table] = {kind: row_table(kind) for kind in FRAMES}

users = sa.Table(
    "users", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("username", sa.Text, nullable=False, unique=True),
    sa.Column("display_name", sa.Text, nullable=False, server_default=""),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("province", sa.Text, nullable=True),
    sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role in ('admin', 'editor', 'viewer', 'reviewer')", name="ck_users_role"),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False, server_default=""),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("submission_id", sa.BigInteger, nullable=True, index=True),
    sa.Column("province", sa.Text, nullable=True, index=True),
    sa.Column("sha256", sa.String(64), nullable=True),
    sa.Column("detail", sa.JSON, nullable=True),
)

# Each stored frame of a submission once more as Parquet, so a fresh process reads the national
# dataset in one query instead of rebuilding 60,000 rows from row tables (status < 300 ms).
# Written in the same transaction as the rows and never updated: submissions are immutable.
snapshots = sa.Table(
    "snapshots", metadata,
    sa.Column("submission_id", sa.BigInteger, sa.ForeignKey("submissions.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

# One snapshot per stored file and frame (issue 17): each save writes one row here, one uncompressed Arrow IPC
# stream per frame holding the rows of every province the file fed, sorted by the column ``_part`` (the province
# of the submission a row belongs to); ``submissions.snapshot_id`` points at it. A national workbook is
# 5 blobs instead of 31 × 5 Parquet files, and its rows are conformed once instead of once per province.
# The per-submission ``snapshots`` above are still read for submissions stored before.
upload_snapshots = sa.Table(
    "upload_snapshots", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    *[sa.Column(kind, sa.LargeBinary, nullable=True) for kind in FRAMES],
)

# Reporting rounds (issue 13): a national call for every expected region's figures as of one date.
rounds = sa.Table(
    "rounds", metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("regions", sa.JSON, nullable=False),   # expected region names, canonical
    sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False, server_default=""),
)

# A reviewer's decision on one submission; the latest decision of a submission is its review state.
reviews = sa.Table(
    "reviews", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.BigInteger, sa.ForeignKey("submissions.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False, server_default=""),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("rows", sa.JSON, nullable=False),      # [{"sheet": ..., "row": n, "text": ...}]
    sa.CheckConstraint("decision in ('approved', 'returned')", name="ck_reviews_decision"),
)

# The officer's findings of a report (issue 14): one row per reporting round, scope and language,
# overwritten when saved again; the latest of a scope prefills the next round's report.
report_findings = sa.Table(
    "report_findings", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("round", sa.Text, nullable=False),
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("progress", sa.Text, nullable=False, server_default=""),
    sa.Column("problems", sa.Text, nullable=False, server_default=""),
    sa.Column("next_steps", sa.Text, nullable=False, server_default=""),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("round", "scope", "lang", name="uq_report_findings_round"),
)

# Column mappings an officer chose for a workbook shape (issue 12): one profile per province and
# header signature (sheet names and header words), applied automatically to the next upload of it.
mapping_profiles = sa.Table(
    "mapping_profiles", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("province", sa.Text, nullable=False, server_default=""),
    sa.Column("signature", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("sheets", sa.JSON, nullable=False),    # {sheet name: {header text: field key or "ignore"}}
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("province", "signature", name="uq_mapping_profiles_province"),
)

# Server-side login sessions (issue 18): the browser's cookie holds only a random id; the store keeps
# its SHA-256 (a stolen backup or database read yields no live cookie). Logout, a new password or the
# account's removal ends sessions here, and every page run checks its session against this table.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("client", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
)

# Failed sign-ins counted per client address ("client:<ip>") and per unknown user name ("name:<n>"),
# so a client that keeps failing backs off and an unknown name answers like a known one (issue 18).
login_throttle = sa.Table(
    "login_throttle", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("strikes", sa.Integer, nullable=False, server_default="0"),   # blocks so far: the back-off doubles
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
)
