"""Database tables of the hash banks, on sitr's shared declarative Base (so Alembic sees them).

Only hashes are stored, never images: a PDQ hash cannot be turned back into the picture, which is what lets a
victim register a photo without handing it over.
Tables: `media_banks` (one row per named bank) and `media_bank_hashes` (one row per hash in a bank).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sitr.store.base import Base

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT (banks can hold 10M+ hashes).
_BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class MediaBank(Base):
    """A named list of hashes with its purpose (victim_submitted, known_extortion, partner_shared)."""

    __tablename__ = "media_banks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    purpose: Mapped[str] = mapped_column(String(32), nullable=False)
    threat: Mapped[str] = mapped_column(String(32), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # The principal that created the bank; partners may only see and change their own banks.
    owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Bumped on every change to the bank or its hashes, so a cached match index knows when to reload.
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class MediaBankHash(Base):
    """One PDQ hash in one bank, with the metadata HMA's CSV carries (source id, tags)."""

    __tablename__ = "media_bank_hashes"
    __table_args__ = (
        UniqueConstraint("bank_id", "pdq"),
        Index("ix_media_bank_hashes_bank_id", "bank_id", "id"),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("media_banks.id", ondelete="CASCADE"), nullable=False)
    pdq: Mapped[str] = mapped_column(String(64), nullable=False)
    quality: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    tags: Mapped[str | None] = mapped_column(String(2200), nullable=True)
    added_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


MEDIA_TABLES: tuple[str, ...] = (MediaBank.__tablename__, MediaBankHash.__tablename__)
