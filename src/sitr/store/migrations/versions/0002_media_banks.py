"""Media hash banks (sitr.media.models): named banks of PDQ hashes, never images.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "media_banks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("threat", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("owner", sa.String(length=128), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_media_banks"),
        sa.UniqueConstraint("name", name="uq_media_banks_name"),
    )
    op.create_table(
        "media_bank_hashes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("pdq", sa.String(length=64), nullable=False),
        sa.Column("quality", sa.SmallInteger(), nullable=True),
        sa.Column("source_id", sa.String(length=64), nullable=True),
        sa.Column("tags", sa.String(length=2200), nullable=True),
        sa.Column("added_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["media_banks.id"], name="fk_media_bank_hashes_bank_id_media_banks", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_media_bank_hashes"),
        sa.UniqueConstraint("bank_id", "pdq", name="uq_media_bank_hashes_bank_id"),
    )
    op.create_index("ix_media_bank_hashes_bank_id", "media_bank_hashes", ["bank_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_media_bank_hashes_bank_id", table_name="media_bank_hashes")
    op.drop_table("media_bank_hashes")
    op.drop_table("media_banks")
