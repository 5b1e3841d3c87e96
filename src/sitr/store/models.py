"""The moderation tables on the shared declarative Base.

The event table is the record; `cases`, `flags`, `reporters` and `escalations` are projections kept up to date
in the same transaction as the events that change them, so the queue can be claimed with row locks. Anything
that can identify a person (item text, author, target, free-text notes) lives only in `*_enc` columns,
encrypted with AES-GCM (see crypto.py); plain columns hold ids, scores, codes and dates that reports count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sitr.store.base import Base

ROLES: tuple[str, ...] = ("admin", "reviewer", "partner", "auditor", "integration")
GENESIS_HASH = "0" * 64


class User(Base):
    """A person or a platform: reviewers declare languages and varieties, partners an organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(256), nullable=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    varieties: Mapped[list[str]] = mapped_column(JSON, default=list)
    organisation: Mapped[str | None] = mapped_column(String(128), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """Only the SHA-256 of a key is stored; the prefix lets an operator tell keys apart."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Item(Base):
    """One submitted item: `id` is sitr's; ingest is idempotent on (platform, external_id)."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_items_platform_external_id"),
        Index("ix_items_decided_at", "decided_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    platform: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(256))
    surface: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(16), default="text")
    lang: Mapped[str] = mapped_column(String(16))
    variety: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    content_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    source_type: Mapped[str] = mapped_column(String(32))
    content_digest: Mapped[str] = mapped_column(String(64))  # keyed HMAC: detects id reuse, reveals nothing
    content_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    personal_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    has_target: Mapped[bool] = mapped_column(Boolean, default=False)
    assessment: Mapped[dict[str, Any]] = mapped_column(JSON)
    auto_decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy_version: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    primary_threat: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    severity: Mapped[int] = mapped_column(Integer, default=0)
    automated: Mapped[bool] = mapped_column(Boolean, default=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    content_deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Case(Base):
    """A unit of review work: opened by the policy, by flags, by a partner escalation or by an appeal."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_severity_deadline", "status", "severity", "deadline_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # review | appeal
    origin: Mapped[str] = mapped_column(String(16))  # policy | flags | escalation | appeal
    status: Mapped[str] = mapped_column(String(16))  # open | claimed | decided
    threat: Mapped[str | None] = mapped_column(String(16), nullable=True)
    lang: Mapped[str] = mapped_column(String(16))
    variety: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    severity: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    appeal_of: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    excluded_reviewer: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class Reporter(Base):
    """A flagger, known only by a keyed pseudonym; its weight falls as its flags are rejected."""

    __tablename__ = "reporters"
    __table_args__ = (UniqueConstraint("pseudonym", name="uq_reporters_pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(64))
    pseudonym: Mapped[str] = mapped_column(String(64))
    flags_total: Mapped[int] = mapped_column(Integer, default=0)
    upheld: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class Flag(Base):
    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("item_id", "reporter_id", name="uq_flags_item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    weight: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(String(16), nullable=True)  # upheld | rejected


class Escalation(Base):
    """A trusted partner's urgent report; the partner sees its status and time to action, nothing else."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class Event(Base):
    """One entry of the append-only, hash-chained moderation log."""

    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    type: Mapped[str] = mapped_column(String(32), index=True)
    item_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly what is hashed
    payload_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    enc_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)  # survives retention
    created_at: Mapped[str] = mapped_column(String(32), index=True)  # ISO-8601 UTC, hashed as text
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ChainHead(Base):
    """One row: the last sequence number and hash. Appenders lock it, so the chain stays linear."""

    __tablename__ = "chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))
