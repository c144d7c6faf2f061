"""Analysis results: relevance of sources, who created a case.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("relevance", sa.Float(), nullable=True))
        batch.add_column(sa.Column("relevant", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("analysis_model", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("analysis_note", sa.Text(), nullable=True))
        batch.create_index(batch.f("ix_sources_relevant"), ["relevant"], unique=False)
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("created_by", sa.String(length=200), nullable=False,
                                   server_default="unknown"))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("created_by")
    with op.batch_alter_table("sources") as batch:
        batch.drop_index(batch.f("ix_sources_relevant"))
        for column in ("analysis_note", "analysis_model", "analysed_at", "relevant",
                       "relevance"):
            batch.drop_column(column)
