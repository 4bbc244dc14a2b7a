"""Initial schema: submissions with their original files and rows, users and the audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SOURCE = [("source", sa.Text), ("sheet", sa.Text), ("row", sa.Integer)]
# Frozen copy of the frame schemas in metrics/model.py at this revision (later changes get their own migration).
ROWS = {
    "items": [("province", sa.Text), ("metric", sa.Text), ("name", sa.Text), ("code", sa.Text),
              ("direction", sa.Text), ("flagship", sa.Text), ("lead_unit", sa.Text), ("status", sa.Text),
              ("date", sa.Date), ("date_precision", sa.Text), ("evidence", sa.Text), ("note", sa.Text),
              ("key", sa.Text), *SOURCE],
    "totals": [("province", sa.Text), ("metric", sa.Text), ("as_of", sa.Date), ("value", sa.Float),
               ("note", sa.Text), *SOURCE],
    "targets": [("province", sa.Text), ("metric", sa.Text), ("name_zh", sa.Text), ("unit", sa.Text),
                ("kind", sa.Text), ("value", sa.Float), ("qualifier", sa.Text), ("text", sa.Text),
                ("deadline", sa.Date), ("note", sa.Text), *SOURCE],
    "assessments": [("province", sa.Text), ("goal", sa.Text), ("level", sa.Text), ("evidence", sa.Text), *SOURCE],
    "tasks": [("province", sa.Text), ("task", sa.Integer), ("level", sa.Text), ("evidence", sa.Text), *SOURCE],
}


def upgrade() -> None:  # long on purpose: a migration freezes its revision's whole schema as written
    op.create_table(
        "originals",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_originals"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("province", sa.Text, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("uploader", sa.Text, nullable=False, server_default=""),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("deleted_from", sa.String(16), nullable=True),
        sa.Column("replaced_by", sa.BigInteger, nullable=True),
        sa.Column("sample", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.ForeignKeyConstraint(["sha256"], ["originals.sha256"], name="fk_submissions_sha256_originals"),
        sa.CheckConstraint("state in ('current', 'superseded', 'deleted')", name="ck_submissions_state"),
    )
    op.create_index("ix_submissions_province_as_of", "submissions", ["province", "as_of"])
    op.create_index("ix_submissions_sha256", "submissions", ["sha256"])
    for kind, columns in ROWS.items():
        op.create_table(
            kind,
            sa.Column("id", BigId, nullable=False, autoincrement=True),
            sa.Column("submission_id", sa.BigInteger, nullable=False),
            *[sa.Column(name, type_(), nullable=True) for name, type_ in columns],
            sa.PrimaryKeyConstraint("id", name=f"pk_{kind}"),
            sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                    name=f"fk_{kind}_submission_id_submissions"),
        )
        op.create_index(f"ix_{kind}_submission_id", kind, ["submission_id"])
    op.create_table(
        "users",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False, server_default=""),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("province", sa.Text, nullable=True),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.CheckConstraint("role in ('admin', 'editor', 'viewer')", name="ck_users_role"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False, server_default=""),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("submission_id", sa.BigInteger, nullable=True),
        sa.Column("province", sa.Text, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_submission_id", "audit_log", ["submission_id"])
    op.create_index("ix_audit_log_province", "audit_log", ["province"])


def downgrade() -> None:
    for name in ["audit_log", "users", *reversed(list(ROWS)), "submissions", "originals"]:
        op.drop_table(name)
