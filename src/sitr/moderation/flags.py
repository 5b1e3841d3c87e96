"""User reports (flags): weighted by each reporter's record, and never enough on their own to remove anything.

A reporter's weight is the Laplace-smoothed share of its flags that reviewers upheld, (upheld + 1) /
(upheld + rejected + 2): a new reporter counts 0.5, one whose flags keep being rejected fades towards 0.
Flags can open a review case; they never change the automatic decision. Content sitr scores as benign
(self-disclosure, advocacy, news, counter-speech) needs much more weight to be queued, and then a human
decides: a mass-reporting campaign cannot remove LGBT people's own speech.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Invalid, NotFound
from sitr.moderation.records import find_item, new_case, open_case_for
from sitr.store import events as ev
from sitr.store.models import Case, Flag, Reporter
from sitr.store.models import Item as ItemRow
from sitr.types import THREATS

REASONS: tuple[str, ...] = (*THREATS, "other")
QUEUE_WEIGHT = 1.0  # summed reporter weight that queues an item sitr found something in
BENIGN_QUEUE_WEIGHT = 3.0  # ... and an item sitr scored as benign
MIN_COUNTED_WEIGHT = 0.2  # reporters below this no longer count towards queueing
FLAG_SEVERITY_CAP = 3  # a case opened by flags alone is never top priority


def reporter_weight(upheld: int, rejected: int) -> float:
    return (upheld + 1) / (upheld + rejected + 2)


@dataclass(frozen=True)
class FlagResult:
    flag_id: int
    duplicate: bool
    weight: float
    total_weight: float
    case_id: int | None
    queued: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "flag_id": self.flag_id,
            "duplicate": self.duplicate,
            "reporter_weight": round(self.weight, 4),
            "total_weight": round(self.total_weight, 4),
            "case_id": self.case_id,
            "queued": self.queued,
        }


def _reporter(session: Session, svc: Services, platform: str, reporter: str) -> Reporter:
    pseudonym = svc.cipher.pseudonym("reporter", platform, reporter)
    row = session.scalars(select(Reporter).where(Reporter.pseudonym == pseudonym)).one_or_none()
    if row is None:
        row = Reporter(platform=platform, pseudonym=pseudonym, flags_total=0, upheld=0, rejected=0)
        session.add(row)
        session.flush()
    return row


def flag(
    svc: Services,
    actor: Actor,
    *,
    platform: str,
    external_id: str,
    reporter: str,
    reason: str,
    note: str | None = None,
) -> FlagResult:
    if reason not in REASONS:
        raise Invalid(f"reason must be one of {', '.join(REASONS)}")
    try:
        return _flag(svc, actor, platform, external_id, reporter, reason, note)
    except IntegrityError:  # two workers created the same reporter or flag at once: the retry sees it
        return _flag(svc, actor, platform, external_id, reporter, reason, note)


def _flag(
    svc: Services, actor: Actor, platform: str, external_id: str, reporter: str, reason: str, note: str | None
) -> FlagResult:
    with svc.db.write() as session:
        now = svc.now()
        item = find_item(session, platform, external_id)
        if item is None:
            raise NotFound("no such item: submit it with POST /v1/items (or include it in the flag)")
        rep = _reporter(session, svc, platform, reporter)
        existing = session.scalars(
            select(Flag).where(Flag.item_id == item.id, Flag.reporter_id == rep.id)
        ).one_or_none()
        if existing is not None:
            case = open_case_for(session, item.id)
            return FlagResult(
                existing.id, True, existing.weight, _total(session, item.id), case.id if case else None, False
            )
        weight = reporter_weight(rep.upheld, rep.rejected)
        row = Flag(item_id=item.id, reporter_id=rep.id, reason=reason, weight=weight, created_at=now)
        session.add(row)
        session.execute(update(Reporter).where(Reporter.id == rep.id).values(flags_total=Reporter.flags_total + 1))
        session.flush()
        total = _total(session, item.id)
        pending = [
            ev.NewEvent(
                "flagged",
                actor.label,
                item_id=item.id,
                payload={
                    "flag_id": row.id,
                    "reason": reason,
                    "weight": round(weight, 4),
                    "total_weight": round(total, 4),
                },
                private={"reporter": rep.pseudonym, "note": note} if note else {"reporter": rep.pseudonym},
            )
        ]
        case = open_case_for(session, item.id)
        queued = False
        if case is None and _should_queue(item, total):
            case = _open_flag_case(svc, session, item, reason, now)
            queued = True
            pending.append(
                ev.NewEvent(
                    "queued",
                    "system",
                    item_id=item.id,
                    case_id=case.id,
                    payload={"origin": "flags", "threat": case.threat, "severity": case.severity},
                )
            )
        ev.append(session, svc.cipher, pending, now)
        return FlagResult(row.id, False, weight, total, case.id if case else None, queued)


def _total(session: Session, item_id: str) -> float:
    value = session.scalar(
        select(func.coalesce(func.sum(Flag.weight), 0.0)).where(
            Flag.item_id == item_id, Flag.weight >= MIN_COUNTED_WEIGHT, Flag.resolution.is_(None)
        )
    )
    return float(value or 0.0)


def _should_queue(item: ItemRow, total: float) -> bool:
    benign = item.outcome == "none"
    return total >= (BENIGN_QUEUE_WEIGHT if benign else QUEUE_WEIGHT)


def _open_flag_case(svc: Services, session: Session, item: ItemRow, reason: str, now: Any) -> Case:
    threat = reason if reason in THREATS else item.primary_threat
    rule = svc.policy.threats.get(threat) if threat else None
    severity = 1 if item.outcome == "none" else min(FLAG_SEVERITY_CAP, rule.severity if rule else 1)
    case = new_case(
        item,
        kind="review",
        origin="flags",
        threat=threat,
        severity=severity,
        deadline_minutes=rule.review_deadline_minutes if rule else None,
        now=now,
    )
    session.add(case)
    session.flush()
    return case


def resolve_flags(session: Session, item_id: str, upheld: bool) -> int:
    """Close the open flags on an item after a human decision and move each reporter's record."""
    flags = session.scalars(select(Flag).where(Flag.item_id == item_id, Flag.resolution.is_(None))).all()
    if not flags:
        return 0
    resolution = "upheld" if upheld else "rejected"
    column = Reporter.upheld if upheld else Reporter.rejected
    for f in flags:
        f.resolution = resolution
    for reporter_id in sorted({f.reporter_id for f in flags}):
        session.execute(update(Reporter).where(Reporter.id == reporter_id).values({column: column + 1}))
    return len(flags)
