"""Read-only views the console needs beyond the moderation services: a reviewer's held cases, filter choices,
a case's history, one partner escalation, the account list.

Writes never happen here: claiming, revealing, deciding and escalating go through sitr.moderation, so the
console and the API record exactly the same events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from sitr.moderation.context import Actor, Services, as_utc
from sitr.moderation.queue import case_summary
from sitr.moderation.records import OPEN_STATES, open_content, open_personal
from sitr.store import events as ev
from sitr.store.models import ApiKey, Case, Escalation, Event, Flag, User
from sitr.store.models import Item as ItemRow

# Events a reviewer sees in a case's history, and the private fields of each that they may read.
HISTORY_PRIVATE: dict[str, tuple[str, ...]] = {
    "auto_actioned": (),
    "queued": (),
    "claimed": (),
    "decided": ("statement", "note"),
    "appeal_decided": ("statement", "note"),
    "appealed": ("reason",),
    "escalated": (),
    "flagged": ("note",),
    "data_revealed": (),
    "target_notified": (),
}
HISTORY_PUBLIC: tuple[str, ...] = (
    "outcome",
    "threat",
    "actions",
    "clause",
    "reason",
    "urgent",
    "origin",
    "appellant",
    "fields",
    "weight",
    "reversed",
    "severity",
)


def held_cases(svc: Services, actor: Actor) -> list[dict[str, Any]]:
    """Cases this reviewer has claimed and not yet decided (list_queue shows only claimable ones)."""
    now = svc.now()
    with svc.db.read() as session:
        rows = session.scalars(
            select(Case)
            .where(Case.status == "claimed", Case.claimed_by == actor.id)
            .order_by(Case.deadline_at.asc(), Case.id.asc())
            .limit(200)
        ).all()
        return [case_summary(c, now) for c in rows]


def filter_choices(svc: Services) -> dict[str, list[str]]:
    """The languages, varieties and countries present among open cases, for the queue's filter menus."""
    with svc.db.read() as session:
        out: dict[str, list[str]] = {}
        for name, column in (("lang", Case.lang), ("variety", Case.variety), ("country", Case.country)):
            values = session.scalars(select(column).where(Case.status.in_(OPEN_STATES)).distinct().limit(100)).all()
            out[name] = sorted(str(v) for v in values if v)
        return out


@dataclass(frozen=True)
class CaseFile:
    """Everything the case page shows: summary, the item's facts, its raw content (masked at render time)."""

    summary: dict[str, Any]
    item: dict[str, Any]
    content: dict[str, Any] | None
    target: str | None
    excluded_reviewer: int | None
    appeal_of: int | None


def case_file(svc: Services, case_id: int) -> CaseFile | None:
    with svc.db.read() as session:
        c = session.get(Case, case_id)
        if c is None:
            return None
        row = session.get(ItemRow, c.item_id)
        if row is None:
            return None
        personal = open_personal(svc.cipher, row)
        item = {
            "sitr_id": row.id,
            "platform": row.platform,
            "surface": row.surface,
            "lang": row.lang,
            "variety": row.variety,
            "country": row.country,
            "assessment": row.assessment,
            "decision": row.decision,
            "automated": row.automated,
            "outcome": row.outcome,
            "received_at": as_utc(row.received_at),
            "content_deleted": row.content_deleted_at is not None,
            "has_author": bool(personal.get("author")),
            "has_target": bool(personal.get("target")),
        }
        return CaseFile(
            summary=case_summary(c, svc.now()),
            item=item,
            content=open_content(svc.cipher, row),
            target=personal.get("target"),
            excluded_reviewer=c.excluded_reviewer,
            appeal_of=c.appeal_of,
        )


def history(svc: Services, item_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """The item's moderation log, oldest first, with the fields a reviewer may read."""
    with svc.db.read() as session:
        rows = session.scalars(
            select(Event)
            .where(Event.item_id == item_id, Event.type.in_(tuple(HISTORY_PRIVATE)))
            .order_by(Event.seq.asc())
            .limit(limit)
        ).all()
        out = []
        for e in rows:
            payload = json.loads(e.payload) if e.payload else {}
            facts = {k: payload[k] for k in HISTORY_PUBLIC if k in payload and payload[k] not in (None, [], "")}
            private = ev.read_private(svc.cipher, e) or {}
            notes = {k: str(private[k]) for k in HISTORY_PRIVATE[e.type] if private.get(k)}
            out.append(
                {"seq": e.seq, "type": e.type, "actor": e.actor, "case_id": e.case_id, "at": e.created_at,
                 "facts": facts, "notes": notes}
            )
        return out


def flags_on(svc: Services, item_id: str) -> list[dict[str, Any]]:
    with svc.db.read() as session:
        rows = session.scalars(select(Flag).where(Flag.item_id == item_id).order_by(Flag.id).limit(200)).all()
        return [
            {"reason": f.reason, "weight": round(f.weight, 2), "resolution": f.resolution, "at": as_utc(f.created_at)}
            for f in rows
        ]


def escalation_status(case: Case) -> str:
    """The partner-facing status of the case behind an escalation (same words as the API)."""
    if case.status == "open":
        return "open"
    if case.status == "claimed":
        return "in_review"
    return "actioned" if case.outcome == "action" else "no_action"


def partner_escalation(svc: Services, actor: Actor, escalation_id: int) -> dict[str, Any] | None:
    """One escalation, only if this partner made it: anyone else's reads as not found."""
    with svc.db.read() as session:
        row = session.execute(
            select(Escalation, Case, ItemRow.external_id, ItemRow.platform)
            .join(Case, Case.id == Escalation.case_id)
            .join(ItemRow, ItemRow.id == Escalation.item_id)
            .where(Escalation.id == escalation_id, Escalation.partner_id == actor.id)
        ).one_or_none()
        if row is None:
            return None
        esc, case, external_id, platform = row
        now = svc.now()
        created, deadline = as_utc(esc.created_at), as_utc(esc.deadline_at)
        decided = as_utc(case.decided_at) if case.decided_at is not None else None
        return {
            "escalation_id": esc.id,
            "platform": platform,
            "item_id": external_id,
            "reason": esc.reason,
            "urgent": esc.urgent,
            "status": escalation_status(case),
            "created_at": created.isoformat(),
            "deadline_at": deadline.isoformat(),
            "decided_at": decided.isoformat() if decided else None,
            "time_to_action_seconds": round((decided - created).total_seconds()) if decided else None,
            "overdue": (decided or now) > deadline,
        }


def platforms(svc: Services) -> list[str]:
    """Names of the platforms (integration accounts) a partner can escalate from."""
    with svc.db.read() as session:
        names = session.scalars(
            select(User.name).where(User.role == "integration", User.active.is_(True)).order_by(User.name)
        ).all()
        return [str(n) for n in names]


def accounts(svc: Services) -> list[dict[str, Any]]:
    """Every user with its active keys (prefixes only), for the admin page."""
    with svc.db.read() as session:
        users = session.scalars(select(User).order_by(User.role, User.name).limit(1000)).all()
        keys = session.execute(
            select(ApiKey.user_id, ApiKey.prefix, ApiKey.label, ApiKey.created_at).where(ApiKey.revoked_at.is_(None))
        ).all()
        by_user: dict[int, list[dict[str, Any]]] = {}
        for user_id, prefix, label, created in keys:
            by_user.setdefault(user_id, []).append({"prefix": prefix, "label": label, "created_at": as_utc(created)})
        return [
            {
                "id": u.id,
                "name": u.name,
                "role": u.role,
                "languages": list(u.languages or ()),
                "varieties": list(u.varieties or ()),
                "organisation": u.organisation,
                "active": u.active,
                "has_password": bool(u.password_hash),
                "keys": by_user.get(u.id, []),
            }
            for u in users
        ]


def open_counts(svc: Services) -> dict[str, int]:
    """How many review and appeal cases are open, for the navigation badges."""
    with svc.db.read() as session:
        rows = session.execute(
            select(Case.kind, func.count()).where(Case.status.in_(OPEN_STATES)).group_by(Case.kind)
        ).all()
        return {str(kind): int(n) for kind, n in rows}


def moment(value: datetime | str | None) -> datetime | None:
    """Datetimes from the tables or ISO strings from service results, as aware UTC datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return as_utc(value)
