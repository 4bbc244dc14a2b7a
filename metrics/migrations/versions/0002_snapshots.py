"""Parquet snapshots of each submission's frames, for fast loading of the national dataset.

Submissions stored before this revision have none; the store reads their row tables instead.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("submission_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("submission_id", "kind", name="pk_snapshots"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_snapshots_submission_id_submissions"),
    )


def downgrade() -> None:
    op.drop_table("snapshots")
