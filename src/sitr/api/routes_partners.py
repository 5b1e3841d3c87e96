"""Trusted partners' endpoints: escalate, and follow their own escalations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from sitr.api.auth import require
from sitr.api.deps import services
from sitr.api.schemas import EscalationIn
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Invalid
from sitr.moderation.escalations import MAX_PAGE, escalate, list_escalations
from sitr.types import ItemError

router = APIRouter(prefix="/v1", tags=["partners"])


@router.post("/escalations", summary="Escalate an item urgently (trusted partners)")
def post_escalation(
    body: EscalationIn,
    actor: Annotated[Actor, Depends(require("escalations.create"))],
    svc: Annotated[Services, Depends(services)],
) -> dict[str, Any]:
    item = None
    if body.item is not None:
        try:
            item = body.item.to_item()
        except ItemError as exc:
            raise Invalid(f"item: {exc}") from None
    return escalate(
        svc,
        actor,
        platform=body.platform,
        external_id=str(body.item_id),
        reason=body.reason,
        urgent=body.urgent,
        note=body.note,
        item=item,
    )


@router.get("/escalations", summary="Your escalations, with status and time to action")
def get_escalations(
    actor: Annotated[Actor, Depends(require("escalations.read"))],
    svc: Annotated[Services, Depends(services)],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    return {"escalations": list_escalations(svc, actor, limit=limit, offset=offset)}
