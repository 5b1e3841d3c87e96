"""Reviewing a case: read it (personal data masked), reveal (logged), and decide.

A decision needs the case claimed by the deciding reviewer; an appeal needs a reviewer other than the one
whose decision is appealed. Deciding updates the item's effective decision, resolves the flags on it (which
moves each reporter's weight), and notifies the target when the ruling calls for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sitr.moderation import policy_bridge as pb
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Conflict, Forbidden, Invalid, NotFound
from sitr.moderation.flags import resolve_flags
from sitr.moderation.masking import mask_content
from sitr.moderation.notices import notice_event, target_notice
from sitr.moderation.queue import case_summary
from sitr.moderation.records import open_content, open_personal
from sitr.store import events as ev
from sitr.store.models import Case, Escalation, Event
from sitr.store.models import Item as ItemRow
from sitr.types import THREATS

REVEALABLE: tuple[str, ...] = ("content", "author", "target")


@dataclass(frozen=True)
class Ruling:
    """What a reviewer decides: the threat confirmed (None: no violation), actions, clause, reasons."""

    threat: str | None
    actions: tuple[str, ...] | None
    clause: str
    statement: str
    note: str | None = None

    def check(self) -> None:
        if self.threat is not None and self.threat not in THREATS:
            raise Invalid(f"threat must be one of {', '.join(THREATS)} or null")
        if self.actions is not None:
            unknown = [a for a in self.actions if a not in pb.ACTIONS]
            if unknown:
                raise Invalid(f"unknown actions: {', '.join(unknown)}; expected some of {', '.join(pb.ACTIONS)}")
            if self.threat is None and self.actions:
                raise Invalid("actions need a threat: name the policy threat the content violates")


def _case(session: Session, case_id: int, *, lock: bool = False) -> Case:
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalars(stmt).one_or_none()
    if row is None:
        raise NotFound("no such case")
    return row


def get_case(svc: Services, actor: Actor, case_id: int) -> dict[str, Any]:
    """The case as a reviewer first sees it: scores, evidence spans, and content with personal data masked."""
    with svc.db.read() as session:
        c = _case(session, case_id)
        item = session.get(ItemRow, c.item_id)
        assert item is not None
        content = open_content(svc.cipher, item)
        personal = open_personal(svc.cipher, item)
        masked = mask_content(content, item.assessment, personal.get("target")) if content else None
        out = case_summary(c, svc.now())
        out["item"] = {
            "sitr_id": item.id,
            "surface": item.surface,
            "lang": item.lang,
            "variety": item.variety,
            "country": item.country,
            "assessment": item.assessment,
            "decision": item.decision,
            "content": masked,
            "content_deleted": item.content_deleted_at is not None,
            "author": "[hidden]" if personal.get("author") else None,
            "target": "[hidden]" if personal.get("target") else None,
        }
        return out


def reveal(svc: Services, actor: Actor, case_id: int, fields: tuple[str, ...], reason: str) -> dict[str, Any]:
    """Unmasked personal data for one case; the reveal is an event naming who saw which fields and why."""
    unknown = [f for f in fields if f not in REVEALABLE]
    if unknown or not fields:
        raise Invalid(f"fields must be some of {', '.join(REVEALABLE)}")
    with svc.db.write() as session:
        now = svc.now()
        c = _case(session, case_id)
        if actor.role == "reviewer" and not (c.status == "claimed" and c.claimed_by == actor.id):
            raise Conflict("claim the case before revealing its personal data")
        item = session.get(ItemRow, c.item_id)
        assert item is not None
        content = open_content(svc.cipher, item)
        if "content" in fields and content is None:
            raise Conflict("content was deleted by retention")
        personal = open_personal(svc.cipher, item)
        out: dict[str, Any] = {"case_id": c.id}
        if "content" in fields:
            out["content"] = content
        for key in ("author", "target"):
            if key in fields:
                out[key] = personal.get(key)
        ev.append(
            session,
            svc.cipher,
            [
                ev.NewEvent(
                    "data_revealed",
                    actor.label,
                    item_id=item.id,
                    case_id=c.id,
                    payload={"fields": sorted(fields)},
                    private={"reason": reason},
                )
            ],
            now,
        )
        return out


def decide_case(svc: Services, actor: Actor, case_id: int, ruling_in: Ruling) -> dict[str, Any]:
    ruling_in.check()
    with svc.db.write() as session:
        now = svc.now()
        c = _case(session, case_id, lock=True)
        if c.status == "decided":
            raise Conflict("case is already decided")
        if c.kind == "appeal" and c.excluded_reviewer == actor.id:
            raise Forbidden("an appeal must be decided by a reviewer other than the one who decided the case")
        if c.status != "claimed" or c.claimed_by != actor.id:
            raise Conflict("claim the case before deciding it")
        item = session.scalars(select(ItemRow).where(ItemRow.id == c.item_id).with_for_update()).one()
        try:
            decision = pb.reviewer_decision(svc.policy, threat=ruling_in.threat, actions=ruling_in.actions)
        except ValueError as exc:
            raise Invalid(str(exc)) from None
        previous = item.decision
        decision_dict = decision.to_dict()
        c.status, c.decided_by, c.decided_at, c.outcome = "decided", actor.id, now, decision.outcome
        item.decision = decision_dict
        item.outcome = decision.outcome
        item.primary_threat = decision.primary_threat
        item.severity = decision.severity
        item.automated = False
        item.policy_version = decision.policy_version
        item.decided_by = actor.id
        item.decided_at = now if pb.restricts(decision) else None
        if c.origin == "flags":
            item.source_type = "SOURCE_ARTICLE_16"
        elif c.origin == "escalation":
            item.source_type = "SOURCE_TRUSTED_FLAGGER"
        resolved = resolve_flags(session, item.id, upheld=decision.outcome == "action")
        event_type = "appeal_decided" if c.kind == "appeal" else "decided"
        payload: dict[str, Any] = {
            "outcome": decision.outcome,
            "threat": decision.primary_threat,
            "actions": list(decision.actions),
            "clause": ruling_in.clause,
            "policy_version": decision.policy_version,
            "flags_resolved": resolved,
        }
        if c.kind == "appeal":
            payload["reversed"] = _restrictive(previous) != pb.restricts(decision) or (
                previous.get("primary_threat") != decision.primary_threat
            )
        pending = [
            ev.NewEvent(
                event_type,
                actor.label,
                item_id=item.id,
                case_id=c.id,
                payload=payload,
                private={"statement": ruling_in.statement, "note": ruling_in.note},
            ),
        ]
        notice = None
        personal = open_personal(svc.cipher, item)
        target = personal.get("target")
        if target and not _already_notified(session, item.id):
            notice = target_notice(decision, svc.policy, item.lang, target)
            if notice is not None:
                pending.append(
                    notice_event(
                        notice,
                        item_id=item.id,
                        case_id=c.id,
                        actor=actor.label,
                        target=target,
                        policy_version=decision.policy_version,
                    )
                )
        ev.append(session, svc.cipher, pending, now)
        out = case_summary(c, now)
        out["decision"] = decision_dict
        out["target_notice"] = notice.to_dict() if notice else None
        out["escalations"] = len(session.scalars(select(Escalation.id).where(Escalation.case_id == c.id)).all())
        return out


def _restrictive(decision: dict[str, Any]) -> bool:
    return any(a in pb.RESTRICTING_ACTIONS for a in decision.get("actions") or [])


def _already_notified(session: Session, item_id: str) -> bool:
    hit = session.scalars(
        select(Event.seq).where(Event.item_id == item_id, Event.type == "target_notified").limit(1)
    ).first()
    return hit is not None
