"""What reports read: one plain record per moderation event, joined with the item's non-personal columns.

The metrics are written over an iterable of `EventRecord`, so they can be tested (and reused) without a
database; `stream_records` is the adapter that reads them from the event log in keyset-paginated chunks.
Nothing personal is read: no item text, no encrypted payloads, no reporter pseudonyms. Actor labels
("reviewer:7") are read only to sum reviewer time and never leave the report code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, case, cast, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from sitr.store.events import iso_utc
from sitr.store.models import Case, Event
from sitr.store.models import Item as ItemRow

DEFAULT_CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event as reports see it. `lang`, `variety`, `country`, `surface` come from the item row."""

    seq: int
    type: str
    at: datetime
    item_id: str | None = None
    case_id: int | None = None
    actor: str = "system"
    payload: Mapping[str, Any] = field(default_factory=dict)
    lang: str | None = None
    variety: str | None = None
    country: str | None = None
    surface: str | None = None
    deadline_at: datetime | None = None  # the case's (final) deadline, when the event belongs to a case


def parse_time(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _payload_column(dialect: str) -> Any:
    """The payload, but only the decision of an `assessed` event: the database cuts the large assessment out,
    which is most of the bytes a report would otherwise parse."""
    if dialect == "sqlite":
        decision: Any = func.json_extract(Event.payload, "$.decision")
    elif dialect == "postgresql":
        decision = cast(cast(Event.payload, JSONB)["decision"], Text)
    else:
        return Event.payload
    return case((Event.type == "assessed", decision), else_=Event.payload)


def slim_payload(event_type: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the fields metrics use: an `assessed` payload carries the whole assessment, which is large."""
    if event_type == "assessed":
        decision = payload.get("decision") or {}
        return {
            "decision": {
                "outcome": decision.get("outcome"),
                "primary_threat": decision.get("primary_threat"),
                "actions": list(decision.get("actions") or ()),
            }
        }
    return dict(payload)


def stream_records(
    session: Session,
    *,
    end: datetime | None = None,
    start_seq: int = 0,
    chunk: int = DEFAULT_CHUNK,
) -> Iterator[EventRecord]:
    """All events before `end` in log order, each joined with its item's non-personal columns.

    Keyset pagination on `seq` keeps memory flat and each query short, on SQLite and PostgreSQL alike.
    """
    dialect = session.get_bind().dialect.name
    cut = dialect in ("sqlite", "postgresql")
    stmt = (
        select(
            Event.seq,
            Event.type,
            Event.created_at,
            Event.item_id,
            Event.case_id,
            Event.actor,
            _payload_column(dialect),
            ItemRow.lang,
            ItemRow.variety,
            ItemRow.country,
            ItemRow.surface,
            Case.deadline_at,
        )
        .outerjoin(ItemRow, ItemRow.id == Event.item_id)
        .outerjoin(Case, Case.id == Event.case_id)
        .order_by(Event.seq)
        .limit(chunk)
    )
    if end is not None:
        stmt = stmt.where(Event.created_at < iso_utc(end))
    last = start_seq
    while True:
        rows = session.execute(stmt.where(Event.seq > last)).all()
        if not rows:
            return
        for seq, etype, created, item_id, case_id, actor, payload, lang, variety, country, surface, deadline in rows:
            data = json.loads(payload) if payload else {}
            if cut and etype == "assessed":
                data = {"decision": data}
            yield EventRecord(
                seq=int(seq),
                type=str(etype),
                at=parse_time(created),
                item_id=item_id,
                case_id=case_id,
                actor=str(actor),
                payload=slim_payload(etype, data),
                lang=lang,
                variety=variety,
                country=country,
                surface=surface,
                deadline_at=parse_time(deadline) if deadline is not None else None,
            )
        last = int(rows[-1][0])
