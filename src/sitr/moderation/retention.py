"""`sitr retention apply --days N`: erase content and personal data older than N days, keep what reports count.

Erased: item text and messages, author and target references, encrypted event payloads (notes, reasons,
reporter pseudonyms, target references), partners' notes. Kept: ids, scores, decisions, dates, counts, and
the hash chain, which commits to encrypted payloads by digest and so still verifies. Items whose case is
still open keep their content until it is decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, exists, select, update

from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Invalid
from sitr.moderation.records import OPEN_STATES
from sitr.store import events as ev
from sitr.store.models import Case, Escalation, Event
from sitr.store.models import Item as ItemRow


@dataclass(frozen=True)
class RetentionReport:
    days: int
    cutoff: str
    items: int
    events: int
    escalation_notes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "cutoff": self.cutoff,
            "items": self.items,
            "events": self.events,
            "escalation_notes": self.escalation_notes,
        }


def apply_retention(svc: Services, actor: Actor, days: int) -> RetentionReport:
    if days < 1:
        raise Invalid("days must be at least 1")
    with svc.db.write() as session:
        now = svc.now()
        cutoff = now - timedelta(days=days)
        open_case = exists().where(and_(Case.item_id == ItemRow.id, Case.status.in_(OPEN_STATES)))
        items = session.execute(
            update(ItemRow)
            .where(ItemRow.received_at < cutoff, ItemRow.content_enc.is_not(None), ~open_case)
            .values(content_enc=None, personal_enc=None, content_deleted_at=now)
            .execution_options(synchronize_session=False)
        )
        events = session.execute(
            update(Event)
            .where(Event.created_at < ev.iso_utc(cutoff), Event.payload_enc.is_not(None))
            .values(payload_enc=None)
            .execution_options(synchronize_session=False)
        )
        notes = session.execute(
            update(Escalation)
            .where(Escalation.created_at < cutoff, Escalation.note_enc.is_not(None))
            .values(note_enc=None)
            .execution_options(synchronize_session=False)
        )
        report = RetentionReport(
            days=days,
            cutoff=ev.iso_utc(cutoff),
            items=int(getattr(items, "rowcount", 0) or 0),
            events=int(getattr(events, "rowcount", 0) or 0),
            escalation_notes=int(getattr(notes, "rowcount", 0) or 0),
        )
        ev.append(session, svc.cipher, [ev.NewEvent("retention_applied", actor.label, payload=report.to_dict())], now)
        return report


def has_content(svc: Services, item_id: str) -> bool:
    with svc.db.read() as session:
        return session.scalar(select(ItemRow.content_enc.is_not(None)).where(ItemRow.id == item_id)) is True
