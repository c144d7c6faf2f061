"""Review queue: an index on status, coder kind and how uncertain a suggestion is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_codings_review", "codings",
                    ["status", "coder_kind", sa.text("abs(coalesce(confidence, 0.5) - 0.5)"),
                     "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_codings_review", table_name="codings")
