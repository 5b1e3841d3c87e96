"""Ingest: analyse, decide and record items, idempotently on the platform's item id.

Analysis runs outside the database transaction (it is pure and the slow part); the write transaction then
re-checks for ids stored meanwhile, inserts items, cases and events together, and commits once per batch, so a
crash leaves either the whole batch or nothing. A resubmitted id returns what was recorded the first time;
the same id with different content is refused, because a silent overwrite would rewrite moderation history.
Images (issue 6) are hashed and matched against the hash banks before analysis (sitr.moderation.media); only
their hashes are recorded, in the assessment, and a victim-bank match raises the item's and the case's severity.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sitr.moderation import media as md
from sitr.moderation import policy_bridge as pb
from sitr.moderation.context import Actor, Services, as_utc
from sitr.moderation.errors import Conflict, Invalid
from sitr.moderation.notices import TargetNotice, notice_event, target_notice
from sitr.moderation.records import DEFAULT_DEADLINE_MINUTES, content_of, open_case_for, seal_item
from sitr.store import events as ev
from sitr.store.base import Base
from sitr.store.crypto import FieldCipher
from sitr.store.events import NewEvent
from sitr.store.models import Item as ItemRow
from sitr.types import Assessment, Item

_IN_CHUNK = 500
_ITEMS = Base.metadata.tables["items"]
_CASES = Base.metadata.tables["cases"]


@dataclass(frozen=True)
class IngestResult:
    sitr_id: str
    external_id: str
    duplicate: bool
    assessment: dict[str, Any]
    decision: dict[str, Any]
    case_id: int | None
    target_notice: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.external_id,
            "sitr_id": self.sitr_id,
            "duplicate": self.duplicate,
            "assessment": self.assessment,
            "decision": self.decision,
            "case_id": self.case_id,
            "target_notice": self.target_notice,
        }


@dataclass
class _Prepared:
    """Everything about a new item computed before the write transaction (analysis, decision, ciphertext)."""

    item: Item
    sitr_id: str
    digest: str
    row: dict[str, Any]
    decision: Any
    decision_dict: dict[str, Any]
    assessment_dict: dict[str, Any]
    case_row: dict[str, Any] | None
    notice: TargetNotice | None
    severity: int = 0  # the case's: the policy's, raised by a victim-bank image match
    deadline_minutes: int | None = None  # the case's review deadline as queued (None: the default)


def parse_date(value: str | None, index: int) -> datetime | None:
    if value is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        raise Invalid(f"item {index}: created_at must be an ISO-8601 date or date-time") from None


def content_digest(cipher: FieldCipher, platform: str, item: Item, images: Sequence[bytes] = ()) -> str:
    content = content_of(item)
    if images:  # items without images keep the digest they always had
        content = {**content, "images": md.image_digests(images)}
    return cipher.pseudonym("content", platform, ev.canonical_json(content))


def _existing(session: Session, platform: str, ids: Sequence[str]) -> dict[str, ItemRow]:
    found: dict[str, ItemRow] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        rows = session.scalars(
            select(ItemRow).where(ItemRow.platform == platform, ItemRow.external_id.in_(chunk))
        ).all()
        found.update({r.external_id: r for r in rows})
    return found


def _duplicate_result(session: Session, row: ItemRow, digest: str) -> IngestResult:
    if row.content_digest != digest:
        raise Conflict("item id already used for different content")
    case = open_case_for(session, row.id)
    return IngestResult(
        sitr_id=row.id,
        external_id=row.external_id,
        duplicate=True,
        assessment=row.assessment,
        decision=row.decision,
        case_id=case.id if case else None,
    )


def ingest(
    svc: Services,
    items: Sequence[Item],
    *,
    actor: Actor,
    platform: str,
    source_type: str = "SOURCE_VOLUNTARY",
    images: Sequence[Sequence[bytes]] | None = None,
) -> list[IngestResult]:
    """Assess, decide and record `items` for `platform`; results in input order.

    `images[i]` are the decoded images of `items[i]` (none when omitted); an image that cannot be hashed raises
    Invalid and nothing is recorded.
    """
    if images is not None and len(images) != len(items):
        raise ValueError("images must give one list per item")
    pics: Sequence[Sequence[bytes]] = images if images is not None else [()] * len(items)
    try:
        return _ingest_once(svc, items, pics, actor=actor, platform=platform, source_type=source_type)
    except IntegrityError:
        # Another worker stored one of these ids between our check and our insert: now it is a duplicate.
        return _ingest_once(svc, items, pics, actor=actor, platform=platform, source_type=source_type)


def _ingest_once(
    svc: Services,
    items: Sequence[Item],
    images: Sequence[Sequence[bytes]],
    *,
    actor: Actor,
    platform: str,
    source_type: str,
) -> list[IngestResult]:
    first: dict[str, tuple[int, Item]] = {}
    for index, item in enumerate(items):
        first.setdefault(item.id, (index, item))
    digests = {ext: content_digest(svc.cipher, platform, item, images[i]) for ext, (i, item) in first.items()}
    for item, pics in zip(items, images, strict=True):  # a repeated id inside one batch must repeat the same content
        if content_digest(svc.cipher, platform, item, pics) != digests[item.id]:
            raise Conflict("item id used twice in the batch for different content")
    ids = list(first)
    with svc.db.read() as session:
        known = set(_existing(session, platform, ids))
    fresh = [(index, item) for ext, (index, item) in first.items() if ext not in known]
    dates = [parse_date(item.created_at, index) for index, item in fresh]
    media = md.scan_items(svc, [(index, images[index]) for index, _ in fresh])
    assessments, text_threats = md.analyze_with_media(
        svc, [item for _, item in fresh], [m.signal if m is not None else None for m in media]
    )
    now = svc.now()
    prepared = {
        item.id: _prepare(svc, item, assessment, date, digests[item.id], platform, source_type, now, m, text)
        for (_, item), assessment, date, m, text in zip(fresh, assessments, dates, media, text_threats, strict=True)
    }

    with svc.db.write() as session:
        now = svc.now()
        stored = _existing(session, platform, ids)
        results: dict[str, IngestResult] = {}
        new: list[_Prepared] = []
        for ext in ids:
            if ext in stored:
                results[ext] = _duplicate_result(session, stored[ext], digests[ext])
            elif ext in prepared:
                new.append(prepared[ext])
            else:  # stored when we looked, gone now: only possible if deleted by hand
                raise Conflict("item changed during ingest; retry")
        results.update(_insert(svc, session, new, actor, platform, source_type, now))

    out: list[IngestResult] = []
    seen: set[str] = set()
    for item in items:
        r = results[item.id]
        if item.id in seen and not r.duplicate:
            r = IngestResult(r.sitr_id, r.external_id, True, r.assessment, r.decision, r.case_id)
        seen.add(item.id)
        out.append(r)
    return out


def _prepare(
    svc: Services,
    item: Item,
    assessment: Assessment,
    content_date: datetime | None,
    digest: str,
    platform: str,
    source_type: str,
    now: datetime,
    media: md.ItemMedia | None = None,
    text_threats: frozenset[str] = frozenset(),
) -> _Prepared:
    decision = pb.decide(assessment, svc.policy)
    decision_dict = pb.decision_dict(decision)
    assessment_dict = assessment.to_dict()
    if media is not None:  # hashes and matches only: the image bytes end here
        assessment_dict["media"] = media.record(sorted(text_threats))
    severity = md.case_severity(decision.severity, media, text_threats)
    sitr_id = uuid.uuid4().hex
    content_enc, personal_enc = seal_item(svc.cipher, sitr_id, item)
    acted = decision.outcome == "action"
    row = {
        "id": sitr_id,
        "platform": platform,
        "external_id": item.id,
        "surface": item.surface,
        "content_type": "image" if media is not None else "text",
        "lang": assessment.lang,
        "variety": assessment.variety,
        "country": item.country,
        "content_date": content_date,
        "received_at": now,
        "source_type": source_type,
        "content_digest": digest,
        "content_enc": content_enc,
        "personal_enc": personal_enc,
        "has_target": item.target is not None,
        "assessment": assessment_dict,
        "auto_decision": decision_dict,
        "decision": decision_dict,
        "policy_version": decision.policy_version,
        "outcome": decision.outcome,
        "primary_threat": decision.primary_threat,
        "severity": severity,
        "automated": True,
        "decided_at": now if pb.restricts(decision) else None,
        "decided_by": None,
        "content_deleted_at": None,
    }
    case_row = None
    deadline_minutes = decision.review_deadline_minutes
    known_image = media.signal if media is not None else None
    if decision.outcome == "review" or (acted and "queue_review" in decision.actions) or known_image is not None:
        # A known image always gets a human look: the victim may need support, and banks can hold mistakes.
        minutes = decision.review_deadline_minutes or DEFAULT_DEADLINE_MINUTES
        if known_image is not None:
            minutes = min(minutes, svc.policy.threats[known_image.threat].review_deadline_minutes)
            deadline_minutes = minutes
        case_row = {
            "item_id": sitr_id,
            "kind": "review",
            "origin": "policy",
            "status": "open",
            "threat": decision.primary_threat,
            "lang": assessment.lang,
            "variety": assessment.variety,
            "country": item.country,
            "severity": severity,
            "opened_at": now,
            "deadline_at": now + timedelta(minutes=minutes),
        }
    notice = target_notice(decision, svc.policy, assessment.lang, item.target)
    prepared = _Prepared(item, sitr_id, digest, row, decision, decision_dict, assessment_dict, case_row, notice)
    prepared.severity, prepared.deadline_minutes = severity, deadline_minutes
    return prepared


def _insert(
    svc: Services,
    session: Session,
    new: list[_Prepared],
    actor: Actor,
    platform: str,
    source_type: str,
    now: datetime,
) -> dict[str, IngestResult]:
    """Insert items, their cases and events with a few multi-row statements (not one ORM flush per item)."""
    if not new:
        return {}
    session.execute(insert(_ITEMS), [p.row for p in new])
    with_case = [p for p in new if p.case_row is not None]
    case_ids: dict[str, int] = {}
    if with_case:
        returned = session.execute(
            insert(_CASES).returning(_CASES.c.id, sort_by_parameter_order=True),
            [p.case_row for p in with_case if p.case_row is not None],
        ).all()
        case_ids = {p.sitr_id: int(r[0]) for p, r in zip(with_case, returned, strict=True)}
    pending: list[NewEvent] = []
    results: dict[str, IngestResult] = {}
    for p in new:
        case_id = case_ids.get(p.sitr_id)
        pending.extend(_events(p, case_id, actor, platform, source_type))
        results[p.item.id] = IngestResult(
            sitr_id=p.sitr_id,
            external_id=p.item.id,
            duplicate=False,
            assessment=p.assessment_dict,
            decision=p.decision_dict,
            case_id=case_id,
            target_notice=p.notice.to_dict() if p.notice else None,
        )
    ev.append(session, svc.cipher, pending, now)
    return results


def _events(p: _Prepared, case_id: int | None, actor: Actor, platform: str, source_type: str) -> list[NewEvent]:
    d = p.decision
    out = [
        NewEvent(
            "item_received",
            actor.label,
            item_id=p.sitr_id,
            payload={
                "platform": platform,
                "external_id": p.item.id,
                "surface": p.item.surface,
                "source_type": source_type,
                "content_type": p.row["content_type"],
            },
        ),
        NewEvent(
            "assessed",
            "system",
            item_id=p.sitr_id,
            payload={"assessment": p.assessment_dict, "decision": p.decision_dict, "policy_version": d.policy_version},
        ),
    ]
    if d.outcome == "action":
        out.append(
            NewEvent(
                "auto_actioned",
                "system",
                item_id=p.sitr_id,
                case_id=case_id,
                payload={"actions": list(d.actions), "threat": d.primary_threat, "policy_version": d.policy_version},
            )
        )
    if case_id is not None:
        out.append(
            NewEvent(
                "queued",
                "system",
                item_id=p.sitr_id,
                case_id=case_id,
                payload={
                    "origin": "policy",
                    "threat": d.primary_threat,
                    "severity": p.severity,
                    "deadline_minutes": p.deadline_minutes,
                },
            )
        )
    if p.notice is not None and p.item.target is not None:
        out.append(
            notice_event(
                p.notice,
                item_id=p.sitr_id,
                case_id=case_id,
                actor="system",
                target=p.item.target,
                policy_version=d.policy_version,
            )
        )
    return out
