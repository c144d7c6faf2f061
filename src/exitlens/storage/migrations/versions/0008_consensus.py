"""Consensus: who decided a consensus coding, and an index to find reconciled sources.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("codings", sa.Column("decided_by", sa.String(length=200), nullable=True))
    op.create_index("ix_codings_coder_source", "codings", ["coder", "source_id"])


def downgrade() -> None:
    op.drop_index("ix_codings_coder_source", table_name="codings")
    with op.batch_alter_table("codings") as batch:
        batch.drop_column("decided_by")
