"""The review queue: open cases by severity and deadline, the reviewer's own languages first; safe claiming.

Claiming must hand a case to exactly one reviewer however many workers ask at once. PostgreSQL locks the row
with FOR UPDATE SKIP LOCKED (a busy case is skipped, not waited on); SQLite, whose write transactions are
already serialised by BEGIN IMMEDIATE, uses an UPDATE conditioned on the case still being claimable. A claim
is a lease: if the reviewer walks away, the case becomes claimable again after `Services.claim_lease`.
Cases above every policy severity (a victim's registered photo reposted: sitr.moderation.media) come first for
every reviewer, ahead of their own languages: whoever is free must see them now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, or_, select, update
from sqlalchemy.orm import Session

from sitr.moderation.context import Actor, Services, as_utc
from sitr.moderation.errors import Conflict, Forbidden, NotFound
from sitr.store import events as ev
from sitr.store.models import Case

MAX_PAGE = 200
# Policy severities are 1..5. Above them: a victim's photo reposted (6), and together with extortion or outing (7).
VICTIM_MATCH_SEVERITY = 6
TOP_PRIORITY_SEVERITY = 7


@dataclass(frozen=True)
class QueueFilter:
    threat: str | None = None
    lang: str | None = None
    variety: str | None = None
    country: str | None = None
    kind: str | None = None


def case_summary(c: Case, now: datetime) -> dict[str, Any]:
    deadline = as_utc(c.deadline_at)
    return {
        "case_id": c.id,
        "item_id": c.item_id,
        "kind": c.kind,
        "origin": c.origin,
        "status": c.status,
        "threat": c.threat,
        "lang": c.lang,
        "variety": c.variety,
        "country": c.country,
        "severity": c.severity,
        "opened_at": as_utc(c.opened_at).isoformat(),
        "deadline_at": deadline.isoformat(),
        "overdue": deadline < now,
        "claimed_by": c.claimed_by,
        "outcome": c.outcome,
    }


def _claimable(actor: Actor, now: datetime, lease_expired_before: datetime) -> ColumnElement[bool]:
    free = or_(
        Case.status == "open",
        and_(Case.status == "claimed", Case.claimed_at < lease_expired_before),
    )
    not_excluded = or_(Case.excluded_reviewer.is_(None), Case.excluded_reviewer != actor.id)
    return and_(free, not_excluded)


def _ordered(stmt: Select[Case], actor: Actor) -> Select[Case]:
    order: list[Any] = [case((Case.severity >= VICTIM_MATCH_SEVERITY, Case.severity), else_=0).desc()]
    if actor.languages:
        order.append(case((Case.lang.in_(actor.languages), 0), else_=1))
    if actor.varieties:
        order.append(case((Case.variety.in_(actor.varieties), 0), else_=1))
    order += [Case.severity.desc(), Case.deadline_at.asc(), Case.id.asc()]
    return stmt.order_by(*order)


def _filtered(stmt: Select[Case], f: QueueFilter) -> Select[Case]:
    if f.threat:
        stmt = stmt.where(Case.threat == f.threat)
    if f.lang:
        stmt = stmt.where(Case.lang == f.lang)
    if f.variety:
        stmt = stmt.where(Case.variety == f.variety)
    if f.country:
        stmt = stmt.where(Case.country == f.country.upper())
    if f.kind:
        stmt = stmt.where(Case.kind == f.kind)
    return stmt


def list_queue(
    svc: Services, actor: Actor, f: QueueFilter | None = None, *, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    now = svc.now()
    stmt = select(Case).where(_claimable(actor, now, now - svc.claim_lease))
    stmt = _ordered(_filtered(stmt, f or QueueFilter()), actor)
    with svc.db.read() as session:
        rows = session.scalars(stmt.limit(min(max(limit, 1), MAX_PAGE)).offset(max(offset, 0))).all()
        return [case_summary(c, now) for c in rows]


def _take(session: Session, svc: Services, actor: Actor, case_id: int, now: datetime) -> Case | None:
    """Claim one case if it is free; None if another reviewer holds it (or is claiming it right now)."""
    cond = and_(Case.id == case_id, _claimable(actor, now, now - svc.claim_lease))
    if svc.db.is_postgres:
        row = session.scalars(select(Case).where(cond).with_for_update(skip_locked=True)).one_or_none()
        if row is None:
            return None
        row.status, row.claimed_by, row.claimed_at = "claimed", actor.id, now
        session.flush()
        return row
    result = session.execute(update(Case).where(cond).values(status="claimed", claimed_by=actor.id, claimed_at=now))
    if getattr(result, "rowcount", 0) != 1:
        return None
    return session.get(Case, case_id, populate_existing=True)


def _claimed_event(svc: Services, actor: Actor, c: Case) -> ev.NewEvent:
    lease = int(svc.claim_lease.total_seconds() // 60)
    return ev.NewEvent(
        "claimed", actor.label, item_id=c.item_id, case_id=c.id, payload={"kind": c.kind, "lease_minutes": lease}
    )


def claim(svc: Services, actor: Actor, case_id: int) -> dict[str, Any]:
    with svc.db.write() as session:
        now = svc.now()
        taken = _take(session, svc, actor, case_id, now)
        if taken is None:
            existing = session.get(Case, case_id)
            if existing is None:
                raise NotFound("no such case")
            if existing.excluded_reviewer is not None and existing.excluded_reviewer == actor.id:
                raise Forbidden("an appeal must be decided by a reviewer other than the one who decided the case")
            if existing.status == "claimed" and existing.claimed_by == actor.id:
                return case_summary(existing, now)
            raise Conflict(f"case is {existing.status}" + (" by another reviewer" if existing.claimed_by else ""))
        ev.append(session, svc.cipher, [_claimed_event(svc, actor, taken)], now)
        return case_summary(taken, now)


def claim_next(
    svc: Services, actor: Actor, f: QueueFilter | None = None, *, attempts: int = 5
) -> dict[str, Any] | None:
    """Claim the first case of this reviewer's queue; None when the queue is empty."""
    with svc.db.write() as session:
        now = svc.now()
        for _ in range(attempts):
            stmt = select(Case).where(_claimable(actor, now, now - svc.claim_lease))
            stmt = _ordered(_filtered(stmt, f or QueueFilter()), actor).limit(1)
            if svc.db.is_postgres:
                stmt = stmt.with_for_update(skip_locked=True)
            row = session.scalars(stmt).one_or_none()
            if row is None:
                return None
            taken = _take(session, svc, actor, row.id, now)
            if taken is not None:
                ev.append(session, svc.cipher, [_claimed_event(svc, actor, taken)], now)
                return case_summary(taken, now)
        return None
