"""Trusted partners' escalations: urgent reports with their own deadline, status and time to action.

A partner (a digital-rights helpline) escalates an item it has seen, on a platform sitr serves. If the
platform never sent the item, the partner's copy is ingested as a trusted-flagger notice. The item's review
case is opened or brought forward to the escalation's deadline. A partner lists its own escalations only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from sitr.moderation.context import Actor, Services, as_utc
from sitr.moderation.errors import Invalid, NotFound
from sitr.moderation.ingest import ingest
from sitr.moderation.records import find_item, new_case, open_case_for
from sitr.store import events as ev
from sitr.store.crypto import aad_for
from sitr.store.models import Case, Escalation, User
from sitr.types import THREATS, Item

URGENT_MINUTES = 60
MAX_PAGE = 500


def escalate(
    svc: Services,
    actor: Actor,
    *,
    platform: str,
    external_id: str,
    reason: str,
    urgent: bool,
    note: str | None,
    item: Item | None = None,
) -> dict[str, Any]:
    if reason not in THREATS:
        raise Invalid(f"reason must be one of {', '.join(THREATS)}")
    with svc.db.read() as session:
        known_platform = session.scalars(
            select(User.id).where(User.name == platform, User.role == "integration")
        ).first()
        if known_platform is None:
            raise Invalid("unknown platform")
        exists = find_item(session, platform, external_id) is not None
    if not exists:
        if item is None:
            raise NotFound("the platform never sent this item: include it in the escalation")
        if item.id != external_id:
            raise Invalid("item.id must equal item_id")
        ingest(svc, [item], actor=actor, platform=platform, source_type="SOURCE_TRUSTED_FLAGGER")

    rule = svc.policy.threats[reason]
    minutes = min(rule.review_deadline_minutes, URGENT_MINUTES) if urgent else rule.review_deadline_minutes
    with svc.db.write() as session:
        now = svc.now()
        row = find_item(session, platform, external_id)
        if row is None:
            raise NotFound("no such item")
        deadline = now + timedelta(minutes=minutes)
        case = open_case_for(session, row.id, lock=True)
        pending: list[ev.NewEvent] = []
        if case is None:
            case = new_case(
                row,
                kind="review",
                origin="escalation",
                threat=reason,
                severity=rule.severity,
                deadline_minutes=minutes,
                now=now,
            )
            session.add(case)
            session.flush()
            pending.append(
                ev.NewEvent(
                    "queued",
                    "system",
                    item_id=row.id,
                    case_id=case.id,
                    payload={"origin": "escalation", "threat": reason, "severity": rule.severity},
                )
            )
        else:
            if as_utc(case.deadline_at) > deadline:
                case.deadline_at = deadline
            case.severity = max(case.severity, rule.severity)
        esc = Escalation(
            partner_id=actor.id,
            item_id=row.id,
            case_id=case.id,
            reason=reason,
            urgent=urgent,
            created_at=now,
            deadline_at=deadline,
        )
        session.add(esc)
        session.flush()
        if note:
            esc.note_enc = svc.cipher.encrypt_json({"note": note}, aad_for("escalations", "note_enc", esc.id))
        pending.insert(
            0,
            ev.NewEvent(
                "escalated",
                actor.label,
                item_id=row.id,
                case_id=case.id,
                payload={"escalation_id": esc.id, "reason": reason, "urgent": urgent},
            ),
        )
        ev.append(session, svc.cipher, pending, now)
        return _view(esc, case, external_id, platform, now)


def _status(case: Case) -> str:
    if case.status == "open":
        return "open"
    if case.status == "claimed":
        return "in_review"
    return "actioned" if case.outcome == "action" else "no_action"


def _view(esc: Escalation, case: Case, external_id: str, platform: str, now: datetime) -> dict[str, Any]:
    created = as_utc(esc.created_at)
    deadline = as_utc(esc.deadline_at)
    decided = as_utc(case.decided_at) if case.decided_at is not None else None
    return {
        "escalation_id": esc.id,
        "platform": platform,
        "item_id": external_id,
        "reason": esc.reason,
        "urgent": esc.urgent,
        "status": _status(case),
        "created_at": created.isoformat(),
        "deadline_at": deadline.isoformat(),
        "decided_at": decided.isoformat() if decided else None,
        "time_to_action_seconds": round((decided - created).total_seconds()) if decided else None,
        "overdue": (decided or now) > deadline,
    }


def list_escalations(svc: Services, actor: Actor, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """A partner's own escalations (an admin sees all), newest first."""
    from sitr.store.models import Item as ItemRow

    stmt = (
        select(Escalation, Case, ItemRow.external_id, ItemRow.platform)
        .join(Case, Case.id == Escalation.case_id)
        .join(ItemRow, ItemRow.id == Escalation.item_id)
    )
    if actor.role != "admin":
        stmt = stmt.where(Escalation.partner_id == actor.id)
    stmt = stmt.order_by(Escalation.id.desc()).limit(min(max(limit, 1), MAX_PAGE)).offset(max(offset, 0))
    with svc.db.read() as session:
        now = svc.now()
        return [_view(e, c, ext, plat, now) for e, c, ext, plat in session.execute(stmt).all()]
