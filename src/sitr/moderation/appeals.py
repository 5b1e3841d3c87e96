"""Appeals: the author (or a reporter, or the target) asks for a decision to be looked at again.

An appeal opens its own case that the reviewer who made the appealed decision cannot claim or decide, so a
second person always looks. Automatic decisions can be appealed too; then any reviewer may take the appeal.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Conflict
from sitr.moderation.queue import case_summary
from sitr.moderation.records import item_for, new_case, open_case_for
from sitr.store import events as ev
from sitr.store.models import Case

APPELLANTS: tuple[str, ...] = ("author", "reporter", "target")


def appeal(svc: Services, actor: Actor, item_ref: str, *, appellant: str, reason: str) -> dict[str, Any]:
    with svc.db.write() as session:
        now = svc.now()
        item = item_for(session, actor, item_ref)
        if open_case_for(session, item.id, kind="appeal") is not None:
            raise Conflict("an appeal of this item is already open")
        if open_case_for(session, item.id) is not None:
            raise Conflict("the item is still under review; appeal once it is decided")
        last = session.scalars(
            select(Case).where(Case.item_id == item.id, Case.status == "decided").order_by(Case.id.desc()).limit(1)
        ).one_or_none()
        rule = svc.policy.threats.get(item.primary_threat) if item.primary_threat else None
        case = new_case(
            item,
            kind="appeal",
            origin="appeal",
            threat=item.primary_threat,
            severity=max(item.severity, 1),
            deadline_minutes=rule.review_deadline_minutes if rule else None,
            now=now,
            appeal_of=last.id if last else None,
            excluded_reviewer=None if item.automated else item.decided_by,
        )
        session.add(case)
        session.flush()
        ev.append(
            session,
            svc.cipher,
            [
                ev.NewEvent(
                    "appealed",
                    actor.label,
                    item_id=item.id,
                    case_id=case.id,
                    payload={"appellant": appellant, "appeal_of": case.appeal_of, "automated_decision": item.automated},
                    private={"reason": reason},
                )
            ],
            now,
        )
        return case_summary(case, now)
