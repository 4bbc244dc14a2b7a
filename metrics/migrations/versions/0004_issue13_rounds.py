"""Reporting rounds and reviews (issue 13): the rounds table, reviews of submissions, the round a
submission was filed under, and the ``reviewer`` role.

Revision ID: 0004_issue13
Revises: 0003_issue14
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_issue13"
down_revision = "0003_issue14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("name", name="pk_rounds"),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.BigInteger, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False, server_default=""),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("rows", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_reviews_submission_id_submissions"),
        sa.CheckConstraint("decision in ('approved', 'returned')", name="ck_reviews_decision"),
    )
    op.create_index("ix_reviews_submission_id", "reviews", ["submission_id"])
    op.add_column("submissions", sa.Column("round_name", sa.Text, nullable=True))
    # SQLite cannot alter a constraint in place; batch mode rebuilds the users table.
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", "role in ('admin', 'editor', 'viewer', 'reviewer')")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", "role in ('admin', 'editor', 'viewer')")
    op.drop_column("submissions", "round_name")
    op.drop_index("ix_reviews_submission_id", "reviews")
    op.drop_table("reviews")
    op.drop_table("rounds")
