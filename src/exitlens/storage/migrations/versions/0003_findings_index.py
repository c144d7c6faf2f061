"""Findings: a covering index for "which codes does each case carry, counting these statuses".

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_codings_status_case_code", "codings", ["status", "case_id", "code"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_codings_status_case_code", table_name="codings")
