"""Code states: how far the machine is trusted with each code.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_states",
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("alpha", sa.Float(), nullable=True),
        sa.Column("machine", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('auto', 'suggest', 'off')",
                           name=op.f("ck_code_states_state")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_code_states")),
    )


def downgrade() -> None:
    op.drop_table("code_states")
