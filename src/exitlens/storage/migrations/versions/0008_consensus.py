"""Consensus: who decided a consensus coding, an index to find reconciled sources, and the
findings index covering what the consensus rule reads.

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
    op.drop_index("ix_codings_status_case_code", table_name="codings")
    op.create_index("ix_codings_status_case_code", "codings",
                    ["status", "case_id", "code", "coder", "source_id"])


def downgrade() -> None:
    op.drop_index("ix_codings_status_case_code", table_name="codings")
    op.create_index("ix_codings_status_case_code", "codings", ["status", "case_id", "code"])
    op.drop_index("ix_codings_coder_source", table_name="codings")
    # plain ALTER (SQLite 3.35+): a batch copy of the table would lose the expression index
    op.execute("ALTER TABLE codings DROP COLUMN decided_by")
