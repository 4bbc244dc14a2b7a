"""Mapping profiles (issue 12): the column mapping an officer chose for a workbook shape, per
province and header signature, applied automatically to the next upload of the same shape.

Revision ID: 0005_issue12
Revises: 0004_issue13
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_issue12"
down_revision = "0004_issue13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mapping_profiles",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("province", sa.Text, nullable=False, server_default=""),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sheets", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_mapping_profiles"),
        sa.UniqueConstraint("province", "signature", name="uq_mapping_profiles_province"),
    )


def downgrade() -> None:
    op.drop_table("mapping_profiles")
