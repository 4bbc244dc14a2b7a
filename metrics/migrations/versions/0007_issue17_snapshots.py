"""One snapshot per stored file and table (issue 17): ``upload_snapshots`` holds, for each save, one
uncompressed Arrow IPC stream per frame with the rows of every province the file fed (column ``_part`` names
the province), and ``submissions.snapshot_id`` points a submission at its save's snapshot. A national
workbook of 31 provinces is 5 blobs instead of 155 Parquet files. Submissions stored before keep their
per-submission Parquet in ``snapshots`` (still read) or, older still, only their row tables.

Revision ID: 0007_issue17
Revises: 0006_issue18
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_issue17"
down_revision = "0006_issue18"
branch_labels = None
depends_on = None

KINDS = ("items", "totals", "targets", "assessments", "tasks")


def upgrade() -> None:
    op.create_table(
        "upload_snapshots",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        *[sa.Column(kind, sa.LargeBinary, nullable=True) for kind in KINDS],
        sa.PrimaryKeyConstraint("id", name="pk_upload_snapshots"),
    )
    # A plain column (no foreign key): SQLite adds it without rebuilding the table; the store deletes
    # a snapshot once no submission points at it.
    op.add_column("submissions", sa.Column("snapshot_id", sa.BigInteger, nullable=True))
    op.create_index("ix_submissions_snapshot_id", "submissions", ["snapshot_id"])


def downgrade() -> None:
    op.drop_index("ix_submissions_snapshot_id", "submissions")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("snapshot_id")
    op.drop_table("upload_snapshots")
