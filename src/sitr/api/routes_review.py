"""Reviewer endpoints: the queue, claiming, reading (masked), revealing and deciding cases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from sitr.api.auth import require
from sitr.api.deps import services
from sitr.api.schemas import DecisionIn, RevealIn, ThreatName
from sitr.moderation.context import Actor, Services
from sitr.moderation.queue import MAX_PAGE, QueueFilter, claim, claim_next, list_queue
from sitr.moderation.review import Ruling, decide_case, get_case, reveal

router = APIRouter(prefix="/v1", tags=["review"])


def _filters(
    threat: ThreatName | None = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    variety: Annotated[str | None, Query(max_length=32)] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    kind: Annotated[str | None, Query(pattern=r"^(review|appeal)$")] = None,
) -> QueueFilter:
    return QueueFilter(threat=threat, lang=lang, variety=variety, country=country, kind=kind)


@router.get("/queue", summary="Open cases: your languages first, then severity and deadline")
def get_queue(
    actor: Annotated[Actor, Depends(require("queue.read"))],
    svc: Annotated[Services, Depends(services)],
    filters: Annotated[QueueFilter, Depends(_filters)],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    return {"cases": list_queue(svc, actor, filters, limit=limit, offset=offset)}


@router.post("/queue/next", summary="Claim the first case of your queue (204-like null when empty)")
def post_next(
    actor: Annotated[Actor, Depends(require("queue.next"))],
    svc: Annotated[Services, Depends(services)],
    filters: Annotated[QueueFilter, Depends(_filters)],
) -> dict[str, Any]:
    return {"case": claim_next(svc, actor, filters)}


@router.get("/cases/{case_id}", summary="A case, with personal data masked")
def read_case(
    case_id: int,
    actor: Annotated[Actor, Depends(require("cases.read"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    return get_case(svc, actor, case_id)


@router.post("/cases/{case_id}/claim", summary="Claim a case (exclusive, leased)")
def claim_case(
    case_id: int,
    actor: Annotated[Actor, Depends(require("cases.claim"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    return claim(svc, actor, case_id)


@router.post("/cases/{case_id}/reveal", summary="Reveal masked personal data (recorded as an event)")
def reveal_case(
    case_id: int,
    body: RevealIn,
    actor: Annotated[Actor, Depends(require("cases.reveal"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    return reveal(svc, actor, case_id, tuple(dict.fromkeys(body.fields)), body.reason)


@router.post("/cases/{case_id}/decision", summary="Decide a claimed case")
def decide(
    case_id: int,
    body: DecisionIn,
    actor: Annotated[Actor, Depends(require("cases.decide"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    ruling = Ruling(
        threat=body.threat,
        actions=tuple(body.actions) if body.actions is not None else None,
        clause=body.clause,
        statement=body.statement,
        note=body.note,
    )
    return decide_case(svc, actor, case_id, ruling)
