"""Samples for double coding: their sources and assigned coders.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("stratify", sa.String(length=40), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_samples")),
        sa.UniqueConstraint("name", name=op.f("uq_samples_name")),
    )
    op.create_table(
        "sample_sources",
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sample_id"], ["samples.id"],
                                name=op.f("fk_sample_sources_sample_id_samples"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"],
                                name=op.f("fk_sample_sources_source_id_sources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sample_id", "source_id", name=op.f("pk_sample_sources")),
    )
    op.create_index(op.f("ix_sample_sources_source_id"), "sample_sources", ["source_id"],
                    unique=False)
    op.create_table(
        "sample_coders",
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["sample_id"], ["samples.id"],
                                name=op.f("fk_sample_coders_sample_id_samples"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sample_id", "username", name=op.f("pk_sample_coders")),
    )
    op.create_index(op.f("ix_sample_coders_username"), "sample_coders", ["username"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sample_coders_username"), table_name="sample_coders")
    op.drop_table("sample_coders")
    op.drop_index(op.f("ix_sample_sources_source_id"), table_name="sample_sources")
    op.drop_table("sample_sources")
    op.drop_table("samples")
