"""The officer's findings of a report (主要进展, 存在问题, 下一步工作, 报送说明) by round, scope and language.

Revision ID: 0003_issue14
Revises: 0002
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_issue14"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_findings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False, autoincrement=True),
        sa.Column("round", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("progress", sa.Text, nullable=False, server_default=""),
        sa.Column("problems", sa.Text, nullable=False, server_default=""),
        sa.Column("next_steps", sa.Text, nullable=False, server_default=""),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_report_findings"),
        sa.UniqueConstraint("round", "scope", "lang", name="uq_report_findings_round"),
    )


def downgrade() -> None:
    op.drop_table("report_findings")
