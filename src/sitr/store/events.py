"""The append-only moderation log: each event carries the SHA-256 of the previous one.

The hash covers the canonical JSON of every column but the ciphertext itself: encrypted payloads are
committed to by their SHA-256 (`enc_digest`), so retention can erase personal data without breaking the chain,
while editing, deleting or reordering any event (or its ciphertext) is still detected by `verify_chain`.
Appends lock the single chain-head row (SQLite: the write transaction is BEGIN IMMEDIATE), so the chain is
linear whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from sitr.store.base import Base
from sitr.store.crypto import FieldCipher, aad_for
from sitr.store.models import GENESIS_HASH, ChainHead, Event

_EVENTS = Base.metadata.tables["events"]

EVENT_TYPES: frozenset[str] = frozenset(
    {
        "item_received",
        "assessed",
        "auto_actioned",
        "queued",
        "claimed",
        "decided",
        "flagged",
        "escalated",
        "appealed",
        "appeal_decided",
        "target_notified",
        "data_revealed",
        "retention_applied",
    }
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)


def iso_utc(moment: datetime) -> str:
    """Fixed-width UTC timestamp: the text form that is hashed, identical on every database."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    seq: int,
    type: str,
    item_id: str | None,
    case_id: int | None,
    actor: str,
    payload: str,
    enc_digest: str | None,
    created_at: str,
    prev_hash: str,
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "type": type,
            "item_id": item_id,
            "case_id": case_id,
            "actor": actor,
            "payload": payload,
            "enc_digest": enc_digest,
            "created_at": created_at,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass
class NewEvent:
    """An event to append. `private` holds personal data and is stored encrypted, never in `payload`."""

    type: str
    actor: str
    item_id: str | None = None
    case_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    private: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {self.type!r}")


def lock_head(session: Session) -> tuple[int, str]:
    """Lock the chain head for this transaction and return (last seq, last hash)."""
    stmt = select(ChainHead.seq, ChainHead.hash).where(ChainHead.id == 1)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise RuntimeError("event log has no chain head: run `sitr db upgrade`")
    return int(row[0]), str(row[1])


def append(session: Session, cipher: FieldCipher, events: Iterable[NewEvent], now: datetime) -> list[int]:
    """Append events at the end of the chain inside the caller's transaction; returns their sequence numbers.

    Call it last in a transaction (after other row locks), so the head lock is always taken last and held
    briefly: that ordering is what keeps concurrent writers on PostgreSQL free of deadlocks.
    """
    batch = list(events)
    if not batch:
        return []
    seq, prev = lock_head(session)
    created = iso_utc(now)
    rows: list[dict[str, Any]] = []
    for ev in batch:
        seq += 1
        payload = canonical_json(ev.payload)
        enc: bytes | None = None
        digest: str | None = None
        if ev.private is not None:
            enc = cipher.encrypt_json(ev.private, aad_for("events", "payload_enc", seq))
            digest = hashlib.sha256(enc).hexdigest()
        h = event_hash(
            seq=seq,
            type=ev.type,
            item_id=ev.item_id,
            case_id=ev.case_id,
            actor=ev.actor,
            payload=payload,
            enc_digest=digest,
            created_at=created,
            prev_hash=prev,
        )
        rows.append(
            {
                "seq": seq,
                "type": ev.type,
                "item_id": ev.item_id,
                "case_id": ev.case_id,
                "actor": ev.actor,
                "payload": payload,
                "payload_enc": enc,
                "enc_digest": digest,
                "created_at": created,
                "prev_hash": prev,
                "hash": h,
            }
        )
        prev = h
    session.execute(insert(_EVENTS), rows)  # Core executemany: no ORM objects for a log we only append to
    session.execute(update(ChainHead).where(ChainHead.id == 1).values(seq=seq, hash=prev))
    return [r["seq"] for r in rows]


def read_private(cipher: FieldCipher, ev: Event) -> dict[str, Any] | None:
    """The decrypted personal part of an event, or None when there is none or retention erased it."""
    if ev.payload_enc is None:
        return None
    value = cipher.decrypt_json(ev.payload_enc, aad_for("events", "payload_enc", ev.seq))
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    kind: str  # edited | deleted | reordered | ciphertext_edited | head_mismatch | truncated
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "detail": self.detail}


@dataclass(frozen=True)
class ChainReport:
    events: int
    last_seq: int
    last_hash: str
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "problems": [p.to_dict() for p in self.problems],
        }


_REORDER_WINDOW = 100_000


def _stream(session: Session, chunk: int) -> Iterator[Event]:
    last = -1
    while True:
        rows = session.scalars(select(Event).where(Event.seq > last).order_by(Event.seq).limit(chunk)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify_chain(session: Session, *, max_problems: int = 100, chunk: int = 5000) -> ChainReport:
    """Recompute the chain and name every break: an edit, a deletion (gap), a reordering or a truncation."""
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev = GENESIS_HASH
    count = 0
    hashes_seen: dict[str, int] = {}  # recent hashes, to tell a reordering from an edit

    def report(p: ChainProblem) -> None:
        if len(problems) < max_problems:
            problems.append(p)

    for ev in _stream(session, chunk):
        count += 1
        if ev.seq != expected_seq:
            report(ChainProblem(ev.seq, "deleted", f"events {expected_seq}..{ev.seq - 1} are missing"))
        if ev.payload_enc is not None and hashlib.sha256(ev.payload_enc).hexdigest() != ev.enc_digest:
            report(ChainProblem(ev.seq, "ciphertext_edited", "encrypted payload does not match its digest"))
        recomputed = event_hash(
            seq=ev.seq,
            type=ev.type,
            item_id=ev.item_id,
            case_id=ev.case_id,
            actor=ev.actor,
            payload=ev.payload,
            enc_digest=ev.enc_digest,
            created_at=ev.created_at,
            prev_hash=ev.prev_hash,
        )
        if recomputed != ev.hash:
            report(ChainProblem(ev.seq, "edited", "content does not match its hash"))
        if ev.prev_hash != prev and ev.seq == expected_seq:
            if ev.prev_hash in hashes_seen:
                report(ChainProblem(ev.seq, "reordered", f"links to event {hashes_seen[ev.prev_hash]}"))
            else:
                report(ChainProblem(ev.seq, "edited", "link to the previous event is broken"))
        hashes_seen[ev.hash] = ev.seq
        if len(hashes_seen) > _REORDER_WINDOW:
            hashes_seen.pop(next(iter(hashes_seen)))
        prev = ev.hash
        expected_seq = ev.seq + 1
    head = session.execute(select(ChainHead.seq, ChainHead.hash).where(ChainHead.id == 1)).one_or_none()
    last_seq = expected_seq - 1
    if head is None:
        report(ChainProblem(None, "head_mismatch", "chain head row is missing"))
    elif int(head[0]) != last_seq or str(head[1]) != prev:
        if int(head[0]) > last_seq:
            report(ChainProblem(int(head[0]), "truncated", f"events after {last_seq} are missing"))
        else:
            report(ChainProblem(last_seq, "head_mismatch", "chain head does not match the last event"))
    return ChainReport(events=count, last_seq=last_seq, last_hash=prev, problems=tuple(problems))
