"""oai payload cache

Revision ID: fdf573c7b22a
Revises: 0846646e7035
Create Date: 2026-11-21 13:09:25.194233
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "fdf573c7b22a"
down_revision = "0846646e7035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oai_payloads",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "prefix"),
    )


def downgrade() -> None:
    op.drop_table("oai_payloads")
